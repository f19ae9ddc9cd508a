"""The plastic assembly network in Brian2: equations, stimulus port, plasticity gates, weight snapshots, build."""

from __future__ import annotations

import numpy as np

from ...protocols import Schedule
from ..base import BuiltNetwork
from ..snapshot_stream import SnapshotStream
from ..plastic_area import (
    Area,
    area_from_spec,
    cell_groups,
    cell_trace_variables,
    external_input,
    inhibitory_loop,
    plastic_ee,
    postsynaptic_learning,
)
from ..stimulus import plasticity_gates, stimulus_table
from .parameters import assembly_size, ee_connections, ee_rule, ie_rule
from .start import load_start


#: time resolution of the stimulus and plasticity schedules
SCHEDULE_STEP_S = 1e-3


#: where each field of the assemblies' one area is read from
AREA_KEYS = {
    "n_exc": "network.n_exc",
    "n_inh": "network.n_inh",
    "connection_probability": "network.connection_probability",
    **{k: f"synapses.{k}" for k in ("g_ee", "g_ei", "g_ie", "g_ii", "w_ee_initial", "w_ie_initial")},
    **{k: f"external.{k}" for k in ("n_sources", "rate_exc", "rate_inh", "g_ext_exc", "g_ext_inh")},
    **{k: f"exc.{k}" for k in ("adaptation_increment", "tau_adaptation")},
}


def area(spec) -> Area:
    """The network as one :class:`~snnmem.circuits.plastic_area.Area` (no prefix)."""
    return area_from_spec(spec, "", AREA_KEYS)


def build(spec, seed: int, schedule: Schedule) -> BuiltNetwork:
    """Create the Brian2 objects of the plastic E/I network (not yet run).

    ``seed`` draws the E->E connections (numpy, :func:`ee_connections`); Brian2's own
    random numbers (the other connections, Poisson inputs, initial voltages) come
    from the simulator's seed. ``schedule`` sets the stimuli and the plasticity gates
    (module docstring: stimulus port).
    """
    import brian2 as b2

    net, proto = spec.section("network"), spec.section("protocol")
    n_exc, n_inh = net["n_exc"], net["n_inh"]
    phases = schedule.phases
    duration = schedule.duration_s
    row, table = stimulus_table(schedule.cell_stimuli(), n_exc, duration, SCHEDULE_STEP_S)
    gates = plasticity_gates(phases, duration, SCHEDULE_STEP_S)
    step = SCHEDULE_STEP_S * b2.second
    # TimedArrays: the row index is used as "time" of the drive table (one row per stimulus combination)
    stimulus_row = b2.TimedArray(row, dt=step, name="stimulus_row")
    stimulus_sets = b2.TimedArray(table, dt=b2.second, name="stimulus_sets")
    plastic_ee_gate = b2.TimedArray(gates["all"], dt=step, name="plastic_ee")
    plastic_ie_gate = b2.TimedArray(gates["homeostatic"], dt=step, name="plastic_ie")

    layout = area(spec)
    rule, inhibitory = ee_rule(spec), ie_rule(spec)
    traces_in_cells = spec["plasticity.traces"] == "cells"
    extra = ("", "")
    if traces_in_cells:  # E cells: E->E pre and post traces, I->E post traces; I cells: I->E pre traces
        ee_pre, ee_post = cell_trace_variables(rule, "ee")
        ie_pre, ie_post = cell_trace_variables(inhibitory, "ie")
        extra = (ee_pre + ee_post + ie_post, ie_pre)
    exc, inh = cell_groups(b2, spec, layout, extra_equations=extra)
    snapshots = snapshot_phases(phases)
    pairs = ee_connections(spec, seed)
    start = load_start(spec, seed, len(pairs[0]))
    ee, ee_tracers, learning = plastic_ee(
        b2,
        spec,
        exc,
        layout,
        rule,
        pairs,
        ("plastic_ee", plastic_ee_gate),
        snapshots,
        spec["plasticity.normalisation"],
        traces_in_cells,
    )
    ie_start = None
    if start is not None:  # weights of an earlier run's snapshot (protocol.start_from)
        ee.w = start.ee_w
        ie_start = (start.ie_i, start.ie_j, start.ie_w)
    ei, ii, ie, *ie_tracers = inhibitory_loop(
        b2, spec, exc, inh, layout, inhibitory, ("plastic_ie", plastic_ie_gate), ie_start, traces_in_cells
    )
    objects = [exc, inh, ee, *ee_tracers, ei, ii, ie, *ie_tracers, *external_input(b2, exc, inh, layout)]
    if traces_in_cells:  # inhibitory STDP's postsynaptic pathway only learns
        learning.append(postsynaptic_learning(ie, plastic_ie_gate))

    # the stimulus port
    # Poisson spikes at stimulus_rate x drive. The row in force is read once per schedule
    # step into a shared variable; no random number is drawn while no stimulus is on (row 0:
    # the C++ "and" stops there), which is most of the time.
    stimulus = b2.NeuronGroup(
        n_exc,
        "row : 1 (shared)",
        threshold="row > 0.5 and rand() < stimulus_rate*stimulus_sets((row + 0.5)*second, i)*dt",
        namespace={
            "stimulus_rate": proto["stimulus_rate"],
            "stimulus_row": stimulus_row,
            "stimulus_sets": stimulus_sets,
        },
        name="stimulus",
    )
    row_reader = stimulus.run_regularly("row = stimulus_row(t)", dt=step, when="start", name="stimulus_row_reader")
    stimulus_syn = b2.Synapses(
        stimulus,
        exc,
        on_pre="g_e_post += g_stimulus",
        namespace={"g_stimulus": proto["g_stimulus"]},
        name="stimulus_synapses",
    )
    stimulus_syn.connect(j="i")
    objects += [stimulus, row_reader, stimulus_syn]

    monitors = {"exc": b2.SpikeMonitor(exc, name="spikes_exc"), "inh": b2.SpikeMonitor(inh, name="spikes_inh")}
    objects += list(monitors.values())
    # E->E and I->E weights streamed to disk every weight_snapshot_interval (memory does not grow with their number)
    streams = {}
    interval = float(proto["weight_snapshot_interval"])
    if interval > 0:
        streams = {syn: SnapshotStream(b2, group, "w", interval, f"{syn}_w") for syn, group in (("ee", ee), ("ie", ie))}
        objects += [obj for stream in streams.values() for obj in stream.objects]
    info = {"n_assemblies": net["n_assemblies"], "assembly_size": assembly_size(spec), "ee_rule": type(rule).__name__}
    learning = learning if spec["simulation.skip_frozen_learning"] else []
    built = BuiltNetwork(objects, monitors, {"exc": n_exc, "inh": n_inh}, info, learning=learning)
    built.extra = {
        "ee": ee,
        "ie": ie,
        "streams": streams,
        "start": start,
        "snapshots": [variable for variable, _ in snapshots],
        "seed": seed,
    }
    return built


