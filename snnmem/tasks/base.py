"""The task contract: a base class with named hooks, and the pieces every task shares."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any, ClassVar, Mapping, Sequence

import numpy as np

from ..analysis.memory import MemoryMap, angle_error_deg, decoded_angle_deg, item_rates, items_held, recalled_item
from ..schema import Param
from ..errors import ConfigError
from ..protocols import Phase, Schedule, Stimulus, find_phase

__all__ = [
    "Task",
    "timing_params",
    "cue_cells",
    "control_cells",
    "single_cue_parts",
    "scored_window",
    "window_scores",
]

Spikes = Mapping[str, tuple[np.ndarray, np.ndarray]]


def timing_params(delay_doc: str = "delay after the cue") -> dict[str, Param]:
    """Baseline, cue, delay and scoring keys shared by the working-memory tasks."""
    return {
        "baseline_duration": Param("500 ms", "spontaneous activity before the first cue", minimum=0.0),
        "cue_duration": Param("250 ms", "duration of each cue", positive=True),
        "cue_strength": Param(1.0, "cue strength relative to the circuit's standard cue", minimum=0.0),
        "cue_fraction": Param(
            1.0, "fraction of the cued item's cells that receive the cue", positive=True, maximum=1.0
        ),
        "delay_duration": Param("2 s", delay_doc, positive=True),
        "score_offset": Param("500 ms", "each delay is scored from this long after its start (settling)", minimum=0.0),
    }


def cue_cells(memory: MemoryMap, item: int, fraction: float, seed: int, stream: int = 0) -> np.ndarray:
    """Relative drive of a cue of ``item``: its memory-map weights, on a random ``fraction`` of its cells.

    ``fraction = 1`` is the item's whole memory-map column (on a ring, the full tuning
    curve). Below 1, the cue keeps the weights of a random ``fraction`` of the item's
    core cells (weight >= 0.5, :meth:`MemoryMap.core_cells`) and nothing else; the cells
    are drawn from the run's ``seed`` (and ``stream``, one per cue of a task), so the
    same seed gives the same cue.
    """
    weights = memory.item(item).copy()
    if fraction < 1.0:
        core = memory.core_cells(item)
        rng = np.random.default_rng([0x7A5C, int(seed), int(stream), int(item)])
        kept = rng.permutation(core)[: int(round(fraction * core.size))]
        partial = np.zeros_like(weights)
        partial[kept] = weights[kept]
        weights = partial
    return weights


def control_cells(memory: MemoryMap, item: int, size: int, seed: int) -> np.ndarray:
    """A random-set control cue: ``size`` cells (drive 1) drawn from the ``seed``.

    Drawn from the cells in no item's core (so the control drives no memory), or,
    where there are too few of those, from the cells outside ``item``'s core.
    """
    outside = np.flatnonzero(np.all(memory.weights < 0.5, axis=0))
    if outside.size < size:
        outside = np.flatnonzero(memory.item(item) < 0.5)
    rng = np.random.default_rng([0x7A5D, int(seed), int(item)])
    control = np.zeros(memory.n_cells)
    control[rng.choice(outside, size=min(size, outside.size), replace=False)] = 1.0
    return control


def single_cue_parts(params: Mapping[str, Any], memory: MemoryMap) -> list[tuple[str, float, str]]:
    """The start of every one-item task: ``baseline``, ``cue`` (of ``task.item``), ``delay``.

    As ``(name, duration_s, description)`` parts for :func:`~snnmem.protocols.sequential_phases`.
    """
    item = params["item"]
    return [
        ("baseline", float(params["baseline_duration"]), "spontaneous activity"),
        ("cue", float(params["cue_duration"]), f"cue item {item} ({memory.labels[item - 1]})"),
        ("delay", float(params["delay_duration"]), "no input: the item must persist"),
    ]


def scored_window(phases: Sequence[Phase], name: str, offset_s: float) -> tuple[float, float]:
    """The scored part of phase ``name``: from ``offset_s`` after its start to its end."""
    phase = find_phase(phases, name)
    return phase.start_s + offset_s, phase.stop_s


def window_scores(
    spikes: Spikes, memory: MemoryMap, window: tuple[float, float], cued: Sequence[int], suffix: str = ""
) -> tuple[dict[str, float], np.ndarray]:
    """The shared vocabulary for one window: item rates, items held, recalled item (and angle).

    ``cued``: the 1-based items cued so far (the first is the target of recall).
    Returns ``(scores, rates [n_items])``; keys get ``suffix`` (e.g. ``"_delay1"``) before
    their unit (``rate_item1_delay1_hz``, ``held_delay1``).
    """
    ids, times = spikes[memory.population]
    rates = item_rates(ids, times, memory, np.asarray([window]))[0]
    held = items_held(rates, memory)
    target = cued[0]
    recalled = recalled_item(rates, memory)
    uncued = [rates[k] for k in range(memory.n_items) if k + 1 not in cued]
    scores = {f"rate_{label}_hz": float(r) for label, r in zip(memory.labels, rates)}
    scores.update(
        {
            "items_held": float(held.sum()),
            "held": float(held[target - 1]),
            "recalled_item": float(recalled),
            "recall_correct": float(recalled == target),
            "max_uncued_rate_hz": float(max(uncued)) if uncued else float("nan"),
        }
    )
    if memory.circular:
        angle = decoded_angle_deg(ids, times, memory, *window)
        scores["recalled_angle_deg"] = angle
        scores["angle_error_deg"] = angle_error_deg(angle, memory.item_angles_deg[target - 1])
    return {_with_suffix(key, suffix): value for key, value in scores.items()}, rates


def _with_suffix(key: str, suffix: str) -> str:
    """``rate_item1_hz`` + ``_delay1`` -> ``rate_item1_delay1_hz``: the unit stays last."""
    for unit in ("_hz", "_deg"):
        if key.endswith(unit):
            return key[: -len(unit)] + suffix + unit
    return key + suffix


class Task(ABC):
    """A memory experiment: phases, a stimulus schedule and scores, for any circuit with items.

    Hooks
    -----
    ``schema`` (class attribute: the keys of the model file's ``[task]`` table besides
    ``name``), :meth:`applies_to`, :meth:`check`, :meth:`schedule`, :meth:`score`.
    A task sees the circuit only through its memory map and its declared abilities
    (:attr:`~snnmem.circuits.base.Circuit.stimulus_port`, ``global_input``).
    """

    #: registry name (``task.name``)
    name: ClassVar[str]
    #: one line for tables and ``--help``
    summary: ClassVar[str]
    #: the scores ``snnmem bench`` reports (a circular map may add more, e.g. ``angle_error_deg``)
    headline: ClassVar[tuple[str, ...]]
    #: key -> Param of the ``[task]`` table
    schema: ClassVar[Mapping[str, Param]]
    #: the task drives the circuit's global input (e.g. a reset)
    needs_global_input: ClassVar[bool] = False
    #: keys of the ``[task]`` table that name items (a number or a list): checked against the memory map
    item_keys: ClassVar[tuple[str, ...]] = ()
    #: the task stores its items first (an encoding phase with plasticity on): the only kind
    #: of task that applies to a circuit whose memories are learned (``Circuit.learns``)
    encodes: ClassVar[bool] = False
    #: the task's encoding stimuli drive the circuit's index too (``Stimulus.index``): the only
    #: kind of task that applies to a circuit that binds its items to an index (``Circuit.indexed``)
    uses_index: ClassVar[bool] = False

    def applies_to(self, circuit: Any) -> str | None:
        """Why this task cannot run on ``circuit`` (a sentence), or None when it can."""
        if not circuit.stimulus_port:
            return f"{circuit.name} has no stimulus port yet: {circuit.no_port_reason}"
        if self.needs_global_input and not circuit.global_input:
            return f"{circuit.name} has no global input"
        if circuit.learns and not self.encodes:
            return (
                f"{circuit.name} learns its memories; {self.name} does not store them first "
                "(use a task that encodes, e.g. retention)"
            )
        if circuit.indexed and not self.uses_index:
            return (
                f"{circuit.name} binds each episode to a hippocampal index at encoding; {self.name} does not "
                "drive indices (use the consolidation task)"
            )
        if self.encodes and not circuit.learns:
            return f"{circuit.name} does not learn: its memories are built into its connectivity"
        return None

    def check(self, params: Mapping[str, Any], memory: MemoryMap) -> None:
        """Rules between the task's keys and the circuit's memory map; raise ConfigError naming the key.

        The base check: every item named by :attr:`item_keys` exists, and every delay scored
        from ``task.score_offset`` is longer than that offset. Subclasses add their own rules
        and call it.
        """
        for key in self.item_keys:
            self.check_item(params, key, memory)
        if "score_offset" not in params:
            return
        for key in ("delay_duration", "delay1_duration", "delay2_duration", "post_reset_duration"):
            if key in params and float(params[key]) <= float(params["score_offset"]):
                raise ConfigError(
                    f"task.{key} = {float(params[key]):g} s is not longer than task.score_offset "
                    f"({float(params['score_offset']):g} s): nothing would be scored"
                )

    @staticmethod
    def check_partial_cues(params: Mapping[str, Any], memory: MemoryMap, items: Sequence[int]) -> None:
        """Check a partial-cue task's window and fraction; ConfigError naming the key otherwise.

        ``task.score_offset`` must be shorter than ``task.cue_duration``, and ``task.fraction``
        of each of ``items`` must leave both cued and not-cued cells.
        """
        if float(params["score_offset"]) >= float(params["cue_duration"]):
            raise ConfigError(
                f"task.score_offset ({float(params['score_offset']):g} s) is not shorter than "
                f"task.cue_duration ({float(params['cue_duration']):g} s): nothing would be scored"
            )
        for item in items:
            size = memory.core_cells(item).size
            if int(round(params["fraction"] * size)) in (0, size):
                raise ConfigError(
                    f"task.fraction = {params['fraction']:g} of {memory.labels[item - 1]}'s {size} cells "
                    "leaves no cued or no uncued cell"
                )

    @staticmethod
    def check_item(params: Mapping[str, Any], key: str, memory: MemoryMap) -> None:
        """Every item of ``task.<key>`` exists in the memory map."""
        items = params[key] if isinstance(params[key], tuple) else (params[key],)
        for item in items:
            if not 1 <= item <= memory.n_items:
                raise ConfigError(f"task.{key} = {item}: the circuit's memory map has items 1 to {memory.n_items}")

    @abstractmethod
    def schedule(self, params: Mapping[str, Any], memory: MemoryMap, seed: int) -> Schedule:
        """Phases and stimuli of one run."""

    @abstractmethod
    def score(
        self, params: Mapping[str, Any], spikes: Spikes, memory: MemoryMap, schedule: Schedule
    ) -> tuple[dict[str, float], dict[str, np.ndarray]]:
        """``(scores, arrays)`` in the shared vocabulary (:mod:`snnmem.analysis.memory`).

        ``schedule`` is the one :meth:`schedule` returned for this run (its phases and the
        cells each stimulus drove).
        """

    # ------------------------------------------------------------------ helpers for subclasses
    @staticmethod
    def cue(
        params: Mapping[str, Any],
        memory: MemoryMap,
        item: int,
        start: float,
        seed: int,
        stream: int,
        strength: float | None = None,
        label: str = "",
    ) -> Stimulus:
        """A cue of ``item`` from ``start`` for ``task.cue_duration`` (strength ``task.cue_strength`` by default)."""
        stop = start + float(params["cue_duration"])
        return Stimulus(
            start,
            stop,
            cells=cue_cells(memory, item, params["cue_fraction"], seed, stream),
            strength=params["cue_strength"] if strength is None else strength,
            label=label or f"cue item {item}",
            item=item,
        )
