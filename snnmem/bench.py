"""``snnmem bench``: every model x every memory task that applies x seeds, in one table.

Each (model, task) cell is a sweep over seeds (:func:`snnmem.sweep`) with the model's
circuit under the task's default protocol (``task.name`` set, nothing else changed), so
every model meets the same protocol; all cells share one Dask client (a local cluster
by default, SLURM with ``cluster="slurm"``). A task that does not apply to a model
(no stimulus port, no global input) gets a row saying why.

Outputs in ``out``: one sweep folder per cell (``<model>/<task>/``, run files and an
index), and the table as ``bench.h5`` (one row per cell), ``bench.csv``,
``bench.md`` and the figure ``bench.png``.
"""

from __future__ import annotations

import csv
import io
import math
import os
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping, Sequence

import numpy as np

from .errors import ConfigError

__all__ = ["BenchRow", "bench", "default_models", "write_table"]


@dataclass
class BenchRow:
    """One model x task cell of the table."""

    model: str
    circuit: str
    task: str
    applies: bool
    reason: str = ""
    seeds: list[int] = field(default_factory=list)
    scores: dict[str, list[float]] = field(default_factory=dict)  # headline score -> value per seed
    failed: int = 0
    wall_s: float = math.nan

    def summary(self, score: str) -> str:
        """``mean ± sd (n)`` of one headline score, or ``n/a``."""
        values = np.asarray(self.scores.get(score, []), dtype=float)
        values = values[np.isfinite(values)]
        if not values.size:
            return "n/a"
        spread = f" ± {values.std(ddof=1):.2g}" if values.size > 1 else ""
        return f"{values.mean():.3g}{spread}"


def default_models() -> list[Path]:
    """The shipped model files (``models/*.toml``, not the long variants), sorted."""
    from .installed import models_folder

    folder = models_folder()
    models = sorted(folder.glob("*.toml"))
    if not models:
        raise ConfigError(f"no model files in {folder}; name them explicitly")
    return models


def _plan(models: Sequence[Path], tasks: Sequence[str], overrides: Mapping[str, Any]) -> list[tuple[BenchRow, Path]]:
    """Validate every cell before anything runs: applicable cells and rows that say why not."""
    from . import registry
    from .config import load_model

    plan = []
    for path in models:
        base = load_model(path, overrides)  # a bad model file or override fails here, before any cell runs
        circuit = registry.get("circuit", base.circuit)
        for name in tasks:
            task = registry.get("task", name)
            reason = task.applies_to(circuit)
            row = BenchRow(
                model=base.name, circuit=base.circuit, task=name, applies=reason is None, reason=reason or ""
            )
            if reason is None:
                load_model(path, {**overrides, "task.name": name})
            plan.append((row, path))
    return plan


def bench(
    models: Sequence[str | Path] | None = None,
    tasks: Sequence[str] | None = None,
    seeds: Any = "1-3",
    out: str | Path = "bench",
    overrides: Mapping[str, Any] | None = None,
    cluster: Any = "local",
    workers: int = 2,
    resume: bool = False,
    progress: bool | None = False,
    command: str | None = None,
) -> list[BenchRow]:
    """Run every model x applicable task x seed and write the table (see the module docstring).

    Parameters
    ----------
    models
        Model files (default: :func:`default_models`).
    tasks
        Task names (default: every registered task).
    seeds
        ``"1-3"``, a list, or a count (as :func:`snnmem.sweep`).
    out
        Output folder.
    overrides
        Dotted-key overrides for every model (e.g. smaller networks for a quick table).
    cluster, workers
        Where the runs go (as :func:`snnmem.sweep`): one client serves every cell.
    resume
        Keep complete run files of an earlier bench in ``out`` (rerun only the missing ones).
    progress
        Print a line per finished cell.
    command
        The command line that made the table, written at the top of ``bench.md``.

    Returns
    -------
    list of BenchRow
    """
    from . import registry
    from .sweeps import cluster_client, parse_seeds, sweep

    out = Path(out)
    models = [Path(m) for m in models] if models else default_models()
    tasks = list(tasks) if tasks else list(registry.names("task"))
    overrides = dict(overrides or {})
    seed_list = list(parse_seeds(seeds))
    plan = _plan(models, tasks, overrides)
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()

    def run_cell(row: BenchRow, path: Path, client: Any) -> BenchRow:
        t0 = time.perf_counter()
        result = sweep(
            path,
            seeds=seed_list,
            overrides={**overrides, "task.name": row.task},
            out=out / row.model / row.task,
            cluster=client,
            resume=resume,
            progress=False,
        )
        headline = registry.get("task", row.task).headline
        for point in result.points:
            scores = result.rows.get(point.index, {}).get("scores", {})
            if result.rows.get(point.index, {}).get("status") != "done":
                row.failed += 1
                continue
            row.seeds.append(point.seed)
            for name in headline:
                if name in scores:
                    row.scores.setdefault(name, []).append(float(scores[name]))
        row.wall_s = time.perf_counter() - t0
        if progress:
            print(
                f"bench: {row.model} x {row.task}: {len(row.seeds)} seeds done, {row.failed} failed "
                f"({row.wall_s:.0f} s)",
                flush=True,
            )
        return row

    runnable = [(row, path) for row, path in plan if row.applies]
    if runnable:
        with cluster_client(cluster, workers, out) as client:
            with ThreadPoolExecutor(max_workers=len(runnable)) as pool:  # cells share the client's workers
                list(pool.map(lambda cell: run_cell(*cell, client), runnable))
    rows = [row for row, _ in plan]
    write_table(rows, out, seed_list, time.perf_counter() - started, command)
    return rows


