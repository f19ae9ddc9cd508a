"""Runs in segments: learning code left out where its gate stays 0, with the spikes and weights of one run."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import numpy as np
import pytest
from conftest import SMALL_CONSOLIDATION
from test_assemblies import MODEL, SMALL
from test_faults import _descendant_named

import snnmem
from snnmem.circuits.plastic_area import open_from_start
from snnmem.config import load_model
from snnmem.progress import MARKER, BinaryWatcher
from snnmem.segments import Segment, learning_segments

CONSOLIDATION = MODEL.parent / "consolidation.toml"


def test_segments_split_where_the_set_of_open_gates_changes():
    step = 1e-3
    ee = np.r_[np.zeros(5), np.ones(10), np.zeros(5), 0.0]  # protocol of 20 steps, gate one step longer
    ie = np.r_[np.ones(15), np.zeros(5)]
    segments = learning_segments([ee, ie], step, 0.02)
    assert segments == [
        Segment(0.0, 0.005, (False, True)),
        Segment(0.005, 0.015, (True, True)),
        Segment(0.015, 0.02, (False, False)),
    ]
    assert sum(s.duration_s for s in segments) == pytest.approx(0.02)


def test_segments_without_gates_or_with_one_constant_gate_are_one_run():
    assert learning_segments([], 1e-3, 2.0) == [Segment(0.0, 2.0, ())]
    assert learning_segments([np.full(10, 0.5)], 1e-3, 0.01) == [Segment(0.0, 0.01, (True,))]


def test_a_gate_shorter_than_the_protocol_keeps_its_last_value():
    assert learning_segments([np.r_[0.0, 1.0]], 1.0, 4.0) == [Segment(0.0, 1.0, (False,)), Segment(1.0, 4.0, (True,))]


@pytest.mark.parametrize("step, duration, message", [(0.0, 1.0, "step_s"), (1e-3, -1.0, "duration_s")])
def test_segments_refuse_bad_steps_and_durations(step, duration, message):
    with pytest.raises(ValueError, match=message):
        learning_segments([np.ones(3)], step, duration)


def test_a_not_finite_gate_is_refused():
    with pytest.raises(ValueError, match="gate 0"):
        learning_segments([np.array([0.0, np.nan])], 1e-3, 2e-3)


def test_code_needed_at_time_zero_stays_on_until_its_gate_first_opens():
    np.testing.assert_array_equal(open_from_start(np.array([0, 0, 1, 0, 1.0])), [1, 1, 1, 0, 1])
    np.testing.assert_array_equal(open_from_start(np.zeros(3)), np.ones(3))


def test_the_watcher_reports_segments_as_progress_through_the_protocol(tmp_path):
    events = []
    path = tmp_path / "stdout.txt"
    watcher = BinaryWatcher(path, events.append, total_s=10.0)
    # MARKER elapsed completed duration start: a 2 s segment, then an 8 s one from 2 s
    path.write_text(f"{MARKER} 0 0 2 0\n{MARKER} 1.5 1 2 0\n{MARKER} 0 0 8 2\n{MARKER} 2 0.5 8 2\n{MARKER} 4 1 8 2\n")
    watcher.poll()
    assert [e.biological_s for e in events] == [0.0, 2.0, 2.0, 6.0, 10.0]
    assert [e.fraction for e in events] == [0.0, 0.2, 0.2, 0.6, 1.0]
    assert [e.wall_s for e in events] == [0.0, 1.5, 1.5, 3.5, 5.5]
    assert {e.duration_s for e in events} == {10.0}


def _both(path, overrides, seed, populations):
    """The same model and seed run in segments and as one run: their spikes, weights and the segment count."""
    runs = {}
    for skip in (True, False):
        events = []
        run = snnmem.simulate(
            load_model(path, {**overrides, "simulation.skip_frozen_learning": skip}),
            seed=seed,
            progress=events.append,
        )
        simulated = [e for e in events if e.stage == "simulate"]
        assert simulated[-1].fraction == 1.0 and simulated[-1].biological_s == simulated[-1].duration_s
        assert np.all(np.diff([e.biological_s for e in simulated]) >= 0)
        runs[skip] = run
    segmented, single = runs[True], runs[False]
    assert segmented.provenance["wall_segments"] > 1 and single.provenance["wall_segments"] == 1
    for pop in populations:
        assert len(single.spikes[pop][0]) > 100
        np.testing.assert_array_equal(segmented.spikes[pop][0], single.spikes[pop][0])
        np.testing.assert_array_equal(segmented.spikes[pop][1], single.spikes[pop][1])
    return segmented, single


def test_assemblies_in_segments_have_the_spikes_and_weights_of_one_run():
    segmented, single = _both(MODEL, SMALL, 3, ("exc", "inh"))
    assert segmented.provenance["wall_segments"] == 3  # warm-up (I->E learns), training and rest, recall (frozen)
    for pathway in ("ee", "ie"):
        np.testing.assert_array_equal(segmented.weights[pathway]["w_final"], single.weights[pathway]["w_final"])
    np.testing.assert_equal(segmented.scores, single.scores)


@pytest.mark.slow
def test_consolidation_in_segments_has_the_spikes_and_weights_of_one_run():
    # one episode and a 3 s final rest: 18 s of protocol in three segments of the normalisations' learning
    # code: warm-up and encoding (code needed from time zero is kept until its gate first opens), the rest
    # (the CTX's only), recall (none). Every segment is one more copy of each code object to compile, which
    # dominates the cost (two episodes: five segments)
    short = {
        **SMALL_CONSOLIDATION,
        "episodes.n_episodes": 1,
        "task.warmup_duration": "1 s",
        "task.final_rest": "3 s",
    }
    segmented, single = _both(CONSOLIDATION, short, 2, ("hpc_exc", "ctx_exc"))
    assert segmented.provenance["wall_segments"] == 3
    assert [p.name for p in single.phases][:4] == ["warmup", "encode_1", "consolidate_1", "settle"]
    for pathway in ("hpc_ee", "ctx_ee", "hpc_ctx", "ctx_hpc"):
        np.testing.assert_array_equal(segmented.weights[pathway]["w_final"], single.weights[pathway]["w_final"])


@pytest.mark.slow
def test_an_interrupted_segment_stops_the_run_and_nothing_is_written(tmp_path):
    """SIGINT to the binary once its second segment runs: exit 130, no later segment scored, the old file kept."""
    good = tmp_path / "existing.h5"
    good.write_bytes(b"an earlier good result\n" * 100)
    before = good.read_bytes()
    cache = tmp_path / "cache"
    sets = [item for key, value in SMALL.items() for item in ("--set", f"{key}={value}")]
    sets += ["--set", "protocol.rest_duration=60 s"]
    command = [sys.executable, "-m", "snnmem.cli", "run", str(MODEL), *sets, "--no-plot", "--out", str(good)]
    process = subprocess.Popen(
        command, env={**os.environ, "SNNMEM_CACHE_DIR": str(cache)}, stderr=subprocess.PIPE, text=True
    )
    binary = None
    while process.poll() is None and binary is None:  # wait for a progress line of a segment that starts after 0
        for stdout in cache.glob("standalone/*/results/stdout.txt"):
            lines = [line.split() for line in stdout.read_text().splitlines() if line.startswith(MARKER)]
            if any(len(words) == 5 and float(words[4]) > 0 for words in lines):
                binary = _descendant_named(process.pid, "main")
        time.sleep(0.05)
    assert binary is not None, process.communicate()[1]
    os.kill(binary, signal.SIGINT)
    err = process.communicate()[1]
    assert process.returncode == 130, err
    assert "interrupted" in err and "Traceback" not in err, err
    assert good.read_bytes() == before
    (stdout,) = cache.glob("standalone/*/results/stdout.txt")
    starts = {float(line.split()[4]) for line in stdout.read_text().splitlines() if line.startswith(MARKER)}
    assert len(starts) == 2, starts  # the segment after the interrupted one never started


def test_the_profile_sums_the_copies_of_each_code_object_over_segments():
    from snnmem.simulation import _profile_by_code_object

    profile = [("ee_post_codeobject", 1.0), ("ee_post_codeobject_2", 2.5), ("ee_pre_push_spikes", 0.5)]
    assert _profile_by_code_object(profile) == [("ee_post_codeobject", 3.5), ("ee_pre_push_spikes", 0.5)]


def test_segments_are_on_by_default_for_the_assemblies_and_off_for_consolidation():
    assert load_model(MODEL)["simulation.skip_frozen_learning"] is True
    assert load_model(CONSOLIDATION)["simulation.skip_frozen_learning"] is False
