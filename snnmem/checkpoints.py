"""Checkpoints of long standalone runs: a killed run resumes from its last checkpoint, same result.

With ``simulation.checkpoint_interval`` > 0 the ``cpp_standalone`` binary saves the whole
state of the network every interval of biological time into a checkpoint folder:
every state variable, every synapse, the spike monitors' spikes so far, the spike
queues of delayed synapses and the state of the random number generators (C++ generated
for the build by :func:`snnmem._brian2_private.checkpoint_source`). It does so at the
start of a time step, before any other object of the step, so that the state is the one
between two steps. Snapshot streams (:mod:`snnmem.circuits.snapshot_stream`) are
written into the same folder, and the checkpoint records how long each was.

A run started again with ``resume=True`` (``snnmem run --resume``) builds the same
network, skips the protocol up to the checkpoint, reads the state back at that step,
cuts the snapshot streams to their recorded length and runs on: the spikes, weights and
scores are those of a run that was never stopped (``tests/test_checkpoints.py`` checks
this bit for bit). The checkpoint is written to a temporary file and renamed, so a run
killed while writing one keeps the previous one. The folder is deleted once the run has
completed; an interrupted run (Ctrl-C, SIGTERM, a killed process) leaves it.

The folder records the model (its SHA-256) and the seed; resuming with another model or
seed is refused, and so is starting afresh over an interrupted run's checkpoint (resume
it, or delete the folder).
"""

from __future__ import annotations

import json
import os
import shutil
import struct
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .config import ModelSpec
from .errors import ConfigError

__all__ = ["Checkpoint", "CheckpointCode", "default_folder", "read_state_header"]

#: the state file the binary writes (and renames into place when complete)
STATE = "state.bin"
#: what the folder belongs to (model hash, seed), written by Python when a run starts
META = "checkpoint.json"
#: environment variables read by the binary
FOLDER_ENV, RESUME_ENV, STREAM_ENV = "SNNMEM_CHECKPOINT_DIR", "SNNMEM_RESUME_T", "SNNMEM_STREAM_DIR"
_MAGIC = b"SNNMCKP1"
_HEADER = """#ifndef SNNMEM_CHECKPOINT_H
#define SNNMEM_CHECKPOINT_H
/* snnmem checkpoints: saves (or, at the resumed time, restores) the network's state; returns 0 */
double snnmem_checkpoint(double t);
#endif
"""


def default_folder(model: ModelSpec, seed: int) -> Path:
    """The checkpoint folder of a model and seed in snnmem's cache (``$SNNMEM_CACHE_DIR/checkpoints``)."""
    from .simulation import cache_dir

    return cache_dir() / "checkpoints" / f"{model.name}-{model.sha256[:12]}-seed{int(seed)}"


def read_state_header(path: Path) -> tuple[float, dict[str, int]]:
    """``(t, {stream file name: bytes})`` of a checkpoint's state file: its time and snapshot stream lengths.

    Raises ConfigError naming the file when it is not a complete snnmem checkpoint header.
    """
    path = Path(path)
    try:
        with open(path, "rb") as handle:
            if handle.read(len(_MAGIC)) != _MAGIC:
                raise ConfigError(f"{path} is not an snnmem checkpoint")
            (t,) = struct.unpack("<d", _read_item(handle, "t", path))
            (count,) = struct.unpack("<Q", _read_item(handle, "streams", path))
            streams = {}
            for _ in range(count):
                name, value = _read_named(handle, path)
                if not name.startswith("stream:"):
                    raise ConfigError(f"{path} is damaged (stream {name!r})")
                streams[name[len("stream:") :]] = struct.unpack("<Q", value)[0]
    except OSError as error:
        raise ConfigError(f"cannot read the checkpoint {path} ({error.strerror})") from None
    return float(t), streams


