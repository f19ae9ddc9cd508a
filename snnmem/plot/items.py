"""Working-memory figures: pool rates over time (item attractors) and the STP model's rates with u and x.

Every panel takes ``ax=None`` and returns the Axes; it reads only the run file's
contents (``/rates``, ``/analysis``, ``/protocol``, ``/spikes``).
"""

from __future__ import annotations

import textwrap
from typing import Any

import numpy as np

from ._words import item_name, panel_letters
from .tasks import name_phases

__all__ = ["pool_rates", "pool_raster", "stp_traces", "item_figure", "stp_figure"]

_STIMULI = ("cue", "cue1", "cue2", "readout", "reset")
_STIMULUS_COLOURS = {"reset": "#f4d6d6", "readout": "#d6e4f4"}


def _axes(ax: Any, figsize=(6.0, 3.0)) -> Any:
    if ax is not None:
        return ax
    from matplotlib.figure import Figure

    return Figure(figsize=figsize).add_subplot()


def _shade_stimuli(ax: Any, run: Any) -> None:
    for phase in run.phases:
        if phase.name in _STIMULI:
            ax.axvspan(phase.start_s, phase.stop_s, color=_STIMULUS_COLOURS.get(phase.name, "0.88"), zorder=0, lw=0)


def _group_labels(attrs: dict, n_columns: int) -> list[str]:
    groups = attrs.get("groups", "")
    labels = groups.split(",") if isinstance(groups, str) and "," in groups else []
    labels = [item_name(label.strip()) for label in labels]
    return labels if len(labels) == n_columns else [f"group {k + 1}" for k in range(n_columns)]


def _time_axis(values: np.ndarray, attrs: dict) -> np.ndarray:
    bin_s = float(attrs["bin_s"])
    return float(attrs.get("t_start_s", 0.0)) + (np.arange(values.shape[0]) + 0.5) * bin_s


def _smooth(values: np.ndarray, n: int) -> np.ndarray:
    if n <= 1:
        return values
    kernel = np.ones(n) / n
    return np.apply_along_axis(lambda column: np.convolve(column, kernel, mode="same"), 0, values)


def pool_rates(run: Any, ax: Any = None, smooth_bins: int = 5, include_inh: bool = True) -> Any:
    """Rate of every E group (``/rates/exc`` columns) and of the I cells over time; stimuli shaded."""
    ax = _axes(ax)
    values, attrs = run.rates["exc"]
    values = np.atleast_2d(np.asarray(values, dtype=float).T).T
    time = _time_axis(values, attrs)
    labels = _group_labels(attrs, values.shape[1])
    _shade_stimuli(ax, run)
    smoothed = _smooth(values, smooth_bins)
    colours = [f"C{k}" for k in range(values.shape[1] - 1)] + ["0.5"]
    for column, label, colour in zip(smoothed.T, labels, colours):
        ax.plot(time, column, lw=1.0, color=colour, label=label)
    if include_inh and "inh" in run.rates:
        inh, inh_attrs = run.rates["inh"]
        inh = np.asarray(inh, dtype=float)
        ax.plot(
            _time_axis(inh, inh_attrs),
            _smooth(inh[:, None], smooth_bins)[:, 0],
            lw=0.8,
            ls="--",
            color="k",
            label="inhibitory cells",
        )
    ax.set(xlabel="time (s)", ylabel="mean rate (Hz)", xlim=(0, run.duration_s))
    ax.legend(fontsize=7, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0), handlelength=1.5)
    return ax


def pool_raster(run: Any, ax: Any = None, max_spikes: int = 200_000) -> Any:
    """Excitatory spikes by neuron index (pools/memories are contiguous blocks); stimuli shaded."""
    ax = _axes(ax)
    ids, times = run.spikes["exc"]
    if len(ids) > max_spikes:
        keep = np.linspace(0, len(ids) - 1, max_spikes).astype(int)
        ids, times = ids[keep], times[keep]
    _shade_stimuli(ax, run)
    ax.plot(times, ids, ".", ms=0.6, mew=0, color="k", rasterized=True)
    ax.set(ylabel="excitatory cell", xlim=(0, run.duration_s), ylim=(0, run.n_neurons["exc"]))
    return ax


def stp_traces(run: Any, ax: Any = None, memories: Any = None) -> Any:
    """Mean u (solid) and x (dashed) of each memory's synapses (``/analysis/u_mean``, ``x_mean``)."""
    ax = _axes(ax)
    time = np.asarray(run.analysis["trace_time_s"])
    u, x = np.asarray(run.analysis["u_mean"]), np.asarray(run.analysis["x_mean"])
    columns = range(u.shape[1]) if memories is None else memories
    _shade_stimuli(ax, run)
    for k in columns:
        which = "cued" if k == 0 else "uncued"
        ax.plot(time, u[:, k], color=f"C{k}", lw=1.2, label=f"u, memory {k + 1} ({which})")
        ax.plot(time, x[:, k], color=f"C{k}", lw=0.8, ls="--", label=f"x, memory {k + 1} ({which})")
    ax.set(xlabel="time (s)", ylabel="release prob. u,\nresources x", ylim=(0, 1.02), xlim=(0, run.duration_s))
    ax.legend(fontsize=7, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0), handlelength=1.5)
    return ax


def item_figure(run: Any) -> Any:
    """Raster and pool rates of an item-attractor run (Brunel & Wang 2001)."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=(7.0, 5.5), layout="constrained")
    axes = figure.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": [1, 1]})
    pool_raster(run, axes[0])
    pool_rates(run, axes[1])
    s = run.scores
    title = f"{run.model_name}, seed {run.seed}"
    if s:
        held = [int(s.get(key, -1)) for key in ("items_held_delay1", "items_held_delay2", "items_held_post_reset")]
        title += "\n" + (
            f"{_items(held[0])} held after the first cue, {_items(held[1])} after the second, "
            f"{_items(held[2])} after the reset"
        )
    _finish(figure, axes, run, title)
    return figure


def _finish(figure: Any, axes: Any, run: Any, title: str) -> None:
    """Stimuli named above the raster, the title above them, the time axis only under the last panel, letters."""
    name_phases(axes[0], run)
    axes[0].set_title(title, fontsize=9, pad=14)
    for ax in axes[:-1]:
        ax.set_xlabel("")
    panel_letters(axes)


def _items(n: int) -> str:
    return "no item" if n == 0 else ("1 item" if n == 1 else f"{n} items")


def stp_figure(run: Any) -> Any:
    """Raster, memory rates and the cued/uncued memories' u and x (Mongillo et al. 2008)."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=(7.0, 7.0), layout="constrained")
    axes = figure.subplots(3, 1, sharex=True, gridspec_kw={"height_ratios": [1, 1, 0.9]})
    pool_raster(run, axes[0])
    pool_rates(run, axes[1], smooth_bins=1)
    u = np.asarray(run.analysis.get("u_mean", np.zeros((1, 1))))
    shown = [0, 1] if u.shape[1] > 1 else [0]
    if "trace_time_s" in run.analysis:
        stp_traces(run, axes[2], memories=shown)
    s = run.scores
    title = f"{run.model_name}, seed {run.seed}"
    if s:
        title += "\n" + textwrap.fill(
            f"cued memory facilitated (u above 1.2 U) for {s.get('cued_u_facilitated_s', np.nan):.2f} s after the "
            f"cue; readout peak: cued memory {s.get('readout_peak_rate_cued_hz', np.nan):.0f} Hz, "
            f"uncued {s.get('readout_peak_rate_uncued_hz', np.nan):.0f} Hz",
            width=72,
        )
    _finish(figure, axes, run, title)
    return figure
