"""Helpers shared by the validation modules (no Brian2 import at module level)."""
from __future__ import annotations

from typing import Any


def codeobj_class(target: str | None) -> Any:
    """Brian2 code-object class for ``target`` ('numpy', 'cython' or None: preference)."""
    from snnmem.plasticity.drive import _codeobj_class

    return _codeobj_class(target)


def within(measured: float, mean: float, tolerance: float) -> bool:
    """``|measured - mean| <= tolerance``."""
    return abs(measured - mean) <= tolerance


def frequency_key(frequency_hz: float) -> str:
    """Key of a pairing frequency in the values dicts: 0.1 -> "0.1", 20.0 -> "20"."""
    return f"{frequency_hz:g}"


def seed_count(seeds: Any, default: int) -> int:
    """Number of seeds of a model validation (``None``: ``default``); ValueError below 1."""
    n_seeds = default if seeds is None else int(seeds)
    if n_seeds < 1:
        raise ValueError(f"seeds must be >= 1, got {seeds}")
    return n_seeds
