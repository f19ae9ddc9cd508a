"""Ring (bump) attractor for spatial working memory, after Compte et al. (2000).

Compte A, Brunel N, Goldman-Rakic PS, Wang X-J (2000). Synaptic mechanisms and
network dynamics underlying spatial working memory in a cortical network model.
Cerebral Cortex 10(9):910-923. doi:10.1093/cercor/10.9.910

Network
-------
``n_exc`` excitatory and ``n_inh`` inhibitory conductance-based leaky
integrate-and-fire neurons, all-to-all connected. Excitatory neuron k prefers the
angle :math:`\\theta_k = 2\\pi k / N_E`.

.. math::

    C_m \\frac{dV}{dt} = -g_L (V - V_L) - g_{ext} s_{AMPA} (V - E_{AMPA})
        - g_{E\\to X} \\frac{S_{NMDA}}{1 + e^{-0.062 V/\\mathrm{mV}} / 3.57} (V - E_{NMDA})
        - g_{I\\to X} s_{GABA} (V - E_{GABA}) + I_{cue}

- external drive: Poisson spikes at ``external.rate`` onto AMPA
  (:math:`s_{AMPA} \\mathrel{+}= 1`, decay ``tau_ampa_decay``);
- recurrent excitation through saturating NMDA, gated presynaptically:
  :math:`ds/dt = -s/\\tau_{decay} + \\alpha x (1 - s)`, :math:`dx/dt = -x/\\tau_{rise}`,
  :math:`x \\mathrel{+}= 1` per spike; the postsynaptic input is
  :math:`S_{NMDA,j} = \\sum_i W_{ji} s_i` with the Gaussian ring profile
  :math:`W(\\Delta\\theta) = J_- + (J_+ - J_-) e^{-\\Delta\\theta^2/2\\sigma^2}` (mean 1)
  onto E cells and :math:`\\sum_i s_i` (uniform) onto I cells;
- inhibition through GABA_A: :math:`s_{GABA} \\mathrel{+}= 1` per inhibitory spike,
  decay ``tau_gaba_decay``;
- cue: :math:`I_{cue}(\\theta) = I_0 e^{-d(\\theta, \\theta_c)^2 / 2 w^2}` during the
  cue phase.

Recurrent conductances scale with ``reference_n_exc / n_exc`` (E->E, E->I) and
``reference_n_inh / n_inh`` (I->E, I->I), so a downsized ring stays in the same
regime.

Implementation of the E->E input
--------------------------------
``connectivity.ee_implementation = "fourier"`` (default) uses the exact low-rank
factorisation of the circulant weight matrix (:mod:`snnmem.connectivity`): the
gating variables are projected onto M Fourier modes by one ``Synapses`` (N_E x M
summed), then expanded back by another (M x N_E summed). Modes below
``connectivity.fourier_tolerance`` (relative) are dropped: with the default 1e-9,
47 modes for N_E = 2048 and sigma = 14.4 deg. ``"per_synapse"`` sums the
N_E^2 synapses directly (for comparison and benchmarks). Both are plain Brian2
and run on every device (runtime and ``cpp_standalone``).

Expected behaviour (reference multi-seed runs at these parameters, dt = 0.05 ms):
with sigma = 14.4 deg and J+ = 1.62, a 250 ms cue leaves a bump of 12-24 Hz on a
1.5-4 Hz background, inhibitory cells at 10-16 Hz; the bump persists in most
seeds over a 3 s delay (it is marginal: about 1 seed in 20 collapses within 5 s).
sigma = 18 deg (also reported by Compte et al.) gives a stronger, more stable bump
(peak 36-41 Hz, background <= 1.2 Hz).
"""

from __future__ import annotations

import numpy as np

from ..analysis.memory import MemoryMap
from ..schema import Param, ampa_nmda_gaba_params, lif_cell_params, simulation_params
from ..errors import ConfigError
from ..protocols import Phase, Schedule, Stimulus, find_phase, phase_window, sequential_phases
from .base import BuiltNetwork, Circuit
from .common import order_summed

