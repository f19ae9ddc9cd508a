"""The two-area consolidation network in Brian2: HPC and CTX areas, plastic projections, stimulus port, lesion."""

from __future__ import annotations

from typing import Any

import numpy as np

from ...protocols import Schedule, Stimulus
from ..base import BuiltNetwork, LearningCode
from ..plastic_area import (
    cell_groups,
    external_input,
    inhibitory_loop,
    inhibitory_rule,
    normalise_input,
    plastic_ee,
    record_snapshots,
    scaled_triplet,
    snapshot_model,
    summed_input,
)
from ..stimulus import plasticity_gates, stimulus_table
from .parameters import area, connections, hpc_indices

#: time resolution of the stimulus, plasticity and lesion schedules
SCHEDULE_STEP_S = 1e-3


def index_stimuli(schedule: Schedule, indices: np.ndarray) -> list[Stimulus]:
    """Each index stimulus of ``schedule`` as a stimulus of its item's HPC index cells (same times and strength)."""
    return [
        Stimulus(s.start_s, s.stop_s, indices[s.item - 1].astype(float), s.strength, label=f"{s.label} (index)")
        for s in schedule.cell_stimuli()
        if s.index
    ]


def onset_gate(stimuli: list[Stimulus], duration_s: float, length_s: float) -> np.ndarray:
    """Per-millisecond gate: 1 in the first ``length_s`` of every active stimulus (0: all of it), else 0."""
    gate = np.zeros(int(round(duration_s / SCHEDULE_STEP_S)) + 1)
    for stimulus in stimuli:
        if not stimulus.active:
            continue
        stop = min(stimulus.stop_s, stimulus.start_s + length_s) if length_s > 0 else stimulus.stop_s
        gate[int(round(stimulus.start_s / SCHEDULE_STEP_S)) : int(round(stop / SCHEDULE_STEP_S))] = 1.0
    return gate


def gates(spec: Any, schedule: Schedule) -> dict[str, np.ndarray]:
    """Per-millisecond gates of the rules, the lesion and the offline drive.

    ``fast`` (HPC and projections learn: phases where every rule learns), ``slow`` (CTX
    learns; x its awake fraction where every rule learns), ``homeostatic`` (inhibitory STDP
    of the HPC: phases ``"all"`` and ``"homeostatic"``, not offline), ``ctx_homeostatic`` (the CTX's: the
    same, x ``ctx.awake_inhibitory_fraction`` where every rule learns), ``output`` (1 -
    lesion), ``fast_output`` (the HPC->CTX projection learns: fast and not lesioned),
    ``offline`` (summed strength of the global stimuli: the offline drive onto the HPC).
    """
    phase_gates = plasticity_gates(schedule.phases, schedule.duration_s, SCHEDULE_STEP_S)
    awake = spec["ctx.awake_learning_fraction"]
    output = 1.0 - phase_gates["lesion"]
    fast = phase_gates["all"]
    offline = np.zeros_like(output)
    for stimulus in schedule.global_stimuli():
        if stimulus.active:
            first = int(round(stimulus.start_s / SCHEDULE_STEP_S))
            last = int(round(stimulus.stop_s / SCHEDULE_STEP_S))
            offline[first:last] += stimulus.strength
    homeostatic = phase_gates["homeostatic"] - (phase_gates["slow"] - phase_gates["all"])
    return {
        "fast": fast,
        "slow": phase_gates["slow"] - (1.0 - awake) * phase_gates["all"],
        "homeostatic": homeostatic,
        "ctx_homeostatic": homeostatic - (1.0 - spec["ctx.awake_inhibitory_fraction"]) * phase_gates["all"],
        "output": output,
        "fast_output": fast * output,
        "offline": offline,
    }


