"""Is two items at once an attractor of the Brunel & Wang (2001) network? Figure of the probe.

Items 1 and 2 of ``models/brunel_wang2001.toml`` are cued *together* (``protocol.cue1_item
= [1, 2]``), then the network runs a 4 s delay without input
(:func:`snnmem.validation.brunel_wang2001.probe_model`). Runs 800 / 200 cells on seeds
1-3 and 3200 / 800 and 6400 / 1600 on seed 1 (conductances scaled as in the paper),
saves the run files under ``--runs`` (re-used when present) and draws the rates of the
two cued pools, the largest uncued pool and the interneurons through the delay:
``analysis/figures/brunel_wang2001_two_items.png``. Prints, per run, how long both cued
pools stay at or above the 10 Hz hold threshold and how many are held in the last second.

Usage: ``python analysis/brunel_wang_two_items.py [--runs runs/two_items] [--sizes 800 3200 6400]``
"""

from __future__ import annotations

import argparse
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

import snnmem  # noqa: E402
from snnmem.plot import save_figure  # noqa: E402
from snnmem.protocols import phase_window  # noqa: E402
from snnmem.validation.brunel_wang2001 import probe_model, two_item_trace  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
FIGURES = ROOT / "analysis" / "figures"
SMOOTH_S = 0.1


def get_run(n_exc: int, seed: int, runs: Path):
    """Run file ``runs/two_items_<n_exc>_seed<seed>.h5``, simulated if missing."""
    path = runs / f"two_items_{n_exc}_seed{seed}.h5"
    if path.exists():
        return snnmem.open_run(path)
    run = snnmem.simulate(probe_model(n_exc), seed=seed)
    run.save(path)
    return run


def smoothed(values: np.ndarray, bin_s: float) -> np.ndarray:
    """Moving average over ``SMOOTH_S`` along the first axis."""
    width = max(1, int(round(SMOOTH_S / bin_s)))
    kernel = np.ones(width) / width
    return np.apply_along_axis(lambda column: np.convolve(column, kernel, mode="same"), 0, values)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", default=str(ROOT / "runs" / "two_items"))
    parser.add_argument("--sizes", type=int, nargs="+", default=[800, 3200, 6400])
    parser.add_argument("--seeds", type=int, default=3, help="seeds at the first size (larger sizes: seed 1)")
    args = parser.parse_args()
    runs = Path(args.runs)
    runs.mkdir(parents=True, exist_ok=True)
    cases = [(args.sizes[0], seed) for seed in range(1, args.seeds + 1)] + [(n, 1) for n in args.sizes[1:]]
    figure, axes = plt.subplots(len(cases), 1, figsize=(7.5, 1.9 * len(cases)), sharex=True, squeeze=False)
    for axis, (n_exc, seed) in zip(axes[:, 0], cases):
        run = get_run(n_exc, seed, runs)
        model = probe_model(n_exc)
        trace = two_item_trace(model, run.spikes, run.phases)
        exc, attrs = run.rates["exc"]
        inh, _ = run.rates["inh"]
        bin_s = float(attrs["bin_s"])
        time = (np.arange(exc.shape[0]) + 0.5) * bin_s
        exc, inh = smoothed(np.asarray(exc), bin_s), smoothed(np.asarray(inh).reshape(-1, 1), bin_s)[:, 0]
        cue = phase_window(run.phases, "cue1")
        axis.axvspan(*cue, color="0.85", lw=0)
        axis.plot(time, exc[:, 0], color="tab:blue", label="item 1 (cued)")
        axis.plot(time, exc[:, 1], color="tab:orange", label="item 2 (cued)")
        axis.plot(time, exc[:, 2:5].max(axis=1), color="0.5", lw=0.8, label="largest uncued item")
        axis.plot(time, inh, color="tab:red", lw=0.8, label="interneurons")
        axis.axhline(model["protocol.held_threshold_hz"], color="k", ls=":", lw=0.6)
        axis.set_ylim(0, 60)
        axis.set_ylabel("rate (Hz)")
        axis.set_title(
            f"{n_exc} E / {n_exc // 4} I, seed {seed}: both held for {trace['two_item_lifetime_s']:.2f} s "
            f"after the cue; {trace['items_held_last_s']} item(s) held in the last second",
            fontsize=8,
        )
        print(
            f"{n_exc} E seed {seed}: two-item lifetime {trace['two_item_lifetime_s']:.2f} s, last second "
            f"item 1 / item 2 = {trace['last_s_item_rates_hz'][0]:.1f} / {trace['last_s_item_rates_hz'][1]:.1f} Hz"
        )
    axes[0, 0].legend(fontsize=7, ncol=4, loc="upper right")
    axes[-1, 0].set_xlabel("time (s); grey: items 1 and 2 cued together (250 ms)")
    figure.suptitle(
        "Brunel & Wang (2001) network, w+ = 2.1: items 1 and 2 cued together; the pair lasts longer in larger networks",
        fontsize=9,
    )
    figure.tight_layout()
    print(save_figure(figure, FIGURES / "brunel_wang2001_two_items.png").relative_to(ROOT))


if __name__ == "__main__":
    main()
