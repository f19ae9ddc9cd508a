"""Run a model: device choice, seeding, build, run, collect spikes -> :class:`Run`.

Devices
-------
``cpp_standalone`` (default): Brian2 writes and compiles a C++ project once per
model *structure* into a build folder, then runs the binary. The random seed is
read by the binary at start-up (environment variable ``SNNMEM_SEED``), so a new
seed does not recompile: eight seeds of a model cost one compilation. Build
folders live under ``$SNNMEM_CACHE_DIR`` (default ``~/.cache/snnmem``), one per
model name and network size, guarded by a file lock, so that concurrent
processes never share a half-written build.

Compile once, run many: a circuit may return a ``code_signature(spec, schedule)``
(what the generated code depends on: sizes, dt, duration, ...) and
``run_values(spec, schedule)`` (every other value, as ``"group.variable" -> value``). Such a circuit (the ring)
is built with placeholders and gets its values as Brian2 ``run_args`` when the
binary starts, so models that differ only in those values share one compiled
binary; the last compiled network stays in memory (``reuse=True``) and the next
simulation with the same signature reruns it without code generation. Run files
record ``compiled`` (did the compiler run) and ``reused_compiled_network`` in
``/provenance``. :func:`release_compiled` frees the kept network.

``runtime``: Brian2's runtime device with the code generation chosen by
``simulation.runtime_target`` (Cython by default, or numpy); the Cython cache
directory is ``$SNNMEM_CACHE_DIR/cython``.

Checkpoints: with ``simulation.checkpoint_interval`` > 0 a standalone run saves its
whole state every interval, and a run killed on the way resumes from the last one with
``resume=True``: same spikes, weights and scores as an unbroken run
(:mod:`snnmem.checkpoints`).

Reproducibility: the same model, seed and device give the same spikes.
"""

from __future__ import annotations

import gc
import hashlib
import json
import logging
import os
import re
import shutil
import signal
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

import numpy as np

from ._brian2_private import clock_start_code, last_run_completed_fraction, last_run_time
from .checkpoints import Checkpoint, CheckpointCode
from .circuits import get_circuit
from .config import ModelSpec
from .errors import ConfigError, EnvironmentFailure, SimulationInterrupted
from .protocols import Schedule
from .progress import REPORT_CODE, REPORT_PERIOD_S, BinaryWatcher, Progress, ProgressCallback
from .run import Run
from .segments import Segment, learning_segments

log = logging.getLogger(__name__)

__all__ = ["simulate", "cache_dir", "release_compiled", "last_profile"]

_SEED_ENV = "SNNMEM_SEED"
_PROFILE = bool(os.environ.get("SNNMEM_PROFILE"))
#: with SNNMEM_PROFILE set: ``(code object, seconds)`` of the last standalone simulation (:func:`last_profile`)
_LAST_PROFILE: list[tuple[str, float]] = []
_SEED_CODE = f"""
{{
    const char* snnmem_seed = std::getenv("{_SEED_ENV}");
    if (snnmem_seed == nullptr) {{
        std::cerr << "snnmem: {_SEED_ENV} is not set" << std::endl;
        return 2;
    }}
    // Thread 0 uses the seed itself (seeds are < 2**31). Further OpenMP threads get a
    // mixed value with the top bit set, so no stream of one seed is the stream of another
    // seed's thread 0 (seed + thread index would give seed 2 the stream of seed 1's thread 1).
    const unsigned long snnmem_base = std::strtoul(snnmem_seed, nullptr, 10);
    for (size_t gen = 0; gen < brian::_random_generators.size(); gen++)
        brian::_random_generators[gen].seed(gen == 0 ? snnmem_base
            : 0x80000000UL | ((snnmem_base * 2654435761UL + gen * 2246822519UL) & 0x7fffffffUL));
}}
"""


