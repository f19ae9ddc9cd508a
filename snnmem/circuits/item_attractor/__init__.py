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

from ..common import PackagedCircuit
from . import native, network, parameters
from .native import HOLD_PHASES, SETTLING_PHASES, cued_cells, native_schedule, protocol, rates, score, scoring_window
from .network import build
from .parameters import SCHEMA, group_names, groups_matrix, memory_map, pool_index, pool_sizes, pool_weights, w_minus

__all__ = [
    "ItemAttractor",
    "SCHEMA",
    "pool_sizes",
    "pool_index",
    "pool_weights",
    "group_names",
    "groups_matrix",
    "w_minus",
    "memory_map",
    "build",
    "cued_cells",
    "native_schedule",
    "protocol",
    "score",
    "scoring_window",
    "rates",
    "SETTLING_PHASES",
    "HOLD_PHASES",
]


class ItemAttractor(PackagedCircuit):
    """Brunel & Wang (2001) item attractors: the ``item_attractor`` circuit (see the module docstring)."""

    name = "item_attractor"
    schema = SCHEMA
    global_input = True
    parameters = parameters
    network = network
    native = native

    def synapse_count(self, spec) -> float:
        n_exc, n_inh, n_groups = spec["network.n_exc"], spec["network.n_inh"], spec["network.n_items"] + 1
        count = n_exc + n_inh * (n_exc + n_inh) + n_exc * (n_groups + 1) + n_groups * n_inh
        if spec["connectivity.nmda_implementation"] != "per_pool":
            count += n_exc * (n_exc + n_inh)
        return float(count)
