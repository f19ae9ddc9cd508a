"""Published checks of snnmem's models: a registry behind ``snnmem validate``.

Each validation lives in its own module of this package, runs a published
protocol and compares the result with the published numbers.  A module registers
its run function with :func:`register`; :func:`available` imports the modules
named in ``_MODULES`` lazily (so importing :mod:`snnmem.validation` imports
neither Brian2 nor the validations), then returns the registry.

Adding a validation
-------------------
1. Write ``snnmem/validation/<name>.py`` with a function decorated by
   ``@register(name, reference, description)`` that takes ``seeds: int | None``
   (and optional keyword parameters with defaults) and returns a
   :class:`ValidationResult` whose ``checks`` compare measured and published values.
   Import Brian2 inside the function and build a fresh ``Network``.
2. Add ``"<name>"`` to ``_MODULES`` below.
3. Add a test in ``tests/test_validation_<name>.py`` (mark it ``slow`` if it runs
   longer than ~20 s).
"""

from __future__ import annotations

import json
import math
import sys
import os
from dataclasses import dataclass, field
from pathlib import Path
from importlib import import_module
from typing import Any, Callable, TextIO

from ..atomic import atomic_write

# Modules (of this package) that register validations; adding one name is enough.
_MODULES: tuple[str, ...] = (
    "bipoo1998",
    "sjostrom2001",
    "song2000",
    "vogels2011",
    "compte2000",
    "brunel_wang2001",
    "distractor",
    "mongillo2008",
    "assemblies",
    "assemblies_retention",
    "litwin_kumar_doiron2014",
    "consolidation",
)

_REGISTRY: dict[str, "Validation"] = {}


@dataclass(frozen=True)
class Check:
    """One comparison of a measured quantity with its published value.

    Attributes
    ----------
    quantity : str
        What is compared, with units, e.g. ``"dw/w at +10 ms, 20 Hz"``.
    measured : float
        Value produced by the model.
    expected : str
        Published value and tolerance as text, e.g. ``"0.29 ± 0.14 (±2 SEM)"``.
    passed : bool
        Whether ``measured`` is within the tolerance.
    """

    quantity: str
    measured: float
    expected: str
    passed: bool


@dataclass
class ValidationResult:
    """Outcome of one validation run.

    Attributes
    ----------
    name : str
        Registry name of the validation.
    reference : str
        Citation of the published protocol and numbers.
    checks : list of Check
    values : dict
        Every number behind the checks (JSON-serialisable), for figures and reports.
    overrides : dict
        Parameters changed from the published model (``snnmem validate --set``), as given;
        empty for the published model.
    """

    name: str
    reference: str
    checks: list[Check] = field(default_factory=list)
    values: dict = field(default_factory=dict)
    overrides: dict = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        """True when every check passed (and there is at least one)."""
        return bool(self.checks) and all(check.passed for check in self.checks)

    def to_json_dict(self) -> dict:
        """``{"name", "reference", "checks": [{"quantity", "measured", "expected", "passed"}], "values"}``.

        With overrides, also ``"overrides"`` (the parameters changed from the published model).
        """
        data = {
            "name": self.name,
            "reference": self.reference,
            "checks": [
                {
                    "quantity": c.quantity,
                    "measured": _json_float(c.measured),
                    "expected": c.expected,
                    "passed": bool(c.passed),
                }
                for c in self.checks
            ],
            "values": _jsonable(self.values),
        }
        if self.overrides:
            data["overrides"] = _jsonable(self.overrides)
        return data


@dataclass(frozen=True)
class Validation:
    """A registered validation: ``run(seeds=None, **options) -> ValidationResult``.

    ``keeps_runs``: ``run`` takes ``runs_dir`` (a folder where its simulations are kept and
    reused, so a long validation can be interrupted and resumed: ``snnmem validate --runs-dir``).

    ``model``: ``model(overrides)`` returns the resolved model the validation runs, with
    ``overrides`` (a mapping of dotted keys to values) applied, raising
    :class:`snnmem.errors.ConfigError` on a bad key or value; set when ``run`` takes
    ``overrides`` (``snnmem validate --set``: a variant of the model checked against the
    published model's bounds).
    """

    name: str
    reference: str
    description: str
    run: Callable[..., ValidationResult]
    keeps_runs: bool = False
    model: Callable[[dict | None], Any] | None = None


def _json_float(value: Any) -> Any:
    value = float(value)
    return value if math.isfinite(value) else None


