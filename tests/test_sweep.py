"""Sweeps: grid parsing, sweep files, and real Dask LocalCluster runs of a tiny ring."""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import h5py
import numpy as np
import pandas
import pytest

import snnmem
from snnmem.cli import main
from snnmem.errors import ConfigError
from snnmem.sweeps import IndexTable, load_sweep, make_spec, parse_grid, parse_seeds, read_index

from conftest import COMPTE, ROOT

#: A ring small and short enough for a sweep of 8 points in seconds (after one compilation).
TINY = {
    "network.n_exc": 128,
    "network.n_inh": 32,
    "protocol.baseline_duration": "100 ms",
    "protocol.cue_duration": "250 ms",
    "protocol.delay_duration": "500 ms",
    "protocol.score_window": "250 ms",
    "simulation.dt": "0.1 ms",
}
GRID = {"conductances.g_ee_nmda": ["0.36 nS", "0.381 nS"], "protocol.cue_amplitude": ["150 pA", "200 pA"]}


@pytest.fixture(scope="module")
def worker_cache(tmp_path_factory):
    """One cache root for the module's workers: each worker compiles (or copies) once."""
    return tmp_path_factory.mktemp("sweep_workers")


# ----------------------------------------------------------------------------- no cluster
def test_parse_grid_lists_ranges_and_units():
    grid = parse_grid(
        [
            "conductances.g_ee_nmda=0.3nS:0.4nS:3",
            "connectivity.sigma_deg=14.4,18",
            "network.n_exc=128:256:3",
            "protocol.delay_duration=1 s,2 s",
        ]
    )
    assert grid["conductances.g_ee_nmda"] == ("0.3 nS", "0.35 nS", "0.4 nS")
    assert grid["connectivity.sigma_deg"] == (14.4, 18)
    assert grid["network.n_exc"] == (128, 192, 256)
    assert grid["protocol.delay_duration"] == ("1 s", "2 s")
    assert parse_grid({"a.b": "0:1:3"})["a.b"] == (0.0, 0.5, 1.0)
    for bad in (["novalue"], ["a.b=1:2:zero"], ["a.b=1nS:2mV:3"], ["a.b=1,1"]):
        with pytest.raises(ConfigError):
            parse_grid(bad)


def test_parse_seeds():
    assert parse_seeds("0-3") == (0, 1, 2, 3)
    assert parse_seeds("1,4-5") == (1, 4, 5)
    assert parse_seeds(3) == (0, 1, 2) and parse_seeds([7, 2]) == (7, 2)
    for bad in ("3-1", "a", [-1], [1, 1], True, 0):
        with pytest.raises(ConfigError):
            parse_seeds(bad)


def test_every_point_is_validated_before_anything_runs(tmp_path):
    with pytest.raises(ConfigError, match="conductances.g_ee_nmda"):
        make_spec(COMPTE, {"conductances.g_ee_nmda": ["0.3 nS", "3 mV"]}, out=tmp_path / "s")
    with pytest.raises(ConfigError, match="sigma_dge"):
        make_spec(COMPTE, {"connectivity.sigma_dge": [1.0]}, out=tmp_path / "s")
    with pytest.raises(ConfigError, match="both swept and set"):
        make_spec(COMPTE, {"network.n_exc": [128]}, overrides={"network.n_exc": 64}, out=tmp_path / "s")
    assert not (tmp_path / "s").exists()
    assert main(["sweep", str(COMPTE), "--grid", "protocol.delay_duration=1 s,3 mV", "--out", str(tmp_path / "c")]) == 2


