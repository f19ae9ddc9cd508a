"""The sweep index: ``index.h5`` and ``index.csv``, one row per point, rewritten atomically."""

from __future__ import annotations

import csv
import datetime as _dt
import io
import json
import math
from pathlib import Path
from typing import Any, Mapping, Sequence

import numpy as np

from ..atomic import atomic_write
from ..errors import SnnmemError
from .spec import Point, SweepSpec


INDEX_FORMAT = "snnmem-sweep"


INDEX_VERSION = 1


def _si(value: Any) -> float:
    """A grid value as a number in SI units (NaN when it is not a number)."""
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, (int, float)):
        return float(value)
    try:
        from ..units import parse_quantity

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
            table[key].append(
                value if isinstance(value, str) else repr(value) if isinstance(value, float) else str(value)
            )
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
        buffer = io.BytesIO()  # in memory first: a full disk is then an OSError, not a crash in HDF5
        with h5py.File(buffer, "w", track_order=True) as h5:
            h5.attrs.update(
                {
                    "format": INDEX_FORMAT,
                    "format_version": INDEX_VERSION,
                    "state": state,
                    **settings_of(spec),
                    "sweep_toml": spec.to_toml(),
                    "updated": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
                    "n_points": len(points),
                    "n_done": table["status"].count("done"),
                    "n_failed": table["status"].count("failed"),
                }
            )
            h5.create_dataset("points", data=data)
            runs = h5.create_group("runs", track_order=True)
            for point, status in zip(points, table["status"]):
                if status == "done":  # relative external link: resolved next to index.h5
                    runs[point.name] = h5py.ExternalLink(point.file, "/")
        with open(tmp, "wb") as handle:
            handle.write(buffer.getbuffer())

    def write_csv(tmp: str) -> None:
        with open(tmp, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(list(table))
            for values in zip(*table.values()):
                writer.writerow(["" if isinstance(v, float) and math.isnan(v) else v for v in values])

    atomic_write(out / "index.h5", write_h5, "the sweep index")
    atomic_write(out / "index.csv", write_csv, "the sweep index")


def settings_of(spec: SweepSpec) -> dict[str, str]:
    """What makes a sweep this sweep (stored in its index; ``resume`` must find the same)."""
    return {
        "model": str(Path(spec.model).resolve()),
        "grid": json.dumps({k: list(v) for k, v in spec.grid.items()}),
        "seeds": json.dumps(list(spec.seeds)),
        "overrides": json.dumps(dict(spec.overrides)),
    }


def read_settings(path: str | Path) -> dict[str, str]:
    """The :func:`settings_of` stored in a sweep folder's index."""
    import h5py

    index = _index_path(path)
    with _open_index(index, h5py) as h5:
        return {key: str(h5.attrs.get(key, "")) for key in ("model", "grid", "seeds", "overrides")}


def _index_path(path: str | Path) -> Path:
    path = Path(path)
    if path.is_dir():
        path = path / "index.h5"
    if not path.is_file():
        raise SnnmemError(f"no sweep index: {path}")
    return path


def _open_index(path: Path, h5py: Any) -> Any:
    """The index file open for reading; a damaged one is an error naming it, not a traceback."""
    try:
        h5 = h5py.File(path, "r")
    except OSError as error:
        raise SnnmemError(f"{path}: damaged sweep index, not readable HDF5 ({error}); rerun the sweep with overwrite")
    if h5.attrs.get("format") != INDEX_FORMAT:
        h5.close()
        raise SnnmemError(f"{path}: not an snnmem sweep index")
    return h5


def is_sweep_dir(path: str | Path) -> bool:
    """True when ``path`` is a folder holding a sweep index."""
    return (Path(path) / "index.h5").is_file()


class IndexTable(dict):
    """A sweep's index: column -> array, one row per point (``pandas.DataFrame(table)`` works).

    Attributes
    ----------
    grid_keys : list of str
        The sweep's grid keys, in the order of the grid (columns ``<key>`` hold the values
        as written, ``<key>_si`` the same in SI units).
    """

    def __init__(self, columns: Mapping[str, np.ndarray], grid_keys: Sequence[str]) -> None:
        super().__init__(columns)
        self.grid_keys = [str(key) for key in grid_keys]


def read_index(path: str | Path) -> IndexTable:
    """The index table of a sweep folder (or its ``index.h5``): column -> array (text decoded).

    Every column has one entry per point, so ``pandas.DataFrame(read_index(folder))`` is
    the table; the grid keys are :attr:`IndexTable.grid_keys`.
    """
    import h5py

    path = _index_path(path)
    with _open_index(path, h5py) as h5:
        try:
            data = h5["points"][()]
            grid = json.loads(h5.attrs["grid"])
        except (KeyError, OSError, ValueError) as error:
            raise SnnmemError(f"{path}: damaged sweep index ({error}); rerun the sweep with overwrite") from None
    table = {}
    for column in data.dtype.names:
        values = data[column]
        table[column] = np.array([v.decode() for v in values], dtype=object) if values.dtype.kind == "S" else values
    return IndexTable(table, list(grid))