def _read_named(handle: Any, path: Path) -> tuple[str, bytes]:
    head = handle.read(4)
    if len(head) < 4:
        raise ConfigError(f"{path} is truncated")
    (length,) = struct.unpack("<I", head)
    if length > 4096:
        raise ConfigError(f"{path} is damaged")
    name = handle.read(length).decode("utf-8", "replace")
    size_bytes = handle.read(8)
    if len(size_bytes) < 8:
        raise ConfigError(f"{path} is truncated")
    (size,) = struct.unpack("<Q", size_bytes)
    if size > 1 << 20:
        raise ConfigError(f"{path} is damaged ({name})")
    value = handle.read(size)
    if len(value) < size:
        raise ConfigError(f"{path} is truncated")
    return name, value


def _read_item(handle: Any, expected: str, path: Path) -> bytes:
    name, value = _read_named(handle, path)
    if name != expected:
        raise ConfigError(f"{path} is damaged (found {name!r} where {expected!r} belongs)")
    return value


@dataclass(frozen=True)
class Checkpoint:
    """The checkpoint folder of one run (a model and a seed).

    Parameters
    ----------
    folder
        Where the binary writes its state and snapshot streams.
    interval_s
        Biological time between two checkpoints.
    model_sha256, seed
        What the folder belongs to.
    """

    folder: Path
    interval_s: float
    model_sha256: str
    seed: int

    @classmethod
    def for_run(cls, model: ModelSpec, seed: int, folder: str | Path | None) -> "Checkpoint | None":
        """The checkpoint of a run of ``model`` (None when ``simulation.checkpoint_interval`` is 0)."""
        interval = float(model["simulation.checkpoint_interval"])
        if interval <= 0:
            return None
        if model["simulation.device"] != "cpp_standalone":
            raise ConfigError("simulation.checkpoint_interval needs simulation.device = 'cpp_standalone'")
        dt = float(model["simulation.dt"])
        steps = interval / dt
        if abs(steps - round(steps)) > 1e-6 * steps:
            raise ConfigError(
                f"simulation.checkpoint_interval ({interval:g} s) must be a whole number of time steps ({dt:g} s)"
            )
        path = Path(folder) if folder is not None else default_folder(model, seed)
        return cls(path, interval, model.sha256, int(seed))

    @property
    def state(self) -> Path:
        """The state file (present once the binary has written a checkpoint)."""
        return self.folder / STATE

    def prepare(self, resume: bool) -> float | None:
        """Before the build: the time to resume from, or None for a run from the start (folder made ready).

        Raises ConfigError (nothing deleted) when the folder holds another run's checkpoint,
        or an interrupted run's checkpoint and ``resume`` is False.
        """
        if self.folder.exists() and not self.folder.is_dir():
            raise ConfigError(f"checkpoint folder {self.folder} is a file")
        if self.state.is_file():
            self._check_owner()
            t, streams = read_state_header(self.state)
            if not resume:
                raise ConfigError(
                    f"{self.folder} holds the checkpoint of an interrupted run of this model and seed "
                    f"(at {t:g} s): resume it (resume=True, snnmem run --resume) or delete the folder"
                )
            self._cut_streams(streams)
            return t
        if self.folder.is_dir():
            self._check_owner()
            shutil.rmtree(self.folder)  # an earlier start that wrote no checkpoint yet
        self.folder.mkdir(parents=True)
        meta = {"model_sha256": self.model_sha256, "seed": self.seed, "interval_s": self.interval_s, **_versions()}
        (self.folder / META).write_text(json.dumps(meta, indent=1) + "\n")
        return None

    def _check_owner(self) -> None:
        meta_path = self.folder / META
        try:
            meta = json.loads(meta_path.read_text())
            owner = (meta["model_sha256"], int(meta["seed"]))
        except (OSError, ValueError, KeyError, TypeError):
            raise ConfigError(
                f"{self.folder} is not an snnmem checkpoint folder ({META} missing or damaged); "
                "choose another folder or delete it"
            ) from None
        if owner != (self.model_sha256, self.seed):
            raise ConfigError(
                f"{self.folder} holds the checkpoint of another run (model {owner[0][:12]}, seed {owner[1]}; "
                f"this is model {self.model_sha256[:12]}, seed {self.seed}): choose another folder or delete it"
            )
        changed = {key: (meta.get(key), now) for key, now in _versions().items() if meta.get(key) != now}
        if changed:
            told = ", ".join(f"{key} {was} -> {now}" for key, (was, now) in changed.items())
            raise ConfigError(
                f"{self.folder} was written by other software ({told}): its state fits another build; "
                "resume it with the versions that wrote it, or delete the folder"
            )

    def _cut_streams(self, streams: dict[str, int]) -> None:
        """Cut each snapshot stream back to its length at the checkpoint (the resumed run appends)."""
        for name, size in streams.items():
            path = self.folder / name
            if not path.is_file() or path.stat().st_size < size:
                raise ConfigError(
                    f"the snapshot stream {path} is missing or shorter than at the checkpoint: cannot resume"
                )
            with open(path, "r+b") as handle:
                handle.truncate(size)

    @contextmanager
    def environment(self, resume_t: float | None) -> Iterator[None]:
        """The binary's environment while it runs: the folder, and the time to resume from."""
        values = {FOLDER_ENV: str(self.folder.resolve()), STREAM_ENV: str(self.folder.resolve())}
        if resume_t is not None:
            values[RESUME_ENV] = repr(float(resume_t))
        previous = {key: os.environ.get(key) for key in (FOLDER_ENV, STREAM_ENV, RESUME_ENV)}
        os.environ.update(values)
        if resume_t is None:
            os.environ.pop(RESUME_ENV, None)
        try:
            yield
        finally:
            for key, value in previous.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value

    def remove(self) -> None:
        """Delete the folder (the run it belonged to has completed)."""
        shutil.rmtree(self.folder, ignore_errors=True)


