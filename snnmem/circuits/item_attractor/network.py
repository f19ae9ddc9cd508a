"""The Brunel & Wang (2001) network in Brian2: equations, stimulus port, build."""

from __future__ import annotations

import numpy as np
from ...errors import ConfigError
from ...protocols import Schedule
from ..base import BuiltNetwork
from ..common import nmda_gating_and_gaba, order_summed
from ..stimulus import gate_expression, strength_groups, window_namespace
from .parameters import pool_index, pool_sizes, pool_weights, w_minus


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


def build(spec, seed: int, schedule: Schedule) -> BuiltNetwork:
    """Create the Brian2 objects of the item-attractor network (not yet run).

    ``schedule``: the stimuli of the run (default: the native protocol). A cell
    stimulus of strength ``s`` adds Poisson input at ``s * protocol.cue_rate`` onto
    each of its cells (weighted by its ``cells`` value); a global one adds
    ``s * protocol.reset_rate_exc`` onto every E cell and ``s * reset_rate_inh`` onto
    every I cell.
    """
    import brian2 as b2

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
    objects += nmda_gating_and_gaba(b2, exc, inh)

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
