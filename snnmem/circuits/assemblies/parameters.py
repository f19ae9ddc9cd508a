"""Parameters of the plastic assembly network: rules between them, structure drawn from the seed, plasticity rules."""

from __future__ import annotations

import numpy as np
from ...schema import Param, lif_cell_params, simulation_params
from ...errors import ConfigError
from ...plasticity.rules import PairSTDP, TripletSTDP
from ..plastic_area import (
    check_inhibitory_bounds,
    check_orchestration,
    orchestrated,
    orchestration_params,
    inhibitory_stdp_params,
    inhibitory_rule,
    kinetics_params,
    plastic_simulation_params,
    random_pairs,
    scaled_triplet,
    threshold_params,
)
from . import native
from .start import check_start


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
        **threshold_params(),
    },
    "inh": lif_cell_params("200 pF", "10 nS", "-60 mV", "5 ms", v_leak="-60 mV"),
    "synapses": {
        **kinetics_params(),
        "g_ee": Param("0.15 nS", "E->E conductance per unit weight", minimum=0.0),
        "g_ei": Param("0.15 nS", "E->I conductance", minimum=0.0),
        "g_ie": Param("1 nS", "I->E conductance per unit weight", minimum=0.0),
        "g_ii": Param("1 nS", "I->I conductance", minimum=0.0),
        "w_ee_initial": Param(1.0, "initial E->E weight (all synapses)", minimum=0.0),
        "w_ee_max": Param(4.0, "upper bound of the E->E weight", positive=True),
        "w_ee_min": Param(
            0.0,
            "lower bound of the E->E weight, for the plasticity rule and the normalisation "
            "(Litwin-Kumar & Doiron 2014's code: J_min / J_0 = 0.62)",
            minimum=0.0,
        ),
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
        **orchestration_params(),
        **inhibitory_stdp_params(),
        "traces": Param(
            "cells",
            "where the STDP traces live: once per cell, updated once per spike (snnmem.plasticity.cell_traces; "
            "same rule, far less memory traffic), or once per synapse (Brian2's event-driven traces)",
            choices=("cells", "synapses"),
        ),
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
        "train_repetitions": Param(
            3, "presentations of each assembly during training (0: none, e.g. when starting from a snapshot)", minimum=0
        ),
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
            "0 s", "stream every E->E and I->E weight to the run file this often (0: only at phase ends)", minimum=0.0
        ),
        "start_from": Param(
            "",
            "run file (same network and seed) whose streamed weight snapshot the network starts from; "
            "empty: the model's initial weights",
            path=True,
        ),
        "start_at": Param("0 s", "time of the snapshot of start_from to start from", minimum=0.0),
    },
    # Brian2's "exact" (linear) integrator cannot take the conductance terms g_e (E_e - V): not offered
    "simulation": simulation_params(
        "0.1 ms",
        ("euler", "rk2"),
        **plastic_simulation_params(
            True,
            "On by default: three segments (warm-up, training and rest, recall); the default protocol's loop "
            "1.15x faster, its build about 20 s longer (docs/assemblies.md, Speed)",
        ),
    ),
}


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
    """Rules between keys, checked when the model is loaded (before any build).

    The ``[protocol]`` keys of the native protocol are checked only when it runs
    (no ``[task]`` table): :func:`snnmem.circuits.assemblies.native.check`.
    """
    size = assembly_size(spec)
    if float(spec["synapses.w_ee_initial"]) > float(spec["synapses.w_ee_max"]):
        raise ConfigError("synapses.w_ee_initial must not exceed synapses.w_ee_max")
    if float(spec["synapses.w_ee_min"]) > float(spec["synapses.w_ee_initial"]):
        raise ConfigError("synapses.w_ee_min must not exceed synapses.w_ee_initial")
    if float(spec["synapses.w_ee_min"]) >= float(spec["synapses.w_ee_max"]):
        raise ConfigError("synapses.w_ee_min must be below synapses.w_ee_max")
    check_inhibitory_bounds(spec)
    check_orchestration(spec)
    dt = float(spec["simulation.dt"])
    interval = float(spec["plasticity.normalisation_interval"])
    if abs(interval / dt - round(interval / dt)) > 1e-6:
        raise ConfigError("plasticity.normalisation_interval must be a whole number of time steps")
    snapshot = float(spec["protocol.weight_snapshot_interval"])
    if abs(snapshot / dt - round(snapshot / dt)) > 1e-6:
        raise ConfigError("protocol.weight_snapshot_interval must be a whole number of time steps")
    check_start(spec)
    if spec.task is None:
        native.check(spec, size, _outside_count(spec))


def _outside_count(spec) -> int:
    """Expected number of E cells in no assembly."""
    net = spec.section("network")
    return int(net["n_exc"] * (1 - net["assembly_fraction"]) ** net["n_assemblies"])


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

    Every ordered pair i != j with probability ``connection_probability``, sorted by (pre, post)
    (:func:`snnmem.circuits.plastic_area.random_pairs`): the number of plastic synapses is
    known when the network is built, so weight snapshots can be recorded in standalone mode.
    """
    rng = np.random.default_rng([_STRUCTURE_STREAM, seed, 2])
    return random_pairs(spec["network.n_exc"], spec["network.n_exc"], spec["network.connection_probability"], rng)


def ee_rule(spec):
    """The E->E plasticity rule (amplitudes scaled by ``ee_learning_rate``, bounds [w_ee_min, w_ee_max])."""
    from ...plasticity import PairSTDP, TripletSTDP

    plast = spec.section("plasticity")
    rate, w_max, w_min = plast["ee_learning_rate"], float(spec["synapses.w_ee_max"]), float(spec["synapses.w_ee_min"])
    name = plast["ee_preset"]
    if plast["ee_rule"] == "triplet":
        if name not in TripletSTDP.presets():
            raise ConfigError(
                f"plasticity.ee_preset = {name!r} is not a triplet preset; "
                f"choose one of {sorted(TripletSTDP.presets())}"
            )
        return orchestrated(scaled_triplet(name, rate, w_max, w_min), spec)
    if name not in PairSTDP.presets():
        raise ConfigError(
            f"plasticity.ee_preset = {name!r} is not a pair preset; choose one of {sorted(PairSTDP.presets())}"
        )
    base = PairSTDP.preset(name)
    return base.replace(
        a_plus=base.a_plus * rate * w_max, a_minus=base.a_minus * rate * w_max, w_min=w_min, w_max=w_max
    )


def ie_rule(spec):
    """The I->E inhibitory STDP rule (Vogels et al. 2011)."""
    return inhibitory_rule(spec)
