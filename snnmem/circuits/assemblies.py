"""Long-term memory: cell assemblies formed by STDP and recalled from partial cues.

After Litwin-Kumar A, Doiron B (2014). Formation and maintenance of neuronal
assemblies through synaptic plasticity. Nature Communications 5:5319.
doi:10.1038/ncomms6319 (plastic E->E synapses, inhibitory STDP on I->E, synaptic
normalisation, repeated stimulation of overlapping assemblies), with the plasticity
rules of :mod:`snnmem.plasticity` (triplet or pair STDP on E->E; the voltage-based
rule of the paper is not in the library yet).

Network
-------
``n_exc`` excitatory and ``n_inh`` inhibitory conductance-based leaky
integrate-and-fire cells; E cells have a spike-triggered adaptation current and an
adaptive threshold (both can be switched off by setting their jump to 0):

.. math::

    C \\frac{dV}{dt} = g_L (V_L - V) + g_e (E_e - V) + g_i (E_i - V) - I_{adapt},
    \\qquad \\tau_e \\dot g_e = -g_e,\\; \\tau_i \\dot g_i = -g_i,

    \\tau_{adapt} \\dot I_{adapt} = -I_{adapt},\\qquad
    \\tau_{th} \\dot V_{th} = V_{th}^{0} - V_{th};

at a spike (``V > V_th``) ``V -> V_reset``, ``I_adapt += b`` and ``V_th += jump``.
Every ordered pair is connected with probability ``connection_probability``. A
presynaptic spike adds ``w g_ee`` (E->E, plastic ``w`` in [0, ``w_ee_max``]),
``g_ei`` (E->I), ``w g_ie`` (I->E, inhibitory STDP) or ``g_ii`` (I->I) to the target's
conductance. Every cell receives ``n_sources`` independent Poisson inputs.

Assemblies: ``n_assemblies`` sets of ``round(assembly_fraction * n_exc)`` E cells,
each drawn at random without replacement (a cell can belong to several assemblies,
as in Litwin-Kumar & Doiron 2014). Membership and the order of the training
presentations are drawn from the run's seed.

Plasticity
----------
- E->E: :class:`~snnmem.plasticity.TripletSTDP` (preset
  ``plasticity.ee_preset``, amplitudes x ``ee_learning_rate``) or
  :class:`~snnmem.plasticity.PairSTDP`, hard bounds [0, ``w_ee_max``].
- I->E: :class:`~snnmem.plasticity.InhibitorySTDP` (Vogels et al. 2011), target rate
  ``istdp_target_rate``.
- Optional synaptic normalisation (``plasticity.normalisation``): every
  ``normalisation_interval`` each E cell's E->E input weights are shifted by the same
  amount so that their sum returns to its initial value (subtractive, as in
  Litwin-Kumar & Doiron 2014), then clipped to the bounds.
- The schedule gates plasticity: E->E is frozen during ``warmup`` (inhibitory STDP
  balances the network first) and, unless ``protocol.plastic_during_recall``, both
  rules are frozen during ``recall``, so that recall tests what was stored.

Protocol
--------
``warmup`` (spontaneous, inhibitory STDP only), ``train`` (each assembly stimulated
``train_repetitions`` times for ``train_duration``, in random order, separated by
``train_gap``), ``rest`` (spontaneous activity, plastic), ``recall``: trials of
``recall_duration`` separated by ``recall_gap``, in random order -- for each cue
fraction f in ``cue_fractions`` and each of the first ``recall_assemblies``
assemblies, a random fraction f of the assembly's cells is stimulated; plus
``control_trials`` no-cue trials and as many trials that cue a random set of cells
outside every assembly (as large as the f = 0.5 cue). A stimulus is
``stimulus_rate`` of extra Poisson input onto each stimulated cell.

Scores
------
See :func:`score`. Overlaps are normalised activities of cell sets (1: every cell of
the set active and the rest of the network silent; 0: the set is as active as the
whole E population), computed with :func:`snnmem.analysis.overlap_01`.
"""

from __future__ import annotations


import numpy as np

from .._brian2_private import set_updater_clock
from ..schema import Param, lif_cell_params, simulation_params
from ..errors import ConfigError
from ..plasticity.rules import PairSTDP, TripletSTDP
from ..analysis.memory import MemoryMap
from ..protocols import Schedule, Phase, find_phase, sequential_phases
from .base import BuiltNetwork, Circuit

#: build(spec, seed) and collect_state(built): see snnmem.simulation
SEEDED_BUILD = True
#: time resolution of the stimulus and plasticity schedules
SCHEDULE_STEP_S = 1e-3
CITATION = (
    "Litwin-Kumar A, Doiron B (2014). Formation and maintenance of neuronal assemblies through "
    "synaptic plasticity. Nature Communications 5:5319. doi:10.1038/ncomms6319"
)

