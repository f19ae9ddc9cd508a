"""Protocol phases: the named time intervals of a run (baseline, cue, delay, ...).

Phases are stored in every run file as the ``/protocol`` table, so that analysis
and figures know what happened when without re-reading the model.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

__all__ = ["Phase", "sequential_phases", "find_phase", "phase_window"]


@dataclass(frozen=True)
class Phase:
    """One interval of a protocol, in seconds of biological time."""

    name: str
    start_s: float
    stop_s: float
    description: str = ""

    def __post_init__(self) -> None:
        if not self.stop_s >= self.start_s:
            raise ValueError(f"phase {self.name!r}: stop {self.stop_s} s is before start {self.start_s} s")

    @property
    def duration_s(self) -> float:
        return self.stop_s - self.start_s


def sequential_phases(items: Sequence[tuple[str, float, str]]) -> list[Phase]:
    """Phases that follow each other: ``[(name, duration_s, description), ...]``.

    Zero-length phases are dropped (e.g. a baseline of 0 s).
    """
    phases, start = [], 0.0
    for name, duration, description in items:
        if duration < 0:
            raise ValueError(f"phase {name!r}: negative duration {duration} s")
        if duration > 0:
            phases.append(Phase(name, start, start + duration, description))
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
