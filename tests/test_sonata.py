"""SONATA conformance of the run file's spikes, checked with a SONATA reader from PyPI (libsonata), not our code.

The SONATA spike report (SONATA developer guide, "Spike file"): ``/spikes/<population>``
groups with a ``sorting`` enum attribute (none / by_id / by_time), ``timestamps`` (double,
``units`` attribute) and ``node_ids`` (uint64). libsonata's wheels are built without zlib,
so a deflated spike dataset cannot be read by them: the run file stores spikes without it.
"""

from __future__ import annotations

import libsonata
import pytest
import numpy as np
from test_runfile import make_run

from snnmem import open_run


def test_a_sonata_reader_reads_every_population_as_written(tmp_path, compte_path):
    run = make_run(compte_path, n_spikes=20000)  # large enough that other datasets are deflated
    path = run.save(tmp_path / "run.h5")
    reader = libsonata.SpikeReader(str(path))
    assert sorted(reader.get_population_names()) == sorted(run.spikes)
    for pop, (ids, times) in run.spikes.items():
        population = reader[pop]
        assert population.sorting == "by_time"
        assert population.time_units == "s"
        pairs = population.get()
        np.testing.assert_array_equal([p[0] for p in pairs], ids.astype(np.uint64))
        np.testing.assert_array_equal([p[1] for p in pairs], times)


def test_sonata_selections_agree_with_the_run_file(tmp_path, compte_path):
    """libsonata's own node and time selections return what snnmem returns for them."""
    run = make_run(compte_path, n_spikes=5000)
    path = run.save(tmp_path / "run.h5")
    ids, times = open_run(path).spikes["exc"]
    population = libsonata.SpikeReader(str(path))["exc"]
    chosen = [3, 17, 2047]
    selected = population.get(node_ids=chosen)
    expected = np.isin(ids, chosen)
    assert len(selected) == int(expected.sum())
    np.testing.assert_array_equal(sorted(t for _, t in selected), np.sort(times[expected]))
    window = population.get(tstart=1.0, tstop=2.0)
    inside = (times >= 1.0) & (times <= 2.0)
    assert len(window) == int(inside.sum())


def _sonata_file(path, units="ms", sorting="by_id"):
    """A spike report as NEST or BMTK write it: times in ms, sorted by node id."""
    import h5py

    ids = np.array([0, 0, 2, 5], dtype=np.uint64)
    times = np.array([12.5, 40.0, 3.0, 12.5])
    with h5py.File(path, "w") as h5:
        group = h5.create_group("spikes/v1")
        group.attrs.create(
            "sorting",
            {"none": 0, "by_id": 1, "by_time": 2}[sorting],
            dtype=h5py.enum_dtype({"none": 0, "by_id": 1, "by_time": 2}, basetype="u1"),
        )
        group.create_dataset("node_ids", data=ids)
        ts = group.create_dataset("timestamps", data=times)
        if units is not None:
            ts.attrs["units"] = units
    return ids, times


def test_read_spikes_converts_other_tools_files_to_the_run_layout(tmp_path):
    from snnmem.analysis import population_rate
    from snnmem.io import read_spikes

    _sonata_file(tmp_path / "nest.h5")
    ids, times = read_spikes(tmp_path / "nest.h5")["v1"]
    np.testing.assert_array_equal(times, [0.003, 0.0125, 0.0125, 0.040])  # seconds, by time then id
    np.testing.assert_array_equal(ids, [2, 0, 5, 0])
    assert population_rate(ids, times, 6, 0.0, 0.05, 0.05)[0] == 4 / 6 / 0.05


def test_read_spikes_reads_run_files_as_open_run_does(tmp_path, compte_path):
    from snnmem.io import read_spikes

    run = make_run(compte_path, n_spikes=500)
    spikes = read_spikes(run.save(tmp_path / "run.h5"))
    for pop, (ids, times) in run.spikes.items():
        np.testing.assert_array_equal(spikes[pop][0], ids)
        np.testing.assert_array_equal(spikes[pop][1], times)


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda p: None, "spike file not found"),
        (lambda p: p.write_text("not hdf5"), "not a readable HDF5 file"),
        (lambda p: _sonata_file(p, units=None), "time unit None"),
        (lambda p: _sonata_file(p, units="hours"), "time unit 'hours'"),
    ],
)
def test_read_spikes_names_what_is_wrong(tmp_path, make, message):
    from snnmem.errors import RunFileError
    from snnmem.io import read_spikes

    path = tmp_path / "bad.h5"
    make(path)
    with pytest.raises(RunFileError, match=message):
        read_spikes(path)


def test_info_summarises_another_simulators_spike_file(tmp_path, capsys):
    from snnmem.cli import main

    _sonata_file(tmp_path / "nest.h5")
    assert main(["info", str(tmp_path / "nest.h5")]) == 0
    out = capsys.readouterr().out
    assert "SONATA spike file" in out and "v1" in out and "4 spikes" in out and "0.003 - 0.04 s" in out
