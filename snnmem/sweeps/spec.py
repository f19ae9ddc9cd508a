"""Sweep specification: grids, seeds, points, cluster settings, sweep files (TOML)."""

from __future__ import annotations

import itertools
import re
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterable, Mapping

import numpy as np

from ..errors import ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


_CLUSTER_KEYS = {
    "kind": "local, slurm, or a Dask scheduler address (tcp://host:port)",
    "workers": "number of Dask workers (local: processes; slurm: jobs x processes)",
    "queue": "SLURM partition",
    "walltime": "SLURM time limit per worker job, e.g. '01:00:00'",
    "memory": "memory per worker job, e.g. '4GB'",
    "cores": "cores per worker job",
    "processes": "Dask worker processes per job (default 1)",
    "account": "SLURM account",
    "job_extra": "extra #SBATCH directives (list of strings)",
    "log_directory": "folder for the worker jobs' logs",
    "local_directory": "worker scratch folder",
}


@dataclass(frozen=True)
class ClusterSpec:
    """Where the points run: ``kind`` is ``"local"``, ``"slurm"`` or a scheduler address."""

    kind: str = "local"
    workers: int = 2
    queue: str | None = None
    walltime: str = "01:00:00"
    memory: str = "4GB"
    cores: int = 1
    processes: int = 1
    account: str | None = None
    job_extra: tuple[str, ...] = ()
    log_directory: str | None = None
    local_directory: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in ("local", "slurm") and "://" not in self.kind:
            raise ConfigError(f"cluster: kind must be 'local', 'slurm' or a scheduler address, got {self.kind!r}")
        for key in ("workers", "cores", "processes"):
            value = getattr(self, key)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ConfigError(f"cluster.{key}: must be a positive integer, got {value!r}")


@dataclass(frozen=True)
class Point:
    """One simulation of the sweep: grid values (as given) and a seed."""

    index: int
    params: Mapping[str, Any]
    seed: int
    name: str

    @property
    def file(self) -> str:
        """Run file name, relative to the sweep folder."""
        return f"{self.name}.h5"


@dataclass(frozen=True)
class SweepSpec:
    """A validated sweep: model, grid, seeds, fixed overrides, output folder, cluster."""

    model: Path
    grid: Mapping[str, tuple[Any, ...]]
    seeds: tuple[int, ...]
    overrides: Mapping[str, Any]
    out: Path
    cluster: ClusterSpec = field(default_factory=ClusterSpec)
    retries: int = 3

    def points(self) -> list[Point]:
        """Every point: the grid's Cartesian product (first key slowest), then seeds."""
        from ..config import load_model

        model_name = load_model(self.model, self.overrides).name
        keys = list(self.grid)
        points, names = [], set()
        for combo in itertools.product(*(self.grid[k] for k in keys)):
            for seed in self.seeds:
                params = dict(zip(keys, combo))
                parts = [model_name] + [f"{_short(k)}={_slug(v)}" for k, v in params.items()] + [f"seed{seed}"]
                name = "__".join(parts)
                if name in names:  # two values that read the same once made file-safe
                    name = f"{name}__{len(points)}"
                names.add(name)
                points.append(Point(len(points), params, int(seed), name))
        return points

    def to_toml(self) -> str:
        """The sweep as a sweep file (stored in the index)."""
        import tomli_w

        document = {
            "sweep": {
                "model": str(self.model),
                "out": str(self.out),
                "seeds": list(self.seeds),
                "retries": self.retries,
            },
            "grid": {k: list(v) for k, v in self.grid.items()},
            "set": dict(self.overrides),
            "cluster": {
                k: (list(v) if isinstance(v, tuple) else v) for k, v in vars(self.cluster).items() if v is not None
            },
        }
        return tomli_w.dumps(document)


def _short(key: str) -> str:
    return key.split(".", 1)[1] if "." in key else key


def _slug(value: Any) -> str:
    text = f"{value:g}" if isinstance(value, float) else str(value)
    return re.sub(r"[^A-Za-z0-9.+-]", "", text.replace(" ", "")) or "x"


_NUMBER = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"


def _parse_value(text: str) -> Any:
    text = text.strip()
    try:
        return tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        return text


