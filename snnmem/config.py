"""Model files (TOML) -> validated, fully resolved :class:`ModelSpec`.

A model file names its circuit in a ``[model]`` table; the circuit declares every
parameter it understands (a :class:`Param` with default, unit and limits). Loading
fills in the defaults, checks each value's type and physical dimension, rejects
unknown keys, and applies dotted-key overrides (``{"protocol.delay_duration":
"2 s"}``). Every error is a :class:`~snnmem.errors.ConfigError` naming the file
and the key, raised before any network is built.
"""

from __future__ import annotations

import re

import difflib
import hashlib
import sys
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

import tomli_w

from .errors import ConfigError
from .schema import Param, Schema  # noqa: F401  (Param, Schema: part of this module's API)

__all__ = ["Param", "ModelSpec", "load_model", "parse_override", "MODEL_KEYS"]

#: Keys allowed in the ``[model]`` table of every model file.
MODEL_KEYS = {
    "name": "short identifier, used in file names",
    "circuit": "which circuit builds the network (see snnmem.circuits)",
    "title": "one-line description",
    "reference": "the paper the model comes from (full citation)",
    "doi": "DOI of that paper",
    "notes": "free text: deviations from the paper, choices made",
}


@dataclass(frozen=True)
class ModelSpec:
    """A fully resolved, validated model: every parameter of its circuit has a value.

    Attributes
    ----------
    name, circuit
        From the ``[model]`` table.
    metadata
        The whole ``[model]`` table (reference, doi, notes, ...).
    raw
        The resolved values as written in TOML (quantities as strings), section ->
        key -> value; this is what run files store.
    values
        The parsed values (Brian2 quantities, numbers, strings), same layout.
    expected
        The ``[expected]`` table: published or reference values of scores, a number
        or a ``[low, high]`` range each.
    source
        The file the model came from, if any.
    """

    name: str
    circuit: str
    metadata: Mapping[str, str]
    raw: Mapping[str, Mapping[str, Any]]
    values: Mapping[str, Mapping[str, Any]]
    expected: Mapping[str, Any] = field(default_factory=dict)
    source: str | None = None

    def __getitem__(self, dotted_key: str) -> Any:
        section, _, key = dotted_key.partition(".")
        try:
            return self.values[section][key]
        except KeyError:
            raise KeyError(f"model {self.name!r} has no parameter {dotted_key!r}") from None

    def section(self, name: str) -> Mapping[str, Any]:
        """The parsed values of one section."""
        return self.values[name]

    @property
    def task(self) -> str | None:
        """The task named in the model's ``[task]`` table, or None (the circuit's native protocol)."""
        return self.values["task"]["name"] if "task" in self.values else None

    def to_toml(self) -> str:
        """The resolved model as TOML text: every default filled in, keys sorted."""
        document: dict[str, Any] = {"model": dict(self.metadata)}
        for section in sorted(self.raw):
            document[section] = {key: self.raw[section][key] for key in sorted(self.raw[section])}
        if self.expected:
            document["expected"] = dict(self.expected)
        return tomli_w.dumps(document)

    @property
    def sha256(self) -> str:
        """SHA-256 of :meth:`to_toml`: two runs with the same hash ran the same model."""
        return hashlib.sha256(self.to_toml().encode()).hexdigest()

    def with_overrides(self, overrides: Mapping[str, Any]) -> "ModelSpec":
        """A new spec with dotted-key overrides applied and validated."""
        document = {"model": dict(self.metadata), **{s: dict(v) for s, v in self.raw.items()}}
        if self.expected:
            document["expected"] = dict(self.expected)
        return resolve(document, overrides, where=self.source or f"model {self.name!r}")


def parse_override(text: str) -> tuple[str, Any]:
    """Parse a command-line override ``KEY=VALUE``.

    The value is read as a TOML value when it is one (``18``, ``true``,
    ``"2 s"``), else taken as a plain string (``2 s``).
    """
    key, sep, value = text.partition("=")
    key = key.strip()
    if not sep or not key:
        raise ConfigError(f"override {text!r}: expected KEY=VALUE, e.g. protocol.delay_duration='2 s'")
    value = value.strip()
    try:
        parsed = tomllib.loads(f"v = {value}")["v"]
    except tomllib.TOMLDecodeError:
        parsed = value
    return key, parsed


