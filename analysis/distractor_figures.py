"""Distractor resistance of the Brunel–Wang network and the Compte ring (issue 12), from the validation JSON.

Reads ``docs/validation/brunel_wang2001.json`` (``snnmem validate brunel_wang2001 --json ...``)
and ``docs/validation/compte2000_distractor.json`` (``snnmem validate compte2000_distractor
--json ...``) and draws, for each network, the outcome of the distractor task against
the distractor's strength (fraction of seeds: first item kept, memory switched, other)
and the delay-2 rates of the cued and the distractor item, seed by seed, with the
switch thresholds and, for Brunel–Wang, the mean-field lower bound.
Writes ``analysis/figures/distractor_resistance.png`` (and ``.pdf``).

Usage: ``python analysis/distractor_figures.py``
"""

from __future__ import annotations

import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import numpy as np  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from snnmem.plot import save_figure  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
VALIDATION = ROOT / "docs" / "validation"
FIGURES = ROOT / "analysis" / "figures"
OUTCOMES = {
    1.0: ("first item kept", "C0"),
    2.0: ("switched to distractor", "C3"),
    3.0: ("both held", "C2"),
    0.0: ("none held", "0.5"),
}


def outcome_panel(ax, runs, thresholds, title, xlabel, bound=None):
    strengths = sorted({r["strength"] for r in runs})
    for code, (label, colour) in OUTCOMES.items():
        fraction = [np.mean([r["outcome"] == code for r in runs if r["strength"] == s]) for s in strengths]
        if any(fraction):
            ax.plot(strengths, fraction, "o-", color=colour, label=label, ms=4)
    for seed, t in thresholds.items():
        if t["threshold"] is not None and np.isfinite(t["threshold"] or np.nan):
            ax.axvline(t["threshold"], color="0.6", lw=0.8, ls=":")
    if bound is not None:
        ax.axvline(bound, color="k", lw=1.0, ls="--", label=f"mean field, long distractor ({bound:.3g})")
    ax.set_ylim(-0.05, 1.05)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("fraction of seeds")
    ax.set_title(title, fontsize=9)
    ax.legend(fontsize=7, frameon=False)


def rate_panel(ax, runs, key_a, key_b, label_a, label_b, xlabel, threshold_hz=10.0):
    seeds = sorted({r["seed"] for r in runs})
    markers = "osd^v"
    for n, seed in enumerate(seeds):
        rows = sorted((r for r in runs if r["seed"] == seed), key=lambda r: r["strength"])
        x = [r["strength"] for r in rows]
        ax.plot(
            x,
            [r[key_a] for r in rows],
            marker=markers[n % 5],
            color="C0",
            lw=0.8,
            ms=4,
            label=f"{label_a}" if n == 0 else None,
        )
        ax.plot(
            x,
            [r[key_b] for r in rows],
            marker=markers[n % 5],
            color="C3",
            lw=0.8,
            ms=4,
            label=f"{label_b}" if n == 0 else None,
        )
    ax.axhline(threshold_hz, color="0.5", lw=0.8, ls=":")
    ax.set_xlabel(xlabel)
    ax.set_ylabel("rate in delay 2 (Hz)")
    ax.legend(fontsize=7, frameon=False, title=f"seeds {', '.join(map(str, seeds))} (markers)", title_fontsize=7)


def main() -> None:
    bw = json.loads((VALIDATION / "brunel_wang2001.json").read_text())["values"]["distractor"]
    ring = json.loads((VALIDATION / "compte2000_distractor.json").read_text())["values"]
    figure = Figure(figsize=(9.0, 6.5), layout="constrained")
    axes = figure.subplots(2, 2)
    outcome_panel(
        axes[0, 0],
        bw["runs"],
        bw["thresholds"],
        "A  Brunel–Wang 800/200: item 1 cued, item 2 distractor",
        "distractor strength (x cue rate, 2 kHz)",
        bound=bw["mean_field_threshold"],
    )
    rate_panel(
        axes[1, 0],
        bw["runs"],
        "rate_item1_hz",
        "rate_item2_hz",
        "cued item 1",
        "distractor item 2",
        "distractor strength (x cue rate, 2 kHz)",
    )
    outcome_panel(
        axes[0, 1],
        ring["runs"],
        ring["thresholds"],
        "B  Compte ring 2048/512: cue 180°, distractor 0°",
        "distractor strength (x cue, 200 pA)",
    )
    rate_panel(
        axes[1, 1],
        ring["runs"],
        "rate_180deg_hz",
        "rate_0deg_hz",
        "cued 180°",
        "distractor 0°",
        "distractor strength (x cue, 200 pA)",
    )
    for ext in ("png", "pdf"):
        save_figure(figure, FIGURES / f"distractor_resistance.{ext}")
    print(f"wrote {FIGURES / 'distractor_resistance.png'}")


if __name__ == "__main__":
    main()
