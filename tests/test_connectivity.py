"""The low-rank Fourier factorisation equals the dense circulant weight matrix."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from snnmem.connectivity import circulant_modes, ring_j_minus, ring_profile


def dense_ring(n, sigma, j_plus):
    profile = ring_profile(n, sigma, j_plus)
    offsets = (np.arange(n)[:, None] - np.arange(n)[None, :]) % n
    return profile[offsets]


@pytest.mark.parametrize(
    "n, sigma, j_plus", [(2048, 14.4, 1.62), (2048, 18.0, 1.62), (256, 14.4, 1.62), (257, 30.0, 3.0)]
)
def test_profile_mean_is_one(n, sigma, j_plus):
    profile = ring_profile(n, sigma, j_plus)
    assert abs(profile.mean() - 1.0) < 1e-12
    assert abs(profile[0] - j_plus) < 1e-12
    assert ring_j_minus(n, sigma, j_plus) < 1.0 < j_plus


@settings(max_examples=30, deadline=None)
@given(
    n=st.integers(16, 600),
    sigma=st.floats(8.0, 60.0),
    j_plus=st.floats(1.0, 5.0),
    seed=st.integers(0, 2**31 - 1),
)
def test_low_rank_matches_dense_product(n, sigma, j_plus, seed):
    coupling = circulant_modes(ring_profile(n, sigma, j_plus), tolerance=1e-9)
    s = np.random.default_rng(seed).random(n)
    dense = dense_ring(n, sigma, j_plus) @ s
    assert np.max(np.abs(coupling.apply(s) - dense)) <= 1e-8 * np.max(np.abs(dense))


def test_compte_size_uses_few_modes():
    coupling = circulant_modes(ring_profile(2048, 14.4, 1.62), tolerance=1e-9)
    assert coupling.n_modes == 47 and coupling.max_relative_error < 1e-9
    dense = dense_ring(2048, 14.4, 1.62)
    assert np.max(np.abs(coupling.dense() - dense)) < 1e-8 * dense.max()


def test_zero_tolerance_is_exact():
    profile = ring_profile(64, 20.0, 2.0)
    coupling = circulant_modes(profile, tolerance=0.0)
    assert coupling.n_modes == 64
    assert np.allclose(coupling.dense(), dense_ring(64, 20.0, 2.0), rtol=0, atol=1e-13)


def test_bad_profiles_are_rejected():
    with pytest.raises(ValueError, match="symmetric"):
        circulant_modes(np.arange(8.0))
    with pytest.raises(ValueError, match="tolerance"):
        circulant_modes(ring_profile(16, 20.0, 2.0), tolerance=-1)
    with pytest.raises(ValueError, match="sigma_deg"):
        ring_profile(16, 0.0, 2.0)
