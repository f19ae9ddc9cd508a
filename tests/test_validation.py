"""The validation registry and the published checks."""

from __future__ import annotations

import io
import json

import pytest

import snnmem.validation as validation
from snnmem.validation import Check, ValidationResult, format_table, run_validations

SHIPPED = {"bipoo1998", "sjostrom2001", "song2000", "vogels2011"}


@pytest.fixture
def dummy(monkeypatch):
    """Two fake validations (one passing, one failing) in an isolated registry."""
    monkeypatch.setattr(validation, "_REGISTRY", {})
    monkeypatch.setattr(validation, "_MODULES", ())

    @validation.register("good", "Good et al. (2000)", "always passes")
    def good(seeds=None):
        return ValidationResult(
            "good", "Good et al. (2000)", [Check("x (Hz)", 1.0, "1 ± 0.1", True)], {"seeds": seeds, "a": {"b": 2}}
        )

    @validation.register("bad", "Bad et al. (2001)", "always fails")
    def bad(seeds=None):
        return ValidationResult(
            "bad", "Bad et al. (2001)", [Check("y", 5.0, "< 1", False), Check("z", 0.0, "0", True)], {}
        )

    return validation


def test_available_lists_shipped_validations_with_citations():
    registry = validation.available()
    assert SHIPPED <= set(registry)
    for item in registry.values():
        assert item.reference and item.description and callable(item.run)
    listing = validation.format_list()
    assert "Sjostrom" in listing and "Pfister" not in listing.split("sjostrom2001")[0][-5:]


def test_modules_tuple_is_extendable():
    assert isinstance(validation._MODULES, tuple)
    assert set(validation._MODULES) >= SHIPPED


def test_unknown_name_exits_2_and_lists_names(dummy, capsys):
    assert run_validations(["nope"], stream=io.StringIO()) == 2
    text = capsys.readouterr().err
    assert "nope" in text and "good" in text and "bad" in text
    assert run_validations([], stream=io.StringIO()) == 2


def test_runs_dir_reaches_validations_that_keep_runs_and_is_refused_by_the_others(dummy, tmp_path, capsys):
    seen = {}

    @validation.register("keeper", "Keeper et al. (2002)", "keeps its runs", keeps_runs=True)
    def keeper(seeds=None, runs_dir=None):
        seen["runs_dir"] = runs_dir
        return ValidationResult("keeper", "Keeper et al. (2002)", [Check("k", 1.0, "1", True)], {})

    assert run_validations(["keeper"], runs_dir=str(tmp_path), stream=io.StringIO()) == 0
    assert seen["runs_dir"] == str(tmp_path)
    assert run_validations(["keeper", "good"], runs_dir=str(tmp_path), stream=io.StringIO()) == 2
    assert "--runs-dir: good" in capsys.readouterr().err
    assert validation.available()["keeper"].keeps_runs and not validation.available()["good"].keeps_runs


def _variant_validation(seen: dict) -> None:
    """Register ``variant``: a validation of a model whose keys are ``a`` and ``b`` (bad values: negative)."""
    from snnmem.errors import ConfigError

    def model(overrides):
        overrides = dict(overrides or {})
        for key, value in overrides.items():
            if key not in ("a", "b"):
                raise ConfigError(f"override {key!r}: unknown key")
            if float(value) < 0:
                raise ConfigError(f"{key}: must be >= 0, got {value}")
        return {"a": 1.0, "b": 2.0, **overrides}

    @validation.register("variant", "Variant et al. (2003)", "validates a model", model=model)
    def variant(seeds=None, overrides=None):
        seen["overrides"] = overrides
        value = model(overrides)["a"]
        return ValidationResult("variant", "Variant et al. (2003)", [Check("a", value, "<= 1", value <= 1)], {})


def test_overrides_reach_validations_of_a_model_and_are_recorded(dummy, tmp_path):
    seen: dict = {}
    _variant_validation(seen)
    out, path = io.StringIO(), tmp_path / "variant.json"
    assert run_validations(["variant"], overrides={"a": 3}, json_path=str(path), stream=out) == 1
    assert seen["overrides"] == {"a": 3}
    data = json.loads(path.read_text())
    assert data["overrides"] == {"a": 3} and data["checks"][0]["measured"] == 3.0
    assert "with a=3" in out.getvalue()
    assert run_validations(["variant"], json_path=str(path), stream=io.StringIO()) == 0
    assert seen["overrides"] is None and "overrides" not in json.loads(path.read_text())


def test_overrides_are_refused_for_validations_without_a_model(dummy, capsys):
    _variant_validation({})
    assert run_validations(["variant", "good"], overrides={"a": 0}, stream=io.StringIO()) == 2
    assert "--set: good" in capsys.readouterr().err
    assert validation.available()["good"].model is None


