"""Plasticity rules: Brian2 synapses against the exact numpy references.

Every rule is driven in Brian2 (numpy codegen target, dt = 0.1 ms) and in the numpy
reference with the same spike trains; the trajectories agree to 1e-6 relative, and
clock-driven traces agree with event-driven ones to 1e-3.
"""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from snnmem.plasticity import InhibitorySTDP, PairSTDP, TripletSTDP, TsodyksMarkramSTP

DT = 1e-4
DURATION = 0.6
N_SYNAPSES = 4


def _trains(seed: int, rate_hz: float, n: int = N_SYNAPSES) -> list[np.ndarray]:
    """Poisson-like trains on the dt grid (at most one spike per step)."""
    rng = np.random.default_rng(seed)
    n_steps = int(round(DURATION / DT))
    trains = []
    for _ in range(n):
        steps = np.flatnonzero(rng.random(n_steps) < rate_hz * DT)
        steps = steps[steps >= 10]
        trains.append(steps * DT)
    return trains


def _paired_trains(seed: int) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Pre and post trains, with some exactly coincident and some 1-step-apart spikes."""
    pre = _trains(seed, 40.0)
    post = _trains(seed + 1000, 40.0)
    post[0] = np.union1d(post[0], pre[0][:3])  # coincident pre/post spikes
    post[1] = np.union1d(post[1], pre[1][:3] + DT)  # post one step after pre
    return pre, post


def _drive(rule, pre, post, w0, mode="event-driven"):
    from snnmem.plasticity.drive import drive_synapses

    return drive_synapses(
        rule, pre, post, initial={"w": w0}, dt=DT, mode=mode, record=["w"], duration=DURATION + 2 * DT
    )


def _reference_on_grid(rule, pre, post, w0, times):
    out = np.empty((len(pre), times.size))
    for k, (p, q) in enumerate(zip(pre, post)):
        trajectory = rule.reference(p, q, w0)
        idx = np.searchsorted(trajectory.times, times + DT / 2, side="right")
        padded = np.concatenate([[w0], trajectory.weights])
        out[k] = padded[idx]
    return out


STDP_RULES = {
    "pair_additive_all_to_all": PairSTDP(
        a_plus=0.05, a_minus=0.06, tau_plus=16.8e-3, tau_minus=33.7e-3, w_min=0.0, w_max=1.0
    ),
    "pair_additive_nearest": PairSTDP(
        a_plus=0.05, a_minus=0.06, tau_plus=16.8e-3, tau_minus=33.7e-3, interaction="nearest_spike"
    ),
    "pair_multiplicative_all_to_all": PairSTDP(a_plus=0.04, a_minus=0.1, weight_dependence="multiplicative"),
    "pair_multiplicative_nearest": PairSTDP(
        a_plus=0.04, a_minus=0.1, weight_dependence="multiplicative", interaction="nearest_spike"
    ),
    "pair_song2000_hard_bounds": PairSTDP.preset("song2000", a_plus=0.2, a_minus=0.21),
    "triplet_minimal_all_to_all": TripletSTDP.preset("pfister2006_visual_minimal_all_to_all"),
    "triplet_full_all_to_all": TripletSTDP.preset("pfister2006_visual_full_all_to_all"),
    "triplet_minimal_nearest": TripletSTDP.preset("pfister2006_visual_minimal_nearest_spike"),
    "triplet_full_bounded": TripletSTDP.preset(
        "pfister2006_visual_full_all_to_all", a3_plus=0.05, a2_minus=0.05, a3_minus=0.02, w_min=0.45, w_max=0.55
    ),
    "triplet_soft_bounds_multiplicative": TripletSTDP.preset(
        "pfister2006_visual_full_all_to_all",
        a3_plus=0.05,
        a2_minus=0.05,
        a3_minus=0.02,
        w_min=0.0,
        w_max=1.0,
        soft_bound_exponent=1.0,
        w_reference=0.3,
    ),
    "triplet_soft_bounds_mu_half": TripletSTDP.preset(
        "pfister2006_visual_minimal_nearest_spike",
        a3_plus=0.1,
        w_min=0.2,
        w_max=0.9,
        soft_bound_exponent=0.5,
        w_reference=0.6,
    ),
    "inhibitory_vogels2011": InhibitorySTDP.preset("vogels2011", eta=0.01),
    "inhibitory_bounded": InhibitorySTDP(eta=0.05, rho0=10.0, w_min=0.0, w_max=0.6),
}


@pytest.mark.parametrize("name", sorted(STDP_RULES))
def test_stdp_brian2_matches_reference(name):
    rule = STDP_RULES[name]
    pre, post = _paired_trains(seed=len(name))
    w0 = 0.5
    event = _drive(rule, pre, post, w0)
    expected = _reference_on_grid(rule, pre, post, w0, event.times)
    assert np.ptp(expected) > 1e-3, "the trains must change the weights"
    np.testing.assert_allclose(event.traces["w"], expected, rtol=1e-6, atol=1e-12)
    clock = _drive(rule, pre, post, w0, mode="clock-driven")
    np.testing.assert_allclose(clock.traces["w"], event.traces["w"], rtol=1e-3, atol=1e-9)


@pytest.mark.parametrize("preset", ["mongillo2008"])
def test_stp_brian2_matches_reference(preset):
    from snnmem.plasticity.drive import drive_synapses

    rule = TsodyksMarkramSTP.preset(preset)
    trains = _trains(7, 30.0)
    trains[0] = np.arange(0.01, 0.3, 0.02)  # a regular 50 Hz burst
    results = {}
    for mode in ("event-driven", "clock-driven"):
        results[mode] = drive_synapses(
            rule,
            trains,
            dt=DT,
            mode=mode,
            record=["utilization", "resources", "release"],
            duration=DURATION + 2 * DT,
            variables=("utilization", "resources"),
        )
    event = results["event-driven"]
    for k, train in enumerate(trains):
        ref = rule.reference(train)
        steps = np.searchsorted(event.times, train - DT / 2)
        np.testing.assert_allclose(event.traces["utilization"][k, steps], ref.utilization, rtol=1e-6)
        np.testing.assert_allclose(event.traces["resources"][k, steps], ref.resources, rtol=1e-6)
        np.testing.assert_allclose(event.traces["release"][k, steps], ref.release, rtol=1e-6)
        clock = results["clock-driven"]
        np.testing.assert_allclose(clock.traces["release"][k, steps], ref.release, rtol=1e-3)


def test_stp_reference_mongillo_order_by_hand():
    rule = TsodyksMarkramSTP(U=0.2, tau_facilitation=1.5, tau_depression=0.2)
    ref = rule.reference(np.array([0.1, 0.15]))
    u1 = 0.2 + 0.2 * 0.8  # u relaxed at U, then u += U(1-u)
    assert ref.utilization[0] == pytest.approx(u1)
    assert ref.release[0] == pytest.approx(u1 * 1.0)
    x1 = 1.0 - u1
    u_minus = 0.2 + (u1 - 0.2) * np.exp(-0.05 / 1.5)
    x_minus = 1.0 + (x1 - 1.0) * np.exp(-0.05 / 0.2)
    u2 = u_minus + 0.2 * (1 - u_minus)
    assert ref.utilization[1] == pytest.approx(u2)
    assert ref.release[1] == pytest.approx(u2 * x_minus)
    assert ref.resources[1] == pytest.approx(x_minus - u2 * x_minus)


def test_triplet_reads_slow_traces_before_update():
    rule = TripletSTDP(a2_plus=0.0, a3_plus=1.0, a2_minus=0.0, a3_minus=0.0)
    # one pre then one post: o2 is 0 before the only post spike -> no change
    assert rule.reference([0.01], [0.02], 1.0).final == 1.0
    # post, pre, post: second post sees o2 from the first post only
    w = rule.reference([0.02], [0.01, 0.03], 1.0).final
    assert w == pytest.approx(1.0 + np.exp(-0.01 / rule.tau_plus) * np.exp(-0.02 / rule.tau_y))


def test_pair_window_and_single_pair_reference():
    rule = PairSTDP.preset("bipoo1998")
    for delta in (0.002, 0.02, -0.002, -0.05):
        pre, post = [0.2], [0.2 + delta]
        assert rule.reference(pre, post, 1.0).final - 1.0 == pytest.approx(float(rule.window(delta)), rel=1e-12)
    assert rule.window(0.01) == pytest.approx(0.777 * np.exp(-10 / 16.8))
    assert rule.window(-0.01) == pytest.approx(-0.273 * np.exp(-10 / 33.7))


def test_inhibitory_alpha_and_rule():
    rule = InhibitorySTDP.preset("vogels2011")
    assert rule.alpha == pytest.approx(2 * 3.0 * 0.020)
    # lone pre spike: w += eta*(0 - alpha), clipped at 0
    assert rule.replace(eta=0.1).reference([0.01], [], 1.0).final == pytest.approx(1 - 0.1 * 0.12)
    assert rule.replace(eta=10.0).reference([0.01], [], 1.0).final == 0.0


def test_triplet_soft_bounds_by_hand():
    """Gutig et al. (2003)'s factors: 1 at the reference weight, LTP -> 0 at w_max, LTD grows with w."""
    rule = TripletSTDP(a2_plus=0.1, a3_plus=0.0, a2_minus=0.1, w_min=0.0, w_max=10.0, soft_bound_exponent=1.0)
    assert rule.soft_factors(1.0) == (1.0, 1.0)
    assert rule.soft_factors(10.0) == (0.0, 10.0)
    assert rule.soft_factors(5.5) == pytest.approx((0.5, 5.5))
    # one pre -> post pair 10 ms apart at w = 5.5: potentiation halved against the additive rule
    additive = rule.replace(soft_bound_exponent=0.0)
    soft_change = rule.reference([0.01], [0.02], 5.5).final - 5.5
    additive_change = additive.reference([0.01], [0.02], 5.5).final - 5.5
    assert soft_change == pytest.approx(0.5 * additive_change, rel=1e-12)
    # post -> pre: depression x 5.5
    soft_change = rule.reference([0.02], [0.01], 5.5).final - 5.5
    additive_change = additive.reference([0.02], [0.01], 5.5).final - 5.5
    assert soft_change == pytest.approx(5.5 * additive_change, rel=1e-12)
    # the additive rule's code and dict are untouched by the new fields
    assert "soft_bound_mu" not in additive.on_post() + additive.on_pre()
    assert "soft_bound_exponent" not in additive.as_dict()
    assert rule.as_dict()["w_reference"] == 1.0
    with pytest.raises(ValueError, match="w0"):
        rule.reference([0.01], [0.02], 10.5)  # outside the bounds a soft factor is not real


