"""The same plastic E/I network in NEST 3.10 and in snnmem: synaptic events per second on one core.

Network (both engines): 2000 E / 500 I conductance-based LIF cells (the cell values of
``models/assemblies.toml``: C 200 pF, g_L 10 nS, E_L -60 mV, threshold -50 mV, reset
-60 mV, 5 ms refractory; exponential conductances, tau 5 / 10 ms, reversal 0 / -80 mV),
every ordered pair connected with p = 0.2 (no autapses), 1 ms delays, 2.5 kHz of
Poisson input onto every cell (snnmem: 1000 sources x 2.5 Hz; NEST: one
``poisson_generator`` at 2.5 kHz, independent per target) at 0.2 nS; E->E triplet STDP
(Pfister & Gerstner 2006 visual-cortex minimal all-to-all, amplitudes x 3, bounds
[0, 0.6 nS]: NEST ``stdp_triplet_synapse``), I->E inhibitory STDP (Vogels et al. 2011,
eta 0.01, target 3 Hz, tau 20 ms: NEST ``vogels_sprekeler_synapse``), static E->I and
I->I. Spontaneous, plastic activity for ``--duration`` seconds after ``--warmup``; dt
(resolution) 0.1 ms; one thread each.

Differences, stated: snnmem integrates the cells with forward Euler at dt (its default),
NEST's ``iaf_cond_exp`` with adaptive RK45 (GSL) — that is most of NEST's time; the snnmem
cells' adaptation current, adaptive threshold and E->E normalisation are switched off
(NEST's model has none); the connection draws and Poisson streams differ, so the spike
counts differ: events are counted from each engine's own spikes (spikes x out-degree).

Reported, each engine measured in this one invocation:

- as is: wall time of the simulation loop per biological second, synaptic events per
  wall second;
- with static synapses (same network, no plasticity): the cost of the cells and of the
  spike propagation; the difference to the plastic run is the cost of the plasticity.

NEST runs in its own environment (``--nest-python``, default ``.venv-nest/bin/python``:
``python -m venv .venv-nest && .venv-nest/bin/pip install nest-simulator``), never in
snnmem's.

Usage: ``python benchmarks/nest_peer.py [--duration 5] [--nest-python PATH] [--out benchmarks/nest_peer_report.md]``
"""

from __future__ import annotations

import argparse
import datetime
import json
import platform
import subprocess
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
N_EXC, N_INH, P, DELAY_MS, DT_MS = 2000, 500, 0.2, 1.0, 0.1

#: what the NEST child process runs (kept here so the two networks are read side by side)
NEST_SCRIPT = r"""
import json, sys, time
import nest
cfg = json.loads(sys.argv[1])
nest.set_verbosity("M_ERROR")
nest.ResetKernel()
nest.SetKernelStatus({"resolution": cfg["dt_ms"], "local_num_threads": 1, "rng_seed": cfg["seed"]})
cell = dict(C_m=200.0, g_L=10.0, E_L=-60.0, V_th=-50.0, V_reset=-60.0, t_ref=5.0,
            E_ex=0.0, E_in=-80.0, tau_syn_ex=5.0, tau_syn_in=10.0)
exc = nest.Create("iaf_cond_exp", cfg["n_exc"], params={**cell, "tau_minus": 33.7, "tau_minus_triplet": 114.0})
inh = nest.Create("iaf_cond_exp", cfg["n_inh"], params=cell)
for pop in (exc, inh):
    pop.V_m = nest.random.uniform(-60.0, -50.0)
drive = nest.Create("poisson_generator", params={"rate": 2500.0})
nest.Connect(drive, exc + inh, syn_spec={"weight": 0.2, "delay": cfg["dt_ms"]})
rule = {"rule": "pairwise_bernoulli", "p": cfg["p"], "allow_autapses": False}
g_ee, g_ie, lr = 0.15, 1.0, 3.0
if cfg["plastic"]:
    ee = {"synapse_model": "stdp_triplet_synapse", "weight": g_ee, "delay": cfg["delay_ms"], "Wmax": 4.0 * g_ee,
          "tau_plus": 16.8, "tau_plus_triplet": 101.0, "Aplus": 0.0, "Aplus_triplet": 6.5e-3 * lr * g_ee,
          "Aminus": 7.1e-3 * lr * g_ee, "Aminus_triplet": 0.0}
    ie = {"synapse_model": "vogels_sprekeler_synapse", "weight": -g_ie, "delay": cfg["delay_ms"], "tau": 20.0,
          "eta": 0.01 * g_ie, "alpha": 2 * 3.0 * 0.020, "Wmax": -50.0 * g_ie}
else:
    ee = {"synapse_model": "static_synapse", "weight": g_ee, "delay": cfg["delay_ms"]}
    ie = {"synapse_model": "static_synapse", "weight": -g_ie, "delay": cfg["delay_ms"]}
nest.Connect(exc, exc, rule, ee)
nest.Connect(exc, inh, rule, {"weight": 0.15, "delay": cfg["delay_ms"]})
nest.Connect(inh, exc, rule, ie)
nest.Connect(inh, inh, rule, {"weight": -1.0, "delay": cfg["delay_ms"]})
rec_e, rec_i = nest.Create("spike_recorder"), nest.Create("spike_recorder")
nest.Connect(exc, rec_e)
nest.Connect(inh, rec_i)
nest.Simulate(cfg["warmup_s"] * 1000.0)
before_e, before_i = rec_e.n_events, rec_i.n_events
t0 = time.perf_counter()
nest.Simulate(cfg["duration_s"] * 1000.0)
wall = time.perf_counter() - t0
print(json.dumps({
    "wall_s": wall,
    "spikes_exc": rec_e.n_events - before_e,
    "spikes_inh": rec_i.n_events - before_i,
    "synapses": nest.num_connections,
}))
"""


