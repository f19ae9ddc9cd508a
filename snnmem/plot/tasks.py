"""The standard figure of a task run: item rates over time and a raster sorted by item.

Works for any circuit: it reads only the run file (``/spikes``, ``/protocol`` and the
memory map stored under ``/analysis/memory_map``), so the same figure shows a
distractor task on a pool network and on a ring.
"""

from __future__ import annotations

import textwrap
from typing import Any

import numpy as np

from ._words import item_name, panel_letters, phase_name, task_name, task_outcome

__all__ = ["item_rates_over_time", "item_raster", "name_phases", "phase_edges", "task_figure"]

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


_COLOURS = {
    "cue": "0.88",
    "distractor": "#fde3c0",
    "reset": "#f4d6d6",
    "random_cue": "#d6e4f4",
    "readout": "#d6e4f4",
}


def _stimulus_colour(name: str) -> str | None:
    """Shade of a stimulus phase (``cue``, ``cue2``, ``distractor``, ``reset``, ``random_cue``, ``readout``) or None."""
    for stem, colour in _COLOURS.items():
        if name == stem or (stem == "cue" and name.startswith("cue") and name[3:].isdigit()):
            return colour
    return None


def _shade(ax: Any, run: Any) -> None:
    for phase in run.phases:
        colour = _stimulus_colour(phase.name)
        if colour is not None:
            ax.axvspan(phase.start_s, phase.stop_s, color=colour, zorder=0, lw=0)


def phase_edges(ax: Any, run: Any) -> None:
    """Where no stimulus is shaded (learning protocols), dotted lines between the phases."""
    if not any(_stimulus_colour(p.name) is not None for p in run.phases):
        for phase in run.phases[1:]:
            ax.axvline(phase.start_s, color="k", lw=0.9, ls=":", zorder=3)


def name_phases(ax: Any, run: Any, fontsize: float = 7.0) -> None:
    """Name the stimuli above ``ax`` (or, where none is shaded, every phase: see :func:`phase_edges`).

    A name that would run into the one before it is left out.
    """
    from matplotlib.transforms import blended_transform_factory

    stimuli = [p for p in run.phases if _stimulus_colour(p.name) is not None]
    phases = stimuli or list(run.phases)
    figure_width_in = ax.figure.get_size_inches()[0] * ax.get_position().width
    seconds_per_char = 0.55 * fontsize / 72.0 * run.duration_s / max(figure_width_in, 1e-9)
    transform = blended_transform_factory(ax.transData, ax.transAxes)
    last_end = -np.inf
    for phase in phases:
        text = phase_name(phase.name)
        centre = (phase.start_s + phase.stop_s) / 2
        half = len(text) * seconds_per_char / 2
        if centre - half < last_end:
            continue
        ax.annotate(
            text,
            xy=(centre, 1.0),
            xycoords=transform,
            xytext=(0.0, 2.0),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=fontsize,
            color="0.3",
        )
        last_end = centre + half


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
        ax.plot(windows.mean(axis=1), rates[:, k], lw=1.2, color=f"C{k % 10}", label=item_name(label))
    ax.set_xlabel("time (s)")
    ax.set_ylabel("rate of each item's cells (Hz)")
    ax.set_xlim(0.0, run.duration_s)
    ax.legend(
        fontsize=7,
        frameon=False,
        loc="upper left",
        bbox_to_anchor=(1.0, 1.0),
        ncol=1 if memory.n_items <= 12 else 2,
        handlelength=1.2,
    )
    return ax


def item_raster(run: Any, ax: Any = None, max_cells_per_item: int = 40) -> Any:
    """Spikes of (up to ``max_cells_per_item``) core cells of each item, items stacked bottom to top."""
    ax = _axes(ax)
    memory = _memory(run)
    ids, times = run.spikes[memory.population]
    row, centres = 0, []
    for k in range(memory.n_items):
        cells = memory.core_cells(k + 1)[:max_cells_per_item]
        position = np.full(memory.n_cells, -1)
        position[cells] = np.arange(cells.size) + row
        keep = position[ids] >= 0
        ax.scatter(times[keep], position[ids[keep]], s=0.5, color=f"C{k % 10}", lw=0, rasterized=True)
        centres.append(row + cells.size / 2)
        row += cells.size
    _shade(ax, run)
    ax.set_xlim(0.0, run.duration_s)
    ax.set_ylim(0, row)
    every = max(1, -(-memory.n_items // 10))  # at most about 10 item names on the axis
    ax.set_yticks(centres[::every], [item_name(label) for label in memory.labels[::every]], fontsize=7)
    ax.tick_params(axis="y", length=0)
    ax.set_ylabel(f"cells of each item (up to {max_cells_per_item})")
    ax.tick_params(labelbottom=False)  # the rates panel below carries the time axis
    return ax


def task_figure(run: Any) -> Any:
    """Raster by item above item rates, stimuli named, titled with the model, task, seed and outcome in words."""
    from matplotlib.figure import Figure

    from .. import registry

    figure = Figure(figsize=(7.5, 5.2), layout="constrained")
    top, bottom = figure.subplots(2, 1, sharex=True, height_ratios=[1, 1.2])
    item_raster(run, ax=top)
    item_rates_over_time(run, ax=bottom)
    name_phases(top, run)
    for ax in (top, bottom):
        phase_edges(ax, run)
    headline = registry.get("task", run.task).headline if run.task in registry.names("task") else ()
    outcome = task_outcome(run.task, run.scores, headline)
    title = f"{run.model_name}, {task_name(run.task)} task, seed {run.seed}"
    if outcome:
        title += "\n" + textwrap.fill(outcome, width=95)
    top.set_title(title, fontsize=9, pad=14)  # above the stimulus names
    panel_letters((top, bottom))
    return figure
