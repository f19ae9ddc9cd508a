"""Mongillo et al.'s native protocol (cue, delay, readout), its scores, and the rates every run stores."""

from __future__ import annotations

import numpy as np
from ...errors import ConfigError
from ...protocols import Phase, Schedule, Stimulus, find_phase, phase_window, sequential_phases
from ..common import group_rate_tables
from .parameters import memory_groups, memory_index, stp_rule


def native_schedule(spec) -> Schedule:
    """The native protocol: baseline, cue, delay, readout, post_readout (zero-length phases dropped).

    Stimuli: the cue onto the cells of ``protocol.cue_memory`` and the readout onto
    the global input (every E cell).
    """
    p = spec.section("protocol")
    if p["cue_memory"] > spec["network.n_memories"]:
        raise ConfigError(
            f"protocol.cue_memory = {p['cue_memory']}: the network has only "
            f"{spec['network.n_memories']} memories (1-based)"
        )
    if float(p["delay_duration"]) <= float(p["delay_score_offset"]):
        raise ConfigError(
            f"protocol.delay_duration = {float(p['delay_duration']):g} s is not longer than "
            f"protocol.delay_score_offset = {float(p['delay_score_offset']):g} s: the delay would not be scored"
        )
    phases = sequential_phases(
        [
            ("baseline", float(p["baseline_duration"]), "spontaneous activity"),
            ("cue", float(p["cue_duration"]), f"external input x {p['cue_gain']:g} to memory {p['cue_memory']}"),
            ("delay", float(p["delay_duration"]), "no selective input"),
            ("readout", float(p["readout_duration"]), f"external input x {p['readout_gain']:g} to every E cell"),
            ("post_readout", float(p["post_readout_duration"]), "no selective input"),
        ]
    )
    cued = (memory_index(spec) == p["cue_memory"] - 1).astype(float)
    return Schedule(
        tuple(phases),
        (
            Stimulus(*phase_window(phases, "cue"), cells=cued, label="cue"),
            Stimulus(*phase_window(phases, "readout"), target="global", label="readout"),
        ),
    )


def protocol(spec) -> list[Phase]:
    """Phases of the native protocol (:func:`native_schedule`)."""
    return list(native_schedule(spec).phases)


# ----------------------------------------------------------------------------- analysis
def stp_traces(spec, exc_ids, exc_times, sample_times) -> tuple[np.ndarray, np.ndarray]:
    """Mean utilization ``u`` and resources ``x`` of each memory's synapses at ``sample_times``.

    Each cell's trajectory is the exact event-driven Tsodyks-Markram solution
    (:func:`snnmem.plasticity.tsodyks_markram_reference`, Mongillo order) of its own
    spike train; between spikes :math:`u = U + (u^+ - U) e^{-\\Delta t/\\tau_F}`,
    :math:`x = 1 + (x^+ - 1) e^{-\\Delta t/\\tau_D}`. Averaged over the cells of each
    memory (every synapse of a cell carries its cell's values).

    Returns
    -------
    u, x : ndarray of float64, shape (n_samples, n_memories)
    """
    rule = stp_rule(spec)
    memory = memory_index(spec)
    n_memories = spec["network.n_memories"]
    samples = np.asarray(sample_times, dtype=float)
    ids = np.asarray(exc_ids)
    times = np.asarray(exc_times, dtype=float)
    order = np.argsort(ids, kind="stable")
    ids, times = ids[order], times[order]
    bounds = np.searchsorted(ids, np.arange(memory.size + 1))
    u_sum = np.zeros((samples.size, n_memories))
    x_sum = np.zeros((samples.size, n_memories))
    for cell in np.flatnonzero(memory < n_memories):
        spike_times = times[bounds[cell] : bounds[cell + 1]]
        if spike_times.size == 0:
            u_cell, x_cell = np.full(samples.size, rule.U), np.ones(samples.size)
        else:
            trajectory = rule.reference(spike_times)
            last = np.searchsorted(trajectory.times, samples, side="left") - 1  # last spike strictly before
            before = last < 0
            k = np.clip(last, 0, None)
            elapsed = samples - trajectory.times[k]
            u_cell = rule.U + (trajectory.utilization[k] - rule.U) * np.exp(-elapsed / rule.tau_facilitation)
            x_cell = 1.0 + (trajectory.resources[k] - 1.0) * np.exp(-elapsed / rule.tau_depression)
            u_cell[before], x_cell[before] = rule.U, 1.0
        u_sum[:, memory[cell]] += u_cell
        x_sum[:, memory[cell]] += x_cell
    n_cells = np.bincount(memory, minlength=n_memories + 1)[:n_memories]
    return u_sum / n_cells, x_sum / n_cells