SCHEMA = {
    "network": {
        "n_exc": Param(2000, "number of excitatory cells (Litwin-Kumar & Doiron 2014: 4000)", minimum=10),
        "n_inh": Param(500, "number of inhibitory cells (Litwin-Kumar & Doiron 2014: 1000)", minimum=1),
        "n_assemblies": Param(10, "number of assemblies K (Litwin-Kumar & Doiron 2014: 20)", minimum=1, maximum=200),
        "assembly_fraction": Param(0.05, "fraction of the E cells in each assembly", positive=True, maximum=0.5),
        "connection_probability": Param(
            0.2, "probability of a connection between any ordered pair", positive=True, maximum=1.0
        ),
    },
    "exc": {
        **lif_cell_params("200 pF", "10 nS", "-60 mV", "5 ms", v_leak="-60 mV"),
        "adaptation_increment": Param("20 pA", "spike-triggered adaptation current b (0: none)", minimum=0.0),
        "tau_adaptation": Param("150 ms", "adaptation current decay", positive=True),
        "threshold_jump": Param("2 mV", "threshold increase at each spike (0: fixed threshold)", minimum=0.0),
        "tau_threshold": Param("30 ms", "threshold relaxation time constant", positive=True),
    },
    "inh": lif_cell_params("200 pF", "10 nS", "-60 mV", "5 ms", v_leak="-60 mV"),
    "synapses": {
        "e_exc": Param("0 mV", "excitatory reversal potential"),
        "e_inh": Param("-80 mV", "inhibitory reversal potential"),
        "tau_exc": Param("5 ms", "excitatory conductance decay", positive=True),
        "tau_inh": Param("10 ms", "inhibitory conductance decay", positive=True),
        "g_ee": Param("0.15 nS", "E->E conductance per unit weight", minimum=0.0),
        "g_ei": Param("0.15 nS", "E->I conductance", minimum=0.0),
        "g_ie": Param("1 nS", "I->E conductance per unit weight", minimum=0.0),
        "g_ii": Param("1 nS", "I->I conductance", minimum=0.0),
        "w_ee_initial": Param(1.0, "initial E->E weight (all synapses)", minimum=0.0),
        "w_ee_max": Param(4.0, "upper bound of the E->E weight", positive=True),
        "w_ie_initial": Param(1.0, "initial I->E weight (all synapses)", minimum=0.0),
        "delay": Param("1 ms", "transmission delay of every recurrent synapse", minimum=0.0),
    },
    "plasticity": {
        "ee_rule": Param("triplet", "E->E rule from snnmem.plasticity", choices=("triplet", "pair")),
        "ee_preset": Param(
            "pfister2006_visual_minimal_all_to_all",
            "preset of the E->E rule (a TripletSTDP or PairSTDP preset of snnmem.plasticity)",
            choices=(*TripletSTDP.presets(), *PairSTDP.presets()),
        ),
        "ee_learning_rate": Param(3.0, "multiplies the E->E rule's amplitudes", minimum=0.0),
        "istdp_eta": Param(1e-2, "inhibitory STDP learning rate (weight units)", minimum=0.0),
        "istdp_target_rate": Param("3 Hz", "inhibitory STDP target rate rho_0 of the E cells", positive=True),
        "istdp_tau": Param("20 ms", "inhibitory STDP trace time constant", positive=True),
        "istdp_w_max": Param(50.0, "upper bound of the I->E weight", positive=True),
        "normalisation": Param(True, "keep each E cell's summed E->E input weight at its initial value"),
        "normalisation_interval": Param("20 ms", "how often the normalisation is applied", positive=True),
        "normalisation_sum": Param(
            "on_interval",
            "when the summed input is computed: only when the normalisation "
            "uses it, or every time step (Brian2's default; the benchmark's baseline)",
            choices=("on_interval", "every_step"),
        ),
    },
    "external": {
        "n_sources": Param(1000, "independent Poisson inputs per cell", minimum=0),
        "rate_exc": Param("2.5 Hz", "rate of each external source onto E cells", minimum=0.0),
        "rate_inh": Param("2.5 Hz", "rate of each external source onto I cells", minimum=0.0),
        "g_ext_exc": Param("0.2 nS", "conductance of an external input spike onto an E cell", minimum=0.0),
        "g_ext_inh": Param("0.2 nS", "conductance of an external input spike onto an I cell", minimum=0.0),
    },
    "protocol": {
        "held_threshold_hz": Param(
            10.0, "tasks: an assembly is active while its cells fire at least this (Hz)", positive=True
        ),
        "warmup_duration": Param("5 s", "spontaneous activity with inhibitory STDP only", minimum=0.0),
        "train_repetitions": Param(3, "presentations of each assembly during training", minimum=1),
        "train_duration": Param("500 ms", "duration of one presentation", positive=True),
        "train_gap": Param("500 ms", "silence after each presentation", minimum=0.0),
        "rest_duration": Param("20 s", "spontaneous activity after training (plastic)", minimum=0.0),
        "cue_fractions": Param(
            (0.1, 0.25, 0.5, 0.75), "fractions f of an assembly's cells cued at recall", positive=True, maximum=1.0
        ),
        "recall_assemblies": Param(5, "assemblies 1..n cued at every fraction", minimum=1),
        "recall_duration": Param("300 ms", "duration of a recall cue (and of its scoring window)", positive=True),
        "recall_gap": Param("700 ms", "silence after each recall trial", minimum=0.0),
        "control_trials": Param(5, "no-cue trials, and as many random-set cue trials", minimum=0),
        "stimulus_rate": Param("5 kHz", "extra Poisson input onto each stimulated cell", positive=True),
        "g_stimulus": Param("0.2 nS", "conductance of a stimulus input spike", positive=True),
        "plastic_during_recall": Param(False, "keep both rules plastic during the recall phase"),
        "overlap_offset": Param("50 ms", "scoring windows start this long after the cue onset", minimum=0.0),
        "active_min_spikes": Param(2, "a cell is active in a window with at least this many spikes", minimum=1),
        "weight_snapshot_interval": Param(
            "0 s", "record every E->E weight this often (0: only at phase ends)", minimum=0.0
        ),
    },
    "simulation": simulation_params("0.1 ms", ("euler", "exact", "rk2")),
}

