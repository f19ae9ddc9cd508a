"""Weight snapshots streamed to disk during a run, and runs that start from a snapshot (issue 16)."""

from __future__ import annotations

from pathlib import Path

import h5py
import numpy as np
import pytest

from test_assemblies import SMALL

import snnmem
from snnmem.circuits.snapshot_stream import SnapshotStream
from snnmem.config import load_model
from snnmem.errors import ConfigError
from snnmem.snapshots import StreamedSnapshots

ROOT = Path(__file__).resolve().parents[1]
MODEL = ROOT / "models" / "assemblies.toml"

#: test_assemblies' small network (400 E / 100 I, 4 assemblies), 3 s of plastic rest, a snapshot every second
SOURCE = {
    **SMALL,
    "protocol.rest_duration": "3 s",
    "protocol.cue_fractions": [0.5],
    "protocol.weight_snapshot_interval": "1 s",
}


def _from_snapshot(path: Path, at: str) -> dict:
    """The same network, started from ``path``'s snapshot at ``at``: frozen warm-up, no training, recall."""
    return {
        **SOURCE,
        "protocol.weight_snapshot_interval": "0 s",
        "protocol.start_from": str(path),
        "protocol.start_at": at,
        "protocol.train_repetitions": 0,
        "protocol.rest_duration": "0 s",
        "protocol.warmup_duration": "500 ms",
    }


def _tiny_network(b2, duration_s: float, interval_s: float):
    """20 cells driven to fire, 0/1 synapses that grow with every presynaptic spike; fixed pairs."""
    group = b2.NeuronGroup(
        20, "dv/dt = -v/(10*ms) + 0.5/(5*ms) : 1", threshold="v > 0.2", reset="v = 0", method="euler", name="g"
    )
    synapses = b2.Synapses(group, group, "w : 1", on_pre="w = clip(w + 0.01, 0, 1)", name="s", namespace={})
    pre, post = np.nonzero(np.random.default_rng(1).random((20, 20)) < 0.3)
    synapses.connect(i=pre, j=post)
    synapses.w = 0.5
    stream = SnapshotStream(b2, synapses, "w", interval_s, "s_w")
    monitor = b2.StateMonitor(synapses, "w", record=np.arange(len(pre)), dt=interval_s * b2.second)
    b2.Network(group, synapses, monitor, *stream.objects).run(duration_s * b2.second)
    return stream, monitor


@pytest.mark.parametrize("device", ["runtime", "cpp_standalone"])
def test_streamed_snapshots_equal_a_state_monitor(device, tmp_path):
    import brian2 as b2

    from snnmem.simulation import release_compiled

    if device == "cpp_standalone":
        # an earlier ring test in this process may keep its compiled network (and so Brian2's one
        # standalone device, already run) warm: free it, as a script mixing raw Brian2 with snnmem would
        release_compiled()
        b2.set_device("cpp_standalone", directory=str(tmp_path / "project"), build_on_run=False)
    try:
        stream, monitor = _tiny_network(b2, 0.1, 0.01)
        if device == "cpp_standalone":
            b2.device.build(directory=str(tmp_path / "project"), compile=True, run=True)
        snapshots = stream.collect(b2)
        expected = np.asarray(monitor.w[:], dtype=np.float32).T
        assert snapshots.shape == expected.shape == (10, expected.shape[1])
        np.testing.assert_array_equal(np.asarray(snapshots), expected)
        np.testing.assert_array_equal(snapshots.row(3), expected[3])
        np.testing.assert_allclose(snapshots.times_s, np.arange(10) * 0.01)
        assert not (expected[0] == expected[-1]).all()  # the weights did change between snapshots
    finally:
        if device == "cpp_standalone":
            b2.device.reinit()
            b2.device.activate()
            b2.set_device("runtime")


def test_an_incomplete_last_snapshot_is_ignored(tmp_path):
    folder = tmp_path / "owned"
    folder.mkdir()
    raw = folder / "w.f32"
    np.arange(2 * 5 + 3, dtype=np.float32).tofile(raw)  # two full snapshots of 5 values, and 3 of a killed third
    snapshots = StreamedSnapshots(raw, 5, 0.5)
    assert snapshots.shape == (2, 5)
    np.testing.assert_array_equal(snapshots.row(1), np.arange(5, 10, dtype=np.float32))
    with pytest.raises(IndexError):
        snapshots.row(2)


