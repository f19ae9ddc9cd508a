"""The regime diagram of the STP working-memory network: the cued memory's behaviour against external drive."""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

#: colour of each regime of :data:`snnmem.validation.mongillo2008.REGIMES`
REGIME_COLOURS = {
    "decaying": "#9ecae1",
    "intermediate": "#d9d9d9",
    "population spikes": "#fd8d3c",
    "persistent asynchronous": "#31a354",
    "taken over": "#9e9ac8",
}

#: the drives (mV) of Mongillo et al. (2008)'s three regimes, as quoted by issue 7
PUBLISHED_DRIVES_MV = {"decaying": 22.8, "population spikes": 23.7, "persistent asynchronous": 24.0}


def regime_figure(rows: Sequence[dict], used_mv: dict[str, float] | None = None) -> Any:
    """Two panels from :func:`snnmem.validation.mongillo2008.regime_rows`.

    Top: the cued memory's delay rate against drive, one line per seed (filled markers:
    periodic population spikes). Bottom: the regime of every run (rows: seeds; crosses:
    uncued memories active). Dashed lines: the published drives of the three regimes;
    ``used_mv``: the drives this model's validation uses for them (dotted).
    """
    import matplotlib.pyplot as plt

    drives = np.array(sorted({row["drive_mv"] for row in rows}))
    seeds = sorted({row["seed"] for row in rows})
    figure, (top, bottom) = plt.subplots(
        2, 1, figsize=(7.5, 5.5), sharex=True, gridspec_kw={"height_ratios": [2, 1]}, constrained_layout=True
    )
    step = float(np.min(np.diff(drives))) if drives.size > 1 else 0.2
    for seed in seeds:
        mine = [row for row in rows if row["seed"] == seed]
        x = [row["drive_mv"] for row in mine]
        y = [row["delay_rate_cued_hz"] for row in mine]
        top.plot(x, y, "-", color="0.5", lw=0.8)
        for row in mine:
            top.plot(row["drive_mv"], row["delay_rate_cued_hz"], "o", ms=4, color=REGIME_COLOURS[row["regime"]])
    for k, seed in enumerate(seeds):
        for row in (row for row in rows if row["seed"] == seed):
            colour = REGIME_COLOURS[row["regime"]]
            bottom.add_patch(plt.Rectangle((row["drive_mv"] - step / 2, k - 0.45), step, 0.9, color=colour))
            if row["uncued_active"]:
                bottom.plot(row["drive_mv"], k, "x", color="k", ms=5)
    for name, drive in PUBLISHED_DRIVES_MV.items():
        for axis in (top, bottom):
            axis.axvline(drive, color=REGIME_COLOURS[name], ls="--", lw=1.2)
        top.text(drive, 1.01, f"{drive:g}", transform=top.get_xaxis_transform(), ha="center", fontsize=7)
    for name, drive in (used_mv or {}).items():
        top.axvline(drive, color=REGIME_COLOURS[name], ls=":", lw=1.5)
    top.set_ylabel("cued memory, delay rate (Hz)")
    top.set_title("Mongillo et al. (2008) network: the cued memory in a 3 s delay", fontsize=10)
    bottom.set_yticks(range(len(seeds)), [f"seed {seed}" for seed in seeds])
    bottom.set_ylim(-0.6, len(seeds) - 0.4)
    bottom.set_xlim(drives[0] - step, drives[-1] + step)
    bottom.set_xlabel("external drive to E cells, mu_exc (mV)")
    handles = [plt.Rectangle((0, 0), 1, 1, color=colour) for colour in REGIME_COLOURS.values()]
    labels = list(REGIME_COLOURS)
    handles += [plt.Line2D([], [], color="k", marker="x", ls=""), plt.Line2D([], [], color="k", ls="--")]
    labels = [label if label != "taken over" else "taken over by an uncued memory" for label in labels]
    labels += ["uncued memories active", "published drive"]
    if used_mv:
        handles.append(plt.Line2D([], [], color="k", ls=":"))
        labels.append("drive of this validation")
    top.legend(handles, labels, fontsize=7, loc="upper left", frameon=False)
    return figure
