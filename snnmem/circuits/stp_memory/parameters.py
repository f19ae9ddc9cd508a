"""Parameters of the Mongillo, Barak & Tsodyks (2008) network, its memories, and its memory map."""

from __future__ import annotations

import numpy as np
from ...analysis.memory import MemoryMap
from ...schema import Param, simulation_params
from ...errors import ConfigError
from ..common import contiguous_groups
from ..common import group_matrix


SCHEMA = {
    "network": {
        "n_exc": Param(4000, "number of excitatory cells (published: 8000)", minimum=10),
        "n_inh": Param(1000, "number of inhibitory cells (published: 2000)", minimum=1),
        "n_memories": Param(5, "number of non-overlapping memories", minimum=1, maximum=50),
        "coding_level": Param(0.1, "fraction f of the E cells in each memory", positive=True, maximum=1.0),
    },
    "exc": {
        "tau_m": Param("15 ms", "membrane time constant", positive=True),
        "v_threshold": Param("20 mV", "spike threshold (relative to rest)"),
        "v_reset": Param("16 mV", "reset potential"),
        "refractory": Param("2 ms", "absolute refractory period", minimum=0.0),
    },
    "inh": {
        "tau_m": Param("10 ms", "membrane time constant", positive=True),
        "v_threshold": Param("20 mV", "spike threshold (relative to rest)"),
        "v_reset": Param("13 mV", "reset potential"),
        "refractory": Param("2 ms", "absolute refractory period", minimum=0.0),
    },
    "synapses": {
        "j_exc_to_exc": Param(
            "0.10 mV", "E->E efficacy between cells of different memories / non-selective", minimum=0.0
        ),
        "j_exc_to_exc_memory": Param("0.45 mV", "E->E efficacy within a memory (potentiated)", minimum=0.0),
        "j_exc_to_inh": Param("0.135 mV", "E->I efficacy (static)", minimum=0.0),
        "j_inh_to_exc": Param("0.25 mV", "I->E efficacy (static, inhibitory)", minimum=0.0),
        "j_inh_to_inh": Param("0.20 mV", "I->I efficacy (static, inhibitory)", minimum=0.0),
        "delay_min": Param("0.1 ms", "shortest transmission delay", minimum=0.0),
        "delay_max": Param("1 ms", "longest transmission delay", minimum=0.0),
        "tau_syn": Param(
            "0 ms",
            "synaptic current time constant (0: instantaneous jumps of V, as in Mongillo et al. 2008; > 0: "
            "exponential currents, e.g. 2 ms as in the NEST reimplementation of Tiddia et al. 2022; inputs "
            "arriving in the refractory period then add to the current instead of being ignored)",
            minimum=0.0,
        ),
        "psc_normalisation": Param(
            "charge",
            "with tau_syn > 0, what of a PSP equals the efficacy J: 'charge' (its integral equals that of a jump "
            "of J) or 'peak' (its peak is J: Tiddia et al. 2022's conversion, about 1.36 x the charge for E cells "
            "at 2 ms)",
            choices=("charge", "peak"),
        ),
    },
    "stp": {
        "U": Param(0.19, "baseline utilization U of E->E synapses", positive=True, maximum=1.0),
        "tau_facilitation": Param("1.5 s", "facilitation time constant tau_F", positive=True),
        "tau_depression": Param("0.2 s", "depression (recovery) time constant tau_D", positive=True),
    },
    "connectivity": {
        "connection_probability": Param(0.2, "published connection probability c", positive=True, maximum=1.0),
        "keep_in_degree": Param(True, "scale the probability by reference size / size (same in-degree)"),
        "reference_n_exc": Param(8000, "published E population size", minimum=1),
        "reference_n_inh": Param(2000, "published I population size", minimum=1),
        "nonselective_potentiated_fraction": Param(
            0.0,
            "gamma_0: fraction of the E->E synapses from non-selective cells (onto any E cell) at the "
            "potentiated efficacy j_exc_to_exc_memory instead of j_exc_to_exc (Mongillo et al. 2008 SOM: 0.1)",
            minimum=0.0,
            maximum=1.0,
        ),
    },
    "external": {
        "mu_exc": Param(
            "22.8 mV",
            "mean external input to E cells: the regime (22.8 decaying trace, "
            "23.7 population spikes, 24.0 persistent activity)",
        ),
        "mu_inh": Param("21.0 mV", "mean external input to I cells"),
        "sigma_exc": Param("1 mV", "SD of the external noise to E cells", minimum=0.0),
        "sigma_inh": Param("1 mV", "SD of the external noise to I cells", minimum=0.0),
    },
    "protocol": {
        "baseline_duration": Param("1 s", "spontaneous activity before the cue", minimum=0.0),
        "cue_memory": Param(1, "memory (1-based) that is cued", minimum=1),
        "cue_gain": Param(1.15, "external input of the cued memory is multiplied by this", positive=True),
        "cue_duration": Param("350 ms", "cue duration", minimum=0.0),
        "delay_duration": Param("1.5 s", "delay between cue and readout", minimum=0.0),
        "readout_gain": Param(1.05, "external input of every E cell is multiplied by this", positive=True),
        "readout_duration": Param("250 ms", "non-specific readout duration", minimum=0.0),
        "post_readout_duration": Param("500 ms", "activity after the readout", minimum=0.0),
        "delay_score_offset": Param("500 ms", "the delay rate is scored from this long after cue offset", minimum=0.0),
        "u_factor": Param(1.2, "the cued memory counts as facilitated while its mean u > u_factor * U", positive=True),
        "popspike_bin": Param("5 ms", "bin of the memory rates used to detect population spikes", positive=True),
        "popspike_threshold_hz": Param(60.0, "a population spike is a memory rate above this (Hz)", positive=True),
        "popspike_min_interval": Param("50 ms", "population spikes closer than this are merged", minimum=0.0),
        "held_threshold_hz": Param(
            10.0, "tasks: a memory is held while its cells fire at least this (Hz)", positive=True
        ),
    },
    "simulation": simulation_params(
        "0.1 ms",
        ("euler", "heun", "milstein"),
        "Brian2 integration method (stochastic: Euler-Maruyama)",
        trace_bin=Param("10 ms", "sampling interval of the mean u and x traces", positive=True),
    ),
}