def test_published_triplet_presets():
    minimal = TripletSTDP.preset("pfister2006_visual_minimal_all_to_all")
    assert (minimal.a2_plus, minimal.a3_plus, minimal.a2_minus, minimal.a3_minus) == (0.0, 6.5e-3, 7.1e-3, 0.0)
    assert (minimal.tau_plus, minimal.tau_minus, minimal.tau_y) == (16.8e-3, 33.7e-3, 114e-3)
    full = TripletSTDP.preset("pfister2006_visual_full_all_to_all")
    assert (full.a2_plus, full.a3_plus, full.a2_minus, full.a3_minus) == (5e-10, 6.2e-3, 7e-3, 2.3e-4)
    assert (full.tau_x, full.tau_y) == (101e-3, 125e-3)
    nearest = TripletSTDP.preset("pfister2006_visual_minimal_nearest_spike")
    assert (nearest.a3_plus, nearest.a2_minus, nearest.tau_y, nearest.interaction) == (
        5e-2,
        8e-3,
        40e-3,
        "nearest_spike",
    )
    for cls in (PairSTDP, TripletSTDP, InhibitorySTDP, TsodyksMarkramSTP):
        for name, preset in cls.presets().items():
            assert preset.citation, name
            cls.preset(name)


def test_song_ratio():
    rule = PairSTDP.preset("song2000")
    assert rule.a_minus * rule.tau_minus / (rule.a_plus * rule.tau_plus) == pytest.approx(1.05)