@pytest.mark.parametrize("overrides, named", [({"c": 1}, "'c'"), ({"b": -1}, "b: must be >= 0")])
def test_bad_overrides_fail_before_anything_runs(dummy, tmp_path, capsys, overrides, named):
    seen: dict = {}
    _variant_validation(seen)
    path = tmp_path / "kept.json"
    path.write_text("earlier results")
    assert run_validations(["variant"], overrides=overrides, json_path=str(path), stream=io.StringIO()) == 2
    assert named in capsys.readouterr().err and "variant" not in seen and seen == {}
    assert path.read_text() == "earlier results"


def test_cli_validate_set_names_the_bad_key_of_a_shipped_model(capsys):
    from snnmem.cli import main

    assert main(["validate", "consolidation", "--set", "ctx.no_such_key=1"]) == 2
    assert "ctx.no_such_key" in capsys.readouterr().err
    assert main(["validate", "consolidation", "--set", "hpc.g_ei=0.6"]) == 2
    err = capsys.readouterr().err
    assert "hpc.g_ei" in err and "no unit" in err


def test_unwritable_json_path_fails_before_running(dummy, tmp_path, capsys):
    assert run_validations(["good"], json_path=str(tmp_path / "no" / "x.json"), stream=io.StringIO()) == 2
    assert "--json" in capsys.readouterr().err


def test_json_replaces_an_existing_file_whole(dummy, tmp_path):
    path = tmp_path / "out.json"
    path.write_text("old")
    assert run_validations(["good"], json_path=str(path), stream=io.StringIO()) == 0
    assert path.read_text().startswith("{") and [p.name for p in tmp_path.iterdir()] == ["out.json"]


def test_pass_fail_exit_codes_and_json(dummy, tmp_path):
    path = tmp_path / "one.json"
    assert run_validations(["good"], seeds=3, json_path=str(path), stream=io.StringIO()) == 0
    data = json.loads(path.read_text())
    assert set(data) == {"name", "reference", "checks", "values"}
    assert data["checks"] == [{"quantity": "x (Hz)", "measured": 1.0, "expected": "1 ± 0.1", "passed": True}]
    assert data["values"] == {"seeds": 3, "a": {"b": 2}}
    path2 = tmp_path / "two.json"
    stream = io.StringIO()
    assert run_validations(["good", "bad"], json_path=str(path2), stream=stream) == 1
    data2 = json.loads(path2.read_text())
    assert isinstance(data2, list) and [d["name"] for d in data2] == ["good", "bad"]
    assert data2[1]["checks"][0]["passed"] is False
    assert "FAIL" in stream.getvalue() and "PASS" in stream.getvalue()


def test_format_table():
    result = ValidationResult(
        "demo", "Ref (1999)", [Check("rate (Hz)", 2.5, "3 ± 1", True), Check("w", 0.123456789, "> 1", False)]
    )
    table = format_table(result)
    header = table.splitlines()[1]
    assert [cell.strip() for cell in header.split("|")] == ["quantity", "measured", "expected", "pass"]
    assert "0.1235" in table and "FAIL" in table and "FAILED" in table
    assert not result.passed
    assert not ValidationResult("empty", "r").passed


def test_to_json_dict_converts_numpy():
    import numpy as np

    result = ValidationResult(
        "n",
        "r",
        [Check("q", np.float64(1.5), "e", np.bool_(True))],
        {"arr": np.arange(3), "x": np.float32(0.5), "nan": float("nan")},
    )
    data = result.to_json_dict()
    json.dumps(data, allow_nan=False)
    assert data["values"]["arr"] == [0, 1, 2] and data["values"]["nan"] is None


def test_bipoo1998_passes():
    result = validation.available()["bipoo1998"].run()
    assert result.passed, format_table(result)
    assert result.values["max_relative_error"] < 1e-6


def test_sjostrom2001_triplet_within_2_sem_and_pair_misses():
    result = validation.available()["sjostrom2001"].run()
    assert result.passed, format_table(result)
    values = result.values
    assert set(values["triplet"]) == {"+10ms", "-10ms"}
    for rule in ("triplet", "pair"):
        for delta in ("+10ms", "-10ms"):
            assert set(values[rule][delta]) == {"0.1", "10", "20", "40", "50"}
    assert values["triplet"]["+10ms"]["20"] == pytest.approx(0.2278, abs=1e-3)
    assert values["triplet_max_miss_sem"] <= 2.0
    assert values["pair_max_miss_sem"] > 2.0
    # the Brian2 protocol agrees with the numpy reference
    from snnmem.plasticity import TripletSTDP
    from snnmem.validation import sjostrom2001

    ref = sjostrom2001.run_protocol_reference(TripletSTDP.preset(sjostrom2001.TRIPLET_PRESET))
    for delta in ref:
        for f in ref[delta]:
            assert values["triplet"][delta][f] == pytest.approx(ref[delta][f], rel=1e-6, abs=1e-12)


@pytest.mark.slow
def test_song2000_bimodal():
    result = validation.available()["song2000"].run()
    assert result.passed, format_table(result)


@pytest.mark.slow
def test_vogels2011_rate_falls_towards_rho0():
    result = validation.available()["vogels2011"].run()
    assert result.passed, format_table(result)