def _headlines(rows: Sequence[BenchRow]) -> dict[str, tuple[str, ...]]:
    from . import registry

    return {task: registry.get("task", task).headline for task in dict.fromkeys(row.task for row in rows)}


def markdown(rows: Sequence[BenchRow], seeds: Sequence[int], wall_s: float, command: str | None = None) -> str:
    """The table as Markdown: one section per task, one row per model."""
    import platform

    from . import __version__, registry

    lines = [
        f"Made by `{command}`" if command else "Made by `snnmem.bench.bench(...)`",
        "",
        f"snnmem {__version__}, {platform.machine()}, {os.cpu_count()} cores; "
        f"seeds {', '.join(map(str, seeds))}; mean ± sd over seeds; wall time {wall_s / 60:.1f} min.",
        "",
    ]
    for task, headline in _headlines(rows).items():
        lines += [
            f"## {task}",
            "",
            registry.get("task", task).summary,
            "",
            "| model | circuit | " + " | ".join(headline) + " | seeds |",
            "|---|---|" + "---|" * len(headline) + "---|",
        ]
        for row in (r for r in rows if r.task == task):
            if not row.applies:
                lines.append(
                    f"| {row.model} | {row.circuit} | "
                    + " | ".join("n/a" for _ in headline)
                    + f" | does not apply: {row.reason} |"
                )
                continue
            failed = f", {row.failed} failed" if row.failed else ""
            lines.append(
                f"| {row.model} | {row.circuit} | "
                + " | ".join(row.summary(s) for s in headline)
                + f" | {len(row.seeds)}{failed} |"
            )
        lines.append("")
    return "\n".join(lines)


def write_table(
    rows: Sequence[BenchRow], out: Path, seeds: Sequence[int], wall_s: float, command: str | None = None
) -> None:
    """``bench.h5``, ``bench.csv``, ``bench.md`` and ``bench.png`` in ``out``."""
    import h5py

    names = sorted({name for headline in _headlines(rows).values() for name in headline})
    columns: dict[str, list] = {
        "model": [],
        "circuit": [],
        "task": [],
        "applies": [],
        "reason": [],
        "n_seeds": [],
        "failed": [],
        "wall_s": [],
    }
    for name in names:
        columns[f"{name}_mean"], columns[f"{name}_sd"] = [], []
    for row in rows:
        for key, value in (
            ("model", row.model),
            ("circuit", row.circuit),
            ("task", row.task),
            ("applies", int(row.applies)),
            ("reason", row.reason),
            ("n_seeds", len(row.seeds)),
            ("failed", row.failed),
            ("wall_s", row.wall_s),
        ):
            columns[key].append(value)
        for name in names:
            values = np.asarray(row.scores.get(name, []), dtype=float)
            columns[f"{name}_mean"].append(float(values.mean()) if values.size else math.nan)
            columns[f"{name}_sd"].append(float(values.std(ddof=1)) if values.size > 1 else math.nan)
    with h5py.File(out / "bench.h5", "w") as h5:
        h5.attrs["seeds"] = np.asarray(seeds, dtype=np.int64)
        h5.attrs["wall_s"] = float(wall_s)
        for key, values in columns.items():
            data = np.asarray(values, dtype=h5py.string_dtype()) if isinstance(values[0], str) else np.asarray(values)
            h5.create_dataset(key, data=data)
        for row in rows:
            for name, values in row.scores.items():
                h5.create_dataset(f"per_seed/{row.model}/{row.task}/{name}", data=np.asarray(values, dtype=float))
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(list(columns))
    writer.writerows(zip(*columns.values()))
    (out / "bench.csv").write_text(buffer.getvalue())
    (out / "bench.md").write_text(markdown(rows, seeds, wall_s, command))
    from .plot import save_figure
    from .plot.bench import bench_figure

    save_figure(bench_figure(rows), out / "bench.png")
