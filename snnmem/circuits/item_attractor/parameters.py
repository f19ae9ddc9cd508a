"""Parameters of the Brunel & Wang (2001) network, its pools, and its memory map."""

from __future__ import annotations

import numpy as np
from ...analysis.memory import MemoryMap
from ...schema import Param, ampa_nmda_gaba_params, lif_cell_params, simulation_params
from ...errors import ConfigError
from ..common import contiguous_groups
from ..common import group_matrix


SCHEMA = {
    "network": {
        "n_exc": Param(800, "number of excitatory (pyramidal) cells", minimum=10),
        "n_inh": Param(200, "number of inhibitory (interneuron) cells", minimum=1),
        "n_items": Param(5, "number of selective pools p", minimum=1, maximum=50),
        "coding_level": Param(0.1, "fraction f of the E cells in each selective pool", positive=True, maximum=1.0),
    },
    "exc": lif_cell_params("0.5 nF", "25 nS", v_reset="-55 mV", refractory="2 ms"),
    "inh": lif_cell_params("0.2 nF", "20 nS", v_reset="-55 mV", refractory="1 ms"),
    "synapses": ampa_nmda_gaba_params("GABA_A decay time constant (Brunel & Wang 2001: 10 ms)"),
    "conductances": {
        "g_ext_ampa_exc": Param("2.08 nS", "external AMPA conductance onto E cells", minimum=0.0),
        "g_ext_ampa_inh": Param("1.62 nS", "external AMPA conductance onto I cells", minimum=0.0),
        "g_rec_ampa_exc": Param("0.104 nS", "recurrent AMPA conductance onto E (at reference size)", minimum=0.0),
        "g_rec_ampa_inh": Param("0.081 nS", "recurrent AMPA conductance onto I (at reference size)", minimum=0.0),
        "g_nmda_exc": Param("0.327 nS", "NMDA conductance onto E (at reference size)", minimum=0.0),
        "g_nmda_inh": Param("0.258 nS", "NMDA conductance onto I (at reference size)", minimum=0.0),
        "g_gaba_exc": Param("1.25 nS", "GABA_A conductance onto E (at reference size)", minimum=0.0),
        "g_gaba_inh": Param("0.973 nS", "GABA_A conductance onto I (at reference size)", minimum=0.0),
        "reference_n_exc": Param(800, "E population size the recurrent E conductances are given for", minimum=1),
        "reference_n_inh": Param(200, "I population size the recurrent I conductances are given for", minimum=1),
    },
    "external": {
        "n_sources": Param(800, "independent external Poisson sources per neuron", minimum=1),
        "rate_per_source": Param("3 Hz", "rate of each external source", minimum=0.0),
    },
    "connectivity": {
        "w_plus": Param(2.1, "weight within a selective pool w+ (w- follows: mean weight 1)", minimum=0.0),
        "nmda_implementation": Param(
            "per_pool", "how recurrent NMDA input is summed", choices=("per_pool", "per_synapse")
        ),
    },
    "protocol": {
        "baseline_duration": Param("1 s", "spontaneous activity before the first cue", minimum=0.0),
        "cue1_item": Param(
            (1,),
            "item (selective pool, 1-based) cued first; a list such as [1, 2] cues several items at once",
            minimum=1,
        ),
        "cue2_item": Param((2,), "item(s) cued second (number or list, as cue1_item)", minimum=1),
        "cue_rate": Param("2 kHz", "extra Poisson rate onto each cell of the cued pool (80 x 25 Hz)", minimum=0.0),
        "cue_n_sources": Param(80, "independent Poisson sources of the cue per cell", minimum=1),
        "cue_duration": Param("250 ms", "duration of each cue", minimum=0.0),
        "delay1_duration": Param("2 s", "delay after the first cue", minimum=0.0),
        "delay2_duration": Param("2 s", "delay after the second cue", minimum=0.0),
        "reset_duration": Param("250 ms", "duration of the global reset input", minimum=0.0),
        "reset_rate_exc": Param("0 kHz", "extra Poisson rate onto every E cell during the reset", minimum=0.0),
        "reset_rate_inh": Param("2 kHz", "extra Poisson rate onto every I cell during the reset", minimum=0.0),
        "post_reset_duration": Param("1 s", "spontaneous activity after the reset", minimum=0.0),
        "score_offset": Param(
            "500 ms", "excluded at the start of baseline, delays and post-reset (settling)", minimum=0.0
        ),
        "held_threshold_hz": Param(
            10.0, "a pool holds its item if its scored rate is at least this (Hz)", positive=True
        ),
    },
    "simulation": simulation_params("0.1 ms"),
}


