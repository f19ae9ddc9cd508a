"""NWB export (spikes, protocol, rates and scores in a file nwbinspector accepts) and NWB units tables as input."""

from __future__ import annotations

import datetime

import numpy as np
import pytest
from nwbinspector import Importance, inspect_nwbfile
from pynwb import NWBHDF5IO, NWBFile
from test_runfile import make_run

from snnmem import analysis, open_run
from snnmem.cli import main
from snnmem.errors import RunFileError
from snnmem.io import read_spikes


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    from pathlib import Path

    compte = Path(__file__).resolve().parents[1] / "models" / "compte2000.toml"
    folder = tmp_path_factory.mktemp("nwb")
    run = open_run(make_run(compte, n_spikes=8000).save(folder / "run.h5"))
    assert main(["export", str(folder / "run.h5"), "--nwb", str(folder / "run.nwb")]) == 0
    return run, folder / "run.nwb"


def test_nwb_reads_back_to_the_same_spikes_protocol_and_scores(exported):
    run, path = exported
    with NWBHDF5IO(str(path), "r") as io:
        nwb = io.read()
        units = nwb.units.to_dataframe()
        assert len(units) == sum(run.n_neurons.values())
        for pop, (ids, times) in run.spikes.items():
            mine = units[units["population"] == pop]
            back_ids = np.concatenate([np.full(len(t), n) for n, t in zip(mine["node_id"], mine["spike_times"])])
            back_times = np.concatenate(list(mine["spike_times"]))
            order = np.lexsort((back_ids, back_times))
            np.testing.assert_array_equal(back_times[order], times)
            np.testing.assert_array_equal(back_ids[order], ids)
        exc = units[units["population"] == "exc"]
        np.testing.assert_allclose(exc["preferred_angle_deg"].to_numpy(), np.arange(2048) * 360.0 / 2048)
        assert nwb.units.resolution == pytest.approx(float(run.model["simulation.dt"]))
        epochs = nwb.epochs.to_dataframe()
        assert list(epochs["phase"]) == [p.name for p in run.phases]
        np.testing.assert_allclose(epochs["stop_time"], [p.stop_s for p in run.phases])
        scores = nwb.processing["misc"]["scores"].to_dataframe()
        assert scores["bump_peak_rate_hz"].iloc[0] == run.scores["bump_peak_rate_hz"]
        rate = nwb.processing["misc"]["rate_inh"]
        np.testing.assert_allclose(rate.data[:], run.rates["inh"][0])
        assert rate.rate == pytest.approx(100.0) and rate.unit == "Hz"
        assert "sigma_deg = 14.4" in nwb.notes and str(run.seed) in nwb.data_collection


def test_nwbinspector_finds_nothing_critical_and_no_best_practice_violation(exported):
    _, path = exported
    serious = [
        m
        for m in inspect_nwbfile(nwbfile_path=str(path))
        if m.importance in (Importance.CRITICAL, Importance.BEST_PRACTICE_VIOLATION)
    ]
    assert not serious, [(m.check_function_name, m.message) for m in serious]


def test_export_refuses_a_wrong_suffix_before_reading(tmp_path, capsys):
    assert main(["export", str(tmp_path / "missing.h5"), "--nwb", str(tmp_path / "out.h5")]) == 2
    assert "must end in .nwb" in capsys.readouterr().err


def test_read_spikes_on_the_exported_nwb_equals_the_run_files_spikes(exported):
    run, path = exported
    spikes = read_spikes(path)
    assert sorted(spikes) == sorted(run.spikes)
    for pop, (ids, times) in run.spikes.items():
        order = np.lexsort((ids, times))
        np.testing.assert_array_equal(spikes[pop][0], ids[order])
        np.testing.assert_allclose(spikes[pop][1], times[order], rtol=0, atol=1e-12)


def _recorded_nwb(path, trains, ids=None):
    """An NWB file as an electrophysiology lab writes it: a units table with spike times, no snnmem columns."""
    start = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)
    nwb = NWBFile(session_description="recorded units", identifier="rec-1", session_start_time=start)
    for k, train in enumerate(trains):
        nwb.add_unit(spike_times=train, id=None if ids is None else ids[k])
    with NWBHDF5IO(str(path), "w") as io:
        io.write(nwb)
    return path


def test_read_spikes_reads_a_recorded_units_table_by_unit_id_in_time_order(tmp_path):
    trains = [[0.30, 0.10], [0.05, 0.20, 0.40], []]
    path = _recorded_nwb(tmp_path / "rec.nwb", trains, ids=[7, 3, 11])
    spikes = read_spikes(path)
    assert list(spikes) == ["units"]
    ids, times = spikes["units"]
    np.testing.assert_array_equal(times, [0.05, 0.10, 0.20, 0.30, 0.40])
    np.testing.assert_array_equal(ids, [3, 7, 3, 7, 3])
    assert ids.dtype == np.uint64
    np.testing.assert_allclose(analysis.population_rate(ids, times, 12, 0.0, 0.5, 0.5), [5 / 12 / 0.5])


def test_read_spikes_refuses_negative_nwb_spike_times(tmp_path):
    path = _recorded_nwb(tmp_path / "bad.nwb", [[-0.1, 0.2]])
    with pytest.raises(RunFileError, match="bad.nwb.*negative or non-finite"):
        read_spikes(path)


def test_info_summarises_an_nwb_file(tmp_path, capsys):
    path = _recorded_nwb(tmp_path / "rec.nwb", [[0.1, 0.2], [0.3]])
    assert main(["info", str(path)]) == 0
    out = capsys.readouterr().out
    assert "NWB file (units table)" in out and "3 spikes" in out
