"""Engine speed against a baseline commit: the ring's loop against its per-step floor, the assemblies model.

Measured in one run, one after the other, on the same machine:

- ``baseline``: the code of a baseline commit (default ``9e029b7``, where the figures of
  issue 16 were measured), exported with ``git archive`` into a temporary folder beside
  this checkout (or ``--baseline-checkout DIR``), run by this Python with that folder
  first on ``PYTHONPATH``;
- ``current``: this checkout, run the same way;
- ``floor``: what one step of the ring must do at least (dense Fourier projection and
  expansion, neuron updates, Poisson draws, GABA), as one numba loop
  (``benchmarks/_ring_floor.py``).

Each simulation runs in its own process with its own build cache, Brian2
cpp_standalone, one thread; the time compared is Brian2's own timer of the network
loop. Models: ``models/compte2000.toml`` (2048 E / 512 I, dt 0.05 ms; 0.25 s
baseline, 0.25 s cue, rest delay, ``--ring-duration`` s in all) and
``models/assemblies.toml`` (default protocol, 85 s biological; ``--assemblies-rest``
shortens the rest).

Usage: ``python benchmarks/engine.py [--baseline 9e029b7] [--ring-duration 2] [--out benchmarks/engine_report.md]``
"""

from __future__ import annotations

import argparse
import datetime
import io
import json
import os
import platform
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: runs in a fresh interpreter with the measured tree first on sys.path
_WORKER = """
import json, sys
import snnmem
from snnmem.simulation import simulate
model = snnmem.load_model(sys.argv[1], json.loads(sys.argv[2]))
run = simulate(model, seed=int(sys.argv[3]))
p = run.provenance
n_cells = sum(run.n_neurons.values())
n_spikes = sum(len(ids) for ids, _ in run.spikes.values())
print("SNNMEM_BENCH " + json.dumps({
    "snnmem_file": snnmem.__file__,
    "network_s": p["wall_network_s"],
    "build_s": p["wall_build_s"],
    "duration_s": run.duration_s,
    "rate_hz": n_spikes / (n_cells * run.duration_s),
    "kernel": p.get("circuit_ee_kernel", "synapses"),
    "scores": {k: v for k, v in run.scores.items() if isinstance(v, float)},
}))
"""


def export_commit(revision: str, into: Path) -> str:
    """``git archive`` of ``revision`` unpacked into ``into``; returns the full commit hash."""
    commit = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--verify", f"{revision}^{{commit}}"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", commit], check=True, capture_output=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return commit


def measure(tree: Path, model: str, overrides: dict, seed: int, label: str) -> dict:
    """One simulation of ``tree``'s code and model file in a fresh process with its own cache."""
    cache = Path(tempfile.mkdtemp(prefix=f"snnmem_engine_{label}_"))
    env = dict(os.environ, PYTHONPATH=str(tree), SNNMEM_CACHE_DIR=str(cache), MPLBACKEND="Agg")
    env.pop("SNNMEM_PROFILE", None)
    command = [sys.executable, "-c", _WORKER, str(tree / "models" / model), json.dumps(overrides), str(seed)]
    print(f"[engine] {label}: {model} ...", flush=True)
    done = subprocess.run(command, env=env, cwd=tree, capture_output=True, text=True)
    lines = [line for line in done.stdout.splitlines() if line.startswith("SNNMEM_BENCH ")]
    if done.returncode or not lines:
        raise RuntimeError(f"{label} failed (rc {done.returncode}):\n{done.stderr[-3000:]}")
    result = json.loads(lines[-1].removeprefix("SNNMEM_BENCH "))
    if not Path(result["snnmem_file"]).resolve().is_relative_to(tree.resolve()):
        raise RuntimeError(f"{label} imported snnmem from {result['snnmem_file']}, not from {tree}")
    print(f"[engine] {label}: loop {result['network_s']:.2f} s for {result['duration_s']:g} s", flush=True)
    return result


