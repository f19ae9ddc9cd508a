"""What a user installs and cites agrees with itself: licence, citation file, version."""

from __future__ import annotations

import configparser
from pathlib import Path

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
