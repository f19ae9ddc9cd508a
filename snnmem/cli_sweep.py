"""The ``snnmem sweep`` sub-command (argparse); it only calls :func:`snnmem.sweeps.sweep`."""
from __future__ import annotations

import argparse
import sys

__all__ = ["add_sweep_parser"]

USAGE_NOTE = """\
MODEL is a model file (models/compte2000.toml) or a sweep file (a TOML file with a
[sweep] table naming the model, grid, seeds and cluster); flags replace the sweep
file's settings. Grid values: KEY=V1,V2,... or KEY=START:STOP:N (N values, both
ends included, units allowed: conductances.g_ee_nmda=0.3nS:0.4nS:5). Seeds: A-B or A,B,C.
"""


def _cmd_sweep(args: argparse.Namespace) -> int:
    from .config import parse_override
    from .sweeps import sweep

    overrides = dict(parse_override(item) for item in args.set)
    result = sweep(
        args.model, grid=args.grid or None, seeds=args.seeds, overrides=overrides or None, out=args.out,
        cluster=args.cluster, workers=args.workers, resume=args.resume, retries=args.retries,
        progress=False if args.no_progress else None,
    )
    print(f"sweep: {result.out}: {result.n_done} done, {result.n_failed} failed of {len(result.points)} points")
    print(f"index: {result.out / 'index.h5'} and {result.out / 'index.csv'}")
    if result.n_failed:
        print("failed points (see the error column of the index):", file=sys.stderr)
        for point in result.points:
            row = result.rows.get(point.index, {})
            if row.get("status") == "failed":
                print(f"  {point.name}: {row.get('error', '')}", file=sys.stderr)
        return 1
    return 0


def add_sweep_parser(subparsers) -> argparse.ArgumentParser:
    """Add ``sweep`` to the ``snnmem`` sub-commands; returns its parser."""
    parser = subparsers.add_parser(
        "sweep", help="run a grid of parameters x seeds on Dask (local or SLURM)", description=USAGE_NOTE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("model", help="model file, or sweep file with a [sweep] table")
    parser.add_argument("--grid", action="append", default=[], metavar="KEY=V1,V2,...|KEY=START:STOP:N",
                        help="a swept parameter (repeatable)")
    parser.add_argument("--seeds", help="seeds: A-B (inclusive) or A,B,C (default 0)")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                        help="fixed override for every point (repeatable)")
    parser.add_argument("--out", help="sweep folder: run files, index.h5, index.csv")
    parser.add_argument("--cluster", help="local (default), slurm, or a Dask scheduler address")
    parser.add_argument("--workers", type=int, help="number of Dask workers (default 2)")
    parser.add_argument("--resume", action="store_true", help="skip points whose run file is complete")
    parser.add_argument("--retries", type=int, help="reruns of a point whose worker died (default 3)")
    parser.add_argument("--no-progress", action="store_true", help="log lines instead of a progress bar")
    parser.set_defaults(func=_cmd_sweep)
    return parser