def _snnmem_model(duration_s: float, warmup_s: float, plastic: bool):
    import snnmem

    overrides = {
        "exc.adaptation_increment": "0 pA",
        "exc.threshold_jump": "0 mV",
        "plasticity.normalisation": False,
        "protocol.warmup_duration": f"{warmup_s!r} s",
        "protocol.train_repetitions": 0,
        "protocol.rest_duration": f"{duration_s!r} s",
        "protocol.recall_assemblies": 1,
        "protocol.cue_fractions": [0.5],
        "protocol.control_trials": 0,
        "protocol.recall_duration": "100 ms",
        "protocol.recall_gap": "0 ms",
    }
    if not plastic:
        overrides.update({"plasticity.ee_learning_rate": 0.0, "plasticity.istdp_eta": 0.0})
    return snnmem.load_model(ROOT / "models" / "assemblies.toml", overrides)


def snnmem_plastic(duration_s: float, warmup_s: float, seed: int) -> dict:
    """snnmem's plastic network; the rest phase is the measured window (its spikes, Brian2's loop timer)."""
    from snnmem.simulation import simulate

    run = simulate(_snnmem_model(duration_s, warmup_s, True), seed=seed, build_dir=Path(tempfile.mkdtemp()))
    rest = next(p for p in run.phases if p.name == "rest")
    counts = {pop: int(((t >= rest.start_s) & (t < rest.stop_s)).sum()) for pop, (_, t) in run.spikes.items()}
    # the loop timer covers the whole protocol: scale to the rest's share of biological time
    wall = run.provenance["wall_network_s"] * rest.duration_s / run.duration_s
    return {"wall_s": wall, "spikes_exc": counts["exc"], "spikes_inh": counts["inh"]}


def snnmem_static(duration_s: float, warmup_s: float, seed: int) -> dict:
    """The same cells and connectivity in Brian2 standalone with static synapses (snnmem's cell code)."""
    import brian2 as b2

    from snnmem._brian2_private import last_run_time
    from snnmem.circuits.assemblies.network import area
    from snnmem.circuits.plastic_area import cell_groups, external_input

    spec = _snnmem_model(duration_s, warmup_s, False)
    layout = area(spec)
    folder = tempfile.mkdtemp(prefix="snnmem_nestpeer_static_")
    b2.set_device("cpp_standalone", directory=folder, build_on_run=False)
    try:
        b2.seed(seed)
        b2.defaultclock.dt = DT_MS * b2.ms
        exc, inh = cell_groups(b2, spec, layout)
        delay = DELAY_MS * b2.ms
        synapses = []
        for name, (pre, post, effect, conductance) in {
            "ee": (exc, exc, "g_e_post += g", layout.g_ee),
            "ei": (exc, inh, "g_e_post += g", layout.g_ei),
            "ie": (inh, exc, "g_i_post += g", layout.g_ie),
            "ii": (inh, inh, "g_i_post += g", layout.g_ii),
        }.items():
            syn = b2.Synapses(
                pre, post, on_pre=effect, delay=delay, namespace={"g": conductance * b2.siemens}, name=name
            )
            syn.connect(condition="i != j" if pre is post else None, p=P)
            synapses.append(syn)
        monitors = [b2.SpikeMonitor(exc, name="spikes_exc"), b2.SpikeMonitor(inh, name="spikes_inh")]
        net = b2.Network(exc, inh, *synapses, *external_input(b2, exc, inh, layout), *monitors)
        net.run(warmup_s * b2.second)
        net.run(duration_s * b2.second)
        b2.device.build(directory=folder, compile=True, run=True)
        times_e, times_i = monitors[0].t_[:], monitors[1].t_[:]
        counts = {"exc": int((times_e >= warmup_s).sum()), "inh": int((times_i >= warmup_s).sum())}
        wall = last_run_time(b2.device)  # Brian2's timer of the last run() of the build: the measured window
    finally:
        b2.device.reinit()
        b2.device.activate()
        b2.set_device("runtime")
    return {"wall_s": wall, "spikes_exc": counts["exc"], "spikes_inh": counts["inh"]}


