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

from ..common import PackagedCircuit
from . import native, network, parameters
from .native import native_schedule, population_spike_times, protocol, rates, score, stp_traces
from .network import build
from .parameters import (
    SCHEMA,
    connection_probabilities,
    memory_groups,
    memory_index,
    memory_map,
    memory_size,
    stp_rule,
)

__all__ = [
    "STPWorkingMemory",
    "SCHEMA",
    "memory_size",
    "memory_index",
    "memory_groups",
    "connection_probabilities",
    "stp_rule",
    "memory_map",
    "build",
    "native_schedule",
    "protocol",
    "score",
    "rates",
    "stp_traces",
    "population_spike_times",
]


class STPWorkingMemory(PackagedCircuit):
    """Mongillo, Barak & Tsodyks (2008): the ``stp_working_memory`` circuit (see the module docstring)."""

    name = "stp_working_memory"
    schema = SCHEMA
    global_input = True
    parameters = parameters
    network = network
    native = native

    def synapse_count(self, spec) -> float:
        n_exc, n_inh = spec["network.n_exc"], spec["network.n_inh"]
        p_exc, p_inh = parameters.connection_probabilities(spec)
        return float(p_exc * n_exc * (n_exc + n_inh) + p_inh * n_inh * (n_exc + n_inh))
