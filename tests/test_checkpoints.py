"""Checkpoints: a killed standalone run resumes from its last checkpoint with the result of an unbroken run."""

import json
import os
import signal
import struct
import subprocess
import sys
import time
import types

import numpy as np
import pytest
from test_assemblies import MODEL, SMALL

import snnmem
from snnmem._brian2_private import Brian2PrivateAPIError, checkpoint_source
from snnmem.checkpoints import META, STATE, Checkpoint, read_state_header
from snnmem.cli import main
from snnmem.config import load_model
from snnmem.errors import ConfigError

CHECKPOINTED = {**SMALL, "simulation.checkpoint_interval": "2 s"}


def _state_file(path, t, streams=None):
    """A checkpoint state file's header as the binary writes it (time, snapshot stream lengths), nothing after."""

    def item(name, value):
        return struct.pack("<I", len(name)) + name.encode() + struct.pack("<Q", len(value)) + value

    streams = streams or {}
    data = b"SNNMCKP1" + item("t", struct.pack("<d", t)) + item("streams", struct.pack("<Q", len(streams)))
    data += b"".join(item(f"stream:{name}", struct.pack("<Q", size)) for name, size in streams.items())
    path.write_bytes(data)


def _checkpoint(tmp_path, seed=3, overrides=CHECKPOINTED):
    return Checkpoint.for_run(load_model(MODEL, overrides), seed, tmp_path / "ck")


def test_no_checkpoints_by_default_and_the_interval_is_checked():
    assert Checkpoint.for_run(load_model(MODEL, SMALL), 1, None) is None
    with pytest.raises(ConfigError, match="whole number of time steps"):
        Checkpoint.for_run(load_model(MODEL, {"simulation.checkpoint_interval": "1.05 ms"}), 1, None)
    with pytest.raises(ConfigError, match="cpp_standalone"):
        Checkpoint.for_run(
            load_model(MODEL, {"simulation.checkpoint_interval": "1 s", "simulation.device": "runtime"}), 1, None
        )
    with pytest.raises(ConfigError, match="checkpoint_interval"):
        load_model(MODEL, {"simulation.checkpoint_interval": "-1 s"})


def test_resume_without_checkpoints_and_checkpoints_with_run_time_values_are_refused_before_building(compte_path):
    with pytest.raises(ConfigError, match="resume needs checkpoints"):
        snnmem.simulate(load_model(MODEL, SMALL), seed=1, resume=True)
    with pytest.raises(ConfigError, match="run-time values"):
        snnmem.simulate(load_model(compte_path, {"simulation.checkpoint_interval": "1 s"}), seed=1)
    assert main(["run", str(MODEL), "--resume", "--no-plot", "--quiet"]) == 2


def test_a_new_folder_is_prepared_and_a_start_that_wrote_no_checkpoint_is_replaced(tmp_path):
    checkpoint = _checkpoint(tmp_path)
    assert checkpoint.prepare(resume=True) is None  # nothing to resume: from the start
    assert (checkpoint.folder / META).is_file() and not checkpoint.state.exists()
    (checkpoint.folder / "snnmem_stream_ee_w.f32").write_bytes(b"old")
    assert checkpoint.prepare(resume=False) is None
    assert not (checkpoint.folder / "snnmem_stream_ee_w.f32").exists()


def test_an_interrupted_runs_checkpoint_is_kept_unless_resumed(tmp_path):
    checkpoint = _checkpoint(tmp_path)
    checkpoint.prepare(resume=False)
    stream = checkpoint.folder / "snnmem_stream_ee_w.f32"
    stream.write_bytes(bytes(range(12)) * 3)  # 36 bytes: 24 at the checkpoint, 12 written after it
    _state_file(checkpoint.state, 6.0, {stream.name: 24})
    before = checkpoint.state.read_bytes()
    with pytest.raises(ConfigError, match=r"interrupted run .*at 6 s.*resume"):
        checkpoint.prepare(resume=False)
    assert checkpoint.state.read_bytes() == before and stream.stat().st_size == 36
    assert checkpoint.prepare(resume=True) == 6.0
    assert stream.read_bytes() == (bytes(range(12)) * 3)[:24]  # cut back to the checkpoint


def test_a_stream_shorter_than_at_its_checkpoint_cannot_be_resumed(tmp_path):
    checkpoint = _checkpoint(tmp_path)
    checkpoint.prepare(resume=False)
    (checkpoint.folder / "snnmem_stream_ee_w.f32").write_bytes(b"x" * 8)
    _state_file(checkpoint.state, 4.0, {"snnmem_stream_ee_w.f32": 24, "snnmem_stream_ie_w.f32": 8})
    with pytest.raises(ConfigError, match="snnmem_stream_ee_w.f32 is missing or shorter"):
        checkpoint.prepare(resume=True)


