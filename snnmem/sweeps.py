"""Parameter sweeps: a grid of parameter values x seeds, run on Dask, one run file per point.

A sweep is a model file, a grid (dotted keys -> lists of values), a list of
seeds and fixed overrides. Every point (one combination of grid values and one
seed) is simulated by a Dask worker and written atomically to its own run file in
the output folder; the index (``DIR/index.h5`` and ``DIR/index.csv``) holds one
row per point (parameters, seed, status, whether it compiled, scores, run file)
and is rewritten atomically each time a point finishes, so an interrupted sweep
leaves a usable index and ``resume=True`` runs only the missing points.

Execution: :class:`distributed.LocalCluster` (``cluster="local"``, one process
per worker, one thread each), :class:`dask_jobqueue.SLURMCluster`
(``cluster="slurm"``), or an existing Dask scheduler (its address, or a
:class:`distributed.Client`). A worker lost mid-point is replaced and its point
is run again (up to ``retries`` times); a point whose simulation raises is
recorded as ``failed`` with the error, never dropped.

Compile once: each worker uses its own cache folder (``SNNMEM_CACHE_DIR`` =
``<cache>/workers/<host>-<worker>``: its own standalone build folders and Cython
cache), and :func:`snnmem.simulate` keeps the compiled network of the last point
warm: points that differ only in run-time values rerun the binary with new
``run_args``; points that change the code (network size, dt, duration, ...)
rebuild. The ``compiled`` column says which points ran the C++ compiler.

The sweep file (TOML), next to the model; every path is relative to the sweep
file::

    [sweep]
    model = "compte2000.toml"
    out = "../sweeps/nmda"        # optional (else --out)
    seeds = "0-3"                 # "A-B", "1,4,7", an integer list, or a count
    retries = 3                   # reruns of a point whose worker died

    [grid]                        # dotted key -> list of values, or "START:STOP:N"
    "conductances.g_ee_nmda" = "0.36 nS:0.40 nS:5"
    "connectivity.sigma_deg" = [14.4, 18.0]

    [set]                         # fixed overrides of the model
    "protocol.delay_duration" = "2 s"

    [cluster]
    kind = "local"                # or "slurm", or a scheduler address "tcp://host:8786"
    workers = 2
    # slurm only: queue, walltime, memory, cores, processes, account,
    # job_extra (list of #SBATCH lines), log_directory, local_directory
"""
from __future__ import annotations

import csv
import datetime as _dt
import itertools
import json
import logging
import math
import os
import re
import socket
import sys
import tempfile
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

import numpy as np

from .errors import ConfigError, SnnmemError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = [
    "sweep", "SweepSpec", "ClusterSpec", "Point", "SweepResult", "load_sweep", "parse_grid", "parse_seeds",
    "read_index", "is_sweep_dir", "INDEX_FORMAT",
]

INDEX_FORMAT = "snnmem-sweep"
INDEX_VERSION = 1
log = logging.getLogger("snnmem.sweeps")

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


# --------------------------------------------------------------------------- specification
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
        from .config import load_model

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
            "sweep": {"model": str(self.model), "out": str(self.out), "seeds": list(self.seeds),
                      "retries": self.retries},
            "grid": {k: list(v) for k, v in self.grid.items()},
            "set": dict(self.overrides),
            "cluster": {k: (list(v) if isinstance(v, tuple) else v) for k, v in vars(self.cluster).items()
                        if v is not None},
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
    if not values or not all(isinstance(s, (int, np.integer)) and not isinstance(s, bool) and 0 <= s < 2**31
                             for s in values):
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


def make_spec(model: str | Path, grid: Any = None, seeds: Any = (0,), overrides: Mapping[str, Any] | None = None,
              out: str | Path | None = None, cluster: str | ClusterSpec | Mapping[str, Any] = "local",
              workers: int | None = None, retries: int = 3) -> SweepSpec:
    """Validate a sweep: grid and seeds parsed, every point's model checked (no build)."""
    from .config import load_model

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
    return make_spec(base / table["model"], grid, seeds if seeds is not None else table.get("seeds", (0,)),
                     overrides, out, cluster, workers=changes.pop("workers", None),
                     retries=_given(changes.pop("retries", None), table.get("retries", 3)), **changes)