def _suggest(name: str, options: Any) -> str:
    close = difflib.get_close_matches(name, list(options), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def resolve(document: Mapping[str, Any], overrides: Mapping[str, Any] | None, where: str) -> ModelSpec:
    """Validate a parsed TOML document against its circuit's schema.

    Parameters
    ----------
    document
        The parsed model file.
    overrides
        Dotted keys to replace (``{"connectivity.sigma_deg": 18.0}``).
    where
        File name (or description) used in error messages.
    """
    from .circuits import get_circuit_schema, known_circuits

    if not isinstance(document.get("model"), dict):
        raise ConfigError(f"{where}: missing [model] table (with at least name and circuit)")
    metadata = dict(document["model"])
    for key, value in metadata.items():
        if key not in MODEL_KEYS:
            raise ConfigError(
                f"{where}: model.{key}: unknown key{_suggest(key, MODEL_KEYS)}; allowed: {sorted(MODEL_KEYS)}"
            )
        if not isinstance(value, str):
            raise ConfigError(f"{where}: model.{key}: expected text, got {value!r}")
    for required in ("name", "circuit"):
        if not metadata.get(required):
            raise ConfigError(f"{where}: model.{required} is required")
    if not _SAFE_NAME.fullmatch(metadata["name"]):
        raise ConfigError(
            f"{where}: model.name = {metadata['name'][:80]!r}: a model name is used in file and folder names, so it "
            "must be 1-64 characters of letters, digits, '_', '-' and '.', starting with a letter or digit"
        )
    circuit = metadata["circuit"]
    if circuit not in known_circuits():
        raise ConfigError(
            f"{where}: model.circuit: unknown circuit {circuit!r}{_suggest(circuit, known_circuits())}; "
            f"known: {sorted(known_circuits())}"
        )
    schema = dict(get_circuit_schema(circuit))
    task_schema = _task_schema(document, overrides, where)
    if task_schema is not None:
        schema["task"] = task_schema

    given: dict[str, dict[str, Any]] = {}
    for section, table in document.items():
        if section in ("model", "expected"):
            continue
        if section not in schema:
            raise ConfigError(
                f"{where}: [{section}]: unknown section{_suggest(section, schema)}; allowed: {sorted(schema)}"
            )
        if not isinstance(table, dict):
            raise ConfigError(f"{where}: {section}: expected a table, got {table!r}")
        given[section] = dict(table)

    for dotted, value in (overrides or {}).items():
        section, dot, key = str(dotted).partition(".")
        if not dot or section not in schema:
            raise ConfigError(
                f"override {dotted!r}: unknown key; keys look like 'section.name', sections: {sorted(schema)}"
            )
        if key not in schema[section]:
            raise ConfigError(f"override {dotted!r}: unknown key{_suggest(key, schema[section])}")
        given.setdefault(section, {})[key] = value

    raw: dict[str, dict[str, Any]] = {}
    values: dict[str, dict[str, Any]] = {}
    for section, params in schema.items():
        table = given.get(section, {})
        for key in table:
            if key not in params:
                raise ConfigError(
                    f"{where}: {section}.{key}: unknown key{_suggest(key, params)}; "
                    f"[{section}] accepts {sorted(params)}"
                )
        raw[section], values[section] = {}, {}
        for key, param in params.items():
            value = table.get(key, param.default)
            parsed = param.check(value, f"{section}.{key}", where)
            values[section][key] = parsed
            raw[section][key] = _canonical(parsed if isinstance(param.default, tuple) else value, param)

    expected = document.get("expected", {})
    if not isinstance(expected, dict):
        raise ConfigError(f"{where}: [expected] must be a table")
    for key, value in expected.items():
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        ok = ok or (
            isinstance(value, list)
            and len(value) == 2
            and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value)
        )
        if not ok:
            raise ConfigError(f"{where}: expected.{key}: expected a number or [low, high], got {value!r}")

    frozen_raw = MappingProxyType({s: MappingProxyType(v) for s, v in raw.items()})
    frozen_values = MappingProxyType({s: MappingProxyType(v) for s, v in values.items()})
    spec = ModelSpec(
        name=metadata["name"],
        circuit=circuit,
        metadata=MappingProxyType(metadata),
        raw=frozen_raw,
        values=frozen_values,
        expected=MappingProxyType(dict(expected)),
        source=where,
    )
    _check_spec(spec, where)
    return spec


def _task_schema(document: Mapping[str, Any], overrides: Mapping[str, Any] | None, where: str) -> dict | None:
    """The ``[task]`` table's schema (``name`` plus the named task's keys), or None without a task."""
    from . import registry

    table = document.get("task")
    name = (overrides or {}).get("task.name", table.get("name") if isinstance(table, dict) else None)
    if table is None and name is None:
        return None
    if not isinstance(name, str) or not name:
        raise ConfigError(f"{where}: [task] needs a name; known tasks: {list(registry.names('task'))}")
    if name not in registry.names("task"):
        raise ConfigError(
            f"{where}: task.name: unknown task {name!r}{_suggest(name, registry.names('task'))}; "
            f"known: {sorted(registry.names('task'))}"
        )
    task = registry.get("task", name)
    return {"name": Param(name, f"the memory task ({task.summary})", choices=registry.names("task")), **task.schema}


#: model names become parts of paths (build folders, default run files): no separators, no "..", bounded length
_SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")


