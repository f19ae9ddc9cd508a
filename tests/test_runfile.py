"""Run files: layout, round trip, atomic writes, corrupt and foreign files."""

from __future__ import annotations

import h5py
import numpy as np
import pytest

from snnmem.errors import RunFileError
from snnmem.protocols import Phase
from snnmem.run import FORMAT, FORMAT_VERSION, SONATA_SORTING, Run, open_run


def make_run(compte_path, n_spikes=5000, seed=3) -> Run:
    from snnmem.config import load_model

    spec = load_model(compte_path)
    rng = np.random.default_rng(seed)
    times = np.sort(rng.uniform(0, 3.75, n_spikes))
    ids = rng.integers(0, 2048, n_spikes).astype(np.uint32)
    return Run(
        model_toml=spec.to_toml(),
        model_name=spec.name,
        circuit=spec.circuit,
        seed=seed,
        phases=[
            Phase("baseline", 0, 0.5, "spontaneous"),
            Phase("cue", 0.5, 0.75, "cue"),
            Phase("delay", 0.75, 3.75, ""),
        ],
        spikes={"exc": (ids, times), "inh": (ids[:10] % 512, times[:10])},
        n_neurons={"exc": 2048, "inh": 512},
        rates={"inh": (np.arange(375, dtype=float), {"bin_s": 0.01, "t_start_s": 0.0, "units": "Hz"})},
        scores={"bump_peak_rate_hz": 17.5, "bump_persisted": 1.0},
        analysis={"window_centre_deg": np.array([179.0, 181.0])},
        provenance={"device": "test"},
        created="2026-01-01T00:00:00+00:00",
    )


def test_layout_is_readable_with_plain_h5py(tmp_path, compte_path):
    path = make_run(compte_path).save(tmp_path / "r.h5")
    with h5py.File(path, "r") as h5:
        assert h5.attrs["format"] == FORMAT and h5.attrs["format_version"] == FORMAT_VERSION
        assert h5.attrs["status"] == "complete" and h5.attrs["seed"] == 3
        for key in ("snnmem_version", "brian2_version", "created", "model_name"):
            assert key in h5.attrs
        assert h5["spikes/exc/node_ids"].dtype == np.uint64  # SONATA
        assert h5["spikes/exc/timestamps"].dtype == np.float64
        assert h5["spikes/exc/timestamps"].attrs["units"] == "s"
        sorting = h5["spikes/exc"].attrs["sorting"]  # SONATA: an enum on the population group
        assert h5py.check_enum_dtype(h5["spikes/exc"].attrs.get_id("sorting").dtype) == SONATA_SORTING
        assert sorting == SONATA_SORTING["by_time"]
        assert h5["spikes/exc"].attrs["n_neurons"] == 2048
        assert h5.attrs["magic"] == 0x0A7A and list(h5.attrs["version"]) == [0, 1]
        assert list(h5["protocol"]["name"]) == [b"baseline", b"cue", b"delay"]
        assert "sigma_deg = 14.4" in h5["model"].attrs["toml"]
        assert len(h5["model"].attrs["sha256"]) == 64
        assert h5["scores"].attrs["bump_peak_rate_hz"] == 17.5
        assert h5["rates/inh"].attrs["bin_s"] == 0.01
        # spikes without deflate (SONATA readers built without zlib), Fletcher-32 only
        for name in ("node_ids", "timestamps"):
            assert h5[f"spikes/exc/{name}"].compression is None and h5[f"spikes/exc/{name}"].fletcher32


def test_round_trip(tmp_path, compte_path):
    run = make_run(compte_path)
    back = open_run(run.save(tmp_path / "r.h5"))
    for pop in run.spikes:
        np.testing.assert_array_equal(back.spikes[pop][0], run.spikes[pop][0])
        np.testing.assert_array_equal(back.spikes[pop][1], run.spikes[pop][1])
    assert back.scores == run.scores and back.phases == run.phases and back.seed == run.seed
    assert back.model.sha256 == run.model.sha256
    np.testing.assert_array_equal(back.analysis["window_centre_deg"], run.analysis["window_centre_deg"])
    assert "bump_peak_rate_hz" in back.summary().split("protocol:")[0]  # scores first


