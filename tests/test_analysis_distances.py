"""snnmem.analysis.distances against Elephant (the oracle) and the numpy reference."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from snnmem.analysis import reference
from snnmem.analysis.distances import van_rossum_matrix, victor_purpura_matrix

elephant_dissimilarity = pytest.importorskip("elephant.spike_train_dissimilarity")
pq = pytest.importorskip("quantities")
neo = pytest.importorskip("neo")

SETTINGS = settings(max_examples=40, deadline=None)
RTOL = 1e-9


def _trains(ids: np.ndarray, times: np.ndarray, n: int, t_stop: float) -> list:
    return [neo.SpikeTrain(times[ids == u], units="s", t_start=0.0, t_stop=t_stop) for u in range(n)]


@st.composite
def spike_trains(draw, max_neurons: int = 7, max_spikes: int = 40):
    """Spikes in [0, 5) s: empty trains, single spikes, ties (shared and repeated times), any order."""
    n = draw(st.integers(1, max_neurons))
    k = draw(st.integers(0, max_spikes))
    ids = np.array(draw(st.lists(st.integers(0, n - 1), min_size=k, max_size=k)), dtype=np.uint32)
    grid = st.integers(0, 50).map(lambda i: i * 0.1)  # repeated values: ties within and across trains
    times = np.array(
        draw(st.lists(st.one_of(grid, st.floats(0.0, 4.999, allow_nan=False)), min_size=k, max_size=k)),
        dtype=np.float64,
    )
    return ids, times, n


def _assert_close_to_elephant(got: np.ndarray, expected: np.ndarray, gram_scale: float) -> None:
    """1e-9 relative; near-zero distances carry the cancellation error of G_uu + G_vv - 2 G_uv.

    Both implementations form that difference of sums of size ``gram_scale``,
    so each is only good to about sqrt(eps * gram_scale) absolute.
    """
    atol = 10 * np.sqrt(np.finfo(float).eps * max(gram_scale, 1.0))
    np.testing.assert_allclose(got, expected, rtol=RTOL, atol=atol)
    big = expected > 1e3 * atol
    np.testing.assert_allclose(got[big], expected[big], rtol=RTOL)


@SETTINGS
@given(spike_trains(), st.sampled_from([0.001, 0.01, 0.05, 0.3, 1.0, 20.0]))
def test_van_rossum_equals_elephant(case, tau):
    ids, times, n = case
    got = van_rossum_matrix(ids, times, n, tau)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        expected = elephant_dissimilarity.van_rossum_distance(_trains(ids, times, n, 5.0), tau * pq.s)
    counts = np.bincount(ids.astype(np.int64), minlength=n)
    _assert_close_to_elephant(got, expected, float(counts.max(initial=0)) ** 2)


@SETTINGS
@given(spike_trains(), st.sampled_from([0.001, 0.05, 0.3, 1.0]))
def test_van_rossum_matches_reference(case, tau):
    ids, times, n = case
    expected = reference.van_rossum_matrix_reference(ids, times, n, tau)
    counts = np.bincount(ids.astype(np.int64), minlength=n)
    _assert_close_to_elephant(van_rossum_matrix(ids, times, n, tau), expected, float(counts.max(initial=0)) ** 2)


@SETTINGS
@given(spike_trains(), st.sampled_from([0.1, 1.0, 7.5, 50.0, 1000.0]))
def test_victor_purpura_equals_elephant(case, q):
    ids, times, n = case
    got = victor_purpura_matrix(ids, times, n, q)
    expected = elephant_dissimilarity.victor_purpura_distance(_trains(ids, times, n, 5.0), q * pq.Hz)
    np.testing.assert_allclose(got, expected, rtol=RTOL, atol=1e-12)


@SETTINGS
@given(spike_trains(), st.sampled_from([0.1, 7.5, 1000.0]))
def test_victor_purpura_matches_reference(case, q):
    ids, times, n = case
    expected = reference.victor_purpura_matrix_reference(ids, times, n, q)
    np.testing.assert_allclose(victor_purpura_matrix(ids, times, n, q), expected, rtol=RTOL, atol=1e-12)


def test_parallel_paths_equal_serial(monkeypatch):
    from snnmem.analysis import distances

    rng = np.random.default_rng(3)
    n = 70
    ids = rng.integers(0, n, 1500).astype(np.uint32)
    times = rng.uniform(0, 10, ids.size)
    serial_vr = van_rossum_matrix(ids, times, n, 0.02)
    serial_vp = victor_purpura_matrix(ids, times, n, 20.0)
    monkeypatch.setattr(distances, "n_workers", lambda work, max_workers=None: min(2, max_workers or 2))
    np.testing.assert_allclose(van_rossum_matrix(ids, times, n, 0.02), serial_vr, rtol=1e-12, atol=1e-12)
    np.testing.assert_array_equal(victor_purpura_matrix(ids, times, n, 20.0), serial_vp)


def test_long_recording_rescaling_matches_elephant():
    """Times far beyond 300 tau exercise the renormalisation of the scaled traces."""
    rng = np.random.default_rng(5)
    ids = rng.integers(0, 4, 400).astype(np.uint32)
    times = np.sort(rng.uniform(0, 200.0, ids.size))
    times[50:60] += 100.0  # a long silent gap inside the sweep
    got = van_rossum_matrix(ids, times, 4, 0.01)
    expected = elephant_dissimilarity.van_rossum_distance(_trains(ids, times, 4, 400.0), 0.01 * pq.s)
    np.testing.assert_allclose(got, expected, rtol=RTOL)


def test_special_values_and_window():
    ids = np.array([0, 0, 1])
    times = np.array([0.1, 0.2, 0.3])
    np.testing.assert_array_equal(van_rossum_matrix(ids, times, 3, np.inf), [[0, 1, 2], [1, 0, 1], [2, 1, 0]])
    np.testing.assert_array_equal(victor_purpura_matrix(ids, times, 3, 0.0), [[0, 1, 2], [1, 0, 1], [2, 1, 0]])
    # empty train vs single spike: 1 (Elephant's normalisation)
    assert van_rossum_matrix([1], [0.5], 2, 0.01)[0, 1] == pytest.approx(1.0)
    # the window keeps 0.1 and 0.2 of neuron 0 only
    windowed = van_rossum_matrix(ids, times, 2, 0.01, t_start=0.0, t_stop=0.25)
    assert windowed[0, 1] == pytest.approx(van_rossum_matrix(ids[:2], times[:2], 2, 0.01)[0, 1])


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: van_rossum_matrix([0], [0.1], 1, 0.0), "tau"),
        (lambda: van_rossum_matrix([0], [0.1], 1, -1.0), "tau"),
        (lambda: van_rossum_matrix([0], [0.1], 1, np.nan), "tau"),
        (lambda: van_rossum_matrix([3], [0.1], 2, 0.1), "n_neurons"),
        (lambda: van_rossum_matrix([0], [np.nan], 1, 0.1), "NaN"),
        (lambda: van_rossum_matrix([0], [0.1], 1, 0.1, t_start=1.0, t_stop=0.5), "t_stop"),
        (lambda: victor_purpura_matrix([0], [0.1], 1, -1.0), "q"),
        (lambda: victor_purpura_matrix([0], [0.1], 1, np.inf), "q"),
        (lambda: victor_purpura_matrix([0, 1], [0.1], 2, 1.0), "same length"),
    ],
)
def test_distance_input_errors(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_single_spike_and_empty_trains_match_elephant():
    ids, times = np.array([1], dtype=np.uint32), np.array([0.25])
    trains = _trains(ids, times, 3, 1.0)
    np.testing.assert_allclose(
        van_rossum_matrix(ids, times, 3, 0.1), elephant_dissimilarity.van_rossum_distance(trains, 0.1 * pq.s), rtol=RTOL
    )
    np.testing.assert_allclose(
        victor_purpura_matrix(ids, times, 3, 5.0),
        elephant_dissimilarity.victor_purpura_distance(trains, 5.0 * pq.Hz),
        rtol=RTOL,
    )
    np.testing.assert_array_equal(van_rossum_matrix([], [], 2, 0.1), np.zeros((2, 2)))