def ring_floor(duration_s: float) -> dict:
    """The numba floor of one ring step, for the current model's Fourier modes."""
    sys.path.insert(0, str(Path(__file__).parent))
    from _ring_floor import floor_per_step_s

    import snnmem
    from snnmem.circuits.ring import ee_coupling

    coupling = ee_coupling(snnmem.load_model(ROOT / "models" / "compte2000.toml"))
    return floor_per_step_s(coupling.basis, coupling.coefficients, n_steps=int(round(duration_s / 5e-5)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default="9e029b7", help="baseline commit (default 9e029b7)")
    parser.add_argument("--baseline-checkout", type=Path, help="use this checkout of the baseline instead")
    parser.add_argument("--ring-duration", type=float, default=2.0, help="biological seconds of the ring (> 0.75)")
    parser.add_argument("--assemblies-rest", help='rest of the assemblies protocol (default: the model\'s, "20 s")')
    parser.add_argument("--skip-assemblies", action="store_true")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "engine_report.md")
    args = parser.parse_args()
    if args.ring_duration <= 0.75:
        parser.error("--ring-duration must exceed 0.75 s (baseline + cue + one scoring window)")

    if args.baseline_checkout:
        baseline_tree, commit = args.baseline_checkout.resolve(), args.baseline
    else:
        baseline_tree = Path(tempfile.mkdtemp(prefix="snnmem_baseline_", dir=ROOT.parent))
        commit = export_commit(args.baseline, baseline_tree)
    head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    trees = {"baseline": baseline_tree, "current": ROOT}

    delay = args.ring_duration - 0.5
    ring_overrides = {
        "protocol.baseline_duration": "250 ms",
        "protocol.cue_duration": "250 ms",
        "protocol.delay_duration": f"{delay} s",
        "protocol.score_window": f"{min(delay - 0.25, 0.5)} s",
    }
    ring = {
        name: measure(tree, "compte2000.toml", ring_overrides, args.seed, f"ring_{name}")
        for name, tree in trees.items()
    }
    floor = ring_floor(args.ring_duration)
    assemblies = {}
    if not args.skip_assemblies:
        overrides = {"protocol.rest_duration": args.assemblies_rest} if args.assemblies_rest else {}
        assemblies = {
            name: measure(tree, "assemblies.toml", overrides, args.seed, f"assemblies_{name}")
            for name, tree in trees.items()
        }
    report = render(args, commit, head.stdout.strip(), ring, floor, assemblies)
    args.out.write_text(report)
    print(report)


def render(args, commit: str, head: str, ring: dict, floor: dict, assemblies: dict) -> str:
    """The markdown report."""
    n_steps = args.ring_duration / 5e-5
    per_step = {name: r["network_s"] / n_steps for name, r in ring.items()}
    lines = [
        "# Engine speed against a baseline commit",
        "",
        f"Generated by `python benchmarks/engine.py --ring-duration {args.ring_duration:g}"
        + (f" --assemblies-rest '{args.assemblies_rest}'" if args.assemblies_rest else "")
        + f"` on {datetime.date.today()} ({platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, Brian2 cpp_standalone, 1 thread), seed {args.seed}. "
        f"Baseline: commit {commit[:10]} (exported beside this checkout); current: {head}. "
        "Every number below was measured in this one run, one simulation at a time.",
        "",
        f"## Ring (Compte et al. 2000, 2048 E / 512 I, dt 0.05 ms, {args.ring_duration:g} s biological)",
        "",
        "| code | E->E kernel | network loop (s) | per step (µs) | × floor | rate (Hz) | build (s) |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, r in ring.items():
        lines.append(
            f"| {name} | {r['kernel']} | {r['network_s']:.2f} | {per_step[name] * 1e6:.1f} | "
            f"{per_step[name] / floor['per_step_s']:.2f} | {r['rate_hz']:.2f} | {r['build_s']:.0f} |"
        )
    lines.append(
        f"| floor (numba) | dense | {floor['per_step_s'] * n_steps:.2f} | {floor['per_step_s'] * 1e6:.1f} | 1.00 | "
        f"{floor['rate_hz']:.2f} | - |"
    )
    ratio = per_step["current"] / floor["per_step_s"]
    lines += [
        "",
        f"- **Current loop: {ratio:.2f}× the floor** (target ≤ 1.5×); baseline {per_step['baseline'] / floor['per_step_s']:.2f}×; "
        f"current {per_step['baseline'] / per_step['current']:.2f}× faster than the baseline.",
        "- Floor: `benchmarks/_ring_floor.py`, the step's arithmetic (dense 2048 × M projection and expansion, "
        "forward-Euler cells with the Mg block's exponential, NMDA gating, one binomial Poisson draw per cell, "
        "GABA from the step's spikes) in one numba loop with no simulator around it. Its activity is "
        "a plausible asynchronous state, not the model's (the rate column): it sets how many spike events there are, "
        "which costs little next to the per-step work.",
    ]
    if assemblies:
        base, cur = assemblies["baseline"], assemblies["current"]
        per_bio = {name: r["network_s"] / r["duration_s"] for name, r in assemblies.items()}
        lines += [
            "",
            f"## Assemblies (models/assemblies.toml, 2000 E / 500 I, dt 0.1 ms, {cur['duration_s']:g} s biological)",
            "",
            "| code | network loop (s) | per biological s (s) | build (s) | weight ratio after training | "
            "after rest | recall specificity |",
            "|---|---|---|---|---|---|---|",
        ]
        for name, r in assemblies.items():
            s = r["scores"]
            lines.append(
                f"| {name} | {r['network_s']:.1f} | {per_bio[name]:.3f} | {r['build_s']:.0f} | "
                f"{s.get('weight_ratio_after_training', float('nan')):.2f} | {s.get('weight_ratio_after_rest', float('nan')):.2f} | "
                f"{s.get('recall_specificity', float('nan')):.2f} |"
            )
        lines += [
            "",
            f"- **Current: {per_bio['baseline'] / per_bio['current']:.2f}× faster per biological second** "
            f"than the baseline (target ≥ 1.5×).",
        ]
        del base
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
