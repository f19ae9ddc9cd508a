"""A plastic E/I area in Brian2: the building block of the assemblies and consolidation circuits.

One area is ``n_exc`` excitatory and ``n_inh`` inhibitory conductance-based LIF cells
(the equations of :mod:`snnmem.circuits.assemblies`: E cells with spike-triggered
adaptation and an adaptive threshold), plastic E->E synapses (an
:mod:`snnmem.plasticity` rule, optional subtractive normalisation of each cell's summed
input), static E->I and I->I, inhibitory STDP on I->E, and independent Poisson inputs.
A circuit with one area (``plastic_assemblies``) builds it with an empty prefix; a
circuit with several (``consolidation``) gives each its prefix (``"hpc_"``, ``"ctx_"``),
which names every Brian2 object of the area.

The cells' parameters come from the model's ``[exc]``, ``[inh]`` and ``[synapses]``
sections (shared by every area of a circuit); what differs between areas (sizes,
connectivity, conductances, rules, input) is an :class:`Area`.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, Mapping

import numpy as np

from .._brian2_private import set_updater_clock
from ..errors import ConfigError
from ..schema import Param
from .base import LearningCode

__all__ = [
    "Area",
    "area_from_spec",
    "threshold_params",
    "plastic_simulation_params",
    "kinetics_params",
    "EXC_EQUATIONS",
    "INH_EQUATIONS",
    "cell_groups",
    "plastic_synapses",
    "cell_trace_variables",
    "plastic_ee",
    "inhibitory_loop",
    "external_input",
    "random_pairs",
    "scaled_triplet",
    "snapshot_model",
    "record_snapshots",
    "summed_input",
    "normalise_input",
    "postsynaptic_learning",
    "input_sum_variables",
    "inhibitory_rule",
    "inhibitory_stdp_params",
    "orchestration_params",
    "orchestrated",
    "check_orchestration",
    "check_inhibitory_bounds",
]

EXC_EQUATIONS = """
dv/dt = (g_leak*(v_leak - v) + g_e*(e_exc - v) + g_i*(e_inh - v) - i_adapt)/capacitance : volt (unless refractory)
dg_e/dt = -g_e/tau_exc : siemens
dg_i/dt = -g_i/tau_inh : siemens
di_adapt/dt = -i_adapt/tau_adaptation : amp
dv_th/dt = (v_threshold - v_th)/tau_threshold : volt
"""

INH_EQUATIONS = """
dv/dt = (g_leak*(v_leak - v) + g_e*(e_exc - v) + g_i*(e_inh - v))/capacitance : volt (unless refractory)
dg_e/dt = -g_e/tau_exc : siemens
dg_i/dt = -g_i/tau_inh : siemens
"""


@dataclass(frozen=True)
class Area:
    """What distinguishes one plastic E/I area from another (SI units, floats).

    Attributes
    ----------
    prefix
        Prefix of every Brian2 object name (``""`` for a one-area circuit).
    n_exc, n_inh
        Cells.
    connection_probability
        Of E->I, I->I and I->E (E->E is given as explicit pairs to :func:`plastic_ee`).
    g_ee, g_ei, g_ie, g_ii
        Conductance per unit weight (S).
    w_ee_initial, w_ie_initial
        Initial weights.
    n_sources, rate_exc, rate_inh, g_ext_exc, g_ext_inh
        Independent Poisson inputs per cell, their rates (Hz) onto E and I cells and
        their conductances (S).
    adaptation_increment, tau_adaptation
        The E cells' spike-triggered adaptation (A, s); the other cell parameters come
        from ``[exc]``.
    """

    prefix: str
    n_exc: int
    n_inh: int
    connection_probability: float
    g_ee: float
    g_ei: float
    g_ie: float
    g_ii: float
    w_ee_initial: float
    w_ie_initial: float
    n_sources: int
    rate_exc: float
    rate_inh: float
    g_ext_exc: float
    g_ext_inh: float
    adaptation_increment: float
    tau_adaptation: float


def plastic_simulation_params(skip_frozen_learning: bool, why: str = "") -> dict[str, Param]:
    """``[simulation]`` keys of the plastic circuits (besides :func:`snnmem.schema.simulation_params`).

    ``skip_frozen_learning`` is the circuit's default, ``why`` the reason for it (appended to the doc).
    """
    return {
        "skip_frozen_learning": Param(
            skip_frozen_learning,
            "cpp_standalone: run the protocol in segments and leave out code that only changes weights (a rule's "
            "postsynaptic pathway with traces in the cells, the normalisation) where its gate stays 0 "
            "(snnmem.segments; the same spikes, less work in the loop, but every segment compiles its own copy "
            "of the code)" + (f". {why}" if why else ""),
        ),
    }


def threshold_params() -> dict[str, Param]:
    """``[exc]`` keys of the adaptive threshold (shared by every circuit built from plastic areas)."""
    return {
        "threshold_jump": Param("2 mV", "threshold increase at each spike (0: fixed threshold)", minimum=0.0),
        "tau_threshold": Param("30 ms", "threshold relaxation time constant", positive=True),
    }


def kinetics_params() -> dict[str, Param]:
    """``[synapses]`` keys of the conductance kinetics (reversal potentials, decay times)."""
    return {
        "e_exc": Param("0 mV", "excitatory reversal potential"),
        "e_inh": Param("-80 mV", "inhibitory reversal potential"),
        "tau_exc": Param("5 ms", "excitatory conductance decay", positive=True),
        "tau_inh": Param("10 ms", "inhibitory conductance decay", positive=True),
    }


def area_from_spec(spec: Any, prefix: str, keys: Mapping[str, str]) -> Area:
    """An :class:`Area` from a model: each field read from the dotted key ``keys[field]`` (SI numbers)."""
    values: dict[str, Any] = {"prefix": prefix}
    for field in fields(Area):
        if field.name != "prefix":
            value = spec[keys[field.name]]
            values[field.name] = int(value) if field.type == "int" else float(value)
    return Area(**values)


def input_sum_variables(tags: tuple[str, ...]) -> str:
    """Equation lines of the per-cell variables :func:`normalise_input` needs for each pathway tag."""
    return "".join(f"w_{tag}_sum : 1\nw_{tag}_target : 1\nn_{tag}_in : 1\n" for tag in tags)


def cell_groups(
    b2: Any,
    spec: Any,
    area: Area,
    input_tags: tuple[str, ...] = ("ee",),
    adaptation_modulation: tuple[str, Any, Any] | None = None,
    extra_equations: tuple[str, str] = ("", ""),
) -> tuple[Any, Any]:
    """The area's E and I ``NeuronGroup`` (``<prefix>exc``, ``<prefix>inh``), voltages uniform in [reset, threshold).

    ``input_tags``: pathways onto the E cells whose summed input can be normalised
    (:func:`normalise_input`); ``"ee"`` is the area's own E->E.
    ``adaptation_modulation``: ``(name, TimedArray, extra)``: the adaptation increment at a
    spike becomes ``adaptation_increment + extra * name(t)`` (a state-dependent adaptation,
    e.g. stronger offline); None: constant.
    ``extra_equations``: lines added to the E and I cells' equations (e.g. the cell-level
    STDP traces of :func:`plastic_synapses`).
    """
    method = spec["simulation.method"]
    shared = {key: spec[f"synapses.{key}"] for key in ("e_exc", "e_inh", "tau_exc", "tau_inh")}
    exc_ns = {
        **shared,
        **{k: spec[f"exc.{k}"] for k in ("capacitance", "g_leak", "v_leak", "v_threshold", "v_reset", "tau_threshold")},
        "threshold_jump": spec["exc.threshold_jump"],
        "adaptation_increment": area.adaptation_increment * b2.amp,
        "tau_adaptation": area.tau_adaptation * b2.second,
    }
    inh_ns = {**shared, **{k: spec[f"inh.{k}"] for k in ("capacitance", "g_leak", "v_leak", "v_threshold", "v_reset")}}
    increment = "adaptation_increment"
    if adaptation_modulation is not None:
        name, timed, extra = adaptation_modulation
        increment = f"(adaptation_increment + extra_adaptation*{name}(t))"
        exc_ns.update({name: timed, "extra_adaptation": extra})
    exc = b2.NeuronGroup(
        area.n_exc,
        EXC_EQUATIONS + input_sum_variables(input_tags) + extra_equations[0],
        threshold="v > v_th",
        reset=f"v = v_reset; i_adapt += {increment}; v_th += threshold_jump",
        refractory=spec["exc.refractory"],
        method=method,
        namespace=exc_ns,
        name=f"{area.prefix}exc",
    )
    inh = b2.NeuronGroup(
        area.n_inh,
        INH_EQUATIONS + extra_equations[1],
        threshold="v > v_threshold",
        reset="v = v_reset",
        refractory=spec["inh.refractory"],
        method=method,
        namespace=inh_ns,
        name=f"{area.prefix}inh",
    )
    exc.v_th = spec["exc.v_threshold"]
    for group, cells in ((exc, "exc"), (inh, "inh")):  # uniform between reset and threshold
        v_reset_mv = float(spec[f"{cells}.v_reset"] / b2.mV)
        span_mv = float((spec[f"{cells}.v_threshold"] - spec[f"{cells}.v_reset"]) / b2.mV)
        group.v = f"{v_reset_mv!r}*mV + rand()*({span_mv!r})*mV"
    return exc, inh


def plastic_ee(
    b2: Any,
    spec: Any,
    exc: Any,
    area: Area,
    rule: Any,
    pairs: tuple[np.ndarray, np.ndarray],
    gate: tuple[str, Any],
    snapshots: list[tuple[str, float]],
    normalisation: bool,
    traces_in_cells: bool = False,
) -> tuple[Any, list]:
    """The area's plastic E->E ``Synapses`` (``<prefix>ee``), with weight snapshots and normalisation.

    Parameters
    ----------
    rule
        An :mod:`snnmem.plasticity` rule (its ``synapses_kwargs``).
    pairs
        ``(pre, post)`` of every synapse.
    gate
        ``(name, TimedArray)``: the rule learns while ``name(t)`` is 1.
    snapshots
        ``(variable, time_s)``: ``variable`` holds ``w`` as it was at ``time_s``.
    normalisation
        Subtractive normalisation of each E cell's summed input (:func:`normalise_input`;
        timing and mode from ``[plasticity]``).
    traces_in_cells
        Keep the rule's traces once per cell (:func:`plastic_synapses`; the E cells must
        declare :func:`cell_trace_variables` of tag ``<prefix>ee``).

    Returns
    -------
    (ee, tracers, learning)
        The synapses, the trace-keeping objects to add to the network (empty list with
        per-synapse traces) and the :class:`~snnmem.circuits.base.LearningCode` of the
        pathway (its postsynaptic pathway with traces in the cells, its normalisation).
    """
    gate_name, gate_array = gate
    extra_model = "\nw_initial : 1" + snapshot_model(snapshots) + (summed_input("ee") if normalisation else "")
    ee, tracers = plastic_synapses(
        b2,
        rule,
        exc,
        exc,
        name=f"{area.prefix}ee",
        delay=spec["synapses.delay"],
        on_pre_effect="g_e_post += w*g_ee",
        gate=gate,
        namespace={"g_ee": area.g_ee * b2.siemens},
        extra_model=extra_model,
        traces_in_cells=traces_in_cells,
    )
    pre, post = pairs
    ee.connect(i=pre, j=post)
    ee.w = area.w_ee_initial
    ee.w_initial = "w"
    for variable, value in rule.initial_values().items():
        setattr(ee, variable, value)
    record_snapshots(b2, ee, snapshots, f"{area.prefix}ee")
    learning = [postsynaptic_learning(ee, gate_array)] if traces_in_cells else []
    if normalisation:
        learning.append(normalise_input(b2, spec, exc, ee, "ee", f"{area.prefix}ee", gate_name, post, gate_array))
    return ee, tracers, learning


def postsynaptic_learning(synapses: Any, gate: Any) -> LearningCode:
    """The postsynaptic pathway of a rule whose traces live in the cells: it only changes ``w``, by ``gate``.

    (With traces per synapse the pathway also updates the traces and must always run.)
    """
    return LearningCode((synapses.post,), np.asarray(gate.values, dtype=float), float(gate.dt))


def plastic_synapses(
    b2: Any,
    rule: Any,
    source: Any,
    target: Any,
    *,
    name: str,
    delay: Any,
    on_pre_effect: str,
    gate: tuple[str, Any],
    namespace: dict[str, Any],
    extra_model: str = "",
    traces_in_cells: bool = False,
) -> tuple[Any, list]:
    """The ``Synapses`` of a plastic pathway, its traces per synapse (Brian2 event-driven) or per cell.

    With ``traces_in_cells`` the traces live in ``source`` and ``target`` (which must
    declare :func:`cell_trace_variables` ``(rule, name)``) and two one-to-one tracers
    update them (:mod:`snnmem.plasticity.cell_traces`): ``<name>_pre_tracer`` (same
    delay, order 0, between the pathway's ``pre`` at -1 and ``post`` at +1) and
    ``<name>_post_tracer`` (order 2). Returns ``(synapses, tracers)``.
    """
    gate_name, gate_array = gate
    if traces_in_cells:
        traces = rule.cell_traces(name, on_pre_effect=on_pre_effect, gate=f"{gate_name}(t)")
        kwargs = dict(traces.synapses_kwargs)
    else:
        kwargs = rule.synapses_kwargs(on_pre_effect=on_pre_effect, gate=f"{gate_name}(t)")
    kwargs["model"] += extra_model
    kwargs["namespace"].update({**namespace, gate_name: gate_array})
    synapses = b2.Synapses(source, target, delay=delay, name=name, **kwargs)
    for k, (code, interval) in enumerate(rule.regular_updates(gate=f"{gate_name}(t)")):
        synapses.run_regularly(code, dt=interval * b2.second, when="start", name=f"{name}_regular_{k}")
    if not traces_in_cells:
        return synapses, []
    synapses.pre.order, synapses.post.order = -1, 1
    tracers = []
    for code, group, tracer_delay, order, side in (
        (traces.pre_tracer, source, delay, 0, "pre"),
        (traces.post_tracer, target, 0 * b2.second, 2, "post"),
    ):
        if code:
            tracer = b2.Synapses(
                group,
                group,
                on_pre=code,
                delay=tracer_delay,
                namespace=dict(traces.namespace),
                name=f"{name}_{side}_tracer",
            )
            tracer.connect(j="i")
            tracer.pre.order = order
            tracers.append(tracer)
    return synapses, tracers


def cell_trace_variables(rule: Any, name: str) -> tuple[str, str]:
    """Equation lines ``(source cells, target cells)`` for a pathway ``name`` with traces in the cells."""
    traces = rule.cell_traces(name)
    return traces.pre_variables, traces.post_variables


def snapshot_model(snapshots: list[tuple[str, float]]) -> str:
    """Model lines declaring the snapshot variables of :func:`record_snapshots`."""
    return "".join(f"\n{variable} : 1" for variable, _ in snapshots)


def record_snapshots(b2: Any, synapses: Any, snapshots: list[tuple[str, float]], name: str) -> None:
    """Copy ``w`` into each snapshot variable at its time (``(variable, time_s)``; declared by :func:`snapshot_model`).

    A ``run_regularly`` with period ``time`` runs at t = 0, time, 2 time, ...: it copies only at
    t = time (start of that step: every update of earlier steps is in ``w``).
    """
    for n, (variable, when) in enumerate(snapshots):
        at_snapshot = f"int(abs(t - {when!r}*second) < 1*us)"
        synapses.run_regularly(
            f"{variable} = {at_snapshot}*w + (1 - {at_snapshot})*{variable}",
            dt=when * b2.second,
            name=f"{name}_snapshot_{n}",
        )


def summed_input(tag: str) -> str:
    """Model line a ``Synapses`` adds to feed :func:`normalise_input` (its weights' sum per target)."""
    return f"\nw_{tag}_sum_post = w : 1 (summed)"


def normalise_input(
    b2: Any,
    spec: Any,
    post: Any,
    synapses: Any,
    tag: str,
    name: str,
    gate_name: str,
    targets: np.ndarray,
    gate: Any,
) -> LearningCode:
    """Subtractive normalisation of every target cell's summed input through ``synapses`` (Litwin-Kumar & Doiron 2014).

    ``synapses`` declares (:func:`summed_input`) the summed variable ``w_<tag>_sum`` of
    the target group ``post`` (the summed input weight); ``targets`` is the target cell of
    every synapse (the ``j`` it was connected with), from which ``post.n_<tag>_in`` (the
    in-degree, constant) is set here. Brian2 updates a summed variable on the target
    group's clock, i.e. every time step (N_syn additions per step); here its updater is
    moved onto a clock of ``plasticity.normalisation_interval``, so the sum is computed
    only when it is used.
    On that clock, at the end of the step, each cell stores its initial sum once
    (``t = 0``) and every synapse onto it is shifted by ``(sum - initial sum) / in-degree``
    while the rule's gate ``gate_name(t)`` (the ``TimedArray`` ``gate``) is open, clipped
    to the plasticity rule's bounds [``w_min``, ``w_max``] (both in the synapses' namespace:
    the rule must have both, as :func:`scaled_triplet` gives). Brian2 objects are named
    after ``name``.

    Returns the sum's updater and the normalisation as
    :class:`~snnmem.circuits.base.LearningCode` of ``gate``, open also from t = 0 until
    the gate first opens (each cell's initial sum is taken at t = 0: :func:`open_from_start`).
    """
    interval = spec["plasticity.normalisation_interval"]
    clock = b2.Clock(dt=interval, name=f"{name}_normalisation_clock")
    # The in-degree never changes: counted here, not summed in the run. (A once-only clock of
    # dt 1e9 s did that before; its end step rounds to 0, and when Brian2 happened to pick it
    # first among the clocks at t = 0 the whole run stopped there: a run with no spike.)
    setattr(post, f"n_{tag}_in", np.bincount(np.asarray(targets), minlength=len(post)).astype(float))
    if spec["plasticity.normalisation_sum"] == "on_interval":
        # Brian2 has no public setter (snnmem._brian2_private)
        set_updater_clock(synapses.summed_updaters[f"w_{tag}_sum_post"], clock)
    post.run_regularly(
        f"w_{tag}_target = w_{tag}_target + int(t < 0.5*dt)*(w_{tag}_sum - w_{tag}_target)",
        clock=clock,
        when="end",
        order=0,
        name=f"{name}_normalisation_target",
    )
    normalisation = synapses.run_regularly(
        f"w = clip(w - {gate_name}(t)*(w_{tag}_sum_post - w_{tag}_target_post)/n_{tag}_in_post, w_min, w_max)",
        clock=clock,
        when="end",
        order=1,
        name=f"{name}_normalisation",
    )
    return LearningCode(
        (synapses.summed_updaters[f"w_{tag}_sum_post"], normalisation), open_from_start(gate.values), float(gate.dt)
    )


def open_from_start(gate: np.ndarray) -> np.ndarray:
    """``gate`` with its leading closed stretch opened (1 until the gate first opens).

    For learning code that must also run at t = 0 (the normalisation's initial sums).
    (Opening only the first step would make a first segment of one schedule step; in
    cpp_standalone a first run of 1 ms followed by further runs gave other spikes than one
    run, for a reason not found: ``tests/test_segments.py``.)
    """
    values = np.asarray(gate, dtype=float).copy()
    open_steps = np.flatnonzero(values != 0)
    values[: open_steps[0] if open_steps.size else values.size] = 1.0
    return values


def inhibitory_loop(
    b2: Any,
    spec: Any,
    exc: Any,
    inh: Any,
    area: Area,
    rule: Any,
    gate: tuple[str, Any],
    ie_start: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None,
    traces_in_cells: bool = False,
    ie_modulation: tuple[str, Any, float] | None = None,
) -> list:
    """Static E->I and I->I, and I->E with inhibitory STDP (``rule``, learning while ``gate`` is 1).

    ``ie_start``: ``(pre, post, w)`` of I->E synapses to create instead of drawing them
    (a run that starts from a weight snapshot); E->I and I->I are drawn as always.

    ``traces_in_cells``: the I->E rule's traces once per cell (:func:`plastic_synapses`;
    the I and E cells declare :func:`cell_trace_variables` of ``<prefix>ie``).

    ``ie_modulation``: ``(name, TimedArray, fraction)``: the I->E conductance is x ``fraction``
    while the TimedArray ``name`` is 1 (a brain state; in between, linearly). ``None`` or a
    fraction of 1: the conductance is constant (and the generated code that of an unmodulated loop).

    Returns ``[ei, ii, ie, *tracers]`` (``<prefix>ei``, ``<prefix>ii``, ``<prefix>ie``).
    """
    delay, p, prefix = spec["synapses.delay"], area.connection_probability, area.prefix
    effect, ie_namespace = "g_i_post += w*g_ie", {"g_ie": area.g_ie * b2.siemens}
    if ie_modulation is not None and ie_modulation[2] != 1.0:
        state, timed, fraction = ie_modulation
        effect = f"g_i_post += w*g_ie*(1 - ie_cut*{state}(t))"
        ie_namespace.update({state: timed, "ie_cut": 1.0 - float(fraction)})
    ei = b2.Synapses(
        exc, inh, on_pre="g_e_post += g_ei", delay=delay, namespace={"g_ei": area.g_ei * b2.siemens}, name=f"{prefix}ei"
    )
    ei.connect(p=p)
    ii = b2.Synapses(
        inh, inh, on_pre="g_i_post += g_ii", delay=delay, namespace={"g_ii": area.g_ii * b2.siemens}, name=f"{prefix}ii"
    )
    ii.connect(condition="i != j", p=p)
    ie, tracers = plastic_synapses(
        b2,
        rule,
        inh,
        exc,
        name=f"{prefix}ie",
        delay=delay,
        on_pre_effect=effect,
        gate=gate,
        namespace=ie_namespace,
        extra_model="\nw_initial : 1",
        traces_in_cells=traces_in_cells,
    )
    if ie_start is None:
        ie.connect(p=p)
        ie.w = area.w_ie_initial
        ie.w_initial = "w"
    else:
        pre, post, w = ie_start
        ie.connect(i=pre, j=post)
        ie.w_initial = area.w_ie_initial
        ie.w = w
    return [ei, ii, ie, *tracers]


def external_input(b2: Any, exc: Any, inh: Any, area: Area) -> list:
    """``n_sources`` independent Poisson inputs onto every E and every I cell (none if 0)."""
    if area.n_sources <= 0:
        return []
    return [
        b2.PoissonInput(exc, "g_e", N=area.n_sources, rate=area.rate_exc * b2.Hz, weight=area.g_ext_exc * b2.siemens),
        b2.PoissonInput(inh, "g_e", N=area.n_sources, rate=area.rate_inh * b2.Hz, weight=area.g_ext_inh * b2.siemens),
    ]


def random_pairs(
    n_pre: int, n_post: int, p: float, rng: np.random.Generator, autapses: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    """``(pre, post)`` of every ordered pair connected with probability ``p``, sorted by (pre, post).

    Drawn in numpy (not by Brian2) so that the number of synapses is known when the
    network is built. ``autapses=False`` leaves out ``pre == post`` (within one group).
    """
    pre, post = [], []
    for source in range(n_pre):
        targets = np.flatnonzero(rng.random(n_post) < p)
        if not autapses:
            targets = targets[targets != source]
        pre.append(np.full(targets.size, source, dtype=np.int32))
        post.append(targets.astype(np.int32))
    return np.concatenate(pre), np.concatenate(post)


def scaled_triplet(
    preset: str,
    learning_rate: float,
    w_max: float,
    w_min: float = 0.0,
    soft_bound_exponent: float = 0.0,
    w_reference: float = 1.0,
) -> Any:
    """A :class:`~snnmem.plasticity.TripletSTDP` preset (amplitudes x ``learning_rate``) in [``w_min``, ``w_max``].

    ``soft_bound_exponent`` and ``w_reference``: the rule's soft bounds (0: hard bounds only).
    """
    from ..plasticity import TripletSTDP

    base = TripletSTDP.preset(preset)
    return base.replace(
        a2_plus=base.a2_plus * learning_rate,
        a3_plus=base.a3_plus * learning_rate,
        a2_minus=base.a2_minus * learning_rate,
        a3_minus=base.a3_minus * learning_rate,
        w_min=w_min,
        w_max=w_max,
        soft_bound_exponent=soft_bound_exponent,
        w_reference=w_reference,
    )


def inhibitory_rule(spec: Any) -> Any:
    """Inhibitory STDP on I->E (Vogels et al. 2011) from the ``[plasticity]`` keys ``istdp_*``."""
    from ..plasticity import InhibitorySTDP

    plast = spec.section("plasticity")
    return InhibitorySTDP(
        eta=plast["istdp_eta"],
        tau_stdp=float(plast["istdp_tau"]),
        rho0=float(plast["istdp_target_rate"]),
        w_min=plast["istdp_w_min"],
        w_max=plast["istdp_w_max"],
    )


def inhibitory_stdp_params() -> dict[str, Param]:
    """The ``[plasticity]`` keys ``istdp_*`` read by :func:`inhibitory_rule` (one home for every plastic circuit)."""
    return {
        "istdp_eta": Param(1e-2, "inhibitory STDP learning rate (weight units)", minimum=0.0),
        "istdp_target_rate": Param("3 Hz", "inhibitory STDP target rate rho_0 of the E cells", positive=True),
        "istdp_tau": Param("20 ms", "inhibitory STDP trace time constant", positive=True),
        "istdp_w_max": Param(50.0, "upper bound of the I->E weight", positive=True),
        "istdp_w_min": Param(
            0.0,
            "lower bound of the I->E weight (Litwin-Kumar & Doiron 2014's code: the initial weight, J_min / J_0 = 1)",
            minimum=0.0,
        ),
    }


def orchestration_params() -> dict[str, Param]:
    """The ``[plasticity]`` keys of Zenke et al. (2015)'s terms on the E->E triplet rule (all off by default).

    :class:`snnmem.plasticity.orchestration.Orchestration` documents the terms. Weights are in
    the E->E weight units of the model (the shipped models start every E->E weight at 1); each
    key's description gives the authors' value expressed relative to their initial weight 0.1.
    """
    return {
        "ee_heterosynaptic": Param(
            0.0,
            "heterosynaptic rate beta: at each postsynaptic spike every E->E input moves toward its "
            "reference weight by beta o1^3 (w - w_tilde) (Zenke et al. 2015; their code: 0.04)",
            minimum=0.0,
        ),
        "ee_transmitter_induced": Param(
            0.0,
            "transmitter-induced change delta added to an E->E weight at each presynaptic spike, not scaled by "
            "ee_learning_rate (Zenke et al. 2015; their code: 2e-5 of an initial weight 0.1, i.e. 2e-4)",
            minimum=0.0,
        ),
        "ee_consolidation_tau": Param(
            "0 s",
            "time constant of the E->E reference weights w_tilde (their consolidation; 0: w_tilde stays at "
            "ee_consolidation_low; Zenke et al. 2015: 1200 s)",
            minimum=0.0,
        ),
        "ee_consolidation_interval": Param(
            "1.2 s", "Euler step of the reference weights (the authors' code: 1.2 s)", positive=True
        ),
        "ee_consolidation_low": Param(
            0.0, "lower stable value of the reference weights, in E->E weight units (their code: 0)"
        ),
        "ee_consolidation_high": Param(
            5.0, "upper stable value of the reference weights, in E->E weight units (their code: 0.5 / initial 0.1)"
        ),
        "ee_consolidation_strength": Param(
            1.0,
            "height of the reference weights' bistable potential, in E->E weight units "
            "(their code: 0.1 / their initial 0.1)",
            minimum=0.0,
        ),
    }


def orchestrated(rule: Any, spec: Any) -> Any:
    """``rule`` (a :class:`~snnmem.plasticity.TripletSTDP`) with the terms of :func:`orchestration_params` set."""
    from ..plasticity.orchestration import Orchestration

    plast = spec.section("plasticity")
    if plast["ee_heterosynaptic"] == 0 and plast["ee_transmitter_induced"] == 0:
        return rule
    terms = Orchestration(
        beta=plast["ee_heterosynaptic"],
        delta=plast["ee_transmitter_induced"],
        tau_consolidation=float(plast["ee_consolidation_tau"]),
        interval=float(plast["ee_consolidation_interval"]),
        w_low=plast["ee_consolidation_low"],
        w_high=plast["ee_consolidation_high"],
        strength=plast["ee_consolidation_strength"],
    )
    return rule.replace(orchestration=terms)


def check_orchestration(spec: Any) -> None:
    """Raise ConfigError, naming the keys, for settings of :func:`orchestration_params` that cannot work."""
    plast = spec.section("plasticity")
    on = plast["ee_heterosynaptic"] > 0 or plast["ee_transmitter_induced"] > 0
    if on and plast["ee_rule"] != "triplet":
        raise ConfigError(
            "plasticity.ee_heterosynaptic and plasticity.ee_transmitter_induced act on the triplet rule only "
            f"(plasticity.ee_rule = {plast['ee_rule']!r})"
        )
    if float(plast["ee_consolidation_tau"]) > 0 and plast["ee_heterosynaptic"] == 0:
        raise ConfigError(
            "plasticity.ee_consolidation_tau > 0 has no effect without plasticity.ee_heterosynaptic > 0 "
            "(the reference weights act only through the heterosynaptic term)"
        )
    low, high = plast["ee_consolidation_low"], plast["ee_consolidation_high"]
    if low >= high:
        raise ConfigError(
            f"plasticity.ee_consolidation_low = {low:g} must be below plasticity.ee_consolidation_high = {high:g}"
        )
    dt, interval = float(spec["simulation.dt"]), float(plast["ee_consolidation_interval"])
    if abs(interval / dt - round(interval / dt)) > 1e-6:
        raise ConfigError("plasticity.ee_consolidation_interval must be a whole number of time steps")


def check_inhibitory_bounds(spec: Any, initial_keys: tuple[str, ...] = ("synapses.w_ie_initial",)) -> None:
    """Raise ConfigError unless every initial I->E weight lies in [``istdp_w_min``, ``istdp_w_max``].

    ``initial_keys``: the keys of the initial I->E weights the inhibitory rule acts on.
    """
    low, high = float(spec["plasticity.istdp_w_min"]), float(spec["plasticity.istdp_w_max"])
    if low >= high:
        raise ConfigError(f"plasticity.istdp_w_min = {low:g} must be below plasticity.istdp_w_max = {high:g}")
    for key in initial_keys:
        if not low <= float(spec[key]) <= high:
            raise ConfigError(
                f"{key} = {float(spec[key]):g} lies outside the inhibitory STDP bounds "
                f"[plasticity.istdp_w_min, plasticity.istdp_w_max] = [{low:g}, {high:g}]"
            )