def test_version_one_files_are_still_read(tmp_path, compte_path):
    """A file as version 1 wrote it (uint32 ids, deflated spikes, sorting a string on the timestamps)."""
    from snnmem.run import _file_digest

    run = make_run(compte_path)
    path = run.save(tmp_path / "v1.h5")
    with h5py.File(path, "r+") as h5:
        for name in ("magic", "version"):
            del h5.attrs[name]
        h5.attrs["format_version"] = 1
        attrs = {k: h5.attrs[k] for k in h5.attrs}
        h5.attrs["digest_sha256"] = _file_digest(attrs, run.model_toml, run.scores)
        for pop, (ids, times) in run.spikes.items():
            group = h5[f"spikes/{pop}"]
            del group.attrs["sorting"], group["node_ids"], group["timestamps"]
            group.create_dataset("node_ids", data=ids.astype(np.uint32), compression="gzip", fletcher32=True)
            ts = group.create_dataset("timestamps", data=times, compression="gzip", fletcher32=True)
            ts.attrs["units"], ts.attrs["sorting"] = "s", "by_time"
    back = open_run(path)
    for pop in run.spikes:
        np.testing.assert_array_equal(back.spikes[pop][0], run.spikes[pop][0])
        np.testing.assert_array_equal(back.spikes[pop][1], run.spikes[pop][1])
    assert back.spikes["exc"][0].dtype == np.uint32


def test_phase_switches_round_trip_and_show_in_the_summary(tmp_path, compte_path):
    """The /protocol table keeps each phase's plasticity mode and lesion flag."""
    import dataclasses

    run = make_run(compte_path)
    run = dataclasses.replace(
        run, phases=[Phase("rest", 0, 1.0, "offline", "slow", True), Phase("test", 1.0, 3.75, "", "none")]
    )
    back = open_run(run.save(tmp_path / "switches.h5"))
    assert [(p.plasticity, p.lesion) for p in back.phases] == [("slow", True), ("none", False)]
    protocol = back.summary().split("protocol:")[1]
    assert "[plasticity slow]  [lesioned]" in protocol and protocol.count("[lesioned]") == 1


def test_same_data_same_bytes(tmp_path, compte_path):
    a = make_run(compte_path).save(tmp_path / "a.h5")
    b = make_run(compte_path).save(tmp_path / "b.h5")
    with h5py.File(a, "r") as ha, h5py.File(b, "r") as hb:
        for name in ("spikes/exc/node_ids", "spikes/exc/timestamps", "protocol", "rates/inh"):
            assert ha[name][()].tobytes() == hb[name][()].tobytes()


def test_failed_write_keeps_existing_file(tmp_path, compte_path, monkeypatch):
    path = make_run(compte_path, seed=1).save(tmp_path / "keep.h5")
    before = path.read_bytes()
    broken = make_run(compte_path, seed=2)
    monkeypatch.setattr(Run, "_write", lambda self, h5: (_ for _ in ()).throw(RuntimeError("disk full")))
    with pytest.raises(RuntimeError, match="disk full"):
        broken.save(path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["keep.h5"]  # no temporary left behind


def test_missing_foreign_corrupt_and_incomplete_files(tmp_path, compte_path):
    with pytest.raises(RunFileError, match="run file not found: .*nope.h5"):
        open_run(tmp_path / "nope.h5")
    text = tmp_path / "text.h5"
    text.write_text("not hdf5")
    with pytest.raises(RunFileError, match="text.h5: not a readable HDF5 file"):
        open_run(text)
    foreign = tmp_path / "foreign.h5"
    with h5py.File(foreign, "w") as h5:
        h5["x"] = 1
    with pytest.raises(RunFileError, match="foreign.h5: not an snnmem run file"):
        open_run(foreign)
    good = make_run(compte_path).save(tmp_path / "good.h5")
    truncated = tmp_path / "truncated.h5"
    truncated.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    with pytest.raises(RunFileError, match="truncated.h5"):
        open_run(truncated)
    with h5py.File(good, "a") as h5:
        h5.attrs["status"] = "incomplete"
    with pytest.raises(RunFileError, match="incomplete"):
        open_run(good)
    with h5py.File(good, "a") as h5:
        h5.attrs["status"] = "complete"
        del h5["spikes/exc/timestamps"]
    with pytest.raises(RunFileError, match="good.h5: missing /spikes/exc/timestamps"):
        open_run(good)


def test_bad_suffix(tmp_path, compte_path):
    with pytest.raises(RunFileError, match=r"\.h5"):
        make_run(compte_path).save(tmp_path / "run.txt")


def test_run_file_permissions_follow_umask(tmp_path, compte_path):
    import os
    import stat

    old = os.umask(0o022)
    try:
        path = make_run(compte_path).save(tmp_path / "perm.h5")
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644


def test_repr_is_one_line_and_the_notebook_view_is_html(tmp_path, compte_path):
    run = make_run(compte_path)
    text = repr(run)
    assert "\n" not in text and len(text) < 200 and "sigma_deg" not in text  # not the whole model
    assert text.startswith("<Run 'compte2000' seed 3") and "5010 spikes" in text
    saved = open_run(run.save(tmp_path / "r.h5"))
    assert str(tmp_path / "r.h5") in repr(saved)
    html = saved._repr_html_()
    assert "<table>" in html and "bump_peak_rate_hz" in html and "<td>delay</td>" in html
    assert "<td>exc</td><td>2048</td><td>5000</td>" in html
