"""Item-selective attractors for object working memory, after Brunel & Wang (2001).

Brunel N, Wang X-J (2001). Effects of neuromodulation in a cortical network model
of object working memory dominated by recurrent inhibition. Journal of
Computational Neuroscience 11(1):63-85. doi:10.1023/A:1011204814320

Neuron and synapse parameters as in Wang (1999, 2002); the conductances are those
of the 800 E / 200 I version of the network (Brian2's documented Brunel-Wang 2001
example).

Network
-------
``n_exc`` excitatory and ``n_inh`` inhibitory conductance-based leaky
integrate-and-fire neurons, all-to-all connected. The excitatory cells form
``n_items`` selective pools of ``round(coding_level * n_exc)`` cells each (cells
``[k n_item, (k+1) n_item)`` code item ``k + 1``) and one non-selective pool (the
rest).

.. math::

    C_m \\frac{dV}{dt} = -g_L (V - V_L)
        - g_{ext} s_{ext} (V - E_{AMPA}) - g_{AMPA} S_{AMPA} (V - E_{AMPA})
        - g_{NMDA} \\frac{S_{NMDA}}{1 + [Mg] e^{-0.062 V/\\mathrm{mV}} / 3.57} (V - E_{NMDA})
        - g_{GABA} s_{GABA} (V - E_{GABA})

- external drive: ``external.n_sources`` Poisson sources at ``external.rate_per_source``
  (800 x 3 Hz) onto AMPA (:math:`s_{ext} \\mathrel{+}= 1`, decay ``tau_ampa_decay``);
- recurrent excitation (AMPA and NMDA) with the pool-pair weights
  :math:`w_{+}` within a selective pool, :math:`w_{-} = 1 - f(w_+ - 1)/(1 - f)`
  from any other pool onto a selective pool, 1 onto the non-selective pool and onto
  inhibitory cells (so the mean weight onto every cell is 1);
- NMDA gating of each excitatory cell:
  :math:`ds/dt = -s/\\tau_{decay} + \\alpha x (1 - s)`,
  :math:`dx/dt = -x/\\tau_{rise}`, :math:`x \\mathrel{+}= 1` per spike;
- inhibition through GABA_A, :math:`s_{GABA} \\mathrel{+}= 1` per inhibitory spike.

Recurrent conductances scale with ``reference_n_exc / n_exc`` (from E) and
``reference_n_inh / n_inh`` (from I).

Presynaptic summation per pool
------------------------------
Because the weight depends only on the pools of the two cells, the recurrent input
of cell ``j`` is :math:`S_j = \\sum_P w_{P, pool(j)} \\sigma_P` with
:math:`\\sigma_P = \\sum_{i \\in P} s_i` the summed gating of pool ``P``.
``connectivity.nmda_implementation = "per_pool"`` (default) computes the
``n_items + 1`` pool sums with one summed ``Synapses`` (N_E terms) and expands them
with another ((n_items + 1) x (N_E + N_I) terms): about 7 k terms per step instead
of N_E (N_E + N_I) = 800 k. ``"per_synapse"`` sums every E->E and E->I pair (for
comparison and benchmarks); both give the same network. Recurrent AMPA (linear) is
always summed per pool: one AMPA trace per pool, incremented by each spike of its
cells. Everything is plain Brian2 and runs on the runtime and ``cpp_standalone``
devices.

Protocol
--------
baseline, ``cue1`` (extra Poisson input onto item ``cue1_item``; a list of items
cues them together), ``delay1``, ``cue2`` (item(s) ``cue2_item``), ``delay2``,
``reset`` (extra Poisson input onto every cell: ``reset_rate_exc`` onto E,
``reset_rate_inh`` onto I), ``post_reset``.

Expected behaviour (issue 7, after Brunel & Wang 2001): spontaneous
non-selective E about 2 Hz and I about 7 Hz; after a cue the cued pool holds
15-30 Hz through the delay while the other pools stay below 4 Hz; after the second
cue both cued pools are elevated. Measured: the second cue replaces the first item
(docs/working_memory.md, "Discrepancies"; items cued together are held for 1.25-2.5 s
at 800 / 200, longer in larger networks: ``brunel_wang2001_two_items`` validation).
"""

from __future__ import annotations

import numpy as np

