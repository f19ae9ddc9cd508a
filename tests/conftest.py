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


#: Seconds each slow test file took on one core of CI's machine (fixtures included), from the
#: ``--durations`` report of ``.ci/run`` before session 24 shortened several (test_consolidation.py: +200 s
#: for the prototype condition's seed 1, added in session 25). Only an ordering hint for
#: :func:`pytest_collection_modifyitems`; a file not listed counts as 0 and still runs. With this order
#: the two processes ended together in session 24's clean-clone run (30.5 min for about 61 min of tests).
SLOW_FILE_SECONDS = {
    "test_validation_lkd2014.py": 990,
    "test_consolidation.py": 830,
    "test_assemblies_validation.py": 500,
    "test_assemblies_retention.py": 450,
    "test_segments.py": 380,
    "test_ring_validation.py": 310,
    "test_faults.py": 230,
    "test_checkpoints.py": 220,
    "test_item_attractor.py": 200,
    "test_validation.py": 210,
    "test_stp_memory.py": 170,
}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Order the test files heaviest first, keeping the order of tests within each file.

    ``.ci/run`` runs the slow tests with ``-n 2 --dist loadfile --no-loadscope-reorder``: each process
    takes the next whole file when it is free, so longest-first ends both processes at about the same
    time (in collection order the 12-minute LKD file came last and ran alone).
    """
    items.sort(key=lambda item: -SLOW_FILE_SECONDS.get(item.path.name, 0))


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


def assert_same_numbers(mine: dict, theirs: dict, label: str, skip: tuple[str, ...] = ()) -> None:
    """Every number of a committed row (a seed's scores in a validation JSON) is in ``mine``, equal to 1e-9.

    ``skip``: keys not compared (e.g. a wall time). Same model, same seed: same spikes, so the same numbers.
    """
    import numpy as np

    keys = {key for key, value in theirs.items() if isinstance(value, (int, float)) and key not in skip}
    assert keys and keys <= set(mine), sorted(keys - set(mine))
    for key in sorted(keys):
        np.testing.assert_allclose(mine[key], theirs[key], rtol=1e-9, err_msg=f"{label}: {key}")