def test_points_names_and_sweep_file(tmp_path):
    (tmp_path / "model.toml").write_text(COMPTE.read_text())
    (tmp_path / "nmda.sweep.toml").write_text(
        '[sweep]\nmodel = "model.toml"\nout = "out"\nseeds = "3-4"\n\n'
        '[grid]\n"conductances.g_ee_nmda" = "0.36 nS:0.38 nS:2"\n"connectivity.sigma_deg" = [14.4, 18.0]\n\n'
        '[set]\n"network.n_exc" = 128\n\n[cluster]\nkind = "slurm"\nworkers = 3\nqueue = "debug"\n'
    )
    spec = load_sweep(tmp_path / "nmda.sweep.toml")
    assert spec.model == tmp_path / "model.toml" and spec.out == tmp_path / "out" and spec.seeds == (3, 4)
    assert spec.cluster.kind == "slurm" and spec.cluster.workers == 3 and spec.cluster.queue == "debug"
    points = spec.points()
    assert len(points) == 8 and len({p.name for p in points}) == 8
    assert points[0].name == "compte2000__g_ee_nmda=0.36nS__sigma_deg=14.4__seed3"
    assert load_sweep(tmp_path / "nmda.sweep.toml", seeds="0", workers=1).seeds == (0,)
    (tmp_path / "bad.toml").write_text('[sweep]\nmodel = "model.toml"\n[cluster]\nnodes = 2\n')
    with pytest.raises(ConfigError, match="cluster.nodes"):
        load_sweep(tmp_path / "bad.toml")


def test_sweep_summary_mean_and_sem_over_seeds():
    """Line plot data from an index table: mean +- SEM over seeds; failed points left out."""
    columns = {
        "protocol.cue_amplitude": np.array(["100 pA", "100 pA", "200 pA", "200 pA", "200 pA"], dtype=object),
        "protocol.cue_amplitude_si": np.array([1e-10, 1e-10, 2e-10, 2e-10, 2e-10]),
        "status": np.array(["done", "done", "done", "done", "failed"], dtype=object),
        "score.peak_hz": np.array([10.0, 14.0, 20.0, 20.0, np.nan]),
    }
    table = IndexTable(columns, ["protocol.cue_amplitude"])
    summary = snnmem.plot.sweep_summary(table)
    assert summary["keys"] == ["protocol.cue_amplitude"] and summary["labels"] == [["100 pA", "200 pA"]]
    np.testing.assert_allclose(summary["mean"], [12.0, 20.0])
    np.testing.assert_allclose(summary["sem"], [np.std([10.0, 14.0], ddof=1) / np.sqrt(2), 0.0])
    assert list(summary["n"]) == [2, 2]
    ax = snnmem.plot.sweep_line(summary)
    assert "mean ± SEM" in ax.get_ylabel()
    # the x axis in the unit the sweep was written in, not SI with an offset
    assert ax.get_xlabel() == "protocol.cue_amplitude (pA)"
    np.testing.assert_allclose(ax.lines[0].get_xdata(), [100.0, 200.0])


# ----------------------------------------------------------------------------- LocalCluster
def _index_rows(folder: Path) -> list[dict]:
    with open(folder / "index.csv", newline="") as handle:
        return list(csv.DictReader(handle))


