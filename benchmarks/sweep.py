"""Sweep throughput and compile-once: writes benchmarks/sweep_report.md.

1. Throughput: a 16-point sweep (4 values of g_ee_nmda x 4 seeds) of a downsized
   ring on a 2-worker LocalCluster, against the same 16 points run one after the
   other in this process. Both with build folders already compiled (compilation
   is measured in part 2), so the ratio is the parallel speed-up of the sweep
   machinery (target >= 1.8x on 2 workers).
2. Compile time per point, 4 points of the same shape (g_ee_nmda values):
   - without compile-once: every point rebuilt in a fresh build folder
     (what a sweep costs when the code depends on the values);
   - rebuild in one folder (``reuse=False``): code generation each point, the
     compiler finds nothing to do (values are run-time arguments);
   - compile-once (``reuse=True``, what sweeps use): the compiled network is rerun
     with new ``run_args``: no code generation, no compiler after the first point.

Usage: ``python benchmarks/sweep.py [--quick]`` (quick: 8 points, shorter runs).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MODEL = ROOT / "models" / "compte2000.toml"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--report", default=str(ROOT / "benchmarks" / "sweep_report.md"))
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="snnmem_bench_sweep_"))
    os.environ["SNNMEM_CACHE_DIR"] = str(work / "cache")
    import snnmem
    from snnmem.config import load_model
    from snnmem.sweeps import read_index

    base = {
        "network.n_exc": 512,
        "network.n_inh": 128,
        "protocol.baseline_duration": "250 ms",
        "protocol.delay_duration": "1.5 s" if args.quick else "3 s",
        "simulation.dt": "0.1 ms",
    }
    values = ["0.37 nS", "0.375 nS", "0.381 nS", "0.39 nS"]
    seeds = [0, 1] if args.quick else [0, 1, 2, 3]
    grid = {"conductances.g_ee_nmda": values}
    points = [(v, s) for v in values for s in seeds]
    lines = []

    # ---- part 2 first: compile time per point (also warms the build folders)
    def timed(run_one, which=values):
        rows = []
        for value in which:
            t = time.perf_counter()
            run = run_one(load_model(MODEL, dict(base, **{"conductances.g_ee_nmda": value})))
            rows.append(
                (
                    value,
                    run.provenance.get("wall_build_s", 0.0),
                    run.provenance.get("compiled"),
                    run.provenance.get("wall_run_s"),
                    time.perf_counter() - t,
                )
            )
        return rows

    fresh = iter(range(100))
    without = timed(
        lambda m: snnmem.simulate(m, seed=0, reuse=False, build_dir=work / f"fresh{next(fresh)}"), values[:2]
    )  # a full compilation each: two points show it
    snnmem.simulation.release_compiled()
    rebuild = timed(lambda m: snnmem.simulate(m, seed=0, reuse=False))
    once = timed(lambda m: snnmem.simulate(m, seed=0, reuse=True))
    snnmem.simulation.release_compiled()

    # ---- part 1: throughput (build folders warm: serial here, the workers' under work/cache/workers)
    t = time.perf_counter()
    for value, seed in points:
        snnmem.simulate(load_model(MODEL, dict(base, **{"conductances.g_ee_nmda": value})), seed=seed)
    serial = time.perf_counter() - t
    snnmem.simulation.release_compiled()
    warm = snnmem.sweep(
        MODEL, grid=grid, seeds=seeds[:1], overrides=base, out=work / "warmup", workers=2, progress=False
    )  # compiles (once) for the workers' cache folders
    assert warm.n_failed == 0
    t = time.perf_counter()
    result = snnmem.sweep(MODEL, grid=grid, seeds=seeds, overrides=base, out=work / "sweep", workers=2, progress=False)
    parallel = time.perf_counter() - t
    table = read_index(work / "sweep")
    assert result.n_done == len(points), list(table["error"])
    run_times = [float(x) for x in table["wall_s"]]

    n = len(points)
    speedup = serial / parallel
    lines += [
        "# Sweep benchmark",
        "",
        f"Measured {time.strftime('%Y-%m-%d %H:%M')} on {platform.node()} ({os.cpu_count()} cores, shared with "
        f"other users: noisy), Python {platform.python_version()}, `python benchmarks/sweep.py"
        f"{' --quick' if args.quick else ''}`.",
        f"Model: compte2000 downsized to {base['network.n_exc']} E / {base['network.n_inh']} I, dt 0.1 ms, "
        f"{base['protocol.delay_duration']} delay; grid g_ee_nmda = {', '.join(values)}; seeds {seeds}.",
        "",
        "## Throughput",
        "",
        "| | points | wall time | points per minute |",
        "|---|---|---|---|",
        f"| serial, one process (compile-once, warm build) | {n} | {serial:.1f} s | {60 * n / serial:.1f} |",
        f"| `snnmem.sweep`, LocalCluster 2 workers (warm build folders) | {n} | {parallel:.1f} s | "
        f"{60 * n / parallel:.1f} |",
        "",
        f"**Speed-up: {speedup:.2f}x** (target >= 1.8x). Median point on a worker: "
        f"{statistics.median(run_times):.2f} s (simulation + run file). "
        f"Points that ran the compiler in the sweep: {int((table['compiled'] == 1).sum())} of {n}.",
        "",
        "## Compile time per point (same shape, values of g_ee_nmda, seed 0)",
        "",
        "build_s is code generation + compilation; compiled = the C++ compiler ran (binary changed).",
        "",
        "| mode | per point: build_s (compiled) | build total | wall total |",
        "|---|---|---|---|",
    ]
    for label, rows in (
        ("without compile-once: fresh build folder per point", without),
        ("rebuild in one folder (`reuse=False`): values are run-time args", rebuild),
        ("compile-once (`reuse=True`, used by sweeps)", once),
    ):
        cells = ", ".join(f"{b:.1f} s ({c})" for _, b, c, _, _ in rows)
        lines.append(f"| {label} | {cells} | {sum(r[1] for r in rows):.1f} s | {sum(r[4] for r in rows):.1f} s |")
    after_first = [r for r in once[1:]]
    lines += [
        "",
        f"Compile-once: build time after the first point "
        f"{max(r[1] for r in after_first):.2f} s, compiler runs after the first point: "
        f"{sum(int(r[2]) for r in after_first)} (target: none).",
        "",
    ]
    Path(args.report).write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
