"""Protocols: the named time intervals of a run and the stimuli given in them.

A :class:`Schedule` is what a task (or a circuit's native protocol) hands to a
circuit's stimulus port: its :class:`Phase` list (stored in every run file as the
``/protocol`` table, so that analysis and figures know what happened when) and its
:class:`Stimulus` list (which cells get extra drive, how strong, when). This module
is shared by circuits and tasks and imports neither.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

import numpy as np

__all__ = [
    "Phase",
    "Stimulus",
    "Schedule",
    "STIMULUS_TARGETS",
    "PLASTICITY_MODES",
    "sequential_phases",
    "find_phase",
    "phase_window",
]

#: Where a stimulus goes: ``"cells"``, the excitatory cells weighted by
#: :attr:`Stimulus.cells`; ``"global"``, the circuit's non-selective global input
#: (e.g. Brunel & Wang's reset: extra drive onto every cell, mostly interneurons).
STIMULUS_TARGETS = ("cells", "global")

#: Which plasticity rules learn during a phase (a circuit without plasticity ignores it):
#: ``"all"``, every rule; ``"slow"``, the rules a circuit declares slow (a cortex-like
#: area consolidating offline, e.g. during rest), its fast (encoding, hippocampus-like)
#: rules frozen; the homeostatic rules learn too unless the circuit freezes them offline
#: (the consolidation circuit does); a circuit without slow rules learns only
#: homeostatically in such a phase; ``"homeostatic"``, only the rules that keep activity in
#: range (e.g. inhibitory STDP balancing a network before anything is stored); ``"none"``,
#: every weight frozen (a recall test that must not change what it tests).
PLASTICITY_MODES = ("all", "slow", "homeostatic", "none")


@dataclass(frozen=True)
class Phase:
    """One interval of a protocol, in seconds of biological time."""

    name: str
    start_s: float
    stop_s: float
    description: str = ""
    #: one of :data:`PLASTICITY_MODES`
    plasticity: str = "all"
    #: the circuit's lesionable part (``Circuit.lesion_target``, e.g. the hippocampal
    #: output) is silenced during this phase
    lesion: bool = False

    def __post_init__(self) -> None:
        if not self.stop_s >= self.start_s:
            raise ValueError(f"phase {self.name!r}: stop {self.stop_s} s is before start {self.start_s} s")
        if self.plasticity not in PLASTICITY_MODES:
            raise ValueError(
                f"phase {self.name!r}: plasticity must be one of {PLASTICITY_MODES}, got {self.plasticity!r}"
            )

    @property
    def duration_s(self) -> float:
        return self.stop_s - self.start_s


def sequential_phases(items: Sequence[tuple]) -> list[Phase]:
    """Phases that follow each other: ``[(name, duration_s, description[, plasticity[, lesion]]), ...]``.

    ``plasticity`` (one of :data:`PLASTICITY_MODES`) defaults to ``"all"``, ``lesion`` to
    False. Zero-length phases are dropped (e.g. a baseline of 0 s).
    """
    phases, start = [], 0.0
    for name, duration, description, *switches in items:
        if duration < 0:
            raise ValueError(f"phase {name!r}: negative duration {duration} s")
        if duration > 0:
            phases.append(Phase(name, start, start + duration, description, *switches))
        start += duration
    return phases


def find_phase(phases: Sequence[Phase], name: str) -> Phase:
    """The phase called ``name``; ``KeyError`` listing the names otherwise."""
    for phase in phases:
        if phase.name == name:
            return phase
    raise KeyError(f"no phase {name!r}; phases: {[p.name for p in phases]}")


def phase_window(phases: Sequence[Phase], name: str) -> tuple[float, float]:
    """``(start_s, stop_s)`` of the phase called ``name``; ``(0, 0)`` when there is none.

    A missing phase (e.g. a cue of zero duration in a control run) gives an empty
    window, so stimulus gates built from it never open.
    """
    try:
        phase = find_phase(phases, name)
    except KeyError:
        return 0.0, 0.0
    return phase.start_s, phase.stop_s


@dataclass(frozen=True, eq=False)
class Stimulus:
    """Extra drive for an interval: the unit of a stimulus schedule.

    Attributes
    ----------
    start_s, stop_s
        The interval, in seconds of biological time (``start_s <= t < stop_s``).
    cells
        Relative drive of every excitatory cell, each in ``[0, 1]`` (a memory-map
        column, possibly restricted to a fraction of the item's cells). Ignored for
        ``target = "global"``.
    strength
        Multiplies the circuit's standard cue (its ``[protocol]`` cue parameters): 1 is
        the cue a model file describes, 0.5 half of it (half the extra Poisson rate,
        half the current). Must be >= 0.
    target
        ``"cells"`` or ``"global"`` (see :data:`STIMULUS_TARGETS`).
    label
        Free text for the run file (``"cue item 1"``).
    item
        The memory item (1-based) this stimulus cues, or 0 (a control, a distractor
        set, a global input): lets a task's scores find its trials in the schedule.
        A stimulus of strength 0 is a sham (e.g. a no-cue control trial): it marks
        the trial and drives nothing.
    index
        Also drive the circuit's index of ``item`` (circuits with one,
        ``Circuit.indexed``: in ``consolidation`` an episode arrives in the cortex-like
        area's cells and in the hippocampus-like area's index at once, as at encoding).
        Circuits without an index refuse such a stimulus (``Circuit.check_schedule``).
    """

    start_s: float
    stop_s: float
    cells: np.ndarray | None = None
    strength: float = 1.0
    target: str = "cells"
    label: str = ""
    item: int = 0
    index: bool = False

    def __post_init__(self) -> None:
        if not (np.isfinite(self.start_s) and np.isfinite(self.stop_s)) or self.stop_s < self.start_s:
            raise ValueError(f"stimulus {self.label!r}: bad interval [{self.start_s}, {self.stop_s}) s")
        if not (np.isfinite(self.strength) and self.strength >= 0):
            raise ValueError(f"stimulus {self.label!r}: strength must be finite and >= 0, got {self.strength}")
        if self.index and self.item < 1:
            raise ValueError(f"stimulus {self.label!r}: an index stimulus must name its item (item >= 1)")
        if self.target not in STIMULUS_TARGETS:
            raise ValueError(f"stimulus {self.label!r}: target must be one of {STIMULUS_TARGETS}, got {self.target!r}")
        if self.target == "cells":
            cells = np.asarray(self.cells, dtype=float) if self.cells is not None else None
            if cells is None or cells.ndim != 1 or not np.all((cells >= 0) & (cells <= 1)):
                raise ValueError(f"stimulus {self.label!r}: cells must be a 1-D array of values in [0, 1]")
            object.__setattr__(self, "cells", cells)

    @property
    def active(self) -> bool:
        """True when the stimulus has a duration and a strength (it changes the network)."""
        return self.stop_s > self.start_s and self.strength > 0


@dataclass(frozen=True)
class Schedule:
    """Phases and stimuli of one run: what a circuit's stimulus port receives.

    Attributes
    ----------
    phases
        The run's phases, in order; the last one's end is the run's duration.
    stimuli
        Extra drive, in the order the circuit creates its inputs (a fixed order
        keeps generated code, and so spikes, stable).
    """

    phases: tuple[Phase, ...]
    stimuli: tuple[Stimulus, ...] = field(default_factory=tuple)

    @property
    def duration_s(self) -> float:
        """End of the last phase (0 without phases)."""
        return self.phases[-1].stop_s if self.phases else 0.0

    def cell_stimuli(self) -> tuple[Stimulus, ...]:
        """The stimuli onto excitatory cells (``target = "cells"``), in order."""
        return tuple(s for s in self.stimuli if s.target == "cells")

    def global_stimuli(self) -> tuple[Stimulus, ...]:
        """The stimuli onto the global input (``target = "global"``), in order."""
        return tuple(s for s in self.stimuli if s.target == "global")
