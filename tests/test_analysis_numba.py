"""snnmem.analysis as a library: no Brian2 import, cached numba kernels, no re-compilation."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from numba.core.caching import NullCache

from snnmem import analysis
from snnmem.analysis import _kernels_columns, _kernels_distances, _kernels_spikes

ALL_KERNELS = _kernels_spikes.KERNELS + _kernels_columns.KERNELS + _kernels_distances.KERNELS


def test_import_does_not_pull_brian2_or_elephant():
    code = (
        "import sys, snnmem.analysis as a, numpy as np;"
        "a.bin_spikes(np.array([0], np.uint32), np.array([0.1]), 1, 0.0, 1.0, 0.5);"
        "bad = [m for m in ('brian2', 'elephant', 'neo', 'quantities', 'matplotlib') if m in sys.modules];"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("kernel", ALL_KERNELS, ids=lambda k: k.py_func.__name__)
def test_every_kernel_is_cached_on_disk(kernel):
    assert not isinstance(kernel._cache, NullCache)


def _exercise(ids: np.ndarray, times: np.ndarray) -> None:
    n = 6
    counts = analysis.bin_spikes(ids, times, n, 0.0, 2.0, 0.25)
    analysis.neuron_rates(ids, times, n, 0.0, 2.0)
    analysis.group_rates(ids, times, np.eye(n, dtype=bool)[:3], 0.0, 2.0, 0.25)
    analysis.population_rate(ids, times, n, 0.0, 2.0, 0.25)
    analysis.population_vector_angle(counts, analysis.preferred_angles(n))
    patterns = np.where(np.arange(2 * n).reshape(2, n) % 3 == 0, 1, -1)
    analysis.overlap_pm1(counts, patterns)
    analysis.pattern_correlation(counts, patterns)
    analysis.spike_overlaps(ids, times, patterns, 0.0, 2.0, 0.25)
    analysis.van_rossum_matrix(ids, times, n, 0.05)
    analysis.victor_purpura_matrix(ids, times, n, 10.0)


def test_same_dtypes_do_not_recompile():
    rng = np.random.default_rng(0)
    ids = rng.integers(0, 6, 50).astype(np.uint32)
    times = rng.uniform(0, 2, 50)
    _exercise(ids, times)
    before = {k.py_func.__name__: len(k.signatures) for k in ALL_KERNELS}
    # new arrays, other values and other Python scalar types, same dtypes
    _exercise(rng.integers(0, 6, 80).astype(np.uint32), rng.uniform(0, 2, 80).astype(np.float32))
    _exercise(ids[::-1].copy(), times[::-1].copy())
    after = {k.py_func.__name__: len(k.signatures) for k in ALL_KERNELS}
    assert after == before
