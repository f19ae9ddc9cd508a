"""Long-term memory: cell assemblies formed by STDP and recalled from partial cues.

After Litwin-Kumar A, Doiron B (2014). Formation and maintenance of neuronal
assemblies through synaptic plasticity. Nature Communications 5:5319.
doi:10.1038/ncomms6319 (plastic E->E synapses, inhibitory STDP on I->E, synaptic
normalisation, repeated stimulation of overlapping assemblies), with the plasticity
rules of :mod:`snnmem.plasticity` (triplet or pair STDP on E->E; the voltage-based
rule of the paper is not in the library yet).

Network
-------
``n_exc`` excitatory and ``n_inh`` inhibitory conductance-based leaky
integrate-and-fire cells; E cells have a spike-triggered adaptation current and an
adaptive threshold (both can be switched off by setting their jump to 0):

.. math::

    C \\frac{dV}{dt} = g_L (V_L - V) + g_e (E_e - V) + g_i (E_i - V) - I_{adapt},
    \\qquad \\tau_e \\dot g_e = -g_e,\\; \\tau_i \\dot g_i = -g_i,

    \\tau_{adapt} \\dot I_{adapt} = -I_{adapt},\\qquad
    \\tau_{th} \\dot V_{th} = V_{th}^{0} - V_{th};

at a spike (``V > V_th``) ``V -> V_reset``, ``I_adapt += b`` and ``V_th += jump``.
Every ordered pair is connected with probability ``connection_probability``. A
presynaptic spike adds ``w g_ee`` (E->E, plastic ``w`` in [``w_ee_min``, ``w_ee_max``]),
``g_ei`` (E->I), ``w g_ie`` (I->E, inhibitory STDP) or ``g_ii`` (I->I) to the target's
conductance. Every cell receives ``n_sources`` independent Poisson inputs.

Assemblies: ``n_assemblies`` sets of ``round(assembly_fraction * n_exc)`` E cells,
each drawn at random without replacement (a cell can belong to several assemblies,
as in Litwin-Kumar & Doiron 2014). Membership and the order of the training
presentations are drawn from the run's seed.

Plasticity
----------
- E->E: :class:`~snnmem.plasticity.TripletSTDP` (preset
  ``plasticity.ee_preset``, amplitudes x ``ee_learning_rate``) or
  :class:`~snnmem.plasticity.PairSTDP`, hard bounds [``w_ee_min``, ``w_ee_max``] (default 0 and 4).
- I->E: :class:`~snnmem.plasticity.InhibitorySTDP` (Vogels et al. 2011), target rate
  ``istdp_target_rate``.
- Optional synaptic normalisation (``plasticity.normalisation``): every
  ``normalisation_interval`` each E cell's E->E input weights are shifted by the same
  amount so that their sum returns to its initial value (subtractive, as in
  Litwin-Kumar & Doiron 2014), then clipped to the bounds.
- Plasticity is gated by the schedule's phases (:data:`snnmem.protocols.PLASTICITY_MODES`):
  ``"all"``, both rules (and the normalisation) learn; ``"homeostatic"``, only inhibitory
  STDP (the I->E rule that keeps the E cells near their target rate); ``"none"``, frozen.

Stimulus port
-------------
Each :class:`~snnmem.protocols.Stimulus` of a schedule drives its cells with extra
Poisson input of ``stimulus_rate`` x strength x the cell's weight (conductance
``g_stimulus`` per input spike); overlapping stimuli add. Stimulus and plasticity
schedules are sampled every millisecond, so their times must be whole milliseconds.
The E->E weights are recorded at the end of every plastic phase but the last
(``w_after_<phase>``) and at the end of the run (``w_final``).

Protocols
---------
Without a ``[task]`` table the circuit runs its native protocol (warm-up, training,
rest, recall with partial cues and controls; :mod:`snnmem.circuits.assemblies.native`).
The ``retention`` task runs the same kind of experiment on any circuit that learns.
"""

from __future__ import annotations

from ...analysis.memory import MemoryMap
from ...protocols import Schedule
from ..base import BuiltNetwork, Circuit
from ..stimulus import check_step_grid
from . import native
from .network import SCHEDULE_STEP_S, build, collect_state
from .parameters import (
    CITATION,
    SCHEMA,
    assembly_membership,
    assembly_size,
    check,
    ee_connections,
    ee_rule,
    ie_rule,
)

__all__ = [
    "PlasticAssemblies",
    "CITATION",
    "SCHEMA",
    "SCHEDULE_STEP_S",
    "assembly_membership",
    "assembly_size",
    "check",
    "ee_connections",
    "ee_rule",
    "ie_rule",
    "build",
    "collect_state",
    "native",
]


class PlasticAssemblies(Circuit):
    """STDP cell assemblies (Litwin-Kumar & Doiron 2014 architecture): the ``plastic_assemblies`` circuit.

    Its memory items are learned (:attr:`learns`): the memory map names each
    assembly's cells, which a task (or the native protocol) must train first.
    """

    name = "plastic_assemblies"
    schema = SCHEMA
    learns = True

    def check(self, spec) -> None:
        check(spec)

    def synapse_count(self, spec) -> float:
        n_exc, n_inh = spec["network.n_exc"], spec["network.n_inh"]
        p = spec["network.connection_probability"]
        return float(p * (n_exc + n_inh) ** 2 + n_exc)  # recurrent, plus one stimulus synapse per E cell

    def check_schedule(self, spec, schedule: Schedule) -> None:
        check_step_grid(schedule, SCHEDULE_STEP_S, "the assemblies' stimulus and plasticity schedules")

    def memory_map(self, spec, seed: int = 0) -> MemoryMap:
        members = assembly_membership(spec, seed)
        return MemoryMap(
            weights=members.astype(float),
            labels=tuple(f"assembly{k + 1}" for k in range(len(members))),
            held_threshold_hz=spec["protocol.held_threshold_hz"],
        )

    def native_schedule(self, spec, seed: int = 0) -> Schedule:
        return native.native_schedule(spec, assembly_membership(spec, seed), seed)

    def build(self, spec, seed: int, schedule: Schedule, *, run_args: bool = False) -> BuiltNetwork:
        return build(spec, seed, schedule)

    def collect_state(self, built: BuiltNetwork) -> dict:
        return collect_state(built)

    def native_scores(self, spec, spikes, phases, state):
        seed = state["seed"]
        return native.score(spec, spikes, phases, state, native.draw(spec, assembly_membership(spec, seed), seed))

    def rates(self, spec, spikes, duration_s):
        return {}  # the native scores store assembly rates under /analysis/assembly_rates_hz
