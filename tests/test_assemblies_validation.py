"""Issue 5 on the default assembly model, 3 seeds (slow: about 2 minutes per seed)."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def validation():
    from snnmem.validation import assemblies

    return assemblies.run(seeds=3)


@pytest.mark.slow
@pytest.mark.parametrize(
    "check",
    [
        "ratio_after_training",
        "retention",
        "specificity",
        "others_near_baseline",
        "completion_grows",
        "no_cue_recalls_nothing",
        "random_cue_recalls_nothing",
    ],
)
def test_assemblies_expected_behaviour(validation, check):
    failing = [s["seed"] for s in validation.values["seeds"] if not s["checks"][check]]
    assert not failing, f"{check} fails for seeds {failing}: " + "; ".join(
        f"seed {s['seed']}: ratio {s['weight_ratio_after_training']:.2f}, retention {s['retention']:.2f}, "
        f"specificity {s['recall_specificity']:.2f}, completion {s['completion_curve']}, "
        f"no cue {s['no_cue_max_overlap']:.3f}, random {s['random_cue_max_overlap']:.3f}"
        for s in validation.values["seeds"]
    )


@pytest.mark.slow
def test_completion_needs_learning(validation):
    untrained = validation.values["untrained_seed1"]
    assert untrained["completion_f0p5"] < 0.1, untrained["completion_f0p5"]
    assert untrained["weight_ratio_after_training"] == pytest.approx(1.0, abs=0.05)