from ..analysis.memory import MemoryMap
from ..schema import Param, ampa_nmda_gaba_params, lif_cell_params, simulation_params
from ..errors import ConfigError
from ..protocols import Phase, Schedule, Stimulus, phase_window, sequential_phases
from .base import BuiltNetwork, Circuit
from .common import contiguous_groups, group_matrix, group_rate_tables, order_summed
from .stimulus import gate_expression, strength_groups, window_namespace

#: phases whose first ``protocol.score_offset`` is excluded from the scored rates
SETTLING_PHASES = ("baseline", "delay1", "delay2", "post_reset")
#: phases after which the number of held items is scored
HOLD_PHASES = ("delay1", "delay2", "post_reset")

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


def _items_text(items: tuple[int, ...]) -> str:
    return f"item {items[0]}" if len(items) == 1 else "items " + ", ".join(str(k) for k in items) + " together"


def cued_cells(spec, key: str) -> np.ndarray:
    """1.0 for every E cell of an item in ``protocol.<key>`` (``cue1_item`` / ``cue2_item``), else 0.0."""
    items = np.asarray(spec[f"protocol.{key}"], dtype=np.int32) - 1
    return np.isin(pool_index(spec), items).astype(float)


def native_schedule(spec) -> Schedule:
    """The native protocol: baseline, cue1, delay1, cue2, delay2, reset, post_reset.

    Zero-length phases are dropped. Stimuli: cue 1 and cue 2 onto the cells of their
    items (strength 1 = ``protocol.cue_rate``), the reset onto the global input
    (strength 1 = ``protocol.reset_rate_exc`` / ``reset_rate_inh``).
    """
    p = spec.section("protocol")
    n_items = spec["network.n_items"]
    pool_sizes(spec)
    w_minus(spec)
    for key in ("cue1_item", "cue2_item"):
        if max(p[key]) > n_items:
            raise ConfigError(f"protocol.{key} = {list(p[key])}: the network has only {n_items} items (1-based)")
    rate = float(p["cue_rate"])
    reset = f"{float(p['reset_rate_exc']):g} Hz onto every E cell, {float(p['reset_rate_inh']):g} Hz onto every I cell"
    phases = sequential_phases(
        [
            ("baseline", float(p["baseline_duration"]), "spontaneous activity"),
            ("cue1", float(p["cue_duration"]), f"{rate:g} Hz extra Poisson input onto {_items_text(p['cue1_item'])}"),
            ("delay1", float(p["delay1_duration"]), "no input: item must persist"),
            ("cue2", float(p["cue_duration"]), f"{rate:g} Hz extra Poisson input onto {_items_text(p['cue2_item'])}"),
            ("delay2", float(p["delay2_duration"]), "no input: every cued item should persist"),
            ("reset", float(p["reset_duration"]), f"global reset: {reset}"),
            ("post_reset", float(p["post_reset_duration"]), "no input: every item should be erased"),
        ]
    )
    stimuli = [
        Stimulus(*phase_window(phases, name), cells=cued_cells(spec, f"{name}_item"), label=name)
        for name in ("cue1", "cue2")
    ]
    stimuli.append(Stimulus(*phase_window(phases, "reset"), target="global", label="reset"))
    return Schedule(tuple(phases), tuple(stimuli))


def protocol(spec) -> list[Phase]:
    """Phases of the native protocol (:func:`native_schedule`)."""
    return list(native_schedule(spec).phases)


def memory_map(spec) -> MemoryMap:
    """Items are the selective pools: weight 1 for the cells of pool ``k``, else 0."""
    return MemoryMap(
        weights=_groups_matrix(spec)[:-1].astype(float),
        labels=tuple(group_names(spec)[:-2]),
        held_threshold_hz=spec["protocol.held_threshold_hz"],
    )


# ----------------------------------------------------------------------------- network
_NEURON_EQUATIONS = """
dv/dt = (-g_leak*(v - v_leak) - g_ext_ampa*s_ampa_ext*(v - e_ampa) - g_rec_ampa*s_ampa_total*(v - e_ampa)
         - g_nmda*s_nmda_total*(v - e_nmda)/(1 + exp(-mg_block_slope*v)/mg_block_factor)
         - g_gaba*s_gaba*(v - e_gaba)) / capacitance : volt (unless refractory)
ds_ampa_ext/dt = -s_ampa_ext/tau_ampa_decay : 1
ds_gaba/dt = -s_gaba/tau_gaba_decay : 1
s_ampa_total : 1
s_nmda_total : 1
"""

