"""Collapse vs dip, the decoded centre track and the diffusion fit (snnmem.analysis.bump_dynamics)."""

from __future__ import annotations

import numpy as np
import pytest

from snnmem.analysis.bump_dynamics import bump_course, centre_track, fit_diffusion, msd_curve


@pytest.mark.parametrize(
    ("held", "collapsed", "window", "dips"),
    [
        ([1, 1, 1, 1], False, -1, 0),
        ([1, 0, 1, 1], False, -1, 1),  # a dip
        ([0, 0, 1, 0, 1], False, -1, 2),  # two dips, the first at the start
        ([1, 1, 0, 0], True, 2, 0),  # a collapse
        ([1, 0, 1, 0], True, 3, 1),  # a dip, then a collapse in the last window
        ([0, 0, 0], True, 0, 0),
    ],
)
def test_collapse_and_dips(held, collapsed, window, dips):
    course = bump_course(np.asarray(held, dtype=bool))
    assert (course.collapsed, course.collapse_window, course.dips) == (collapsed, window, dips)


def test_bump_course_refuses_empty():
    with pytest.raises(ValueError, match="non-empty"):
        bump_course(np.array([], dtype=bool))


def test_diffusion_of_a_known_random_walk():
    """A wrapped random walk of D = 20 deg^2/s plus decoding noise of sd 2 deg: D and the offset recovered."""
    rng = np.random.default_rng(3)
    d_true, bin_s, n_bins, n_walks = 20.0, 0.1, 60, 400
    curves = []
    for _ in range(n_walks):
        walk = 180.0 + np.cumsum(rng.normal(0.0, np.sqrt(2 * d_true * bin_s), n_bins))
        observed = (walk + rng.normal(0.0, 2.0, n_bins)) % 360.0
        curves.append(msd_curve(observed, 10)[0])
    lags = bin_s * np.arange(1, 11)
    fit = fit_diffusion(lags, np.mean(curves, axis=0))
    assert fit.d_deg2_per_s == pytest.approx(d_true, rel=0.1)
    assert fit.offset_deg2 == pytest.approx(2 * 2.0**2, abs=2.0)
    np.testing.assert_allclose(fit.predict(lags), fit.offset_deg2 + 2 * fit.d_deg2_per_s * lags)


def test_msd_wraps_round_the_circle_and_skips_nan():
    centre = np.array([359.0, 1.0, np.nan, 3.0])
    msd, pairs = msd_curve(centre, 2)
    assert pairs.tolist() == [1, 1]  # lag 1: only 359 -> 1 is finite; lag 2: 359 -> nan, 1 -> 3
    assert msd[0] == pytest.approx(4.0) and msd[1] == pytest.approx(4.0)
    with pytest.raises(ValueError, match="needs more than"):
        msd_curve(centre, 4)
    with pytest.raises(ValueError, match="at least 3"):
        fit_diffusion(np.array([0.1, 0.2]), np.array([1.0, 2.0]))


def test_centre_track_follows_a_moving_bump():
    """Spikes of cells near a centre that moves 10 deg per 100 ms bin: decoded within a degree."""
    n_exc, rng = 360, np.random.default_rng(5)
    ids, times = [], []
    for b in range(10):
        centre = (350 + 10 * b) % 360
        cells = (centre + rng.integers(-5, 6, 400)) % n_exc
        ids.append(cells)
        times.append(0.1 * b + rng.uniform(0, 0.1, 400))
    ids, times = np.concatenate(ids).astype(np.uint32), np.concatenate(times)
    order = np.argsort(times)
    starts, decoded = centre_track(ids[order], times[order], n_exc, 0.0, 1.0, 0.1)
    np.testing.assert_allclose(starts, 0.1 * np.arange(10), atol=1e-12)
    error = (decoded - (350 + 10 * np.arange(10)) % 360 + 180) % 360 - 180
    assert np.abs(error).max() < 1.0
