"""Starting the network from a weight snapshot of an earlier run (``protocol.start_from`` / ``start_at``).

A long run of the assemblies model streams its E->E and I->E weights to the run file
every ``protocol.weight_snapshot_interval``. A later, short run of the same network can
start from any of those snapshots instead of the model's initial weights: recall at an
age of the memory, without simulating the training and the rest again (the retention
experiments of ``snnmem validate assemblies_retention``).

What is taken from the snapshot: every E->E weight (the pairs are drawn from the seed,
so they must be the snapshot's: same network keys, same seed) and every I->E pair and
weight (drawn by the simulator in the source run, so they are copied). Not taken:
membrane potentials, conductances, adaptation, thresholds and plasticity traces, which
start afresh (a frozen warm-up lets them settle; they forget their past within a second
while the weights hold the memory). ``w_initial``, the target of the normalisation, stays
the model's initial weight, as in the source run.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ...errors import ConfigError, RunFileError

__all__ = ["StartState", "check_start", "load_start"]

#: ``[network]`` keys that must equal the source run's (they define the structure)
_STRUCTURE_KEYS = ("n_exc", "n_inh", "n_assemblies", "assembly_fraction", "connection_probability")


@dataclass(frozen=True)
class StartState:
    """The weights a run starts from, and where they came from."""

    source: str
    time_s: float
    seed: int
    ee_w: np.ndarray
    ie_i: np.ndarray
    ie_j: np.ndarray
    ie_w: np.ndarray


def _source(spec: Any) -> Path | None:
    text = spec["protocol.start_from"]
    return Path(text).expanduser() if text else None


def _snapshot_index(times: np.ndarray, wanted: float, dt: float, path: Path) -> int:
    if times.size == 0:
        raise ConfigError(
            f"protocol.start_from: {path} has no streamed weight snapshots "
            "(run it with protocol.weight_snapshot_interval > 0)"
        )
    k = int(np.argmin(np.abs(times - wanted)))
    if abs(times[k] - wanted) > dt / 2:
        step = times[1] - times[0] if times.size > 1 else 0.0
        raise ConfigError(
            f"protocol.start_at = {wanted:g} s: {path} has snapshots every {step:g} s "
            f"from {times[0]:g} s to {times[-1]:g} s, none at {wanted:g} s"
        )
    return k


def check_start(spec: Any) -> None:
    """Load-time checks of ``protocol.start_from`` (file, circuit, structure, snapshot time); nothing read twice."""
    path = _source(spec)
    if path is None:
        return
    with _open(path) as h5:
        _check_source(spec, h5, path)


def _open(path: Path) -> Any:
    from ...run import open_hdf5

    try:
        return open_hdf5(path, "protocol.start_from: run file")
    except RunFileError as error:
        raise ConfigError(str(error)) from None


def _check_source(spec: Any, h5: Any, path: Path) -> tuple[int, int]:
    """``(seed, snapshot index)`` of a valid source; ConfigError naming the key and the path otherwise."""
    import tomllib

    from ...run import FORMAT

    def attr(name: str) -> Any:
        value = h5.attrs.get(name)
        return value.decode() if isinstance(value, bytes) else value

    if attr("format") != FORMAT:
        raise ConfigError(f"protocol.start_from: {path} is not an snnmem run file")
    if attr("circuit") != "plastic_assemblies":
        raise ConfigError(
            f"protocol.start_from: {path} is a run of circuit {attr('circuit')!r}, not plastic_assemblies"
        )
    if "model" not in h5 or "toml" not in h5["model"].attrs:
        raise ConfigError(f"protocol.start_from: {path} has no /model (an incomplete run file)")
    toml = h5["model"].attrs["toml"]
    source_model = tomllib.loads(toml.decode() if isinstance(toml, bytes) else toml)
    source_net = source_model.get("network", {})
    for key in _STRUCTURE_KEYS:
        if key in source_net and source_net[key] != spec[f"network.{key}"]:
            raise ConfigError(
                f"protocol.start_from: {path} has network.{key} = {source_net[key]!r}, this model "
                f"{spec[f'network.{key}']!r}: the snapshot's synapses are not this network's"
            )
    for syn in ("ee", "ie"):
        if f"weights/{syn}/snapshots" not in h5:
            raise ConfigError(
                f"protocol.start_from: {path} has no /weights/{syn}/snapshots "
                "(run the source with protocol.weight_snapshot_interval > 0)"
            )
    times = h5["weights/ee/snapshot_times_s"][()]
    index = _snapshot_index(times, float(spec["protocol.start_at"]), float(spec["simulation.dt"]), path)
    return int(attr("seed")), index


def load_start(spec: Any, seed: int, n_ee: int) -> StartState | None:
    """The snapshot a run starts from (None without ``protocol.start_from``).

    Raises
    ------
    ConfigError
        The source was run with another seed or has another number of E->E synapses.
    """
    path = _source(spec)
    if path is None:
        return None
    with _open(path) as h5:
        source_seed, k = _check_source(spec, h5, path)
        if source_seed != seed:
            raise ConfigError(
                f"protocol.start_from: {path} was run with seed {source_seed}; its E->E synapses are drawn "
                f"from that seed, so run this model with --seed {source_seed}"
            )
        ee = h5["weights/ee"]
        if ee["snapshots"].shape[1] != n_ee:
            raise ConfigError(
                f"protocol.start_from: {path} has {ee['snapshots'].shape[1]} E->E synapses, this network {n_ee}"
            )
        ie = h5["weights/ie"]
        return StartState(
            source=str(path),
            time_s=float(ee["snapshot_times_s"][k]),
            seed=source_seed,
            ee_w=np.asarray(ee["snapshots"][k], dtype=np.float64),
            ie_i=np.asarray(ie["i"][()], dtype=np.int64),
            ie_j=np.asarray(ie["j"][()], dtype=np.int64),
            ie_w=np.asarray(ie["snapshots"][k], dtype=np.float64),
        )
