"""The plastic assembly network in Brian2: equations, stimulus port, plasticity gates, weight snapshots, build."""

from __future__ import annotations

import numpy as np
from ..._brian2_private import set_updater_clock
from ...protocols import Schedule
from ..base import BuiltNetwork
from .parameters import assembly_size, ee_connections, ee_rule, ie_rule
from ..stimulus import plasticity_gates, stimulus_table


#: time resolution of the stimulus and plasticity schedules
SCHEDULE_STEP_S = 1e-3


# ----------------------------------------------------------------------------- Brian2
_EXC_EQUATIONS = """
dv/dt = (g_leak*(v_leak - v) + g_e*(e_exc - v) + g_i*(e_inh - v) - i_adapt)/capacitance : volt (unless refractory)
dg_e/dt = -g_e/tau_exc : siemens
dg_i/dt = -g_i/tau_inh : siemens
di_adapt/dt = -i_adapt/tau_adaptation : amp
dv_th/dt = (v_threshold - v_th)/tau_threshold : volt
w_ee_sum : 1
w_ee_target : 1
n_ee_in : 1
"""


_INH_EQUATIONS = """
dv/dt = (g_leak*(v_leak - v) + g_e*(e_exc - v) + g_i*(e_inh - v))/capacitance : volt (unless refractory)
dg_e/dt = -g_e/tau_exc : siemens
dg_i/dt = -g_i/tau_inh : siemens
"""


def build(spec, seed: int, schedule: Schedule) -> BuiltNetwork:
    """Create the Brian2 objects of the plastic E/I network (not yet run).

    ``seed`` draws the E->E connections (numpy, :func:`ee_connections`); Brian2's own
    random numbers (the other connections, Poisson inputs, initial voltages) come
    from the simulator's seed. ``schedule`` sets the stimuli and the plasticity gates
    (module docstring: stimulus port).
    """
    import brian2 as b2

    net, syn, ext = spec.section("network"), spec.section("synapses"), spec.section("external")
    plast, proto = spec.section("plasticity"), spec.section("protocol")
    method = spec["simulation.method"]
    n_exc, n_inh = net["n_exc"], net["n_inh"]
    phases = schedule.phases
    duration = schedule.duration_s
    row, table = stimulus_table(schedule.cell_stimuli(), n_exc, duration, SCHEDULE_STEP_S)
    gates = plasticity_gates(phases, duration, SCHEDULE_STEP_S)
    step = SCHEDULE_STEP_S * b2.second
    # TimedArrays: the row index is used as "time" of the drive table (one row per stimulus combination)
    stimulus_row = b2.TimedArray(row, dt=step, name="stimulus_row")
    stimulus_sets = b2.TimedArray(table, dt=b2.second, name="stimulus_sets")
    plastic_ee = b2.TimedArray(gates["all"], dt=step, name="plastic_ee")
    plastic_ie = b2.TimedArray(gates["homeostatic"], dt=step, name="plastic_ie")

    shared = {key: spec[f"synapses.{key}"] for key in ("e_exc", "e_inh", "tau_exc", "tau_inh")}
    exc_ns = {
        **shared,
        **{
            k: spec[f"exc.{k}"]
            for k in ("capacitance", "g_leak", "v_leak", "v_threshold", "v_reset", "tau_adaptation", "tau_threshold")
        },
        "adaptation_increment": spec["exc.adaptation_increment"],
        "threshold_jump": spec["exc.threshold_jump"],
    }
    inh_ns = {**shared, **{k: spec[f"inh.{k}"] for k in ("capacitance", "g_leak", "v_leak", "v_threshold", "v_reset")}}
    exc = b2.NeuronGroup(
        n_exc,
        _EXC_EQUATIONS,
        threshold="v > v_th",
        reset="v = v_reset; i_adapt += adaptation_increment; v_th += threshold_jump",
        refractory=spec["exc.refractory"],
        method=method,
        namespace=exc_ns,
        name="exc",
    )
    inh = b2.NeuronGroup(
        n_inh,
        _INH_EQUATIONS,
        threshold="v > v_threshold",
        reset="v = v_reset",
        refractory=spec["inh.refractory"],
        method=method,
        namespace=inh_ns,
        name="inh",
    )
    exc.v_th = spec["exc.v_threshold"]
    for group, cells in ((exc, "exc"), (inh, "inh")):  # uniform between reset and threshold
        v_reset_mv = float(spec[f"{cells}.v_reset"] / b2.mV)
        span_mv = float((spec[f"{cells}.v_threshold"] - spec[f"{cells}.v_reset"]) / b2.mV)
        group.v = f"{v_reset_mv!r}*mV + rand()*({span_mv!r})*mV"

    objects = [exc, inh]
    p = net["connection_probability"]
    delay = spec["synapses.delay"]

    # E->E: plastic
    rule = ee_rule(spec)
    kwargs = rule.synapses_kwargs(on_pre_effect="g_e_post += w*g_ee", gate="plastic_ee(t)")
    snapshots = _snapshot_phases(phases)
    kwargs["model"] += "\nw_initial : 1" + "".join(f"\n{variable} : 1" for variable, _ in snapshots)
    if plast["normalisation"]:
        kwargs["model"] += "\nw_ee_sum_post = w : 1 (summed)\nn_ee_in_post = 1.0 : 1 (summed)"
    kwargs["namespace"].update({"g_ee": spec["synapses.g_ee"], "plastic_ee": plastic_ee})
    ee = b2.Synapses(exc, exc, delay=delay, name="ee", **kwargs)
    pre, post = ee_connections(spec, seed)
    ee.connect(i=pre, j=post)
    ee.w = syn["w_ee_initial"]
    ee.w_initial = "w"
    for n, (variable, when) in enumerate(snapshots):
        # a run_regularly with period `when` runs at t = 0, when, 2 when, ...: it copies only
        # at t = when (start of that step: every update of earlier steps is in w)
        at_snapshot = f"int(abs(t - {when!r}*second) < 1*us)"
        ee.run_regularly(
            f"{variable} = {at_snapshot}*w + (1 - {at_snapshot})*{variable}",
            dt=when * b2.second,
            name=f"ee_snapshot_{n}",
        )
    objects.append(ee)
    if plast["normalisation"]:
        objects += _normalisation(b2, exc, ee, spec)

    # E->I, I->I static; I->E inhibitory STDP
    ei = b2.Synapses(exc, inh, on_pre="g_e_post += g_ei", delay=delay, namespace={"g_ei": syn["g_ei"]}, name="ei")
    ei.connect(p=p)
    ii = b2.Synapses(inh, inh, on_pre="g_i_post += g_ii", delay=delay, namespace={"g_ii": syn["g_ii"]}, name="ii")
    ii.connect(condition="i != j", p=p)
    irule = ie_rule(spec)
    ikw = irule.synapses_kwargs(on_pre_effect="g_i_post += w*g_ie", gate="plastic_ie(t)")
    ikw["model"] += "\nw_initial : 1"
    ikw["namespace"].update({"g_ie": syn["g_ie"], "plastic_ie": plastic_ie})
    ie = b2.Synapses(inh, exc, delay=delay, name="ie", **ikw)
    ie.connect(p=p)
    ie.w = syn["w_ie_initial"]
    ie.w_initial = "w"
    objects += [ei, ii, ie]

    # external Poisson drive and stimulus
    if ext["n_sources"] > 0:
        objects.append(b2.PoissonInput(exc, "g_e", N=ext["n_sources"], rate=ext["rate_exc"], weight=ext["g_ext_exc"]))
        objects.append(b2.PoissonInput(inh, "g_e", N=ext["n_sources"], rate=ext["rate_inh"], weight=ext["g_ext_inh"]))
    stimulus = b2.PoissonGroup(
        n_exc,
        rates="stimulus_rate*stimulus_sets((stimulus_row(t) + 0.5)*second, i)",
        namespace={
            "stimulus_rate": proto["stimulus_rate"],
            "stimulus_row": stimulus_row,
            "stimulus_sets": stimulus_sets,
        },
        name="stimulus",
    )
    stimulus_syn = b2.Synapses(
        stimulus,
        exc,
        on_pre="g_e_post += g_stimulus",
        namespace={"g_stimulus": proto["g_stimulus"]},
        name="stimulus_synapses",
    )
    stimulus_syn.connect(j="i")
    objects += [stimulus, stimulus_syn]

    monitors = {"exc": b2.SpikeMonitor(exc, name="spikes_exc"), "inh": b2.SpikeMonitor(inh, name="spikes_inh")}
    objects += list(monitors.values())
    state_monitors = {}
    interval = float(proto["weight_snapshot_interval"])
    if interval > 0:
        state_monitors["ee_w"] = b2.StateMonitor(
            ee, "w", record=np.arange(pre.size), dt=interval * b2.second, name="ee_weight_snapshots"
        )
        objects.append(state_monitors["ee_w"])
    info = {"n_assemblies": net["n_assemblies"], "assembly_size": assembly_size(spec), "ee_rule": type(rule).__name__}
    built = BuiltNetwork(objects, monitors, {"exc": n_exc, "inh": n_inh}, info)
    built.extra = {
        "ee": ee,
        "ie": ie,
        "state_monitors": state_monitors,
        "snapshots": [variable for variable, _ in snapshots],
        "seed": seed,
    }
    return built


