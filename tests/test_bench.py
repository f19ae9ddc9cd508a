"""``snnmem bench``: the table of models x tasks (a 1-seed, small-network version; the full table is docs/bench.md)."""

from __future__ import annotations

import csv
from pathlib import Path

import h5py
import numpy as np
import pytest

from snnmem.bench import bench
from snnmem.cli import main
from snnmem.errors import ConfigError

MODELS = Path(__file__).resolve().parents[1] / "models"
SMALL = ["--set", "network.n_exc=200", "--set", "network.n_inh=50"]


def test_bad_models_and_tasks_fail_before_anything_runs(tmp_path):
    with pytest.raises(ConfigError, match="no_such_key"):
        bench([MODELS / "brunel_wang2001.toml"], overrides={"network.no_such_key": 1}, out=tmp_path / "b")
    with pytest.raises(KeyError, match="known"):
        bench([MODELS / "brunel_wang2001.toml"], tasks=["no_such_task"], out=tmp_path / "b")
    assert not (tmp_path / "b").exists()


@pytest.mark.slow
def test_bench_table_from_the_command_line(tmp_path, capsys):
    out = tmp_path / "bench"
    args = [str(MODELS / "brunel_wang2001.toml"), str(MODELS / "assemblies.toml"), "--tasks", "delayed_recall,reset"]
    status = main(["bench", *args, "--seeds", "1", *SMALL, "--workers", "1", "--out", str(out)])
    assert status == 0
    assert "bench: 4 cells (2 run)" in capsys.readouterr().out
    rows = list(csv.DictReader((out / "bench.csv").open()))
    assert [(r["model"], r["task"], r["applies"]) for r in rows] == [
        ("brunel_wang2001", "delayed_recall", "1"),
        ("brunel_wang2001", "reset", "1"),
        ("assemblies", "delayed_recall", "0"),
        ("assemblies", "reset", "0"),
    ]
    reasons = {r["task"]: r["reason"] for r in rows if r["applies"] == "0"}
    assert "learns its memories" in reasons["delayed_recall"] and "no global input" in reasons["reset"]
    bw = {r["task"]: r for r in rows if r["model"] == "brunel_wang2001"}
    assert bw["delayed_recall"]["n_seeds"] == "1" and float(bw["delayed_recall"]["held_mean"]) in (0.0, 1.0)
    assert float(bw["reset"]["reset_success_mean"]) in (0.0, 1.0)
    with h5py.File(out / "bench.h5") as h5:
        assert list(h5.attrs["seeds"]) == [1]
        assert np.asarray(h5["per_seed/brunel_wang2001/reset/reset_success"]).shape == (1,)
    text = (out / "bench.md").read_text()
    assert text.startswith("Made by `snnmem bench ") and "does not apply" in text
    assert (out / "bench.png").stat().st_size > 10_000
    assert (out / "brunel_wang2001" / "reset" / "brunel_wang2001__seed1.h5").is_file()
