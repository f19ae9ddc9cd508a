"""Figure of the STDP assembly model: weights before / after training, completion curve, recall raster.

Runs (or re-reads) one seed of ``models/assemblies.toml`` and writes
``analysis/figures/assemblies.png`` plus the run file under ``--runs``. Prints the
scores the figure shows.

Usage: ``python analysis/assemblies_figures.py [--seed 1] [--runs runs/assemblies] [--set KEY=VALUE]...``
"""

from __future__ import annotations

import argparse
from pathlib import Path

import snnmem
from snnmem.config import parse_override
from snnmem.plot import plot_run

ROOT = Path(__file__).resolve().parents[1]
FIGURES = ROOT / "analysis" / "figures"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", default=str(ROOT / "runs" / "assemblies"))
    parser.add_argument("--set", action="append", default=[], help="model override KEY=VALUE")
    args = parser.parse_args()
    overrides = dict(parse_override(text) for text in args.set)
    runs = Path(args.runs)
    runs.mkdir(parents=True, exist_ok=True)
    path = runs / f"assemblies_seed{args.seed}.h5"
    if path.exists() and not overrides:
        run = snnmem.open_run(path)
    else:
        run = snnmem.simulate(snnmem.load_model(ROOT / "models" / "assemblies.toml", overrides), seed=args.seed)
        run.save(path)
    out = FIGURES / "assemblies.png"
    plot_run(run, out)
    shown = {k: round(v, 3) for k, v in sorted(run.scores.items()) if not k.startswith(("rate_", "weight_w"))}
    print(f"{out.relative_to(ROOT)}: {shown}")


if __name__ == "__main__":
    main()
