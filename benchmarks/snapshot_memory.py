"""Peak memory of a plastic run against the number of weight snapshots it streams.

Runs the assemblies model at 400 E / 100 I (32 k plastic E->E synapses) with a 60 s
plastic rest, the same seed, with ``protocol.weight_snapshot_interval`` = 0 (no streamed
snapshot), 1 s (~95) and 0.05 s (~1900 snapshots: 240 MB of float32 E->E weights, twice
that as a Brian2 ``StateMonitor`` holds them in double precision). Each variant runs in its
own process, so the peak resident set of its standalone binary and of the Python process
(which copies the snapshots into the run file) are measured apart
(``resource.getrusage``). Streamed snapshots leave both flat: the binary writes each
snapshot to disk when it is taken, and the run file receives them one HDF5 chunk at a
time. The run file's size is reported beside them.

Usage: ``python benchmarks/snapshot_memory.py [--seed 1] [--out benchmarks/snapshot_memory_report.md]``
"""

from __future__ import annotations

import argparse
import datetime
import json
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
INTERVALS = ("0 s", "1 s", "50 ms")
SMALL = {
    "network.n_exc": 400,
    "network.n_inh": 100,
    "network.n_assemblies": 4,
    "network.assembly_fraction": 0.1,
    "protocol.rest_duration": "60 s",
    "protocol.recall_assemblies": 2,
    "protocol.control_trials": 1,
    "protocol.cue_fractions": [0.5],
}

_CHILD = """
import json, resource, sys, tempfile
from pathlib import Path
import snnmem
overrides = json.loads(sys.argv[1])
model = snnmem.load_model(sys.argv[2], overrides)
run = snnmem.simulate(model, seed=int(sys.argv[3]), build_dir=Path(tempfile.mkdtemp(prefix="snnmem_snapmem_")))
after_run = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
path = run.save(Path(sys.argv[4]))
snapshots = run.weights["ee"].get("snapshots")
print(json.dumps({
    "binary_peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    "python_peak_after_run_mb": after_run / 1024,
    "python_peak_after_save_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "n_snapshots": 0 if snapshots is None else int(snapshots.shape[0]),
    "n_synapses": int(run.weights["ee"]["i"].size),
    "file_mb": path.stat().st_size / 1e6,
    "bio_s": run.duration_s,
}))
"""


def measure(interval: str, seed: int, folder: Path) -> dict:
    """One variant in a fresh process (its own peak memory)."""
    overrides = {**SMALL, "protocol.weight_snapshot_interval": interval}
    out = folder / f"run_{interval.replace(' ', '')}.h5"
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            _CHILD,
            json.dumps(overrides),
            str(ROOT / "models" / "assemblies.toml"),
            str(seed),
            str(out),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    return {"interval": interval, **json.loads(done.stdout.strip().splitlines()[-1])}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "snapshot_memory_report.md"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="snnmem_snapmem_") as tmp:
        rows = [measure(interval, args.seed, Path(tmp)) for interval in INTERVALS]
    base = rows[0]
    lines = [
        "# Peak memory against the number of streamed weight snapshots",
        "",
        f"{datetime.date.today()}, {platform.machine()}, Python {platform.python_version()}; "
        f"`python benchmarks/snapshot_memory.py --seed {args.seed}`. Assemblies model at 400 E / 100 I "
        f"({base['n_synapses']} plastic E->E synapses), {base['bio_s']:g} s of biological time, one process per row. "
        "Ratios are against the run without snapshots, measured in the same invocation.",
        "",
        "| snapshot interval | snapshots | E->E values streamed (MB, float32) | binary peak RSS (MB) | ratio | "
        "Python peak after the run (MB) | Python peak after saving (MB) | ratio | run file (MB) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        streamed = row["n_snapshots"] * row["n_synapses"] * 4 / 1e6
        lines.append(
            f"| {row['interval']} | {row['n_snapshots']} | {streamed:.0f} | {row['binary_peak_mb']:.0f} | "
            f"{row['binary_peak_mb'] / base['binary_peak_mb']:.2f} | {row['python_peak_after_run_mb']:.0f} | "
            f"{row['python_peak_after_save_mb']:.0f} | "
            f"{row['python_peak_after_save_mb'] / base['python_peak_after_save_mb']:.2f} | {row['file_mb']:.0f} |"
        )
    report = "\n".join(lines) + "\n"
    Path(args.out).write_text(report)
    print(report)


if __name__ == "__main__":
    main()