def _given(value: Any, default: Any) -> Any:
    """``value`` unless it was not given (``None``): then ``default``."""
    return default if value is None else value


def is_sweep_file(path: str | Path) -> bool:
    """True when a TOML file has a ``[sweep]`` table (else it is a model file)."""
    try:
        return "sweep" in tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return False


# --------------------------------------------------------------------------- the worker side
def _worker_setup(cache_root: str) -> str:
    """Give this worker process its own cache folder (build folders, Cython cache)."""
    try:
        from distributed import get_worker

        worker = str(get_worker().name)
    except (ImportError, ValueError):
        worker = f"pid{os.getpid()}"
    label = re.sub(r"[^A-Za-z0-9._-]", "-", f"{socket.gethostname()}-{worker}")
    folder = Path(cache_root) / "workers" / label
    if os.environ.get("SNNMEM_CACHE_DIR") != str(folder):
        folder.mkdir(parents=True, exist_ok=True)
        os.environ["SNNMEM_CACHE_DIR"] = str(folder)
        import brian2

        # Dask runs tasks in a worker thread: Brian2 may not install its Ctrl-C handler there,
        # and a killed worker must not leave brian_debug_* files behind.
        brian2.prefs.core.stop_on_keyboard_interrupt = False
        brian2.prefs.logging.file_log = False
    return label


def _import_brian2_plugin() -> Any:
    """Dask worker plugin: import Brian2 in the worker's main thread, before any task.

    Brian2 installs a Ctrl-C handler when imported, which Python allows only in the
    main thread; Dask runs tasks in another thread. Runs again on replaced workers.
    """
    from distributed import WorkerPlugin

    class ImportBrian2(WorkerPlugin):
        name = "snnmem-import-brian2"

        def setup(self, worker: Any) -> None:
            import brian2  # noqa: F401

    return ImportBrian2()


def _first_build(model) -> Any:
    """Compile a structure once per cache root: copy another worker's build folder when one exists.

    Returns a lock to hold while this worker builds the structure itself (the other
    workers wait for it, then copy its folder), or None when nothing is to be built.
    Object files keep their times (``copy2``), so ``make`` finds them up to date.
    """
    import shutil

    from brian2.utils.filelock import FileLock

    from .simulation import _structure_key, cache_dir

    if model["simulation.device"] != "cpp_standalone":
        return None
    key = _structure_key(model)
    mine = cache_dir() / "standalone" / key
    if (mine / "main").exists():
        return None
    workers = cache_dir().parent
    first = FileLock(str(workers / f".first-build-{key}.lock"))
    first.acquire()
    for sibling in sorted(workers.glob(f"*/standalone/{key}")):
        if sibling != mine and (sibling / "main").exists():
            with FileLock(str(sibling) + ".lock"):
                mine.parent.mkdir(parents=True, exist_ok=True)
                tmp = mine.parent / f".{key}.copy-{os.getpid()}"
                shutil.copytree(sibling, tmp, symlinks=True, ignore=shutil.ignore_patterns("results"))
                if mine.exists():
                    shutil.rmtree(mine)
                os.replace(tmp, mine)
            first.release()
            return None
    return first


def run_point(model: str, overrides: Mapping[str, Any], seed: int, path: str, cache_root: str) -> dict[str, Any]:
    """Simulate one point and write its run file (atomically); runs on a worker.

    Returns a row of the index. An error of the simulation is returned as a
    ``failed`` row with the error text, not raised.
    """
    started = time.perf_counter()
    row: dict[str, Any] = {"worker": _worker_setup(cache_root)}
    try:
        from .config import load_model
        from .simulation import simulate

        spec = load_model(model, overrides)
        lock = _first_build(spec)
        try:
            run = simulate(spec, seed=seed)
        finally:
            if lock is not None:
                lock.release()
        run.save(path)
        row.update(status="done", compiled=int(run.provenance.get("compiled", -1)),
                   build_s=float(run.provenance.get("wall_build_s", math.nan)), scores=dict(run.scores), error="")
    except Exception as error:  # noqa: BLE001 - recorded in the index, not dropped
        row.update(status="failed", compiled=-1, build_s=math.nan, scores={},
                   error=f"{type(error).__name__}: {error}"[:2000])
    row["wall_s"] = time.perf_counter() - started
    return row