@pytest.mark.parametrize(
    "cls, kwargs, name",
    [
        (PairSTDP, {"tau_plus": -0.01}, "tau_plus"),
        (PairSTDP, {"tau_minus": 0.0}, "tau_minus"),
        (PairSTDP, {"a_plus": -1.0}, "a_plus"),
        (PairSTDP, {"interaction": "nearest"}, "interaction"),
        (PairSTDP, {"weight_dependence": "soft"}, "weight_dependence"),
        (PairSTDP, {"w_min": 1.0, "w_max": 0.5}, "w_min"),
        (TripletSTDP, {"tau_y": -1.0}, "tau_y"),
        (TripletSTDP, {"a3_minus": float("nan")}, "a3_minus"),
        (TripletSTDP, {"soft_bound_exponent": 1.5, "w_min": 0.0, "w_max": 2.0}, "soft_bound_exponent"),
        (TripletSTDP, {"soft_bound_exponent": 0.5}, "soft_bound_exponent"),
        (TripletSTDP, {"soft_bound_exponent": 0.5, "w_min": 0.0, "w_max": 2.0, "w_reference": 2.0}, "w_reference"),
        (InhibitorySTDP, {"rho0": -3.0}, "rho0"),
        (InhibitorySTDP, {"tau_stdp": 0.0}, "tau_stdp"),
        (TsodyksMarkramSTP, {"U": 1.5}, "U"),
        (TsodyksMarkramSTP, {"tau_depression": -0.2}, "tau_depression"),
    ],
)
def test_bad_parameters_name_the_parameter(cls, kwargs, name):
    with pytest.raises(ValueError, match=name):
        cls(**kwargs)