def cache_dir() -> Path:
    """Root of snnmem's build caches (``$SNNMEM_CACHE_DIR`` or ``~/.cache/snnmem``), created if needed.

    Raises EnvironmentFailure (naming the folder) when it cannot be created or written.
    """
    root = Path(os.environ.get("SNNMEM_CACHE_DIR", Path.home() / ".cache" / "snnmem"))
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise EnvironmentFailure(
            f"cannot create the build cache {root} ({error.strerror}); set SNNMEM_CACHE_DIR to a writable folder"
        ) from None
    if not os.access(root, os.W_OK | os.X_OK):
        raise EnvironmentFailure(f"the build cache {root} is not writable; set SNNMEM_CACHE_DIR to a writable folder")
    return root


def _check_seed(seed: Any) -> int:
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or not 0 <= int(seed) < 2**31:
        raise ConfigError(f"seed must be an integer in [0, 2**31), got {seed!r}")
    return int(seed)


def _structure_key(spec: ModelSpec) -> str:
    """Build folder name: model, circuit, sizes, checkpoints or not (code for other values is rebuilt incrementally)."""
    sizes = "-".join(f"{k}{v}" for k, v in sorted(spec.raw.get("network", {}).items()))
    digest = hashlib.sha256(f"{spec.circuit}|{spec.name}|{sizes}".encode()).hexdigest()[:10]
    checkpoints = "-checkpoints" if float(spec["simulation.checkpoint_interval"]) > 0 else ""
    return f"{spec.name}-{digest}{checkpoints}"


@contextmanager
def _brian_state(dt: Any) -> Iterator[Any]:
    """Set Brian2's clock for one simulation and restore it afterwards."""
    import brian2 as b2

    previous_dt = b2.defaultclock.dt
    b2.defaultclock.dt = dt
    try:
        yield b2
    finally:
        b2.defaultclock.dt = previous_dt