def population_spike_times(
    rate: np.ndarray, bin_s: float, t_start: float, threshold_hz: float, min_interval_s: float
) -> np.ndarray:
    """Times (s) of population spikes: peaks of runs of bins above ``threshold_hz``.

    Consecutive supra-threshold bins form one event, timed at its highest bin's
    centre; events closer than ``min_interval_s`` to the previous one are merged
    into it.
    """
    rate = np.asarray(rate, dtype=float)
    above = rate >= threshold_hz
    if not above.any():
        return np.zeros(0)
    edges = np.diff(np.concatenate(([0], above.astype(np.int8), [0])))
    starts, stops = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    events: list[float] = []
    for start, stop in zip(starts, stops):
        peak = start + int(np.argmax(rate[start:stop]))
        when = t_start + (peak + 0.5) * bin_s
        if events and when - events[-1] < min_interval_s:
            continue
        events.append(when)
    return np.asarray(events)


def score(spec, spikes, phases):
    """Rates, mean u and x of each memory, readout response, population spikes.

    Scores (``/scores``)
    --------------------
    ``spontaneous_rate_exc_hz``, ``spontaneous_rate_inh_hz``
        Mean rates during the baseline.
    ``cue_rate_cued_hz``
        Rate of the cued memory during the cue.
    ``delay_rate_cued_hz``, ``delay_rate_uncued_hz``, ``baseline_rate_cued_hz``
        Rate of the cued memory and mean of the uncued memories from
        ``delay_score_offset`` after cue offset to the end of the delay; the cued
        memory's baseline rate.
    ``cued_u_end_of_cue``, ``cued_x_end_of_cue``, ``cued_u_1s_after_cue``, ``uncued_u_mean_delay``
        Mean u / x of the memories' synapses.
    ``cued_u_facilitated_s``
        Time from cue offset until the cued memory's mean u first falls below
        ``u_factor * U`` (capped at the readout onset).
    ``readout_peak_rate_cued_hz``, ``readout_peak_rate_uncued_hz``
        Highest ``popspike_bin`` rate of the cued memory / of any uncued memory during the readout.
    ``readout_popspike_cued``, ``readout_popspikes_uncued``
        1 if the cued memory emits a population spike in the readout; number of
        uncued memories that do.
    ``delay_popspikes_cued``, ``popspike_period_s``
        Population spikes of the cued memory in the delay, and the median interval
        between them (NaN with fewer than two).

    Arrays (``/analysis``): ``trace_time_s``, ``u_mean`` and ``x_mean``
    (``[n_samples, n_memories]``), ``popspike_times_cued_s``.
    """
    from ...analysis.binning import group_rates, population_rate

    proto = spec.section("protocol")
    exc_ids, exc_times = spikes["exc"]
    inh_ids, inh_times = spikes["inh"]
    n_memories = spec["network.n_memories"]
    cued = proto["cue_memory"] - 1
    uncued = [k for k in range(n_memories) if k != cued]
    groups = memory_groups(spec)
    duration = phases[-1].stop_s if phases else 0.0
    scores: dict[str, float] = {}
    arrays: dict[str, np.ndarray] = {}

    def window_rates(start, stop):
        return group_rates(exc_ids, exc_times, groups, start, stop, stop - start)[0]

    names = [p.name for p in phases]
    if "baseline" in names:
        base = find_phase(phases, "baseline")
        scores["spontaneous_rate_exc_hz"] = float(
            population_rate(exc_ids, exc_times, spec["network.n_exc"], base.start_s, base.stop_s, base.duration_s)[0]
        )
        scores["spontaneous_rate_inh_hz"] = float(
            population_rate(inh_ids, inh_times, spec["network.n_inh"], base.start_s, base.stop_s, base.duration_s)[0]
        )
        scores["baseline_rate_cued_hz"] = float(window_rates(base.start_s, base.stop_s)[cued])
    if "cue" not in names:
        return scores, arrays
    cue = find_phase(phases, "cue")
    scores["cue_rate_cued_hz"] = float(window_rates(cue.start_s, cue.stop_s)[cued])
    readout_start = find_phase(phases, "readout").start_s if "readout" in names else duration

    trace_bin = float(spec["simulation.trace_bin"])
    samples = np.arange(int(np.floor(duration / trace_bin + 1e-9)) + 1) * trace_bin
    u_mean, x_mean = stp_traces(spec, exc_ids, exc_times, samples)
    arrays.update(trace_time_s=samples, u_mean=u_mean, x_mean=x_mean)
    U = stp_rule(spec).U

    def at(time_s, trace):
        return float(trace[min(int(round(time_s / trace_bin)), samples.size - 1), cued])

    scores["cued_u_end_of_cue"] = at(cue.stop_s, u_mean)
    scores["cued_x_end_of_cue"] = at(cue.stop_s, x_mean)
    if cue.stop_s + 1.0 <= duration:
        scores["cued_u_1s_after_cue"] = at(cue.stop_s + 1.0, u_mean)
    after = (samples >= cue.stop_s) & (samples <= readout_start)
    below = np.flatnonzero(after & (u_mean[:, cued] <= proto["u_factor"] * U))
    end = samples[below[0]] if below.size else readout_start
    scores["cued_u_facilitated_s"] = float(end - cue.stop_s)

    bin_s = float(proto["popspike_bin"])
    n_bins = int(np.floor(duration / bin_s + 1e-9))
    fine = group_rates(exc_ids, exc_times, groups, 0.0, n_bins * bin_s, bin_s)
    threshold, min_interval = proto["popspike_threshold_hz"], float(proto["popspike_min_interval"])
    events = population_spike_times(fine[:, cued], bin_s, 0.0, threshold, min_interval)
    arrays["popspike_times_cued_s"] = events

    if "delay" in names:
        delay = find_phase(phases, "delay")
        start = min(cue.stop_s + float(proto["delay_score_offset"]), delay.stop_s)
        if delay.stop_s > start:
            rates_delay = window_rates(start, delay.stop_s)
            scores["delay_rate_cued_hz"] = float(rates_delay[cued])
            if uncued:
                scores["delay_rate_uncued_hz"] = float(np.mean(rates_delay[uncued]))
        in_delay = events[(events >= delay.start_s) & (events < delay.stop_s)]
        scores["delay_popspikes_cued"] = float(in_delay.size)
        scores["popspike_period_s"] = float(np.median(np.diff(in_delay))) if in_delay.size >= 2 else float("nan")
        if uncued:
            delay_samples = (samples >= delay.start_s) & (samples < delay.stop_s)
            scores["uncued_u_mean_delay"] = float(np.mean(u_mean[delay_samples][:, uncued]))
    if "readout" in names:
        readout = find_phase(phases, "readout")
        first, last = int(np.floor(readout.start_s / bin_s + 1e-9)), int(np.floor(readout.stop_s / bin_s + 1e-9))
        peaks = fine[first:last, :n_memories].max(axis=0)
        scores["readout_peak_rate_cued_hz"] = float(peaks[cued])
        scores["readout_popspike_cued"] = float(peaks[cued] >= threshold)
        if uncued:
            scores["readout_peak_rate_uncued_hz"] = float(np.max(peaks[uncued]))
            scores["readout_popspikes_uncued"] = float(np.sum(peaks[uncued] >= threshold))
    return scores, arrays


def rates(spec, spikes, duration_s):
    """Rates stored in the run file: E cells by memory (``[n_bins, n_memories + 1]``) and the I population."""
    names = [f"memory{k + 1}" for k in range(spec["network.n_memories"])] + ["nonselective"]
    return group_rate_tables(spec, spikes, memory_groups(spec), names, duration_s)
