"""The ring attractor's Brian2 network: equations, stimulus port, run-time values, build."""

from __future__ import annotations

import numpy as np
from ...errors import ConfigError
from ...protocols import Schedule
from ..base import BuiltNetwork
from ..common import nmda_gating_and_gaba, order_summed
from .dense_kernel import dense_low_rank_nmda, kernel_values
from .parameters import conductance_scales, ee_coupling


#: Keys whose values shape the generated code (sizes, integration, external Poisson
#: input, total duration): changing one rebuilds the network. Every other value of
#: the model is a ``(shared, constant)`` variable or a constant array of the
#: network, set at run time (see :func:`run_values`): in ``cpp_standalone`` a
#: compiled ring reruns with new values without recompiling.
STRUCTURE_KEYS = (
    "network.n_exc",
    "network.n_inh",
    "external.rate",
    "external.n_sources",
    "connectivity.ee_implementation",
    "simulation.dt",
    "simulation.method",
)


# Cell and synapse parameters, as (shared, constant) variables of each group.
_PARAMETERS = """
    capacitance : farad (shared, constant)
    g_leak : siemens (shared, constant)
    v_leak : volt (shared, constant)
    v_threshold : volt (shared, constant)
    v_reset : volt (shared, constant)
    t_refractory : second (shared, constant)
    g_ext : siemens (shared, constant)
    g_nmda : siemens (shared, constant)
    g_gaba : siemens (shared, constant)
    e_ampa : volt (shared, constant)
    e_nmda : volt (shared, constant)
    e_gaba : volt (shared, constant)
    tau_ampa_decay : second (shared, constant)
    tau_gaba_decay : second (shared, constant)
    mg_block_slope : 1/volt (shared, constant)
    mg_block_factor : 1 (shared, constant)
"""


def _neuron_equations(input_term: str, nmda_input: str = "s_nmda_total : 1") -> str:
    return (
        f"""
    dv/dt = (-g_leak*(v - v_leak) - g_ext*s_ampa*(v - e_ampa)
             - g_nmda*s_nmda_total*(v - e_nmda)/(1 + exp(-mg_block_slope*v)/mg_block_factor)
             - g_gaba*s_gaba*(v - e_gaba){input_term}) / capacitance : volt (unless refractory)
    ds_ampa/dt = -s_ampa/tau_ampa_decay : 1
    ds_gaba/dt = -s_gaba/tau_gaba_decay : 1
    {nmda_input}
    """
        + _PARAMETERS
    )


# Presynaptic NMDA gating of each excitatory cell (shared by all its synapses).
_NMDA_GATING = """
    ds_nmda/dt = -s_nmda/tau_nmda_decay + alpha_nmda*x_nmda*(1 - s_nmda) : 1
    dx_nmda/dt = -x_nmda/tau_nmda_rise : 1
    tau_nmda_decay : second (shared, constant)
    tau_nmda_rise : second (shared, constant)
    alpha_nmda : hertz (shared, constant)
"""


def _port_equations(n_stimuli: int) -> str:
    """The stimulus port of the E cells: one current profile and window per stimulus, summed."""
    lines = [
        f"stim{k}_profile : amp (constant)\nstim{k}_start : second (shared, constant)\n"
        f"stim{k}_stop : second (shared, constant)\n"
        for k in range(n_stimuli)
    ]
    terms = [f"stim{k}_profile*int(t >= stim{k}_start and t < stim{k}_stop)" for k in range(n_stimuli)]
    return "".join(lines) + f"cue_current = {' + '.join(terms) or '0*amp'} : amp\n"


def _check_port(spec, schedule: Schedule) -> None:
    if schedule.global_stimuli():
        raise ConfigError(
            "the ring_attractor circuit has no global input: a schedule with a global stimulus "
            "(e.g. the reset task) cannot run on it"
        )
    for stimulus in schedule.cell_stimuli():
        if len(stimulus.cells) != spec["network.n_exc"]:
            raise ConfigError(
                f"stimulus {stimulus.label!r} names {len(stimulus.cells)} cells; the network has "
                f"{spec['network.n_exc']} E cells"
            )


def code_signature(spec, schedule: Schedule) -> dict:
    """What the generated code depends on: equal signatures, one compiled network.

    The values of :data:`STRUCTURE_KEYS`, the schedule's total duration and number
    of stimuli, and the number of Fourier modes (the size of the mode group). With
    ``ee_implementation = "per_synapse"`` the profile's parameters too (its
    weights are computed in the generated code).
    """
    signature = {key: spec.raw[key.split(".")[0]][key.split(".")[1]] for key in STRUCTURE_KEYS}
    signature["duration_s"] = repr(schedule.duration_s)
    signature["n_stimuli"] = len(schedule.cell_stimuli())
    signature["ee_kernel"] = ee_kernel(spec)
    if spec["connectivity.ee_implementation"] != "per_synapse":
        signature["fourier_modes"] = ee_coupling(spec).n_modes
    else:
        signature["sigma_deg"] = spec["connectivity.sigma_deg"]
        signature["j_plus"] = spec["connectivity.j_plus"]
    return signature


