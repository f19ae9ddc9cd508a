"""Working memory held by synaptic facilitation, after Mongillo, Barak & Tsodyks (2008).

Mongillo G, Barak O, Tsodyks M (2008). Synaptic theory of working memory.
Science 319(5869):1543-1546. doi:10.1126/science.1150769 (parameters from its
supporting online material).

Network
-------
``n_exc`` excitatory and ``n_inh`` inhibitory current-based leaky
integrate-and-fire neurons (potentials in mV relative to rest):

.. math::

    \\tau_m \\frac{dV}{dt} = -V + \\mu_{ext} g(t) + \\sigma_{ext} \\sqrt{\\tau_m}\\, \\xi(t)
        + \\tau_m \\sum_j J_{ij} r_j \\delta(t - t_j - d_{ij}),

spike at :math:`V \\ge \\theta` (20 mV), reset to 16 mV (E) / 13 mV (I), refractory
2 ms; :math:`\\xi` is Gaussian white noise (free-membrane SD :math:`\\sigma/\\sqrt 2`),
:math:`g(t)` the protocol's gain of the external input (1 outside the cue and the
readout). ``n_memories`` non-overlapping memories of ``coding_level * n_exc`` E cells
each (cells ``[k n_mem, (k+1) n_mem)`` encode memory ``k + 1``); the rest are
non-selective. Every ordered pair is connected with probability
``connection_probability``; delays are uniform in ``[delay_min, delay_max]``.

- E->E synapses: efficacy ``j_exc_to_exc_memory`` (0.45 mV) between cells of the
  same memory, ``j_exc_to_exc`` (0.10 mV) otherwise, with Tsodyks-Markram
  short-term plasticity in the Mongillo update order
  (:class:`snnmem.plasticity.TsodyksMarkramSTP`): the PSP is :math:`J u^+ x^-`.
- E->I 0.135 mV, I->E 0.25 mV, I->I 0.20 mV, static. Inputs arriving during a
  cell's refractory period are ignored.

Size
----
Published: 8000 E / 2000 I, connection probability 0.2. The default is a scaled
4000 E / 1000 I network that keeps every cell's expected in-degree (and so the mean
and variance of its recurrent input) as published: with
``connectivity.keep_in_degree = true`` the probability of a connection from E is
``p * reference_n_exc / n_exc`` and from I ``p * reference_n_inh / n_inh``
(0.4 at the default size). Halving again (2000 / 500, probability 0.8) is not
equivalent: the shared input then makes the cued memory reactivate during the
decaying regime's delay and weakens the readout (seed 1: cued delay rate 2.3 Hz,
readout peak 5 Hz, against 0.25 Hz and 181 Hz at 4000 / 1000 and 0.28 Hz and
170 Hz at the published size).

Protocol and regimes
--------------------
baseline, ``cue`` (external input x ``cue_gain`` to the cued memory, 350 ms),
``delay``, ``readout`` (external input x ``readout_gain`` to every E cell,
250 ms), ``post_readout``. ``external.mu_exc`` sets the regime (issue 7, after
Mongillo et al. 2008): 22.8 mV, the cued memory's activity decays but its
facilitated synapses let a readout reactivate it; 23.7 mV, the cued memory
reactivates spontaneously in periodic population spikes (period set by
:math:`\\tau_D`, a few hundred ms); 24.0 mV, persistent asynchronous activity in the
paper (in this implementation 24.0 mV still gives periodic population spikes, period
about 0.28 s: the regime boundaries sit higher; see docs/working_memory.md).

The mean :math:`u` and :math:`x` of each memory's synapses are reconstructed from
the spikes after the run: with the Mongillo update order they depend only on the
presynaptic spike train, so every synapse of a cell carries the same values
(up to its transmission delay, <= 1 ms), computed exactly by
:func:`snnmem.plasticity.tsodyks_markram_reference`.
"""

from __future__ import annotations

import numpy as np

from ..analysis.memory import MemoryMap
from ..schema import Param, simulation_params
from ..errors import ConfigError
from ..protocols import Phase, Schedule, Stimulus, find_phase, phase_window, sequential_phases
from .base import BuiltNetwork, Circuit
from .common import contiguous_groups, group_matrix, group_rate_tables
from .stimulus import window_namespace

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
    from ..plasticity import TsodyksMarkramSTP

    stp = spec.section("stp")
    return TsodyksMarkramSTP(
        U=float(stp["U"]), tau_facilitation=float(stp["tau_facilitation"]), tau_depression=float(stp["tau_depression"])
    )


