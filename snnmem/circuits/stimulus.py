"""The stimulus port's building blocks, shared by the circuits: gates and per-cell drive.

A circuit turns each :class:`~snnmem.protocols.Stimulus` of a schedule into Brian2
code: a per-cell constant ``stim<k>_cells`` (the stimulus's relative drive of every
excitatory cell) and a time gate ``int(t >= stim<k>_start and t < stim<k>_stop)``.
Stimuli of equal strength share one input (one ``PoissonInput`` for a Poisson cue),
so a schedule whose stimuli all have the standard strength generates the same code
(and, for the same seed, the same spikes) whatever the number of stimuli.
"""

from __future__ import annotations

from typing import Sequence

from ..protocols import Stimulus

__all__ = ["gate_expression", "strength_groups", "window_namespace"]


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
