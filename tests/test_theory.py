"""Mean-field theory of the item-attractor network (snnmem.theory.item_attractor)."""

from __future__ import annotations

from pathlib import Path

import numba
import numpy as np
import pytest

from snnmem.config import load_model
from snnmem.theory.item_attractor import MeanField, lif_rate, nmda_gating_mean

MODEL = Path(__file__).resolve().parents[1] / "models" / "brunel_wang2001.toml"
TAU_RISE, TAU_DECAY, ALPHA = 2e-3, 100e-3, 500.0


@numba.njit(cache=False)
def _simulated_gating(rate_hz, duration_s, dt, seed):
    """Mean of the NMDA gating driven by Poisson spikes, integrated directly (Euler, small dt)."""
    np.random.seed(seed)
    gating, rise, total = 0.0, 0.0, 0.0
    steps = int(duration_s / dt)
    for _ in range(steps):
        if np.random.random() < rate_hz * dt:
            rise += 1.0
        gating += dt * (-gating / TAU_DECAY + ALPHA * rise * (1.0 - gating))
        rise -= dt * rise / TAU_RISE
        total += gating
    return total / steps


@pytest.mark.parametrize("rate_hz", [1.0, 5.0, 20.0, 40.0])
def test_nmda_gating_series_is_close_to_the_simulated_mean(rate_hz):
    """Brunel & Wang's series for <s> is an approximation: within 6 % of the directly integrated mean."""
    series = nmda_gating_mean(rate_hz, TAU_RISE, TAU_DECAY, ALPHA)
    simulated = _simulated_gating(rate_hz, max(100.0, 2000.0 / rate_hz), 2e-5, 3)  # >= 2000 spikes
    assert series == pytest.approx(simulated, rel=0.06)
    # and it saturates: below the first-order value nu tau_N / (1 + nu tau_N)
    first_order = rate_hz * ALPHA * TAU_RISE * TAU_DECAY
    assert series < first_order / (1 + first_order)


def test_nmda_gating_rejects_bad_rates():
    with pytest.raises(ValueError, match="rate_hz"):
        nmda_gating_mean(float("nan"), TAU_RISE, TAU_DECAY, ALPHA)


def test_lif_rate_limits():
    """Small noise above threshold: the deterministic rate 1 / (t_ref + tau ln((mu - V_r) / (mu - V_th)))."""
    tau, v_th, v_r, ref = 0.02, -0.05, -0.055, 0.002
    mu = -0.045
    expected = 1.0 / (ref + tau * np.log((mu - v_r) / (mu - v_th)))
    assert lif_rate(mu, 1e-5, tau, v_th, v_r, ref) == pytest.approx(expected, rel=1e-3)
    # far below threshold: silent; the rate grows with the mean and with the noise
    assert lif_rate(-0.07, 0.001, tau, v_th, v_r, ref) < 1e-100
    rates = [lif_rate(mu, 0.004, tau, v_th, v_r, ref) for mu in (-0.056, -0.053, -0.05)]
    assert rates[0] < rates[1] < rates[2]
    assert lif_rate(-0.053, 0.002, tau, v_th, v_r, ref) < lif_rate(-0.053, 0.004, tau, v_th, v_r, ref)
    # filtering by a synapse raises the effective threshold: fewer spikes
    assert lif_rate(-0.053, 0.004, tau, v_th, v_r, ref, tau_synapse=0.002) < rates[1]


@pytest.fixture(scope="module")
def states():
    theory = MeanField(load_model(MODEL))
    return {items: theory.fixed_point(items) for items in ((), (1,), (1, 2), (1, 2, 3))}


def test_published_network_has_one_and_two_item_states(states):
    """At w+ = 2.1: a one-item state at 15-30 Hz (issue 7's range; simulation 25.8-29.9 Hz), a two-item state
    that is stable against one item taking over (lambda_anti < 1: the large-network limit of the simulated
    finite-size fragility), and no three-item state."""
    spontaneous, one, two, three = (states[k] for k in ((), (1,), (1, 2), (1, 2, 3)))
    assert all(s.converged for s in states.values())
    assert spontaneous.selective_hz.max() < 5 and spontaneous.inhibitory_hz > spontaneous.nonselective_hz
    assert 15 <= one.selective_hz[0] <= 30 and one.selective_hz[1:].max() < 4
    assert two.selective_hz[0] == two.selective_hz[1] > 15 and two.selective_hz[2:].max() < 4
    assert 0 < two.antisymmetric_eigenvalue() < 1
    assert two.inhibitory_hz > one.inhibitory_hz > spontaneous.inhibitory_hz
    assert three.selective_hz.max() < 5  # three items fall back to the spontaneous state


def test_weak_potentiation_has_no_memory_state():
    theory = MeanField(load_model(MODEL, {"connectivity.w_plus": 1.9}))
    assert theory.fixed_point((1,)).selective_hz[0] < 5


def test_theory_needs_an_item_attractor_model():
    with pytest.raises(ValueError, match="item_attractor"):
        MeanField(load_model(Path(__file__).resolve().parents[1] / "models" / "compte2000.toml"))
