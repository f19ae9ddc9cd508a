"""Replay-event detection: planted bursts of known patterns are found, named and timed; numba = reference."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from snnmem.analysis.reference import replay_events_reference
from snnmem.analysis.replay import (
    EVENT_DTYPE,
    REACTIVATION_DTYPE,
    detect_replay_events,
    event_participation,
    pattern_reactivations,
    reactivation_rates,
)

N_CELLS, N_PATTERNS, SIZE = 400, 4, 40


def _patterns() -> np.ndarray:
    """Four disjoint patterns of 40 cells (cells 0-159), 240 cells in none."""
    patterns = np.zeros((N_PATTERNS, N_CELLS))
    for k in range(N_PATTERNS):
        patterns[k, k * SIZE : (k + 1) * SIZE] = 1.0
    return patterns


def _spikes(seed: int, planted: list[tuple[float, int]], duration: float = 10.0, background_hz: float = 1.0):
    """Poisson background plus bursts: ``(time, pattern)``, pattern 0 = 30 % of all cells at random.

    In a burst of pattern k, 80 % of its cells fire once within 20 ms of the time.
    """
    rng = np.random.default_rng(seed)
    n_background = rng.poisson(background_hz * duration * N_CELLS)
    ids = [rng.integers(0, N_CELLS, n_background)]
    times = [rng.uniform(0.0, duration, n_background)]
    for when, pattern in planted:
        if pattern:
            pool = np.arange((pattern - 1) * SIZE, pattern * SIZE)
            cells = rng.choice(pool, size=int(0.8 * SIZE), replace=False)
        else:
            cells = rng.choice(N_CELLS, size=int(0.3 * N_CELLS), replace=False)
        ids.append(cells)
        times.append(when + rng.uniform(0.0, 0.02, cells.size))
    ids, times = np.concatenate(ids), np.concatenate(times)
    order = np.argsort(times, kind="stable")
    return ids[order].astype(np.uint32), times[order]


PLANTED = [(0.7, 1), (1.9, 3), (3.1, 2), (4.4, 0), (5.2, 4), (6.6, 1), (7.7, 0), (8.8, 2)]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_planted_replays_are_found_named_and_timed(seed):
    ids, times = _spikes(seed, PLANTED)
    events = detect_replay_events(ids, times, _patterns(), 0.0, 10.0)
    assert events.dtype == EVENT_DTYPE
    assert len(events) == len(PLANTED), events
    for event, (when, pattern) in zip(events, PLANTED):
        assert event["start_s"] <= when + 0.01 <= event["stop_s"] and abs(event["peak_s"] - (when + 0.01)) < 0.015
        assert event["pattern"] == pattern, (when, event)
        if pattern:
            assert event["score"] > 0.6 and event["score"] - event["second_score"] > 0.5
        else:
            assert event["score"] < 0.2  # an unspecific burst: no pattern stands out
    assert np.all(np.diff(events["start_s"]) > 0)


def test_background_alone_gives_no_specific_replay():
    ids, times = _spikes(4, [])
    events = detect_replay_events(ids, times, _patterns(), 0.0, 10.0)
    # a threshold relative to the window's own mean and sd is crossed by noise too: those events name no pattern
    assert len(events) and np.all(events["pattern"] == 0) and np.all(events["score"] < 0.2)


def test_an_explicit_threshold_and_the_minimum_duration():
    ids, times = _spikes(5, [(2.0, 1), (6.0, 2)])
    events = detect_replay_events(ids, times, _patterns(), 0.0, 10.0, threshold_hz=3.5)
    assert events["pattern"].tolist() == [1, 2]
    assert len(detect_replay_events(ids, times, _patterns(), 0.0, 10.0, threshold_hz=3.5, min_duration=0.1)) == 0
    assert len(detect_replay_events(ids, times, _patterns(), 0.0, 10.0, threshold_hz=100.0)) == 0


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), n_bursts=st.integers(0, 6), threshold_sd=st.floats(1.5, 4.0))
def test_numba_matches_the_numpy_reference(seed, n_bursts, threshold_sd):
    rng = np.random.default_rng(seed)
    when, which = np.sort(rng.uniform(0.2, 9.5, n_bursts)), rng.integers(0, 5, n_bursts)
    planted = [(float(t), int(p)) for t, p in zip(when, which)]
    ids, times = _spikes(seed, planted)
    events = detect_replay_events(ids, times, _patterns(), 0.0, 10.0, threshold_sd=threshold_sd)
    expected = replay_events_reference(ids, times, _patterns(), 0.0, 10.0, threshold_sd=threshold_sd)
    assert len(events) == len(expected)
    for event, (start, stop, pattern, score) in zip(events, expected):
        assert event["start_s"] == pytest.approx(start) and event["stop_s"] == pytest.approx(stop)
        assert event["pattern"] == pattern and event["score"] == pytest.approx(score)


def _small_bursts(seed: int, planted: list[tuple[float, int]]):
    """Pattern cells at 1 Hz, the 240 others at 20 Hz, and bursts (2 spikes of 32 cells of a pattern in 30 ms)."""
    rng = np.random.default_rng(seed)
    outside = N_PATTERNS * SIZE
    n_in, n_out = rng.poisson(1.0 * 10.0 * outside), rng.poisson(20.0 * 10.0 * (N_CELLS - outside))
    ids = [rng.integers(0, outside, n_in), rng.integers(outside, N_CELLS, n_out)]
    times = [rng.uniform(0.0, 10.0, n_in), rng.uniform(0.0, 10.0, n_out)]
    for when, pattern in planted:
        cells = np.repeat(rng.choice(np.arange((pattern - 1) * SIZE, pattern * SIZE), 32, replace=False), 2)
        ids.append(cells)
        times.append(when + rng.uniform(0.0, 0.03, cells.size))
    ids, times = np.concatenate(ids), np.concatenate(times)
    order = np.argsort(times, kind="stable")
    return ids[order].astype(np.uint32), times[order]


@pytest.mark.parametrize("seed", [1, 2])
def test_bursts_found_in_the_rate_of_the_pattern_cells_only(seed):
    """Bursts found in the rate of the pattern cells (busy cells outside every pattern left out), scored on all."""
    planted = [(1.0, 1), (3.0, 2), (5.0, 3), (7.0, 4)]
    ids, times = _small_bursts(seed, planted)
    patterns = _patterns()
    cells = patterns.any(axis=0)
    events = detect_replay_events(ids, times, patterns, 0.0, 10.0, burst_cells=cells)
    specific = events[events["pattern"] > 0]
    assert specific["pattern"].tolist() == [1, 2, 3, 4]
    for event, (when, _) in zip(specific, planted):
        assert event["start_s"] <= when + 0.02 <= event["stop_s"]
    expected = replay_events_reference(ids, times, patterns, 0.0, 10.0, burst_cells=cells)
    assert len(expected) == len(events)
    for event, (start, stop, pattern, score) in zip(events, expected):
        assert (event["start_s"], event["stop_s"], event["score"]) == pytest.approx((start, stop, score))
        assert event["pattern"] == pattern
    with pytest.raises(ValueError, match="burst_cells"):
        detect_replay_events(ids, times, patterns, 0.0, 10.0, burst_cells=np.zeros(N_CELLS, dtype=bool))


def test_event_participation_any_spike_order():
    ids = np.array([3, 1, 2, 1, 0], dtype=np.uint32)
    times = np.array([0.5, 0.1, 0.25, 0.7, 0.05])
    fired = event_participation(ids, times, 4, np.array([0.0, 0.2]), np.array([0.15, 0.6]))
    assert fired.tolist() == [[1, 1, 0, 0], [0, 0, 1, 1]]


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"patterns": np.zeros((2, 10))}, "at least one cell"),
        ({"patterns": np.ones(10)}, "2-D"),
        ({"bin_width": 0.0}, "bin_width"),
        ({"t_stop": -1.0}, "t_stop"),
        ({"min_duration": -0.01}, "min_duration"),
        ({"merge_gap": -1}, "merge_gap"),
        ({"edge_sd": 5.0}, "edge_sd"),
    ],
)
def test_bad_arguments_name_themselves(kwargs, message):
    arguments = {"patterns": np.eye(10), "t_start": 0.0, "t_stop": 1.0, **kwargs}
    with pytest.raises(ValueError, match=message):
        detect_replay_events(np.zeros(3, dtype=np.uint32), np.array([0.1, 0.2, 0.3]), **arguments)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_reactivations_count_each_patterns_own_bursts_and_which_are_selective(seed):
    ids, times = _spikes(seed, PLANTED)
    events = pattern_reactivations(ids, times, _patterns(), 0.0, 10.0, threshold_hz=10.0)
    assert events.dtype == REACTIVATION_DTYPE
    assert np.all(np.diff(events["start_s"]) >= 0)
    selective = events[events["pattern"] == events["source"]]
    # every planted burst of a pattern is found once, selective, in its own cells' rate
    assert len(selective) == sum(1 for _, p in PLANTED if p)
    for when, pattern in PLANTED:
        if pattern:
            assert any(e["source"] == pattern and e["start_s"] <= when + 0.01 <= e["stop_s"] for e in selective)
    # the two unspecific bursts (30 % of all cells) reach the threshold in some patterns' cells, never selectively
    unspecific = [e for e in events if any(e["start_s"] <= w + 0.01 <= e["stop_s"] for w, p in PLANTED if p == 0)]
    assert unspecific and all(e["pattern"] == 0 for e in unspecific)
    rates = reactivation_rates(events, N_PATTERNS, 10.0)
    # patterns 1 and 2 reactivate twice, 3 and 4 once, in 10 s
    assert np.allclose(rates["selective_per_min"], [12.0, 12.0, 6.0, 6.0])
    assert np.all(rates["bursts_per_min"] >= rates["selective_per_min"])
    assert rates["selectivity"] == pytest.approx(len(selective) / len(events))


def test_reactivation_rates_of_no_burst_and_bad_arguments():
    none = np.zeros(0, dtype=REACTIVATION_DTYPE)
    rates = reactivation_rates(none, 3, 30.0)
    assert np.all(rates["bursts_per_min"] == 0) and np.isnan(rates["selectivity"])
    with pytest.raises(ValueError, match="duration_s"):
        reactivation_rates(none, 3, -1.0)
    ids, times = _spikes(1, PLANTED)
    with pytest.raises(ValueError, match="burst_cells"):
        pattern_reactivations(ids, times, _patterns(), 0.0, 10.0, threshold_hz=10.0, burst_cells=None)
    with pytest.raises(ValueError, match="threshold_hz"):
        pattern_reactivations(ids, times, _patterns(), 0.0, 10.0, threshold_hz=-1.0)