#: phases in which each rule learns (the schedule gates, see module docstring)
_PHASE_NAMES = ("warmup", "train", "rest", "recall")
#: seed offset of the structure draws (membership, orders): independent of Brian2's streams
_STRUCTURE_STREAM = 0x5A11


# ----------------------------------------------------------------------------- checks
def assembly_size(spec) -> int:
    """Cells per assembly."""
    net = spec.section("network")
    size = int(round(net["assembly_fraction"] * net["n_exc"]))
    if size < 2:
        raise ConfigError(
            f"network.assembly_fraction = {net['assembly_fraction']:g} of {net['n_exc']} E cells "
            "gives assemblies of fewer than 2 cells"
        )
    return size


def check(spec) -> None:
    """Rules between keys, checked when the model is loaded (before any build)."""
    size = assembly_size(spec)
    proto, net = spec.section("protocol"), spec.section("network")
    if proto["recall_assemblies"] > net["n_assemblies"]:
        raise ConfigError(
            f"protocol.recall_assemblies = {proto['recall_assemblies']} exceeds "
            f"network.n_assemblies = {net['n_assemblies']}"
        )
    for fraction in proto["cue_fractions"]:
        if int(round(fraction * size)) < 1:
            raise ConfigError(f"protocol.cue_fractions: {fraction:g} of an assembly of {size} cells cues no cell")
    if float(spec["synapses.w_ee_initial"]) > float(spec["synapses.w_ee_max"]):
        raise ConfigError("synapses.w_ee_initial must not exceed synapses.w_ee_max")
    dt = float(spec["simulation.dt"])
    for key in (
        "warmup_duration",
        "train_duration",
        "train_gap",
        "rest_duration",
        "recall_duration",
        "recall_gap",
        "weight_snapshot_interval",
    ):
        value = float(proto[key])
        steps = value / SCHEDULE_STEP_S
        if abs(steps - round(steps)) > 1e-6:
            raise ConfigError(f"protocol.{key} = {proto[key]} is not a whole number of milliseconds")
    interval = float(spec["plasticity.normalisation_interval"])
    if abs(interval / dt - round(interval / dt)) > 1e-6:
        raise ConfigError("plasticity.normalisation_interval must be a whole number of time steps")
    if proto["control_trials"] and _outside_count(spec) < _random_cue_size(spec):
        raise ConfigError(
            "protocol.control_trials: too few cells lie outside every assembly for the random-set cue "
            "(fewer assemblies or a smaller assembly_fraction, or control_trials = 0)"
        )


def _outside_count(spec) -> int:
    """Expected number of E cells in no assembly."""
    net = spec.section("network")
    return int(net["n_exc"] * (1 - net["assembly_fraction"]) ** net["n_assemblies"])


def _random_cue_size(spec) -> int:
    return max(1, int(round(0.5 * assembly_size(spec))))


