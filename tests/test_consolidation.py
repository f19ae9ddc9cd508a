"""Systems consolidation (issue 14): the two-area circuit, the consolidation task, its scores and its switches.

Fast tests build schedules and score planted spikes (no simulation). The slow tests run
the default model (``models/consolidation.toml``) on the seeds the validation uses.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from snnmem import registry
from snnmem.config import load_model
from snnmem.errors import ConfigError
from snnmem.protocols import Phase, Schedule, Stimulus
from snnmem.tasks import get_task
from snnmem.tasks.consolidation import rank_correlation

MODELS = Path(__file__).resolve().parents[1] / "models"


def model(**overrides):
    return load_model(MODELS / "consolidation.toml", overrides or None)


def plan(spec, seed=1):
    circuit, task = registry.get("circuit", "consolidation"), get_task("consolidation")
    memory = circuit.memory_map(spec, seed)
    return circuit, task, memory, task.schedule(spec.section("task"), memory, seed)


# ----------------------------------------------------------------------------- structure
def built_at_runtime(build, spec, schedule, seed=1):
    """The network's Brian2 objects, built (not run) on the runtime device with the numpy target.

    The target is set here, not left to Brian2's "auto": connecting and initialising the synapses runs
    code, which "auto" compiles with Cython (minutes in a fresh cache) when a test before it left it so.
    """
    import brian2 as b2

    b2.start_scope()
    b2.set_device("runtime")
    previous = b2.prefs.codegen.target
    b2.prefs.codegen.target = "numpy"
    try:
        return build(spec, seed, schedule)
    finally:
        b2.prefs.codegen.target = previous


def test_episodes_indices_and_memory_map_are_drawn_from_the_seed():
    spec = model()
    circuit = registry.get("circuit", "consolidation")
    from snnmem.circuits.consolidation import episode_patterns, hpc_indices

    episodes, prototype, novel = episode_patterns(spec, 1)
    k = spec["episodes.n_episodes"]
    assert episodes.shape == (k, spec["ctx.n_exc"]) and np.all(episodes.sum(axis=1) == spec["ctx.episode_size"])
    assert not prototype.any()  # the default episodes are independent
    assert not (novel & episodes.any(axis=0)).any()  # novel patterns use cells of no episode
    indices = hpc_indices(spec, 1)
    assert np.all(indices.sum(axis=1) == spec["hpc.index_size"]) and indices.sum(axis=0).max() == 1  # disjoint
    memory = circuit.memory_map(spec, 1)
    assert memory.labels[:k] == tuple(f"episode{n + 1}" for n in range(k)) and memory.labels[k] == "novel1"
    assert memory.population == "ctx_exc" and memory.index_population == "hpc_exc"
    np.testing.assert_array_equal(circuit.memory_map(spec, 1).weights, memory.weights)
    assert not np.array_equal(circuit.memory_map(spec, 2).weights, memory.weights)


def test_prototype_episodes_share_cells_and_the_prototype_is_an_item():
    spec = model(**{"episodes.shared_fraction": 0.5})
    memory = registry.get("circuit", "consolidation").memory_map(spec, 3)
    assert memory.labels[-1] == "prototype"
    prototype = memory.weights[-1] > 0
    assert prototype.sum() == round(0.5 * spec["ctx.episode_size"])
    for row in memory.weights[: spec["episodes.n_episodes"]]:
        assert np.all(row[prototype] == 1)  # every episode contains the prototype


# ----------------------------------------------------------------------------- schedule
def test_schedule_encodes_consolidates_and_recalls_with_ages():
    spec = model()
    circuit, task, memory, schedule = plan(spec)
    k = spec["episodes.n_episodes"]
    names = [p.name for p in schedule.phases]
    expected = ["warmup"]
    for n in range(1, k + 1):
        expected += [f"encode_{n}", f"consolidate_{n}", f"wake_{n}"] if n < k else [f"encode_{n}", "settle"]
    assert names == expected + ["recall_lesioned", "recall_intact"]
    modes = {p.name: (p.plasticity, p.lesion) for p in schedule.phases}
    assert modes["warmup"] == ("homeostatic", False) and modes["encode_1"] == ("all", False)
    assert modes["consolidate_1"] == ("slow", False) and modes["settle"] == ("none", False)
    assert modes["recall_lesioned"] == ("none", True) and modes["recall_intact"] == ("none", False)
    encodings = [s for s in schedule.stimuli if s.index]
    assert len(encodings) == k * spec["task.encode_repetitions"] and {s.item for s in encodings} == set(range(1, k + 1))
    offline = schedule.global_stimuli()
    assert len(offline) == k - 1 and all(s.strength == spec["task.offline_strength"] for s in offline)
    recall = [s for s in schedule.cell_stimuli() if s.label.startswith("recall")]
    n_items = k + spec["episodes.n_novel"]
    assert (
        len(recall) == 2 * n_items * spec["task.recall_repetitions"]
    )  # every episode and novel pattern, both conditions
    circuit.check_switches(schedule)
    circuit.check_schedule(spec, schedule)


def test_a_final_rest_consolidates_the_last_episode_too_and_ages_it():
    spec = model(**{"task.final_rest": "4 s"})
    _, _, _, schedule = plan(spec)
    k = spec["episodes.n_episodes"]
    names = [p.name for p in schedule.phases]
    assert names[-5:] == [f"encode_{k}", f"consolidate_{k}", "settle", "recall_lesioned", "recall_intact"]
    rest = schedule.phases[names.index(f"consolidate_{k}")]
    assert rest.duration_s == pytest.approx(4.0) and rest.plasticity == "slow"
    assert len(schedule.global_stimuli()) == k  # every rest drives the HPC offline, the final one too
    default = plan(model())[3]  # the same protocol without it: recall starts 4 s earlier
    start = {p.name: p.start_s for p in schedule.phases}
    assert start["recall_lesioned"] - {p.name: p.start_s for p in default.phases}["recall_lesioned"] == pytest.approx(
        4.0
    )


def test_the_cortical_inhibitory_plasticity_can_be_slow_while_awake():
    from snnmem.circuits.consolidation.network import SCHEDULE_STEP_S, gates

    spec = model(**{"ctx.awake_inhibitory_fraction": 0.3})
    _, _, _, schedule = plan(spec)
    g = gates(spec, schedule)
    step = SCHEDULE_STEP_S
    at = {p.name: int(round((p.start_s + p.stop_s) / 2 / step)) for p in schedule.phases}
    assert g["homeostatic"][at["encode_1"]] == 1.0 and g["ctx_homeostatic"][at["encode_1"]] == pytest.approx(0.3)
    assert g["homeostatic"][at["warmup"]] == g["ctx_homeostatic"][at["warmup"]] == 1.0  # warm-up: both at full rate
    assert g["homeostatic"][at["consolidate_1"]] == g["ctx_homeostatic"][at["consolidate_1"]] == 0.0  # offline: frozen
    same = gates(model(**{"ctx.awake_inhibitory_fraction": 1.0}), schedule)  # at 1 the CTX's gate is the HPC's
    np.testing.assert_array_equal(same["ctx_homeostatic"], same["homeostatic"])


def test_recall_repetitions_cue_a_new_half_each_time_and_scores_average_them():
    spec = model(**{"task.recall_repetitions": 3})
    _, task, memory, schedule = plan(spec)
    recall = [s for s in schedule.cell_stimuli() if s.label.startswith("recall lesioned")]
    items = spec["episodes.n_episodes"] + spec["episodes.n_novel"]
    assert len(recall) == 3 * items
    first = [s.cells for s in recall if s.item == 1]
    assert len(first) == 3 and not np.array_equal(first[0], first[1])
    assert all(c.sum() == first[0].sum() for c in first)
    from snnmem.tasks.consolidation import _mean_by_item

    trials = [
        {"item": 1, "overlap": x, "completion_rate_hz": 10.0 * x, "semantisation_index": float("nan")}
        for x in (0.2, 0.4, 0.9)
    ]
    row = _mean_by_item(trials)[1]
    assert row["overlap"] == pytest.approx(0.5) and row["completion_rate_hz"] == pytest.approx(5.0)
    assert np.isnan(row["semantisation_index"])


def test_onset_inhibition_covers_the_start_of_every_presentation_of_an_index():
    from snnmem.circuits.consolidation.network import index_stimuli, onset_gate
    from snnmem.circuits.consolidation.parameters import hpc_indices

    spec = model()
    _, _, _, schedule = plan(spec)
    stimuli = index_stimuli(schedule, hpc_indices(spec, 1))
    presentations = [s for s in schedule.cell_stimuli() if s.index]
    assert len(stimuli) == len(presentations) == 5 * spec["task.encode_repetitions"]
    length = float(spec["protocol.encoding_inhibition_duration"])
    assert length == pytest.approx(0.03) and float(spec["protocol.encoding_inhibition_rate"]) == 3000.0
    gate = onset_gate(stimuli, schedule.duration_s, length)
    expected = np.zeros_like(gate)
    for s in presentations:  # 1 in [onset, onset + 30 ms) of each presentation, nowhere else
        expected[int(round(s.start_s * 1e3)) : int(round(s.start_s * 1e3)) + 30] = 1.0
    np.testing.assert_array_equal(gate, expected)
    whole = onset_gate(stimuli, schedule.duration_s, 0.0)  # 0: the whole presentation
    assert whole.sum() == pytest.approx(sum(round((s.stop_s - s.start_s) * 1e3) for s in presentations))


def test_blocked_replay_lesions_every_rest_and_nothing_else():
    _, _, _, schedule = plan(model(**{"task.block_replay": True}))
    for phase in schedule.phases:
        assert phase.lesion == (phase.name.startswith("consolidate_") or phase.name == "recall_lesioned"), phase


def test_circuits_refuse_switches_they_do_not_have():
    assemblies = registry.get("circuit", "plastic_assemblies")
    cells = np.ones(10)
    with pytest.raises(ConfigError, match="lesion.*nothing to lesion"):
        assemblies.check_switches(Schedule((Phase("p", 0, 1, lesion=True),)))
    with pytest.raises(ConfigError, match="index"):
        assemblies.check_switches(Schedule((Phase("p", 0, 1),), (Stimulus(0, 1, cells, item=1, index=True),)))
    with pytest.raises(ValueError, match="must name its item"):
        Stimulus(0, 1, cells, index=True)


def test_consolidation_task_applies_only_to_two_area_circuits():
    task = get_task("consolidation")
    assert task.applies_to(registry.get("circuit", "consolidation")) is None
    reason = task.applies_to(registry.get("circuit", "plastic_assemblies"))
    assert reason and "hippocampal index" in reason
    assert "index" in get_task("retention").applies_to(registry.get("circuit", "consolidation"))


@pytest.mark.parametrize(
    "overrides,message",
    [
        ({"task.episodes": 9}, "task.episodes = 9"),
        ({"hpc.index_size": 100}, "hpc.index_size"),
        ({"ctx.episode_size": 400}, "CTX cells"),
        ({"episodes.shared_fraction": 0.9, "ctx.episode_size": 4}, "no episode-specific cell"),
        ({"task.score_offset": "400 ms"}, "score_offset"),
        ({"task.encode_duration": "0.5 ms"}, "1 ms"),
        ({"plasticity.istdp_w_min": 1.5}, "hpc.w_ie_initial"),
        ({"ctx.ee_soft_bound_exponent": 1.5}, "ee_soft_bound_exponent"),
        ({"ctx.ee_soft_bound_exponent": 0.5, "ctx.w_ee_initial": 0.0}, "ctx.w_ee_initial strictly between"),
        ({"ctx.w_ie_initial": 0.5, "plasticity.istdp_w_min": 0.8, "hpc.w_ie_initial": 1.0}, "ctx.w_ie_initial"),
    ],
)
def test_bad_consolidation_models_fail_at_load_naming_the_key(overrides, message):
    with pytest.raises(ConfigError, match=message):
        model(**overrides)


def test_the_circuit_has_no_native_protocol():
    text = (MODELS / "consolidation.toml").read_text()
    without_task = text.split("[task]")[0]
    from snnmem.config import spec_from_toml

    with pytest.raises(ConfigError, match="no native protocol"):
        spec_from_toml(without_task)


# ----------------------------------------------------------------------------- scores on planted spikes
def _planted(spec, seed, recalled):
    """Spikes where, in every recall trial, the uncued cells of ``recalled(condition, item)`` fire at 100 Hz."""
    _, task, memory, schedule = plan(spec, seed)
    ids, times = [], []
    offset = float(spec["task.score_offset"])
    for stimulus in schedule.cell_stimuli():
        if not stimulus.label.startswith("recall"):
            continue
        condition = stimulus.label.split()[1].rstrip(":")
        start, stop = stimulus.start_s + offset, stimulus.stop_s
        cells = np.flatnonzero((stimulus.cells > 0) | recalled(condition, stimulus.item, stimulus.cells > 0, memory))
        for t in np.arange(start + 0.001, stop, 0.01):
            ids.append(cells)
            times.append(np.full(cells.size, t))
    ctx = (np.concatenate(ids).astype(np.int64), np.concatenate(times))
    order = np.argsort(ctx[1], kind="stable")
    empty = (np.zeros(0, dtype=np.int64), np.zeros(0))
    spikes = {"ctx_exc": (ctx[0][order], ctx[1][order]), "hpc_exc": empty}
    return task, memory, schedule, spikes


def test_scores_follow_what_was_recalled():
    """Lesioned recall completes episodes in proportion to their age; intact recall completes all of them."""
    spec = model()
    k = spec["episodes.n_episodes"]

    def recalled(condition, item, cued, memory):
        cells = memory.item(item) > 0
        if memory.labels[item - 1].startswith("novel"):
            return np.zeros_like(cells)
        if condition == "intact":
            return cells & ~cued
        kept = np.flatnonzero(cells & ~cued)[: max(0, k - item) * 6]  # older episodes (lower item) more
        mask = np.zeros_like(cells)
        mask[kept] = True
        return mask

    task, memory, schedule, spikes = _planted(spec, 1, recalled)
    scores, arrays = task.score(spec.section("task"), spikes, memory, schedule)
    assert scores["ribot_rank_correlation"] == pytest.approx(1.0)
    assert np.isnan(scores["intact_age_correlation"])  # intact recall is the same at every age
    assert scores["recall_intact_mean"] == pytest.approx(1.0, abs=0.02)
    assert scores["recall_lesioned_youngest"] == pytest.approx(0.0, abs=0.02)
    assert scores["recall_lesioned_oldest"] > 0.5
    assert scores["baseline_lesioned"] == pytest.approx(0.0, abs=0.02)
    np.testing.assert_allclose(np.diff(arrays["episode_age_s"]), -np.diff(arrays["episode_encoded_at_s"]))
    assert arrays["episode_age_s"][0] > arrays["episode_age_s"][-1] > 0
    assert scores["replay_events_per_min"] == 0.0  # no index spikes: no replay found
    assert np.isnan(scores["replay_longest_event_s"])


def _bursts(cells, start_s, stop_s, rate_hz=100.0):
    """Regular spikes of ``cells`` at ``rate_hz`` from ``start_s`` to ``stop_s`` (ids, times)."""
    times = np.arange(start_s, stop_s, 1.0 / rate_hz)
    return np.tile(cells, times.size), np.repeat(times, cells.size)


def test_replay_scores_count_bursts_per_index_and_flag_a_persistent_state():
    """Planted HPC spikes: indices found at encoding, short bursts counted, a 2 s reactivation is the longest event."""
    from snnmem.circuits.consolidation import hpc_indices

    spec = model()
    _, task, memory, schedule = plan(spec, 1)
    index = [np.flatnonzero(row) for row in hpc_indices(spec, 1)]
    phases = {p.name: p for p in schedule.phases}
    pieces = [_bursts(index[k], phases[f"encode_{k + 1}"].start_s, phases[f"encode_{k + 1}"].stop_s) for k in range(2)]
    rest_1, rest_2 = phases["consolidate_1"], phases["consolidate_2"]
    pieces += [_bursts(index[0], rest_1.start_s + t, rest_1.start_s + t + 0.08) for t in (1.0, 2.0, 3.0)]
    pieces += [_bursts(index[1], rest_2.start_s + 1.0, rest_2.start_s + 3.0)]  # a persistent state
    ids = np.concatenate([p[0] for p in pieces]).astype(np.int64)
    times = np.concatenate([p[1] for p in pieces])
    order = np.argsort(times, kind="stable")
    empty = (np.zeros(0, dtype=np.int64), np.zeros(0))
    spikes = {"hpc_exc": (ids[order], times[order]), "ctx_exc": empty}
    scores, arrays = task.score(spec.section("task"), spikes, memory, schedule)
    np.testing.assert_array_equal(arrays["episode_replay_events"][:2], [3, 1])
    assert scores["replay_longest_event_s"] == pytest.approx(2.0, abs=0.05)
    events = arrays["replay_events"]
    assert np.all(events["stop_s"][events["pattern"] == 1] - events["start_s"][events["pattern"] == 1] < 0.2)


def test_semantisation_index_tells_prototype_from_instance():
    spec = model(**{"episodes.shared_fraction": 0.5})

    def recalled(condition, item, cued, memory):
        cells = memory.item(item) > 0
        prototype = memory.weights[-1] > 0
        if condition == "lesioned":
            return prototype & ~cued  # only the shared part comes back
        return cells & ~cued

    task, memory, schedule, spikes = _planted(spec, 2, recalled)
    scores, _ = task.score(spec.section("task"), spikes, memory, schedule)
    assert scores["semantisation_lesioned"] > 0 > scores["semantisation_intact"]
    assert scores["prototype_recall_lesioned"] > 0.9


def test_rank_correlation():
    assert rank_correlation([1, 2, 3, 4], [2, 4, 6, 9]) == pytest.approx(1.0)
    assert rank_correlation([1, 2, 3, 4], [4, 3, 2, 1]) == pytest.approx(-1.0)
    assert np.isnan(rank_correlation([1, 2], [1, 2])) and np.isnan(rank_correlation([1, 2, 3], [1, 1, 1]))


# ----------------------------------------------------------------------------- slow: the model itself
COMMITTED = Path(__file__).resolve().parents[1] / "docs" / "validation" / "consolidation.json"


@pytest.mark.slow
@pytest.mark.parametrize("condition", ["default", "blocked", "prototype"])
def test_seed_one_of_each_condition_shows_the_expected_behaviour_and_reproduces_the_committed_run(condition):
    """The validation's seed 1 of each condition, checked and compared with the JSON.

    The full validation (3 seeds x 3 conditions) is ``long``; its JSON is committed
    (docs/validation/consolidation.json). Seed 1 of each condition runs here: every check
    passes and its numbers are the committed ones.
    """
    import json

    from snnmem import simulate
    from snnmem.validation import consolidation

    limit = consolidation.limits()
    values = consolidation.seed_values(simulate(consolidation.model(condition), seed=1))
    checks = consolidation.seed_checks(condition, values, limit)
    assert all(checks.values()), (checks, values)
    committed = json.loads(COMMITTED.read_text())["values"]["conditions"][condition][0]
    assert committed["seed"] == 1 and checks == committed["checks"]
    keys = ["recall_lesioned_oldest", "recall_intact_mean", "baseline_lesioned", "ribot_rank_correlation"]
    if condition == "prototype":
        keys += ["semantisation_lesioned", "semantisation_intact", "prototype_recall_lesioned"]
    for key in keys:
        np.testing.assert_allclose(values[key], committed[key], rtol=1e-9, err_msg=key)
    for key in ("episode_recall_lesioned", "episode_recall_intact", "episode_replay_events"):
        np.testing.assert_allclose(values[key], committed[key], rtol=1e-9, err_msg=key)


#: the sixth round's variant (docs/consolidation.md): its overrides and results, written by
#: ``snnmem validate consolidation --set ... --json`` with the defaults of the time (commit 228acdf;
#: 11 of 12 checks: not the Ribot gradient on seed 2)
VARIANT = COMMITTED.with_name("consolidation_prototype_candidate.json")
#: the eighth round's defaults that none of the variant's overrides sets, back at their former values
#: (every other new default equals one of its overrides; a fraction of 1 and mu = 0 generate the former code)
BEFORE_EIGHTH_ROUND = {"hpc.offline_inhibition_fraction": 1.0, "ctx.ee_soft_bound_exponent": 0.0}


@pytest.mark.long
def test_the_documented_variant_semanticises_seed_one_as_committed():
    """Seed 1 of the variant's prototype condition: the three semantisation checks pass, as in its JSON.

    ``long``, not ``slow``: the variant is not the default model (about 3 min for this one simulation).
    """
    import json

    from snnmem import simulate
    from snnmem.validation import consolidation

    committed = json.loads(VARIANT.read_text())
    overrides = {**committed["overrides"], **BEFORE_EIGHTH_ROUND}
    assert overrides["ctx.ee_learning_rate"] == 1  # the variant, not the defaults (1.2)
    values = consolidation.seed_values(simulate(consolidation.model("prototype", overrides), seed=1))
    checks = consolidation.seed_checks("prototype", values, consolidation.limits())
    assert all(checks.values()), (checks, values)
    seed_one = committed["values"]["conditions"]["prototype"][0]
    assert seed_one["seed"] == 1 and checks == seed_one["checks"]
    for key in ("semantisation_lesioned", "semantisation_intact", "prototype_recall_lesioned", "baseline_lesioned"):
        np.testing.assert_allclose(values[key], seed_one[key], rtol=1e-9, err_msg=key)
    np.testing.assert_allclose(values["episode_semantisation_lesioned"], seed_one["episode_semantisation_lesioned"])


@pytest.mark.long
def test_consolidation_validation_three_seeds_three_conditions():
    from snnmem.validation import consolidation

    result = consolidation.run(seeds=3)
    assert result.passed, [c for c in result.checks if not c.passed]


def test_no_clock_of_the_network_outlasts_its_run_and_the_in_degree_is_counted():
    """Regression: a once-only clock (dt 1e9 s) for the in-degree ended the run at t = 0 whenever Brian2
    picked it first among the clocks at t = 0 (its end step rounds to 0): a run without a spike, at random."""
    import brian2 as b2

    from snnmem.circuits.consolidation.network import build
    from snnmem.circuits.consolidation.parameters import connections

    from conftest import SMALL_CONSOLIDATION

    runtime = {"simulation.device": "runtime", "simulation.runtime_target": "numpy"}
    # both projections normalised (the default normalises CTX->HPC only): every in-degree is counted
    spec = model(**SMALL_CONSOLIDATION, **runtime, **{"projections.feedforward_normalisation": True})
    _, _, _, schedule = plan(spec)
    built = built_at_runtime(build, spec, schedule)
    network = b2.Network(*built.objects)
    clocks = {obj.clock for obj in network.objects}
    assert max(float(clock.dt) for clock in clocks) <= schedule.duration_s
    pairs = connections(spec, 1)
    groups = {obj.name: obj for obj in built.objects if isinstance(obj, b2.NeuronGroup)}
    for variable, group, targets in (
        ("n_ee_in", "hpc_exc", pairs["hpc_ee"][1]),
        ("n_ee_in", "ctx_exc", pairs["ctx_ee"][1]),
        ("n_hc_in", "ctx_exc", pairs["hpc_ctx"][1]),
        ("n_ch_in", "hpc_exc", pairs["ctx_hpc"][1]),
    ):
        counted = np.bincount(targets, minlength=len(groups[group]))
        np.testing.assert_array_equal(getattr(groups[group], variable)[:], counted)


def test_the_hpc_inhibition_can_be_weaker_offline_than_awake():
    """``hpc.offline_inhibition_fraction``: the HPC's I->E conductance x the fraction in the offline state only;
    at 1 the I->E code of both areas is the unmodulated one. The second build also sets
    ``ctx.ee_soft_bound_exponent``: it reaches the CTX's E->E rule only."""
    import brian2 as b2

    from snnmem.circuits.consolidation.network import SCHEDULE_STEP_S, build

    from conftest import SMALL_CONSOLIDATION

    runtime = {"simulation.device": "runtime", "simulation.runtime_target": "numpy"}
    codes = {}
    for fraction in (1.0, 0.4):
        soft = 0.0 if fraction == 1.0 else 0.5
        overrides = {"hpc.offline_inhibition_fraction": fraction, "ctx.ee_soft_bound_exponent": soft}
        spec = model(**SMALL_CONSOLIDATION, **runtime, **overrides)
        _, _, _, schedule = plan(spec)
        built = built_at_runtime(build, spec, schedule)
        synapses = {obj.name: obj for obj in built.objects if isinstance(obj, b2.Synapses)}
        codes[fraction] = {name: synapses[name].pre.code.splitlines()[0] for name in ("hpc_ie", "ctx_ie")}
        soft_code = {name: "soft_bound_mu" in synapses[name].post.code for name in ("hpc_ee", "ctx_ee")}
        assert soft_code == {"hpc_ee": False, "ctx_ee": soft > 0}
        if fraction == 1.0:
            continue
        assert synapses["ctx_ee"].namespace["soft_bound_mu"] == 0.5
        hpc_ie = synapses["hpc_ie"]
        offline = hpc_ie.namespace["offline_state"]
        at = {p.name: (p.start_s + p.stop_s) / 2 for p in schedule.phases}
        scale = {
            name: 1.0 - hpc_ie.namespace["ie_cut"] * float(offline(at[name] * b2.second))
            for name in ("encode_1", "consolidate_1", "recall_intact")
        }
        assert scale["consolidate_1"] == pytest.approx(0.4)  # offline: 40 % of the awake conductance
        assert all(value == 1.0 for name, value in scale.items() if name != "consolidate_1")
        assert np.isclose(float(offline.dt), SCHEDULE_STEP_S)
    # the effect line of each I->E pathway's on-spike code
    assert codes[1.0]["hpc_ie"] == codes[1.0]["ctx_ie"] == codes[0.4]["ctx_ie"] == "g_i_post += w*g_ie"
    assert codes[0.4]["hpc_ie"] == "g_i_post += w*g_ie*(1 - ie_cut*offline_state(t))"
    with pytest.raises(ConfigError, match="offline_inhibition_fraction"):
        model(**{"hpc.offline_inhibition_fraction": 1.5})