def _snapshot_phases(phases) -> list[tuple[str, float]]:
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


def _normalisation(b2, exc, ee, spec) -> list:
    """Subtractive normalisation of every E cell's summed E->E input (Litwin-Kumar & Doiron 2014).

    ``ee`` declares two summed variables, ``w_ee_sum`` (the summed input weight) and
    ``n_ee_in`` (the in-degree). Brian2 updates a summed variable on the target
    group's clock, i.e. every time step (N_syn additions per step); here their
    updaters are moved onto a clock of ``normalisation_interval``, so the sum is
    computed only when it is used. On that clock, at the end of the step, each cell
    stores its initial sum once (``t = 0``) and every E->E synapse onto it is shifted by
    ``(sum - initial sum) / in-degree``, clipped to [0, w_ee_max].
    """
    interval = spec["plasticity.normalisation_interval"]
    clock = b2.Clock(dt=interval, name="normalisation_clock")
    if spec["plasticity.normalisation_sum"] == "on_interval":
        for updater in ee.summed_updaters.values():
            set_updater_clock(updater, clock)  # Brian2 has no public setter (snnmem._brian2_private)
    exc.run_regularly(
        "w_ee_target = w_ee_target + int(t < 0.5*dt)*(w_ee_sum - w_ee_target)",
        clock=clock,
        when="end",
        order=0,
        name="ee_normalisation_target",
    )
    ee.run_regularly(
        "w = clip(w - plastic_ee(t)*(w_ee_sum_post - w_ee_target_post)/n_ee_in_post, 0, w_max)",
        clock=clock,
        when="end",
        order=1,
        name="ee_normalisation",
    )
    return []


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
    monitor = extra["state_monitors"].get("ee_w")
    if monitor is not None:
        weights["ee"]["snapshot_times_s"] = np.asarray(monitor.t_[:], dtype=np.float64)
        weights["ee"]["snapshots"] = np.asarray(monitor.w[:], dtype=np.float32).T
    return {"weights": weights, "seed": extra["seed"]}
