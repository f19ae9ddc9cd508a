"""Figures of the two working-memory circuits, side by side: persistent spiking vs facilitated synapses.

Runs (or re-reads) one seed of

- ``models/brunel_wang2001.toml``: pool rates over time (cue item 1, cue item 2, reset);
- ``models/mongillo2008.toml`` in the decaying regime (``external.mu_exc`` = 22.8 mV)
  and in the population-spike regime (23.7 mV, 3 s delay): memory rates with the
  mean u and x of the cued and one uncued memory,

and writes ``analysis/figures/{brunel_wang2001,mongillo2008_decaying,mongillo2008_population_spikes}.png``
plus the run files under ``--runs`` (re-used when present). Prints the scores each
figure shows.

Usage: ``python analysis/working_memory_figures.py [--seed 1] [--runs runs/working_memory] [--set KEY=VALUE]...``
(``--set`` applies to the Mongillo runs, e.g. ``--set network.n_exc=8000 --set network.n_inh=2000``).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import snnmem
from snnmem.config import parse_override
from snnmem.plot import plot_run

ROOT = Path(__file__).resolve().parents[1]
FIGURES = ROOT / "analysis" / "figures"

RUNS = {
    "brunel_wang2001": ("brunel_wang2001.toml", {}),
    "mongillo2008_decaying": ("mongillo2008.toml", {"external.mu_exc": "22.8 mV"}),
    "mongillo2008_population_spikes": (
        "mongillo2008.toml",
        {"external.mu_exc": "23.7 mV", "protocol.delay_duration": "3 s"},
    ),
}


def get_run(name: str, seed: int, runs: Path, extra: dict):
    """Run file ``runs/<name>_seed<seed>.h5``, simulated if missing."""
    path = runs / f"{name}_seed{seed}.h5"
    if path.exists():
        return snnmem.open_run(path)
    model_file, overrides = RUNS[name]
    if name.startswith("mongillo"):
        overrides = {**overrides, **extra}
    run = snnmem.simulate(snnmem.load_model(ROOT / "models" / model_file, overrides), seed=seed)
    run.save(path)
    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", default=str(ROOT / "runs" / "working_memory"))
    parser.add_argument("--set", action="append", default=[], help="override for the Mongillo runs")
    args = parser.parse_args()
    runs = Path(args.runs)
    runs.mkdir(parents=True, exist_ok=True)
    extra = dict(parse_override(text) for text in args.set)
    FIGURES.mkdir(parents=True, exist_ok=True)
    for name in RUNS:
        run = get_run(name, args.seed, runs, extra)
        out = FIGURES / f"{name}.png"
        plot_run(run, out)
        shown = {k: round(v, 3) for k, v in sorted(run.scores.items()) if not k.startswith("rate_")}
        print(f"{out.relative_to(ROOT)}: {shown}")


if __name__ == "__main__":
    main()
