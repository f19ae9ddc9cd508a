"""Model files: defaults, units, overrides, and every kind of bad input."""

from __future__ import annotations

import re

import pytest

import snnmem
from snnmem.config import load_model, parse_override
from snnmem.errors import ConfigError

REQUIRED_KEYS = [
    "network.n_exc",
    "network.n_inh",
    "connectivity.sigma_deg",
    "connectivity.j_plus",
    "protocol.cue_angle_deg",
    "protocol.cue_duration",
    "protocol.delay_duration",
    "simulation.dt",
]


def test_compte_exposes_the_documented_keys(compte_path):
    spec = load_model(compte_path)
    for key in REQUIRED_KEYS:
        spec[key]  # raises KeyError if missing
    assert spec["network.n_exc"] == 2048 and spec["network.n_inh"] == 512
    assert spec["connectivity.sigma_deg"] == 14.4 and spec["connectivity.j_plus"] == 1.62
    assert abs(float(spec["protocol.cue_duration"]) - 0.25) < 1e-12
    assert abs(float(spec["simulation.dt"]) - 5e-5) < 1e-15
    assert abs(float(spec["conductances.g_ee_nmda"]) - 0.381e-9) < 1e-20


def test_published_parameters_are_the_defaults(compte_path):
    spec = load_model(compte_path)
    assert abs(float(spec["exc.capacitance"]) - 0.5e-9) < 1e-20
    assert abs(float(spec["inh.g_leak"]) - 20e-9) < 1e-20
    assert abs(float(spec["synapses.tau_nmda_decay"]) - 0.1) < 1e-15
    assert abs(float(spec["synapses.alpha_nmda"]) - 500.0) < 1e-9
    assert abs(float(spec["external.rate"]) - 1800.0) < 1e-9


def test_overrides_with_units_and_numbers(compte_path):
    spec = load_model(compte_path, {"protocol.delay_duration": "2 s", "connectivity.sigma_deg": 18})
    assert float(spec["protocol.delay_duration"]) == 2.0
    assert spec["connectivity.sigma_deg"] == 18.0
    assert 'delay_duration = "2 s"' in spec.to_toml()


def test_resolved_toml_round_trips(compte_path):
    from snnmem.config import spec_from_toml

    spec = load_model(compte_path, {"network.n_exc": 512})
    again = spec_from_toml(spec.to_toml())
    assert again.to_toml() == spec.to_toml() and again.sha256 == spec.sha256
    assert again["network.n_exc"] == 512


@pytest.mark.parametrize(
    "text, key, value",
    [
        ("protocol.delay_duration=2 s", "protocol.delay_duration", "2 s"),
        ('protocol.delay_duration="2 s"', "protocol.delay_duration", "2 s"),
        ("connectivity.sigma_deg=18", "connectivity.sigma_deg", 18),
        ("simulation.device=runtime", "simulation.device", "runtime"),
    ],
)
def test_parse_override(text, key, value):
    assert parse_override(text) == (key, value)


@pytest.mark.parametrize(
    "overrides, fragment",
    [
        ({"protocol.delay_durations": "2 s"}, "protocol.delay_durations"),  # unknown key
        ({"protocol.delay_duration": "3 mV"}, "protocol.delay_duration"),  # wrong dimension
        ({"protocol.delay_duration": "-1 s"}, "protocol.delay_duration"),  # negative duration
        ({"protocol.delay_duration": "abc"}, "protocol.delay_duration"),  # non-numeric
        ({"protocol.delay_duration": 3}, "protocol.delay_duration"),  # missing unit
        ({"protocol.delay_duration": "nan s"}, "protocol.delay_duration"),  # NaN
        ({"connectivity.sigma_deg": "wide"}, "connectivity.sigma_deg"),  # non-numeric number
        ({"connectivity.sigma_deg": float("nan")}, "connectivity.sigma_deg"),
        ({"network.n_exc": 10.5}, "network.n_exc"),  # not an integer
        ({"network.n_exc": -5}, "network.n_exc"),
        ({"simulation.device": "gpu"}, "simulation.device"),
        ({"bogus.key": 1}, "bogus.key"),
        ({"nodot": 1}, "nodot"),
    ],
)
def test_bad_overrides_name_the_key(compte_path, overrides, fragment):
    with pytest.raises(ConfigError, match=fragment.replace(".", r"\.")):
        load_model(compte_path, overrides)


def test_unknown_key_in_file_is_rejected_with_suggestion(tmp_path, compte_path):
    text = compte_path.read_text().replace("sigma_deg = 14.4", "sigma_dge = 14.4")
    path = tmp_path / "typo.toml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=r"connectivity\.sigma_dge.*did you mean 'sigma_deg'"):
        load_model(path)


