"""What a user installs and cites agrees with itself: licence, citation file, version."""

from __future__ import annotations

import configparser
from pathlib import Path

import pytest
import yaml

import snnmem

ROOT = Path(__file__).resolve().parents[1]


def test_licence_file_matches_setup_cfg_and_the_citation():
    setup = configparser.ConfigParser()
    setup.read(ROOT / "setup.cfg")
    licence = setup["metadata"]["license"]
    assert (ROOT / setup["metadata"]["license_files"].strip()).read_text().startswith(f"{licence} License")
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    assert citation["license"] == licence


def test_citation_file_names_this_version():
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    assert citation["cff-version"] == "1.2.0" and citation["type"] == "software"
    assert citation["version"] == snnmem.__version__
    assert citation["title"].startswith("snnmem") and citation["authors"]


def test_shipped_models_are_found_by_name_from_any_folder(tmp_path, monkeypatch, capsys):
    from snnmem.cli import main
    from snnmem.config import load_model
    from snnmem.errors import ConfigError
    from snnmem.installed import installed_models

    monkeypatch.chdir(tmp_path)
    assert load_model("compte2000").circuit == "ring_attractor"
    assert load_model("models/compte2000.toml").name == "compte2000"  # the repository's spelling, elsewhere
    assert load_model("long/consolidation_hours").task == "consolidation"
    names = {model.name for model in installed_models()}
    on_disk = {p.relative_to(ROOT / "models").with_suffix("").as_posix() for p in (ROOT / "models").rglob("*.toml")}
    assert names == on_disk
    with pytest.raises(ConfigError, match="nor a shipped model: assemblies, "):
        load_model("compte2001")
    assert main(["models"]) == 0
    out = capsys.readouterr().out
    assert all(name in out for name in names) and "[ring_attractor]" in out and "doi:10.1093/cercor/10.9.910" in out


def test_a_users_own_file_wins_over_a_shipped_name(tmp_path, monkeypatch):
    from snnmem.config import load_model

    monkeypatch.chdir(tmp_path)
    text = (ROOT / "models" / "compte2000.toml").read_text().replace('name = "compte2000"', 'name = "mine"', 1)
    (tmp_path / "compte2000").write_text(text)
    assert load_model("compte2000").name == "mine"


@pytest.mark.slow
def test_the_wheel_carries_the_model_files_and_the_licence(tmp_path):
    import subprocess
    import sys
    import zipfile

    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", str(ROOT), "-w", str(tmp_path)],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("snnmem-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for path in (ROOT / "models").rglob("*.toml"):
        assert f"snnmem/models/{path.relative_to(ROOT / 'models').as_posix()}" in names
    assert any(name.endswith("/LICENSE") for name in names)