# --------------------------------------------------------------------------- the index
def _read_run_row(path: Path, model_sha256: str | None = None) -> dict[str, Any] | None:
    """The row of a complete run file already on disk (resume), else None.

    With ``model_sha256``, a file whose stored model differs (the model file or the
    overrides changed since it was written) does not count: the point runs again.
    """
    import h5py

    try:
        with h5py.File(path, "r") as h5:
            if h5.attrs.get("format") != "snnmem-run" or h5.attrs.get("status") != "complete":
                return None
            stored = h5["model"].attrs.get("sha256") if "model" in h5 else None
            if isinstance(stored, bytes):
                stored = stored.decode()
            if model_sha256 is not None and stored != model_sha256:
                log.warning("%s: written for another model (sha256 %s), running the point again", path, stored)
                return None
            provenance = dict(h5["provenance"].attrs) if "provenance" in h5 else {}
            return {"status": "done", "compiled": int(provenance.get("compiled", -1)),
                    "build_s": float(provenance.get("wall_build_s", math.nan)),
                    "wall_s": float(provenance.get("wall_total_s", math.nan)),
                    "scores": {k: float(v) for k, v in h5["scores"].attrs.items()}, "error": "", "worker": ""}
    except (OSError, KeyError, ValueError):
        return None


def _si(value: Any) -> float:
    """A grid value as a number in SI units (NaN when it is not a number)."""
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, (int, float)):
        return float(value)
    try:
        from .units import parse_quantity

        return float(parse_quantity(str(value)))
    except Exception:  # noqa: BLE001 - text values (choices) have no number
        return math.nan


def _columns(spec: SweepSpec, points: Sequence[Point], rows: Mapping[int, dict[str, Any]]) -> dict[str, list]:
    score_names = sorted({k for row in rows.values() for k in row.get("scores", {})})
    table: dict[str, list] = {"index": [], "name": [], "file": []}
    for key in spec.grid:
        table[key] = []
        table[f"{key}_si"] = []
    for column in ("seed", "status", "compiled", "resumed", "wall_s", "build_s", "worker", "error"):
        table[column] = []
    for name in score_names:
        table[f"score.{name}"] = []
    for point in points:
        row = rows.get(point.index, {"status": "pending"})
        table["index"].append(point.index)
        table["name"].append(point.name)
        table["file"].append(point.file)
        for key in spec.grid:
            value = point.params[key]
            table[key].append(value if isinstance(value, str) else repr(value) if isinstance(value, float) else str(value))
            table[f"{key}_si"].append(_si(value))
        table["seed"].append(point.seed)
        table["status"].append(row["status"])
        table["compiled"].append(int(row.get("compiled", -1)))
        table["resumed"].append(int(row.get("resumed", 0)))
        table["wall_s"].append(float(row.get("wall_s", math.nan)))
        table["build_s"].append(float(row.get("build_s", math.nan)))
        table["worker"].append(str(row.get("worker", "")))
        table["error"].append(str(row.get("error", "")))
        for name in score_names:
            table[f"score.{name}"].append(float(row.get("scores", {}).get(name, math.nan)))
    return table


