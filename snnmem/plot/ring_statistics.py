"""Figure of the ring's statistics over seeds: the bump's course in every seed and the diffusion of its centre."""

from __future__ import annotations

from typing import Any

import numpy as np

from ._words import panel_letters

__all__ = ["ring_statistics_figure"]


def ring_statistics_figure(values: dict) -> Any:
    """Three panels from the ``values`` of ``snnmem validate compte2000``.

    Returns
    -------
    matplotlib.figure.Figure
        Panel A: every seed's scoring windows, held or failed (collapse and dips
        marked); panel B: the decoded bump centre over the delay, relative to its
        first bin, every persisting seed; panel C: mean squared displacement against
        lag, every persisting seed and pooled, with the fit ``c + 2 D lag`` and D's
        95 % interval.
    """
    from matplotlib.colors import ListedColormap
    from matplotlib.figure import Figure

    from ..analysis.ring import bump_held

    seeds = values["seeds"]
    figure = Figure(figsize=(13, 4.2), layout="constrained")
    course_ax, track_ax, msd_ax = figure.subplots(1, 3, gridspec_kw={"width_ratios": [0.8, 1.1, 1.1]})

    held = np.array([bump_held(s["window_peak_rate_hz"], s["window_background_rate_hz"]) for s in seeds], dtype=float)
    course_ax.imshow(held, aspect="auto", cmap=ListedColormap(["#d62728", "#2ca02c"]), vmin=0, vmax=1)
    course_ax.set_yticks(range(len(seeds)), [str(s["seed"]) for s in seeds], fontsize=6)
    course_ax.set_xticks(range(held.shape[1]), [f"{k + 1}" for k in range(held.shape[1])])
    course_ax.set_xlabel("scoring window of the delay (0.5 s each)")
    course_ax.set_ylabel("seed")
    for row, seed in enumerate(seeds):
        mark = "collapse" if seed["bump_collapsed"] else ("dip" if seed["bump_dips"] else "")
        if mark:
            course_ax.text(held.shape[1] - 0.45, row, mark, va="center", fontsize=6)
    persistence = values["persistence"]
    course_ax.set_title(
        f"bump held (green) or lost (red): {persistence['rate']:.0%} persist\n"
        f"(95 % interval {persistence['low']:.0%}-{persistence['high']:.0%}, {values['n_seeds']} seeds)",
        fontsize=9,
    )

    bin_s = values["diffusion"]["lags_s"][0] if "diffusion" in values else 0.1
    for seed in seeds:
        if seed["bump_collapsed"]:
            continue
        track = np.asarray(seed["centre_track_deg"], dtype=float)
        relative = (track - track[0] + 180.0) % 360.0 - 180.0
        track_ax.plot(bin_s * np.arange(track.size), relative, lw=0.7, alpha=0.7)
    track_ax.axhline(0, color="k", lw=0.5)
    track_ax.set_xlabel("time in the scored delay (s)")
    track_ax.set_ylabel("bump centre − its first value (deg)")
    track_ax.set_title("decoded bump centre, 100 ms bins, persisting seeds", fontsize=9)

    if "diffusion" in values:
        drift = values["diffusion"]
        lags = np.asarray(drift["lags_s"], dtype=float)
        for seed in seeds:
            if not seed["bump_collapsed"]:
                msd_ax.plot(lags, seed["msd_deg2"], color="0.75", lw=0.7)
        msd_ax.plot(lags, drift["pooled_msd_deg2"], "ko", ms=4, label="pooled over persisting seeds")
        fine = np.linspace(0, lags.max(), 50)
        msd_ax.plot(
            fine,
            drift["offset_deg2"] + 2 * drift["d_deg2_per_s"] * fine,
            "C3-",
            label=f"c + 2 D lag: D = {drift['d_deg2_per_s']:.2g} deg²/s\n"
            f"(95 % interval {drift['d_low']:.2g}-{drift['d_high']:.2g})",
        )
        msd_ax.legend(fontsize=7, loc="upper left")
    msd_ax.set_xlabel("lag (s)")
    msd_ax.set_ylabel("mean squared displacement (deg²)")
    msd_ax.set_title("the bump centre diffuses (grey: one seed each)", fontsize=9)
    panel_letters([course_ax, track_ax, msd_ax])
    return figure