# ----------------------------------------------------------------------------- structure
def pool_sizes(spec) -> tuple[int, int]:
    """``(cells per selective pool, cells in the non-selective pool)``; ConfigError if they do not fit."""
    net = spec.section("network")
    n_item = int(round(net["coding_level"] * net["n_exc"]))
    n_nonselective = net["n_exc"] - net["n_items"] * n_item
    if n_item < 1:
        raise ConfigError(
            f"network.coding_level = {net['coding_level']:g} of {net['n_exc']} E cells gives empty selective pools"
        )
    if n_nonselective < 0:
        raise ConfigError(
            f"network: {net['n_items']} pools of {n_item} cells do not fit into {net['n_exc']} "
            "E cells (n_items * coding_level must be <= 1)"
        )
    return n_item, n_nonselective


def pool_index(spec) -> np.ndarray:
    """Pool of every E cell: ``0 .. n_items - 1`` selective, ``n_items`` non-selective."""
    n_item, _ = pool_sizes(spec)
    return contiguous_groups(spec["network.n_exc"], spec["network.n_items"], n_item)


def group_names(spec) -> list[str]:
    """Names of the scored groups: ``item1 .. itemP``, ``nonselective``, ``inh``."""
    return [f"item{k + 1}" for k in range(spec["network.n_items"])] + ["nonselective", "inh"]


def w_minus(spec) -> float:
    """Depressed weight :math:`w_- = 1 - f (w_+ - 1) / (1 - f)` (mean weight onto a selective cell 1)."""
    f, w_plus = spec["network.coding_level"], spec["connectivity.w_plus"]
    if f >= 1.0:
        raise ConfigError("network.coding_level must be < 1")
    value = 1.0 - f * (w_plus - 1.0) / (1.0 - f)
    if value < 0:
        raise ConfigError(
            f"connectivity.w_plus = {w_plus:g} with coding level {f:g} gives a negative w- "
            f"({value:.3g}); use w_plus <= {1 + (1 - f) / f:.3g}"
        )
    return value


def pool_weights(spec) -> np.ndarray:
    """Weight matrix ``W[pre pool, post pool]``, shape ``(n_items + 1, n_items + 1)``."""
    n_items = spec["network.n_items"]
    weights = np.ones((n_items + 1, n_items + 1))
    weights[:, :n_items] = w_minus(spec)
    weights[np.arange(n_items), np.arange(n_items)] = spec["connectivity.w_plus"]
    return weights


def memory_map(spec) -> MemoryMap:
    """Items are the selective pools: weight 1 for the cells of pool ``k``, else 0."""
    return MemoryMap(
        weights=groups_matrix(spec)[:-1].astype(float),
        labels=tuple(group_names(spec)[:-2]),
        held_threshold_hz=spec["protocol.held_threshold_hz"],
    )


def groups_matrix(spec) -> np.ndarray:
    """Boolean membership ``(n_items + 1, n_exc)``: the selective pools, then the non-selective pool."""
    return group_matrix(pool_index(spec), spec["network.n_items"])


def check(spec) -> None:
    """Rules between the network's keys (at load time, whatever the protocol): pools fit, weights stay positive."""
    pool_sizes(spec)
    w_minus(spec)