def _jsonable(value: Any) -> Any:
    """Plain JSON types from numpy scalars/arrays, tuples and nested dicts."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if hasattr(value, "tolist"):
        return _jsonable(value.tolist())
    if isinstance(value, bool) or value is None or isinstance(value, (str, int)):
        return value
    if isinstance(value, float):
        return _json_float(value)
    return str(value)


def register(
    name: str,
    reference: str,
    description: str,
    keeps_runs: bool = False,
    model: Callable[[dict | None], Any] | None = None,
) -> Callable:
    """Decorator registering ``run(seeds=None, **options) -> ValidationResult`` as ``name``.

    ``keeps_runs=True`` declares that ``run`` takes ``runs_dir``; a ``model`` function, that
    ``run`` takes ``overrides`` (:class:`Validation`).

    Raises
    ------
    ValueError
        If ``name`` is already registered by another function.
    """

    def decorator(run: Callable[..., ValidationResult]) -> Callable[..., ValidationResult]:
        existing = _REGISTRY.get(name)
        if existing is not None and existing.run.__qualname__ != run.__qualname__:
            raise ValueError(f"validation name {name!r} is already registered")
        _REGISTRY[name] = Validation(
            name=name, reference=reference, description=description, run=run, keeps_runs=keeps_runs, model=model
        )
        return run

    return decorator


def available() -> dict[str, Validation]:
    """All validations, by name (imports the modules in ``_MODULES`` on first call)."""
    for module in _MODULES:
        import_module(f"{__name__}.{module}")
    return dict(sorted(_REGISTRY.items()))


def _format_measured(value: float) -> str:
    value = float(value)
    if not math.isfinite(value):
        return str(value)
    return f"{value:.4g}"


def format_table(result: ValidationResult) -> str:
    """Plain-text table ``quantity | measured | expected | pass`` with a header line."""
    rows = [("quantity", "measured", "expected", "pass")]
    rows += [
        (c.quantity, _format_measured(c.measured), c.expected, "PASS" if c.passed else "FAIL") for c in result.checks
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = [f"{result.name} — {result.reference}"]
    if result.overrides:
        lines.append("with " + ", ".join(f"{key}={value}" for key, value in result.overrides.items()))
    for n, row in enumerate(rows):
        lines.append(" | ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())
        if n == 0:
            lines.append("-+-".join("-" * width for width in widths))
    lines.append(
        f"{result.name}: {'PASSED' if result.passed else 'FAILED'} "
        f"({sum(c.passed for c in result.checks)}/{len(result.checks)} checks)"
    )
    return "\n".join(lines)


def format_list(validations: dict[str, Validation] | None = None) -> str:
    """One block per validation: name, citation and description (for ``--list``)."""
    validations = available() if validations is None else validations
    blocks = [f"{v.name}\n    {v.reference}\n    {v.description}" for v in validations.values()]
    return "\n".join(blocks)


def run_validations(
    names: list[str],
    seeds: int | None = None,
    json_path: str | None = None,
    stream: TextIO | None = None,
    runs_dir: str | None = None,
    overrides: dict | None = None,
) -> int:
    """Run validations by name, print their tables and optionally write JSON.

    Parameters
    ----------
    names : list of str
        Registry names; all are checked before anything runs.
    seeds : int, optional
        Number of seeds, for validations with random networks (their default if None).
    json_path : str, optional
        Write one result dict (one name) or a list of them (several names).
    stream : text stream, optional
        Where tables and errors go (``sys.stdout`` by default).
    runs_dir : str, optional
        Folder where validations that keep their runs (:attr:`Validation.keeps_runs`)
        keep and reuse them; refused for the others.
    overrides : dict, optional
        Parameters of the validated model to change (dotted keys, values as in a model
        file), for validations of a model (:attr:`Validation.model`); refused for the
        others, and checked against the model before anything runs. The checks keep the
        published model's bounds; the results record the overrides.

    Returns
    -------
    int
        0 if every check passed, 1 if one failed, 2 for an unknown name (or none).
    """
    stream = sys.stdout if stream is None else stream
    validations = available()
    unknown = [name for name in names if name not in validations]
    if unknown or not names:
        what = f"unknown validation(s): {', '.join(unknown)}" if unknown else "no validation named"
        print(f"snnmem validate: error: {what}; valid names: {', '.join(validations)}", file=sys.stderr)
        return 2
    if seeds is not None and (not isinstance(seeds, int) or seeds < 1):
        print(f"snnmem validate: error: seeds must be a positive integer, got {seeds!r}", file=sys.stderr)
        return 2
    if json_path is not None:  # checked before hours of simulation, not after
        folder = Path(json_path).resolve().parent
        if not folder.is_dir() or not os.access(folder, os.W_OK):
            print(f"snnmem validate: error: --json {json_path}: {folder} is not a writable folder", file=sys.stderr)
            return 2
    if runs_dir is not None:
        cannot = [name for name in names if not validations[name].keeps_runs]
        if cannot:
            print(f"snnmem validate: error: --runs-dir: {', '.join(cannot)} do(es) not keep runs", file=sys.stderr)
            return 2
    if overrides:
        cannot = [name for name in names if validations[name].model is None]
        if cannot:
            print(f"snnmem validate: error: --set: {', '.join(cannot)} do(es) not validate a model", file=sys.stderr)
            return 2
        from ..errors import ConfigError

        for name in names:  # a bad key or value is reported before any simulation
            try:
                validations[name].model(overrides)
            except ConfigError as error:
                print(f"snnmem validate: error: --set ({name}): {error}", file=sys.stderr)
                return 2
    results = []
    for name in names:
        options: dict[str, Any] = {"runs_dir": runs_dir} if runs_dir is not None else {}
        if overrides:
            options["overrides"] = dict(overrides)
        result = validations[name].run(seeds=seeds, **options)
        if overrides:
            result.overrides = dict(overrides)
        results.append(result)
        print(format_table(result), file=stream)
        print(file=stream)
    if json_path is not None:
        payload: Any = [r.to_json_dict() for r in results]
        if len(payload) == 1:
            payload = payload[0]
        text = json.dumps(payload, indent=2, allow_nan=False) + "\n"

        def write(tmp_name: str) -> None:
            Path(tmp_name).write_text(text, encoding="utf-8")

        atomic_write(json_path, write, "the validation results", mode=0o644)  # an existing file replaced whole
    return 0 if all(r.passed for r in results) else 1


__all__ = [
    "Check",
    "ValidationResult",
    "Validation",
    "register",
    "available",
    "format_table",
    "format_list",
    "run_validations",
]
