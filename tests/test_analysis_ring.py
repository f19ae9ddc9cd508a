"""snnmem.analysis.ring: bump scores on synthetic Poisson spike trains with a known bump."""

from __future__ import annotations

import numpy as np
import pytest

from snnmem.analysis import bin_spikes
from snnmem.analysis.decoding import circular_distance
from snnmem.analysis.ring import preferred_angles, ring_bump_scores, ring_rate_map

N_EXC, N_INH = 512, 128
PEAK_HZ, BACKGROUND_HZ, SIGMA_DEG = 40.0, 1.0, 12.0
DELAY_START, DELAY_STOP = 1.25, 4.0  # 5 whole windows of 0.5 s


def poisson_spikes(rates_hz: np.ndarray, t_start: float, t_stop: float, rng) -> tuple[np.ndarray, np.ndarray]:
    """Homogeneous Poisson spikes per neuron, merged and sorted by time (the run-file layout)."""
    counts = rng.poisson(rates_hz * (t_stop - t_start))
    ids = np.repeat(np.arange(rates_hz.size, dtype=np.uint32), counts)
    times = rng.uniform(t_start, t_stop, ids.size)
    order = np.argsort(times)
    return ids[order], times[order]


def bump_rates(centre_deg: float) -> np.ndarray:
    distance = np.degrees(circular_distance(preferred_angles(N_EXC), np.radians(centre_deg)))
    return BACKGROUND_HZ + (PEAK_HZ - BACKGROUND_HZ) * np.exp(-0.5 * (distance / SIGMA_DEG) ** 2)


def simulate_ring(centre_deg: float, seed: int, collapse_at: float | None = None):
    rng = np.random.default_rng(seed)
    stop = DELAY_STOP if collapse_at is None else collapse_at
    exc = [poisson_spikes(bump_rates(centre_deg), 0.0, stop, rng)]
    if collapse_at is not None:
        exc.append(poisson_spikes(np.full(N_EXC, BACKGROUND_HZ), collapse_at, DELAY_STOP, rng))
    exc_ids = np.concatenate([e[0] for e in exc])
    exc_times = np.concatenate([e[1] for e in exc])
    inh_ids, inh_times = poisson_spikes(np.full(N_INH, 10.0), 0.0, DELAY_STOP, rng)
    return exc_ids, exc_times, inh_ids, inh_times


@pytest.mark.parametrize(("cue_deg", "seed"), [(0.0, 1), (1.5, 2), (90.0, 3), (200.0, 4), (358.5, 5)])
def test_held_bump_scores(cue_deg, seed):
    exc_ids, exc_times, inh_ids, inh_times = simulate_ring(cue_deg, seed)
    scores, arrays = ring_bump_scores(
        exc_ids, exc_times, N_EXC, inh_ids, inh_times, N_INH, cue_deg, DELAY_START, DELAY_STOP
    )
    assert set(scores) == {
        "bump_peak_rate_hz",
        "background_rate_hz",
        "inhibitory_rate_hz",
        "decoded_angle_error_deg",
        "bump_persisted",
        "bump_collapsed",
        "bump_collapse_time_s",
        "bump_dips",
    }
    assert all(type(value) is float for value in scores.values())
    assert scores["bump_collapsed"] == 0.0 and scores["bump_dips"] == 0.0 and np.isnan(scores["bump_collapse_time_s"])
    np.testing.assert_allclose(arrays["window_start_s"], [1.25, 1.75, 2.25, 2.75, 3.25])
    errors = np.degrees(circular_distance(np.radians(arrays["window_centre_deg"]), np.radians(cue_deg)))
    assert errors.max() < 3.0  # every window, incl. bumps straddling 0/360
    assert np.all((arrays["window_centre_deg"] >= 0) & (arrays["window_centre_deg"] < 360))
    assert scores["decoded_angle_error_deg"] < 3.0
    assert scores["bump_peak_rate_hz"] == pytest.approx(39.0, rel=0.1)  # mean of the profile within 5 deg
    assert scores["background_rate_hz"] == pytest.approx(BACKGROUND_HZ, rel=0.25)
    assert scores["inhibitory_rate_hz"] == pytest.approx(10.0, rel=0.05)
    assert scores["bump_persisted"] == 1.0