def test_local_sweep_2x2x2(tmp_path, worker_cache):
    out = tmp_path / "sweep"
    result = snnmem.sweep(
        COMPTE, grid=GRID, seeds="0-1", overrides=TINY, out=out, workers=2, cache_dir=worker_cache, progress=False
    )
    assert result.n_done == 8 and result.n_failed == 0
    files = sorted(out.glob("*.h5"))
    assert len(files) == 9  # 8 run files + index.h5
    for point in result.points:
        run = snnmem.open_run(out / point.file)
        assert run.seed == point.seed and run.model["conductances.g_ee_nmda"] == run.model["conductances.g_ee_nmda"]
        assert str(run.model.raw["conductances"]["g_ee_nmda"]) == point.params["conductances.g_ee_nmda"]
    table = read_index(out)
    assert list(table["status"]) == ["done"] * 8 and sorted(table["name"]) == sorted(p.name for p in result.points)
    frame = pandas.DataFrame(table)  # one row per point, one column per index column
    assert frame.shape == (8, len(table)) and list(frame["name"]) == list(table["name"])
    assert table.grid_keys == list(GRID)
    assert "score.bump_peak_rate_hz" in table and np.all(np.isfinite(table["score.bump_peak_rate_hz"]))
    # compile once: at most the first point compiles (the other worker copies its build folder)
    assert int(np.sum(table["compiled"] == 1)) <= 1 and set(table["compiled"]) <= {0, 1}
    with h5py.File(out / "index.h5") as h5:
        assert h5.attrs["state"] == "complete" and h5.attrs["n_done"] == 8
        link = h5["runs"].get(result.points[0].name, getlink=True)
        assert isinstance(link, h5py.ExternalLink) and link.filename == result.points[0].file
        assert h5["runs"][result.points[0].name].attrs["status"] == "complete"
    rows = _index_rows(out)
    assert len(rows) == 8 and {r["status"] for r in rows} == {"done"}
    assert rows[0]["conductances.g_ee_nmda"] == "0.36 nS" and float(rows[0]["conductances.g_ee_nmda_si"]) == 3.6e-10
    # the sweep figure: score against two swept keys (heat map), mean +- SEM over seeds
    summary = snnmem.plot.sweep_summary(out, "bump_peak_rate_hz")
    assert summary["mean"].shape == (2, 2) and np.all(summary["n"] == 2)
    assert main(["plot", str(out), "--out", str(tmp_path / "sweep.pdf")]) == 0
    assert (tmp_path / "sweep.pdf").read_bytes().startswith(b"%PDF")
    # a second sweep into the same folder is refused without --resume
    with pytest.raises(ConfigError, match="resume"):
        snnmem.sweep(COMPTE, grid=GRID, seeds="0-1", overrides=TINY, out=out, cache_dir=worker_cache)


def test_failed_points_are_recorded_not_dropped(tmp_path, worker_cache):
    """A point that raises in its worker (here: its run file cannot be written) is a failed row with its error."""
    from snnmem.sweeps import make_spec

    out = tmp_path / "fails"
    grid = {"protocol.delay_duration": ["500 ms", "600 ms"]}
    overrides = {k: v for k, v in TINY.items() if k != "protocol.delay_duration"}
    blocked = make_spec(COMPTE, grid, overrides=overrides, out=out).points()[0].file
    (out / blocked).mkdir(parents=True)  # a folder where the first point's run file goes
    result = snnmem.sweep(COMPTE, grid=grid, overrides=overrides, out=out, workers=1, cache_dir=worker_cache)
    table = read_index(out)
    assert list(table["status"]) == ["failed", "done"] and result.n_failed == 1
    assert "cannot write the run file" in table["error"][0] and table["error"][1] == ""
    with h5py.File(out / "index.h5") as h5:
        assert h5.attrs["state"] == "failed"


def test_killed_worker_still_yields_every_point_once(tmp_path, worker_cache):
    from distributed import Client, LocalCluster

    out = tmp_path / "killed"
    slow = dict(TINY, **{"protocol.delay_duration": "6 s"})  # a few seconds per point
    with (
        LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster,
        Client(cluster) as client,
    ):
        result: dict = {}
        thread = threading.Thread(
            target=lambda: result.update(
                r=snnmem.sweep(
                    COMPTE,
                    grid={"conductances.g_ee_nmda": ["0.36 nS", "0.381 nS"]},
                    seeds="0-2",
                    overrides=slow,
                    out=out,
                    cluster=client,
                    cache_dir=worker_cache,
                    progress=False,
                )
            )
        )
        thread.start()
        killed = None
        deadline = time.monotonic() + 300
        while killed is None and time.monotonic() < deadline and thread.is_alive():
            time.sleep(0.2)
            if not (out / "index.csv").exists() or not any(r["status"] == "done" for r in _index_rows(out)):
                continue  # wait for the first point (compilation) so the next ones are mid-simulation
            busy = [address for address, keys in client.processing().items() if keys]
            if busy:
                time.sleep(0.5)
                pids = client.run(os.getpid, workers=[busy[0]])
                killed = pids[busy[0]]
                os.kill(killed, signal.SIGKILL)
        thread.join(600)
    assert killed is not None, "no busy worker to kill"
    table = read_index(out)
    assert len(table["name"]) == 6 and len(set(table["name"])) == 6
    assert list(table["status"]) == ["done"] * 6, list(table["error"])
    assert len(list(out.glob("compte2000__*.h5"))) == 6 and not list(out.glob(".*.tmp"))


