"""snnmem.analysis.overlaps: overlaps, correlation, completion and recall against the reference."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from snnmem.analysis import binning, reference
from snnmem.analysis.overlaps import (
    binary_state,
    completion_correlation,
    overlap_01,
    overlap_pm1,
    pattern_correlation,
    recalled_pattern,
    spike_overlaps,
)

SETTINGS = settings(max_examples=60, deadline=None)


@st.composite
def activity_and_patterns(draw, coding: str):
    n = draw(st.integers(2, 30))
    n_bins = draw(st.integers(1, 140))
    dtype = draw(st.sampled_from([np.int32, np.float64, np.int64]))
    activity = draw(arrays(dtype, (n, n_bins), elements=st.integers(0, 6)))
    n_patterns = draw(st.integers(1, 5))
    values = [-1, 1] if coding == "pm1" else [0, 1]
    patterns = draw(arrays(np.int8, (n_patterns, n), elements=st.sampled_from(values)))
    return activity, patterns


@SETTINGS
@given(activity_and_patterns("pm1"))
def test_overlap_pm1_matches_reference(case):
    activity, patterns = case
    np.testing.assert_allclose(
        overlap_pm1(activity, patterns), reference.overlap_pm1_reference(activity, patterns), rtol=1e-12, atol=1e-12
    )


@SETTINGS
@given(activity_and_patterns("01"), st.floats(0.05, 0.95))
def test_overlap_01_matches_reference(case, a):
    activity, patterns = case
    np.testing.assert_allclose(
        overlap_01(activity, patterns, a), reference.overlap_01_reference(activity, patterns, a), rtol=1e-11, atol=1e-11
    )


@SETTINGS
@given(activity_and_patterns("01"))
def test_pattern_correlation_matches_reference(case):
    activity, patterns = case
    got = pattern_correlation(activity, patterns)
    expected = reference.pattern_correlation_reference(activity, patterns)
    np.testing.assert_array_equal(np.isnan(got), np.isnan(expected))
    np.testing.assert_allclose(got, expected, rtol=1e-10, atol=1e-12)


def test_large_matrix_uses_parallel_blocks_and_agrees(monkeypatch):
    from snnmem.analysis import _columns

    monkeypatch.setattr(_columns, "n_workers", lambda work, max_workers=None: min(3, max_workers))
    rng = np.random.default_rng(1)
    activity = rng.poisson(2.0, size=(50, 700)).astype(np.int32)
    patterns = np.where(rng.random((4, 50)) < 0.5, 1, -1)
    np.testing.assert_allclose(
        overlap_pm1(activity, patterns), reference.overlap_pm1_reference(activity, patterns), rtol=1e-12, atol=1e-12
    )
    np.testing.assert_allclose(
        pattern_correlation(activity, patterns),
        reference.pattern_correlation_reference(activity, patterns),
        rtol=1e-10,
        atol=1e-12,
    )


def test_perfect_recall_gives_one():
    rng = np.random.default_rng(0)
    patterns01 = np.zeros((3, 400), dtype=int)
    for row in patterns01:
        row[rng.permutation(400)[:40]] = 1  # coding level exactly 0.1
    m = overlap_01(patterns01[1], patterns01, 0.1)
    assert m[1] == pytest.approx(1.0)
    assert abs(m[0]) < 0.3 and abs(m[2]) < 0.3
    assert recalled_pattern(m) == 1
    pm1 = 2 * patterns01 - 1
    assert overlap_pm1(pm1[2], pm1)[2] == pytest.approx(1.0)
    assert recalled_pattern(overlap_pm1(pm1[2], pm1)) == 2


def test_completion_ignores_cued_neurons():
    pattern = np.array([1, 1, 1, 1, 0, 0, 0, 0, 1, 0], dtype=float)
    cued = np.zeros(10, dtype=bool)
    cued[:2] = True
    activity = pattern.copy()
    activity[:2] = 50.0  # the cue drives these hard; they must not count
    assert completion_correlation(activity, pattern, cued)[0] == pytest.approx(1.0)
    wrong = 1 - pattern
    wrong[:2] = 50.0
    assert completion_correlation(wrong, pattern, cued)[0] == pytest.approx(-1.0)


def test_recalled_pattern_threshold_and_nan():
    scores = np.array([[0.1, 0.7, 0.2], [np.nan, np.nan, np.nan], [0.1, 0.2, 0.05]])
    np.testing.assert_array_equal(recalled_pattern(scores, threshold=0.5), [1, -1, -1])
    np.testing.assert_array_equal(recalled_pattern(scores), [1, -1, 1])


def test_binary_state():
    counts = np.array([[0, 1, 3]])
    np.testing.assert_array_equal(binary_state(counts), [[0, 1, 1]])
    np.testing.assert_array_equal(binary_state(counts, "pm1", min_spikes=2), [[-1, -1, 1]])


@SETTINGS
@given(
    st.integers(1, 20).flatmap(
        lambda n: st.tuples(
            st.just(n),
            arrays(np.int8, (3, n), elements=st.sampled_from([-1, 1])),
            st.lists(st.tuples(st.integers(0, n - 1), st.floats(-0.5, 2.5)), max_size=100),
        )
    ),
    st.booleans(),
)
def test_spike_overlaps_equal_binning_then_overlap(case, parallel):
    n, patterns, spikes = case
    ids = np.array([s[0] for s in spikes], dtype=np.uint32)
    times = np.array([s[1] for s in spikes], dtype=np.float64)
    original = binning.n_workers
    if parallel:
        binning.n_workers = lambda work, max_workers=None: 3
    try:
        got_pm1 = spike_overlaps(ids, times, patterns, 0.0, 2.0, 0.25)
        got_01 = spike_overlaps(ids, times, (patterns + 1) // 2, 0.0, 2.0, 0.25, coding="01", coding_level=0.3)
    finally:
        binning.n_workers = original
    np.testing.assert_allclose(
        got_pm1, reference.spike_overlaps_reference(ids, times, patterns, 0.0, 2.0, 0.25), rtol=1e-12, atol=1e-12
    )
    np.testing.assert_allclose(
        got_01,
        reference.spike_overlaps_reference(ids, times, (patterns + 1) // 2, 0.0, 2.0, 0.25, "01", 0.3),
        rtol=1e-11,
        atol=1e-11,
    )


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: overlap_pm1(np.ones((3, 2)), np.array([[1, 0, 1]])), "-1 and \\+1"),
        (lambda: overlap_01(np.ones((3, 2)), np.array([[1, 0, 1]]), 1.5), "coding_level"),
        (lambda: overlap_01(np.ones((3, 2)), np.array([[1, 0, 2]]), 0.5), "0 and 1"),
        (lambda: overlap_pm1(np.ones((3, 2)), np.ones((1, 4))), "patterns"),
        (lambda: completion_correlation(np.ones(3), np.ones((1, 3)), np.array([1, 0, 0])), "cued"),
        (lambda: spike_overlaps([0], [0.1], np.ones((1, 2)), 0.0, 1.0, 0.5, coding="01"), "coding_level"),
    ],
)
def test_overlap_input_errors(call, message):
    with pytest.raises(ValueError, match=message):
        call()
