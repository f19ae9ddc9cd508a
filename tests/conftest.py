"""Shared fixtures: the model files, a small ring for fast end-to-end tests."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
COMPTE = ROOT / "models" / "compte2000.toml"

#: A downsized ring (conductances scale with size) that runs in seconds.
SMALL_RING = {
    "network.n_exc": 256,
    "network.n_inh": 64,
    "protocol.baseline_duration": "100 ms",
    "protocol.cue_duration": "250 ms",
    "protocol.delay_duration": "1 s",
    "simulation.dt": "0.1 ms",
}

#: A downsized two-area consolidation network (HPC 60 E / 15 I, CTX 200 E / 50 I, 3 episodes).
SMALL_CONSOLIDATION = {
    "hpc.n_exc": 60,
    "hpc.n_inh": 15,
    "ctx.n_exc": 200,
    "ctx.n_inh": 50,
    "hpc.index_size": 10,
    "ctx.episode_size": 20,
    "episodes.n_episodes": 3,
}


@pytest.fixture(scope="session")
def compte_path() -> Path:
    return COMPTE


@pytest.fixture(scope="session", autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Keep builds of the test session out of the user's cache unless CI shares one."""
    import os

    os.environ.setdefault("SNNMEM_CACHE_DIR", str(tmp_path_factory.mktemp("snnmem_cache")))
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker:  # pytest -n: every process its own build folders and Cython cache
        os.environ["SNNMEM_CACHE_DIR"] = str(Path(os.environ["SNNMEM_CACHE_DIR"]) / worker)


def assert_same_spikes(first, second, atol: float = 0.0, min_spikes: int = 50) -> None:
    """Two runs have the same spikes (ids equal, times within ``atol`` s), and enough of them to mean it."""
    import numpy as np

    assert len(first.spikes["exc"][0]) > min_spikes
    for pop in ("exc", "inh"):
        np.testing.assert_array_equal(first.spikes[pop][0], second.spikes[pop][0])
        np.testing.assert_allclose(first.spikes[pop][1], second.spikes[pop][1], rtol=0, atol=atol)
