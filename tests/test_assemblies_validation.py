"""Issue 5 on the default assembly model: seed 1 and the untrained control (slow), 3 seeds (long).

The 3-seed validation (about 2.5 min per seed on CI's machine) is ``long``; its JSON is committed
(docs/validation/assemblies.json, written by ``snnmem validate assemblies --json``). CI runs seed 1
and the untrained control: every check on seed 1, and seed 1's scores equal to the committed ones,
so that the committed seeds 2 and 3 are those of the current code too (same model, same seed, same
spikes).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from conftest import assert_same_numbers

COMMITTED = Path(__file__).resolve().parents[1] / "docs" / "validation" / "assemblies.json"
CHECKS = [
    "ratio_after_training",
    "retention",
    "specificity",
    "others_near_baseline",
    "completion_grows",
    "no_cue_recalls_nothing",
    "random_cue_recalls_nothing",
]


@pytest.fixture(scope="module")
def validation():
    from snnmem.validation import assemblies

    return assemblies.run(seeds=1)


@pytest.mark.slow
@pytest.mark.parametrize("check", CHECKS)
def test_assemblies_expected_behaviour(validation, check):
    (seed,) = validation.values["seeds"]
    assert seed["checks"][check], (
        f"{check} fails for seed 1: ratio {seed['weight_ratio_after_training']:.2f}, retention "
        f"{seed['retention']:.2f}, specificity {seed['recall_specificity']:.2f}, completion "
        f"{seed['completion_curve']}, no cue {seed['no_cue_max_overlap']:.3f}, "
        f"random {seed['random_cue_max_overlap']:.3f}"
    )


@pytest.mark.slow
def test_seed_one_and_the_untrained_control_are_the_committed_ones(validation):
    committed = json.loads(COMMITTED.read_text())["values"]
    assert committed["model_sha256"] == validation.values["model_sha256"]
    mine, theirs = validation.values["seeds"][0], committed["seeds"][0]
    assert theirs["seed"] == 1 and mine["checks"] == theirs["checks"]
    assert_same_numbers(mine, theirs, "seed 1", skip=("wall_network_s",))
    np.testing.assert_allclose(mine["completion_curve"], theirs["completion_curve"], rtol=1e-9)
    assert_same_numbers(validation.values["untrained_seed1"], committed["untrained_seed1"], "untrained seed 1")


@pytest.mark.slow
def test_completion_needs_learning(validation):
    untrained = validation.values["untrained_seed1"]
    assert untrained["completion_f0p5"] < 0.1, untrained["completion_f0p5"]
    assert untrained["weight_ratio_after_training"] == pytest.approx(1.0, abs=0.05)


@pytest.mark.long
def test_assemblies_validation_three_seeds():
    """The committed validation: 3 seeds, every check, the committed numbers."""
    from snnmem.validation import assemblies

    result = assemblies.run(seeds=3)
    assert result.passed, [c for c in result.checks if not c.passed]
    committed = json.loads(COMMITTED.read_text())["values"]
    for mine, theirs in zip(result.values["seeds"], committed["seeds"], strict=True):
        assert_same_numbers(mine, theirs, f"seed {theirs['seed']}", skip=("wall_network_s",))


@pytest.fixture(scope="module")
def retention_run():
    """The ``retention`` task on the default assembly model, seed 1, with a 5 s rest instead of 20 s (what is
    checked, learning and recall before and after a plastic rest, does not depend on its length), in one
    segment: the five segments' copies of the code took 165 s to build against 72 s, for the same scores
    (tests/test_segments.py checks that segments change no spike)."""
    import snnmem
    from snnmem.validation._common import model_file

    overrides = {"task.name": "retention", "task.rest_duration": "5 s", "simulation.skip_frozen_learning": False}
    return snnmem.simulate(snnmem.load_model(model_file("assemblies"), overrides), seed=1)


@pytest.mark.slow
def test_retention_task_learns_and_recalls_the_assemblies(retention_run):
    """The task's encoding forms the assemblies (weight ratio in the model file's [expected] range), and a
    half cue recruits the rest of the assembly well above both controls, before and after the rest."""
    from snnmem.analysis.assemblies import weight_classes, weight_ratio
    from snnmem.validation._common import expected_range, model_file

    import snnmem

    run, spec = retention_run, snnmem.load_model(model_file("assemblies"))
    ee = run.weights["ee"]
    members = run.analysis["memory_map"] > 0.5
    within, between = weight_classes(ee["i"].astype(np.int64), ee["j"].astype(np.int64), members)
    low, high = expected_range(spec, "weight_ratio_after_training")
    assert low <= weight_ratio(ee["w_after_encode"], within, between) <= high
    for test in ("before", "after"):
        controls = max(run.scores[f"no_cue_max_rate_{test}_hz"], run.scores[f"random_cue_max_rate_{test}_hz"])
        assert run.scores[f"completion_rate_{test}_hz"] > 2 * controls, run.scores
        assert run.scores[f"specificity_{test}"] > 0, run.scores
    assert np.isfinite(run.scores["retention"])