def test_collapsing_bump_is_not_persisted():
    exc_ids, exc_times, inh_ids, inh_times = simulate_ring(120.0, seed=7, collapse_at=2.5)
    scores, arrays = ring_bump_scores(
        exc_ids, exc_times, N_EXC, inh_ids, inh_times, N_INH, 120.0, DELAY_START, DELAY_STOP
    )
    assert scores["bump_persisted"] == 0.0
    assert scores["bump_collapsed"] == 1.0 and scores["bump_dips"] == 0.0
    assert scores["bump_collapse_time_s"] in (2.25, 2.75)  # the window holding 2.5 s may still pass
    peak, background = arrays["window_peak_rate_hz"], arrays["window_background_rate_hz"]
    assert np.all(peak[:2] >= 4 * background[:2])
    assert np.all(peak[3:] < 4 * background[3:])


def test_empty_windows():
    exc_ids, exc_times, inh_ids, inh_times = simulate_ring(45.0, seed=8)
    keep = exc_times < 2.25  # nothing after the second window
    scores, arrays = ring_bump_scores(
        exc_ids[keep], exc_times[keep], N_EXC, inh_ids, inh_times, N_INH, 45.0, DELAY_START, DELAY_STOP
    )
    assert np.isnan(arrays["window_centre_deg"][2:]).all()
    np.testing.assert_array_equal(arrays["window_peak_rate_hz"][2:], 0.0)
    assert np.isnan(scores["decoded_angle_error_deg"])
    assert scores["bump_persisted"] == 0.0
    no_spikes = np.array([], dtype=np.uint32), np.array([])
    scores, _ = ring_bump_scores(*no_spikes, N_EXC, *no_spikes, N_INH, 45.0, DELAY_START, DELAY_STOP)
    assert scores["bump_peak_rate_hz"] == 0.0 and scores["bump_persisted"] == 0.0
    assert scores["inhibitory_rate_hz"] == 0.0


def test_peak_and_background_by_hand():
    """Small ring where the neighbourhoods can be listed: 72 neurons, 5 deg apart."""
    n = 72
    ids = np.array([10, 10, 11, 9, 40, 50], dtype=np.uint32)  # bump at neuron 10 (50 deg)
    times = np.array([0.1, 0.2, 0.3, 0.4, 0.5, 0.6])
    scores, arrays = ring_bump_scores(ids, times, n, [], [], 1, 50.0, 0.0, 1.0, window=1.0)
    centre = arrays["window_centre_deg"][0]
    assert centre == pytest.approx(
        np.degrees(
            np.arctan2(
                (np.sin(np.radians(5 * np.array([10, 10, 11, 9, 40, 50])))).sum(),
                (np.cos(np.radians(5 * np.array([10, 10, 11, 9, 40, 50])))).sum(),
            )
        )
        % 360
    )
    near = np.degrees(circular_distance(np.radians(5.0 * np.arange(n)), np.radians(centre))) <= 5.0
    counts = np.bincount(ids, minlength=n).astype(float)
    assert scores["bump_peak_rate_hz"] == pytest.approx(counts[near].mean())
    far = np.degrees(circular_distance(np.radians(5.0 * np.arange(n)), np.radians(centre))) > 90.0
    assert scores["background_rate_hz"] == pytest.approx(counts[far].mean())


def test_window_count_and_errors():
    ids, times = np.array([0], dtype=np.uint32), np.array([0.3])
    _, arrays = ring_bump_scores(ids, times, 8, ids, times, 1, 0.0, 0.25, 2.9)  # 2.65 s -> 5 windows
    assert arrays["window_start_s"].size == 5
    with pytest.raises(ValueError, match="window"):
        ring_bump_scores(ids, times, 8, ids, times, 1, 0.0, 0.25, 0.5)
    with pytest.raises(ValueError, match="delay_stop"):
        ring_bump_scores(ids, times, 8, ids, times, 1, 0.0, 1.0, 0.5)
    with pytest.raises(ValueError, match="n_neurons"):
        ring_bump_scores(np.array([9]), times, 8, ids, times, 1, 0.0, 0.0, 1.0)


def test_ring_rate_map():
    exc_ids, exc_times, *_ = simulate_ring(180.0, seed=9)
    rates, centres = ring_rate_map(exc_ids, exc_times, N_EXC, 0.0, 4.0, 0.5, n_angle_bins=64)
    assert rates.shape == (8, 64) and centres.shape == (64,)
    np.testing.assert_allclose(centres, 360.0 * (8 * np.arange(64) + 3.5) / N_EXC)
    assert abs(centres[np.argmax(rates.mean(axis=0))] - 180.0) < 12.0
    counts = bin_spikes(exc_ids, exc_times, N_EXC, 0.0, 4.0, 0.5)
    np.testing.assert_allclose(rates[:, 0], counts[:8].sum(axis=0) / (8 * 0.5))
    with pytest.raises(ValueError, match="n_angle_bins"):
        ring_rate_map(exc_ids, exc_times, 10, 0.0, 4.0, 0.5, n_angle_bins=11)
