"""Stretches of a protocol over which the set of learning code objects that can change a weight is constant.

A plastic pathway's learning code multiplies every weight change by its rule's gate
(:class:`~snnmem.circuits.base.LearningCode`); where the gate is 0 the code runs and
changes nothing. A standalone run is therefore split into **segments**, one
``network.run`` each, and in every segment the learning code whose gate stays 0
throughout is inactive. Spikes and weights are those of one unbroken run (a test
checks it); only the work differs. Pure numpy: no Brian2 here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

__all__ = ["Segment", "learning_segments"]


@dataclass(frozen=True)
class Segment:
    """``[start_s, stop_s)`` of the protocol, and for each learning code whether it runs there."""

    start_s: float
    stop_s: float
    active: tuple[bool, ...]

    @property
    def duration_s(self) -> float:
        """Length of the segment (s)."""
        return self.stop_s - self.start_s


def learning_segments(gates: Sequence[np.ndarray], step_s: float, duration_s: float) -> list[Segment]:
    """Split ``[0, duration_s)`` where the set of open gates changes.

    Parameters
    ----------
    gates
        One per-step gate per learning code (its value over ``[k step_s, (k + 1) step_s)``;
        beyond its end a gate keeps its last value, as a Brian2 ``TimedArray`` does).
    step_s
        The gates' step (s); segment edges fall on its multiples.
    duration_s
        The protocol's length (s).

    Returns
    -------
    list of :class:`Segment`
        In order, covering the protocol; one segment, every code active, without gates.
    """
    if step_s <= 0 or not np.isfinite(step_s):
        raise ValueError(f"step_s must be a positive number of seconds, got {step_s}")
    if duration_s <= 0 or not np.isfinite(duration_s):
        raise ValueError(f"duration_s must be a positive number of seconds, got {duration_s}")
    n_steps = int(round(duration_s / step_s))
    if not gates or n_steps == 0:
        return [Segment(0.0, duration_s, tuple(True for _ in gates))]
    open_ = np.zeros((len(gates), n_steps), dtype=bool)
    for row, gate in enumerate(gates):
        values = np.asarray(gate, dtype=float)[:n_steps]
        if not np.all(np.isfinite(values)):
            raise ValueError(f"gate {row} has a value that is not finite")
        open_[row, : values.size] = values != 0
        if values.size < n_steps:  # a TimedArray holds its last value
            open_[row, values.size :] = values[-1] != 0 if values.size else False
    edges = np.flatnonzero(np.any(open_[:, 1:] != open_[:, :-1], axis=0)) + 1
    starts = np.concatenate(([0], edges))
    stops = np.concatenate((edges, [n_steps]))
    segments = []
    for first, last in zip(starts, stops):
        stop_s = duration_s if last == n_steps else int(last) * step_s
        segments.append(Segment(float(int(first) * step_s), float(stop_s), tuple(bool(v) for v in open_[:, first])))
    return segments
