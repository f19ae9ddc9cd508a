"""Capacity of the STDP assembly model: recall specificity against the number of assemblies K.

A sweep (Dask, local cluster by default; ``--cluster slurm`` for a cluster) of
``network.n_assemblies`` over ``--k`` (default 5, 10, 20, 40) and ``--seeds`` seeds
of ``models/assemblies.toml``; every point trains K assemblies (3 presentations
each) and cues 5 of them. Writes the run files and index to ``--out``, the figure
``analysis/figures/assemblies_capacity.png`` (recall specificity, completion at f = 0.5
and the within/between weight ratio against K, mean +- SEM over seeds) and prints
the table. ``--resume`` skips finished points.

Usage: ``python analysis/assemblies_capacity.py [--k 5 10 20 40] [--seeds 1-2] [--out runs/capacity]``
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

import snnmem
from snnmem.plot import save_figure
from snnmem.plot.sweep import sweep_line, sweep_summary

ROOT = Path(__file__).resolve().parents[1]
SCORES = ("recall_specificity", "completion_f0p5", "largest_other_f0p5", "weight_ratio_after_training")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--k", type=int, nargs="+", default=[5, 10, 20, 40])
    parser.add_argument("--seeds", default="1-2")
    parser.add_argument("--out", default=str(ROOT / "runs" / "capacity"))
    parser.add_argument("--cluster", default="local")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--resume", action="store_true")
    args = parser.parse_args()
    snnmem.sweep(
        ROOT / "models" / "assemblies.toml",
        grid={"network.n_assemblies": args.k},
        seeds=args.seeds,
        out=args.out,
        cluster=args.cluster,
        workers=args.workers,
        resume=args.resume,
    )
    from matplotlib.figure import Figure

    figure = Figure(figsize=(10.0, 3.0), layout="constrained")
    axes = figure.subplots(1, 3)
    print("K " + " ".join(f"{s:>28}" for s in SCORES))
    summaries = {score: sweep_summary(args.out, score) for score in SCORES}
    for n, k in enumerate(summaries[SCORES[0]]["values"][0]):
        row = [f"{summaries[s]['mean'].ravel()[n]:8.3f} +- {summaries[s]['sem'].ravel()[n]:.3f}" for s in SCORES]
        print(f"{int(k):<3d}" + " ".join(f"{r:>28}" for r in row))
    for ax, score in zip(axes, ("recall_specificity", "completion_f0p5", "weight_ratio_after_training")):
        sweep_line(summaries[score], ax=ax)
        ax.set_xlabel("number of assemblies K")
        ax.set_ylabel(score.replace("_", " "))
        ax.set_xscale("log", base=2)
        ax.set_xticks(args.k, [str(k) for k in args.k])
    axes[0].axhline(0.3, color="0.5", ls=":", lw=1)
    out = save_figure(figure, ROOT / "analysis" / "figures" / "assemblies_capacity.png")
    print(f"{out.relative_to(ROOT)}")
    np.set_printoptions(precision=3)


if __name__ == "__main__":
    main()