def nest_run(python: str, duration_s: float, warmup_s: float, seed: int, plastic: bool) -> dict:
    cfg = dict(
        n_exc=N_EXC,
        n_inh=N_INH,
        p=P,
        delay_ms=DELAY_MS,
        dt_ms=DT_MS,
        seed=seed,
        plastic=plastic,
        duration_s=duration_s,
        warmup_s=warmup_s,
    )
    done = subprocess.run([python, "-c", NEST_SCRIPT, json.dumps(cfg)], check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def events(row: dict) -> float:
    """Synaptic events delivered: every spike to its expected out-degree (p x targets)."""
    return row["spikes_exc"] * P * (N_EXC + N_INH) + row["spikes_inh"] * P * (N_EXC + N_INH)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=5.0, help="measured biological seconds")
    parser.add_argument("--warmup", type=float, default=1.0, help="biological seconds before the measurement")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--nest-python", default=str(ROOT / ".venv-nest" / "bin" / "python"))
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "nest_peer_report.md"))
    args = parser.parse_args()
    started = time.perf_counter()
    rows = {
        ("snnmem", "plastic"): snnmem_plastic(args.duration, args.warmup, args.seed),
        ("snnmem", "static"): snnmem_static(args.duration, args.warmup, args.seed),
        ("NEST 3.10", "plastic"): nest_run(args.nest_python, args.duration, args.warmup, args.seed, True),
        ("NEST 3.10", "static"): nest_run(args.nest_python, args.duration, args.warmup, args.seed, False),
    }
    lines = [
        "# Plastic E/I network: snnmem (Brian2 cpp_standalone) and NEST 3.10, one core",
        "",
        f"{datetime.date.today()}, {platform.machine()}, Python {platform.python_version()}; "
        f"`python benchmarks/nest_peer.py --duration {args.duration:g} --seed {args.seed}` "
        f"({(time.perf_counter() - started) / 60:.1f} min). Network and differences: the script's docstring. "
        f"{args.duration:g} s measured after {args.warmup:g} s.",
        "",
        "| engine | synapses | loop s per bio s | E rate (Hz) | I rate (Hz) | events per wall s | plasticity cost "
        "(s per bio s, plastic - static) |",
        "|---|---|---|---|---|---|---|",
    ]
    for engine in ("snnmem", "NEST 3.10"):
        static = rows[(engine, "static")]
        for kind in ("plastic", "static"):
            row = rows[(engine, kind)]
            per_bio = row["wall_s"] / args.duration
            cost = (row["wall_s"] - static["wall_s"]) / args.duration if kind == "plastic" else float("nan")
            lines.append(
                f"| {engine}, {kind} | {'plastic E->E, I->E' if kind == 'plastic' else 'all static'} | "
                f"{per_bio:.3f} | {row['spikes_exc'] / N_EXC / args.duration:.2f} | "
                f"{row['spikes_inh'] / N_INH / args.duration:.2f} | {events(row) / row['wall_s']:.3g} | "
                + (f"{cost:.3f} |" if kind == "plastic" else "- |")
            )

    def speed(engine: str, kind: str) -> float:
        row = rows[(engine, kind)]
        return events(row) / row["wall_s"]

    lines += [
        "",
        "Events per wall second, snnmem / NEST: "
        f"plastic {speed('snnmem', 'plastic') / speed('NEST 3.10', 'plastic'):.2f}, "
        f"static {speed('snnmem', 'static') / speed('NEST 3.10', 'static'):.2f}.",
    ]
    report = "\n".join(lines) + "\n"
    Path(args.out).write_text(report)
    print(report)


if __name__ == "__main__":
    main()
