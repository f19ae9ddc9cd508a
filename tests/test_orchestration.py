"""Zenke et al. (2015)'s heterosynaptic, transmitter-induced and consolidation terms on the triplet rule."""

from __future__ import annotations

import numpy as np
import pytest

from snnmem.plasticity import Orchestration, TripletSTDP

DT = 1e-4
PRESET = "pfister2006_visual_minimal_all_to_all"
# strong terms and a fast consolidation, so that a 0.6 s drive moves both w and w_tilde
TERMS = Orchestration(beta=0.5, delta=0.01, tau_consolidation=0.2, interval=0.05, w_low=0.0, w_high=1.0, strength=0.1)


def _trains(seed: int, rate_hz: float, n: int, duration: float) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    steps = int(round(duration / DT))
    return [np.flatnonzero(rng.random(steps) < rate_hz * DT)[1:] * DT for _ in range(n)]


@pytest.mark.parametrize("mode", ["event-driven", "clock-driven"])
def test_brian2_matches_the_reference_weight_and_reference_weight(mode):
    """Four synapses, 40 Hz pre and post (coincidences included): w and w_tilde after every step as the reference."""
    from snnmem.plasticity.drive import drive_synapses

    rule = TripletSTDP.preset(PRESET, a3_plus=0.05, a2_minus=0.05, orchestration=TERMS, w_min=0.0, w_max=2.0)
    duration = 0.6
    pre, post = _trains(1, 40.0, 4, duration), _trains(2, 40.0, 4, duration)
    post[0] = np.union1d(post[0], pre[0][:3])
    result = drive_synapses(
        rule, pre, post, initial={"w": 0.5}, dt=DT, mode=mode, record=["w", "w_tilde"], duration=duration
    )
    assert "w_tilde : 1" in rule.model()
    moved_tilde = []
    for k in range(4):
        ref = rule.reference(pre[k], post[k], 0.5)
        idx = np.searchsorted(ref.times, result.times + DT / 2, side="right")
        expected_w = np.concatenate([[0.5], ref.weights])[idx]
        tolerance = dict(rtol=1e-6, atol=1e-12) if mode == "event-driven" else dict(rtol=1e-3, atol=1e-6)
        np.testing.assert_allclose(result.traces["w"][k], expected_w, **tolerance)
        # w_tilde after the last event; Brian2 also takes the steps after it, up to the end of the run
        last = np.searchsorted(result.times, ref.times[-1] + DT / 2) - 1
        np.testing.assert_allclose(result.traces["w_tilde"][k, last], ref.references[-1], **tolerance)
        moved_tilde.append(ref.references[-1])
    assert min(moved_tilde) > 0.05, "the consolidation must move w_tilde away from w_low"


def test_the_terms_by_hand():
    """delta at a lone presynaptic spike; -beta o1^3 (w - w_tilde) at a postsynaptic spike, o1 before its update."""
    terms = Orchestration(beta=0.3, delta=0.02, w_low=0.1, w_high=1.0)
    rule = TripletSTDP.preset(PRESET, orchestration=terms)
    alone = rule.reference(np.array([0.05]), np.array([]), w0=0.5)
    assert alone.weights[0] == pytest.approx(0.52)
    posts = rule.reference(np.array([]), np.array([0.1, 0.11]), w0=0.5)
    o1 = np.exp(-0.01 / rule.tau_minus)
    assert posts.weights[0] == pytest.approx(0.5)  # no earlier postsynaptic spike: o1 = 0
    assert posts.weights[1] == pytest.approx(0.5 - 0.3 * o1**3 * (0.5 - 0.1))
    assert np.all(posts.references == 0.1)  # tau_consolidation = 0: w_tilde stays at w_low


def _hold(terms: Orchestration, w: float, seconds: float, w_tilde: float) -> float:
    """``w_tilde`` after ``seconds`` of consolidation steps with ``w`` held constant."""
    for _ in range(int(round(seconds / terms.interval))):
        w_tilde = terms.consolidation_step(w, w_tilde)
    return w_tilde


