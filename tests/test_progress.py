"""Progress of a simulation: the binary's report lines, the stages, and a quiet command line."""

from __future__ import annotations

import numpy as np
from conftest import SMALL_RING

import snnmem
from snnmem.cli import main
from snnmem.config import load_model
from snnmem.progress import MARKER, BinaryWatcher, Progress, parse_line


def test_report_lines_are_parsed_and_other_output_ignored():
    assert parse_line(f"{MARKER} 2.5 0.25 4") == Progress("simulate", 0.25, 1.0, 4.0, 2.5)
    for other in ("Starting simulation", f"{MARKER} 1 x 4", f"{MARKER} 1 2", ""):
        assert parse_line(other) is None


def test_the_watcher_forwards_complete_lines_only(tmp_path):
    events = []
    watcher = BinaryWatcher(tmp_path / "stdout.txt", events.append)
    path = tmp_path / "stdout.txt"
    path.write_text(f"compiler noise\n{MARKER} 1 0.5 2\n{MARKER} 2 0.7")  # the last line is still being written
    watcher.poll()
    assert [e.fraction for e in events] == [0.5]
    with open(path, "a") as handle:
        handle.write(f"5 2\n{MARKER} 3 1 2\n")
    watcher.poll()
    assert [e.fraction for e in events] == [0.5, 0.75, 1.0]
    watcher.poll()  # nothing new
    assert len(events) == 3


def test_simulate_reports_its_stages_and_the_binary_progress(compte_path):
    model = load_model(compte_path, SMALL_RING)
    events = []
    snnmem.simulate(model, seed=2, progress=events.append)
    stages = [e.stage for e in events]
    assert stages[:2] == ["build", "compile"] and stages[-2:] == ["analyse", "done"]
    simulated = [e for e in events if e.stage == "simulate"]
    assert simulated and simulated[-1].fraction == 1.0
    assert simulated[-1].biological_s == simulated[-1].duration_s == model_duration(model)
    assert np.all(np.diff([e.fraction for e in simulated]) >= 0)
    again = []
    snnmem.simulate(model, seed=3, progress=again.append)  # the compiled network reused: no build stage
    assert "build" not in [e.stage for e in again] and any(e.stage == "simulate" for e in again)


def model_duration(model) -> float:
    return sum(float(model[f"protocol.{p}_duration"]) for p in ("baseline", "cue", "delay"))


def test_quiet_prints_nothing_and_still_writes_the_run(compte_path, tmp_path, capsys):
    sets = [item for key, value in SMALL_RING.items() for item in ("--set", f"{key}={value}")]
    out = tmp_path / "quiet.h5"
    assert main(["run", str(compte_path), *sets, "--seed", "4", "--no-plot", "--quiet", "--out", str(out)]) == 0
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""
    assert snnmem.open_run(out).seed == 4
