"""Assemblies through an hour of plastic rest (issue 16): retention curve, recall from snapshots, forgetting fit.

The full validation (3 seeds, 1 h of rest each) is ``long``: its JSON is committed in
docs/validation/assemblies_retention.json. CI runs the ``slow`` version: seed 1, 90 s
of rest (two snapshots in it, each probed), the same quantities and checks.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from snnmem.config import load_model
from snnmem.validation import assemblies_retention as retention
from snnmem.validation._common import model_file

COMMITTED = Path(__file__).resolve().parents[1] / "docs" / "validation" / "assemblies_retention.json"


def test_the_retention_model_is_the_default_assembly_model_with_zenkes_triplet_rule_and_an_hour_of_rest():
    hour = load_model(model_file("assemblies_retention"))
    rule = {
        "plasticity.ee_preset": "zenke2015_orchestrated_all_to_all",
        "plasticity.ee_learning_rate": 1.0,
        "protocol.rest_duration": "3600 s",
    }
    default = load_model(model_file("assemblies"), rule)
    assert float(hour["protocol.rest_duration"]) == 3600.0 and float(hour["protocol.weight_snapshot_interval"]) == 60
    # the E->E rule is Zenke et al.'s triplet part without their heterosynaptic and consolidation terms
    assert hour["plasticity.ee_rule"] == "triplet" and float(hour["plasticity.ee_consolidation_tau"]) == 0
    assert float(hour["plasticity.ee_heterosynaptic"]) == 0 and float(hour["plasticity.ee_transmitter_induced"]) == 0
    assert retention.same_simulation(
        hour, load_model(model_file("assemblies"), {**rule, "protocol.weight_snapshot_interval": "60 s"})
    )
    assert not retention.same_simulation(hour, default)  # the snapshots differ
    # the rule is the only difference from the default model (above: equal with it, here: not without it)
    assert not retention.same_simulation(
        hour,
        load_model(
            model_file("assemblies"), {"protocol.rest_duration": "3600 s", "protocol.weight_snapshot_interval": "60 s"}
        ),
    )


@pytest.mark.slow
def test_ninety_seconds_of_rest_keep_the_assemblies_and_snapshots_recall_them(tmp_path):
    result = retention.run(seeds=1, rest="90 s", probe_ages_min=(0.0, 1.0), runs_dir=tmp_path)
    assert result.passed, [c for c in result.checks if not c.passed]
    seed = result.values["seeds"][0]
    ages, ratios = np.asarray(seed["curve_age_s"]), np.asarray(seed["curve_weight_ratio"])
    # end of training (35 s), the snapshots at 60 and 120 s within the rest, the end of the rest (125 s)
    np.testing.assert_allclose(ages, [0.0, 25.0, 85.0, 90.0])
    assert ratios[-1] / ratios[0] == pytest.approx(seed["retention"], rel=1e-6)
    # each probe started from the snapshot whose weights the curve measured at that age
    for probe in seed["probes"]:
        k = int(np.flatnonzero(np.isclose(ages, probe["age_s"]))[0])
        assert probe["weight_ratio"] == pytest.approx(ratios[k], rel=1e-5)
    assert [p["age_s"] for p in seed["probes"]] == [25.0, 85.0]
    fit = seed["forgetting_fit"]
    assert fit["preferred"] in ("exponential", "power_law") and np.isfinite(fit["power_law"]["aic"])
    # the source run is kept and reused: a second validation reads it instead of simulating again
    source = tmp_path / "assemblies_retention_seed1.h5"
    stamp = source.stat().st_mtime_ns
    again = retention.run(seeds=1, rest="90 s", probe_ages_min=(0.0,), runs_dir=tmp_path)
    assert source.stat().st_mtime_ns == stamp
    np.testing.assert_array_equal(again.values["seeds"][0]["curve_weight_ratio"], seed["curve_weight_ratio"])


@pytest.mark.long
def test_an_hour_of_plastic_rest_three_seeds(tmp_path):
    result = retention.run(seeds=3, runs_dir=tmp_path)
    committed = json.loads(COMMITTED.read_text())
    assert [c.passed for c in result.checks] == [c["passed"] for c in committed["checks"]]
    for ours, theirs in zip(result.values["seeds"], committed["values"]["seeds"]):
        np.testing.assert_allclose(ours["curve_weight_ratio"], theirs["curve_weight_ratio"], rtol=1e-6)
