"""The ring attractor's native protocol (baseline, cue, delay) and its bump scores and rates."""

from __future__ import annotations

import numpy as np
from ...protocols import Phase, Schedule, Stimulus, find_phase, phase_window, sequential_phases
from .parameters import cue_profile


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


def score(spec, spikes, phases):
    """Bump scores of the delay (see :func:`snnmem.analysis.ring.ring_bump_scores`)."""
    from ...analysis.ring import ring_bump_scores

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
    from ...analysis.binning import population_rate
    from ...analysis.ring import ring_rate_map

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