def _check_spec(spec: ModelSpec, where: str) -> None:
    """Rules between keys: the circuit's, then the task's against the circuit (before any build)."""
    from . import registry

    circuit = registry.get("circuit", spec.circuit)
    try:
        _check_size(spec, circuit)
        circuit.check(spec)
        if spec.task is not None:
            task = registry.get("task", spec.task)
            reason = task.applies_to(circuit)
            if reason:
                raise ConfigError(f"task {spec.task!r} does not apply to circuit {spec.circuit!r}: {reason}")
            memory = circuit.memory_map(spec, 0)
            task.check(spec.section("task"), memory)
            schedule = task.schedule(spec.section("task"), memory, 0)
        else:
            schedule = circuit.native_schedule(spec, 0)
        circuit.check_switches(schedule)
        circuit.check_schedule(spec, schedule)
        _check_steps(spec, schedule.duration_s)
    except ConfigError as error:
        raise ConfigError(f"{where}: {error}") from None


def _check_size(spec: ModelSpec, circuit: Any) -> None:
    """Refuse networks beyond ``simulation.max_neurons`` cells or ``simulation.max_memory_gib`` of synapses.

    Checked before anything is allocated for them; the estimate counts
    :data:`_BYTES_PER_SYNAPSE` per synapse the circuit says it creates.
    """
    n_cells, sizes = circuit.neuron_count(spec)
    limit = spec["simulation.max_neurons"]
    if n_cells > limit:
        raise ConfigError(
            f"{sizes} = {n_cells:.3g} cells is more than simulation.max_neurons = {limit:.3g} "
            "(raise simulation.max_neurons if you mean it)"
        )
    synapses = circuit.synapse_count(spec)
    gib = synapses * _BYTES_PER_SYNAPSE / 2**30
    if gib > spec["simulation.max_memory_gib"]:
        raise ConfigError(
            f"this network ({sizes} = {n_cells} cells) has "
            f"about {synapses:.3g} synapses, about {gib:.3g} GiB, more than simulation.max_memory_gib = "
            f"{spec['simulation.max_memory_gib']:g} (raise it if the machine has the memory)"
        )


#: bytes a Brian2 synapse takes, roughly (indices, delays, a few state variables, C++ and Python copies)
_BYTES_PER_SYNAPSE = 64


def _check_steps(spec: ModelSpec, duration_s: float) -> None:
    """Refuse protocols beyond ``simulation.max_steps`` time steps, and rate tables of more than 10^7 bins."""
    dt, rate_bin = float(spec["simulation.dt"]), float(spec["simulation.rate_bin"])
    steps, limit = duration_s / dt, spec["simulation.max_steps"]
    if steps > limit:
        raise ConfigError(
            f"the protocol lasts {duration_s:.4g} s = {steps:.3g} steps of simulation.dt = {dt:.3g} s, more than "
            f"simulation.max_steps = {limit:.3g} (shorten the protocol, or raise simulation.max_steps if you mean it)"
        )
    if duration_s / rate_bin > _MAX_RATE_BINS:
        raise ConfigError(
            f"simulation.rate_bin = {rate_bin:.3g} s gives {duration_s / rate_bin:.3g} bins over the "
            f"{duration_s:.4g} s protocol; at most {_MAX_RATE_BINS:.0e}"
        )


#: rate tables are [n_bins, n_groups] arrays in memory and in the run file
_MAX_RATE_BINS = 1e7


def _canonical(value: Any, param: Param) -> Any:
    """The value as it is written back to TOML (quantities as normalised text)."""
    if param.is_quantity:
        return " ".join(str(value).split())
    if isinstance(param.default, tuple):  # the parsed tuple: entries already int or float
        return list(value)
    if isinstance(param.default, float):
        return float(value)
    if isinstance(param.default, int) and not isinstance(param.default, bool):
        return int(value)
    return value


def load_model(path: str | Path, overrides: Mapping[str, Any] | None = None) -> ModelSpec:
    """Load and validate a model file.

    Parameters
    ----------
    path
        A TOML model file, e.g. ``models/compte2000.toml``, or the name of a shipped
        model (``"compte2000"``; :func:`snnmem.installed.installed_models`).
    overrides
        Dotted keys to replace, e.g. ``{"protocol.delay_duration": "3 s"}``. Values
        may be strings with units, numbers or booleans.

    Returns
    -------
    ModelSpec
        Every parameter resolved and checked.

    Raises
    ------
    ConfigError
        Missing or unreadable file, TOML syntax error, unknown key, wrong unit or
        type, value out of range. The message names the file and the key.
    """
    from .installed import model_path

    path = model_path(path)
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: not valid TOML: {error}") from None
    return resolve(document, overrides, where=str(path))


def spec_from_toml(text: str, where: str = "<run file>") -> ModelSpec:
    """Rebuild a :class:`ModelSpec` from resolved TOML text (as stored in run files)."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{where}: stored model is not valid TOML: {error}") from None
    return resolve(document, None, where=where)
