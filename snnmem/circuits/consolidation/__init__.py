"""Systems consolidation: a fast hippocampus-like area (HPC) replays into a slow cortex-like area (CTX).

Two plastic E/I areas built from :mod:`snnmem.circuits.plastic_area` (the cells,
rules and normalisation of the assemblies circuit), coupled by plastic projections.
Mechanism (docs/consolidation.md): the standard model of systems consolidation
(McClelland, McNaughton & O'Reilly 1995; Tomé, Sadeh & Clopath 2022 in spiking networks).

Network
-------
- **HPC**: ``hpc.n_exc`` E / ``hpc.n_inh`` I cells, E->E triplet STDP with a large
  learning rate (``hpc.ee_learning_rate``: an index is stored in one presentation).
- **CTX**: ``ctx.n_exc`` E / ``ctx.n_inh`` I cells, E->E triplet STDP with a small
  learning rate (``ctx.ee_learning_rate``), reduced further while awake
  (``ctx.awake_learning_fraction`` in phases where every rule learns).
- Both areas: inhibitory STDP on I->E (Vogels et al. 2011), subtractive normalisation of
  each E cell's summed E->E input (Litwin-Kumar & Doiron 2014), independent Poisson input.
- **Projections** HPC E -> CTX E and CTX E -> HPC E, plastic with the fast rule
  (``projections.*``): at encoding, co-active HPC and CTX cells bind.

No weight is copied between areas by code: every weight changes only through the rules.

Episodes and memory map
-----------------------
An **episode** is a CTX pattern of ``ctx.episode_size`` cells (memory item
``episode<k>``) bound at encoding to a disjoint HPC **index** of ``hpc.index_size``
cells. With ``episodes.shared_fraction`` > 0 the episodes share a **prototype**
(:func:`snnmem.analysis.concepts.prototype_episodes`), also an item of the memory map
(never presented alone). ``episodes.n_novel`` patterns of cells in no episode are never
encoded: the untrained baseline of recall. Everything is drawn from the seed.

Stimulus port and switches
--------------------------
- A cell stimulus drives CTX E cells (Poisson input of ``protocol.stimulus_rate`` x
  strength x cell weight); with ``index=True`` it also drives its item's HPC index
  (encoding: the episode arrives in both areas).
- **Onset inhibition**: for ``protocol.encoding_inhibition_duration`` from the start of
  every index stimulus, each HPC I cell receives extra Poisson input of
  ``protocol.encoding_inhibition_rate`` (a novel input resets the HPC and recruits its
  feedforward inhibition: an old index active just before an encoding is silenced, not
  bound to the new episode).
- A ``"global"`` stimulus is the **offline state**: extra Poisson input of
  ``protocol.offline_rate`` x strength onto every HPC E cell, and a larger adaptation
  increment of the HPC E cells (``hpc.offline_adaptation_increment``: awake, acetylcholine
  suppresses the slow afterhyperpolarisation; Madison & Nicoll 1984, Hasselmo 1999). In it,
  stored indices reactivate spontaneously (noise and recurrent excitation ignite an index,
  adaptation and inhibition end the burst): **replay**, which drives the bound CTX pattern
  through HPC->CTX.
- Plasticity modes: ``"all"`` (encoding): every rule, CTX E->E at its awake fraction;
  ``"slow"`` (offline): only CTX E->E learns (HPC, projections and both inhibitory rules
  frozen); ``"homeostatic"`` (inhibitory STDP of both areas) and ``"none"`` as everywhere.
- A phase with ``lesion`` silences the **HPC output**: HPC->CTX transmits nothing and
  does not learn (recall from CTX alone; during rest, blocked replay).

Stimulus, plasticity and lesion schedules are sampled every millisecond.
"""

from __future__ import annotations

from typing import Any

from ...errors import ConfigError
from ...protocols import Schedule
from ..base import BuiltNetwork, Circuit
from ..stimulus import check_step_grid
from .network import SCHEDULE_STEP_S, build, collect_state
from .parameters import CITATION, SCHEMA, check, episode_patterns, hpc_indices, memory_map, synapse_count

__all__ = ["Consolidation", "CITATION", "SCHEMA", "SCHEDULE_STEP_S", "episode_patterns", "hpc_indices"]


class Consolidation(Circuit):
    """HPC and CTX areas coupled by plastic projections: the ``consolidation`` circuit.

    Its episodes are learned (:attr:`learns`), indexed in the HPC (:attr:`indexed`), and
    its HPC output can be lesioned (:attr:`lesion_target`). It has no native protocol:
    its experiments are the ``consolidation`` task.
    """

    name = "consolidation"
    schema = SCHEMA
    learns = True
    indexed = True
    global_input = True
    lesion_target = "the hippocampal output (HPC->CTX)"

    def check(self, spec: Any) -> None:
        check(spec)
        if spec.task is None:
            raise ConfigError(
                f"model {spec.name!r}: the consolidation circuit has no native protocol; "
                'add a [task] table (name = "consolidation")'
            )

    def neuron_count(self, spec: Any) -> tuple[int, str]:
        keys = ("hpc.n_exc", "hpc.n_inh", "ctx.n_exc", "ctx.n_inh")
        return sum(int(spec[key]) for key in keys), " + ".join(keys)

    def synapse_count(self, spec: Any) -> float:
        return synapse_count(spec)

    def check_schedule(self, spec: Any, schedule: Schedule) -> None:
        check_step_grid(schedule, SCHEDULE_STEP_S, "the consolidation circuit's schedules")

    def memory_map(self, spec: Any, seed: int = 0) -> Any:
        return memory_map(spec, seed)

    def native_schedule(self, spec: Any, seed: int = 0) -> Schedule:
        raise ConfigError("the consolidation circuit has no native protocol; use the consolidation task")

    def build(self, spec: Any, seed: int, schedule: Schedule, *, run_args: bool = False) -> BuiltNetwork:
        return build(spec, seed, schedule)

    def collect_state(self, built: BuiltNetwork) -> dict:
        return collect_state(built)

    def native_scores(self, spec: Any, spikes: Any, phases: Any, state: dict | None) -> tuple[dict, dict]:
        raise ConfigError("the consolidation circuit has no native protocol")

    def rates(self, spec: Any, spikes: Any, duration_s: float) -> dict:
        from ...analysis.binning import population_rate

        bin_s = float(spec["simulation.rate_bin"])
        common = {"bin_s": bin_s, "t_start_s": 0.0, "units": "Hz", "groups": "population"}
        return {
            pop: (population_rate(*spikes[pop], spec[f"{pop[:3]}.n_{pop[4:]}"], 0.0, duration_s, bin_s), dict(common))
            for pop in ("hpc_exc", "hpc_inh", "ctx_exc", "ctx_inh")
        }