def native_schedule(spec) -> Schedule:
    """The native protocol: baseline, cue, delay, readout, post_readout (zero-length phases dropped).

    Stimuli: the cue onto the cells of ``protocol.cue_memory`` and the readout onto
    the global input (every E cell).
    """
    p, syn = spec.section("protocol"), spec.section("synapses")
    memory_size(spec)
    connection_probabilities(spec)
    if p["cue_memory"] > spec["network.n_memories"]:
        raise ConfigError(
            f"protocol.cue_memory = {p['cue_memory']}: the network has only "
            f"{spec['network.n_memories']} memories (1-based)"
        )
    if float(syn["delay_max"]) < float(syn["delay_min"]):
        raise ConfigError("synapses.delay_max must be >= synapses.delay_min")
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


def memory_map(spec) -> MemoryMap:
    """Items are the memories: weight 1 for the cells of memory ``k``, else 0."""
    return MemoryMap(
        weights=_memory_groups(spec)[:-1].astype(float),
        labels=tuple(f"memory{k + 1}" for k in range(spec["network.n_memories"])),
        held_threshold_hz=spec["protocol.held_threshold_hz"],
    )


# ----------------------------------------------------------------------------- network
_NEURON_EQUATIONS = """
dv/dt = (mu_ext*input_gain - v)/tau_m + sigma_ext*xi*tau_m**-0.5 : volt (unless refractory)
"""


def _exc_gain(schedule: Schedule) -> str:
    """The stimulus port of the E cells: the gain of their external input.

    A cell stimulus of strength ``s`` adds ``s (cue_gain - 1) cells`` during its
    window; a global one adds ``s (readout_gain - 1)`` onto every E cell.
    """
    cells, globals_ = schedule.cell_stimuli(), schedule.global_stimuli()
    lines = "memory : integer (constant)\n" + "".join(f"stim{k}_cells : 1 (constant)\n" for k in range(len(cells)))
    terms = [
        f"{s.strength!r}*(cue_gain - 1)*stim{k}_cells*int(t >= stim{k}_start and t < stim{k}_stop)"
        for k, s in enumerate(cells)
        if s.active
    ]
    terms += [
        f"{s.strength!r}*(readout_gain - 1)*int(t >= glob{k}_start and t < glob{k}_stop)"
        for k, s in enumerate(globals_)
        if s.active
    ]
    return lines + "input_gain = 1" + "".join(f"\n    + {term}" for term in terms) + " : 1\n"


_INH_GAIN = """
input_gain = 1 : 1
"""