SCHEMA = {
    "network": {
        "n_exc": Param(2048, "number of excitatory (pyramidal) cells", minimum=8),
        "n_inh": Param(512, "number of inhibitory (interneuron) cells", minimum=1),
    },
    "exc": lif_cell_params("0.5 nF", "25 nS", v_reset="-60 mV", refractory="2 ms"),
    "inh": lif_cell_params("0.2 nF", "20 nS", v_reset="-60 mV", refractory="1 ms"),
    "synapses": ampa_nmda_gaba_params(),
    "conductances": {
        "g_ee_nmda": Param("0.381 nS", "E->E NMDA peak conductance per synapse (at reference size)", minimum=0.0),
        "g_ei_nmda": Param("0.292 nS", "E->I NMDA peak conductance per synapse (at reference size)", minimum=0.0),
        "g_ie_gaba": Param("1.336 nS", "I->E GABA_A conductance per synapse (at reference size)", minimum=0.0),
        "g_ii_gaba": Param("1.024 nS", "I->I GABA_A conductance per synapse (at reference size)", minimum=0.0),
        "g_ext_exc": Param("3.1 nS", "external AMPA conductance onto E cells", minimum=0.0),
        "g_ext_inh": Param("2.38 nS", "external AMPA conductance onto I cells", minimum=0.0),
        "reference_n_exc": Param(2048, "E population size the recurrent conductances are given for", minimum=1),
        "reference_n_inh": Param(512, "I population size the recurrent conductances are given for", minimum=1),
    },
    "external": {
        "rate": Param("1.8 kHz", "total external Poisson rate per neuron", minimum=0.0),
        "n_sources": Param(1000, "independent Poisson sources per neuron (rate / n_sources each)", minimum=1),
    },
    "connectivity": {
        "sigma_deg": Param(
            14.4,
            "width of the Gaussian E->E profile (degrees); Compte et al. also report 18",
            positive=True,
            maximum=360.0,
        ),
        "j_plus": Param(1.62, "peak E->E weight J+ (J- follows from mean weight 1)", minimum=0.0),
        "ee_implementation": Param("fourier", "how E->E NMDA input is summed", choices=("fourier", "per_synapse")),
        "fourier_tolerance": Param(
            1e-9, "drop Fourier modes below this fraction of the largest", minimum=0.0, maximum=0.1
        ),
    },
    "protocol": {
        "baseline_duration": Param("500 ms", "spontaneous activity before the cue", minimum=0.0),
        "cue_angle_deg": Param(180.0, "cue location (degrees)", minimum=0.0, maximum=360.0),
        "cue_amplitude": Param("200 pA", "peak cue current"),
        "cue_width_deg": Param(6.0, "standard deviation of the Gaussian cue (degrees)", positive=True),
        "cue_duration": Param("250 ms", "cue duration", minimum=0.0),
        "delay_duration": Param("3 s", "delay (memory) period after the cue", minimum=0.0),
        "score_offset": Param("250 ms", "scoring starts this long after cue offset", minimum=0.0),
        "score_window": Param("500 ms", "length of each scoring window", positive=True),
    },
    "memory": {
        "n_items": Param(
            8,
            "memory items for tasks: this many cue angles evenly round the ring (item 1 at 0 deg)",
            minimum=1,
            maximum=360,
        ),
        "held_threshold_hz": Param(
            10.0,
            "an item is held while the rate of its cells (weighted by the cue "
            "profile at its angle) is at least this (Hz)",
            positive=True,
        ),
    },
    "simulation": simulation_params(
        "0.05 ms", n_angle_bins=Param(64, "angular groups of E cells in /rates/exc", minimum=1)
    ),
}


