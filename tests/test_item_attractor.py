"""Item attractors (Brunel & Wang 2001): structure, units, errors, scores; a small network end to end.

The published multi-seed checks are marked ``slow`` (``pytest -m slow``).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import snnmem
from conftest import assert_same_numbers, assert_same_spikes
from snnmem.circuits import item_attractor as ia
from snnmem.config import load_model
from snnmem.errors import ConfigError

MODEL = Path(__file__).resolve().parents[1] / "models" / "brunel_wang2001.toml"
COMMITTED = MODEL.parents[1] / "docs" / "validation" / "brunel_wang2001.json"

#: 200 E / 50 I, every phase short: runs in seconds on the runtime device.
SMALL = {
    "network.n_exc": 200,
    "network.n_inh": 50,
    "protocol.baseline_duration": "100 ms",
    "protocol.cue_duration": "100 ms",
    "protocol.delay1_duration": "150 ms",
    "protocol.delay2_duration": "150 ms",
    "protocol.reset_duration": "50 ms",
    "protocol.post_reset_duration": "100 ms",
    "protocol.score_offset": "50 ms",
    "simulation.device": "runtime",
    "simulation.runtime_target": "numpy",
}


def test_model_file_spells_out_the_published_values():
    spec = load_model(MODEL)
    assert spec.circuit == "item_attractor" and "Brunel" in spec.metadata["reference"]
    assert spec.metadata["doi"] == "10.1023/A:1011204814320"
    assert spec["network.n_exc"] == 800 and spec["network.n_inh"] == 200 and spec["network.n_items"] == 5
    assert float(spec["conductances.g_nmda_exc"]) == pytest.approx(0.327e-9)
    assert float(spec["conductances.g_gaba_inh"]) == pytest.approx(0.973e-9)
    assert float(spec["exc.v_reset"]) == pytest.approx(-55e-3)
    assert float(spec["external.rate_per_source"]) * spec["external.n_sources"] == pytest.approx(2400.0)
    assert spec.expected["distractor_switch_threshold"] == [0.0, 1.0]
    assert "items_held_delay2" not in spec.expected  # issue 12: replaced by the distractor threshold


def test_pools_and_weights_keep_the_mean_at_one():
    spec = load_model(MODEL)
    pools = ia.pool_index(spec)
    assert np.bincount(pools).tolist() == [80] * 5 + [400]
    weights = ia.pool_weights(spec)
    assert weights[0, 0] == pytest.approx(2.1) and weights[1, 0] == pytest.approx(1 - 0.1 * 1.1 / 0.9)
    sizes = np.bincount(pools) / 800
    # mean weight onto every cell (weighted by presynaptic pool size) is exactly 1
    np.testing.assert_allclose(sizes @ weights, np.ones(6), rtol=1e-12)


@pytest.mark.parametrize(
    "override, key",
    [
        ({"protocol.cue2_item": 6}, "cue2_item"),
        ({"protocol.cue1_item": [1, 6]}, "cue1_item"),
        ({"protocol.cue1_item": [1.5]}, "cue1_item"),
        ({"connectivity.w_plus": 20.0}, "w_plus"),
        ({"network.coding_level": 0.3}, "n_items"),
        ({"protocol.cue_duration": "3 mV"}, "cue_duration"),
        ({"conductances.g_nmda_exc": "-1 nS"}, "g_nmda_exc"),
        ({"connectivity.nmda_implementation": "fft"}, "nmda_implementation"),
    ],
)
def test_bad_values_fail_before_compilation(override, key):
    with pytest.raises(ConfigError, match=key):
        spec = load_model(MODEL, override)
        ia.protocol(spec)


def test_protocol_phases():
    phases = ia.protocol(load_model(MODEL))
    assert [p.name for p in phases] == ["baseline", "cue1", "delay1", "cue2", "delay2", "reset", "post_reset"]
    assert phases[-1].stop_s == pytest.approx(6.75)


def _fake_spikes(spec, rates_by_phase, seed=0):
    """Poisson spikes with a given rate per group and phase (names as in the scores)."""
    rng = np.random.default_rng(seed)
    phases = ia.protocol(spec)
    pools = ia.pool_index(spec)
    names = ia.group_names(spec)
    exc, inh = [], []
    for phase in phases:
        for cell in range(spec["network.n_exc"]):
            rate = rates_by_phase.get(phase.name, {}).get(names[pools[cell]], 2.0)
            n = rng.poisson(rate * phase.duration_s)
            exc += [(cell, t) for t in rng.uniform(phase.start_s, phase.stop_s, n)]
        for cell in range(spec["network.n_inh"]):
            n = rng.poisson(rates_by_phase.get(phase.name, {}).get("inh", 7.0) * phase.duration_s)
            inh += [(cell, t) for t in rng.uniform(phase.start_s, phase.stop_s, n)]

    def arrays(pairs):
        pairs.sort(key=lambda p: (p[1], p[0]))
        return np.array([p[0] for p in pairs], dtype=np.uint32), np.array([p[1] for p in pairs])

    return {"exc": arrays(exc), "inh": arrays(inh)}, phases


def test_scores_count_held_items_and_reset():
    spec = load_model(MODEL)
    held = {
        "delay1": {"item1": 25.0},
        "delay2": {"item1": 25.0, "item2": 22.0},
        "cue1": {"item1": 100.0},
        "cue2": {"item2": 100.0},
    }
    spikes, phases = _fake_spikes(spec, held)
    scores, arrays = ia.score(spec, spikes, phases)
    assert scores["items_held_delay1"] == 1 and scores["items_held_delay2"] == 2
    assert scores["items_held_post_reset"] == 0 and scores["reset_success"] == 1
    assert scores["rate_delay1_item1_hz"] == pytest.approx(25.0, rel=0.1)
    assert scores["max_uncued_rate_delay1_hz"] < 4.0
    assert arrays["phase_group_rates_hz"].shape == (7, 7)
    assert all(isinstance(v, float) for v in scores.values())


def test_several_items_can_be_cued_together():
    spec = load_model(MODEL, {"protocol.cue1_item": [1, 3]})
    assert spec["protocol.cue1_item"] == (1, 3) and spec["protocol.cue2_item"] == (2,)
    members = ia.cued_cells(spec, "cue1_item")
    pools = ia.pool_index(spec)
    np.testing.assert_array_equal(members, np.isin(pools, [0, 2]).astype(float))
    assert "items 1, 3 together" in ia.protocol(spec)[1].description
    # the uncued maximum excludes every cued item
    spikes, phases = _fake_spikes(spec, {"delay1": {"item1": 25.0, "item3": 20.0, "item4": 6.0}})
    scores, _ = ia.score(spec, spikes, phases)
    assert scores["items_held_delay1"] == 2
    assert scores["max_uncued_rate_delay1_hz"] == pytest.approx(6.0, rel=0.25)


def test_two_item_trace_measures_how_long_both_stay_up():
    """Synthetic spikes: both cued pools at 25 Hz for 1 s after the cue, then item 1 falls to 2 Hz."""
    from snnmem.validation.brunel_wang2001 import probe_model, two_item_trace

    model = probe_model(200)
    phases = ia.protocol(model)
    start, stop = next((p.start_s, p.stop_s) for p in phases if p.name == "delay1")
    pools = ia.pool_index(model)
    rng = np.random.default_rng(0)
    ids, times = [], []
    for cell in np.flatnonzero(pools < 2):
        for t0, t1, rate in ((start, start + 1.0, 25.0), (start + 1.0, stop, 2.0 if pools[cell] == 0 else 30.0)):
            n = rng.poisson(rate * (t1 - t0))
            ids += [cell] * n
            times += list(rng.uniform(t0, t1, n))
    order = np.argsort(times)
    spikes = {"exc": (np.asarray(ids, dtype=np.uint32)[order], np.asarray(times)[order])}
    trace = two_item_trace(model, spikes, phases)
    assert trace["both_elevated_first_bin"] and trace["items_held_last_s"] == 1
    assert trace["two_item_lifetime_s"] == pytest.approx(1.0)
    assert len(trace["time_s"]) == 16 and trace["item2_hz"][-1] > 20


@pytest.fixture(scope="module")
def small_run():
    return snnmem.simulate(load_model(MODEL, dict(SMALL, **{"protocol.cue1_item": [1, 4]})), seed=3)


def test_small_network_runs_and_scores(small_run, tmp_path):
    run = small_run
    assert run.n_neurons == {"exc": 200, "inh": 50}
    assert run.provenance["circuit_cells_per_item"] == 20
    for key in ("rate_baseline_nonselective_hz", "rate_cue1_item1_hz", "items_held_delay1", "reset_success"):
        assert np.isfinite(run.scores[key])
    # the first cue drives both of its pools (items 1 and 4) far above the others
    for item in (1, 4):
        assert run.scores[f"rate_cue1_item{item}_hz"] > 5 * max(run.scores["rate_cue1_item3_hz"], 1.0)
    assert run.rates["exc"][0].shape[1] == 6
    path = run.save(tmp_path / "bw.h5")
    again = snnmem.open_run(path)
    assert again.scores == run.scores and again.circuit == "item_attractor"
    figure = snnmem.plot.plot_run(again, tmp_path / "bw.png")
    assert (tmp_path / "bw.png").stat().st_size > 10_000 and len(figure.axes) == 2
    title = figure.axes[0].get_title()  # outcomes in words, not score keys
    assert "held after the first cue" in title and "after the reset" in title and "delay1" not in title


def test_per_pool_equals_per_synapse():
    """Same seed, both NMDA summations: the same network (spikes equal up to summation order)."""
    overrides = dict(
        SMALL,
        **{
            "protocol.delay2_duration": "0 s",
            "protocol.reset_duration": "0 s",
            "protocol.post_reset_duration": "0 s",
            "protocol.cue_duration": "50 ms",
            "protocol.delay1_duration": "50 ms",
        },
    )
    runs = [
        snnmem.simulate(load_model(MODEL, dict(overrides, **{"connectivity.nmda_implementation": impl})), seed=5)
        for impl in ("per_pool", "per_synapse")
    ]
    assert_same_spikes(*runs, atol=1e-12)


# ----------------------------------------------------------------------------- published checks (slow)
@pytest.fixture(scope="module")
def validation():
    """Seed 1 of the validation (its run and its 8 distractor runs). The 3-seed validation is ``long``; its JSON
    is committed (docs/validation/brunel_wang2001.json) and seed 1 is checked against it here."""
    from snnmem.validation import brunel_wang2001

    return brunel_wang2001.run(seeds=1)


@pytest.mark.slow
@pytest.mark.parametrize(
    "check", ["spontaneous_exc", "spontaneous_inh", "delay1_cued_held", "delay1_others_low", "reset_erases"]
)
def test_brunel_wang_published_behaviour(validation, check):
    """Brunel & Wang 2001 / issue 7 on seed 1: spontaneous E 2 Hz and I 7 Hz (+-30 %), one cued item held
    at 15-30 Hz with the others < 4 Hz, the reset erases the memory."""
    (seed,) = validation.values["seeds"]
    assert seed["checks"][check], {key: value for key, value in seed.items() if key.startswith("rate_")}


@pytest.mark.slow
def test_distractor_switch_threshold(validation):
    """Issue 12 (replaces issue 7's two-item check): item 1 cued, then item 2 at 0-1 x the cue rate. The weak
    distractors leave item 1 held and are not stored, the strong ones switch the memory to item 2; the
    threshold (midpoint of that bracket) lies in (0, 1] ([expected] of models/brunel_wang2001.toml)."""
    thresholds = validation.values["distractor"]["thresholds"]
    assert all(t["bracketed"] for t in thresholds.values()), thresholds
    assert validation.checks[6].passed, validation.checks[6]


@pytest.mark.slow
def test_distractor_threshold_above_mean_field_bound(validation):
    """The mean field's long-distractor threshold is a lower bound of the measured (250 ms) thresholds."""
    assert validation.checks[7].passed, validation.checks[7]


def _same_as_committed(values: dict, seeds: list[int]) -> None:
    """The seeds' scores and distractor runs are the committed ones (same model, same seed: same spikes)."""
    import json

    committed = json.loads(COMMITTED.read_text())["values"]
    assert committed["model_sha256"] == values["model_sha256"]
    theirs = {s["seed"]: s for s in committed["seeds"]}
    for mine in values["seeds"]:
        assert mine["seed"] in seeds and mine["checks"] == theirs[mine["seed"]]["checks"]
        assert_same_numbers(mine, theirs[mine["seed"]], f"seed {mine['seed']}")
    runs = {(r["strength"], r["seed"]): r for r in committed["distractor"]["runs"] if r["seed"] in seeds}
    assert len(values["distractor"]["runs"]) == len(runs)
    for run in values["distractor"]["runs"]:
        assert_same_numbers(
            run, runs[run["strength"], run["seed"]], f"distractor {run['strength']}, seed {run['seed']}"
        )


@pytest.mark.slow
def test_seed_one_is_the_committed_seed_one(validation):
    _same_as_committed(validation.values, [1])


@pytest.mark.long
def test_brunel_wang_validation_three_seeds():
    from snnmem.validation import brunel_wang2001

    result = brunel_wang2001.run(seeds=3)
    assert result.passed, [c for c in result.checks if not c.passed]
    _same_as_committed(result.values, [1, 2, 3])


@pytest.fixture(scope="module")
def two_items():
    from snnmem.validation import brunel_wang2001

    return brunel_wang2001.run_two_items(seeds=3)


@pytest.mark.slow
def test_two_items_cued_together_are_loaded(two_items):
    """Items 1 and 2 cued at once (800 / 200, seeds 1-3): both pools start the delay above the 10 Hz hold
    threshold, so the two-item state is reached."""
    failing = [(r["n_exc"], r["seed"]) for r in two_items.values["runs"] if not r["both_elevated_first_bin"]]
    assert not failing


@pytest.mark.slow
def test_two_item_state_is_short_lived_at_the_default_size(two_items):
    """Characterisation behind issue 7's failing two-item check (not a published number): at 800 / 200 and
    w+ = 2.1 the two-item state lasts 1.25-2.5 s, then one item wins, in every seed (exactly one item held in
    the last second of a 4 s delay). Larger networks keep it longer (6400 / 1600: > 4 s in 3 of 4 seeds,
    analysis/brunel_wang_two_items.py). Issue 12 keeps "both held >= 1 s" ([expected] two_item_lifetime_s)."""
    assert all(check.passed for check in two_items.checks[1:]), [
        (r["n_exc"], r["seed"], r["two_item_lifetime_s"], r["items_held_last_s"]) for r in two_items.values["runs"]
    ]