def run_values(spec, schedule: Schedule) -> dict[str, float | np.ndarray]:
    """Every value the network takes at run time: ``"group.variable" -> value`` (SI units).

    :func:`build` assigns exactly these (or placeholders, with ``run_args=True``);
    :func:`snnmem.simulate` passes them to a compiled standalone binary as Brian2
    ``run_args``, so models with the same :func:`code_signature` share one build.
    """
    syn, cond = spec.section("synapses"), spec.section("conductances")
    amplitude = float(spec["protocol.cue_amplitude"])
    scale_exc, scale_inh = conductance_scales(spec)
    values: dict[str, float | np.ndarray] = {}
    shared = ("e_ampa", "e_nmda", "e_gaba", "tau_ampa_decay", "tau_gaba_decay", "mg_block_slope", "mg_block_factor")
    for pop, g_ext, g_nmda, g_gaba in (
        ("exc", cond["g_ext_exc"], cond["g_ee_nmda"] * scale_exc, cond["g_ie_gaba"] * scale_inh),
        ("inh", cond["g_ext_inh"], cond["g_ei_nmda"] * scale_exc, cond["g_ii_gaba"] * scale_inh),
    ):
        cells = spec.section(pop)
        for key in ("capacitance", "g_leak", "v_leak", "v_threshold", "v_reset"):
            values[f"{pop}.{key}"] = float(cells[key])
        values[f"{pop}.t_refractory"] = float(cells["refractory"])
        values.update({f"{pop}.g_ext": float(g_ext), f"{pop}.g_nmda": float(g_nmda), f"{pop}.g_gaba": float(g_gaba)})
        values.update({f"{pop}.{key}": float(syn[key]) for key in shared})
    for key in ("tau_nmda_decay", "tau_nmda_rise", "alpha_nmda"):
        values[f"exc.{key}"] = float(syn[key])
    for k, stimulus in enumerate(schedule.cell_stimuli()):  # the stimulus port: strength 1 = cue_amplitude
        values[f"exc.stim{k}_start"], values[f"exc.stim{k}_stop"] = stimulus.start_s, stimulus.stop_s
        values[f"exc.stim{k}_profile"] = stimulus.strength * amplitude * stimulus.cells
    kernel = ee_kernel(spec)
    if kernel != "none":  # the same two arrays, held by the dense kernel's data group or by the two Synapses
        arrays = kernel_values(ee_coupling(spec))
        if kernel == "synapses":
            arrays = {
                "nmda_project.basis": arrays["nmda_kernel.basis"],
                "nmda_expand_exc.coupling": arrays["nmda_kernel.coupling"],
            }
        values.update(arrays)
    return values


def ee_kernel(spec) -> str:
    """How the Fourier E->E sums run: ``"dense"`` (C++ loops, standalone), ``"synapses"`` (summed variables).

    ``"none"`` for ``ee_implementation = "per_synapse"``. ``"fourier"`` runs the dense
    kernel on ``cpp_standalone`` and summed variables on the runtime device (which
    cannot call the C++ functions); ``"fourier_synapses"`` always uses summed variables.
    """
    implementation = spec["connectivity.ee_implementation"]
    if implementation == "per_synapse":
        return "none"
    if implementation == "fourier" and spec["simulation.device"] == "cpp_standalone":
        return "dense"
    return "synapses"