def _linspace(key: str, text: str) -> list[Any]:
    parts = text.split(":")
    if len(parts) != 3:
        raise ConfigError(f"grid {key}: a range is START:STOP:N, got {text!r}")
    matches = [re.fullmatch(rf"\s*({_NUMBER})\s*(.*?)\s*", p) for p in parts[:2]]
    if not all(matches):
        raise ConfigError(f"grid {key}: START and STOP must be numbers with an optional unit, got {text!r}")
    try:
        n = int(parts[2])
    except ValueError:
        raise ConfigError(f"grid {key}: N in START:STOP:N must be an integer, got {parts[2]!r}") from None
    if n < 1:
        raise ConfigError(f"grid {key}: N must be at least 1, got {n}")
    (start, unit_a), (stop, unit_b) = (m.groups() for m in matches)  # type: ignore[union-attr]
    if unit_a != unit_b and unit_a and unit_b:
        raise ConfigError(f"grid {key}: START and STOP must use the same unit ({unit_a!r} vs {unit_b!r})")
    unit = unit_a or unit_b
    values = [float(f"{v:.12g}") for v in np.linspace(float(start), float(stop), n)]
    integers = all(re.fullmatch(r"[-+]?\d+", s) for s in (start, stop)) and all(v.is_integer() for v in values)
    if unit:
        return [f"{v:.12g} {unit}" for v in values]
    return [int(v) for v in values] if integers else values


def parse_grid(items: Iterable[str] | Mapping[str, Any]) -> dict[str, tuple[Any, ...]]:
    """Grid entries -> ``{key: (values...)}``.

    Accepts command-line items ``KEY=V1,V2,...`` or ``KEY=START:STOP:N`` (N values,
    both ends included; units allowed: ``0.3nS:0.4nS:5``), or a mapping from keys to
    a list of values or a ``"START:STOP:N"`` string. Values are read as TOML when
    they parse (``18``, ``true``), else as text (``"2 s"``).
    """
    grid: dict[str, tuple[Any, ...]] = {}
    entries: Iterable[tuple[str, Any]]
    if isinstance(items, Mapping):
        entries = items.items()
    else:
        pairs = []
        for item in items:
            key, sep, value = str(item).partition("=")
            if not sep or not key.strip() or not value.strip():
                raise ConfigError(f"grid {item!r}: expected KEY=V1,V2,... or KEY=START:STOP:N")
            pairs.append((key.strip(), value.strip()))
        entries = pairs
    for key, value in entries:
        if isinstance(value, str):
            if value.count(":") == 2 and "," not in value:
                values = _linspace(key, value)
            else:
                values = [_parse_value(v) for v in value.split(",") if v.strip()]
        elif isinstance(value, (list, tuple)):
            values = list(value)
        else:
            values = [value]
        if not values:
            raise ConfigError(f"grid {key}: no values")
        if len(set(map(repr, values))) != len(values):
            raise ConfigError(f"grid {key}: repeated values {values!r}")
        if key in grid:
            raise ConfigError(f"grid {key}: given twice")
        grid[key] = tuple(values)
    return grid


def parse_seeds(seeds: Any) -> tuple[int, ...]:
    """``"A-B"`` (inclusive), ``"1,4,7"``, a count (``4`` -> 0..3) or a list of integers."""
    if isinstance(seeds, bool):
        raise ConfigError(f"seeds: expected A-B, a list or a count, got {seeds!r}")
    if isinstance(seeds, int):
        if seeds < 1:
            raise ConfigError(f"seeds: a count must be positive, got {seeds}")
        return tuple(range(seeds))
    if isinstance(seeds, str):
        out: list[int] = []
        for part in seeds.split(","):
            match = re.fullmatch(r"\s*(\d+)\s*(?:-\s*(\d+)\s*)?", part)
            if not match:
                raise ConfigError(f"seeds {seeds!r}: expected A-B or A,B,C (non-negative integers)")
            low, high = int(match.group(1)), int(match.group(2) or match.group(1))
            if high < low:
                raise ConfigError(f"seeds {seeds!r}: {low}-{high} is empty")
            out += range(low, high + 1)
        seeds = out
    values = list(seeds)
    if not values or not all(
        isinstance(s, (int, np.integer)) and not isinstance(s, bool) and 0 <= s < 2**31 for s in values
    ):
        raise ConfigError(f"seeds: expected non-negative integers, got {values!r}")
    if len(set(values)) != len(values):
        raise ConfigError(f"seeds: repeated seeds in {values!r}")
    return tuple(int(s) for s in values)


