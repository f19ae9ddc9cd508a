"""Systems-consolidation figures: the Ribot curve, a replay raster, CTX weights over consolidation, semantisation.

Every panel takes ``ax=None`` and returns the Axes; it reads only the run file
(``/analysis`` of the consolidation task, ``/spikes``, ``/weights/ctx_ee``, ``/protocol``).
"""

from __future__ import annotations

import textwrap
from typing import Any

import numpy as np

from ._words import item_name, nanosiemens, panel_letters, phase_name

__all__ = ["ribot_curve", "replay_raster", "ctx_weight_course", "semantisation_by_age", "consolidation_figure"]

_COLOURS = ("#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#666666")


def _axes(ax: Any, figsize=(4.0, 3.2)) -> Any:
    if ax is not None:
        return ax
    from matplotlib.figure import Figure

    return Figure(figsize=figsize).add_subplot()


def ribot_curve(run: Any, ax: Any = None) -> Any:
    """Recall overlap against episode age, intact and with the HPC output lesioned, beside the untrained baseline."""
    ax = _axes(ax)
    a = run.analysis
    age = a["episode_age_s"]
    for condition, style, words in (("intact", "o-", "intact"), ("lesioned", "s-", "HPC output lesioned")):
        ax.plot(age, a[f"episode_recall_{condition}"], style, label=words)
        baseline = run.scores.get(f"baseline_{condition}")
        if baseline is not None and np.isfinite(baseline):
            ax.axhline(baseline, ls=":", lw=1, color=ax.lines[-1].get_color(), label=f"never encoded, {condition}")
    ax.set_xlabel("episode age at recall (s)")
    ax.set_ylabel("recall overlap of the not-cued cells")
    rho = run.scores.get("ribot_rank_correlation", np.nan)
    ax.set_title(f"Ribot gradient\n(rank correlation of age and lesioned recall {rho:.2f})", fontsize=9)
    ax.legend(fontsize=7, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return ax


def _index_cells(run: Any, before_s: float = np.inf) -> list[np.ndarray]:
    """HPC cells of the index of each episode encoded before ``before_s``, identified as the task does."""
    ids, times = run.spikes["hpc_exc"]
    n = run.n_neurons["hpc_exc"]
    threshold = float(run.model["task.index_rate"])
    cells = []
    for phase in run.phases:
        if phase.name.startswith("encode_") and phase.stop_s <= before_s:
            counts = np.bincount(ids[(times >= phase.start_s) & (times < phase.stop_s)], minlength=n)
            cells.append(np.flatnonzero(counts / phase.duration_s >= threshold))
    return cells


def replay_raster(run: Any, ax: Any = None, window_s: float = 5.0) -> Any:
    """Index cells of the HPC during the first ``window_s`` of the last rest, sorted by episode; events shaded."""
    ax = _axes(ax, (6.0, 3.0))
    rests = [p for p in run.phases if p.name.startswith("consolidate_")]
    if not rests:
        ax.text(0.5, 0.5, "no rest phase", ha="center", transform=ax.transAxes)
        return ax
    rest = rests[-1]
    start, stop = rest.start_s, min(rest.stop_s, rest.start_s + window_s)
    ids, times = run.spikes["hpc_exc"]
    keep = (times >= start) & (times < stop)
    row = 0
    for k, cells in enumerate(_index_cells(run, rest.start_s)):
        rows = np.full(run.n_neurons["hpc_exc"], -1)
        rows[cells] = np.arange(cells.size) + row
        sel = keep & np.isin(ids, cells)
        ax.plot(
            times[sel] - start, rows[ids[sel]], "|", ms=2, color=_COLOURS[k % len(_COLOURS)], label=f"episode {k + 1}"
        )
        row += cells.size
    events = run.analysis.get("replay_events")
    if events is not None:
        for event in events[(events["start_s"] >= start) & (events["start_s"] < stop)]:
            colour = _COLOURS[(event["pattern"] - 1) % len(_COLOURS)] if event["pattern"] > 0 else "0.6"
            ax.axvspan(event["start_s"] - start, event["stop_s"] - start, color=colour, alpha=0.2, lw=0)
    ax.set_xlim(0, stop - start)
    ax.set_xlabel(f"time in {phase_name(rest.name)} (s)")
    ax.set_ylabel("HPC index cells, by episode")
    ax.set_title("replay: index bursts during offline rest\n(shaded: detected events)", fontsize=9)
    ax.legend(fontsize=7, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0), markerscale=4)
    return ax