def _atomic(path: Path, write) -> None:
    handle, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(handle)
    try:
        write(tmp)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def write_index(spec: SweepSpec, points: Sequence[Point], rows: Mapping[int, dict[str, Any]], state: str) -> None:
    """Write ``index.h5`` and ``index.csv`` (each atomically)."""
    import h5py

    table = _columns(spec, points, rows)
    out = spec.out

    def write_h5(tmp: str) -> None:
        fields = []
        for column, values in table.items():
            if values and isinstance(values[0], str) or not values and column in ("name", "file", "status"):
                width = max([len(v.encode()) for v in values] + [1])
                fields.append((column, f"S{width}"))
            elif column in ("index", "seed", "compiled", "resumed"):
                fields.append((column, "<i8"))
            else:
                fields.append((column, "<f8"))
        data = np.zeros(len(points), dtype=fields)
        for column, values in table.items():
            data[column] = [v.encode() for v in values] if data.dtype[column].kind == "S" else values
        with h5py.File(tmp, "w", track_order=True) as h5:
            h5.attrs.update({
                "format": INDEX_FORMAT, "format_version": INDEX_VERSION, "state": state,
                "model": str(spec.model), "grid": json.dumps({k: list(v) for k, v in spec.grid.items()}),
                "seeds": json.dumps(list(spec.seeds)), "overrides": json.dumps(dict(spec.overrides)),
                "sweep_toml": spec.to_toml(),
                "updated": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
                "n_points": len(points), "n_done": table["status"].count("done"),
                "n_failed": table["status"].count("failed"),
            })
            h5.create_dataset("points", data=data)
            runs = h5.create_group("runs", track_order=True)
            for point, status in zip(points, table["status"]):
                if status == "done":  # relative external link: resolved next to index.h5
                    runs[point.name] = h5py.ExternalLink(point.file, "/")

    def write_csv(tmp: str) -> None:
        with open(tmp, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(list(table))
            for values in zip(*table.values()):
                writer.writerow(["" if isinstance(v, float) and math.isnan(v) else v for v in values])

    _atomic(out / "index.h5", write_h5)
    _atomic(out / "index.csv", write_csv)


def is_sweep_dir(path: str | Path) -> bool:
    """True when ``path`` is a folder holding a sweep index."""
    return (Path(path) / "index.h5").is_file()


def read_index(path: str | Path) -> dict[str, np.ndarray]:
    """The index table of a sweep folder (or its ``index.h5``): column -> array (text decoded)."""
    import h5py

    path = Path(path)
    if path.is_dir():
        path = path / "index.h5"
    if not path.is_file():
        raise SnnmemError(f"no sweep index: {path}")
    with h5py.File(path, "r") as h5:
        if h5.attrs.get("format") != INDEX_FORMAT:
            raise SnnmemError(f"{path}: not an snnmem sweep index")
        data = h5["points"][()]
        grid = json.loads(h5.attrs["grid"])
    table = {}
    for column in data.dtype.names:
        values = data[column]
        table[column] = np.array([v.decode() for v in values], dtype=object) if values.dtype.kind == "S" else values
    table["_grid_keys"] = np.array(list(grid), dtype=object)
    return table


# --------------------------------------------------------------------------- progress
class _Progress:
    """tqdm on a terminal, plain log lines otherwise (cluster logs)."""

    def __init__(self, total: int, done: int, show: bool | None) -> None:
        self.total, self.done, self.failed = total, done, 0
        self.started = time.monotonic()
        self.first_done = done
        tty = sys.stderr.isatty() if show is None else show
        self.bar = None
        if tty:
            from tqdm import tqdm

            self.bar = tqdm(total=total, initial=done, unit="point", file=sys.stderr, dynamic_ncols=True)
            self._postfix()

    def _postfix(self) -> None:
        if self.bar is not None:
            self.bar.set_postfix_str(f"done {self.done - self.failed} / failed {self.failed} / "
                                     f"remaining {self.total - self.done}")

    def update(self, point: Point, row: Mapping[str, Any]) -> None:
        self.done += 1
        self.failed += row["status"] == "failed"
        if self.bar is not None:
            self.bar.update(1)
            self._postfix()
            if row["status"] == "failed":
                self.bar.write(f"point {point.name} failed: {row['error']}")
            return
        finished = self.done - self.first_done
        remaining = self.total - self.done
        eta = (time.monotonic() - self.started) / finished * remaining if finished else math.nan
        note = "compiled" if row.get("compiled") == 1 else "no compile"
        message = (f"[sweep] {self.done}/{self.total}: done {self.done - self.failed}, failed {self.failed}, "
                   f"remaining {remaining}, ETA {_duration(eta)} | {point.name}: {row['status']} "
                   f"({row.get('wall_s', math.nan):.1f} s, {note})")
        if row["status"] == "failed":
            message += f": {row['error']}"
        print(message, file=sys.stderr, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _duration(seconds: float) -> str:
    if not math.isfinite(seconds):
        return "?"
    minutes, secs = divmod(int(round(seconds)), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m" if hours else f"{minutes}m{secs:02d}s"


# --------------------------------------------------------------------------- clusters
def _make_client(cluster: ClusterSpec, out: Path, retries: int):
    """A Dask client (and the cluster it owns, or None) for this sweep."""
    import dask
    from distributed import Client

    dask.config.set({"distributed.scheduler.allowed-failures": retries})
    if cluster.kind == "local":
        from distributed import LocalCluster

        owned = LocalCluster(n_workers=cluster.workers, threads_per_worker=1, processes=True,
                             dashboard_address=None, memory_limit=None)
        return Client(owned), owned
    if cluster.kind == "slurm":
        try:
            from dask_jobqueue import SLURMCluster
        except ImportError:  # pragma: no cover - a dependency
            raise SnnmemError("cluster 'slurm' needs dask-jobqueue (pip install dask-jobqueue)") from None
        log_directory = cluster.log_directory or str(out / "slurm-logs")
        owned = SLURMCluster(
            queue=cluster.queue, account=cluster.account, walltime=cluster.walltime, memory=cluster.memory,
            cores=cluster.cores, processes=cluster.processes, job_extra_directives=list(cluster.job_extra),
            log_directory=log_directory, local_directory=cluster.local_directory, python=sys.executable,
            worker_extra_args=["--nthreads", "1"], scheduler_options={"dashboard_address": None},
        )
        owned.scale(n=cluster.workers)
        return Client(owned), owned
    return Client(cluster.kind), None


# --------------------------------------------------------------------------- the sweep
@dataclass
class SweepResult:
    """What a sweep did: the folder, the points and their index rows."""

    out: Path
    points: list[Point]
    rows: dict[int, dict[str, Any]]

    @property
    def n_done(self) -> int:
        return sum(r["status"] == "done" for r in self.rows.values())

    @property
    def n_failed(self) -> int:
        return sum(r["status"] == "failed" for r in self.rows.values())

    @property
    def index(self) -> dict[str, np.ndarray]:
        return read_index(self.out)


def sweep(model: str | Path | SweepSpec, grid: Mapping[str, Any] | Sequence[str] | None = None,
          seeds: Any = None, overrides: Mapping[str, Any] | None = None, out: str | Path | None = None,
          cluster: Any = None, workers: int | None = None, resume: bool = False, retries: int | None = None,
          progress: bool | None = None, cache_dir: str | Path | None = None) -> SweepResult:
    """Run a grid of parameter values x seeds on Dask; one run file per point plus an index.

    Parameters
    ----------
    model
        A model file (TOML), a sweep file (with a ``[sweep]`` table; the other
        arguments then replace its settings), or a :class:`SweepSpec`.
    grid
        ``{"conductances.g_ee_nmda": ["0.36 nS", "0.4 nS"], "connectivity.sigma_deg":
        "14:18:3"}``: each key a list of values or ``"START:STOP:N"``; or a list of
        ``"KEY=V1,V2"`` strings.
    seeds
        ``"0-3"``, ``[1, 5]`` or a count (default: the sweep file's, else seed 0).
    overrides
        Fixed dotted-key overrides applied to every point.
    out
        The sweep folder: run files, ``index.h5``, ``index.csv``.
    cluster
        ``"local"`` (a :class:`distributed.LocalCluster`), ``"slurm"`` (a
        :class:`dask_jobqueue.SLURMCluster`), a scheduler address, a
        :class:`ClusterSpec`, or a :class:`distributed.Client` to use as is (default:
        the sweep file's, else ``"local"``).
    workers
        Number of workers (default 2).
    resume
        Skip points whose run file is complete. Without it, a folder that already
        holds a sweep index is refused.
    retries
        How many times a point is rerun after its worker died (default: the sweep
        file's, else 3). Arguments left at ``None`` never replace a sweep file's setting.
    progress
        Progress bar (True), log lines (False); default: a bar on a terminal.
    cache_dir
        Root of the workers' cache folders (default ``$SNNMEM_CACHE_DIR`` or
        ``~/.cache/snnmem``).

    Returns
    -------
    SweepResult
    """
    from .config import load_model
    from .simulation import cache_dir as default_cache

    client_given = None
    if not isinstance(model, SweepSpec):
        if hasattr(cluster, "submit") and hasattr(cluster, "scheduler_info"):
            client_given, cluster = cluster, "local"
        if is_sweep_file(model):
            spec = load_sweep(model, grid=grid, seeds=seeds, overrides=overrides, out=out, cluster=cluster,
                              workers=workers, retries=retries)
        else:
            spec = make_spec(model, grid, _given(seeds, (0,)), overrides, out, _given(cluster, "local"), workers,
                             _given(retries, 3))
    else:
        spec = model
    points = spec.points()
    spec.out.mkdir(parents=True, exist_ok=True)
    if is_sweep_dir(spec.out) and not resume:
        raise ConfigError(f"{spec.out} already holds a sweep (index.h5): use resume to finish it, or another out")
    cache_root = str(Path(cache_dir) if cache_dir else default_cache())

    rows: dict[int, dict[str, Any]] = {}
    todo = []
    for point in points:
        existing = None
        if resume:
            resolved = load_model(spec.model, dict(spec.overrides, **point.params))  # as run_point loads it
            existing = _read_run_row(spec.out / point.file, resolved.sha256)
        if existing is not None:
            rows[point.index] = dict(existing, resumed=1)
        else:
            todo.append(point)
    write_index(spec, points, rows, "running")
    log.info("sweep %s: %d points, %d to run", spec.out, len(points), len(todo))
    progress_display = _Progress(len(points), len(points) - len(todo), progress)
    state = "interrupted"
    try:
        if todo:
            _execute(spec, points, todo, rows, progress_display, cache_root, client_given)
        state = "complete" if all(rows.get(p.index, {}).get("status") == "done" for p in points) else "failed"
    finally:
        progress_display.close()
        write_index(spec, points, rows, state)
        _remove_stale_temporaries(spec.out)
    return SweepResult(spec.out, points, rows)


def _execute(spec, points, todo, rows, display, cache_root, client_given) -> None:
    from distributed import as_completed

    if client_given is not None:
        client, owned = client_given, None
    else:
        client, owned = _make_client(spec.cluster, spec.out, spec.retries)
    try:
        client.register_plugin(_import_brian2_plugin())
        futures = {}
        for point in todo:
            overrides = dict(spec.overrides, **point.params)
            future = client.submit(run_point, str(spec.model.resolve()), overrides, point.seed,
                                   str((spec.out / point.file).resolve()), cache_root,
                                   key=f"snnmem-point-{point.index}-{point.name}"[:200], pure=False)
            futures[future] = point
        for future in as_completed(futures):
            point = futures.pop(future)
            try:
                row = future.result()
            except Exception as error:  # noqa: BLE001 - KilledWorker after the retries, or a lost connection
                row = {"status": "failed", "compiled": -1, "scores": {}, "wall_s": math.nan,
                       "error": f"{type(error).__name__}: {error}"[:2000], "worker": ""}
            rows[point.index] = row
            write_index(spec, points, rows, "running")
            display.update(point, row)
    finally:
        if owned is not None:
            client.close()
            owned.close()


def _remove_stale_temporaries(folder: Path) -> None:
    """Temporary files of run files whose worker was killed while writing."""
    for stale in folder.glob(".*.h5.*.tmp"):
        try:
            stale.unlink()
        except OSError:
            pass