class CheckpointCode:
    """The Brian2 objects that write checkpoints in a ``cpp_standalone`` build.

    A one-cell group whose ``run_regularly`` operation calls the C++ function
    ``snnmem_checkpoint(t)`` every ``interval_s``, at the start of the step, before every
    other object (``when="start"``, lowest order). The function's source depends on every
    array of the build; :meth:`write_source` writes it just before the build.
    """

    #: ``order`` of the operation: before any other object in the ``start`` slot
    ORDER = -1_000_000

    def __init__(self, b2: Any, build_dir: Path, interval_s: float) -> None:
        self.build_dir = Path(build_dir).resolve()
        self.header = self.build_dir / "snnmem_checkpoint.h"
        self.source = self.build_dir / "snnmem_checkpoint.cpp"
        _write_if_changed(self.header, _HEADER)
        function = b2.Function(
            _python_placeholder, arg_units=[b2.second], return_unit=1, arg_types=["float"], return_type="float"
        )
        function.implementations.add_implementation(
            "cpp",
            "",
            name="snnmem_checkpoint",
            compiler_kwds={"headers": [f'"{self.header}"'], "sources": [str(self.source)]},
        )
        self.group = b2.NeuronGroup(
            1, "snnmem_checkpoint_done : 1", name="snnmem_checkpoint", namespace={"snnmem_checkpoint": function}
        )
        self.operation = self.group.run_regularly(
            "snnmem_checkpoint_done = snnmem_checkpoint(t)",
            dt=interval_s * b2.second,
            when="start",
            order=self.ORDER,
            name="snnmem_checkpoint_write",
        )
        self.objects = [self.group]

    def write_source(self, device: Any, synapses: list[Any]) -> None:
        """Write the C++ source for this build (after every object exists, before the build)."""
        from ._brian2_private import checkpoint_source

        _write_if_changed(self.source, checkpoint_source(device, synapses, f'"{self.header}"'))


def _versions() -> dict[str, str]:
    """The versions a checkpoint depends on (its layout is that of the build that wrote it)."""
    from importlib.metadata import version

    from . import __version__

    return {"snnmem": __version__, "brian2": version("brian2")}


def _write_if_changed(path: Path, text: str) -> None:
    """Write a file only when its text changes (``make`` recompiles what is newer)."""
    if path.is_file() and path.read_text() == text:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def _python_placeholder(t: Any) -> Any:  # pragma: no cover - standalone code only
    raise NotImplementedError("checkpoints are written by the cpp_standalone binary only")
