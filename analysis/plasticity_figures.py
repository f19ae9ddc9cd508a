"""Figures of the plasticity rules and their published checks.

Writes, under ``analysis/figures/`` (PNG and PDF):

* ``stdp_window``        pair-STDP window of the ``bipoo1998`` preset, measured in Brian2
                          (one pair per Δt) on the analytic A·exp(-|Δt|/τ);
* ``sjostrom_frequency`` Δw/w against pairing frequency at Δt = ±10 ms: Sjöström et al.
                          2001 data (mean ± SEM), triplet rule (minimal all-to-all,
                          Pfister & Gerstner 2006) and the best-fitting pair rule;
* ``song_weights``       histogram of w/g_max after the ``song2000`` validation run.

Usage::

    python analysis/plasticity_figures.py [--song-duration 100] [--out analysis/figures]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np


def _save(fig, out: Path, name: str) -> None:
    for ext in ("png", "pdf"):
        fig.savefig(out / f"{name}.{ext}", dpi=150, bbox_inches="tight")


def stdp_window_figure(out: Path) -> None:
    import matplotlib.pyplot as plt

    from snnmem.plasticity import PairSTDP
    from snnmem.validation.bipoo1998 import measure_window

    rule = PairSTDP.preset("bipoo1998")
    deltas = np.concatenate([-np.arange(100, 0, -2), np.arange(2, 101, 2)]).astype(float)
    measured = measure_window(deltas)
    fine = np.linspace(-100, 100, 801)
    fine = fine[fine != 0]
    fig, ax = plt.subplots(figsize=(4.5, 3.2))
    ax.axhline(0, color="0.7", lw=0.8)
    ax.axvline(0, color="0.7", lw=0.8)
    for side in (fine < 0, fine > 0):
        ax.plot(
            fine[side], rule.window(fine[side] * 1e-3), color="k", lw=1, label="A·exp(-|Δt|/τ)" if side[0] else None
        )
    ax.plot(deltas, measured, "o", ms=3, color="C3", label="Brian2 pair rule")
    ax.set_xlabel("Δt = t_post − t_pre (ms)")
    ax.set_ylabel("Δw / w")
    ax.set_title("Pair STDP window (Bi & Poo 1998 fit)")
    ax.legend(frameon=False, fontsize=8)
    _save(fig, out, "stdp_window")
    plt.close(fig)


def sjostrom_figure(out: Path) -> None:
    import matplotlib.pyplot as plt

    from snnmem.validation import sjostrom2001 as sj

    result = sj.run()
    values = result.values
    freqs = np.array(sj.FREQUENCIES_HZ)
    keys = [f"{f:g}" for f in freqs]
    fig, ax = plt.subplots(figsize=(5, 3.5))
    for delta, color in (("+10ms", "C0"), ("-10ms", "C3")):
        mean = np.array([sj.DATA[delta][k][0] for k in keys])
        sem = np.array([sj.DATA[delta][k][1] for k in keys])
        ax.errorbar(freqs, mean, yerr=sem, fmt="o", color=color, capsize=3, label=f"data Δt = {delta[:-2]} ms (±SEM)")
        ax.plot(freqs, [values["triplet"][delta][k] for k in keys], "-", color=color, label=f"triplet {delta[:-2]} ms")
        ax.plot(
            freqs,
            [values["pair"][delta][k] for k in keys],
            "--",
            color=color,
            alpha=0.7,
            label=f"pair (best fit) {delta[:-2]} ms",
        )
    ax.axhline(0, color="0.7", lw=0.8)
    ax.set_xlabel("pairing frequency (Hz)")
    ax.set_ylabel("Δw / w after 60 pairings")
    ax.set_title("Frequency dependence (Sjöström et al. 2001)")
    ax.legend(frameon=False, fontsize=7, ncol=2)
    _save(fig, out, "sjostrom_frequency")
    plt.close(fig)


def song_figure(out: Path, duration_s: float) -> None:
    import matplotlib.pyplot as plt

    from snnmem.validation import song2000

    sim = song2000.simulate(seed=1, duration_s=duration_s)
    density = song2000.decile_densities(sim["w_over_gmax"])
    fig, ax = plt.subplots(figsize=(4.5, 3.2))
    ax.hist(sim["w_over_gmax"], bins=20, range=(0, 1), color="0.3")
    ax.set_xlabel("w / g_max")
    ax.set_ylabel("synapses")
    ax.set_title(f"Song et al. 2000, after {duration_s:g} s (output {sim['rate_hz_last_fifth']:.1f} Hz)", fontsize=9)
    middle = density[1:9].mean()
    ax.text(
        0.5,
        0.95,
        f"extreme/middle decile density: {density[0] / middle:.2f}, {density[9] / middle:.2f}",
        transform=ax.transAxes,
        ha="center",
        va="top",
        fontsize=7,
    )
    _save(fig, out, "song_weights")
    plt.close(fig)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(Path(__file__).parent / "figures"))
    parser.add_argument(
        "--song-duration", type=float, default=100.0, help="biological seconds of the Song et al. run (default 100)"
    )
    parser.add_argument("--skip-song", action="store_true")
    args = parser.parse_args(argv)
    import matplotlib

    matplotlib.use("Agg")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    stdp_window_figure(out)
    sjostrom_figure(out)
    if not args.skip_song:
        song_figure(out, args.song_duration)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