def build(spec: Any, seed: int, schedule: Schedule) -> BuiltNetwork:
    """Create the Brian2 objects of the two areas and their projections (not yet run)."""
    import brian2 as b2

    step = SCHEDULE_STEP_S * b2.second
    gates_now = gates(spec, schedule)
    timed = {name: b2.TimedArray(values, dt=step, name=f"gate_{name}") for name, values in gates_now.items()}
    pairs = connections(spec, seed)
    hpc, ctx = area(spec, "hpc"), area(spec, "ctx")
    snapshots = _snapshot_phases(schedule)

    objects: list[Any] = []
    learning: list[LearningCode] = []
    groups = {}
    plastic = {}
    areas = (
        (hpc, "hpc", ("plastic_hpc", timed["fast"]), ("plastic_hpc_ie", timed["homeostatic"]), "ch"),
        (ctx, "ctx", ("plastic_ctx", timed["slow"]), ("plastic_ctx_ie", timed["ctx_homeostatic"]), "hc"),
    )
    offline_state = b2.TimedArray(np.minimum(gates_now["offline"], 1.0), dt=step, name="offline_state")
    timed["offline_state"] = offline_state
    for layout, rate_key, gate, homeostatic, projection_tag in areas:
        modulation = ie_modulation = None
        if rate_key == "hpc":  # cholinergic suppression of adaptation while awake (module docstring)
            modulation = ("offline_state", offline_state, spec["hpc.offline_adaptation_increment"])
            # ... and cholinergic drive of its interneurons (a fraction of 1: the unmodulated code)
            ie_modulation = ("offline_state", offline_state, spec["hpc.offline_inhibition_fraction"])
        exc, inh = cell_groups(b2, spec, layout, ("ee", projection_tag), modulation)
        rule = scaled_triplet(
            spec["plasticity.ee_preset"],
            spec[f"{rate_key}.ee_learning_rate"],
            float(spec[f"{rate_key}.w_ee_max"]),
            soft_bound_exponent=spec[f"{rate_key}.ee_soft_bound_exponent"],
            w_reference=float(spec[f"{rate_key}.w_ee_initial"]),
        )
        ee, _, learning_ee = plastic_ee(
            b2,
            spec,
            exc,
            layout,
            rule,
            pairs[f"{rate_key}_ee"],
            gate,
            snapshots,
            spec[f"{rate_key}.normalisation"],
        )
        loop = inhibitory_loop(
            b2, spec, exc, inh, layout, inhibitory_rule(spec), homeostatic, ie_modulation=ie_modulation
        )
        objects += [exc, inh, ee, *loop, *external_input(b2, exc, inh, layout)]
        learning += learning_ee
        groups[rate_key] = (exc, inh)
        plastic[f"{rate_key}_ee"] = ee
        plastic[f"{rate_key}_ie"] = loop[2]

    (hpc_exc, _), (ctx_exc, _) = groups["hpc"], groups["ctx"]
    for name, source, target, g_key in (
        ("hpc_ctx", hpc_exc, ctx_exc, "g_hpc_to_ctx"),
        ("ctx_hpc", ctx_exc, hpc_exc, "g_ctx_to_hpc"),
    ):
        plastic[name], projection_learning = _projection(
            b2, spec, source, target, pairs[name], name, timed, g_key, snapshots
        )
        learning += projection_learning
    objects += [plastic["hpc_ctx"], plastic["ctx_hpc"]]
    objects += _stimulus_port(b2, spec, seed, schedule, hpc_exc, groups["hpc"][1], ctx_exc, timed["offline"])

    monitors = {
        "hpc_exc": b2.SpikeMonitor(hpc_exc, name="spikes_hpc_exc"),
        "hpc_inh": b2.SpikeMonitor(groups["hpc"][1], name="spikes_hpc_inh"),
        "ctx_exc": b2.SpikeMonitor(ctx_exc, name="spikes_ctx_exc"),
        "ctx_inh": b2.SpikeMonitor(groups["ctx"][1], name="spikes_ctx_inh"),
    }
    objects += list(monitors.values())
    n_neurons = {"hpc_exc": hpc.n_exc, "hpc_inh": hpc.n_inh, "ctx_exc": ctx.n_exc, "ctx_inh": ctx.n_inh}
    info = {"n_episodes": spec["episodes.n_episodes"], "index_size": spec["hpc.index_size"]}
    learning = learning if spec["simulation.skip_frozen_learning"] else []
    built = BuiltNetwork(objects, monitors, n_neurons, info, learning=learning)
    built.extra = {"plastic": plastic, "snapshots": [variable for variable, _ in snapshots], "seed": seed}
    return built


def _snapshot_phases(schedule: Schedule) -> list[tuple[str, float]]:
    """``(w_after_<phase>, time_s)``: every plastic pathway's weights at the end of every phase where one learns."""
    return [
        (f"w_after_{phase.name}", phase.stop_s)
        for phase in schedule.phases[:-1]
        if phase.plasticity in ("all", "slow") and phase.name.isidentifier()
    ]


def _projection(
    b2: Any, spec: Any, source: Any, target: Any, pairs: tuple, name: str, timed: dict, g_key: str, snapshots: list
) -> tuple[Any, list[LearningCode]]:
    """A plastic projection between the areas' E cells (fast triplet rule), and its normalisation's learning code.

    HPC->CTX transmits and learns only while the HPC output is not lesioned; CTX->HPC
    learns in phases where every rule learns (encoding) and transmits
    ``projections.offline_feedback`` of its input in the offline state and
    ``projections.encoding_feedback`` while encoding.
    """
    proj = spec.section("projections")
    rule = scaled_triplet(spec["plasticity.ee_preset"], proj["learning_rate"], float(proj["w_max"]))
    if name == "hpc_ctx":
        effect, gate = "g_e_post += gate_output(t)*w*g_projection", ("gate_fast_output", timed["fast_output"])
        extra = {"gate_output": timed["output"]}
    else:  # feedback: scaled by projections.offline_feedback offline and projections.encoding_feedback encoding
        effect = "g_e_post += (1 - feedback_cut*offline_state(t))*(1 - encoding_cut*gate_fast(t))*w*g_projection"
        gate = ("gate_fast", timed["fast"])
        extra = {
            "offline_state": timed["offline_state"],
            "feedback_cut": 1.0 - float(proj["offline_feedback"]),
            "encoding_cut": 1.0 - float(proj["encoding_feedback"]),
        }
    tag = "hc" if name == "hpc_ctx" else "ch"
    normalised = bool(proj["normalisation"]) and (name != "hpc_ctx" or bool(proj["feedforward_normalisation"]))
    kwargs = rule.synapses_kwargs(on_pre_effect=effect, gate=f"{gate[0]}(t)")
    kwargs["model"] += "\nw_initial : 1" + snapshot_model(snapshots)
    kwargs["model"] += summed_input(tag) if normalised else ""
    kwargs["namespace"].update({"g_projection": proj[g_key], gate[0]: gate[1], **extra})
    synapses = b2.Synapses(source, target, delay=spec["synapses.delay"], name=name, **kwargs)
    synapses.connect(i=pairs[0], j=pairs[1])
    synapses.w = proj["w_initial_hpc_to_ctx" if name == "hpc_ctx" else "w_initial_ctx_to_hpc"]
    synapses.w_initial = "w"
    record_snapshots(b2, synapses, snapshots, name)
    if not normalised:
        return synapses, []
    return synapses, [normalise_input(b2, spec, target, synapses, tag, name, gate[0], pairs[1], gate[1])]