def test_the_reference_weight_is_bistable_and_remembers():
    """The authors' consolidation (tau 1200 s, steps of 1.2 s, wells 0 and 5 x the initial weight).

    With w held halfway between the wells, w_tilde settles on the side it came from; w held
    high for 30 min leaves w_tilde above the middle an hour after w fell back to the middle,
    5 min do not. Without the potential w_tilde simply follows w.
    """
    terms = Orchestration(beta=0.04, tau_consolidation=1200.0, interval=1.2, w_low=0.0, w_high=5.0, strength=1.0)
    assert terms.potential * (0 - 1.25) * (2.5 - 1.25) * (5 - 1.25) == pytest.approx(-1.0)
    middle = terms.w_mid
    upper, lower = _hold(terms, middle, 7200.0, 3.5), _hold(terms, middle, 7200.0, 1.5)
    assert upper > middle + 0.5 and lower < middle - 0.5
    assert _hold(terms, middle, 1200.0, upper) == pytest.approx(upper, abs=0.05)  # (slowly) settled
    long_high, short_high = _hold(terms, 4.0, 1800.0, 0.0), _hold(terms, 4.0, 300.0, 0.0)
    assert long_high > middle > short_high > 0.0
    assert _hold(terms, middle, 3600.0, long_high) > middle  # kept
    assert _hold(terms, middle, 3600.0, short_high) < middle  # forgotten
    flat = Orchestration(beta=0.04, tau_consolidation=1200.0, strength=0.0)
    assert _hold(flat, middle, 7200.0, 1.5) == pytest.approx(middle, abs=0.01)


def test_without_terms_the_rule_is_the_triplet_rule():
    plain = TripletSTDP.preset(PRESET)
    off = plain.replace(orchestration=Orchestration())
    for a, b in zip(plain.synapses_kwargs(gate="g(t)").values(), off.synapses_kwargs(gate="g(t)").values()):
        if isinstance(a, str):
            assert a == b
    assert off.regular_updates() == () and off.initial_values() == {}
    assert "orchestration" not in plain.as_dict() and off.as_dict()["orchestration"]["beta"] == 0.0
    delta_only = plain.replace(orchestration=Orchestration(delta=1e-3))
    assert "w_tilde" not in delta_only.model() and "delta_transmitter" in delta_only.on_pre()


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(w_low=1.0, w_high=1.0), "w_low"),
        (dict(beta=-0.1), "beta"),
        (dict(interval=0.0), "interval"),
        (dict(tau_consolidation=-1.0), "tau_consolidation"),
    ],
)
def test_bad_terms_are_refused(kwargs, match):
    with pytest.raises(ValueError, match=match):
        Orchestration(**kwargs)


def test_the_rule_refuses_something_else():
    with pytest.raises(TypeError, match="Orchestration"):
        TripletSTDP(orchestration={"beta": 0.1})


def test_the_circuit_keys_reach_the_rule():
    from snnmem.circuits.assemblies.parameters import ee_rule
    from snnmem.config import load_model

    default = ee_rule(load_model("assemblies"))
    assert default.orchestration is None
    spec = load_model(
        "assemblies",
        {
            "plasticity.ee_heterosynaptic": 0.04,
            "plasticity.ee_transmitter_induced": 2e-4,
            "plasticity.ee_consolidation_tau": "1200 s",
        },
    )
    rule = ee_rule(spec)
    terms = rule.orchestration
    assert (terms.beta, terms.delta, terms.tau_consolidation, terms.interval) == (0.04, 2e-4, 1200.0, 1.2)
    assert (terms.w_low, terms.w_high, terms.strength) == (0.0, 5.0, 1.0)
    assert rule.a3_plus == pytest.approx(3.0 * 6.5e-3)  # ee_learning_rate still scales the triplet amplitudes


@pytest.mark.parametrize(
    "overrides, match",
    [
        ({"plasticity.ee_consolidation_tau": "1200 s"}, "ee_consolidation_tau"),
        ({"plasticity.ee_heterosynaptic": 0.04, "plasticity.ee_consolidation_low": 5.0}, "ee_consolidation_low"),
        (
            {"plasticity.ee_heterosynaptic": 0.04, "plasticity.ee_rule": "pair", "plasticity.ee_preset": "song2000"},
            "triplet",
        ),
        ({"plasticity.ee_consolidation_interval": "1.23456 ms"}, "ee_consolidation_interval"),
        ({"plasticity.ee_heterosynaptic": -1.0}, "ee_heterosynaptic"),
        ({"plasticity.ee_consolidation_tau": "20 mV"}, "ee_consolidation_tau"),
    ],
)
def test_bad_circuit_values_fail_at_load_naming_the_key(overrides, match):
    from snnmem.config import load_model
    from snnmem.errors import ConfigError

    with pytest.raises(ConfigError, match=match):
        load_model("assemblies", overrides)


def test_the_authors_triplet_part():
    rule = TripletSTDP.preset("zenke2015_orchestrated_all_to_all")
    assert (rule.a2_plus, rule.a3_plus, rule.a2_minus, rule.a3_minus) == (0.0, 1e-2, 1e-2, 0.0)
    assert (rule.tau_plus, rule.tau_minus, rule.tau_y) == (20e-3, 20e-3, 100e-3)
    assert "Zenke" in TripletSTDP.presets()["zenke2015_orchestrated_all_to_all"].citation
