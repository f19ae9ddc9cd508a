"""Ring (bump) attractor for spatial working memory, after Compte et al. (2000).

Compte A, Brunel N, Goldman-Rakic PS, Wang X-J (2000). Synaptic mechanisms and
network dynamics underlying spatial working memory in a cortical network model.
Cerebral Cortex 10(9):910-923. doi:10.1093/cercor/10.9.910

Network
-------
``n_exc`` excitatory and ``n_inh`` inhibitory conductance-based leaky
integrate-and-fire neurons, all-to-all connected. Excitatory neuron k prefers the
angle :math:`\\theta_k = 2\\pi k / N_E`.

.. math::

    C_m \\frac{dV}{dt} = -g_L (V - V_L) - g_{ext} s_{AMPA} (V - E_{AMPA})
        - g_{E\\to X} \\frac{S_{NMDA}}{1 + e^{-0.062 V/\\mathrm{mV}} / 3.57} (V - E_{NMDA})
        - g_{I\\to X} s_{GABA} (V - E_{GABA}) + I_{cue}

- external drive: Poisson spikes at ``external.rate`` onto AMPA
  (:math:`s_{AMPA} \\mathrel{+}= 1`, decay ``tau_ampa_decay``);
- recurrent excitation through saturating NMDA, gated presynaptically:
  :math:`ds/dt = -s/\\tau_{decay} + \\alpha x (1 - s)`, :math:`dx/dt = -x/\\tau_{rise}`,
  :math:`x \\mathrel{+}= 1` per spike; the postsynaptic input is
  :math:`S_{NMDA,j} = \\sum_i W_{ji} s_i` with the Gaussian ring profile
  :math:`W(\\Delta\\theta) = J_- + (J_+ - J_-) e^{-\\Delta\\theta^2/2\\sigma^2}` (mean 1)
  onto E cells and :math:`\\sum_i s_i` (uniform) onto I cells;
- inhibition through GABA_A: :math:`s_{GABA} \\mathrel{+}= 1` per inhibitory spike,
  decay ``tau_gaba_decay``;
- cue: :math:`I_{cue}(\\theta) = I_0 e^{-d(\\theta, \\theta_c)^2 / 2 w^2}` during the
  cue phase.

Recurrent conductances scale with ``reference_n_exc / n_exc`` (E->E, E->I) and
``reference_n_inh / n_inh`` (I->E, I->I), so a downsized ring stays in the same
regime.

Implementation of the E->E input
--------------------------------
``connectivity.ee_implementation = "fourier"`` (default) uses the exact low-rank
factorisation of the circulant weight matrix (:mod:`snnmem.connectivity`): the
gating variables are projected onto M Fourier modes and expanded back. Modes below
``connectivity.fourier_tolerance`` (relative) are dropped: with the default 1e-9,
47 modes for N_E = 2048 and sigma = 14.4 deg. In ``cpp_standalone`` both sums run
as dense C++ loops (:mod:`snnmem.circuits.ring.dense_kernel`, 2.4x faster than
summed variables, same spikes); on the runtime device, and with
``"fourier_synapses"``, they run as two Brian2 ``Synapses`` with summed variables
(N_E x M each). ``"per_synapse"`` sums the N_E^2 synapses directly (for comparison
and benchmarks). Run files record which kernel ran (``circuit_ee_kernel``).

Expected behaviour (reference multi-seed runs at these parameters, dt = 0.05 ms):
with sigma = 14.4 deg and J+ = 1.62, a 250 ms cue leaves a bump of 12-24 Hz on a
1.5-4 Hz background, inhibitory cells at 10-16 Hz; the bump persists in most
seeds over a 3 s delay (it is marginal: about 1 seed in 20 collapses within 5 s).
sigma = 18 deg (also reported by Compte et al.) gives a stronger, more stable bump
(peak 36-41 Hz, background <= 1.2 Hz).
"""

from __future__ import annotations

from ...analysis.memory import MemoryMap
from ...protocols import Schedule
from ..base import BuiltNetwork, Circuit
from .native import native_schedule, protocol, rates, score
from .network import STRUCTURE_KEYS, build, code_signature, run_values
from .parameters import SCHEMA, check, cue_profile, ee_coupling, memory_map

__all__ = [
    "RingAttractor",
    "SCHEMA",
    "STRUCTURE_KEYS",
    "check",
    "cue_profile",
    "ee_coupling",
    "memory_map",
    "build",
    "code_signature",
    "run_values",
    "native_schedule",
    "protocol",
    "score",
    "rates",
]


class RingAttractor(Circuit):
    """Compte et al. (2000) ring: the ``ring_attractor`` circuit (see the module docstring)."""

    name = "ring_attractor"
    schema = SCHEMA

    def synapse_count(self, spec) -> float:
        n_exc, n_inh = spec["network.n_exc"], spec["network.n_inh"]
        count = n_exc + n_inh * (n_exc + n_inh)  # NMDA gating, GABA onto E and I (all to all)
        if spec["connectivity.ee_implementation"] == "per_synapse":
            return count + n_exc * (n_exc + n_inh)
        return count + 2 * n_exc * 128 + n_inh  # the Fourier modes (at most ~128 at the default tolerance)

    def check(self, spec) -> None:
        check(spec, native_duration_s=native_schedule(spec).duration_s if spec.task is None else None)

    def memory_map(self, spec, seed: int = 0) -> MemoryMap:
        return memory_map(spec)

    def native_schedule(self, spec, seed: int = 0) -> Schedule:
        return native_schedule(spec)

    def build(self, spec, seed: int, schedule: Schedule, *, run_args: bool = False) -> BuiltNetwork:
        return build(spec, schedule, run_args=run_args)

    def code_signature(self, spec, schedule: Schedule) -> dict:
        return code_signature(spec, schedule)

    def run_values(self, spec, schedule: Schedule) -> dict:
        return run_values(spec, schedule)

    def native_scores(self, spec, spikes, phases, state):
        return score(spec, spikes, phases)

    def rates(self, spec, spikes, duration_s):
        return rates(spec, spikes, duration_s)
