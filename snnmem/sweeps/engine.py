"""The sweep itself: submit the points, follow them, write the index, report progress."""

from __future__ import annotations

import hashlib
import logging
import math
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Sequence

import numpy as np

from ..atomic import remove_stale_temporaries
from ..errors import ConfigError, EnvironmentFailure

if sys.version_info >= (3, 11):
    pass
else:  # pragma: no cover
    pass
from .cluster import _make_client
from .index import is_sweep_dir, read_index, read_settings, settings_of, write_index
from .spec import Point, SweepSpec, _given, is_sweep_file, load_sweep, make_spec
from .worker import _import_brian2_plugin, _read_run_row, run_point

log = logging.getLogger("snnmem.sweeps")


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
            self.bar.set_postfix_str(
                f"done {self.done - self.failed} / failed {self.failed} / remaining {self.total - self.done}"
            )

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
        message = (
            f"[sweep] {self.done}/{self.total}: done {self.done - self.failed}, failed {self.failed}, "
            f"remaining {remaining}, ETA {_duration(eta)} | {point.name}: {row['status']} "
            f"({row.get('wall_s', math.nan):.1f} s, {note})"
        )
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


def sweep(
    model: str | Path | SweepSpec,
    grid: Mapping[str, Any] | Sequence[str] | None = None,
    seeds: Any = None,
    overrides: Mapping[str, Any] | None = None,
    out: str | Path | None = None,
    cluster: Any = None,
    workers: int | None = None,
    resume: bool = False,
    overwrite: bool = False,
    retries: int | None = None,
    progress: bool | None = None,
    cache_dir: str | Path | None = None,
) -> SweepResult:
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
        holds a sweep index is refused; with it, so is a folder whose sweep had other
        settings (model, grid, seeds, overrides).
    overwrite
        Start anew in a folder that holds a sweep: its index and the run files it lists
        are deleted first.
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
    from ..config import load_model
    from ..simulation import cache_dir as default_cache

    client_given = None
    if not isinstance(model, SweepSpec):
        if hasattr(cluster, "submit") and hasattr(cluster, "scheduler_info"):
            client_given, cluster = cluster, "local"
        if is_sweep_file(model):
            spec = load_sweep(
                model,
                grid=grid,
                seeds=seeds,
                overrides=overrides,
                out=out,
                cluster=cluster,
                workers=workers,
                retries=retries,
            )
        else:
            spec = make_spec(
                model, grid, _given(seeds, (0,)), overrides, out, _given(cluster, "local"), workers, _given(retries, 3)
            )
    else:
        spec = model
    points = spec.points()
    if spec.out.exists() and not spec.out.is_dir():
        raise ConfigError(f"out = {spec.out} is a file; a sweep writes a folder (run files, index.h5, index.csv)")
    try:
        spec.out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise EnvironmentFailure(f"cannot create the sweep folder {spec.out} ({error.strerror})") from None
    if is_sweep_dir(spec.out):
        if overwrite:
            _remove_sweep(spec.out)
        elif not resume:
            raise ConfigError(
                f"{spec.out} already holds a sweep (index.h5): use resume to finish it, overwrite to start anew, "
                "or another out"
            )
        else:
            _check_same_settings(spec)
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
        remove_stale_temporaries(spec.out, "*.h5")
    return SweepResult(spec.out, points, rows)


def _execute(spec, points, todo, rows, display, cache_root, client_given) -> None:
    from distributed import as_completed

    if client_given is not None:
        client, owned = client_given, None
    else:
        client, owned = _make_client(spec.cluster, spec.out, spec.retries)
    try:
        client.register_plugin(_import_brian2_plugin())
        # Dask keys are global to the scheduler: sweeps sharing a client (snnmem bench) must not share keys
        folder_tag = hashlib.sha256(str(spec.out.resolve()).encode()).hexdigest()[:10]
        futures = {}
        for point in todo:
            overrides = dict(spec.overrides, **point.params)
            future = client.submit(
                run_point,
                str(spec.model.resolve()),
                overrides,
                point.seed,
                str((spec.out / point.file).resolve()),
                cache_root,
                key=f"snnmem-point-{folder_tag}-{point.index}-{point.name}"[:200],
                pure=False,
            )
            futures[future] = point
        for future in as_completed(futures):
            point = futures.pop(future)
            try:
                row = future.result()
            except Exception as error:  # noqa: BLE001 - KilledWorker after the retries, or a lost connection
                row = {
                    "status": "failed",
                    "compiled": -1,
                    "scores": {},
                    "wall_s": math.nan,
                    "error": f"{type(error).__name__}: {error}"[:2000],
                    "worker": "",
                }
            rows[point.index] = row
            write_index(spec, points, rows, "running")
            display.update(point, row)
    finally:
        if owned is not None:
            client.close()
            owned.close()


def _check_same_settings(spec: SweepSpec) -> None:
    """Resume only the sweep that was started: the same model, grid, seeds and overrides."""
    previous = read_settings(spec.out)
    current = settings_of(spec)
    changed = [key for key in current if previous.get(key) != current[key]]
    if changed:
        raise ConfigError(
            f"{spec.out}: resume with other settings than the sweep there ({', '.join(changed)} changed): "
            "resuming would mix two sweeps; use overwrite to start anew, or another out"
        )


def _remove_sweep(folder: Path) -> None:
    """Delete a sweep's index and the run files it lists (``overwrite``)."""
    table = read_index(folder)
    for name in table["file"]:
        (folder / str(name)).unlink(missing_ok=True)
    for name in ("index.h5", "index.csv"):
        (folder / name).unlink(missing_ok=True)
