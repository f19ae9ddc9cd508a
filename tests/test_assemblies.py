"""STDP cell assemblies (issue 5): structure, schedule, scores, errors; a small network end to end.

The 3-seed validation of the default model is in ``test_assemblies_validation.py`` (``slow``).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import snnmem
from snnmem.analysis import assemblies as measures
from snnmem.circuits import assemblies as asm
from snnmem.circuits.assemblies import native
from snnmem.config import load_model
from snnmem.errors import ConfigError
from snnmem.plasticity import InhibitorySTDP, PairSTDP, TripletSTDP

ROOT = Path(__file__).resolve().parents[1]
MODEL = ROOT / "models" / "assemblies.toml"
LKD = ROOT / "models" / "litwin_kumar_doiron2014.toml"

#: 400 E / 100 I, 4 assemblies of 40 cells, short phases: about 30 s with compilation.
SMALL = {
    "network.n_exc": 400,
    "network.n_inh": 100,
    "network.n_assemblies": 4,
    "network.assembly_fraction": 0.1,
    "protocol.warmup_duration": "1 s",
    "protocol.train_repetitions": 2,
    "protocol.rest_duration": "1 s",
    "protocol.recall_assemblies": 2,
    "protocol.control_trials": 1,
    "protocol.cue_fractions": [0.5, 1.0],
    "protocol.weight_snapshot_interval": "2 s",
}


def test_model_files():
    spec = load_model(MODEL)
    assert spec.circuit == "plastic_assemblies" and "Litwin-Kumar" in spec.metadata["reference"]
    assert spec["network.n_exc"] == 2000 and spec["network.n_inh"] == 500
    assert asm.assembly_size(spec) == 100
    assert [p.name for p in native.protocol(spec)] == ["warmup", "train", "rest", "recall"]
    assert native.protocol(spec)[1].duration_s == pytest.approx(10 * 3 * 1.0)
    published = load_model(LKD)
    assert (published["network.n_exc"], published["network.n_inh"]) == (4000, 1000)
    assert published["network.n_assemblies"] == 20 and published["network.connection_probability"] == 0.2
    # the authors' inhibitory STDP: rate 1 / 48.7 of the initial I->E weight, bounds [1, 5] x the initial weight
    istdp = ("plasticity.istdp_eta", "plasticity.istdp_w_min", "plasticity.istdp_w_max")
    assert tuple(published[key] for key in istdp) == (0.0205, 1.0, 5.0)
    assert float(published["protocol.rest_duration"]) == 300.0
    assert asm.assembly_size(published) == 200


def test_membership_is_drawn_from_the_seed():
    spec = load_model(MODEL)
    a, b, c = (asm.assembly_membership(spec, seed) for seed in (1, 1, 2))
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)
    assert a.shape == (10, 2000) and (a.sum(axis=1) == 100).all()


def test_schedule_trains_every_assembly_and_cues_the_right_cells():
    spec = load_model(MODEL)
    sched = native.draw(spec, asm.assembly_membership(spec, 3), 3)
    members, sets, trials = sched["membership"], sched["sets"], sched["trials"]
    train = native.protocol(spec)[1]
    training = [(a, b, row) for a, b, row in sched["events"] if a < train.stop_s]
    assert sorted(np.bincount([row - 1 for _, _, row in training]).tolist()) == [3] * 10
    starts = np.array(sorted(a for a, _, _ in sched["events"]))
    stops = np.array(sorted(b for _, b, _ in sched["events"]))
    assert (starts[1:] >= stops[:-1]).all()  # stimuli never overlap
    assert trials.size == 4 * 5 + 2 * 5
    for trial in trials:
        cued = sets[trial["set_row"]]
        if trial["kind"] == 0:
            k = trial["assembly"]
            assert cued.sum() == round(trial["fraction"] * 100) and not (cued & ~members[k]).any()
        elif trial["kind"] == 1:
            assert trial["set_row"] == 0
        else:
            assert cued.sum() == 50 and not (cued & members.any(axis=0)).any()
    recall = native.protocol(spec)[3]
    assert trials["start_s"].min() == pytest.approx(recall.start_s) and trials["stop_s"].max() <= recall.stop_s


def test_weight_classes_and_ratio():
    members = np.array([[1, 1, 0, 0, 0], [0, 0, 1, 1, 0]], dtype=bool)
    i = np.array([0, 1, 2, 0, 3, 4, 0])
    j = np.array([1, 0, 3, 2, 1, 0, 4])
    within, between = measures.weight_classes(i, j, members)
    assert within.tolist() == [True, True, True, False, False, False, False]
    assert between.tolist() == [False, False, False, True, True, False, False]
    w = np.array([3.0, 3.0, 3.0, 1.0, 2.0, 9.0, 9.0])
    assert measures.weight_ratio(w, within, between) == pytest.approx(3.0 / 1.5)


def test_set_overlap_units():
    n = 100
    cells = np.zeros(n, dtype=bool)
    cells[:10] = True
    assert measures.set_overlap(cells.copy(), cells) == pytest.approx(1.0)  # exactly the set is active
    everyone = np.ones(n, dtype=bool)
    assert measures.set_overlap(everyone, cells) == pytest.approx(0.0)  # as active as the network
    half = np.zeros(n, dtype=bool)
    half[:5] = True
    half[50:60] = True
    expected = (0.5 - 15 / n) / (1 - 10 / n)
    assert measures.set_overlap(half, cells) == pytest.approx(expected)
    assert np.isnan(measures.set_overlap(everyone, np.zeros(n, dtype=bool)))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_window_overlaps_are_the_set_overlap_of_every_window(seed):
    from snnmem.analysis.binning import bin_spikes

    rng = np.random.default_rng(seed)
    n, count = 300, 6000
    ids, times = rng.integers(0, n, count), rng.uniform(0.0, 10.0, count)
    members = np.zeros((4, n), dtype=bool)
    for k in range(4):
        members[k, rng.choice(n, 15 + 5 * k, replace=False)] = True
    # 1.0-9.9 s holds 35 whole windows of 0.25 s; the 0.15 s left over is no window
    overlaps = measures.window_overlaps(ids, times, members, 1.0, 9.9, 0.25, 2)
    assert overlaps.shape == (35, 4)
    for w in (0, 17, 34):
        start = 1.0 + 0.25 * w
        active = bin_spikes(ids, times, n, start, start + 0.25, 0.25)[:, 0] >= 2
        np.testing.assert_allclose(overlaps[w], [measures.set_overlap(active, m) for m in members], rtol=1e-12)


@pytest.mark.parametrize(
    "members, start, stop, window, min_spikes, message",
    [
        (np.ones((2, 10), dtype=bool), 0.0, 1.0, 0.1, 1, "every set"),
        (np.zeros((2, 10), dtype=bool), 0.0, 1.0, 0.1, 1, "every set"),
        (np.eye(10, dtype=bool)[:2], 0.0, 1.0, 0.0, 1, "window_s"),
        (np.eye(10, dtype=bool)[:2], 0.0, 1.0, float("nan"), 1, "window_s"),
        (np.eye(10, dtype=bool)[:2], 0.0, 1.0, 0.1, 0, "min_spikes"),
        (np.eye(10, dtype=bool)[:2], 0.0, 0.05, 0.1, 1, "no window"),
        (np.ones(10, dtype=bool), 0.0, 1.0, 0.1, 1, "2-D"),
    ],
)
def test_window_overlaps_reject_bad_input(members, start, stop, window, min_spikes, message):
    with pytest.raises(ValueError, match=message):
        measures.window_overlaps(np.array([0, 1]), np.array([0.01, 0.02]), members, start, stop, window, min_spikes)


@pytest.mark.parametrize("rule", [TripletSTDP(), PairSTDP(), InhibitorySTDP()])
def test_rules_accept_a_gate(rule):
    gated_pre, gated_post = rule.on_pre(gate="plastic(t)"), rule.on_post(gate="plastic(t)")
    assert "(plastic(t))*" in gated_pre and "(plastic(t))*" in gated_post
    assert rule.on_pre() == rule.on_pre(gate="") and "plastic" not in rule.on_pre()


@pytest.mark.parametrize(
    "override, key",
    [
        ({"protocol.recall_assemblies": 11}, "recall_assemblies"),
        ({"protocol.cue_fractions": []}, "cue_fractions"),
        ({"protocol.cue_fractions": [0.5, 1.5]}, "cue_fractions"),
        ({"protocol.cue_fractions": [0.001]}, "cue_fractions"),
        ({"protocol.cue_fractions": "0.5"}, "cue_fractions"),
        ({"protocol.train_duration": "0.5 us"}, "train_duration"),
        ({"protocol.rest_duration": "-1 s"}, "rest_duration"),
        ({"protocol.stimulus_rate": "5 mV"}, "stimulus_rate"),
        ({"synapses.w_ee_initial": 5.0}, "w_ee_initial"),
        ({"synapses.w_ee_min": 1.5}, "w_ee_min"),
        ({"synapses.w_ee_min": -0.1}, "w_ee_min"),
        ({"synapses.w_ee_min": 1.0, "synapses.w_ee_max": 1.0}, "w_ee_min"),
        ({"plasticity.istdp_w_min": 1.5}, "istdp_w_min"),
        ({"plasticity.istdp_w_min": -0.5}, "istdp_w_min"),
        ({"plasticity.istdp_w_min": 60.0}, "istdp_w_min"),
        ({"synapses.w_ie_initial": 6.0, "plasticity.istdp_w_max": 5.0}, "w_ie_initial"),
        ({"plasticity.ee_rule": "voltage"}, "ee_rule"),
        ({"plasticity.ee_rule": "pair"}, "ee_preset"),
        ({"network.assembly_fraction": 0.0001}, "assembly_fraction"),
        ({"plasticity.istdp_eta": float("nan")}, "istdp_eta"),
    ],
)
def test_bad_input_names_the_key(override, key):
    with pytest.raises(ConfigError, match=key):
        spec = load_model(MODEL, override)
        asm.ee_rule(spec)  # the preset must fit the rule (checked before building)


@pytest.fixture(scope="module")
def small_run(tmp_path_factory):
    run = snnmem.simulate(load_model(MODEL, SMALL), seed=2)
    return run, run.save(tmp_path_factory.mktemp("asm") / "small.h5")


def test_small_network_scores_and_file(small_run):
    run, path = small_run
    for key in (
        "weight_ratio_after_training",
        "weight_ratio_after_rest",
        "retention",
        "recall_specificity",
        "completion_f0p5",
        "no_cue_max_overlap",
        "random_cue_max_overlap",
        "rate_warmup_exc_hz",
        "rate_train_stimulated_hz",
    ):
        assert np.isfinite(run.scores[key]), key
    assert np.isnan(run.analysis["completion_curve"][1, 1])  # f = 1 leaves no member uncued
    loaded = snnmem.open_run(path)
    ee = loaded.weights["ee"]
    assert set(ee) >= {"i", "j", "w_initial", "w_after_train", "w_after_rest", "w_final", "snapshots"}
    assert ee["snapshots"].shape == (ee["snapshot_times_s"].size, ee["i"].size)
    np.testing.assert_array_equal(
        loaded.analysis["assembly_membership"], asm.assembly_membership(run.model, 2).astype(np.uint8)
    )
    assert loaded.scores == pytest.approx(run.scores, nan_ok=True)


def test_training_strengthens_assemblies_and_recall_is_frozen(small_run):
    run, _ = small_run
    ee = run.weights["ee"]
    assert (ee["w_initial"] == 1.0).all()
    assert run.scores["weight_ratio_initial"] == pytest.approx(1.0)
    assert run.scores["weight_ratio_after_training"] > 1.2
    # recall is not plastic by default: weights at the end equal those after the rest
    np.testing.assert_array_equal(ee["w_final"], ee["w_after_rest"])
    assert (ee["w_after_train"] >= 0).all() and (ee["w_after_train"] <= 4.0).all()


def test_normalisation_keeps_each_cells_summed_input(small_run):
    run, _ = small_run
    ee = run.weights["ee"]
    post = ee["j"].astype(np.int64)
    before = np.bincount(post, weights=ee["w_initial"], minlength=400)
    after = np.bincount(post, weights=ee["w_after_train"], minlength=400)
    changed = np.abs(ee["w_after_train"] - ee["w_initial"]).max()
    assert changed > 0.5  # plasticity acted ...
    np.testing.assert_allclose(after, before, rtol=0.05)  # ... but every cell's total input stayed put


def test_figure(small_run, tmp_path):
    from snnmem.plot import plot_run

    run, path = small_run
    figure = plot_run(snnmem.open_run(path), tmp_path / "assemblies.png")
    assert (tmp_path / "assemblies.png").stat().st_size > 10_000
    assert len(figure.axes) >= 4


def test_reactivation_figure_draws_the_time_course_of_every_seed_and_the_rest_raster(small_run, tmp_path):
    from snnmem.plot import save_figure
    from snnmem.plot.assemblies import reactivation_figure
    from snnmem.validation.litwin_kumar_doiron2014 import rest_reactivations

    run, _ = small_run
    reactivation = rest_reactivations(run, 2)
    # a second "seed" with other numbers: each line must carry its own seed's values
    course = reactivation["time_course"]
    other = {
        **reactivation,
        "time_course": {
            **course,
            "assemblies_selective_per_min": [v + 3.0 for v in course["assemblies_selective_per_min"]],
        },
    }
    values = {"seeds": [{"seed": 2, "reactivation": reactivation}, {"seed": 5, "reactivation": other}]}
    figure = reactivation_figure(values, 1.0, run=run)
    events_ax, rates_ax, raster_ax = figure.axes
    for label, data in (("seed 2", course), ("seed 5", other["time_course"])):
        lines = [line for line in events_ax.get_lines() if line.get_label() == label]
        np.testing.assert_array_equal(lines[0].get_ydata(), data["assemblies_selective_per_min"])
    assert len(rates_ax.get_lines()) == 4  # members and others, two seeds
    rest = run.phase("rest")
    assert raster_ax.get_xlim() == pytest.approx((rest.start_s, rest.stop_s))  # the whole 1 s rest (shorter than 5 s)
    save_figure(figure, tmp_path / "reactivation.png")
    assert (tmp_path / "reactivation.png").stat().st_size > 10_000
    assert len(reactivation_figure(values, 1.0).axes) == 2


def test_without_rest_the_rest_snapshot_is_the_end_of_training():
    spec = load_model(
        MODEL,
        {
            **SMALL,
            "protocol.rest_duration": "0 s",
            "protocol.warmup_duration": "0 s",
            "protocol.train_repetitions": 1,
            "protocol.cue_fractions": [0.5],
            "protocol.control_trials": 0,
            "protocol.weight_snapshot_interval": "0 s",
        },
    )
    assert [p.name for p in native.protocol(spec)] == ["train", "recall"]
    run = snnmem.simulate(spec, seed=4)
    ee = run.weights["ee"]
    assert "w_after_rest" not in ee  # no rest phase: the native scores use the end of training
    assert np.abs(ee["w_after_train"] - ee["w_initial"]).max() > 0.1
    assert run.scores["retention"] == pytest.approx(1.0)


@pytest.mark.parametrize(
    "rule, preset", [("triplet", "pfister2006_visual_full_all_to_all"), ("pair", "song2000"), ("pair", "vanrossum2000")]
)
def test_every_listed_preset_builds_a_rule(rule, preset):
    spec = load_model(MODEL, {"plasticity.ee_rule": rule, "plasticity.ee_preset": preset})
    built = asm.ee_rule(spec)
    assert type(built).__name__ == {"triplet": "TripletSTDP", "pair": "PairSTDP"}[rule]
    assert built.w_min == 0.0 and built.w_max == 4.0


@pytest.mark.parametrize("rule, preset", [("triplet", "pfister2006_visual_minimal_all_to_all"), ("pair", "song2000")])
def test_the_lower_bound_reaches_the_rule(rule, preset):
    spec = load_model(MODEL, {"plasticity.ee_rule": rule, "plasticity.ee_preset": preset, "synapses.w_ee_min": 0.62})
    built = asm.ee_rule(spec)
    assert built.w_min == 0.62 and built.w_max == 4.0


def test_the_inhibitory_bounds_reach_the_rule():
    spec = load_model(MODEL, {"plasticity.istdp_w_min": 1.0, "plasticity.istdp_w_max": 5.0})
    built = asm.ie_rule(spec)
    assert (built.w_min, built.w_max) == (1.0, 5.0)
    assert "clip(" in built.on_pre() and "clip(" in built.on_post()
    assert (built.namespace()["w_min"], built.namespace()["w_max"]) == (1.0, 5.0)
    assert asm.ie_rule(load_model(MODEL)).w_min == 0.0


def test_lower_bounds_hold_through_stdp_and_normalisation(small_run):
    """Litwin-Kumar & Doiron's lower bounds: E->E J_min (0.62) and I->E at the initial weight (1).

    No weight falls below its bound, and the run drives weights onto it, where the same network and seed
    without the bounds goes below them.
    """
    bounds = {"synapses.w_ee_min": 0.62, "plasticity.istdp_w_min": 1.0, "protocol.weight_snapshot_interval": "0 s"}
    weights = snnmem.simulate(load_model(MODEL, {**SMALL, **bounds}), seed=2).weights
    unbounded = small_run[0].weights  # the same network and seed without the bounds
    for key in ("w_after_train", "w_after_rest"):
        below = np.count_nonzero(unbounded["ee"][key] < 0.62)
        assert below > 0, key
        w = weights["ee"][key]
        assert w.min() >= np.float32(0.62) and w.max() <= 4.0, key
        assert np.count_nonzero(np.isclose(w, 0.62, atol=1e-6)) > 0, key
    assert np.count_nonzero(unbounded["ie"]["w_final"] < 1.0) > 0
    w_ie = weights["ie"]["w_final"]
    assert w_ie.min() >= np.float32(1.0) and w_ie.max() <= 50.0
    assert np.count_nonzero(np.isclose(w_ie, 1.0, atol=1e-6)) > 0