def snapshot_phases(phases) -> list[tuple[str, float]]:
    """``(w_after_<phase>, time_s)`` for every plastic phase but the last (its end is ``w_final``).

    Frozen phases (plasticity ``"none"``) change no weight, so they get no snapshot.
    """
    snapshots = []
    for phase in phases[:-1]:
        if phase.plasticity == "none":
            continue
        name = phase.name if phase.name.isidentifier() else f"phase{len(snapshots)}"
        snapshots.append((f"w_after_{name}", phase.stop_s))
    return snapshots


def collect_state(built) -> dict:
    """Weights after the run, and the seed the structure was drawn from (called by :func:`snnmem.simulate`)."""
    extra = built.extra
    ee, ie = extra["ee"], extra["ie"]
    weights = {
        "ee": {
            "i": np.asarray(ee.i[:], dtype=np.uint32),
            "j": np.asarray(ee.j[:], dtype=np.uint32),
            "w_initial": np.asarray(ee.w_initial[:], dtype=np.float32),
            **{variable: np.asarray(getattr(ee, variable)[:], dtype=np.float32) for variable in extra["snapshots"]},
            "w_final": np.asarray(ee.w[:], dtype=np.float32),
        },
        "ie": {
            "i": np.asarray(ie.i[:], dtype=np.uint32),
            "j": np.asarray(ie.j[:], dtype=np.uint32),
            "w_initial": np.asarray(ie.w_initial[:], dtype=np.float32),
            "w_final": np.asarray(ie.w[:], dtype=np.float32),
        },
    }
    start = extra["start"]
    if start is not None:  # the weights the run started from
        weights["ee"]["w_start"] = start.ee_w.astype(np.float32)
        weights["ie"]["w_start"] = start.ie_w.astype(np.float32)
    if extra["streams"]:
        import brian2 as b2

        for syn, stream in extra["streams"].items():
            snapshots = stream.collect(b2)
            weights[syn]["snapshot_times_s"] = snapshots.times_s
            weights[syn]["snapshots"] = snapshots
    return {"weights": weights, "seed": extra["seed"]}
