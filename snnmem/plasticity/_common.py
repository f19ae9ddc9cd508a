"""Shared helpers of the plasticity rules (parameter checks, presets, code assembly)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Literal, Mapping

Mode = Literal["event-driven", "clock-driven"]
MODES: tuple[str, ...] = ("event-driven", "clock-driven")


@dataclass(frozen=True)
class Preset:
    """A named, citable parameter set of a rule.

    Attributes
    ----------
    citation : str
        Full reference of the paper the values come from.
    parameters : Mapping[str, Any]
        Keyword arguments of the rule's constructor (SI floats, strings).
    note : str
        How the values were taken from the paper (table, figure, derived value).
    """

    citation: str
    parameters: Mapping[str, Any]
    note: str = ""


def freeze_presets(presets: dict[str, Preset]) -> Mapping[str, Preset]:
    """Return a read-only view of a preset table (no module-level mutable state)."""
    return MappingProxyType(
        {name: Preset(p.citation, MappingProxyType(dict(p.parameters)), p.note) for name, p in presets.items()}
    )


def lookup_preset(presets: Mapping[str, Preset], name: str, rule: str) -> Preset:
    """Find a preset by name or raise ``ValueError`` listing the valid names."""
    try:
        return presets[name]
    except KeyError:
        valid = ", ".join(sorted(presets))
        raise ValueError(f"unknown {rule} preset {name!r}; valid presets: {valid}") from None


def check_positive(name: str, value: float) -> None:
    """Raise ``ValueError`` naming ``name`` unless ``value`` is a finite number > 0."""
    if not isinstance(value, (int, float)) or not math.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a finite number > 0, got {value!r}")


def check_nonnegative(name: str, value: float) -> None:
    """Raise ``ValueError`` naming ``name`` unless ``value`` is a finite number >= 0."""
    if not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
        raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")


def check_bounds(w_min: float | None, w_max: float | None) -> None:
    """Raise ``ValueError`` unless ``w_min < w_max`` (``None`` means unbounded)."""
    for name, value in (("w_min", w_min), ("w_max", w_max)):
        if value is not None and (not isinstance(value, (int, float)) or not math.isfinite(value)):
            raise ValueError(f"{name} must be a finite number or None, got {value!r}")
    if w_min is not None and w_max is not None and not w_min < w_max:
        raise ValueError(f"w_min must be < w_max, got w_min={w_min!r}, w_max={w_max!r}")


def check_choice(name: str, value: str, choices: tuple[str, ...]) -> None:
    """Raise ``ValueError`` naming ``name`` unless ``value`` is one of ``choices``."""
    if value not in choices:
        raise ValueError(f"{name} must be one of {', '.join(map(repr, choices))}, got {value!r}")


def check_mode(mode: str) -> None:
    """Raise ``ValueError`` unless ``mode`` is ``'event-driven'`` or ``'clock-driven'``."""
    check_choice("mode", mode, MODES)


def bound_names(w_min: float | None, w_max: float | None) -> dict[str, float]:
    """The ``w_min`` / ``w_max`` entries of a rule's namespace (only the bounds it has)."""
    return {name: value for name, value in (("w_min", w_min), ("w_max", w_max)) if value is not None}


def gate_factor(gate: str) -> str:
    """``"(gate)*"`` to multiply a weight change by ``gate``; ``""`` for no gate."""
    return f"({gate})*" if gate else ""


def clip_expression(expr: str, w_min: float | None, w_max: float | None) -> str:
    """Brian2 expression ``expr`` clipped to the hard bounds (``None``: no bound)."""
    if w_min is None and w_max is None:
        return expr
    low = "w_min" if w_min is not None else "-inf"
    high = "w_max" if w_max is not None else "inf"
    return f"clip({expr}, {low}, {high})"


def clip_value(value: float, w_min: float | None, w_max: float | None) -> float:
    """Numpy twin of :func:`clip_expression`."""
    if w_min is not None and value < w_min:
        value = w_min
    if w_max is not None and value > w_max:
        value = w_max
    return value


def join_code(*lines: str) -> str:
    """Join non-empty code lines with newlines (Brian2 abstract code)."""
    return "\n".join(line.strip() for line in lines if line and line.strip())