def check(spec) -> None:
    """Rules between keys, checked when the model is loaded (before any build)."""
    from ..connectivity import ring_j_minus

    n_exc = spec["network.n_exc"]
    j_minus = ring_j_minus(n_exc, spec["connectivity.sigma_deg"], spec["connectivity.j_plus"])
    if j_minus < 0:
        raise ConfigError(
            f"connectivity.j_plus = {spec['connectivity.j_plus']:g} with connectivity.sigma_deg = "
            f"{spec['connectivity.sigma_deg']:g} needs a negative baseline weight J- = {j_minus:.3g} to keep the "
            "mean weight 1 (negative NMDA conductances): lower j_plus or sigma_deg"
        )
    if spec["simulation.n_angle_bins"] > n_exc:
        raise ConfigError(
            f"simulation.n_angle_bins = {spec['simulation.n_angle_bins']} exceeds network.n_exc = {n_exc}"
        )
    duration = native_schedule(spec).duration_s
    if duration and float(spec["simulation.rate_bin"]) > duration:
        raise ConfigError(
            f"simulation.rate_bin = {spec.raw['simulation']['rate_bin']} is longer than the protocol ({duration:g} s)"
        )


def cue_profile(spec, angle_deg: float) -> np.ndarray:
    """Relative cue drive of every E cell: a Gaussian over angle, sd ``protocol.cue_width_deg``, peak 1."""
    n_exc = spec["network.n_exc"]
    theta_deg = np.arange(n_exc) * 360.0 / n_exc
    distance = np.abs((theta_deg - angle_deg + 180.0) % 360.0 - 180.0)
    return np.exp(-(distance**2) / (2.0 * spec["protocol.cue_width_deg"] ** 2))


def native_schedule(spec) -> Schedule:
    """The native protocol: baseline, cue (at ``protocol.cue_angle_deg``), delay."""
    p = spec.section("protocol")
    cue = (
        f"{float(p['cue_amplitude']) * 1e12:g} pA Gaussian cue at {p['cue_angle_deg']:g} deg "
        f"(sd {p['cue_width_deg']:g} deg)"
    )
    phases = sequential_phases(
        [
            ("baseline", float(p["baseline_duration"]), "spontaneous activity"),
            ("cue", float(p["cue_duration"]), cue),
            ("delay", float(p["delay_duration"]), "no input: the memory must persist"),
        ]
    )
    stimulus = Stimulus(*phase_window(phases, "cue"), cells=cue_profile(spec, p["cue_angle_deg"]), label="cue")
    return Schedule(tuple(phases), (stimulus,))


def protocol(spec) -> list[Phase]:
    """Phases of the native protocol (:func:`native_schedule`)."""
    return list(native_schedule(spec).phases)


def memory_map(spec) -> MemoryMap:
    """Items are ``memory.n_items`` angles evenly round the ring (item 1 at 0 deg).

    Item ``k``'s weights are the cue profile at its angle (a Gaussian of sd
    ``protocol.cue_width_deg``), so a task's cue of item ``k`` is the native cue at
    that angle; its rate is read out with the same weights.
    """
    n_items, n_exc = spec["memory.n_items"], spec["network.n_exc"]
    angles = np.arange(n_items) * 360.0 / n_items
    return MemoryMap(
        weights=np.stack([cue_profile(spec, a) for a in angles]),
        labels=tuple(f"{a:g}deg" for a in angles),
        held_threshold_hz=spec["memory.held_threshold_hz"],
        item_angles_deg=angles,
        cell_angles_deg=np.arange(n_exc) * 360.0 / n_exc,
    )


def _conductance_scales(spec) -> tuple[float, float]:
    net, cond = spec.section("network"), spec.section("conductances")
    return cond["reference_n_exc"] / net["n_exc"], cond["reference_n_inh"] / net["n_inh"]


