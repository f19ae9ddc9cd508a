"""The standard figure of a task run: item rates over time and a raster sorted by item.

Works for any circuit: it reads only the run file (``/spikes``, ``/protocol`` and the
memory map stored under ``/analysis/memory_map``), so the same figure shows a
distractor task on a pool network and on a ring.
"""

from __future__ import annotations

import textwrap

from typing import Any

import numpy as np

__all__ = ["item_rates_over_time", "item_raster", "task_figure"]

_STIMULUS_PHASES = ("cue", "distractor", "reset")
_BIN_S = 0.05


def _axes(ax: Any, figsize=(6.0, 3.0)) -> Any:
    if ax is not None:
        return ax
    from matplotlib.figure import Figure

    return Figure(figsize=figsize).add_subplot()


def _memory(run: Any):
    from ..analysis.memory import MemoryMap

    try:
        weights = np.asarray(run.analysis["memory_map"], dtype=float)
        labels = [label.decode() if isinstance(label, bytes) else str(label) for label in run.analysis["item_labels"]]
    except KeyError:
        raise ValueError(f"run of {run.model_name!r} has no memory map (/analysis/memory_map): not a task run")
    return MemoryMap(weights=weights, labels=tuple(labels), held_threshold_hz=1.0)


def _shade(ax: Any, run: Any) -> None:
    for phase in run.phases:
        if phase.name.startswith(_STIMULUS_PHASES):
            colour = "#f4d6d6" if phase.name == "reset" else "#fde3c0" if phase.name == "distractor" else "0.88"
            ax.axvspan(phase.start_s, phase.stop_s, color=colour, zorder=0, lw=0)


def item_rates_over_time(run: Any, ax: Any = None, bin_s: float = _BIN_S) -> Any:
    """Weighted rate of every memory item's cells in ``bin_s`` bins; stimuli shaded (cue grey, distractor orange)."""
    from ..analysis.memory import item_rates

    ax = _axes(ax)
    memory = _memory(run)
    edges = np.arange(0.0, run.duration_s + 1e-12, bin_s)
    windows = np.stack([edges[:-1], edges[1:]], axis=1)
    ids, times = run.spikes[memory.population]
    rates = item_rates(ids, times, memory, windows)
    _shade(ax, run)
    for k, label in enumerate(memory.labels):
        ax.plot(windows.mean(axis=1), rates[:, k], lw=1.2, color=f"C{k % 10}", label=label)
    ax.set_xlabel("time (s)")
    ax.set_ylabel("item rate (Hz)")
    ax.set_xlim(0.0, run.duration_s)
    ax.legend(fontsize=7, ncol=min(memory.n_items, 5), frameon=False, loc="upper left")
    return ax


def item_raster(run: Any, ax: Any = None, max_cells_per_item: int = 40) -> Any:
    """Spikes of (up to ``max_cells_per_item``) core cells of each item, items stacked bottom to top."""
    ax = _axes(ax)
    memory = _memory(run)
    ids, times = run.spikes[memory.population]
    row = 0
    for k in range(memory.n_items):
        cells = memory.core_cells(k + 1)[:max_cells_per_item]
        position = np.full(memory.n_cells, -1)
        position[cells] = np.arange(cells.size) + row
        keep = position[ids] >= 0
        ax.scatter(times[keep], position[ids[keep]], s=0.5, color=f"C{k % 10}", lw=0, rasterized=True)
        row += cells.size
    _shade(ax, run)
    ax.set_xlim(0.0, run.duration_s)
    ax.set_ylim(0, row)
    ax.set_ylabel("cells by item")
    ax.tick_params(labelbottom=False)  # the rates panel below carries the time axis
    return ax


_UNITS = {"_hz": " Hz", "_deg": "°", "_s": " s"}


def _score_text(key: str, value: float) -> str:
    """``completion_rate_after_hz`` 6.94 -> ``completion rate after 6.94 Hz``."""
    for suffix, unit in _UNITS.items():
        if key.endswith(suffix):
            return f"{key[: -len(suffix)].replace('_', ' ')} {value:.3g}{unit}"
    return f"{key.replace('_', ' ')} {value:.3g}"


def task_figure(run: Any) -> Any:
    """Raster by item above item rates, titled with the model, task, seed and outcome scores."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=(7.0, 5.0), layout="constrained")
    top, bottom = figure.subplots(2, 1, sharex=True, height_ratios=[1, 1.2])
    item_raster(run, ax=top)
    item_rates_over_time(run, ax=bottom)
    from .. import registry

    headline = registry.get("task", run.task).headline if run.task in registry.names("task") else ()
    summary = ", ".join(_score_text(key, run.scores[key]) for key in headline if key in run.scores)
    title = textwrap.fill(f"{run.model_name}, task {run.task}, seed {run.seed}: {summary}", width=100)
    top.set_title(title, fontsize=9)
    return figure
