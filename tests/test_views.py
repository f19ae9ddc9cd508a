"""Run views in other libraries: a Neo block that Elephant uses directly, pandas frames."""

from __future__ import annotations

import elephant.statistics
import numpy as np
import pytest
import quantities as pq
from test_runfile import make_run

from snnmem import open_run
from snnmem.analysis import population_rate


def test_neo_block_holds_the_file_spikes_and_elephant_rates_equal_snnmem_rates(tmp_path, compte_path):
    run = open_run(make_run(compte_path, n_spikes=20000).save(tmp_path / "r.h5"))
    block = run.to_neo()
    trains = block.segments[0].spiketrains
    assert len(trains) == sum(run.n_neurons.values())
    exc = next(group for group in block.groups if group.name == "exc").spiketrains
    assert len(exc) == 2048 and all(t.annotations["population"] == "exc" for t in exc)
    ids, times = run.spikes["exc"]
    back_ids = np.concatenate([np.full(len(t), t.annotations["node_id"]) for t in exc])
    back_times = np.concatenate([t.rescale(pq.s).magnitude for t in exc])
    order = np.lexsort((back_ids, back_times))
    np.testing.assert_array_equal(back_times[order], times[np.lexsort((ids, times))])
    np.testing.assert_array_equal(back_ids[order], ids[np.lexsort((ids, times))])
    histogram = elephant.statistics.time_histogram(exc, bin_size=50 * pq.ms, output="rate")
    ours = population_rate(ids, times, 2048, 0.0, run.duration_s, 0.05)
    np.testing.assert_allclose(histogram.rescale("Hz").magnitude.ravel(), ours, rtol=1e-9)  # mean rate per train
    epoch = block.segments[0].epochs[0]
    assert list(epoch.labels) == [p.name for p in run.phases]
    np.testing.assert_allclose(epoch.durations.rescale("s").magnitude, [p.stop_s - p.start_s for p in run.phases])


def test_pandas_frames(compte_path):
    run = make_run(compte_path, n_spikes=300)
    frame = run.spikes_frame()
    assert list(frame.columns) == ["population", "node_id", "time_s"] and len(frame) == 310
    exc = frame[frame["population"] == "exc"]
    np.testing.assert_array_equal(exc["node_id"], run.spikes["exc"][0])
    np.testing.assert_array_equal(exc["time_s"], run.spikes["exc"][1])
    scores = run.scores_frame()
    assert scores.loc[("compte2000", 3), "bump_peak_rate_hz"] == 17.5


def test_rates_as_xarray_with_coordinates_and_units(compte_path):
    run = make_run(compte_path)
    run.rates["exc"] = (
        np.arange(375 * 4, dtype=float).reshape(375, 4),
        {"bin_s": 0.01, "t_start_s": 0.0, "units": "Hz", "group_centres_deg": [0, 90, 180, 270]},
    )
    inh = run.rate_array("inh")
    assert inh.dims == ("time",) and inh.attrs["units"] == "Hz"
    np.testing.assert_allclose(inh["time"][:2], [0.005, 0.015])
    np.testing.assert_array_equal(inh.values, run.rates["inh"][0])
    exc = run.rate_array("exc")
    assert exc.dims == ("time", "group")
    assert float(exc.sel(group=2).isel(time=1)) == run.rates["exc"][0][1, 2]
    np.testing.assert_array_equal(exc["preferred_angle_deg"], [0, 90, 180, 270])
    with pytest.raises(KeyError, match="no rate 'nope'"):
        run.rate_array("nope")