def test_unknown_preset_lists_valid_ones():
    with pytest.raises(ValueError, match="pfister2006_visual_minimal_all_to_all"):
        TripletSTDP.preset("pfister2006")
    with pytest.raises(ValueError, match="unknown PairSTDP preset"):
        PairSTDP.preset("nope")


def test_bad_mode():
    with pytest.raises(ValueError, match="mode"):
        PairSTDP().model("exact")


def test_code_strings():
    rule = TripletSTDP.preset("pfister2006_visual_minimal_nearest_spike")
    assert "(event-driven)" in rule.model()
    assert "(clock-driven)" in rule.model("clock-driven")
    assert "pre_trace_r1 = 1" in rule.on_pre()
    assert rule.on_post("g_post += w").splitlines()[0] == "g_post += w"
    pair = PairSTDP.preset("song2000")
    assert "clip(w - a_minus*post_trace, w_min, w_max)" in pair.on_pre()
    assert "a_minus*w*post_trace" in pair.replace(weight_dependence="multiplicative").on_pre()
    kwargs = pair.synapses_kwargs("clock-driven", on_pre_effect="g_post += w")
    assert kwargs["method"] == "exact" and set(kwargs["namespace"]) >= {"tau_plus", "a_plus"}
    stp = TsodyksMarkramSTP.preset("mongillo2008")
    lines = stp.on_pre("v_post += J*release").splitlines()
    assert lines == [
        "utilization += U*(1 - utilization)",
        "release = utilization*resources",
        "v_post += J*release",
        "resources -= release",
    ]
    assert "on_post" not in stp.synapses_kwargs()


def test_import_has_no_brian2_side_effect():
    code = (
        "import sys, snnmem.plasticity, snnmem.validation; "
        "snnmem.validation.available(); "
        "assert 'brian2' not in sys.modules, 'brian2 imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
