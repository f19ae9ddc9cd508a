"""Forgetting-curve fits: parameters recovered from planted curves, the right shape preferred, bad input refused."""

from __future__ import annotations

import numpy as np
import pytest

from snnmem.analysis.retention import fit_forgetting_curve

AGES = np.array([0, 60, 120, 300, 600, 900, 1800, 2700, 3600], dtype=float)


def test_an_exponential_curve_is_recovered_and_preferred():
    rng = np.random.default_rng(0)
    curve = 0.6 + 0.4 * np.exp(-AGES / 700.0) + rng.normal(0, 0.002, AGES.size)
    fits = fit_forgetting_curve(AGES, curve)
    exp = fits["exponential"]
    assert exp.parameters["r_inf"] == pytest.approx(0.6, abs=0.02)
    assert exp.parameters["tau_s"] == pytest.approx(700.0, rel=0.1)
    assert exp.aic < fits["power_law"].aic - 2
    np.testing.assert_allclose(exp.predict(AGES), curve, atol=0.01)


def test_a_power_law_curve_is_recovered_and_preferred():
    rng = np.random.default_rng(1)
    curve = (1 + AGES / 50.0) ** -0.3 + rng.normal(0, 0.002, AGES.size)
    fits = fit_forgetting_curve(AGES, curve)
    power = fits["power_law"]
    assert power.parameters["beta"] == pytest.approx(0.3, rel=0.1)
    assert power.parameters["t0_s"] == pytest.approx(50.0, rel=0.25)
    assert power.aic < fits["exponential"].aic - 2


def test_a_curve_that_does_not_decay_is_reported_as_no_forgetting():
    fits = fit_forgetting_curve(AGES, np.ones(AGES.size))
    assert fits["exponential"].parameters["tau_s"] == np.inf
    assert fits["power_law"].parameters["beta"] == pytest.approx(0.0, abs=1e-6)


@pytest.mark.parametrize(
    "ages, values, message",
    [
        ([0, 1, 2], [1, 1, 1], "at least 4 distinct ages"),
        ([0, 1, 2, 3], [1, 1, 1], "of one length"),
        ([0, 1, 2, -3], [1, 1, 1, 1], ">= 0"),
        ([0, 1, 2, 3], [1, np.nan, 1, 1], "finite"),
    ],
)
def test_bad_curves_are_refused(ages, values, message):
    with pytest.raises(ValueError, match=message):
        fit_forgetting_curve(np.array(ages, dtype=float), np.array(values, dtype=float))


def test_trained_after_counts_distinct_assemblies_presented_after_the_last_presentation():
    from snnmem.analysis.assemblies import trained_after

    # order 0, 1, 2, 0, 1 (1 s each); assembly 3 never presented
    events = np.array([[0, 1, 0], [1, 2, 1], [2, 3, 2], [3, 4, 0], [4, 5, 1]], dtype=float)
    np.testing.assert_array_equal(trained_after(events, 4), [1, 0, 2, -1])


def test_assembly_weight_ratios_are_each_assemblys_internal_over_between_weight():
    from snnmem.analysis.assemblies import assembly_weight_ratios

    members = np.array([[1, 1, 0, 0], [0, 0, 1, 1]], dtype=bool)
    pre, post = np.nonzero(~np.eye(4, dtype=bool))
    w = np.ones(pre.size)
    w[(pre < 2) & (post < 2)] = 3.0  # assembly 0 internal
    w[(pre >= 2) & (post >= 2)] = 2.0  # assembly 1 internal
    np.testing.assert_allclose(assembly_weight_ratios(w, pre, post, members), [3.0, 2.0])