# ----------------------------------------------------------------------------- structure
def memory_size(spec) -> int:
    """Cells per memory; ConfigError if the memories do not fit."""
    net = spec.section("network")
    n_mem = int(round(net["coding_level"] * net["n_exc"]))
    if n_mem < 1:
        raise ConfigError(
            f"network.coding_level = {net['coding_level']:g} of {net['n_exc']} E cells gives empty memories"
        )
    if net["n_memories"] * n_mem > net["n_exc"]:
        raise ConfigError(
            f"network: {net['n_memories']} memories of {n_mem} cells do not fit into "
            f"{net['n_exc']} E cells (n_memories * coding_level must be <= 1)"
        )
    return n_mem


def memory_index(spec) -> np.ndarray:
    """Memory of every E cell: ``0 .. n_memories - 1``, or ``n_memories`` for non-selective cells."""
    return contiguous_groups(spec["network.n_exc"], spec["network.n_memories"], memory_size(spec))


def connection_probabilities(spec) -> tuple[float, float]:
    """Probability of a connection from an E cell and from an I cell (after in-degree scaling)."""
    conn, net = spec.section("connectivity"), spec.section("network")
    p = conn["connection_probability"]
    if not conn["keep_in_degree"]:
        return p, p
    p_exc = p * conn["reference_n_exc"] / net["n_exc"]
    p_inh = p * conn["reference_n_inh"] / net["n_inh"]
    for name, value, n in (("n_exc", p_exc, net["n_exc"]), ("n_inh", p_inh, net["n_inh"])):
        if value > 1.0:
            raise ConfigError(
                f"network.{name} = {n} is too small to keep the published in-degree "
                f"(connection probability would be {value:.3g} > 1); use a larger network or "
                "connectivity.keep_in_degree = false"
            )
    return p_exc, p_inh


def stp_rule(spec):
    """The :class:`~snnmem.plasticity.TsodyksMarkramSTP` of the E->E synapses."""
    from ...plasticity import TsodyksMarkramSTP

    stp = spec.section("stp")
    return TsodyksMarkramSTP(
        U=float(stp["U"]), tau_facilitation=float(stp["tau_facilitation"]), tau_depression=float(stp["tau_depression"])
    )


def memory_map(spec) -> MemoryMap:
    """Items are the memories: weight 1 for the cells of memory ``k``, else 0."""
    return MemoryMap(
        weights=memory_groups(spec)[:-1].astype(float),
        labels=tuple(f"memory{k + 1}" for k in range(spec["network.n_memories"])),
        held_threshold_hz=spec["protocol.held_threshold_hz"],
    )


def memory_groups(spec) -> np.ndarray:
    """Boolean membership ``(n_memories + 1, n_exc)``: the memories, then the non-selective cells."""
    return group_matrix(memory_index(spec), spec["network.n_memories"])


def check(spec) -> None:
    """Rules between the network's keys (at load time, whatever the protocol)."""
    memory_size(spec)
    connection_probabilities(spec)
    if float(spec["synapses.delay_max"]) < float(spec["synapses.delay_min"]):
        raise ConfigError("synapses.delay_max must be >= synapses.delay_min")


def psc_gain(tau_m: float, tau_syn: float, normalisation: str) -> float:
    """Jump of the synaptic current (in units of the efficacy J) for an exponential current of ``tau_syn``.

    The membrane obeys ``tau_m dV/dt = -V + I`` with ``dI/dt = -I/tau_syn``; a jump of
    ``J * gain`` in ``I`` gives a PSP whose integral is that of a jump ``J`` of ``V`` for
    ``"charge"`` (gain ``tau_m/tau_syn``), or whose peak is ``J`` for ``"peak"``.
    """
    charge = tau_m / tau_syn
    if normalisation == "charge":
        return charge
    if abs(tau_m - tau_syn) < 1e-12 * tau_m:
        raise ConfigError("synapses.tau_syn equal to a membrane time constant: use 'charge' normalisation")
    ratio = tau_syn / tau_m  # peak of the charge-normalised PSP, per unit J
    peak = tau_m / (tau_m - tau_syn) * (ratio ** (tau_syn / (tau_m - tau_syn)) - ratio ** (tau_m / (tau_m - tau_syn)))
    return charge / peak