def test_wrong_dimension_in_file(tmp_path, compte_path):
    path = tmp_path / "dim.toml"
    path.write_text(compte_path.read_text().replace('cue_duration = "250 ms"', 'cue_duration = "3 mV"'))
    with pytest.raises(ConfigError, match=r"dim\.toml: protocol\.cue_duration.*needs second"):
        load_model(path)


def test_unknown_section_and_circuit(tmp_path):
    path = tmp_path / "m.toml"
    path.write_text('[model]\nname = "x"\ncircuit = "ring_attractor"\n[netwrk]\nn_exc = 3\n')
    with pytest.raises(ConfigError, match=r"\[netwrk\].*did you mean 'network'"):
        load_model(path)
    path.write_text('[model]\nname = "x"\ncircuit = "ring"\n')
    with pytest.raises(ConfigError, match="unknown circuit 'ring'"):
        load_model(path)


def test_missing_file_and_bad_toml(tmp_path):
    with pytest.raises(ConfigError, match="model file not found: .*nope.toml"):
        load_model(tmp_path / "nope.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("[model\nname=")
    with pytest.raises(ConfigError, match="bad.toml: not valid TOML"):
        load_model(bad)


def test_bad_input_fails_before_any_build(compte_path, tmp_path, monkeypatch):
    """Validation is pure Python: a bad value never reaches Brian2 code generation."""
    monkeypatch.setenv("SNNMEM_CACHE_DIR", str(tmp_path / "cache"))
    with pytest.raises(ConfigError):
        load_model(compte_path, {"protocol.cue_duration": "-1 s"})
    with pytest.raises(ConfigError, match="no delay window would be scored"):  # a protocol with nothing to score
        load_model(
            compte_path,
            {"protocol.delay_duration": "0 s", "protocol.cue_duration": "0 s", "protocol.baseline_duration": "0 s"},
        )
    assert not (tmp_path / "cache").exists()  # nothing was generated or compiled


def test_seed_is_validated_before_any_build(compte_path):
    spec = load_model(compte_path)
    for bad in (-1, 1.5, "3", True):
        with pytest.raises(ConfigError, match="seed"):
            snnmem.simulate(spec, seed=bad)


def test_importing_snnmem_has_no_side_effects():
    """`import snnmem` (and the run-file and analysis modules) never imports Brian2."""
    import subprocess
    import sys as _sys

    code = (
        "import sys, snnmem, snnmem.run, snnmem.analysis, snnmem.protocols, snnmem.validation; "
        "snnmem.validation.available(); assert 'brian2' not in sys.modules, 'brian2 imported'"
    )
    subprocess.run([_sys.executable, "-c", code], check=True)


@pytest.mark.parametrize(
    "overrides, fragment",
    [
        ({"connectivity.j_plus": 12}, r"connectivity\.j_plus"),  # would need J- < 0
        ({"connectivity.sigma_deg": 360.0}, r"connectivity\.sigma_deg"),
        ({"simulation.n_angle_bins": 4096}, r"simulation\.n_angle_bins"),
        ({"simulation.rate_bin": "10 s"}, r"simulation\.rate_bin"),
    ],
)
def test_conflicting_values_are_rejected_at_load(compte_path, overrides, fragment):
    with pytest.raises(ConfigError, match=fragment):
        load_model(compte_path, overrides)


def test_cli_rejects_unusable_outputs_before_simulating(compte_path, tmp_path, capsys):
    from snnmem.cli import main

    folder = tmp_path / "dir.h5"
    folder.mkdir()
    assert main(["run", str(compte_path), "--out", str(folder)]) == 2
    assert "is a directory" in capsys.readouterr().err
    blocker = tmp_path / "file.txt"
    blocker.write_text("x")
    assert main(["run", str(compte_path), "--out", str(blocker / "x.h5")]) == 2
    assert main(["run", str(compte_path), "--out", str(tmp_path / "ok.h5"), "--figure", str(tmp_path / "f.xyz")]) == 2
    assert "--figure" in capsys.readouterr().err
    assert not (tmp_path / "ok.h5").exists()


@pytest.mark.parametrize("value, parsed", [(3, (3,)), ([1, 2], (1, 2)), ([2.0], (2,))])
def test_integer_list_accepts_a_number_or_a_list(value, parsed):
    from snnmem.config import Param

    param = Param((1,), "items", minimum=1)
    result = param.check(value, "protocol.cue1_item", "test")
    assert result == parsed and all(type(v) is int for v in result)


@pytest.mark.parametrize(
    "value, fragment",
    [([], "non-empty"), ([1.5], "integers"), ([0], "minimum|>="), (["1"], "item '1'"), (True, "non-empty")],
)
def test_integer_list_rejects_bad_items_by_key(value, fragment):
    from snnmem.config import Param

    with pytest.raises(ConfigError, match="protocol.cue1_item") as error:
        Param((1,), "items", minimum=1).check(value, "protocol.cue1_item", "test")
    assert re.search(fragment, str(error.value)), str(error.value)
