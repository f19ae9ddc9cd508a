"""The ``snnmem sweep`` and ``snnmem bench`` sub-commands (argparse).

They only call :mod:`snnmem.sweeps` and :mod:`snnmem.bench`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

__all__ = ["add_sweep_parser", "add_bench_parser"]

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
        args.model,
        grid=args.grid or None,
        seeds=args.seeds,
        overrides=overrides or None,
        out=args.out,
        cluster=args.cluster,
        workers=args.workers,
        resume=args.resume,
        overwrite=args.overwrite,
        retries=args.retries,
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
        "sweep",
        help="run a grid of parameters x seeds on Dask (local or SLURM)",
        description=USAGE_NOTE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("model", help="model file, or sweep file with a [sweep] table")
    parser.add_argument(
        "--grid",
        action="append",
        default=[],
        metavar="KEY=V1,V2,...|KEY=START:STOP:N",
        help="a swept parameter (repeatable)",
    )
    parser.add_argument("--seeds", help="seeds: A-B (inclusive) or A,B,C (default 0)")
    parser.add_argument(
        "--set", action="append", default=[], metavar="KEY=VALUE", help="fixed override for every point (repeatable)"
    )
    parser.add_argument("--out", help="sweep folder: run files, index.h5, index.csv")
    parser.add_argument("--cluster", help="local (default), slurm, or a Dask scheduler address")
    parser.add_argument("--workers", type=int, help="number of Dask workers (default 2)")
    parser.add_argument("--resume", action="store_true", help="skip points whose run file is complete")
    parser.add_argument(
        "--overwrite", action="store_true", help="start anew in a folder holding a sweep (deletes its index and runs)"
    )
    parser.add_argument("--retries", type=int, help="reruns of a point whose worker died (default 3)")
    parser.add_argument("--no-progress", action="store_true", help="log lines instead of a progress bar")
    parser.set_defaults(func=_cmd_sweep)
    return parser


def _cmd_bench(args: argparse.Namespace) -> int:
    from .bench import bench
    from .config import parse_override

    overrides = dict(parse_override(item) for item in args.set)
    tasks = [t.strip() for t in args.tasks.split(",")] if args.tasks else None
    rows = bench(
        args.models or None,
        tasks=tasks,
        seeds=args.seeds,
        out=args.out,
        overrides=overrides,
        cluster=args.cluster,
        workers=args.workers,
        resume=args.resume,
        progress=True,
        command=_bench_command(args),
    )
    out = Path(args.out)
    print(
        f"bench: {len(rows)} cells ({sum(r.applies for r in rows)} run); table: {out / 'bench.md'}, "
        f"{out / 'bench.csv'}, {out / 'bench.h5'}; figure: {out / 'bench.png'}"
    )
    failed = sum(r.failed for r in rows)
    if failed:
        print(f"bench: {failed} runs failed (see the error column of each cell's index.csv)", file=sys.stderr)
        return 1
    return 0


def _bench_command(args: argparse.Namespace) -> str:
    """The command line of this bench, spelled out (it heads ``bench.md``)."""
    import shlex

    words = [*args.models, *(["--tasks", args.tasks] if args.tasks else []), "--seeds", args.seeds]
    for item in args.set:
        words += ["--set", item]
    words += ["--out", args.out, "--cluster", args.cluster, "--workers", str(args.workers)]
    return "snnmem bench " + " ".join(shlex.quote(word) for word in words)


def add_bench_parser(subparsers) -> argparse.ArgumentParser:
    """Add ``bench`` to the ``snnmem`` sub-commands; returns its parser."""
    parser = subparsers.add_parser(
        "bench",
        help="every model x every memory task that applies x seeds, one table",
        description="Run every model under every memory task that applies to it (the task's default protocol) "
        "on Dask, and write one table (bench.md, bench.csv, bench.h5) and a figure (bench.png).",
    )
    parser.add_argument("models", nargs="*", help="model files (default: every file in the repository's models/)")
    parser.add_argument("--tasks", help="comma-separated task names (default: every registered task)")
    parser.add_argument("--seeds", default="1-3", help="seeds: A-B (inclusive) or A,B,C (default 1-3)")
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="override for every model (repeatable), e.g. smaller networks",
    )
    parser.add_argument("--out", default="bench", help="output folder (default bench/)")
    parser.add_argument("--cluster", default="local", help="local (default), slurm, or a Dask scheduler address")
    parser.add_argument("--workers", type=int, default=2, help="number of Dask workers (default 2)")
    parser.add_argument("--resume", action="store_true", help="keep complete run files of an earlier bench")
    parser.set_defaults(func=_cmd_bench)
    return parser
