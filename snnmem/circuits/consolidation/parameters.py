"""Parameters of the two-area consolidation network: schema, rules between keys, episodes and indices, rules."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

import numpy as np

from ...analysis.concepts import prototype_episodes
from ...analysis.memory import MemoryMap
from ...errors import ConfigError
from ...plasticity.rules import TripletSTDP
from ...schema import Param, lif_cell_params, simulation_params
from ..plastic_area import (
    Area,
    area_from_spec,
    check_inhibitory_bounds,
    inhibitory_stdp_params,
    kinetics_params,
    plastic_simulation_params,
    random_pairs,
    threshold_params,
)

CITATION = (
    "Mechanism after Tomé DF, Sadeh S, Clopath C (2022). Sequence learning, prediction, and replay in "
    "networks of spiking neurons. Nat Commun 13:840, and the standard model of systems consolidation "
    "(McClelland, McNaughton & O'Reilly 1995, Psychol Rev 102:419; Spens & Burgess 2024, Nat Hum "
    "Behav 8:526); areas built as in Litwin-Kumar & Doiron (2014), Nat Commun 5:5319"
)


def _area_params(
    n_exc: int,
    n_inh: int,
    p: float,
    g_ee: str,
    w: tuple[float, float],
    rate: float,
    what: str,
    learning: str,
    adaptation: tuple[str, str],
    normalisation: bool,
    g_ei: str,
    g_ie: str,
    soft_bound_exponent: float,
) -> dict[str, Param]:
    return {
        "n_exc": Param(n_exc, f"excitatory cells of the {what}", minimum=10),
        "n_inh": Param(n_inh, f"inhibitory cells of the {what}", minimum=1),
        "connection_probability": Param(
            p, "probability of a connection between any ordered pair", positive=True, maximum=1.0
        ),
        "g_ee": Param(g_ee, "E->E conductance per unit weight", minimum=0.0),
        "g_ei": Param(g_ei, "E->I conductance", minimum=0.0),
        "g_ie": Param(g_ie, "I->E conductance per unit weight", minimum=0.0),
        "g_ii": Param("1 nS", "I->I conductance", minimum=0.0),
        "w_ee_initial": Param(w[0], "initial E->E weight (all synapses)", minimum=0.0),
        "w_ee_max": Param(w[1], "upper bound of the E->E weight", positive=True),
        "normalisation": Param(normalisation, "keep each E cell's summed E->E input at its initial value"),
        "w_ie_initial": Param(1.0, "initial I->E weight (all synapses)", minimum=0.0),
        "ee_learning_rate": Param(rate, f"multiplies the E->E triplet rule's amplitudes ({learning})", minimum=0.0),
        "ee_soft_bound_exponent": Param(
            soft_bound_exponent,
            "weight dependence of the E->E rule, Gutig et al. (2003, J Neurosci 23:3697)'s mu (0: additive with "
            "hard bounds; 1: multiplicative): potentiation x ((w_ee_max - w)/(w_ee_max - w_ee_initial))**mu, "
            "depression x (w/w_ee_initial)**mu, so a weight settles below the bound, graded with how often its "
            "cells fire together",
            minimum=0.0,
            maximum=1.0,
        ),
        "n_sources": Param(1000, "independent Poisson inputs per cell", minimum=0),
        "rate_exc": Param("2.5 Hz", "rate of each external source onto E cells", minimum=0.0),
        "rate_inh": Param("2.5 Hz", "rate of each external source onto I cells", minimum=0.0),
        "g_ext_exc": Param("0.2 nS", "conductance of an external input spike onto an E cell", minimum=0.0),
        "g_ext_inh": Param("0.2 nS", "conductance of an external input spike onto an I cell", minimum=0.0),
        "adaptation_increment": Param(
            adaptation[0], "spike-triggered adaptation current b of the E cells", minimum=0.0
        ),
        "tau_adaptation": Param(adaptation[1], "adaptation current decay of the E cells", positive=True),
    }


SCHEMA = {
    "hpc": {
        **_area_params(
            300,
            75,
            0.3,
            "0.1 nS",
            (1.0, 10.0),
            40.0,
            "hippocampus-like area (HPC)",
            "fast: learns in one presentation",
            ("20 pA", "300 ms"),
            True,
            "0.6 nS",
            "2 nS",
            0.0,
        ),
        "offline_adaptation_increment": Param(
            "20 pA",
            "extra adaptation increment of the HPC E cells in the offline state (awake, acetylcholine "
            "suppresses the slow afterhyperpolarisation: Madison & Nicoll 1984; Hasselmo 1999); it ends "
            "each replay burst (at 10 pA an index and its consolidated CTX pattern could hold each other "
            "active for a whole rest)",
            minimum=0.0,
        ),
        "offline_inhibition_fraction": Param(
            0.75,
            "I->E conductance onto the HPC E cells in the offline state, relative to awake (1: the same). Awake, "
            "acetylcholine excites the HPC interneurons and strengthens the inhibition of the pyramidal cells "
            "(Pitler & Alger 1992, J Physiol 450:127); offline it is low. Below 1, hpc.g_ie is the awake "
            "conductance: recall can be selective (strong inhibition) while replay keeps its drive",
            minimum=0.0,
            maximum=1.0,
        ),
        "index_size": Param(30, "HPC cells in each episode's index (indices are disjoint)", minimum=2),
    },
    "ctx": {
        **_area_params(
            1000,
            250,
            0.2,
            "0.2 nS",
            (1.0, 10.0),
            1.2,
            "cortex-like area (CTX)",
            "slow",
            ("20 pA", "150 ms"),
            True,
            "0.3 nS",
            "1 nS",
            0.25,
        ),
        "episode_size": Param(60, "CTX cells in each episode's pattern", minimum=2),
        "awake_learning_fraction": Param(
            0.05,
            "CTX E->E learning rate in phases where every rule learns (encoding), relative to offline phases "
            "(plasticity 'slow')",
            minimum=0.0,
            maximum=1.0,
        ),
        "awake_inhibitory_fraction": Param(
            0.5,
            "CTX inhibitory STDP learning rate in phases where every rule learns (encoding), relative to the "
            "homeostatic phases (warm-up); 1: as fast as the HPC's. Below 1 the cortex's inhibitory plasticity is "
            "slow while awake, like its E->E plasticity (ctx.awake_learning_fraction)",
            minimum=0.0,
            maximum=1.0,
        ),
    },
    "projections": {
        "p_hpc_to_ctx": Param(0.2, "probability of an HPC E -> CTX E connection", positive=True, maximum=1.0),
        "p_ctx_to_hpc": Param(0.2, "probability of a CTX E -> HPC E connection", positive=True, maximum=1.0),
        "g_hpc_to_ctx": Param("0.6 nS", "HPC E -> CTX E conductance per unit weight", minimum=0.0),
        "g_ctx_to_hpc": Param("0.2 nS", "CTX E -> HPC E conductance per unit weight", minimum=0.0),
        "w_initial_hpc_to_ctx": Param(1.0, "initial weight of the HPC->CTX projection", minimum=0.0),
        "w_initial_ctx_to_hpc": Param(
            0.4,
            "initial weight of the CTX->HPC projection (with normalisation it sets each HPC cell's input budget: "
            "an index cell can hold 200 x 0.4 / 12 = 6.7 per synapse from its episode's CTX cells)",
            minimum=0.0,
        ),
        "w_max": Param(10.0, "upper bound of both projections' weights", positive=True),
        "learning_rate": Param(20.0, "multiplies the projections' triplet amplitudes (fast, as the HPC)", minimum=0.0),
        "offline_feedback": Param(
            1.0,
            "fraction of the CTX->HPC transmission kept in the offline state (0: during replay the flow is "
            "HPC -> CTX only, the superficial entorhinal input to the HPC is silent in sharp waves: "
            "Chrobak & Buzsaki 1996, J Neurosci 16:3056)",
            minimum=0.0,
            maximum=1.0,
        ),
        "encoding_feedback": Param(
            0.0,
            "fraction of the CTX->HPC transmission kept while encoding (phases where every rule learns; 0: the "
            "cortical input to the HPC is silent while a new episode is stored, as acetylcholine suppresses the "
            "retrieval path while encoding: Hasselmo & Schnell 1994, J Neurosci 14:3898; Hasselmo 2006, Curr Opin "
            "Neurobiol 16:710). The projection still learns: plasticity needs the spikes, not the transmission",
            minimum=0.0,
            maximum=1.0,
        ),
        "normalisation": Param(True, "keep each target cell's summed input through a projection at its initial value"),
        "feedforward_normalisation": Param(
            False,
            "with projections.normalisation, normalise the HPC->CTX projection too (false: only CTX->HPC). A CTX "
            "cell in several episodes (a prototype's) then holds each index's binding at full strength instead of "
            "sharing one budget among the indices",
        ),
    },
    "episodes": {
        "n_episodes": Param(5, "episodes the network can store (memory items 1..n)", minimum=1, maximum=64),
        "shared_fraction": Param(
            0.0,
            "fraction of each episode's CTX cells common to every episode (the prototype; 0: independent episodes)",
            minimum=0.0,
            maximum=0.9,
        ),
        "n_novel": Param(1, "CTX patterns never encoded (untrained controls, items after the episodes)", minimum=0),
    },
    "exc": {
        **lif_cell_params("200 pF", "10 nS", "-60 mV", "5 ms", v_leak="-60 mV"),
        **threshold_params(),
    },
    "inh": lif_cell_params("200 pF", "10 nS", "-60 mV", "5 ms", v_leak="-60 mV"),
    "synapses": {
        **kinetics_params(),
        "delay": Param("1 ms", "transmission delay of every synapse", minimum=0.0),
    },
    "plasticity": {
        "ee_preset": Param(
            "pfister2006_visual_minimal_all_to_all",
            "triplet preset of every excitatory rule (HPC, CTX, projections)",
            choices=TripletSTDP.presets(),
        ),
        **inhibitory_stdp_params(),
        "normalisation_interval": Param("20 ms", "how often the normalisation is applied", positive=True),
        "normalisation_sum": Param(
            "on_interval", "when the summed input is computed", choices=("on_interval", "every_step")
        ),
    },
    "protocol": {
        "held_threshold_hz": Param(
            10.0, "an episode is recalled while its not-cued cells fire at least this (Hz)", positive=True
        ),
        "stimulus_rate": Param(
            "10 kHz", "extra Poisson input onto each stimulated cell (CTX pattern or HPC index)", positive=True
        ),
        "g_stimulus": Param("0.2 nS", "conductance of a stimulus input spike", positive=True),
        "offline_rate": Param(
            "1 kHz",
            "extra Poisson input onto every HPC E cell in the offline state (a 'global' stimulus of strength 1)",
            minimum=0.0,
        ),
        "active_min_spikes": Param(2, "a cell is active in a window with at least this many spikes", minimum=1),
        "encoding_inhibition_rate": Param(
            "3 kHz",
            "extra Poisson input onto every HPC I cell at the onset of each presentation of an episode to its "
            "index (for protocol.encoding_inhibition_duration): a novel input resets the hippocampal rhythm and "
            "its feedforward inhibition silences what was active just before (Givens 1996, NeuroReport 8:159; "
            "Pouille & Scanziani 2001, Science 293:1159). Without it an old episode that reactivates just "
            "before an encoding can stay active through it and be bound to the new one (0: off)",
            minimum=0.0,
        ),
        "encoding_inhibition_duration": Param(
            "30 ms",
            "how long the onset inhibition lasts from the start of each presentation (0: the whole presentation, "
            "i.e. sustained feedforward inhibition)",
            minimum=0.0,
        ),
    },
    "simulation": simulation_params(
        "0.1 ms",
        ("euler", "rk2"),
        **plastic_simulation_params(
            False,
            "Off by default: the rules keep their traces per synapse, so only the normalisations could be left "
            "out; the default protocol's 14 segments made the build 382 s instead of 49 s for no measurable loop "
            "gain (1.11 vs 1.09 s per biological second, docs/consolidation.md)",
        ),
    ),
}

#: the fields of an area's :class:`~snnmem.circuits.plastic_area.Area`, each a key of its section
AREA_FIELDS = tuple(f.name for f in fields(Area) if f.name != "prefix")

#: seed offset of the structure draws (episodes, indices, connections): independent of Brian2's streams
_STRUCTURE_STREAM = 0xC0A5


def area(spec: Any, name: str) -> Area:
    """The HPC (``name = "hpc"``) or CTX (``"ctx"``) area as an :class:`~snnmem.circuits.plastic_area.Area`."""
    return area_from_spec(spec, f"{name}_", {field: f"{name}.{field}" for field in AREA_FIELDS})


def check(spec: Any) -> None:
    """Rules between keys, checked when the model is loaded (before any build)."""
    hpc, ctx, ep = spec.section("hpc"), spec.section("ctx"), spec.section("episodes")
    k = ep["n_episodes"]
    if k * hpc["index_size"] > hpc["n_exc"]:
        raise ConfigError(
            f"hpc.index_size = {hpc['index_size']} x episodes.n_episodes = {k} disjoint indices need "
            f"{k * hpc['index_size']} HPC cells; hpc.n_exc is {hpc['n_exc']}"
        )
    size = ctx["episode_size"]
    shared = int(round(ep["shared_fraction"] * size))
    if shared == size:
        raise ConfigError(f"episodes.shared_fraction = {ep['shared_fraction']:g} leaves no episode-specific cell")
    needed = shared + k * (size - shared) + ep["n_novel"] * size
    if needed > ctx["n_exc"]:
        raise ConfigError(
            f"{k} episodes of ctx.episode_size = {size} ({shared} shared) and {ep['n_novel']} novel patterns need "
            f"{needed} CTX cells; ctx.n_exc is {ctx['n_exc']}"
        )
    for name in ("hpc", "ctx"):
        if float(spec[f"{name}.w_ee_initial"]) > float(spec[f"{name}.w_ee_max"]):
            raise ConfigError(f"{name}.w_ee_initial must not exceed {name}.w_ee_max")
        soft = spec[f"{name}.ee_soft_bound_exponent"] > 0
        if soft and not 0 < float(spec[f"{name}.w_ee_initial"]) < float(spec[f"{name}.w_ee_max"]):
            raise ConfigError(
                f"{name}.ee_soft_bound_exponent > 0 needs {name}.w_ee_initial strictly between 0 and {name}.w_ee_max "
                "(the rule's amplitudes are the published ones at the initial weight)"
            )
    for key in ("w_initial_hpc_to_ctx", "w_initial_ctx_to_hpc"):
        if float(spec[f"projections.{key}"]) > float(spec["projections.w_max"]):
            raise ConfigError(f"projections.{key} must not exceed projections.w_max")
    check_inhibitory_bounds(spec, ("hpc.w_ie_initial", "ctx.w_ie_initial"))
    dt = float(spec["simulation.dt"])
    interval = float(spec["plasticity.normalisation_interval"])
    if abs(interval / dt - round(interval / dt)) > 1e-6:
        raise ConfigError("plasticity.normalisation_interval must be a whole number of time steps")


# ----------------------------------------------------------------------------- structure
def episode_patterns(spec: Any, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(episodes, prototype, novel)``: CTX cell sets drawn from ``seed``.

    ``episodes`` bool ``[n_episodes, n_ctx]`` (:func:`snnmem.analysis.concepts.prototype_episodes`:
    the prototype's cells in every episode, the rest specific to one), ``prototype`` bool
    ``[n_ctx]`` (empty when ``shared_fraction`` is 0), ``novel`` bool ``[n_novel, n_ctx]``
    (cells in no episode).
    """
    n_ctx, size = spec["ctx.n_exc"], spec["ctx.episode_size"]
    k, fraction = spec["episodes.n_episodes"], spec["episodes.shared_fraction"]
    episodes, prototype = prototype_episodes(n_ctx, k, size, fraction, seed)
    free = np.flatnonzero(~episodes.any(axis=0))
    rng = np.random.default_rng([_STRUCTURE_STREAM, seed, 1])
    chosen = rng.permutation(free)
    novel = np.zeros((spec["episodes.n_novel"], n_ctx), dtype=bool)
    for n in range(novel.shape[0]):
        novel[n, chosen[n * size : (n + 1) * size]] = True
    return episodes, prototype, novel