# Excitatory cells: NMDA gating (presynaptic, one per cell) and the cue gate of their pool.
_EXC_EXTRA = """
ds_nmda/dt = -s_nmda/tau_nmda_decay + alpha_nmda*x_nmda*(1 - s_nmda) : 1
dx_nmda/dt = -x_nmda/tau_nmda_rise : 1
pool : integer (constant)
"""

# One node per pool: summed NMDA gating and the pool's AMPA trace.
_POOL_EQUATIONS = """
ds_ampa_pool/dt = -s_ampa_pool/tau_ampa_decay : 1
s_nmda_pool : 1
"""


def _port_equations(schedule: Schedule) -> tuple[str, str, list[tuple[float, list[int]]], list]:
    """Stimulus-port equations: (E extra, I extra, cell-stimulus strength groups, global groups).

    Each strength group of cell stimuli is one gate ``stim_gate<g>`` (per-cell weights
    ``stim<k>_cells`` times the stimulus windows) that weights one cue ``PoissonInput``;
    each strength group of global stimuli one gate ``global_gate<g>`` of the reset inputs.
    """
    cells, globals_ = schedule.cell_stimuli(), schedule.global_stimuli()
    cell_groups, global_groups = strength_groups(cells), strength_groups(globals_)
    exc = "".join(f"stim{k}_cells : 1 (constant)\n" for k in range(len(cells)))
    exc += "".join(
        f"stim_gate{g} = {gate_expression('stim', indices, True)} : 1\n" for g, (_, indices) in enumerate(cell_groups)
    )
    both = "".join(
        f"global_gate{g} = {gate_expression('glob', indices, False)} : 1\n"
        for g, (_, indices) in enumerate(global_groups)
    )
    return exc + both, both, cell_groups, global_groups


