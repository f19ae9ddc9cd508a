"""Ring-attractor figures: raster by preferred angle, rate heat map, decoded angle."""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["raster_by_angle", "rate_map", "decoded_angle", "bump", "ring_figure"]


def _axes(ax: Any, figsize=(6.0, 3.0)) -> Any:
    if ax is not None:
        return ax
    from matplotlib.figure import Figure

    return Figure(figsize=figsize).add_subplot()


def _shade_phases(ax: Any, run: Any) -> None:
    for phase in run.phases:
        if phase.name == "cue":
            ax.axvspan(phase.start_s, phase.stop_s, color="0.85", zorder=0, lw=0)


def raster_by_angle(run: Any, ax: Any = None, max_spikes: int = 200_000) -> Any:
    """Excitatory spikes, neurons sorted by preferred angle (degrees); cue shaded."""
    ax = _axes(ax)
    ids, times = run.spikes["exc"]
    if len(ids) > max_spikes:  # thin evenly for a readable, light figure
        keep = np.linspace(0, len(ids) - 1, max_spikes).astype(int)
        ids, times = ids[keep], times[keep]
    angle = ids.astype(float) * 360.0 / run.n_neurons["exc"]
    _shade_phases(ax, run)
    ax.plot(times, angle, ".", ms=0.8, mew=0, color="k", rasterized=True)
    ax.set(ylabel="preferred angle (deg)", ylim=(0, 360), yticks=[0, 90, 180, 270, 360], xlim=(0, run.duration_s))
    return ax


def rate_map(run: Any, ax: Any = None, vmax: float | None = None) -> Any:
    """Heat map of excitatory rate over preferred angle and time (from ``/rates/exc``)."""
    ax = _axes(ax)
    rates, attrs = run.rates["exc"]
    bin_s, t0 = float(attrs["bin_s"]), float(attrs.get("t_start_s", 0.0))
    extent = (t0, t0 + rates.shape[0] * bin_s, 0.0, 360.0)
    image = ax.imshow(
        rates.T,
        aspect="auto",
        origin="lower",
        extent=extent,
        cmap="viridis",
        vmin=0,
        vmax=vmax or max(float(np.percentile(rates, 99.5)), 1.0),
        interpolation="nearest",
    )
    ax.figure.colorbar(image, ax=ax, label="rate (Hz)", pad=0.01)
    for phase in run.phases:  # the cue, over the heat map: a light veil and its edges
        if phase.name == "cue":
            ax.axvspan(phase.start_s, phase.stop_s, color="white", alpha=0.25, lw=0, zorder=2)
            for edge in (phase.start_s, phase.stop_s):
                ax.axvline(edge, color="white", lw=0.8, ls="--", zorder=3)
            ax.text(phase.start_s, 355, " cue", color="white", fontsize=7, va="top", zorder=3)
    ax.set(ylabel="preferred angle (deg)", yticks=[0, 90, 180, 270, 360])
    return ax


def decoded_angle(run: Any, ax: Any = None, bin_s: float = 0.05) -> Any:
    """Population-vector estimate of the bump centre over time, with the cue angle."""
    from ..analysis.binning import bin_spikes
    from ..analysis.decoding import population_vector_angle

    ax = _axes(ax)
    n_exc = run.n_neurons["exc"]
    ids, times = run.spikes["exc"]
    counts = bin_spikes(ids, times, n_exc, 0.0, run.duration_s, bin_s)
    angle = np.degrees(population_vector_angle(counts, 2 * np.pi * np.arange(n_exc) / n_exc))
    centres = (np.arange(counts.shape[1]) + 0.5) * bin_s
    _shade_phases(ax, run)
    ax.plot(centres, angle, ".", ms=3, color="C3", label="decoded")
    cue = run.model["protocol.cue_angle_deg"]
    ax.axhline(cue, color="k", lw=0.8, ls="--", label=f"cue {cue:g} deg")
    if "window_centre_deg" in run.analysis:
        starts = run.analysis["window_start_s"]
        width = run.model["protocol.score_window"]
        ax.plot(
            starts + float(width) / 2, run.analysis["window_centre_deg"], "s", color="C0", ms=5, label="scored windows"
        )
    ax.set(ylabel="bump centre (deg)", ylim=(0, 360), yticks=[0, 90, 180, 270, 360], xlabel="time (s)")
    ax.legend(loc="upper right", fontsize=7, frameon=False)
    return ax


def bump(run: Any, ax: Any = None) -> Any:
    """Rate profile of the bump: mean rate by preferred angle over the delay."""
    ax = _axes(ax, figsize=(3.5, 2.5))
    rates, attrs = run.rates["exc"]
    bin_s = float(attrs["bin_s"])
    delay = run.phase("delay")
    rows = slice(int(round(delay.start_s / bin_s)), int(round(delay.stop_s / bin_s)))
    ax.plot(np.asarray(attrs["group_centres_deg"]), rates[rows].mean(axis=0), color="k")
    ax.set(xlabel="preferred angle (deg)", ylabel="delay rate (Hz)", xticks=[0, 90, 180, 270, 360], xlim=(0, 360))
    return ax


def ring_figure(run: Any) -> Any:
    """Raster, rate heat map and decoded angle of one ring run, stacked on a shared time axis."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=(7.0, 7.0), layout="constrained")
    axes = figure.subplots(3, 1, sharex=True, gridspec_kw={"height_ratios": [1.2, 1, 0.8]})
    raster_by_angle(run, axes[0])
    rate_map(run, axes[1])
    decoded_angle(run, axes[2])
    scores = run.scores
    title = f"{run.model_name}, seed {run.seed}"
    if scores:
        held = "bump held through the delay" if scores.get("bump_persisted", 0) >= 1 else "bump lost in the delay"
        title += (
            f": {held}; peak {scores.get('bump_peak_rate_hz', np.nan):.1f} Hz, "
            f"background {scores.get('background_rate_hz', np.nan):.1f} Hz"
        )
    axes[0].set_title(title, fontsize=9)
    for label, ax in zip("ABC", axes):
        ax.text(-0.11, 1.02, label, transform=ax.transAxes, fontweight="bold", va="bottom")
    return figure