def ctx_weight_course(run: Any, ax: Any = None) -> Any:
    """Mean CTX E->E weight within each episode at the end of every phase where CTX learns, and at the end."""
    ax = _axes(ax)
    ee = run.weights.get("ctx_ee")
    memory = run.analysis["memory_map"] >= 0.5
    labels = [label.decode() if isinstance(label, bytes) else str(label) for label in run.analysis["item_labels"]]
    if ee is None:
        ax.text(0.5, 0.5, "no CTX weights in this run", ha="center", transform=ax.transAxes)
        return ax
    ends = {p.name: p.stop_s for p in run.phases}
    keys = sorted((k for k in ee if k.startswith("w_after_")), key=lambda k: ends[k[len("w_after_") :]])
    times = [ends[k[len("w_after_") :]] for k in keys] + [run.duration_s]
    keys.append("w_final")
    i, j = ee["i"], ee["j"]
    try:
        g_ee = nanosiemens(run.model["ctx.g_ee"])
    except KeyError:
        g_ee = None
    scale = g_ee if g_ee is not None else 1.0
    for k, label in enumerate(labels):
        if not label.startswith("episode"):
            continue
        within = memory[k][i] & memory[k][j]
        course = [scale * ee[key][within].mean() for key in keys]
        ax.plot(times, course, ".-", color=_COLOURS[k % len(_COLOURS)], label=item_name(label))
    outside = ~memory.any(axis=0)
    course = [scale * ee[key][outside[i] & outside[j]].mean() for key in keys]
    ax.plot(times, course, "k:", label="cells in no pattern")
    ax.set_xlabel("time (s)")
    ax.set_ylabel("mean CTX E→E conductance (nS)" if g_ee is not None else "mean CTX E→E weight (x g_ee)")
    ax.set_title("cortical weights within each episode", fontsize=9)
    ax.legend(fontsize=7, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return ax


def semantisation_by_age(run: Any, ax: Any = None) -> Any:
    """Semantisation index (prototype minus instance similarity) of each episode's recall against its age."""
    ax = _axes(ax)
    a = run.analysis
    if not np.isfinite(a["episode_semantisation_lesioned"]).any():
        ax.plot(a["episode_replay_events"], a["episode_recall_lesioned"], "s")
        ax.set_xlabel("replay events of the episode")
        ax.set_ylabel("recall overlap, HPC output lesioned")
        rho = run.scores.get("replay_transfer_correlation", np.nan)
        ax.set_title(f"more replay, more transfer (rank correlation {rho:.2f})", fontsize=9)
        return ax
    for condition, style, words in (("intact", "o-", "intact"), ("lesioned", "s-", "HPC output lesioned")):
        ax.plot(a["episode_age_s"], a[f"episode_semantisation_{condition}"], style, label=words)
    ax.axhline(0, color="k", lw=0.5)
    ax.set_xlabel("episode age at recall (s)")
    ax.set_ylabel("semantisation index")
    ax.set_title("semantisation\n(> 0: recall closer to the prototype than to the episode)", fontsize=9)
    ax.legend(fontsize=7, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return ax


def consolidation_figure(run: Any) -> Any:
    """Ribot curve, replay raster, CTX weights over consolidation, semantisation (or replay against transfer)."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=(11.0, 7.5), layout="constrained")
    axes = figure.subplots(2, 2)
    ribot_curve(run, axes[0, 0])
    replay_raster(run, axes[0, 1])
    ctx_weight_course(run, axes[1, 0])
    semantisation_by_age(run, axes[1, 1])
    title = f"{run.model_name}, seed {run.seed}: systems consolidation (HPC replay into CTX)"
    figure.suptitle(textwrap.fill(title, 110), fontsize=10)
    panel_letters(axes.ravel())
    return figure
