"""What runs on a Dask worker: its own cache folders, the first build under a lock, one point."""

from __future__ import annotations

import logging
import math
import os
import re
import socket
import sys
import time
from pathlib import Path
from typing import Any, Mapping


if sys.version_info >= (3, 11):
    pass
else:  # pragma: no cover
    pass


log = logging.getLogger("snnmem.sweeps")


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

    from ..simulation import _structure_key, cache_dir

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
        from ..config import load_model
        from ..simulation import simulate

        spec = load_model(model, overrides)
        lock = _first_build(spec)
        # a model with checkpoints keeps them beside the point's run file (any worker finds them):
        # a point of an interrupted sweep goes on from its last checkpoint
        checkpoints = Path(f"{path}.checkpoint") if float(spec["simulation.checkpoint_interval"]) > 0 else None
        try:
            run = simulate(spec, seed=seed, checkpoint_dir=checkpoints, resume=checkpoints is not None)
        finally:
            if lock is not None:
                lock.release()
        run.save(path)
        row.update(
            status="done",
            compiled=int(run.provenance.get("compiled", -1)),
            build_s=float(run.provenance.get("wall_build_s", math.nan)),
            scores=dict(run.scores),
            error="",
        )
    except Exception as error:  # noqa: BLE001 - recorded in the index, not dropped
        row.update(
            status="failed", compiled=-1, build_s=math.nan, scores={}, error=f"{type(error).__name__}: {error}"[:2000]
        )
    row["wall_s"] = time.perf_counter() - started
    return row


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
            return {
                "status": "done",
                "compiled": int(provenance.get("compiled", -1)),
                "build_s": float(provenance.get("wall_build_s", math.nan)),
                "wall_s": float(provenance.get("wall_total_s", math.nan)),
                "scores": {k: float(v) for k, v in h5["scores"].attrs.items()},
                "error": "",
                "worker": "",
            }
    except (OSError, KeyError, ValueError):
        return None