def hpc_indices(spec: Any, seed: int) -> np.ndarray:
    """Disjoint HPC index of every episode, bool ``[n_episodes, n_hpc]``, drawn from ``seed``."""
    n_hpc, size, k = spec["hpc.n_exc"], spec["hpc.index_size"], spec["episodes.n_episodes"]
    order = np.random.default_rng([_STRUCTURE_STREAM, seed, 2]).permutation(n_hpc)
    indices = np.zeros((k, n_hpc), dtype=bool)
    for e in range(k):
        indices[e, order[e * size : (e + 1) * size]] = True
    return indices


def memory_map(spec: Any, seed: int) -> MemoryMap:
    """Items over the CTX E cells: ``episode1..K``, then ``novel1..`` (never encoded), then ``prototype``.

    The prototype item exists when ``episodes.shared_fraction`` > 0.
    """
    episodes, prototype, novel = episode_patterns(spec, seed)
    rows = [*episodes, *novel]
    labels = [f"episode{k + 1}" for k in range(len(episodes))] + [f"novel{k + 1}" for k in range(len(novel))]
    if prototype.any():
        rows.append(prototype)
        labels.append("prototype")
    return MemoryMap(
        weights=np.asarray(rows, dtype=float),
        labels=tuple(labels),
        held_threshold_hz=spec["protocol.held_threshold_hz"],
        population="ctx_exc",
        index_population="hpc_exc",
    )