# ----------------------------------------------------------------------------- structure
def assembly_membership(spec, seed: int) -> np.ndarray:
    """Boolean membership matrix ``[n_assemblies, n_exc]`` drawn from ``seed``."""
    rng = np.random.default_rng([_STRUCTURE_STREAM, seed])
    n_assemblies, n_exc, size = spec["network.n_assemblies"], spec["network.n_exc"], assembly_size(spec)
    members = np.zeros((n_assemblies, n_exc), dtype=bool)
    for k in range(n_assemblies):
        members[k, rng.choice(n_exc, size=size, replace=False)] = True
    return members


def ee_connections(spec, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """E->E synapses ``(pre, post)`` drawn from ``seed``.

    Every ordered pair i != j with probability ``connection_probability``, sorted by (pre, post).

    Drawn in numpy (not by Brian2) so that the number of plastic synapses is known
    when the network is built: weight snapshots can then be recorded in standalone mode.
    """
    rng = np.random.default_rng([_STRUCTURE_STREAM, seed, 2])
    n_exc, p = spec["network.n_exc"], spec["network.connection_probability"]
    pre, post = [], []
    for source in range(n_exc):
        targets = np.flatnonzero(rng.random(n_exc) < p)
        targets = targets[targets != source]
        pre.append(np.full(targets.size, source, dtype=np.int32))
        post.append(targets.astype(np.int32))
    return np.concatenate(pre), np.concatenate(post)


_TRIAL_DTYPE = [
    ("start_s", "f8"),
    ("stop_s", "f8"),
    ("kind", "i4"),
    ("assembly", "i4"),
    ("fraction", "f8"),
    ("set_row", "i4"),
]


def schedule(spec, seed: int) -> dict:
    """The stimulus schedule drawn from ``seed``.

    Returns a dict with

    ``sets`` : bool ``[n_sets, n_exc]``
        Stimulated cells of every stimulus; row 0 is the empty set.
    ``events`` : list of ``(start_s, stop_s, set_row)``
        When each stimulus is on.
    ``trials`` : structured array
        One row per recall trial: ``start_s``, ``stop_s``, ``kind`` (0 assembly cue,
        1 no cue, 2 random set), ``assembly`` (0-based, -1 for controls),
        ``fraction`` (cue fraction; 0 for no cue, 0.5 x assembly size for the random
        set), ``set_row``.
    ``membership`` : the assembly membership.
    """
    rng = np.random.default_rng([_STRUCTURE_STREAM, seed, 1])
    members = assembly_membership(spec, seed)
    proto = spec.section("protocol")
    n_assemblies, n_exc = members.shape
    phases = {p.name: p for p in protocol(spec)}
    sets = [np.zeros(n_exc, dtype=bool)] + [row for row in members]
    events = []  # training presentations first (set rows 1..K), then the recall cues
    order = np.concatenate([rng.permutation(n_assemblies) for _ in range(proto["train_repetitions"])])
    slot = float(proto["train_duration"]) + float(proto["train_gap"])
    for n, k in enumerate(order):
        start = phases["train"].start_s + n * slot
        events.append((start, start + float(proto["train_duration"]), int(k) + 1))
    specs = [(0, k, f) for f in proto["cue_fractions"] for k in range(proto["recall_assemblies"])]
    specs += [(1, -1, 0.0)] * proto["control_trials"] + [(2, -1, 0.5)] * proto["control_trials"]
    outside = np.flatnonzero(~members.any(axis=0))
    slot = float(proto["recall_duration"]) + float(proto["recall_gap"])
    trials = np.zeros(len(specs), dtype=_TRIAL_DTYPE)
    for n, index in enumerate(rng.permutation(len(specs))):
        kind, k, fraction = specs[index]
        row = 0
        if kind != 1:
            if kind == 0:
                chosen = rng.choice(
                    np.flatnonzero(members[k]), size=int(round(fraction * members[k].sum())), replace=False
                )
            else:
                chosen = rng.choice(outside, size=min(_random_cue_size(spec), outside.size), replace=False)
            stimulated = np.zeros(n_exc, dtype=bool)
            stimulated[chosen] = True
            sets.append(stimulated)
            row = len(sets) - 1
        start = phases["recall"].start_s + n * slot
        trials[n] = (start, start + float(proto["recall_duration"]), kind, k, fraction, row)
        if row:
            events.append((start, start + float(proto["recall_duration"]), row))
    return {"sets": np.asarray(sets), "events": events, "trials": trials, "membership": members}


def protocol(spec) -> list[Phase]:
    """warmup, train, rest, recall (zero-length phases dropped)."""
    proto, net = spec.section("protocol"), spec.section("network")
    n_trials = len(proto["cue_fractions"]) * proto["recall_assemblies"] + 2 * proto["control_trials"]
    train_s = (
        net["n_assemblies"] * proto["train_repetitions"] * (float(proto["train_duration"]) + float(proto["train_gap"]))
    )
    recall_s = n_trials * (float(proto["recall_duration"]) + float(proto["recall_gap"]))
    return sequential_phases(
        [
            ("warmup", float(proto["warmup_duration"]), "spontaneous activity; inhibitory STDP balances the network"),
            (
                "train",
                train_s,
                f"{net['n_assemblies']} assemblies x {proto['train_repetitions']} presentations "
                f"of {proto['train_duration']}, random order",
            ),
            ("rest", float(proto["rest_duration"]), "spontaneous activity, plastic"),
            (
                "recall",
                recall_s,
                f"{n_trials} trials: partial cues at f = {list(proto['cue_fractions'])}, "
                "no-cue and random-set controls",
            ),
        ]
    )


def _schedule_arrays(spec, sched, duration_s: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per-millisecond stimulus row and plasticity gates (E->E, I->E)."""
    n_steps = int(round(duration_s / SCHEDULE_STEP_S)) + 1
    active = np.zeros(n_steps, dtype=float)
    for start, stop, row in sched["events"]:
        active[int(round(start / SCHEDULE_STEP_S)) : int(round(stop / SCHEDULE_STEP_S))] = row
    gate_ee, gate_ie = np.zeros(n_steps), np.zeros(n_steps)
    plastic_recall = spec["protocol.plastic_during_recall"]
    for phase in protocol(spec):
        window = slice(int(round(phase.start_s / SCHEDULE_STEP_S)), int(round(phase.stop_s / SCHEDULE_STEP_S)))
        if phase.name in ("train", "rest") or (phase.name == "recall" and plastic_recall):
            gate_ee[window] = 1.0
        if phase.name != "recall" or plastic_recall:
            gate_ie[window] = 1.0
    return active, gate_ee, gate_ie


def ee_rule(spec):
    """The E->E plasticity rule (amplitudes scaled by ``ee_learning_rate``, bounds [0, w_ee_max])."""
    from ..plasticity import PairSTDP, TripletSTDP

    plast = spec.section("plasticity")
    rate, w_max = plast["ee_learning_rate"], float(spec["synapses.w_ee_max"])
    name = plast["ee_preset"]
    if plast["ee_rule"] == "triplet":
        if name not in TripletSTDP.presets():
            raise ConfigError(
                f"plasticity.ee_preset = {name!r} is not a triplet preset; "
                f"choose one of {sorted(TripletSTDP.presets())}"
            )
        base = TripletSTDP.preset(name)
        return base.replace(
            a2_plus=base.a2_plus * rate,
            a3_plus=base.a3_plus * rate,
            a2_minus=base.a2_minus * rate,
            a3_minus=base.a3_minus * rate,
            w_min=0.0,
            w_max=w_max,
        )
    if name not in PairSTDP.presets():
        raise ConfigError(
            f"plasticity.ee_preset = {name!r} is not a pair preset; choose one of {sorted(PairSTDP.presets())}"
        )
    base = PairSTDP.preset(name)
    return base.replace(a_plus=base.a_plus * rate * w_max, a_minus=base.a_minus * rate * w_max, w_min=0.0, w_max=w_max)


def ie_rule(spec):
    """The I->E inhibitory STDP rule (Vogels et al. 2011)."""
    from ..plasticity import InhibitorySTDP

    plast = spec.section("plasticity")
    return InhibitorySTDP(
        eta=plast["istdp_eta"],
        tau_stdp=float(plast["istdp_tau"]),
        rho0=float(plast["istdp_target_rate"]),
        w_min=0.0,
        w_max=plast["istdp_w_max"],
    )


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


def build(spec, seed: int = 0) -> BuiltNetwork:
    """Create the Brian2 objects of the plastic E/I network (not yet run).

    ``seed`` draws the E->E connections, the assemblies and the stimulus schedule
    (numpy, :func:`ee_connections`, :func:`schedule`); Brian2's own random numbers
    (the other connections, Poisson inputs, initial voltages) come from the
    simulator's seed.
    """
    import brian2 as b2

    net, syn, ext = spec.section("network"), spec.section("synapses"), spec.section("external")
    plast, proto = spec.section("plasticity"), spec.section("protocol")
    method = spec["simulation.method"]
    n_exc, n_inh = net["n_exc"], net["n_inh"]
    phases = protocol(spec)
    duration = phases[-1].stop_s
    sched = schedule(spec, seed)
    active, gate_ee, gate_ie = _schedule_arrays(spec, sched, duration)
    step = SCHEDULE_STEP_S * b2.second
    # TimedArrays: the set index is used as "time" of the membership table (one row per set)
    stimulus_row = b2.TimedArray(active, dt=step, name="stimulus_row")
    stimulus_sets = b2.TimedArray(sched["sets"].astype(float), dt=b2.second, name="stimulus_sets")
    plastic_ee = b2.TimedArray(gate_ee, dt=step, name="plastic_ee")
    plastic_ie = b2.TimedArray(gate_ie, dt=step, name="plastic_ie")

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
    kwargs["model"] += "\nw_initial : 1\nw_after_training : 1\nw_after_rest : 1"
    if plast["normalisation"]:
        kwargs["model"] += "\nw_ee_sum_post = w : 1 (summed)\nn_ee_in_post = 1.0 : 1 (summed)"
    kwargs["namespace"].update({"g_ee": spec["synapses.g_ee"], "plastic_ee": plastic_ee})
    ee = b2.Synapses(exc, exc, delay=delay, name="ee", **kwargs)
    pre, post = ee_connections(spec, seed)
    ee.connect(i=pre, j=post)
    ee.w = syn["w_ee_initial"]
    ee.w_initial = "w"
    # snapshots at the end of training and of the rest (without a rest: the end of training);
    # recall always follows, so both times lie inside the run
    train_stop = find_phase(phases, "train").stop_s
    rest_stop = next((phase.stop_s for phase in phases if phase.name == "rest"), train_stop)
    for variable, name, when in (("w_after_training", "train", train_stop), ("w_after_rest", "rest", rest_stop)):
        # a run_regularly with period `when` runs at t = 0, when, 2 when, ...: it copies only
        # at t = when (start of that step: every update of earlier steps is in w)
        at_snapshot = f"int(abs(t - {when!r}*second) < 1*us)"
        ee.run_regularly(
            f"{variable} = {at_snapshot}*w + (1 - {at_snapshot})*{variable}",
            dt=when * b2.second,
            name=f"ee_snapshot_{name}",
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
    built.extra = {"ee": ee, "ie": ie, "state_monitors": state_monitors, "schedule": sched}
    return built


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
    """Weights and schedule after the run (called by :func:`snnmem.simulate`)."""
    extra = built.extra
    ee, ie = extra["ee"], extra["ie"]
    weights = {
        "ee": {
            "i": np.asarray(ee.i[:], dtype=np.uint32),
            "j": np.asarray(ee.j[:], dtype=np.uint32),
            "w_initial": np.asarray(ee.w_initial[:], dtype=np.float32),
            "w_after_training": np.asarray(ee.w_after_training[:], dtype=np.float32),
            "w_after_rest": np.asarray(ee.w_after_rest[:], dtype=np.float32),
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
    return {"weights": weights, "schedule": extra["schedule"]}


# ----------------------------------------------------------------------------- scores
def weight_classes(i: np.ndarray, j: np.ndarray, members: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """E->E synapses ``within`` an assembly (pre and post share one) and ``between`` assemblies.

    ``between``: pre and post both belong to some assembly but share none. Synapses
    from or onto cells outside every assembly are in neither class.
    """
    shared = np.zeros(i.size, dtype=bool)
    for row in members:
        shared |= row[i] & row[j]
    in_any = members.any(axis=0)
    return shared, in_any[i] & in_any[j] & ~shared


def weight_ratio(w: np.ndarray, within: np.ndarray, between: np.ndarray) -> float:
    """Mean within-assembly weight / mean between-assembly weight (NaN if undefined)."""
    if not within.any() or not between.any():
        return float("nan")
    mean_between = float(np.mean(w[between]))
    return float(np.mean(w[within]) / mean_between) if mean_between > 0 else float("inf")


def set_overlap(active: np.ndarray, cells: np.ndarray) -> float:
    """Overlap of a cell set with the activity: :math:`(A_X - A)/(1 - a_X)`.

    ``active`` is the 0/1 state of every E cell in a window, ``cells`` a boolean
    mask of the set :math:`X`, :math:`A_X` the fraction of :math:`X` active, :math:`A`
    the fraction of all E cells active and :math:`a_X = |X|/N`. Computed as
    :func:`snnmem.analysis.overlap_01` with the set as pattern and coding level
    :math:`a_X`: 1 when exactly the set is active, 0 when it is as active as the
    network. NaN for an empty set.
    """
    from ..analysis import overlap_01

    size = int(cells.sum())
    if size == 0 or size == cells.size:
        return float("nan")
    return float(overlap_01(active.astype(float), cells[None, :].astype(float), size / cells.size)[0])


def trial_overlaps(spec, spikes, state) -> np.ndarray:
    """Overlap of every assembly in every recall trial, ``[n_trials, n_assemblies]``.

    In a cue trial of assembly k the column k is the overlap of k's *not cued*
    members and every other column that of the other assembly's members outside k
    and outside the cue; in control trials the columns are the assemblies' members
    outside the random cue. The window of a trial is ``[onset + overlap_offset, offset]``.
    """
    from ..analysis.binning import bin_spikes

    sched = state["schedule"]
    members, trials, sets = sched["membership"], sched["trials"], sched["sets"]
    proto = spec.section("protocol")
    ids, times = spikes["exc"]
    n_exc = members.shape[1]
    out = np.full((trials.size, members.shape[0]), np.nan)
    for n, trial in enumerate(trials):
        start = trial["start_s"] + float(proto["overlap_offset"])
        counts = bin_spikes(ids, times, n_exc, start, trial["stop_s"], trial["stop_s"] - start)[:, 0]
        active = counts >= proto["active_min_spikes"]
        cued = sets[trial["set_row"]] if trial["set_row"] else np.zeros(n_exc, dtype=bool)
        for k in range(members.shape[0]):
            cells = members[k] & ~cued
            if trial["kind"] == 0 and k != trial["assembly"]:
                cells &= ~members[trial["assembly"]]
            out[n, k] = set_overlap(active, cells)
    return out


def _mean_or_nan(values: np.ndarray) -> float:
    """Mean of the finite values; NaN when there is none (e.g. f = 1 leaves no member uncued)."""
    finite = values[np.isfinite(values)]
    return float(finite.mean()) if finite.size else float("nan")


def score(spec, spikes, phases, state):
    """Weight ratios, completion curve, recall specificity and controls.

    Scores (``/scores``)
    --------------------
    ``weight_ratio_initial``, ``weight_ratio_after_training``, ``weight_ratio_after_rest``
        Mean within-assembly / mean between-assembly E->E weight
        (:func:`weight_classes`).
    ``retention``
        ``weight_ratio_after_rest / weight_ratio_after_training``.
    ``completion_f<f>``
        Mean overlap of the not-cued members of the cued assembly at cue fraction f
        (``completion_f0p5`` for f = 0.5), see :func:`trial_overlaps`.
    ``largest_other_f<f>``
        Mean over those trials of the largest overlap of another assembly.
    ``recall_specificity``
        ``completion_f0p5 - largest_other_f0p5`` (needs 0.5 in ``cue_fractions``).
    ``no_cue_max_overlap``, ``random_cue_max_overlap``
        Largest overlap of any assembly in the no-cue and random-set trials.
    ``rate_<phase>_exc_hz``, ``rate_<phase>_inh_hz``, ``rate_<phase>_assemblies_hz``
        Mean rates of the E cells, I cells and assembly members in each phase.

    Arrays (``/analysis``): ``completion_curve`` ``[n_fractions, 3]`` (cue fraction,
    cued assembly's not-cued members, largest other assembly), ``recall_overlaps``
    ``[n_trials, n_assemblies]``, ``recall_trial_*`` (the trial table),
    ``assembly_membership`` ``[n_assemblies, n_exc]``, ``assembly_rates_hz``
    ``[n_bins, n_assemblies + 1]`` (last column: cells in no assembly),
    ``training_events`` ``[n, 3]`` (start, stop, assembly 0-based).
    """
    from ..analysis.binning import group_rates, population_rate

    sched = state["schedule"]
    members, trials = sched["membership"], sched["trials"]
    ee = state["weights"]["ee"]
    within, between = weight_classes(ee["i"].astype(np.int64), ee["j"].astype(np.int64), members)
    scores: dict[str, float] = {}
    for label, key in (
        ("initial", "w_initial"),
        ("after_training", "w_after_training"),
        ("after_rest", "w_after_rest"),
    ):
        w = ee[key]
        scores[f"weight_ratio_{label}"] = weight_ratio(w, within, between)
        scores[f"weight_within_{label}"] = float(np.mean(w[within])) if within.any() else float("nan")
        scores[f"weight_between_{label}"] = float(np.mean(w[between])) if between.any() else float("nan")
    scores["retention"] = scores["weight_ratio_after_rest"] / scores["weight_ratio_after_training"]

    overlaps = trial_overlaps(spec, spikes, state)
    curve = []
    for fraction in spec["protocol.cue_fractions"]:
        rows = np.flatnonzero((trials["kind"] == 0) & np.isclose(trials["fraction"], fraction))
        cued = np.array([overlaps[r, trials["assembly"][r]] for r in rows])
        others = np.array(
            [np.nanmax(np.delete(overlaps[r], trials["assembly"][r])) if members.shape[0] > 1 else np.nan for r in rows]
        )
        label = f"{fraction:g}".replace(".", "p")
        scores[f"completion_f{label}"] = _mean_or_nan(cued)
        scores[f"largest_other_f{label}"] = _mean_or_nan(others)
        curve.append((fraction, scores[f"completion_f{label}"], scores[f"largest_other_f{label}"]))
    if "completion_f0p5" in scores:
        scores["recall_specificity"] = scores["completion_f0p5"] - scores["largest_other_f0p5"]
    for kind, name in ((1, "no_cue_max_overlap"), (2, "random_cue_max_overlap")):
        rows = trials["kind"] == kind
        if rows.any():
            scores[name] = float(np.nanmax(overlaps[rows]))

    exc_ids, exc_times = spikes["exc"]
    inh_ids, inh_times = spikes["inh"]
    n_exc, n_inh = members.shape[1], spec["network.n_inh"]
    for phase in phases:
        width = phase.duration_s
        scores[f"rate_{phase.name}_exc_hz"] = float(
            population_rate(exc_ids, exc_times, n_exc, phase.start_s, phase.stop_s, width)[0]
        )
        scores[f"rate_{phase.name}_inh_hz"] = float(
            population_rate(inh_ids, inh_times, n_inh, phase.start_s, phase.stop_s, width)[0]
        )
        scores[f"rate_{phase.name}_assemblies_hz"] = float(
            group_rates(exc_ids, exc_times, members.any(axis=0)[None, :], phase.start_s, phase.stop_s, width)[0, 0]
        )

    # training presentations: the events whose set is an assembly (rows 1..K)
    events = np.array(
        [(a, b, row - 1) for a, b, row in sched["events"] if row <= members.shape[0]], dtype=float
    ).reshape(-1, 3)
    spikes_in = sum(
        group_rates(exc_ids, exc_times, members[int(k)][None, :], a, b, b - a)[0, 0] * (b - a) for a, b, k in events
    )
    scores["rate_train_stimulated_hz"] = float(spikes_in / np.sum(events[:, 1] - events[:, 0]))
    duration = phases[-1].stop_s
    groups = np.vstack([members, ~members.any(axis=0)[None, :]])
    bin_s = float(spec["simulation.rate_bin"])
    arrays = {
        "completion_curve": np.asarray(curve, dtype=float).reshape(-1, 3),
        "recall_overlaps": overlaps,
        "recall_trial_start_s": trials["start_s"],
        "recall_trial_stop_s": trials["stop_s"],
        "recall_trial_kind": trials["kind"],
        "recall_trial_assembly": trials["assembly"],
        "recall_trial_fraction": trials["fraction"],
        "assembly_membership": members.astype(np.uint8),
        "assembly_rates_hz": group_rates(exc_ids, exc_times, groups, 0.0, duration, bin_s).astype(np.float32),
        "training_events": events,
    }
    return scores, arrays


class PlasticAssemblies(Circuit):
    """STDP cell assemblies (Litwin-Kumar & Doiron 2014 architecture): the ``plastic_assemblies`` circuit.

    Its native protocol (warm-up, training, rest, recall) still draws its stimuli
    inside :func:`build` from the seed; tasks cannot drive it yet (``stimulus_port``
    False), so ``completion`` and ``retention`` run through the native protocol.
    """

    name = "plastic_assemblies"
    schema = SCHEMA
    stimulus_port = False
    no_port_reason = (
        "its training and recall stimuli are drawn inside the circuit (native protocol only); "
        "the completion and retention tasks need its stimulus port (issue 12, left open)"
    )

    def check(self, spec) -> None:
        check(spec)

    def memory_map(self, spec, seed: int = 0) -> MemoryMap:
        members = assembly_membership(spec, seed)
        return MemoryMap(
            weights=members.astype(float),
            labels=tuple(f"assembly{k + 1}" for k in range(len(members))),
            held_threshold_hz=spec["protocol.held_threshold_hz"],
        )

    def native_schedule(self, spec, seed: int = 0) -> Schedule:
        return Schedule(tuple(protocol(spec)))

    def build(self, spec, seed: int, schedule: Schedule, *, run_args: bool = False) -> BuiltNetwork:
        return build(spec, seed)

    def collect_state(self, built: BuiltNetwork) -> dict:
        return collect_state(built)

    def native_scores(self, spec, spikes, phases, state):
        return score(spec, spikes, phases, state)

    def rates(self, spec, spikes, duration_s):
        return {}  # assembly rates are stored under /analysis/assembly_rates_hz by the scores