def build(spec, seed: int = 0, schedule: Schedule | None = None) -> BuiltNetwork:
    """Create the Brian2 objects of the item-attractor network (not yet run).

    ``schedule``: the stimuli of the run (default: the native protocol). A cell
    stimulus of strength ``s`` adds Poisson input at ``s * protocol.cue_rate`` onto
    each of its cells (weighted by its ``cells`` value); a global one adds
    ``s * protocol.reset_rate_exc`` onto every E cell and ``s * reset_rate_inh`` onto
    every I cell.
    """
    import brian2 as b2

    schedule = schedule or native_schedule(spec)
    net, syn, cond = spec.section("network"), spec.section("synapses"), spec.section("conductances")
    ext, proto = spec.section("external"), spec.section("protocol")
    method = spec["simulation.method"]
    n_exc, n_inh, n_items = net["n_exc"], net["n_inh"], net["n_items"]
    pools = pool_index(spec)
    weights = pool_weights(spec)
    scale_exc = cond["reference_n_exc"] / n_exc
    scale_inh = cond["reference_n_inh"] / n_inh
    exc_port, inh_port, cell_groups, global_groups = _port_equations(schedule)
    timing = {
        **window_namespace("stim", schedule.cell_stimuli(), b2.second),
        **window_namespace("glob", schedule.global_stimuli(), b2.second),
    }

    def population(name, n, cells, suffix, extra):
        namespace = {key: syn[key] for key in syn}
        namespace.update({k: cells[k] for k in ("capacitance", "g_leak", "v_leak", "v_threshold", "v_reset")})
        namespace.update(timing)
        namespace.update(
            g_ext_ampa=cond[f"g_ext_ampa_{suffix}"],
            g_rec_ampa=cond[f"g_rec_ampa_{suffix}"] * scale_exc,
            g_nmda=cond[f"g_nmda_{suffix}"] * scale_exc,
            g_gaba=cond[f"g_gaba_{suffix}"] * scale_inh,
        )
        group = b2.NeuronGroup(
            n,
            _NEURON_EQUATIONS + extra,
            threshold="v > v_threshold",
            reset="v = v_reset",
            refractory=cells["refractory"],
            method=method,
            namespace=namespace,
            name=name,
        )
        group.v = "v_reset + rand()*(v_threshold - v_reset)"
        return group

    exc = population("exc", n_exc, spec.section("exc"), "exc", _EXC_EXTRA + exc_port)
    inh = population("inh", n_inh, spec.section("inh"), "inh", inh_port)
    exc.pool = pools
    for k, stimulus in enumerate(schedule.cell_stimuli()):
        if len(stimulus.cells) != n_exc:
            raise ConfigError(
                f"stimulus {stimulus.label!r} names {len(stimulus.cells)} cells; the network has {n_exc} E cells"
            )
        setattr(exc, f"stim{k}_cells", stimulus.cells)

    objects: list = [exc, inh]
    # PoissonInput has no name= (FACTS.md): keep creation order fixed so standalone code is stable.
    if float(ext["rate_per_source"]) > 0:
        for group in (exc, inh):
            objects.append(
                b2.PoissonInput(group, "s_ampa_ext", N=ext["n_sources"], rate=ext["rate_per_source"], weight=1)
            )
    if float(proto["cue_rate"]) > 0:
        for g, (strength, _) in enumerate(cell_groups):
            objects.append(
                b2.PoissonInput(
                    exc,
                    "s_ampa_ext",
                    N=proto["cue_n_sources"],
                    rate=strength * proto["cue_rate"] / proto["cue_n_sources"],
                    weight=f"stim_gate{g}",
                )
            )
    for g, (strength, _) in enumerate(global_groups):
        for group, key in ((exc, "reset_rate_exc"), (inh, "reset_rate_inh")):
            if float(proto[key]) > 0:
                objects.append(
                    b2.PoissonInput(
                        group,
                        "s_ampa_ext",
                        N=proto["cue_n_sources"],
                        rate=strength * proto[key] / proto["cue_n_sources"],
                        weight=f"global_gate{g}",
                    )
                )

    # NMDA gating rises with each excitatory spike (one synapse per cell).
    gating = b2.Synapses(exc, exc, on_pre="x_nmda_post += 1", name="nmda_gating")
    gating.connect(j="i")
    gaba_onto_exc = b2.Synapses(inh, exc, on_pre="s_gaba_post += 1", name="gaba_ie")
    gaba_onto_exc.connect()
    gaba_onto_inh = b2.Synapses(inh, inh, on_pre="s_gaba_post += 1", name="gaba_ii")
    gaba_onto_inh.connect()
    objects += [gating, gaba_onto_exc, gaba_onto_inh]

    implementation = spec["connectivity.nmda_implementation"]
    per_pool = implementation == "per_pool"
    pool_nodes = b2.NeuronGroup(
        n_items + 1, _POOL_EQUATIONS, method="exact", name="pools", namespace={"tau_ampa_decay": syn["tau_ampa_decay"]}
    )
    project = b2.Synapses(
        exc,
        pool_nodes,
        "s_nmda_pool_post = s_nmda_pre : 1 (summed)" if per_pool else "",
        on_pre="s_ampa_pool_post += 1",
        name="pool_project",
    )
    project.connect(i=np.arange(n_exc), j=pools)
    summed_nmda = "\ns_nmda_total_post = w*s_nmda_pool_pre : 1 (summed)" if per_pool else ""
    expand_exc = b2.Synapses(
        pool_nodes,
        exc,
        "w : 1 (constant)\ns_ampa_total_post = w*s_ampa_pool_pre : 1 (summed)" + summed_nmda,
        name="pool_expand_exc",
    )
    expand_exc.connect(i=np.repeat(np.arange(n_items + 1), n_exc), j=np.tile(np.arange(n_exc), n_items + 1))
    expand_exc.w = weights[np.repeat(np.arange(n_items + 1), n_exc), np.tile(pools, n_items + 1)]
    expand_inh = b2.Synapses(
        pool_nodes,
        inh,
        "s_ampa_total_post = s_ampa_pool_pre : 1 (summed)"
        + ("\ns_nmda_total_post = s_nmda_pool_pre : 1 (summed)" if per_pool else ""),
        name="pool_expand_inh",
    )
    expand_inh.connect()
    objects += [pool_nodes, project, expand_exc, expand_inh]
    if per_pool:
        order_summed([project], [expand_exc, expand_inh])
    else:
        nmda_ee = b2.Synapses(
            exc, exc, "w : 1 (constant)\ns_nmda_total_post = w*s_nmda_pre : 1 (summed)", name="nmda_ee"
        )
        pre, post = np.repeat(np.arange(n_exc), n_exc), np.tile(np.arange(n_exc), n_exc)
        nmda_ee.connect(i=pre, j=post)
        nmda_ee.w = weights[pools[pre], pools[post]]
        nmda_ei = b2.Synapses(exc, inh, "s_nmda_total_post = s_nmda_pre : 1 (summed)", name="nmda_ei")
        nmda_ei.connect()
        objects += [nmda_ee, nmda_ei]
        order_summed([], [expand_exc, expand_inh, nmda_ee, nmda_ei])

    monitors = {"exc": b2.SpikeMonitor(exc, name="spikes_exc"), "inh": b2.SpikeMonitor(inh, name="spikes_inh")}
    objects += list(monitors.values())
    n_item, n_nonselective = pool_sizes(spec)
    info = {
        "nmda_implementation": implementation,
        "cells_per_item": n_item,
        "nonselective_cells": n_nonselective,
        "w_minus": w_minus(spec),
    }
    return BuiltNetwork(objects, monitors, {"exc": n_exc, "inh": n_inh}, info)


