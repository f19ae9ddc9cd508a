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

    drives, step = _drive_axis(rows)
    seeds = sorted({row["seed"] for row in rows})
    figure, (top, bottom) = plt.subplots(
        2, 1, figsize=(7.5, 5.5), sharex=True, gridspec_kw={"height_ratios": [2, 1]}, constrained_layout=True
    )
    for seed in seeds:
        mine = [row for row in rows if row["seed"] == seed]
        x = [row["drive_mv"] for row in mine]
        y = [row["delay_rate_cued_hz"] for row in mine]
        top.plot(x, y, "-", color="0.5", lw=0.8)
        for row in mine:
            top.plot(row["drive_mv"], row["delay_rate_cued_hz"], "o", ms=4, color=REGIME_COLOURS[row["regime"]])
    _regime_strip(bottom, rows, step)
    _published_drives(top, label=True)
    _published_drives(bottom, label=False)
    for name, drive in (used_mv or {}).items():
        top.axvline(drive, color=REGIME_COLOURS[name], ls=":", lw=1.5)
    top.set_ylabel("cued memory, delay rate (Hz)")
    top.set_title("Mongillo et al. (2008) network: the cued memory in a 3 s delay", fontsize=10)
    bottom.set_xlim(drives[0] - step, drives[-1] + step)
    bottom.set_xlabel("external drive to E cells, mu_exc (mV)")
    handles, labels = _legend_entries()
    if used_mv:
        handles.append(plt.Line2D([], [], color="k", ls=":"))
        labels.append("drive of this validation")
    top.legend(handles, labels, fontsize=7, loc="upper left", frameon=False)
    return figure


def variants_figure(variants: Sequence[tuple[str, Sequence[dict]]]) -> Any:
    """The regime of every run for several model variants, one panel each, on one drive axis.

    ``variants``: (label, rows of :func:`snnmem.validation.mongillo2008.regime_rows`) per
    variant, drawn top to bottom (rows: seeds; crosses: uncued memories active; dashed
    lines: the published drives of the three regimes).
    """
    import matplotlib.pyplot as plt

    if not variants:
        raise ValueError("variants_figure needs at least one variant")
    drives, step = _drive_axis([row for _, rows in variants for row in rows])
    heights = [len({row["seed"] for row in rows}) + 1.5 for _, rows in variants]
    figure, axes = plt.subplots(
        len(variants),
        1,
        figsize=(7.5, 0.28 * sum(heights) + 1.2),
        sharex=True,
        squeeze=False,
        gridspec_kw={"height_ratios": heights},
        constrained_layout=True,
    )
    for axis, (label, rows) in zip(axes[:, 0], variants):
        _regime_strip(axis, rows, step)
        _published_drives(axis, label=axis is axes[0, 0])
        axis.set_title(label, fontsize=8, loc="left", pad=12 if axis is axes[0, 0] else 4)
    axes[-1, 0].set_xlim(drives[0] - step, drives[-1] + step)
    axes[-1, 0].set_xlabel("external drive to E cells, mu_exc (mV)")
    handles, labels = _legend_entries()
    figure.legend(handles, labels, fontsize=7, loc="outside lower center", ncol=4, frameon=False)
    return figure


def _drive_axis(rows: Sequence[dict]) -> tuple[np.ndarray, float]:
    """The sorted distinct drives (mV) of ``rows`` and the width of one cell (the finest drive step)."""
    drives = np.array(sorted({row["drive_mv"] for row in rows}))
    return drives, float(np.min(np.diff(drives))) if drives.size > 1 else 0.2


def _regime_strip(axis: Any, rows: Sequence[dict], step: float) -> None:
    """One coloured cell per run (drive × seed), a cross where uncued memories are active."""
    import matplotlib.pyplot as plt

    seeds = sorted({row["seed"] for row in rows})
    for k, seed in enumerate(seeds):
        for row in (row for row in rows if row["seed"] == seed):
            colour = REGIME_COLOURS[row["regime"]]
            axis.add_patch(plt.Rectangle((row["drive_mv"] - step / 2, k - 0.45), step, 0.9, color=colour))
            if row["uncued_active"]:
                axis.plot(row["drive_mv"], k, "x", color="k", ms=5)
    axis.set_yticks(range(len(seeds)), [f"seed {seed}" for seed in seeds], fontsize=7)
    axis.set_ylim(-0.6, len(seeds) - 0.4)


def _published_drives(axis: Any, label: bool) -> None:
    """Dashed lines at the published drives (their values written above the axis when ``label``)."""
    for name, drive in PUBLISHED_DRIVES_MV.items():
        axis.axvline(drive, color=REGIME_COLOURS[name], ls="--", lw=1.2)
        if label:
            axis.text(drive, 1.01, f"{drive:g}", transform=axis.get_xaxis_transform(), ha="center", fontsize=7)


def _legend_entries() -> tuple[list[Any], list[str]]:
    """Legend handles and labels: the regimes, the uncued-memory cross and the published drives."""
    import matplotlib.pyplot as plt

    handles = [plt.Rectangle((0, 0), 1, 1, color=colour) for colour in REGIME_COLOURS.values()]
    labels = [label if label != "taken over" else "taken over by an uncued memory" for label in REGIME_COLOURS]
    handles += [plt.Line2D([], [], color="k", marker="x", ls=""), plt.Line2D([], [], color="k", ls="--")]
    labels += ["uncued memories active", "published drive"]
    return handles, labels
