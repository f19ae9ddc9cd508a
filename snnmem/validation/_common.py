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


def model_file(name: str):
    """``models/<name>.toml`` of this checkout (the published values live in its ``[expected]``)."""
    from pathlib import Path

    from ..errors import ConfigError

    path = Path(__file__).resolve().parents[2] / "models" / f"{name}.toml"
    if not path.is_file():
        raise ConfigError(
            f"model file not found: {path} (the validations read the published values from the "
            "repository's models/ folder)"
        )
    return path


def expected_range(spec: Any, key: str) -> tuple[float, float]:
    """``[expected] key`` of a model as ``(low, high)`` (a single number gives ``(x, x)``)."""
    from ..errors import ConfigError

    try:
        value = spec.expected[key]
    except KeyError:
        raise ConfigError(f"{spec.source}: [expected] has no {key!r} (the validation needs it)") from None
    return (float(value[0]), float(value[1])) if isinstance(value, (list, tuple)) else (float(value), float(value))


def circuit_model(name: str, circuit: str, reference: str, overrides: Any = None, where: str | None = None):
    """A model built from a circuit's defaults (the published values), independent of the repository's files."""
    from ..config import resolve

    document = {"model": {"name": name, "circuit": circuit, "reference": reference}}
    return resolve(document, overrides, where=where or f"{name} validation")
