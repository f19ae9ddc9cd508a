"""Paper figures from runs (matplotlib, no pyplot state).

Every panel function takes ``ax=None`` and returns the Axes it drew on; with
``ax=None`` it makes a new :class:`matplotlib.figure.Figure`. :func:`plot_run`
draws the standard figure of a run's circuit and saves it. PDF and SVG output keep
text as text (TrueType fonts embedded, ``pdf.fonttype = 42``), so labels stay
editable in Illustrator or Inkscape.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .assemblies import assemblies_figure, completion_curve, recall_raster, weight_matrix
from .consolidation import consolidation_figure, ctx_weight_course, replay_raster, ribot_curve, semantisation_by_age
from .items import item_figure, pool_raster, pool_rates, stp_figure, stp_traces
from .ring import bump, decoded_angle, raster_by_angle, rate_map, ring_figure
from .sweep import sweep_figure, sweep_heatmap, sweep_line, sweep_summary
from .retention import retention_figure
from .tasks import item_raster, item_rates_over_time, task_figure

__all__ = [
    "plot_run",
    "pool_raster",
    "pool_rates",
    "stp_traces",
    "item_figure",
    "stp_figure",
    "assemblies_figure",
    "completion_curve",
    "recall_raster",
    "weight_matrix",
    "bump",
    "raster_by_angle",
    "rate_map",
    "decoded_angle",
    "ring_figure",
    "save_figure",
    "sweep_figure",
    "sweep_line",
    "sweep_heatmap",
    "sweep_summary",
    "task_figure",
    "item_raster",
    "item_rates_over_time",
    "consolidation_figure",
    "ribot_curve",
    "replay_raster",
    "ctx_weight_course",
    "semantisation_by_age",
    "retention_figure",
]


def save_figure(figure: Any, path: str | Path) -> Path:
    """Save with editable text (PDF/SVG) and 300 dpi (PNG)."""
    import matplotlib

    path = Path(path)
    if path.suffix.lower() not in (".pdf", ".png", ".svg"):
        raise ValueError(f"{path}: figure files end in .pdf, .png or .svg")
    path.parent.mkdir(parents=True, exist_ok=True)
    with matplotlib.rc_context({"pdf.fonttype": 42, "ps.fonttype": 42, "svg.fonttype": "none"}):
        figure.savefig(path, dpi=300, bbox_inches="tight")
    return path


def plot_run(run: Any, path: str | Path | None = None) -> Any:
    """The standard figure of a run: its task's (:func:`task_figure`) or its circuit's native one.

    Saved to ``path`` if given. Returns the Figure.
    """
    from .. import registry

    if run.task:
        make = registry.get("task_figure", run.task) if run.task in registry.names("task_figure") else task_figure
    else:
        try:
            make = registry.get("figure", run.circuit)
        except KeyError:
            known = sorted(registry.names("figure"))
            raise ValueError(f"no figure for circuit {run.circuit!r}; known: {known}") from None
    figure = make(run)
    if path is not None:
        save_figure(figure, path)
    return figure