def ee_coupling(spec):
    """The exact low-rank E->E coupling of this model (see :mod:`snnmem.connectivity`)."""
    from ..connectivity import circulant_modes, ring_profile

    conn = spec.section("connectivity")
    profile = ring_profile(spec["network.n_exc"], conn["sigma_deg"], conn["j_plus"])
    return circulant_modes(profile, conn["fourier_tolerance"])


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


def _neuron_equations(input_term: str) -> str:
    return (
        f"""
    dv/dt = (-g_leak*(v - v_leak) - g_ext*s_ampa*(v - e_ampa)
             - g_nmda*s_nmda_total*(v - e_nmda)/(1 + exp(-mg_block_slope*v)/mg_block_factor)
             - g_gaba*s_gaba*(v - e_gaba){input_term}) / capacitance : volt (unless refractory)
    ds_ampa/dt = -s_ampa/tau_ampa_decay : 1
    ds_gaba/dt = -s_gaba/tau_gaba_decay : 1
    s_nmda_total : 1
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


def code_signature(spec, schedule: Schedule | None = None) -> dict:
    """What the generated code depends on: equal signatures, one compiled network.

    The values of :data:`STRUCTURE_KEYS`, the schedule's total duration and number
    of stimuli, and the number of Fourier modes (the size of the mode group). With
    ``ee_implementation = "per_synapse"`` the profile's parameters too (its
    weights are computed in the generated code).
    """
    schedule = schedule or native_schedule(spec)
    signature = {key: spec.raw[key.split(".")[0]][key.split(".")[1]] for key in STRUCTURE_KEYS}
    signature["duration_s"] = repr(schedule.duration_s)
    signature["n_stimuli"] = len(schedule.cell_stimuli())
    if spec["connectivity.ee_implementation"] == "fourier":
        signature["fourier_modes"] = ee_coupling(spec).n_modes
    else:
        signature["sigma_deg"] = spec["connectivity.sigma_deg"]
        signature["j_plus"] = spec["connectivity.j_plus"]
    return signature


def run_values(spec, schedule: Schedule | None = None) -> dict[str, float | np.ndarray]:
    """Every value the network takes at run time: ``"group.variable" -> value`` (SI units).

    :func:`build` assigns exactly these (or placeholders, with ``run_args=True``);
    :func:`snnmem.simulate` passes them to a compiled standalone binary as Brian2
    ``run_args``, so models with the same :func:`code_signature` share one build.
    """
    schedule = schedule or native_schedule(spec)
    syn, cond = spec.section("synapses"), spec.section("conductances")
    amplitude = float(spec["protocol.cue_amplitude"])
    scale_exc, scale_inh = _conductance_scales(spec)
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
    if spec["connectivity.ee_implementation"] == "fourier":
        coupling = ee_coupling(spec)
        values["nmda_project.basis"] = coupling.basis.ravel()
        values["nmda_expand_exc.coupling"] = (coupling.basis * coupling.coefficients).T.ravel()
    return values


def build(spec, schedule: Schedule | None = None, *, run_args: bool = False) -> BuiltNetwork:
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

    schedule = schedule or native_schedule(spec)
    _check_port(spec, schedule)
    net, ext, conn = spec.section("network"), spec.section("external"), spec.section("connectivity")
    method = spec["simulation.method"]
    n_exc, n_inh = net["n_exc"], net["n_inh"]

    def population(name, n, extra_eqs, input_term):
        return b2.NeuronGroup(
            n,
            _neuron_equations(input_term) + extra_eqs,
            threshold="v > v_threshold",
            reset="v = v_reset",
            refractory="t_refractory",
            method=method,
            name=name,
        )

    exc = population("exc", n_exc, _NMDA_GATING + _port_equations(len(schedule.cell_stimuli())), " + cue_current")
    inh = population("inh", n_inh, "", "")

    objects: list = [exc, inh]
    for group, name in ((exc, "external_exc"), (inh, "external_inh")):
        if float(ext["rate"]) > 0:
            objects.append(
                b2.PoissonInput(group, "s_ampa", N=ext["n_sources"], rate=ext["rate"] / ext["n_sources"], weight=1)
            )

    # NMDA gating rises with each excitatory spike (one synapse per cell, not per pair).
    gating = b2.Synapses(exc, exc, on_pre="x_nmda_post += 1", name="nmda_gating")
    gating.connect(j="i")
    gaba_onto_exc = b2.Synapses(inh, exc, on_pre="s_gaba_post += 1", name="gaba_ie")
    gaba_onto_exc.connect()
    gaba_onto_inh = b2.Synapses(inh, inh, on_pre="s_gaba_post += 1", name="gaba_ii")
    gaba_onto_inh.connect()
    objects += [gating, gaba_onto_exc, gaba_onto_inh]

    info = {"ee_implementation": conn["ee_implementation"]}
    if conn["ee_implementation"] == "fourier":
        coupling = ee_coupling(spec)
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
    from ..connectivity import ring_profile

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


def score(spec, spikes, phases):
    """Bump scores of the delay (see :func:`snnmem.analysis.ring.ring_bump_scores`)."""
    from ..analysis.ring import ring_bump_scores

    proto = spec.section("protocol")
    exc_ids, exc_times = spikes["exc"]
    inh_ids, inh_times = spikes["inh"]
    try:
        delay = find_phase(phases, "delay")
        cue = find_phase(phases, "cue")
    except KeyError:
        return {}, {}
    start = cue.stop_s + float(proto["score_offset"])
    if delay.stop_s - start < float(proto["score_window"]):
        return {}, {}
    return ring_bump_scores(
        exc_ids,
        exc_times,
        spec["network.n_exc"],
        inh_ids,
        inh_times,
        spec["network.n_inh"],
        cue_angle_deg=proto["cue_angle_deg"],
        delay_start=start,
        delay_stop=delay.stop_s,
        window=float(proto["score_window"]),
    )


def rates(spec, spikes, duration_s):
    """Rates stored in the run file: E cells by angle (heat map) and the I population."""
    from ..analysis.binning import population_rate
    from ..analysis.ring import ring_rate_map

    bin_s = float(spec["simulation.rate_bin"])
    exc_ids, exc_times = spikes["exc"]
    inh_ids, inh_times = spikes["inh"]
    exc_map, centres = ring_rate_map(
        exc_ids, exc_times, spec["network.n_exc"], 0.0, duration_s, bin_s, n_angle_bins=spec["simulation.n_angle_bins"]
    )
    inh_rate = population_rate(inh_ids, inh_times, spec["network.n_inh"], 0.0, duration_s, bin_s)
    common = {"bin_s": bin_s, "t_start_s": 0.0, "units": "Hz"}
    return {
        "exc": (exc_map, dict(common, group_centres_deg=np.asarray(centres), groups="preferred angle")),
        "inh": (inh_rate, dict(common, groups="population")),
    }


class RingAttractor(Circuit):
    """Compte et al. (2000) ring: the ``ring_attractor`` circuit (see the module docstring)."""

    name = "ring_attractor"
    schema = SCHEMA

    def check(self, spec) -> None:
        check(spec)

    def memory_map(self, spec, seed: int = 0) -> MemoryMap:
        return memory_map(spec)

    def native_schedule(self, spec, seed: int = 0) -> Schedule:
        return native_schedule(spec)

    def build(self, spec, seed: int, schedule: Schedule, *, run_args: bool = False) -> BuiltNetwork:
        return build(spec, schedule, run_args=run_args)

    def code_signature(self, spec, schedule: Schedule) -> dict:
        return code_signature(spec, schedule)

    def run_values(self, spec, schedule: Schedule) -> dict:
        return run_values(spec, schedule)

    def native_scores(self, spec, spikes, phases, state):
        return score(spec, spikes, phases)

    def rates(self, spec, spikes, duration_s):
        return rates(spec, spikes, duration_s)
