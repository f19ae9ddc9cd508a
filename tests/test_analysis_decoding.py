"""snnmem.analysis.decoding: population vector against the reference, wrap-around, circular distance."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from snnmem.analysis import reference
from snnmem.analysis.decoding import circular_distance, population_vector_angle
from snnmem.analysis.ring import preferred_angles

SETTINGS = settings(max_examples=60, deadline=None)


@SETTINGS
@given(
    st.integers(1, 40).flatmap(
        lambda n: st.tuples(
            arrays(np.int32, st.tuples(st.just(n), st.integers(1, 30)), elements=st.integers(0, 5)),
            st.just(preferred_angles(n)),
        )
    )
)
def test_population_vector_matches_reference(case):
    counts, theta = case
    got = population_vector_angle(counts, theta)
    expected = reference.population_vector_angle_reference(counts, theta)
    np.testing.assert_array_equal(np.isnan(got), np.isnan(expected))
    ok = ~np.isnan(expected)
    assert np.all(circular_distance(got[ok], expected[ok]) < 1e-9)
    assert np.all((got[ok] >= 0) & (got[ok] < 2 * np.pi))


@pytest.mark.parametrize("angle_deg", [0.0, 1.0, 90.0, 180.0, 271.3, 359.0, 359.9])
def test_population_vector_recovers_bump_angle_incl_wrap(angle_deg):
    n = 360
    theta = preferred_angles(n)
    profile = np.exp(-0.5 * (circular_distance(theta, np.radians(angle_deg)) / np.radians(10)) ** 2)
    rates = np.stack([profile, 2 * profile], axis=1)
    decoded = population_vector_angle(rates, theta)
    assert np.degrees(circular_distance(decoded, np.radians(angle_deg))).max() < 1e-6


def test_float_and_1d_activity():
    theta = preferred_angles(4)
    assert population_vector_angle(np.array([0.0, 3.0, 0.0, 0.0]), theta) == pytest.approx(np.pi / 2)
    assert np.isnan(population_vector_angle(np.zeros(4), theta))


def test_shape_mismatch_rejected():
    with pytest.raises(ValueError, match="preferred_angles_rad"):
        population_vector_angle(np.ones((4, 2)), np.zeros(3))


@SETTINGS
@given(st.floats(-20, 20), st.floats(-20, 20))
def test_circular_distance_properties(a, b):
    d = circular_distance(a, b)
    assert 0.0 <= d <= np.pi
    assert d == pytest.approx(circular_distance(b, a), abs=1e-12)
    assert circular_distance(a, a + 2 * np.pi) == pytest.approx(0.0, abs=1e-9)


def test_circular_distance_known_values_and_arrays():
    np.testing.assert_allclose(
        circular_distance(np.radians([359.0, 0.0, 90.0]), np.radians([1.0, 180.0, 300.0])),
        np.radians([2.0, 180.0, 150.0]),
    )
    assert np.isnan(circular_distance(np.nan, 1.0))