def build(spec, seed: int = 0, schedule: Schedule | None = None) -> BuiltNetwork:
    """Create the Brian2 objects of the STP working-memory network (not yet run).

    ``schedule``: the stimuli of the run (default: the native protocol); see
    :func:`_exc_gain` for what a stimulus does.
    """
    import brian2 as b2

    schedule = schedule or native_schedule(spec)
    net, syn, ext, proto = (spec.section(s) for s in ("network", "synapses", "external", "protocol"))
    p_exc, p_inh = connection_probabilities(spec)
    n_exc, n_inh, n_memories = net["n_exc"], net["n_inh"], net["n_memories"]
    gains = {
        "cue_gain": proto["cue_gain"],
        "readout_gain": proto["readout_gain"],
        **window_namespace("stim", schedule.cell_stimuli(), b2.second),
        **window_namespace("glob", schedule.global_stimuli(), b2.second),
    }

    def population(name, n, cells, suffix, gain_equations):
        namespace = {
            "mu_ext": ext[f"mu_{suffix}"],
            "sigma_ext": ext[f"sigma_{suffix}"],
            **gains,
            **{k: cells[k] for k in ("tau_m", "v_threshold", "v_reset")},
        }
        group = b2.NeuronGroup(
            n,
            _NEURON_EQUATIONS + gain_equations,
            threshold="v >= v_threshold",
            reset="v = v_reset",
            refractory=cells["refractory"],
            method=spec["simulation.method"],
            namespace=namespace,
            name=name,
        )
        group.v = "v_reset + rand()*(v_threshold - v_reset)"
        return group

    exc = population("exc", n_exc, spec.section("exc"), "exc", _exc_gain(schedule))
    inh = population("inh", n_inh, spec.section("inh"), "inh", _INH_GAIN)
    exc.memory = memory_index(spec)
    for k, stimulus in enumerate(schedule.cell_stimuli()):
        if len(stimulus.cells) != n_exc:
            raise ConfigError(
                f"stimulus {stimulus.label!r} names {len(stimulus.cells)} cells; the network has {n_exc} E cells"
            )
        setattr(exc, f"stim{k}_cells", stimulus.cells)

    delays = {"delay_min": syn["delay_min"], "delay_max": syn["delay_max"]}
    rule = stp_rule(spec)
    ee = b2.Synapses(
        exc,
        exc,
        model=rule.model("event-driven") + "\nefficacy : volt (constant)",
        on_pre=rule.on_pre("v_post += efficacy*release*int(not_refractory_post)"),
        namespace={
            **rule.namespace(),
            **delays,
            "j_base": syn["j_exc_to_exc"],
            "j_memory": syn["j_exc_to_exc_memory"],
            "n_memories": n_memories,
        },
        name="ee_stp",
    )
    ee.connect(p=p_exc)
    ee.efficacy = "j_base + (j_memory - j_base)*int(memory_pre == memory_post and memory_pre < n_memories)"
    for name, value in rule.initial_values().items():
        setattr(ee, name, value)
    objects: list = [exc, inh, ee]
    for source, target, key, sign, p, name in (
        (exc, inh, "j_exc_to_inh", "+", p_exc, "ei"),
        (inh, exc, "j_inh_to_exc", "-", p_inh, "ie"),
        (inh, inh, "j_inh_to_inh", "-", p_inh, "ii"),
    ):
        synapses = b2.Synapses(
            source,
            target,
            on_pre=f"v_post {sign}= efficacy*int(not_refractory_post)",
            namespace={"efficacy": syn[key], **delays},
            name=name,
        )
        synapses.connect(p=p)
        objects.append(synapses)
    for synapses in objects[2:]:
        synapses.delay = "delay_min + rand()*(delay_max - delay_min)"

    monitors = {"exc": b2.SpikeMonitor(exc, name="spikes_exc"), "inh": b2.SpikeMonitor(inh, name="spikes_inh")}
    objects += list(monitors.values())
    info = {
        "connection_probability_from_exc": p_exc,
        "connection_probability_from_inh": p_inh,
        "cells_per_memory": memory_size(spec),
        "stp_U": rule.U,
    }
    return BuiltNetwork(objects, monitors, {"exc": n_exc, "inh": n_inh}, info)


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


def _memory_groups(spec) -> np.ndarray:
    return group_matrix(memory_index(spec), spec["network.n_memories"])


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
    from ..analysis.binning import group_rates, population_rate

    proto = spec.section("protocol")
    exc_ids, exc_times = spikes["exc"]
    inh_ids, inh_times = spikes["inh"]
    n_memories = spec["network.n_memories"]
    cued = proto["cue_memory"] - 1
    uncued = [k for k in range(n_memories) if k != cued]
    groups = _memory_groups(spec)
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
    return group_rate_tables(spec, spikes, _memory_groups(spec), names, duration_s)


class STPWorkingMemory(Circuit):
    """Mongillo, Barak & Tsodyks (2008): the ``stp_working_memory`` circuit (see the module docstring)."""

    name = "stp_working_memory"
    schema = SCHEMA
    global_input = True

    def check(self, spec) -> None:
        native_schedule(spec)

    def memory_map(self, spec, seed: int = 0) -> MemoryMap:
        return memory_map(spec)

    def native_schedule(self, spec, seed: int = 0) -> Schedule:
        return native_schedule(spec)

    def build(self, spec, seed: int, schedule: Schedule, *, run_args: bool = False) -> BuiltNetwork:
        return build(spec, seed, schedule)

    def native_scores(self, spec, spikes, phases, state):
        return score(spec, spikes, phases)

    def rates(self, spec, spikes, duration_s):
        return rates(spec, spikes, duration_s)
