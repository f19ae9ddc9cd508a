"""The circuit contract: what every network family provides, as a base class with named hooks."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any, ClassVar, Mapping

import numpy as np

from ..errors import ConfigError
from ..protocols import Schedule

__all__ = ["BuiltNetwork", "Circuit", "LearningCode"]


@dataclass(frozen=True)
class LearningCode:
    """Brian2 objects that only change weights, and the gate of their rule.

    Where ``gate`` is 0 (per ``step_s`` from t = 0) the objects change nothing, so a
    standalone run leaves them out of every stretch of the protocol where their gate
    stays 0 (:mod:`snnmem.segments`; same spikes, less work). Only objects whose every
    effect is multiplied by the gate belong here (a rule's postsynaptic pathway with its
    traces kept in the cells, the normalisation), not a pathway that also transmits or
    updates traces.
    """

    objects: tuple[Any, ...]
    gate: np.ndarray
    step_s: float


@dataclass
class BuiltNetwork:
    """Brian2 objects of one network, ready to run.

    Attributes
    ----------
    objects
        Every Brian2 object to add to the ``Network``.
    spike_monitors
        population name -> ``SpikeMonitor`` (the populations saved to the run file).
    n_neurons
        population name -> size.
    info
        circuit-specific facts worth recording (e.g. number of Fourier modes used).
    extra
        whatever :meth:`Circuit.collect_state` needs after the run (monitors, schedules).
    learning
        the :class:`LearningCode` of the plastic pathways (empty: nothing to leave out).
    """

    objects: list[Any]
    spike_monitors: dict[str, Any]
    n_neurons: dict[str, int]
    info: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
    learning: list[LearningCode] = field(default_factory=list)


class Circuit(ABC):
    """A family of networks: its parameters, its memory map, its stimulus port and its Brian2 build.

    A circuit is the network only. What happens to it (phases, stimuli, scores) is a
    task's job (:class:`snnmem.tasks.Task`); the two meet at two points:

    - :meth:`memory_map`: which excitatory cells encode which memory item;
    - the **stimulus port**: :meth:`build` receives a :class:`~snnmem.protocols.Schedule`
      and gives each of its :class:`~snnmem.protocols.Stimulus` extra drive onto the
      cells it names (``strength`` 1 = the circuit's standard cue, set by its
      ``[protocol]`` cue parameters), and each ``"global"`` stimulus to
      its global input where :attr:`global_input` is True.

    A model file without a ``[task]`` table runs the circuit's **native protocol**
    (:meth:`native_schedule` and :meth:`native_scores`): the protocol the circuit's
    published validation uses, kept so that those numbers stay the same.

    Hooks
    -----
    ``schema`` (class attribute), :meth:`check`, :meth:`memory_map`,
    :meth:`native_schedule`, :meth:`build`, :meth:`native_scores`, :meth:`rates`;
    optional: :meth:`check_schedule`, :meth:`synapse_count`, :meth:`code_signature` + :meth:`run_values`
    (compile once, run many), :meth:`collect_state` (weights and other state after the run).
    """

    #: registry name (``model.circuit``)
    name: ClassVar[str]
    #: section -> key -> :class:`~snnmem.config.Param`
    schema: ClassVar[Mapping[str, Mapping[str, Any]]]
    #: the circuit has a non-selective global input (tasks that need one, e.g. ``reset``, check this)
    global_input: ClassVar[bool] = False
    #: tasks may drive its cells through the stimulus port (False: native protocol only, for now)
    stimulus_port: ClassVar[bool] = True
    #: why a circuit without a stimulus port cannot run tasks (shown by ``snnmem bench`` and errors)
    no_port_reason: ClassVar[str] = ""
    #: its memory items are learned: stored by plasticity when a task presents them (its
    #: memory map names the cells a task trains), not built into the connectivity. Only
    #: tasks that encode first (``Task.encodes``) apply; phases' ``plasticity`` modes gate its rules.
    learns: ClassVar[bool] = False
    #: it binds each item to an index (a hippocampus-like pattern) that a stimulus with
    #: ``index=True`` drives together with the item's cells
    indexed: ClassVar[bool] = False
    #: what a phase's ``lesion`` switch silences (e.g. ``"the hippocampal output"``); "" when
    #: the circuit has nothing to lesion
    lesion_target: ClassVar[str] = ""

    # ------------------------------------------------------------------ at load time
    def check(self, spec: Any) -> None:
        """Rules between keys (a value valid alone, impossible with another); raise ConfigError."""

    # ------------------------------------------------------------------ memory and stimuli
    @abstractmethod
    def memory_map(self, spec: Any, seed: int = 0) -> Any:
        """The :class:`~snnmem.analysis.memory.MemoryMap` of this model (``seed``: where structure is drawn)."""

    @abstractmethod
    def native_schedule(self, spec: Any, seed: int = 0) -> Schedule:
        """Phases and stimuli of the circuit's own protocol (model files without ``[task]``)."""

    def neuron_count(self, spec: Any) -> tuple[int, str]:
        """Number of cells, and the keys that set it (for errors): ``network.n_exc + network.n_inh`` by default."""
        return int(spec["network.n_exc"]) + int(spec["network.n_inh"]), "network.n_exc + network.n_inh"

    def synapse_count(self, spec: Any) -> float:
        """Expected number of Brian2 synapses the network creates (for the memory estimate at load time).

        The default counts none; circuits with O(N^2) connectivity override it.
        """
        return 0.0

    def check_switches(self, schedule: Schedule) -> None:
        """The schedule uses only switches the circuit has (index stimuli, lesions); ConfigError otherwise.

        Called by :func:`snnmem.simulate` before :meth:`check_schedule`, for every circuit.
        """
        if not self.indexed:
            for stimulus in schedule.stimuli:
                if stimulus.index:
                    raise ConfigError(f"stimulus {stimulus.label!r} drives an index; {self.name} has none")
        if not self.lesion_target:
            for phase in schedule.phases:
                if phase.lesion:
                    raise ConfigError(f"phase {phase.name!r} asks for a lesion; {self.name} has nothing to lesion")

    def check_schedule(self, spec: Any, schedule: Schedule) -> None:
        """Rules between a schedule and the circuit (e.g. times on its stimulus grid); raise ConfigError.

        Called by :func:`snnmem.simulate` before anything is built or compiled.
        """

    # ------------------------------------------------------------------ network
    @abstractmethod
    def build(self, spec: Any, seed: int, schedule: Schedule, *, run_args: bool = False) -> BuiltNetwork:
        """Create the Brian2 objects (not yet run). Brian2 is imported here, never at module import.

        ``run_args`` (only for circuits with :meth:`code_signature`): build with
        placeholders for every :meth:`run_values` entry, which the simulator passes to
        the compiled binary as Brian2 ``run_args``.
        """

    def code_signature(self, spec: Any, schedule: Schedule) -> dict | None:
        """What the generated code depends on, or None (the circuit does not run with run-time values)."""
        return None

    def run_values(self, spec: Any, schedule: Schedule) -> dict[str, Any]:
        """``"group.variable" -> value`` (SI) set at run time (with :meth:`code_signature`)."""
        return {}

    def collect_state(self, built: BuiltNetwork) -> dict | None:
        """State after the run beside the spikes (``{"weights": ...}``), or None."""
        return None

    # ------------------------------------------------------------------ results
    @abstractmethod
    def native_scores(
        self, spec: Any, spikes: Mapping[str, tuple[np.ndarray, np.ndarray]], phases: Any, state: dict | None
    ) -> tuple[dict[str, float], dict[str, np.ndarray]]:
        """Scores of the native protocol: ``(scores, arrays)``."""

    @abstractmethod
    def rates(
        self, spec: Any, spikes: Mapping[str, tuple[np.ndarray, np.ndarray]], duration_s: float
    ) -> dict[str, tuple[np.ndarray, dict[str, Any]]]:
        """Rates stored in the run file: name -> (array, attributes)."""
