"""Parameters of the ring attractor, the rules between them, and its memory map (cue profiles)."""

from __future__ import annotations

import numpy as np
from ...analysis.memory import MemoryMap
from ...schema import Param, ampa_nmda_gaba_params, lif_cell_params, simulation_params
from ...errors import ConfigError


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
        "ee_implementation": Param(
            "fourier",
            "how E->E NMDA input is summed: Fourier modes (dense C++ loops in cpp_standalone, summed "
            "Synapses at runtime), Fourier modes through summed Synapses, or every E->E pair",
            choices=("fourier", "fourier_synapses", "per_synapse"),
        ),
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


def check(spec, native_duration_s: float | None = None) -> None:
    """Rules between keys, checked when the model is loaded (before any build).

    ``native_duration_s``: the native protocol's duration when it runs (no ``[task]``).
    """
    from ...connectivity import ring_j_minus

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
    duration = native_duration_s
    proto = spec.section("protocol")
    needed = float(proto["score_offset"]) + float(proto["score_window"])
    if duration is not None and float(proto["delay_duration"]) < needed - 1e-9:
        raise ConfigError(
            f"protocol.delay_duration = {float(proto['delay_duration']):g} s is shorter than protocol.score_offset + "
            f"protocol.score_window = {needed:g} s: no delay window would be scored"
        )
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


def conductance_scales(spec) -> tuple[float, float]:
    """``(reference_n_exc / n_exc, reference_n_inh / n_inh)``: recurrent conductances scale with them."""
    net, cond = spec.section("network"), spec.section("conductances")
    return cond["reference_n_exc"] / net["n_exc"], cond["reference_n_inh"] / net["n_inh"]


def ee_coupling(spec):
    """The exact low-rank E->E coupling of this model (see :mod:`snnmem.connectivity`)."""
    from ...connectivity import circulant_modes, ring_profile

    conn = spec.section("connectivity")
    profile = ring_profile(spec["network.n_exc"], conn["sigma_deg"], conn["j_plus"])
    return circulant_modes(profile, conn["fourier_tolerance"])