def _cluster_spec(table: Mapping[str, Any], where: str) -> ClusterSpec:
    for key in table:
        if key not in _CLUSTER_KEYS:
            raise ConfigError(f"{where}: cluster.{key}: unknown key; allowed: {sorted(_CLUSTER_KEYS)}")
    values = dict(table)
    if "job_extra" in values:
        values["job_extra"] = tuple(values["job_extra"])
    return ClusterSpec(**values)


def make_spec(
    model: str | Path,
    grid: Any = None,
    seeds: Any = (0,),
    overrides: Mapping[str, Any] | None = None,
    out: str | Path | None = None,
    cluster: str | ClusterSpec | Mapping[str, Any] = "local",
    workers: int | None = None,
    retries: int = 3,
) -> SweepSpec:
    """Validate a sweep: grid and seeds parsed, every point's model checked (no build)."""
    from ..config import load_model

    if out is None:
        raise ConfigError("sweep: an output folder is required (--out DIR, or out in the sweep file)")
    grid = parse_grid(grid or {})
    if isinstance(cluster, ClusterSpec):
        cluster_spec = cluster
    elif isinstance(cluster, Mapping):
        cluster_spec = _cluster_spec(cluster, "sweep")
    else:
        cluster_spec = ClusterSpec(kind=str(cluster))
    if workers is not None:
        cluster_spec = replace(cluster_spec, workers=workers)
    if isinstance(retries, bool) or not isinstance(retries, int) or retries < 0:
        raise ConfigError(f"sweep: retries must be a non-negative integer, got {retries!r}")
    spec = SweepSpec(Path(model), grid, parse_seeds(seeds), dict(overrides or {}), Path(out), cluster_spec, retries)
    overlap = set(spec.grid) & set(spec.overrides)
    if overlap:
        raise ConfigError(f"sweep: {sorted(overlap)} both swept and set; remove one")
    for values in itertools.product(*spec.grid.values()):  # every point's model is valid before anything runs
        load_model(spec.model, dict(spec.overrides, **dict(zip(spec.grid, values))))
    return spec


def load_sweep(path: str | Path, **changes: Any) -> SweepSpec:
    """Read a sweep file (see the module docstring); keyword arguments replace its settings."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"sweep file not found: {path}")
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: not valid TOML: {error}") from None
    for section in document:
        if section not in ("sweep", "grid", "set", "cluster"):
            raise ConfigError(f"{path}: [{section}]: unknown section; allowed: cluster, grid, set, sweep")
    table = dict(document.get("sweep", {}))
    for key in table:
        if key not in ("model", "out", "seeds", "retries"):
            raise ConfigError(f"{path}: sweep.{key}: unknown key; allowed: model, out, retries, seeds")
    if "model" not in table:
        raise ConfigError(f"{path}: sweep.model is required (the model file, relative to the sweep file)")
    base = path.parent
    grid = dict(document.get("grid", {}))
    grid.update(parse_grid(changes.pop("grid", None) or {}))
    overrides = dict(document.get("set", {}))
    overrides.update(changes.pop("overrides", None) or {})
    cluster = _cluster_spec(document.get("cluster", {}), str(path))
    if changes.get("cluster") is not None:
        cluster = replace(cluster, kind=changes.pop("cluster"))
    changes.pop("cluster", None)
    out = changes.pop("out", None) or (base / table["out"] if "out" in table else None)
    seeds = changes.pop("seeds", None)
    return make_spec(
        base / table["model"],
        grid,
        seeds if seeds is not None else table.get("seeds", (0,)),
        overrides,
        out,
        cluster,
        workers=changes.pop("workers", None),
        retries=_given(changes.pop("retries", None), table.get("retries", 3)),
        **changes,
    )


def _given(value: Any, default: Any) -> Any:
    """``value`` unless it was not given (``None``): then ``default``."""
    return default if value is None else value


def is_sweep_file(path: str | Path) -> bool:
    """True when a TOML file has a ``[sweep]`` table (else it is a model file)."""
    try:
        return "sweep" in tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return False
