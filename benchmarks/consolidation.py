"""Wall time of the default consolidation model per biological second, and where it goes.

Runs ``models/consolidation.toml`` once (seed 1, Brian2 cpp_standalone, 1 thread) with
Brian2's profiling on (``SNNMEM_PROFILE``), and splits the simulation loop's time by part
of the network, measured in that one run:

- ``HPC`` / ``CTX``: each area's cells (state update, threshold, reset), its recurrent
  synapses' transmission and its inhibitory loop;
- ``projections``: HPC->CTX and CTX->HPC transmission;
- ``plasticity``: every postsynaptic (learning) pathway, the normalisations and their
  summed inputs, the weight snapshots;
- ``input``: Poisson inputs and the stimulus port; ``monitors``: spike recording.

Reported: the network loop (Brian2's timer), the whole binary, the build, seconds of wall
time per biological second, and each part's share of the profiled time. Baseline, measured
in the same invocation right after it: the default assemblies model
(``models/assemblies.toml``, one plastic E/I area of 2000 E / 500 I), so the report gives the
consolidation model's loop time per biological second and per synapse as ratios to it.
``--quick`` shortens the protocol (2 episodes, 3 s rests) for a smoke test.

Usage: ``python benchmarks/consolidation.py [--seed 1] [--quick] [--out benchmarks/consolidation_report.md]``
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
QUICK_BASELINE = {"protocol.rest_duration": "2 s", "protocol.cue_fractions": [0.5]}
QUICK = {"task.episodes": 2, "task.consolidation_interval": "3 s", "task.warmup_duration": "1 s"}
#: part of the network -> name prefixes of its Brian2 code objects (first match wins; order matters)
PARTS = (
    ("plasticity", ("_post", "normalisation", "snapshot", "summed_variable")),
    ("projections", ("hpc_ctx", "ctx_hpc")),
    ("input", ("poissoninput", "stimulus", "gate_")),
    ("monitors", ("spikes_",)),
    ("HPC", ("hpc_",)),
    ("CTX", ("ctx_",)),
)


def part_of(code_object: str) -> str:
    """The part of the network a Brian2 code object belongs to (``"other"`` if none)."""
    for part, keys in PARTS:
        if any(key in code_object for key in keys):
            return part
    return "other"


def _loop_per_second(run) -> float:
    return run.provenance["wall_network_s"] / run.duration_s


def _baseline_lines(run, model, baseline, baseline_model) -> list[str]:
    """The consolidation model against the assemblies model, both measured in this invocation."""
    from snnmem.registry import get

    synapses = get("circuit", model.circuit).synapse_count(model)
    base_synapses = get("circuit", baseline_model.circuit).synapse_count(baseline_model)
    ours, theirs = _loop_per_second(run), _loop_per_second(baseline)
    return [
        "| model | neurons | synapses (expected) | loop s per biological s | ratio to baseline | ratio per synapse |",
        "|---|---|---|---|---|---|",
        f"| consolidation | {sum(run.n_neurons.values())} | {synapses:.3g} | {ours:.3f} | {ours / theirs:.2f} | "
        f"{(ours / synapses) / (theirs / base_synapses):.2f} |",
        f"| assemblies (baseline) | {sum(baseline.n_neurons.values())} | {base_synapses:.3g} | {theirs:.3f} | 1 | 1 |",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "consolidation_report.md")
    args = parser.parse_args()
    os.environ["SNNMEM_PROFILE"] = "1"  # read when snnmem.simulation is imported
    import snnmem
    from snnmem.simulation import last_profile, simulate

    model = snnmem.load_model(ROOT / "models" / "consolidation.toml", QUICK if args.quick else None)
    with tempfile.TemporaryDirectory() as build:
        run = simulate(model, seed=args.seed, build_dir=build, quiet=True)
    profile = last_profile()
    baseline_model = snnmem.load_model(ROOT / "models" / "assemblies.toml", QUICK_BASELINE if args.quick else None)
    with tempfile.TemporaryDirectory() as build:
        baseline = simulate(baseline_model, seed=args.seed, build_dir=build, quiet=True)
    total = sum(seconds for _, seconds in profile) or float("nan")
    parts: dict[str, float] = {}
    for name, seconds in profile:
        parts[part_of(name)] = parts.get(part_of(name), 0.0) + seconds
    bio = run.duration_s
    timing = run.provenance
    lines = [
        "# Consolidation model: wall time and cost split",
        "",
        f"`python benchmarks/consolidation.py{' --quick' if args.quick else ''}`, seed {args.seed}, "
        f"{datetime.date.today()}, {platform.processor() or platform.machine()}, Python {platform.python_version()}, "
        "Brian2 cpp_standalone, 1 thread, profiling on (it adds a timer per code object and step).",
        "",
        f"Biological time {bio:.1f} s; network loop {timing.get('wall_network_s', float('nan')):.1f} s "
        f"({timing.get('wall_network_s', float('nan')) / bio:.2f} s per biological second); "
        f"binary {timing.get('wall_run_s', float('nan')):.1f} s; build {timing.get('wall_build_s', float('nan')):.1f} s.",
        "",
        *_baseline_lines(run, model, baseline, baseline_model),
        "",
        "| part | profiled time (s) | share |",
        "|---|---|---|",
    ]
    for part, seconds in sorted(parts.items(), key=lambda item: -item[1]):
        lines.append(f"| {part} | {seconds:.2f} | {seconds / total:.1%} |")
    lines += ["", "Largest code objects:", "", "| code object | s | share |", "|---|---|---|"]
    for name, seconds in sorted(profile, key=lambda item: -item[1])[:12]:
        lines.append(f"| `{name}` | {seconds:.2f} | {seconds / total:.1%} |")
    lines += ["", "Scores of this run: " + ", ".join(f"{k} {v:.3g}" for k, v in sorted(run.scores.items())[:8])]
    report = "\n".join(lines) + "\n"
    print(report)
    if not args.quick:
        args.out.write_text(report)


if __name__ == "__main__":
    main()