def simulate(
    model: ModelSpec,
    seed: int = 0,
    *,
    device: str | None = None,
    build_dir: str | Path | None = None,
    quiet: bool = True,
    reuse: bool = True,
    progress: ProgressCallback | None = None,
    checkpoint_dir: str | Path | None = None,
    resume: bool = False,
) -> Run:
    """Simulate a model once and return its :class:`Run` (spikes, rates, scores).

    Parameters
    ----------
    model
        A validated model from :func:`snnmem.load_model`.
    seed
        Random seed (initial conditions, external Poisson input). Same model + seed
        + device -> same spikes.
    device
        ``"cpp_standalone"`` or ``"runtime"``; default: the model's
        ``simulation.device``.
    build_dir
        Standalone build folder (default: a per-model folder in :func:`cache_dir`).
    quiet
        Hide compiler and binary output.
    reuse
        ``cpp_standalone``: keep the compiled network in memory after the run, so
        that the next simulation of a model with the same code signature (same
        sizes, dt, duration, ...; other parameter values may differ) reruns the
        binary with new run-time values, without code generation or compilation.
        :func:`release_compiled` frees it.
    progress
        Called with a :class:`~snnmem.progress.Progress` at every stage (build, compile,
        simulate with the fraction of biological time done, analyse, done); ``None``:
        silent. :class:`~snnmem.progress.TerminalProgress` draws it on a terminal.
    checkpoint_dir
        With ``simulation.checkpoint_interval`` > 0: the folder of this run's checkpoints
        (default: :func:`snnmem.checkpoints.default_folder`, in the build cache). Deleted
        when the run completes.
    resume
        Continue an interrupted run from its last checkpoint in ``checkpoint_dir`` (the
        same model and seed); without one, run from the start. Without ``resume`` a folder
        holding an interrupted run's checkpoint is refused (nothing is deleted).

    Returns
    -------
    Run
    """
    if not isinstance(model, ModelSpec):
        raise TypeError(f"simulate() needs a ModelSpec from snnmem.load_model, got {type(model).__name__}")
    seed = _check_seed(seed)
    device = device or model["simulation.device"]
    if device not in ("cpp_standalone", "runtime"):
        raise ConfigError(f"device must be 'cpp_standalone' or 'runtime', got {device!r}")
    if device != model["simulation.device"]:  # the run file records (and circuits build for) the device used
        model = model.with_overrides({"simulation.device": device})
    circuit = get_circuit(model.circuit)
    task, memory, schedule = _plan(circuit, model, seed)
    duration = schedule.duration_s
    if duration <= 0:
        raise ConfigError(f"model {model.name!r}: the protocol has zero duration (all phases are 0 s)")
    checkpoint = Checkpoint.for_run(model, seed, checkpoint_dir)
    if checkpoint is None and resume:
        raise ConfigError(f"model {model.name!r}: resume needs checkpoints (simulation.checkpoint_interval > 0)")
    if checkpoint is not None and circuit.code_signature(model, schedule) is not None:
        raise ConfigError(
            f"model {model.name!r}: circuit {model.circuit!r} takes run-time values, which checkpoints do not support; "
            "set simulation.checkpoint_interval = '0 s'"
        )
    resume_t = checkpoint.prepare(resume) if checkpoint is not None else None

    emit = progress or _silent
    started = time.perf_counter()
    with _sigterm_as_interrupt(), _brian_state(model["simulation.dt"]) as b2:
        if device == "cpp_standalone":
            spikes, state, timing = _run_standalone_healing(
                b2, circuit, model, seed, schedule, build_dir, quiet, reuse, emit, checkpoint, resume_t
            )
        else:
            release_compiled()
            spikes, state, timing = _run_runtime(b2, circuit, model, seed, schedule, emit)
    emit(Progress("analyse"))
    timing["total_s"] = time.perf_counter() - started
    spikes_only = {pop: (ids, times) for pop, (ids, times, _) in spikes.items()}
    n_neurons = {pop: n for pop, (_, _, n) in spikes.items()}
    phases = list(schedule.phases)
    if task is None:
        scores, arrays = circuit.native_scores(model, spikes_only, phases, state)
    else:
        scores, arrays = task.score(model.section("task"), spikes_only, memory, schedule)
        arrays = {
            **arrays,
            "memory_map": memory.weights.astype(np.float32),
            "item_labels": np.asarray(memory.labels, dtype="S16"),
        }
    compiled, reused = timing.pop("compiled", None), timing.pop("reused", None)
    run = Run.from_simulation(
        model=model,
        seed=seed,
        device=device,
        phases=phases,
        spikes=spikes_only,
        n_neurons=n_neurons,
        rates=circuit.rates(model, spikes_only, duration),
        scores=scores,
        analysis=arrays,
        timing=timing,
        info=timing.pop("info", {}),
    )
    if state is not None:
        run.weights = state.get("weights", {})
    if compiled is not None:  # standalone: did the C++ compiler run for this simulation?
        run.provenance["compiled"] = int(compiled)
        run.provenance["reused_compiled_network"] = int(reused)
    if checkpoint is not None:
        run.provenance["resumed_from_s"] = float(resume_t) if resume_t is not None else 0.0
        checkpoint.remove()
    emit(Progress("done"))
    return run


def _silent(event: Progress) -> None:
    """The progress callback of a simulation nobody watches."""


def last_profile() -> list[tuple[str, float]]:
    """Brian2's time per code object in the last standalone simulation, when ``SNNMEM_PROFILE`` was set at import.

    ``[(code object name, seconds), ...]``; empty without profiling. A run in segments
    (:mod:`snnmem.segments`) has one copy of each code object per segment (``..._codeobject_3``);
    their times are summed under the first copy's name.
    """
    return list(_LAST_PROFILE)


def _profile_by_code_object(info: Any) -> list[tuple[str, float]]:
    """Brian2's ``(name, time)`` profile with the copies of each code object (one per run) summed."""
    totals: dict[str, float] = {}
    for name, seconds in info:
        key = re.sub(r"(_codeobject)_\d+$", r"\1", str(name))
        totals[key] = totals.get(key, 0.0) + float(seconds)
    return list(totals.items())


@contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """While simulating, SIGTERM unwinds like Ctrl-C (KeyboardInterrupt): the binary is stopped, nothing written.

    Only where nobody handles SIGTERM yet (the default action would kill this process and
    leave the simulator binary running) and only in the main thread (where Python runs
    signal handlers). The command line installs its own handler (exit status 143).
    """
    import threading

    if threading.current_thread() is not threading.main_thread() or signal.getsignal(signal.SIGTERM) != signal.SIG_DFL:
        yield
        return

    def interrupt(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt("SIGTERM")

    signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _plan(circuit, model: ModelSpec, seed: int) -> tuple[Any, Any, Schedule]:
    """``(task, memory map, schedule)``: the model's task and its schedule, or the circuit's native protocol."""
    if model.task is None:
        task, memory, schedule = None, None, circuit.native_schedule(model, seed)
    else:
        from .tasks import get_task

        task = get_task(model.task)
        memory = circuit.memory_map(model, seed)
        schedule = task.schedule(model.section("task"), memory, seed)
    circuit.check_switches(schedule)
    circuit.check_schedule(model, schedule)
    return task, memory, schedule


def _collect(built) -> dict[str, tuple[np.ndarray, np.ndarray, int]]:
    out = {}
    for pop, monitor in built.spike_monitors.items():
        ids = np.asarray(monitor.i[:], dtype=np.uint32)
        times = np.asarray(monitor.t_[:], dtype=np.float64)
        order = np.lexsort((ids, times))  # by time, then neuron: a fixed, documented order
        out[pop] = (ids[order], times[order], built.n_neurons[pop])
    return out


def _results(circuit, built) -> tuple[dict, dict | None]:
    """Spikes, and the circuit's state after the run (weights, schedule), if it keeps any."""
    return _collect(built), circuit.collect_state(built)


def _run_runtime(b2, circuit, model, seed, schedule, emit):
    cython_cache = cache_dir() / "cython"
    cython_cache.mkdir(parents=True, exist_ok=True)
    previous = (b2.prefs.codegen.target, b2.prefs.codegen.runtime.cython.cache_dir)
    b2.set_device("runtime")
    b2.prefs.codegen.runtime.cython.cache_dir = str(cython_cache)
    b2.prefs.codegen.target = model.values["simulation"].get("runtime_target", "cython")
    try:
        b2.seed(seed)
        t0 = time.perf_counter()
        emit(Progress("build"))
        built = circuit.build(model, seed, schedule)
        network = b2.Network(built.objects)

        def report(elapsed, completed, start, duration):  # Brian2 runtime's report callback
            emit(Progress("simulate", float(completed), float(completed * duration), float(duration), float(elapsed)))

        network.run(schedule.duration_s * b2.second, report=report, report_period=REPORT_PERIOD_S * b2.second)
        t1 = time.perf_counter()
        return (*_results(circuit, built), {"build_and_run_s": t1 - t0, "info": built.info})
    finally:
        b2.prefs.codegen.target, b2.prefs.codegen.runtime.cython.cache_dir = previous


class _WarmProject:
    """A compiled standalone network kept in memory after its run, to run again.

    ``key`` is the build folder and the circuit's code signature; ``built`` holds
    the Brian2 objects (their variables name the binary's run-time arguments).
    """

    def __init__(self, key: tuple[str, str], directory: Path, built: Any, device: Any) -> None:
        self.key, self.directory, self.built, self.device = key, directory, built, device


#: The compiled project of this process's last standalone run of a circuit with
#: run-time values (one at most; see :func:`release_compiled`).
_warm: _WarmProject | None = None
_SIGNATURE_FILE = "snnmem_signature.json"


def release_compiled() -> None:
    """Forget the compiled network kept from the last ``cpp_standalone`` run.

    :func:`simulate` keeps the last standalone network of a circuit that supports
    run-time values (the ring) in memory, so that the next simulation with the same
    code signature and build folder only reruns the binary with new values. This
    frees it (the next simulation rebuilds, which costs code generation but no
    compilation when the build folder is up to date).
    """
    global _warm
    if _warm is None:
        return
    _warm = None
    import brian2 as b2
    from brian2.devices.device import all_devices

    standalone = all_devices["cpp_standalone"]
    if b2.get_device() is standalone:
        b2.set_device("runtime")
    standalone.reinit()
    gc.collect()


def _signature(circuit, model, schedule: Schedule, directory: Path) -> tuple[str, str] | None:
    signature = circuit.code_signature(model, schedule)
    if signature is None:
        return None
    return str(directory.resolve()), json.dumps(signature, sort_keys=True, default=str)


def _run_args(b2, built, values: dict[str, Any]) -> dict:
    """``"group.var" -> value`` (SI) as Brian2 ``run_args`` ``{VariableView: Quantity}``."""
    owners = {obj.name: obj for obj in built.objects}
    args = {}
    for dotted, value in values.items():
        owner, variable = dotted.split(".")
        view = getattr(owners[owner], variable)
        args[view] = b2.Quantity(np.asarray(value, dtype=float), dim=view.dim)
    return args


@contextmanager
def _seed_env(seed: int) -> Iterator[None]:
    previous_seed = os.environ.get(_SEED_ENV)
    os.environ[_SEED_ENV] = str(seed)
    try:
        yield
    finally:
        if previous_seed is None:
            os.environ.pop(_SEED_ENV, None)
        else:
            os.environ[_SEED_ENV] = previous_seed


def _binary_mtime(directory: Path) -> float | None:
    binary = directory / "main"
    return binary.stat().st_mtime_ns if binary.exists() else None


def _compile_failure(error: RuntimeError, directory: Path) -> Exception:
    """The error to raise for a failed ``make``: interrupted (SIGINT/SIGTERM) or an environment failure.

    Brian2 runs ``make`` through ``os.system``, which ignores SIGINT in this process: a
    Ctrl-C reaches only make (and the shell around it), which dies by the signal; the
    wait status tells (measured: 33280, the shell's exit status 130 = 128 + SIGINT).
    """
    match = re.search(r"error code: (\d+)", str(error))
    status = int(match.group(1)) if match else -1
    stopping = (signal.SIGINT, signal.SIGTERM)
    # make killed by the signal (the low bits), or the shell around it reporting so (exit 128 + signal)
    if status > 0 and (status & 0x7F in stopping or (status >> 8) - 128 in stopping):
        return SimulationInterrupted(f"compilation in {directory} was interrupted; nothing was run or written")
    return EnvironmentFailure(
        f"compiling the network in {directory} failed ({error}); run with --verbose to see the compiler's output"
    )


class _CachedBuildFailed(Exception):
    """A binary reused from the build cache exited with an error (e.g. a damaged file): rebuild it."""

    def __init__(self, directory: Path) -> None:
        super().__init__(str(directory))
        self.directory = directory


def _run_standalone_healing(b2, circuit, model, seed, schedule, build_dir, quiet, reuse, emit, checkpoint, resume_t):
    """:func:`_run_standalone`; a cached binary that fails to run is rebuilt from scratch once, then reported."""
    run = (b2, circuit, model, seed, schedule, build_dir, quiet, reuse, emit, checkpoint, resume_t)
    try:
        return _run_standalone(*run)
    except _CachedBuildFailed as failed:
        log.warning("the cached build in %s failed to run: rebuilding it", failed.directory)
        shutil.rmtree(failed.directory, ignore_errors=True)
        try:
            return _run_standalone(*run)
        except _CachedBuildFailed as again:
            raise EnvironmentFailure(
                f"the network compiled in {again.directory} fails to run, even rebuilt (see results/stdout.txt there)"
            ) from None


def _run_standalone(
    b2, circuit, model, seed, schedule, build_dir, quiet, reuse=True, emit=_silent, checkpoint=None, resume_t=None
):
    """Build (or reuse), compile when needed, and run the standalone binary.

    Circuits that declare ``code_signature`` and ``run_values`` (the ring) are
    built with placeholders for every run-time value; the real values go to the
    binary as ``run_args``. The generated code then depends only on the signature:
    a new value neither regenerates nor recompiles, and with ``reuse`` the last
    project stays in memory so that the next run with the same signature skips
    code generation too. Timing reports ``compiled`` (1.0 when the compiler ran:
    the binary changed) and ``build_s`` (code generation + compilation).

    With a :class:`~snnmem.checkpoints.Checkpoint` the network also writes checkpoints,
    and with ``resume_t`` it continues from the one written at that time.
    """
    global _warm
    from brian2.utils.filelock import FileLock

    directory = Path(build_dir) if build_dir else cache_dir() / "standalone" / _structure_key(model)
    directory.mkdir(parents=True, exist_ok=True)
    signature = _signature(circuit, model, schedule, directory)
    values = circuit.run_values(model, schedule) if signature else None
    with FileLock(str(directory) + ".lock"):
        stamp = directory / _SIGNATURE_FILE
        if (
            _warm is not None
            and signature is not None
            and _warm.key == signature
            and stamp.is_file()
            and stamp.read_text() == signature[1]
        ):
            return _run_warm(b2, circuit, _warm, values, model, seed, schedule, quiet, emit)
        release_compiled()
        b2.set_device("cpp_standalone", directory=str(directory), build_on_run=False)
        b2.prefs.logging.file_log = False
        # Brian2's default `make -j` starts one compiler per file at once (load ~40 on 2 cores)
        b2.prefs.devices.cpp_standalone.extra_make_args_unix = [f"-j{os.cpu_count() or 1}"]
        keep = False
        try:
            t0 = time.perf_counter()
            b2.device.insert_code("after_start", _SEED_CODE)
            emit(Progress("build"))
            built = circuit.build(model, seed, schedule, run_args=signature is not None)
            if signature is not None and built.learning:
                raise TypeError(f"circuit {model.circuit!r}: run-time values and learning segments do not combine")
            network = b2.Network(built.objects)
            writer = None
            if checkpoint is not None:
                writer = CheckpointCode(b2, directory, checkpoint.interval_s)
                network.add(writer.objects)
            segments = _run_in_segments(b2, network, built, schedule, resumable=writer is not None)
            if writer is not None:
                writer.write_source(b2.device, [obj for obj in network.objects if isinstance(obj, b2.Synapses)])
            before = _binary_mtime(directory)
            if stamp.exists():
                stamp.unlink()  # the folder's code is in flux until the build succeeds
            emit(Progress("compile"))
            try:
                b2.device.build(directory=str(directory), compile=True, run=False, with_output=not quiet)
            except RuntimeError as error:
                raise _compile_failure(error, directory) from None
            if signature:
                stamp.write_text(signature[1])
            compiled = before is None or _binary_mtime(directory) != before
            t1 = time.perf_counter()
            try:
                total = schedule.duration_s if len(segments) > 1 or writer is not None else None
                watch = _watch_binary(directory, quiet, emit, total)
                with _seed_env(seed), _checkpoint_env(checkpoint, resume_t), watch:
                    b2.device.run(
                        directory=str(directory),
                        with_output=not quiet,
                        run_args=_run_args(b2, built, values) if signature else None,
                    )
            except RuntimeError as error:  # Brian2: "Project run failed": the binary exited with an error
                if checkpoint is not None:  # e.g. a checkpoint that does not fit this build: not the cache's fault
                    raise EnvironmentFailure(
                        f"the simulation with checkpoints in {checkpoint.folder} failed "
                        f"(see {directory}/results/stdout.txt and stderr.txt)"
                    ) from error
                raise _CachedBuildFailed(directory) from error
            t2 = time.perf_counter()
            _check_completed(b2.device, model, seed, schedule, checkpoint)
            with _checkpoint_env(checkpoint, resume_t):  # snapshot streams are collected from its folder
                spikes, state = _results(circuit, built)
            if _PROFILE:
                _LAST_PROFILE[:] = _profile_by_code_object(network.get_profiling_info())
                print(b2.profiling_summary(network, show=12))
            timing = {
                "build_s": t1 - t0,
                "run_s": t2 - t1,
                "network_s": last_run_time(b2.device),
                "compiled": float(compiled),
                "reused": 0.0,
                "segments": float(len(segments)),
                "info": built.info,
            }
            if signature and reuse:
                _warm = _WarmProject(signature, directory, built, b2.get_device())
                keep = True
        finally:
            if not keep:
                # Drop this build's objects before collecting: auto-named objects (PoissonInput's
                # binomial functions) alive at the next build would be renumbered and recompiled.
                built = network = None
                b2.device.reinit()
                b2.device.activate()
            b2.set_device("runtime")
            if not keep:
                gc.collect()
    return spikes, state, timing


def _run_in_segments(b2: Any, network: Any, built: Any, schedule: Schedule, resumable: bool = False) -> list[Segment]:
    """Queue the protocol's ``network.run`` calls on the standalone device: one, or one per segment.

    With learning code (:attr:`BuiltNetwork.learning`) the protocol runs in the segments of
    :func:`snnmem.segments.learning_segments`, each learning code active only in segments
    where its gate opens. C++ added around the runs (the binary's own code): a run
    interrupted by SIGINT skips the segments after it, and the loop time and completed
    fraction that Brian2 records for the last run are those of the whole protocol.
    ``resumable`` (checkpoints): the same C++, and a binary started with ``$SNNMEM_RESUME_T``
    skips the segments before that time and runs the one that holds it from there (the
    checkpoint is read back in its first step, :mod:`snnmem.checkpoints`).
    """
    run = {"profile": _PROFILE, "report": REPORT_CODE, "report_period": REPORT_PERIOD_S * b2.second}
    if not built.learning and not resumable:
        network.run(schedule.duration_s * b2.second, **run)
        return [Segment(0.0, schedule.duration_s, ())]
    if built.learning:
        steps = {code.step_s for code in built.learning}
        if len(steps) != 1:
            raise ValueError(f"learning code with different gate steps {sorted(steps)}: one step per network")
        segments = learning_segments([code.gate for code in built.learning], steps.pop(), schedule.duration_s)
    else:
        segments = [Segment(0.0, schedule.duration_s, ())]
    b2.device.insert_code("after_start", _SEGMENT_STATE_CODE)
    # Brian2 repeats the before/after code around every run: it reads the segment's edges,
    # which "main" code sets just before each run's own lines
    start_clocks = clock_start_code(b2.device, "snnmem_resume_t").replace("\n", "\n    ")
    b2.device.insert_code(
        "before_network_run",
        _SEGMENT_START_CODE.format(
            network=network.name,
            half_step=0.5 * float(b2.defaultclock.dt_),
            period=float(REPORT_PERIOD_S),
            start_clocks=start_clocks,
        ),
    )
    b2.device.insert_code("after_network_run", _SEGMENT_DONE_CODE)
    for segment in segments:
        for code, active in zip(built.learning, segment.active):
            for obj in code.objects:
                obj.active = active
        b2.device.insert_code(
            "main",
            f"snnmem_segment_start = {float(segment.start_s)!r}; snnmem_segment_stop = {float(segment.stop_s)!r};\n"
            f"snnmem_segment_s = {float(segment.duration_s)!r};",
        )
        network.run(segment.duration_s * b2.second, **run)
    b2.device.insert_code(
        "before_end",
        "Network::_last_run_time = snnmem_loop_s;\n"
        f"Network::_last_run_completed_fraction = snnmem_done_s / {float(schedule.duration_s)!r};",
    )
    return segments


#: C++ state of a run in segments (declared in main(), before the runs); a resumed run's start time
_SEGMENT_STATE_CODE = """bool snnmem_stopped = false;
double snnmem_loop_s = 0.0, snnmem_done_s = 0.0, snnmem_segment_s = 0.0;
double snnmem_segment_start = 0.0, snnmem_segment_stop = 0.0;
const char* snnmem_resume_env = std::getenv("SNNMEM_RESUME_T");
double snnmem_resume_t = snnmem_resume_env != NULL ? std::strtod(snnmem_resume_env, NULL) : -1.0;"""
#: C++ before each segment's run: skip it (resumed later), run it from the resumed time, or open the
#: block of its own run (closed by _SEGMENT_DONE_CODE); report_progress is Brian2's name for REPORT_CODE.
#: Clock::set_interval is what Network::run does with its start time; a run also needs each clock's t.
_SEGMENT_START_CODE = """if (!snnmem_stopped && snnmem_resume_t >= snnmem_segment_stop - {half_step!r}) {{
    snnmem_done_s += snnmem_segment_s;
}} else if (!snnmem_stopped && snnmem_resume_t >= snnmem_segment_start - {half_step!r}) {{
    // every clock where it is at the start of that step in an unbroken run (its next tick, and its time)
    {start_clocks}
    {network}.t = snnmem_resume_t;
    {network}.run(snnmem_segment_stop - snnmem_resume_t, report_progress, {period!r});
    snnmem_loop_s += Network::_last_run_time;
    snnmem_done_s += (snnmem_resume_t - snnmem_segment_start)
        + Network::_last_run_completed_fraction * (snnmem_segment_stop - snnmem_resume_t);
    snnmem_stopped = Network::_globally_stopped;
    snnmem_resume_t = -1.0;
}} else if (!snnmem_stopped) {{"""
#: C++ after each segment's run: sum loop time and simulated time; stop after an interrupted one (closes the if)
_SEGMENT_DONE_CODE = """snnmem_loop_s += Network::_last_run_time;
snnmem_done_s += Network::_last_run_completed_fraction * snnmem_segment_s;
snnmem_stopped = Network::_globally_stopped;
}"""


@contextmanager
def _watch_binary(directory: Path, quiet: bool, emit: ProgressCallback, total_s: float | None = None) -> Iterator[None]:
    """Forward the binary's progress lines while it runs (its output goes to results/stdout.txt when quiet).

    ``total_s``: the protocol's length, for a run in segments (each reports its own part).
    """
    if not quiet or emit is _silent:  # verbose: Brian2 prints the binary's output, progress lines included
        yield
        return
    with BinaryWatcher(Path(directory) / "results" / "stdout.txt", emit, total_s=total_s):
        yield


def _check_completed(
    device: Any, model: ModelSpec, seed: int, schedule: Schedule, checkpoint: Checkpoint | None = None
) -> None:
    """Raise SimulationInterrupted when the binary stopped before the end of the protocol.

    Brian2's standalone binary stops early on SIGINT and exits normally, with the
    spikes of the part it simulated; only its record of the simulated fraction tells.
    """
    fraction = last_run_completed_fraction(device)
    if fraction < 1.0 - 1e-9:
        kept = ""
        if checkpoint is not None and checkpoint.state.is_file():
            kept = f"; its last checkpoint is in {checkpoint.folder}: resume it (resume=True, snnmem run --resume)"
        raise SimulationInterrupted(
            f"model {model.name!r}, seed {seed}: the simulation stopped at {fraction * schedule.duration_s:.4g} s "
            f"of {schedule.duration_s:.4g} s (interrupted); nothing was scored or written{kept}"
        )


@contextmanager
def _checkpoint_env(checkpoint: Checkpoint | None, resume_t: float | None) -> Iterator[None]:
    """The checkpoint folder (and resumed time) in the environment, where there are checkpoints."""
    if checkpoint is None:
        yield
        return
    with checkpoint.environment(resume_t):
        yield


def _run_warm(b2, circuit, warm: _WarmProject, values, model, seed, schedule, quiet, emit=_silent):
    """Rerun a compiled project with new run-time values (no code generation, no compiler)."""
    t1 = time.perf_counter()
    try:
        with _seed_env(seed), _watch_binary(warm.directory, quiet, emit):
            warm.device.run(
                directory=str(warm.directory), with_output=not quiet, run_args=_run_args(b2, warm.built, values)
            )
    except RuntimeError as error:
        release_compiled()
        raise _CachedBuildFailed(warm.directory) from error
    t2 = time.perf_counter()
    _check_completed(warm.device, model, seed, schedule)
    timing = {
        "build_s": 0.0,
        "run_s": t2 - t1,
        "network_s": last_run_time(warm.device),
        "compiled": 0.0,
        "reused": 1.0,
        "info": dict(warm.built.info),
    }
    return (*_results(circuit, warm.built), timing)