def _stimulus_port(
    b2: Any, spec: Any, seed: int, schedule: Schedule, hpc_exc: Any, hpc_inh: Any, ctx_exc: Any, offline: Any
) -> list:
    """Poisson stimulus groups onto CTX cells (cell stimuli) and HPC cells (index stimuli and the offline drive).

    With ``protocol.encoding_inhibition_rate`` > 0 every HPC I cell also receives Poisson
    input at that rate for ``protocol.encoding_inhibition_duration`` from the onset of
    every index stimulus (0: all of it; onset inhibition, module
    :mod:`snnmem.circuits.consolidation`).
    """
    proto = spec.section("protocol")
    duration = schedule.duration_s
    step = SCHEDULE_STEP_S * b2.second
    objects = []
    drives = {
        "ctx": (ctx_exc, list(schedule.cell_stimuli())),
        "hpc": (hpc_exc, index_stimuli(schedule, hpc_indices(spec, seed))),
    }
    for name, (group, stimuli) in drives.items():
        row, table = stimulus_table(stimuli, len(group), duration, SCHEDULE_STEP_S)
        rates = f"stimulus_rate*{name}_sets(({name}_row(t) + 0.5)*second, i)"
        namespace = {
            "stimulus_rate": proto["stimulus_rate"],
            f"{name}_row": b2.TimedArray(row, dt=step, name=f"{name}_stimulus_row"),
            f"{name}_sets": b2.TimedArray(table, dt=b2.second, name=f"{name}_stimulus_sets"),
        }
        if name == "hpc":  # the offline state's non-specific drive (global stimuli)
            rates += " + offline_rate*gate_offline(t)"
            namespace.update({"offline_rate": proto["offline_rate"], "gate_offline": offline})
        objects += _poisson_drive(b2, group, rates, namespace, f"{name}_stimulus", proto["g_stimulus"])
    if proto["encoding_inhibition_rate"] > 0:  # onset inhibition of the HPC at every index stimulus
        encoding = onset_gate(drives["hpc"][1], duration, float(proto["encoding_inhibition_duration"]))
        namespace = {
            "encoding_inhibition_rate": proto["encoding_inhibition_rate"],
            "encoding_on": b2.TimedArray(encoding, dt=step, name="encoding_on"),
        }
        rates = "encoding_inhibition_rate*encoding_on(t)"
        objects += _poisson_drive(b2, hpc_inh, rates, namespace, "hpc_encoding_inhibition", proto["g_stimulus"])
    return objects


def _poisson_drive(b2: Any, group: Any, rates: str, namespace: dict, name: str, g_stimulus: float) -> list:
    """One Poisson source per cell of ``group`` at ``rates`` (an expression), each spike adding ``g_stimulus``."""
    source = b2.PoissonGroup(len(group), rates=rates, namespace=namespace, name=name)
    synapses = b2.Synapses(
        source, group, on_pre="g_e_post += g_stimulus", namespace={"g_stimulus": g_stimulus}, name=f"{name}_synapses"
    )
    synapses.connect(j="i")
    return [source, synapses]


def collect_state(built: BuiltNetwork) -> dict:
    """Weights of every plastic pathway after the run (excitatory ones also at the end of every phase that learns)."""
    weights = {}
    for name, synapses in built.extra["plastic"].items():
        entry = {
            "i": np.asarray(synapses.i[:], dtype=np.uint32),
            "j": np.asarray(synapses.j[:], dtype=np.uint32),
            "w_initial": np.asarray(synapses.w_initial[:], dtype=np.float32),
            "w_final": np.asarray(synapses.w[:], dtype=np.float32),
        }
        if name.endswith("_ie"):  # inhibitory weights: initial and final only
            weights[name] = entry
            continue
        for variable in built.extra["snapshots"]:
            entry[variable] = np.asarray(getattr(synapses, variable)[:], dtype=np.float32)
        weights[name] = entry
    return {"weights": weights, "seed": built.extra["seed"]}