# ----------------------------------------------------------------------------- scores
def _groups_matrix(spec) -> np.ndarray:
    """Boolean membership ``(n_items + 1, n_exc)``: the selective pools, then the non-selective pool."""
    return group_matrix(pool_index(spec), spec["network.n_items"])


def scoring_window(phase: Phase, offset_s: float) -> tuple[float, float]:
    """The part of a phase that is scored: settling phases lose their first ``offset_s``."""
    start = phase.start_s
    if phase.name in SETTLING_PHASES and phase.duration_s > 2 * offset_s:
        start += offset_s
    return start, phase.stop_s


def score(spec, spikes, phases):
    """Rate of every pool in every phase, items held after each delay, reset success.

    Scores (``/scores``)
    --------------------
    ``rate_<phase>_<group>_hz``
        Mean rate of ``group`` (``item1 .. itemP``, ``nonselective``, ``inh``) over
        the phase's scoring window (:func:`scoring_window`).
    ``items_held_<phase>``
        Number of selective pools at or above ``protocol.held_threshold_hz`` in
        ``delay1``, ``delay2`` and ``post_reset``.
    ``max_uncued_rate_<phase>_hz``
        Largest rate of a pool that has not been cued by the end of that phase.
    ``reset_success``
        1 if no item is held after the reset (and at least one was held before it), else 0.

    Arrays (``/analysis``): ``phase_group_rates_hz`` ``[n_phases, n_groups]``,
    ``phase_window_s`` ``[n_phases, 2]``.
    """
    from ..analysis.binning import group_rates, population_rate

    proto = spec.section("protocol")
    offset, threshold = float(proto["score_offset"]), proto["held_threshold_hz"]
    exc_ids, exc_times = spikes["exc"]
    inh_ids, inh_times = spikes["inh"]
    members = _groups_matrix(spec)
    names = group_names(spec)
    n_items = spec["network.n_items"]
    cued: set[int] = set()
    scores: dict[str, float] = {}
    table, windows = [], []
    for phase in phases:
        start, stop = scoring_window(phase, offset)
        width = stop - start
        exc_rates = group_rates(exc_ids, exc_times, members, start, stop, width)[0]
        inh_rate = population_rate(inh_ids, inh_times, spec["network.n_inh"], start, stop, width)[0]
        row = np.append(exc_rates, inh_rate)
        table.append(row)
        windows.append((start, stop))
        for name, value in zip(names, row):
            scores[f"rate_{phase.name}_{name}_hz"] = float(value)
        if phase.name in ("cue1", "cue2"):
            cued.update(item - 1 for item in proto[f"{phase.name}_item"])
        if phase.name in HOLD_PHASES:
            selective = row[:n_items]
            scores[f"items_held_{phase.name}"] = float(np.sum(selective >= threshold))
            uncued = [selective[k] for k in range(n_items) if k not in cued]
            if uncued:
                scores[f"max_uncued_rate_{phase.name}_hz"] = float(np.max(uncued))
    if "items_held_post_reset" in scores:
        held_before = max(scores.get("items_held_delay2", 0.0), scores.get("items_held_delay1", 0.0))
        scores["reset_success"] = float(scores["items_held_post_reset"] == 0 and held_before > 0)
    arrays = {
        "phase_group_rates_hz": np.asarray(table),
        "phase_window_s": np.asarray(windows),
        "group_names": np.asarray(names, dtype="S16"),
    }
    return scores, arrays


def rates(spec, spikes, duration_s):
    """Rates stored in the run file: E cells by pool (``[n_bins, n_items + 1]``) and the I population."""
    return group_rate_tables(spec, spikes, _groups_matrix(spec), group_names(spec)[:-1], duration_s)


class ItemAttractor(Circuit):
    """Brunel & Wang (2001) item attractors: the ``item_attractor`` circuit (see the module docstring)."""

    name = "item_attractor"
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