def test_resume_after_interrupt_runs_only_missing_points(tmp_path, worker_cache):
    out = tmp_path / "resumed"
    args = [
        "sweep",
        str(COMPTE),
        "--grid",
        "conductances.g_ee_nmda=0.36nS,0.381nS",
        "--seeds",
        "0-2",
        "--out",
        str(out),
        "--workers",
        "1",
        "--no-progress",
    ]
    args += [
        a
        for key, value in dict(TINY, **{"protocol.delay_duration": "3 s"}).items()
        for a in ("--set", f"{key}={value}")
    ]
    env = dict(os.environ, SNNMEM_CACHE_DIR=str(worker_cache), PYTHONPATH=str(ROOT))
    process = subprocess.Popen(
        [sys.executable, "-m", "snnmem.cli", *args],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.2)
        if (out / "index.csv").exists() and sum(r["status"] == "done" for r in _index_rows(out)) >= 2:
            process.send_signal(signal.SIGINT)
            break
    process.communicate(timeout=120)
    # complete run files on disk (a point may have finished after the index's last update)
    done_before = {path.stem: path.stat().st_mtime_ns for path in out.glob("compte2000__*.h5")}
    assert sum(r["status"] == "done" for r in _index_rows(out)) >= 2
    assert 2 <= len(done_before) < 6, "the sweep was not interrupted half way"
    with h5py.File(out / "index.h5") as h5:
        assert h5.attrs["state"] == "interrupted"
    assert main(args + ["--resume"]) == 0
    rows = _index_rows(out)
    assert len(rows) == 6 and {r["status"] for r in rows} == {"done"}
    for row in rows:
        if row["name"] in done_before:  # skipped: not run again, file untouched
            assert row["resumed"] == "1" and (out / row["file"]).stat().st_mtime_ns == done_before[row["name"]]
        else:
            assert row["resumed"] == "0"


@pytest.mark.slow
def test_network_size_points_rebuild(tmp_path, worker_cache):
    """Points that change the network's size compile; the index says which."""
    out = tmp_path / "sizes"
    overrides = {k: v for k, v in TINY.items() if not k.startswith("network.")}
    snnmem.sweep(
        COMPTE,
        grid={"network.n_exc": [128, 160], "conductances.g_ee_nmda": ["0.36 nS", "0.381 nS"]},
        overrides=dict(overrides, **{"network.n_inh": 32}),
        out=out,
        workers=1,
        cache_dir=worker_cache,
        progress=False,
    )
    table = read_index(out)
    assert list(table["status"]) == ["done"] * 4
    compiled = dict(zip(table["name"], table["compiled"]))
    # one worker, in grid order: 128/0.36 (maybe cached), 128/0.381 (no), 160/0.36 (new size: yes), 160/0.381 (no)
    assert [compiled[n] for n in table["name"]][1:] == [0, 1, 0]


def test_resume_ignores_run_files_of_another_model(tmp_path):
    """--resume reuses a finished run file only if it was written for the same resolved model."""
    from snnmem.config import load_model
    from snnmem.protocols import Phase
    from snnmem.run import Run
    from snnmem.sweeps import _read_run_row

    spec = load_model(COMPTE)
    run = Run(
        model_toml=spec.to_toml(),
        model_name=spec.name,
        circuit=spec.circuit,
        seed=0,
        phases=[Phase("delay", 0.0, 1.0)],
        spikes={"exc": (np.zeros(0, np.uint32), np.zeros(0))},
        n_neurons={"exc": 2048},
        scores={"bump_persisted": 1.0},
    )
    path = run.save(tmp_path / "point.h5")
    assert _read_run_row(path, spec.sha256)["scores"] == {"bump_persisted": 1.0}
    changed = load_model(COMPTE, {"protocol.delay_duration": "2 s"})
    assert _read_run_row(path, changed.sha256) is None
