"""The stimulus port's building blocks, shared by the circuits: gates, per-cell drive, plasticity gates.

A circuit turns each :class:`~snnmem.protocols.Stimulus` of a schedule into Brian2
code: a per-cell constant ``stim<k>_cells`` (the stimulus's relative drive of every
excitatory cell) and a time gate ``int(t >= stim<k>_start and t < stim<k>_stop)``.
Stimuli of equal strength share one input (one ``PoissonInput`` for a Poisson cue),
so a schedule whose stimuli all have the standard strength generates the same code
(and, for the same seed, the same spikes) whatever the number of stimuli.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from ..errors import ConfigError
from ..protocols import Phase, Schedule, Stimulus

__all__ = [
    "gate_expression",
    "strength_groups",
    "window_namespace",
    "check_step_grid",
    "stimulus_table",
    "plasticity_gates",
]


def gate_expression(prefix: str, indices: Sequence[int], weighted: bool) -> str:
    """``prefix<k>_cells*int(t >= prefix<k>_start and t < prefix<k>_stop) + ...`` over ``indices``.

    ``weighted=False`` leaves out the per-cell factor (a gate shared by every cell).
    ``"0"`` for no indices.
    """
    terms = []
    for k in indices:
        window = f"int(t >= {prefix}{k}_start and t < {prefix}{k}_stop)"
        terms.append(f"{prefix}{k}_cells*{window}" if weighted else window)
    return "\n    + ".join(terms) if terms else "0"


def window_namespace(prefix: str, stimuli: Sequence[Stimulus], second) -> dict:
    """``{prefix<k>_start: ..., prefix<k>_stop: ...}`` (Brian2 quantities) for a Brian2 namespace."""
    namespace = {}
    for k, stimulus in enumerate(stimuli):
        namespace[f"{prefix}{k}_start"] = stimulus.start_s * second
        namespace[f"{prefix}{k}_stop"] = stimulus.stop_s * second
    return namespace


def strength_groups(stimuli: Sequence[Stimulus]) -> list[tuple[float, list[int]]]:
    """Active stimuli grouped by strength: ``[(strength, [indices]), ...]`` in order of first appearance."""
    groups: dict[float, list[int]] = {}
    for k, stimulus in enumerate(stimuli):
        if stimulus.active:
            groups.setdefault(float(stimulus.strength), []).append(k)
    return list(groups.items())


def check_step_grid(schedule: Schedule, step_s: float, what: str) -> None:
    """Every phase and stimulus edge of ``schedule`` lies on a grid of ``step_s``; ConfigError otherwise.

    For circuits that sample their schedule as a table (``TimedArray``) of that step.
    """
    edges = [(f"phase {p.name!r}", t) for p in schedule.phases for t in (p.start_s, p.stop_s)]
    edges += [(f"stimulus {s.label!r}", t) for s in schedule.stimuli for t in (s.start_s, s.stop_s)]
    for name, t in edges:
        if abs(t / step_s - round(t / step_s)) > 1e-6:
            raise ConfigError(
                f"{name}: time {t!r} s is not a whole multiple of {step_s * 1e3:g} ms, the step of {what}"
            )


def stimulus_table(
    stimuli: Sequence[Stimulus], n_cells: int, duration_s: float, step_s: float
) -> tuple[np.ndarray, np.ndarray]:
    """The cell stimuli of a schedule as a per-step row index and a table of drives.

    Returns ``(row, table)``: ``row[n]`` (float, for a ``TimedArray``) is the row of
    ``table`` ``[n_rows, n_cells]`` in force during step ``n`` (``[n step, (n + 1) step)``);
    row 0 is no stimulus. A row holds ``sum(strength * cells)`` over the stimuli active
    in that step, so overlapping stimuli add; steps with the same drive share a row.
    """
    n_steps = int(round(duration_s / step_s)) + 1
    active = [s for s in stimuli if s.active]
    edges = sorted({n_steps} | {min(n_steps, int(round(t / step_s))) for s in active for t in (s.start_s, s.stop_s)})
    edges = [e for e in edges if e > 0]
    row = np.zeros(n_steps, dtype=float)
    table = [np.zeros(n_cells)]
    rows = {table[0].tobytes(): 0}
    for first, last in zip([0, *edges[:-1]], edges):
        on = [s for s in active if int(round(s.start_s / step_s)) <= first < int(round(s.stop_s / step_s))]
        drive = np.sum([s.strength * s.cells for s in on], axis=0) if on else np.zeros(n_cells)
        key = drive.tobytes()
        if key not in rows:  # one row per distinct drive, in order of first use
            rows[key] = len(table)
            table.append(drive)
        row[first:last] = rows[key]
    return row, np.asarray(table)


def plasticity_gates(phases: Sequence[Phase], duration_s: float, step_s: float) -> dict[str, np.ndarray]:
    """Per-step gates (0/1) of each plasticity class and of the lesion, from the phases.

    ``"all"``: 1 in phases where every rule learns (the fast rules' gate); ``"slow"``: 1
    where the slow rules learn (phases ``"all"`` and ``"slow"``); ``"homeostatic"``: 1
    where the homeostatic rules learn (``"all"``, ``"slow"`` and ``"homeostatic"``);
    ``"lesion"``: 1 in phases with ``lesion`` set. Outside every phase (none in a valid
    schedule) all are 0.
    """
    n_steps = int(round(duration_s / step_s)) + 1
    classes = {"all": ("all",), "slow": ("all", "slow"), "homeostatic": ("all", "slow", "homeostatic")}
    gates = {name: np.zeros(n_steps) for name in (*classes, "lesion")}
    for phase in phases:
        window = slice(int(round(phase.start_s / step_s)), int(round(phase.stop_s / step_s)))
        for name, modes in classes.items():
            if phase.plasticity in modes:
                gates[name][window] = 1.0
        if phase.lesion:
            gates["lesion"][window] = 1.0
    return gates