def connections(spec: Any, seed: int) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """``(pre, post)`` of the plastic pathways ``hpc_ee``, ``ctx_ee``, ``hpc_ctx``, ``ctx_hpc``, drawn from ``seed``."""
    n_hpc, n_ctx = spec["hpc.n_exc"], spec["ctx.n_exc"]
    streams = {
        "hpc_ee": (n_hpc, n_hpc, spec["hpc.connection_probability"], False),
        "ctx_ee": (n_ctx, n_ctx, spec["ctx.connection_probability"], False),
        "hpc_ctx": (n_hpc, n_ctx, spec["projections.p_hpc_to_ctx"], True),
        "ctx_hpc": (n_ctx, n_hpc, spec["projections.p_ctx_to_hpc"], True),
    }
    return {
        name: random_pairs(n_pre, n_post, p, np.random.default_rng([_STRUCTURE_STREAM, seed, 10 + k]), autapses)
        for k, (name, (n_pre, n_post, p, autapses)) in enumerate(streams.items())
    }


def synapse_count(spec: Any) -> float:
    """Expected number of synapses (both areas, both projections, stimulus synapses)."""
    total = 0.0
    for name in ("hpc", "ctx"):
        n = spec[f"{name}.n_exc"] + spec[f"{name}.n_inh"]
        total += spec[f"{name}.connection_probability"] * n * n + spec[f"{name}.n_exc"]
    n_hpc, n_ctx = spec["hpc.n_exc"], spec["ctx.n_exc"]
    total += n_hpc * n_ctx * (spec["projections.p_hpc_to_ctx"] + spec["projections.p_ctx_to_hpc"])
    return float(total)
