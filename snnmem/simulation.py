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

``runtime``: Brian2's runtime device with Cython code generation (numpy if no
compiler works); the Cython cache directory is ``$SNNMEM_CACHE_DIR/cython``.

Reproducibility: the same model, seed and device give the same spikes.
"""
from __future__ import annotations

import gc
import hashlib
import os
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

import numpy as np

from .circuits import get_circuit
from .config import ModelSpec
from .errors import ConfigError
from .run import Run

__all__ = ["simulate", "cache_dir"]

_SEED_ENV = "SNNMEM_SEED"
_PROFILE = bool(os.environ.get("SNNMEM_PROFILE"))
_SEED_CODE = f"""
{{
    const char* snnmem_seed = std::getenv("{_SEED_ENV}");
    if (snnmem_seed == nullptr) {{
        std::cerr << "snnmem: {_SEED_ENV} is not set" << std::endl;
        return 2;
    }}
    for (size_t gen = 0; gen < brian::_random_generators.size(); gen++)
        brian::_random_generators[gen].seed(std::strtoul(snnmem_seed, nullptr, 10) + gen);
}}
"""


def cache_dir() -> Path:
    """Root of snnmem's build caches (``$SNNMEM_CACHE_DIR`` or ``~/.cache/snnmem``)."""
    return Path(os.environ.get("SNNMEM_CACHE_DIR", Path.home() / ".cache" / "snnmem"))


def _check_seed(seed: Any) -> int:
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or not 0 <= int(seed) < 2**31:
        raise ConfigError(f"seed must be an integer in [0, 2**31), got {seed!r}")
    return int(seed)


def _structure_key(spec: ModelSpec) -> str:
    """Build folder name: model, circuit and sizes (code for other values is rebuilt incrementally)."""
    sizes = "-".join(f"{k}{v}" for k, v in sorted(spec.raw.get("network", {}).items()))
    digest = hashlib.sha256(f"{spec.circuit}|{spec.name}|{sizes}".encode()).hexdigest()[:10]
    return f"{spec.name}-{digest}"


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


def simulate(model: ModelSpec, seed: int = 0, *, device: str | None = None, build_dir: str | Path | None = None,
             quiet: bool = True) -> Run:
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
    circuit = get_circuit(model.circuit)
    phases = circuit.protocol(model)
    duration = phases[-1].stop_s if phases else 0.0
    if duration <= 0:
        raise ConfigError(f"model {model.name!r}: the protocol has zero duration (all phases are 0 s)")

    started = time.perf_counter()
    with _brian_state(model["simulation.dt"]) as b2:
        if device == "cpp_standalone":
            spikes, timing = _run_standalone(b2, circuit, model, seed, duration, build_dir, quiet)
        else:
            spikes, timing = _run_runtime(b2, circuit, model, seed, duration)
    timing["total_s"] = time.perf_counter() - started
    spikes_only = {pop: (ids, times) for pop, (ids, times, _) in spikes.items()}
    n_neurons = {pop: n for pop, (_, _, n) in spikes.items()}
    scores, arrays = circuit.score(model, spikes_only, phases)
    return Run.from_simulation(
        model=model, seed=seed, device=device, phases=phases, spikes=spikes_only, n_neurons=n_neurons,
        scores=scores, analysis=arrays, timing=timing, info=timing.pop("info", {}),
    )


def _collect(built) -> dict[str, tuple[np.ndarray, np.ndarray, int]]:
    out = {}
    for pop, monitor in built.spike_monitors.items():
        ids = np.asarray(monitor.i[:], dtype=np.uint32)
        times = np.asarray(monitor.t_[:], dtype=np.float64)
        order = np.lexsort((ids, times))  # by time, then neuron: a fixed, documented order
        out[pop] = (ids[order], times[order], built.n_neurons[pop])
    return out


def _run_runtime(b2, circuit, model, seed, duration):
    cython_cache = cache_dir() / "cython"
    cython_cache.mkdir(parents=True, exist_ok=True)
    previous = (b2.prefs.codegen.target, b2.prefs.codegen.runtime.cython.cache_dir)
    b2.set_device("runtime")
    b2.prefs.codegen.runtime.cython.cache_dir = str(cython_cache)
    b2.prefs.codegen.target = model.values["simulation"].get("runtime_target", "cython")
    try:
        b2.seed(seed)
        t0 = time.perf_counter()
        built = circuit.build(model)
        network = b2.Network(built.objects)
        network.run(duration * b2.second)
        t1 = time.perf_counter()
        return _collect(built), {"build_and_run_s": t1 - t0, "info": built.info}
    finally:
        b2.prefs.codegen.target, b2.prefs.codegen.runtime.cython.cache_dir = previous


def _run_standalone(b2, circuit, model, seed, duration, build_dir, quiet):
    from brian2.utils.filelock import FileLock

    directory = Path(build_dir) if build_dir else cache_dir() / "standalone" / _structure_key(model)
    directory.mkdir(parents=True, exist_ok=True)
    with FileLock(str(directory) + ".lock"):
        b2.set_device("cpp_standalone", directory=str(directory), build_on_run=False)
        b2.prefs.logging.file_log = False
        try:
            t0 = time.perf_counter()
            b2.device.insert_code("after_start", _SEED_CODE)
            built = circuit.build(model)
            network = b2.Network(built.objects)
            network.run(duration * b2.second, profile=_PROFILE)
            b2.device.build(directory=str(directory), compile=True, run=False, with_output=not quiet)
            t1 = time.perf_counter()
            previous_seed = os.environ.get(_SEED_ENV)
            os.environ[_SEED_ENV] = str(seed)
            try:
                b2.device.run(directory=str(directory), with_output=not quiet)
            finally:
                if previous_seed is None:
                    os.environ.pop(_SEED_ENV, None)
                else:
                    os.environ[_SEED_ENV] = previous_seed
            t2 = time.perf_counter()
            spikes = _collect(built)
            if _PROFILE:
                print(b2.profiling_summary(network, show=12))
            timing = {"build_s": t1 - t0, "run_s": t2 - t1, "network_s": float(b2.device._last_run_time),
                      "info": built.info}
        finally:
            b2.device.reinit()
            b2.device.activate()
            b2.set_device("runtime")
            gc.collect()
    return spikes, timing