def build(spec, schedule: Schedule, *, run_args: bool = False) -> BuiltNetwork:
    """Create the Brian2 objects of the ring network (not yet run).

    Parameters
    ----------
    spec
        The model.
    schedule
        The stimuli of the run (default: the native protocol). A stimulus of
        strength ``s`` injects ``s * protocol.cue_amplitude * cells`` (a current per
        E cell) during its window.
    run_args
        Standalone only: give every run-time value (:func:`run_values`) a
        placeholder and mark where the binary applies its command-line values
        (``device.apply_run_args()``, before the initial voltages are drawn). The
        generated code then does not depend on those values at all; the caller
        must pass them to ``device.run(run_args=...)``.
    """
    import brian2 as b2

    _check_port(spec, schedule)
    net, ext, conn = spec.section("network"), spec.section("external"), spec.section("connectivity")
    method = spec["simulation.method"]
    n_exc, n_inh = net["n_exc"], net["n_inh"]

    kernel = ee_kernel(spec)

    def population(name, n, extra_eqs, input_term, nmda_input="s_nmda_total : 1"):
        return b2.NeuronGroup(
            n,
            _neuron_equations(input_term, nmda_input) + extra_eqs,
            threshold="v > v_threshold",
            reset="v = v_reset",
            refractory="t_refractory",
            method=method,
            name=name,
        )

    exc = population("exc", n_exc, _NMDA_GATING + _port_equations(len(schedule.cell_stimuli())), " + cue_current")
    # with the dense kernel the I cells read mode 0 (the summed E gating) through a link
    inh = population("inh", n_inh, "", "", "s_nmda_total : 1 (linked)" if kernel == "dense" else "s_nmda_total : 1")

    objects: list = [exc, inh]
    for group, name in ((exc, "external_exc"), (inh, "external_inh")):
        if float(ext["rate"]) > 0:
            objects.append(
                b2.PoissonInput(group, "s_ampa", N=ext["n_sources"], rate=ext["rate"] / ext["n_sources"], weight=1)
            )

    # NMDA gating rises with each excitatory spike (one synapse per cell, not per pair).
    objects += nmda_gating_and_gaba(b2, exc, inh)

    info = {"ee_implementation": conn["ee_implementation"], "ee_kernel": kernel}
    if kernel != "none":
        coupling = ee_coupling(spec)
        if kernel == "dense":
            objects += dense_low_rank_nmda(b2, exc, inh, coupling.n_modes)
        else:
            objects += _low_rank_nmda(b2, exc, inh, coupling)
        info.update(fourier_modes=coupling.n_modes, fourier_max_dropped=coupling.max_relative_error)
    else:
        objects += _per_synapse_nmda(b2, exc, inh, spec)

    by_name = {obj.name: obj for obj in objects}
    for dotted, value in run_values(spec, schedule).items():
        owner, variable = dotted.split(".")
        dim = getattr(by_name[owner], variable).dim
        setattr(by_name[owner], variable, b2.Quantity(np.zeros_like(value) if run_args else value, dim=dim))
    if run_args:
        b2.get_device().apply_run_args()
    for group in (exc, inh):
        group.v = "v_reset + rand()*(v_threshold - v_reset)"

    monitors = {"exc": b2.SpikeMonitor(exc, name="spikes_exc"), "inh": b2.SpikeMonitor(inh, name="spikes_inh")}
    objects += list(monitors.values())
    return BuiltNetwork(objects, monitors, {"exc": n_exc, "inh": n_inh}, info)


def _low_rank_nmda(b2, exc, inh, coupling) -> list:
    """E->E through M Fourier modes; E->I through mode 0 (the plain sum)."""
    n_exc, n_modes = coupling.basis.shape
    modes = b2.NeuronGroup(n_modes, "projection : 1", name="nmda_modes")
    project = b2.Synapses(
        exc, modes, "basis : 1 (constant)\nprojection_post = basis*s_nmda_pre : 1 (summed)", name="nmda_project"
    )
    # i outer, j inner: consecutive synapses add into different modes (no store chain).
    project.connect(i=np.repeat(np.arange(n_exc), n_modes), j=np.tile(np.arange(n_modes), n_exc))
    expand = b2.Synapses(
        modes,
        exc,
        "coupling : 1 (constant)\ns_nmda_total_post = coupling*projection_pre : 1 (summed)",
        name="nmda_expand_exc",
    )
    expand.connect(i=np.repeat(np.arange(n_modes), n_exc), j=np.tile(np.arange(n_exc), n_modes))
    onto_inh = b2.Synapses(modes, inh, "s_nmda_total_post = projection_pre : 1 (summed)", name="nmda_expand_inh")
    onto_inh.connect(i=0, j=np.arange(inh.N))  # mode 0 has basis 1: projection = sum of s_nmda
    order_summed([project], [expand, onto_inh])
    return [modes, project, expand, onto_inh]


def _per_synapse_nmda(b2, exc, inh, spec) -> list:
    """Every E->E pair a synapse with its weight (N_E^2 summed per step)."""
    from ...connectivity import ring_profile

    conn = spec.section("connectivity")
    n_exc = exc.N
    profile = ring_profile(n_exc, conn["sigma_deg"], conn["j_plus"])
    ee = b2.Synapses(
        exc,
        exc,
        "w : 1 (constant)\ns_nmda_total_post = w*s_nmda_pre : 1 (summed)",
        namespace={"ring_profile": b2.TimedArray(profile, dt=b2.second)},
        name="nmda_ee",
    )
    ee.connect()
    ee.w = f"ring_profile(((j - i + {n_exc}) % {n_exc})*second)"
    total = b2.NeuronGroup(1, "projection : 1", name="nmda_sum")
    project = b2.Synapses(exc, total, "projection_post = s_nmda_pre : 1 (summed)", name="nmda_project")
    project.connect()
    onto_inh = b2.Synapses(total, inh, "s_nmda_total_post = projection_pre : 1 (summed)", name="nmda_expand_inh")
    onto_inh.connect()
    order_summed([project], [ee, onto_inh])
    return [ee, total, project, onto_inh]
