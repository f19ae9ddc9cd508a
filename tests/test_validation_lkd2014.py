"""Validation ``litwin_kumar_doiron2014``: reactivations on planted spikes (fast), the model (slow, long)."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from snnmem.validation import litwin_kumar_doiron2014 as lkd

COMMITTED = Path(__file__).resolve().parents[1] / "docs" / "validation" / "litwin_kumar_doiron2014.json"


def test_random_sets_have_the_assemblies_sizes_and_come_from_the_seed():
    members = np.zeros((3, 500), dtype=bool)
    members[0, :40], members[1, 30:80], members[2, 400:425] = True, True, True
    a, b, c = (lkd.random_sets(members, seed) for seed in (1, 1, 2))
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)
    assert list(a.sum(axis=1)) == [40, 50, 25]


def _fake_run(seed: int, bursts: list[tuple[float, int]]) -> SimpleNamespace:
    """A run of 2000 E cells, 4 disjoint assemblies of 200, a 20 s rest at 2 Hz with planted assembly bursts."""
    rng = np.random.default_rng(seed)
    n, rest, size = 2000, (5.0, 25.0), 200
    members = np.zeros((4, n), dtype=np.uint8)
    for k in range(4):
        members[k, k * size : (k + 1) * size] = 1
    count = rng.poisson(2.0 * n * 30.0)
    ids, times = [rng.integers(0, n, count)], [rng.uniform(0.0, 30.0, count)]
    for when, k in bursts:  # every member fires twice within 50 ms: 40 Hz
        cells = np.repeat(np.arange(k * size, (k + 1) * size), 2)
        ids.append(cells)
        times.append(when + rng.uniform(0.0, 0.05, cells.size))
    ids, times = np.concatenate(ids), np.concatenate(times)
    order = np.argsort(times, kind="stable")
    phases = [SimpleNamespace(name="rest", start_s=rest[0], stop_s=rest[1], duration_s=rest[1] - rest[0])]
    return SimpleNamespace(
        analysis={"assembly_membership": members},
        phases=phases,
        spikes={"exc": (ids[order].astype(np.uint32), times[order])},
    )


@pytest.mark.parametrize("seed", [1, 2])
def test_rest_reactivations_count_planted_bursts_per_assembly_against_random_sets(seed):
    # assembly 1: 4 bursts in the rest, assembly 2: 2, assembly 3: 1 (before the rest: not counted), assembly 4: none
    planted = [(6.0, 0), (9.0, 1), (11.0, 0), (14.0, 0), (18.0, 1), (21.0, 0), (2.0, 2)]
    out = lkd.rest_reactivations(_fake_run(seed, planted), seed)
    np.testing.assert_allclose(out["assemblies"]["selective_per_min"], [12.0, 6.0, 0.0, 0.0])
    assert out["assemblies"]["mean_selective_per_min"] == pytest.approx(4.5)
    assert out["assemblies"]["selectivity"] == 1.0
    # a random set of 200 cells holds about 10 % of a burst's cells: 2 + 4 Hz, below the 10 Hz of a burst
    assert out["random"]["selective"] == 0
    assert out["rate_members_hz"] > out["rate_others_hz"] > 1.5
    assert out["rest_s"] == 20.0 and out["threshold_hz"] == lkd.REACTIVATION_RATE_HZ
    # no random set stands out: the chance level counts one event in the rest (per set and minute: 1 / 4 / (20 / 60))
    assert out["random"]["chance_per_min"] == pytest.approx(0.75)
    # time course: the 20 s rest is one bin (15 s + a 5 s remainder, shorter than half a bin, merged)
    course = out["time_course"]
    assert course["bin_start_s"] == [0.0]
    np.testing.assert_allclose(course["assemblies_selective_per_min"], [6 / 4 / (20 / 60)])
    assert course["random_selective_per_min"] == [0.0]
    assert course["rate_members_hz"][0] > course["rate_others_hz"][0]


@pytest.mark.parametrize(
    ("start", "stop", "edges"),
    [
        (0.0, 120.0, [0.0, 15.0, 30.0, 45.0, 60.0, 75.0, 90.0, 105.0, 120.0]),
        (5.0, 35.0, [5.0, 20.0, 35.0]),
        (0.0, 25.0, [0.0, 15.0, 25.0]),  # a 10 s remainder stays a bin
        (0.0, 20.0, [0.0, 20.0]),  # a 5 s remainder joins the bin before
        (0.0, 10.0, [0.0, 10.0]),
    ],
)
def test_time_bins_are_fifteen_seconds_and_never_end_on_a_sliver(start, stop, edges):
    np.testing.assert_allclose(lkd.time_bins(start, stop), edges)


def test_limits_come_from_the_model_file():
    limit = lkd.limits()
    assert limit["ratio_min"] == 1.5 and limit["reactivations_min"] == 1.0 and limit["over_random_min"] == 2.0
    assert limit["cue_gain_min"] == 0.3 and limit["random_excess_max"] == 0.1 and limit["others_excess_max"] == 0.1
    # the default model's quiet-network controls are not checked here (their baseline is spontaneous activity)
    assert not {"others_max", "control_max", "random_max"} & set(limit)


def test_seed_checks_leave_out_the_quiet_network_controls_without_their_limits():
    from snnmem.validation.assemblies import seed_check_table, seed_checks

    scores = {
        "weight_ratio_after_training": 40.0,
        "retention": 0.9,
        "recall_specificity": 0.8,
        "largest_other_f0p5": 0.35,
        "no_cue_max_overlap": 0.9,
        "random_cue_max_overlap": 0.7,
        "completion_f0p1": 0.7,
        "completion_f0p5": 0.85,
    }
    checks = seed_checks(scores, (0.1, 0.5), lkd.limits())
    assert set(checks) == {"ratio_after_training", "retention", "specificity", "completion_grows"}
    assert checks["ratio_after_training"] and not checks["completion_grows"]  # 0.15 gain < 0.2
    rows = seed_check_table([{**scores, "completion_curve": [0.7, 0.85], "checks": checks}], lkd.limits())
    assert [row.passed for row in rows] == [True, True, True, False]


def _windows_run(bursts: list[tuple[float, int]], trials: dict) -> SimpleNamespace:
    """:func:`_fake_run` with the model keys, scores and recall table that the recall controls read."""
    run = _fake_run(3, bursts)
    run.model = {"protocol.recall_duration": 0.3, "protocol.overlap_offset": 0.05, "protocol.active_min_spikes": 2}
    run.scores = {"completion_f0p5": trials["completion"], "largest_other_f0p5": trials["other"]}
    run.analysis["recall_overlaps"] = np.asarray(trials["overlaps"], dtype=float)
    run.analysis["recall_trial_kind"] = np.asarray(trials["kinds"])
    return run


def test_spontaneous_overlaps_are_the_windows_of_the_last_thirty_seconds_of_rest():
    from snnmem.analysis.assemblies import window_overlaps

    # the fake rest is 5-25 s: all of it is used (20 s, 80 windows of 250 ms); assembly 0 bursts in 3 windows
    bursts = [(6.0, 0), (11.0, 0), (20.0, 0), (14.0, 1)]
    # two cued trials (kind 0), a no-cue trial (1) and two random-set trials (2): only kinds 1 and 2 are read
    overlaps = [[0.99] * 4, [0.5, 0.2, 0.1, 0.0], [0.1, 0.9, 0.0, 0.0], [0.99] * 4, [0.2, 0.0, 0.3, 0.0]]
    trials = {"completion": 0.8, "other": 0.05, "overlaps": overlaps, "kinds": [0, 1, 2, 0, 2]}
    run = _windows_run(bursts, trials)
    out = lkd.spontaneous_overlaps(run)
    assert (out["span_s"], out["window_s"], out["windows"]) == (20.0, 0.25, 80)
    members = run.analysis["assembly_membership"].astype(bool)
    each = window_overlaps(*run.spikes["exc"], members, 5.0, 25.0, 0.25, 2)
    assert out["mean_overlap"] == pytest.approx(each.mean())
    assert out["largest"] == pytest.approx(each.max(axis=1).mean())
    # set each assembly aside in turn and take the largest of the others, averaged over windows and assemblies
    brute = np.mean([[np.delete(row, k).max() for k in range(4)] for row in each])
    assert out["largest_other"] == pytest.approx(brute)
    # the four bursts (two windows each at most) lift the largest well above an assembly's mean
    assert out["largest"] > out["mean_overlap"] + 0.02

    versus = lkd.recall_over_spontaneous(run, out)
    assert versus["cue_over_spontaneous"] == pytest.approx(0.8 - out["mean_overlap"])
    assert versus["cue_over_spontaneous_largest"] == pytest.approx(0.8 - out["largest"])
    # random-set trials: largest 0.9 and 0.3; the no-cue trial: 0.5
    assert versus["random_cue_over_spontaneous"] == pytest.approx((0.9 + 0.3) / 2 - out["largest"])
    assert versus["no_cue_over_spontaneous"] == pytest.approx(0.5 - out["largest"])
    assert versus["largest_other_over_spontaneous"] == pytest.approx(0.05 - out["largest_other"])


def test_spontaneous_overlaps_take_only_the_end_of_a_long_rest():
    from snnmem.analysis.assemblies import window_overlaps

    run = _windows_run([(16.0, 2), (22.0, 3)], {"completion": 0.5, "other": 0.0, "overlaps": [[0.0] * 4], "kinds": [1]})
    out = lkd.spontaneous_overlaps(run, span_s=10.0)
    assert (out["span_s"], out["windows"]) == (10.0, 40)
    members = run.analysis["assembly_membership"].astype(bool)
    each = window_overlaps(*run.spikes["exc"], members, 15.0, 25.0, 0.25, 2)
    assert out["largest"] == pytest.approx(each.max(axis=1).mean())


def test_the_default_assemblies_model_keeps_its_seven_checks_in_their_order():
    from snnmem.validation.assemblies import limits, seed_check_table, seed_checks

    committed = json.loads((COMMITTED.parent / "assemblies.json").read_text())["values"]
    scores = {k: v for k, v in committed["seeds"][0].items() if isinstance(v, float)}
    checks = seed_checks(scores, committed["cue_fractions"], limits())
    assert list(checks) == list(committed["seeds"][0]["checks"])  # the committed order, every check
    assert checks == committed["seeds"][0]["checks"]
    row = {**committed["seeds"][0], "checks": checks}
    assert [c.passed for c in seed_check_table([row], limits())] == [True] * 7
    with pytest.raises(ValueError, match="unknown limits"):
        limits(names=("ratio_min", "retention_minimum"))


#: CI's short version of the validation: seed 1, 3 presentations per assembly (60 s of training, not 200 s)
#: and a 30 s rest (not 300 s). Its JSON is written by ``snnmem validate litwin_kumar_doiron2014 --seeds 1
#: --set protocol.train_repetitions=3 --set "protocol.rest_duration=30 s" --json <SHORT>``.
SHORT = COMMITTED.with_name("litwin_kumar_doiron2014_short.json")
SHORT_OVERRIDES = {"protocol.train_repetitions": 3, "protocol.rest_duration": "30 s"}


@pytest.mark.slow
def test_seed_one_trained_three_times_forms_keeps_and_recalls_assemblies_as_committed():
    """CI's short version of the long validation: the published-size network, seed 1, 3 presentations of each
    assembly instead of 10 and a 30 s rest instead of 300 s (265 s of simulation would take 16 min of CI's 45).

    Formation, persistence through the rest and recall are checked with the long validation's limits (weight
    ratio, retention, 50 % cue specificity, completion growing with the cue); reactivation, which needs minutes
    of rest, only by the long validation (docs/assemblies.md, "At the published size"). The numbers (weights,
    recall, rates in each 15 s bin of the rest) equal those committed in SHORT: same model, seed and code.
    """
    result = lkd.run(seeds=1, overrides=SHORT_OVERRIDES)
    (seed,) = result.values["seeds"]
    formed = ("ratio_after_training", "retention", "specificity", "completion_grows")
    assert all(seed["checks"][name] for name in formed), {name: seed["checks"][name] for name in formed}
    short = json.loads(SHORT.read_text())
    assert short["overrides"] == SHORT_OVERRIDES
    committed = short["values"]
    assert committed["model_sha256"] == result.values["model_sha256"]
    theirs = committed["seeds"][0]
    assert seed["checks"] == theirs["checks"]
    for key in ("weight_ratio_after_training", "retention", "recall_specificity", "completion_curve"):
        np.testing.assert_allclose(seed[key], theirs[key], rtol=1e-9, err_msg=key)
    mine, committed_course = seed["reactivation"]["time_course"], theirs["reactivation"]["time_course"]
    assert mine["bin_start_s"] == [0.0, 15.0]
    for key in ("rate_members_hz", "rate_others_hz", "assemblies_selective_per_min"):
        np.testing.assert_allclose(mine[key], committed_course[key], rtol=1e-12, err_msg=key)


@pytest.mark.long
def test_litwin_kumar_doiron_validation_three_seeds():
    result = lkd.run(seeds=3)
    assert result.passed, [c for c in result.checks if not c.passed]