def test_only_a_folder_given_as_owned_is_ever_deleted(tmp_path):
    """A user's file is read, never deleted (nor its folder); an owned folder goes with the object."""
    import gc

    raw = tmp_path / "mine.f32"
    np.zeros(10, dtype=np.float32).tofile(raw)
    (tmp_path / "neighbour.txt").write_text("keep")
    snapshots = StreamedSnapshots(raw, 5, 0.5)
    del snapshots
    gc.collect()
    assert raw.is_file() and (tmp_path / "neighbour.txt").is_file()
    owned = tmp_path / "owned"
    owned.mkdir()
    np.zeros(10, dtype=np.float32).tofile(owned / "w.f32")
    snapshots = StreamedSnapshots(owned / "w.f32", 5, 0.5, owned_folder=owned)
    del snapshots
    gc.collect()
    assert not owned.exists() and raw.is_file()
    with pytest.raises(ValueError, match="is not the folder of"):
        StreamedSnapshots(raw, 5, 0.5, owned_folder=owned.parent.parent)


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    run = snnmem.simulate(load_model(MODEL, SOURCE), seed=4)
    return run, run.save(tmp_path_factory.mktemp("snap") / "source.h5")


def test_source_run_streams_ee_and_ie_snapshots_into_the_run_file(source):
    run, path = source
    # the disk blocks reserved before HDF5 writes (Run.save) cover the file, which is then shrunk to its size
    assert 0 < path.stat().st_size <= run._size_bound()
    assert path.stat().st_blocks * 512 < run._size_bound()
    with h5py.File(path, "r") as h5:
        for syn in ("ee", "ie"):
            data = h5[f"weights/{syn}/snapshots"]
            assert data.chunks == (1, data.shape[1])  # written one snapshot at a time
            times = h5[f"weights/{syn}/snapshot_times_s"][()]
            np.testing.assert_allclose(times, np.arange(data.shape[0]) * 1.0)
            assert data.shape == (times.size, h5[f"weights/{syn}/i"].size)
        ee = h5["weights/ee"]
        train_end = next(p for p in run.phases if p.name == "train").stop_s
        assert train_end == pytest.approx(9.0)  # 1 s of warm-up, 4 assemblies x 2 presentations x 1 s
        np.testing.assert_array_equal(ee["snapshots"][9], ee["w_after_train"][()])  # snapshot at 9 s: end of training
    loaded = snnmem.open_run(path)
    assert loaded.weights["ee"]["snapshots"].shape[0] == int(run.phases[-1].stop_s)  # at 0, 1, ... s before the end


def test_a_run_from_a_snapshot_starts_from_its_weights_and_recalls(source):
    _, path = source
    later = snnmem.simulate(load_model(MODEL, _from_snapshot(path, "11 s")), seed=4)  # 2 s into the rest
    with h5py.File(path, "r") as h5:
        ee_k = h5["weights/ee/snapshots"][11]
        ie_k = h5["weights/ie/snapshots"][11]
        np.testing.assert_array_equal(later.weights["ie"]["i"], h5["weights/ie/i"][()])
    np.testing.assert_array_equal(later.weights["ee"]["w_start"], ee_k)
    np.testing.assert_array_equal(later.weights["ie"]["w_start"], ie_k)
    # every phase is frozen: the weights end as they started
    assert {p.plasticity for p in later.phases} == {"none"}
    np.testing.assert_array_equal(later.weights["ee"]["w_final"], ee_k)
    np.testing.assert_array_equal(later.weights["ie"]["w_final"], ie_k)
    assert later.scores["weight_ratio_start"] > 1.2  # trained assemblies
    assert np.isfinite(later.scores["completion_f0p5"]) and np.isfinite(later.scores["recall_specificity"])
    assert "retention" not in later.scores and "rate_train_stimulated_hz" not in later.scores


def test_start_from_errors_name_the_key_and_the_path(source, tmp_path):
    _, path = source
    with pytest.raises(ConfigError, match=r"protocol.start_at = 2.5 s: .*source.h5 has snapshots every 1 s"):
        load_model(MODEL, _from_snapshot(path, "2.5 s"))
    with pytest.raises(ConfigError, match=r"protocol.start_from: run file not found: .*missing.h5"):
        load_model(MODEL, _from_snapshot(tmp_path / "missing.h5", "1 s"))
    with pytest.raises(ConfigError, match=r"network.n_exc = 400, this model 500"):
        load_model(MODEL, {**_from_snapshot(path, "1 s"), "network.n_exc": 500})
    (tmp_path / "junk.h5").write_bytes(b"not hdf5")
    with pytest.raises(ConfigError, match=r"junk.h5: not a readable HDF5 file"):
        load_model(MODEL, _from_snapshot(tmp_path / "junk.h5", "1 s"))
    with pytest.raises(ConfigError, match=r"was run with seed 4.*--seed 4"):
        snnmem.simulate(load_model(MODEL, _from_snapshot(path, "1 s")), seed=5)