def test_another_models_or_seeds_checkpoint_is_refused(tmp_path):
    _checkpoint(tmp_path, seed=3).prepare(resume=False)
    with pytest.raises(ConfigError, match="another run.*seed 3"):
        _checkpoint(tmp_path, seed=4).prepare(resume=True)
    other = {**CHECKPOINTED, "network.n_exc": 320}
    with pytest.raises(ConfigError, match="another run"):
        _checkpoint(tmp_path, overrides=other).prepare(resume=True)
    stranger = tmp_path / "stranger"
    stranger.mkdir()
    (stranger / "notes.txt").write_text("mine")
    with pytest.raises(ConfigError, match="not an snnmem checkpoint folder"):
        Checkpoint.for_run(load_model(MODEL, CHECKPOINTED), 3, stranger).prepare(resume=False)
    assert (stranger / "notes.txt").read_text() == "mine"


def test_a_checkpoint_written_by_other_versions_is_refused(tmp_path):
    checkpoint = _checkpoint(tmp_path)
    checkpoint.prepare(resume=False)
    meta = json.loads((checkpoint.folder / META).read_text())
    (checkpoint.folder / META).write_text(json.dumps({**meta, "brian2": "2.5.1"}))
    _state_file(checkpoint.state, 2.0)
    with pytest.raises(ConfigError, match=r"other software \(brian2 2\.5\.1 -> "):
        checkpoint.prepare(resume=True)
    assert checkpoint.state.is_file()


@pytest.mark.parametrize(
    "content, message",
    [(b"", "not an snnmem checkpoint"), (b"SNNMCKP1\x01\x00", "truncated"), (b"PK\x03\x04rest", "not an snnmem")],
)
def test_a_damaged_state_file_is_named(tmp_path, content, message):
    path = tmp_path / STATE
    path.write_bytes(content)
    with pytest.raises(ConfigError, match=message) as error:
        read_state_header(path)
    assert str(path) in str(error.value)


def test_networks_with_a_state_monitor_cannot_be_checkpointed():
    device = types.SimpleNamespace(arrays={}, dynamic_arrays={}, dynamic_arrays_2d={object(): "_dynamic_array_m_v"})
    with pytest.raises(Brian2PrivateAPIError, match="StateMonitor"):
        checkpoint_source(device, [], '"h.h"')


@pytest.mark.slow  # two builds (with and without checkpoints) and three runs: about 4 min on one core
def test_a_killed_run_resumes_from_its_last_checkpoint_with_the_result_of_an_unbroken_run(tmp_path):
    """SIGKILL to `snnmem run` (Python and binary) after the checkpoint at 6 s; --resume ends as an unbroken run."""
    out = tmp_path / "run.h5"
    folder = tmp_path / "run.h5.checkpoint"
    sets = [item for key, value in CHECKPOINTED.items() for item in ("--set", f"{key}={value}")]
    arguments = ["run", str(MODEL), *sets, "--seed", "3", "--no-plot", "--quiet", "--out", str(out)]
    process = subprocess.Popen(
        [sys.executable, "-m", "snnmem.cli", *arguments], stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    killed_at = None
    while process.poll() is None and killed_at is None:  # wait for the checkpoint at 6 s (of 16 s)
        if (folder / STATE).is_file() and read_state_header(folder / STATE)[0] >= 6.0:
            os.killpg(process.pid, signal.SIGKILL)
            killed_at = read_state_header(folder / STATE)[0]
        time.sleep(0.05)
    process.wait()
    assert killed_at is not None, process.stderr.read()
    assert not out.exists() and (folder / STATE).is_file()

    assert main([*arguments, "--resume"]) == 0
    resumed = snnmem.open_run(out)
    unbroken = snnmem.simulate(load_model(MODEL, SMALL), seed=3)  # no checkpoints at all
    assert not folder.exists()
    resumed_from = resumed.provenance["resumed_from_s"]
    assert resumed_from >= 6.0 and resumed_from % 2.0 == 0.0 and resumed_from < 16.0
    for pop in ("exc", "inh"):
        assert len(unbroken.spikes[pop][0]) > 1000
        np.testing.assert_array_equal(resumed.spikes[pop][0], unbroken.spikes[pop][0])
        np.testing.assert_array_equal(resumed.spikes[pop][1], unbroken.spikes[pop][1])
    for pathway in ("ee", "ie"):
        for key in ("w_final", "snapshots"):
            np.testing.assert_array_equal(
                np.asarray(resumed.weights[pathway][key]), np.asarray(unbroken.weights[pathway][key])
            )
    np.testing.assert_equal(resumed.scores, unbroken.scores)
