"""snnmem.analysis.binning: kernels against the numpy reference, bin edges, validation."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from snnmem.analysis import binning, reference
from snnmem.analysis.binning import bin_spikes, group_rates, neuron_rates, population_rate

SETTINGS = settings(max_examples=60, deadline=None)


@st.composite
def spike_data(draw, max_neurons: int = 12, max_spikes: int = 80):
    """Random spikes, window and bins: empty trains, single spikes, edges, unsorted, partial bins."""
    n_neurons = draw(st.integers(1, max_neurons))
    bin_width = draw(st.sampled_from([0.125, 0.25, 0.5, 0.1, 0.3, 1e-3 * 7]))
    t_start = draw(st.sampled_from([0.0, -0.5, 1.0, 0.2, 3.7]))
    n_bins = draw(st.integers(1, 9))
    t_stop = t_start + n_bins * bin_width + draw(st.sampled_from([0.0, 0.0, bin_width / 3]))
    n_spikes = draw(st.integers(0, max_spikes))
    ids = draw(st.lists(st.integers(0, n_neurons - 1), min_size=n_spikes, max_size=n_spikes))
    edges = [t_start + bin_width * k for k in range(-1, n_bins + 2)] + [t_stop, np.nextafter(t_stop, -np.inf)]
    times = draw(
        st.lists(
            st.one_of(
                st.sampled_from(edges),
                st.floats(t_start - 1.0, t_stop + 1.0, allow_nan=False, allow_infinity=False),
            ),
            min_size=n_spikes,
            max_size=n_spikes,
        )
    )
    dtype = draw(st.sampled_from([np.uint32, np.int64, np.int32, np.uint16]))
    ids_arr = np.array(ids, dtype=dtype)
    times_arr = np.array(times, dtype=np.float64)
    if draw(st.booleans()):
        order = np.argsort(times_arr, kind="stable")
        ids_arr, times_arr = ids_arr[order], times_arr[order]
    return ids_arr, times_arr, n_neurons, t_start, t_stop, bin_width


@SETTINGS
@given(spike_data())
def test_bin_spikes_matches_reference(data):
    ids, times, n, t0, t1, width = data
    counts = bin_spikes(ids, times, n, t0, t1, width)
    assert counts.dtype == np.int32
    np.testing.assert_array_equal(counts, reference.bin_spikes_reference(ids, times, n, t0, t1, width))


@SETTINGS
@given(spike_data(), st.integers(2, 5))
def test_parallel_count_paths_match_reference(data, n_chunks):
    """The time-sorted parallel driver (sorted input) and its fallback (unsorted input) agree."""
    ids, times, n, t0, t1, width = data
    n_bins = reference.n_bins_reference(t0, t1, width)
    ids_c, times_c = np.ascontiguousarray(ids), np.ascontiguousarray(times)
    counts = binning.count_matrix(ids_c, times_c, n, t0, t1, width, n_bins, n_chunks=n_chunks)
    np.testing.assert_array_equal(counts, reference.bin_spikes_reference(ids, times, n, t0, t1, width))


@SETTINGS
@given(spike_data())
def test_neuron_rates_matches_reference(data):
    ids, times, n, t0, t1, _ = data
    np.testing.assert_allclose(
        neuron_rates(ids, times, n, t0, t1), reference.neuron_rates_reference(ids, times, n, t0, t1), rtol=1e-12
    )


@SETTINGS
@given(spike_data(), st.data())
def test_group_rates_matches_reference(data, draw):
    ids, times, n, t0, t1, width = data
    n_groups = draw.draw(st.integers(1, 4))
    groups = np.array(draw.draw(st.lists(st.booleans(), min_size=n_groups * n, max_size=n_groups * n))).reshape(
        n_groups, n
    )
    groups[:, 0] = True  # no empty group here (empty groups are tested below)
    got = group_rates(ids, times, groups, t0, t1, width)
    np.testing.assert_allclose(got, reference.group_rates_reference(ids, times, groups, t0, t1, width), rtol=1e-12)


@SETTINGS
@given(spike_data())
def test_population_rate_matches_reference(data):
    ids, times, n, t0, t1, width = data
    np.testing.assert_allclose(
        population_rate(ids, times, n, t0, t1, width),
        reference.population_rate_reference(ids, times, n, t0, t1, width),
        rtol=1e-12,
    )


@SETTINGS
@given(spike_data())
def test_parallel_scatter_paths_match_reference(data):
    ids, times, n, t0, t1, width = data
    original = binning.n_workers
    binning.n_workers = lambda work, max_workers=None: 3
    try:
        rate = population_rate(ids, times, n, t0, t1, width)
        rates = neuron_rates(ids, times, n, t0, t1)
    finally:
        binning.n_workers = original
    np.testing.assert_allclose(rate, reference.population_rate_reference(ids, times, n, t0, t1, width), rtol=1e-12)
    np.testing.assert_allclose(rates, reference.neuron_rates_reference(ids, times, n, t0, t1), rtol=1e-12)


def test_spikes_on_bin_edges():
    """floor((t - t_start) / bin_width): an inner edge opens its bin, t_start is in, t_stop is out."""
    times = np.array([1.0, 1.25, 1.5, 1.75, 2.0, 0.999999, 1.2499999])
    ids = np.zeros(times.size, dtype=np.uint32)
    counts = bin_spikes(ids, times, 1, 1.0, 2.0, 0.25)
    np.testing.assert_array_equal(counts, [[1 + 1, 1, 1, 1]])  # 1.0 and 1.2499999 in bin 0; 2.0 dropped


def test_float_quotient_convention_is_documented_behaviour():
    """0.3 / 0.1 == 2.9999999999999996 in float64, so the spike at 0.3 s lands in bin 2 (documented)."""
    counts = bin_spikes(np.array([0]), np.array([0.3]), 1, 0.0, 1.0, 0.1)
    assert counts[0, 2] == 1


def test_trailing_partial_bin_is_dropped():
    counts = bin_spikes(np.array([0, 0]), np.array([0.5, 1.05]), 1, 0.0, 1.1, 0.5)
    assert counts.shape == (1, 2)
    np.testing.assert_array_equal(counts, [[0, 1]])


def test_group_rates_overlapping_and_empty_groups():
    ids = np.array([0, 1, 2, 2])
    times = np.array([0.1, 0.2, 0.3, 0.4])
    groups = np.array([[True, True, False], [False, True, True], [False, False, False]])
    rates = group_rates(ids, times, groups, 0.0, 1.0, 1.0)
    np.testing.assert_allclose(rates[0, :2], [1.0, 1.5])
    assert np.isnan(rates[0, 2])


def test_empty_input_gives_zeros():
    empty_ids, empty_times = np.array([], dtype=np.uint32), np.array([])
    assert bin_spikes(empty_ids, empty_times, 3, 0.0, 1.0, 0.5).sum() == 0
    assert population_rate(empty_ids, empty_times, 3, 0.0, 1.0, 0.5).sum() == 0
    assert neuron_rates([], [], 3, 0.0, 1.0).sum() == 0


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"node_ids": [0, 1], "timestamps": [0.1]}, "same length"),
        ({"node_ids": [0, 5]}, "n_neurons"),
        ({"node_ids": [0, -1]}, "n_neurons"),
        ({"timestamps": [0.1, np.nan]}, "NaN"),
        ({"t_stop": 0.0}, "t_stop"),
        ({"t_start": np.nan}, "t_start"),
        ({"bin_width": -0.1}, "bin_width"),
        ({"bin_width": 0.0}, "bin_width"),
        ({"bin_width": np.nan}, "bin_width"),
        ({"bin_width": 2.0}, "bin_width"),
        ({"n_neurons": 0}, "n_neurons"),
        ({"node_ids": [[0, 1]], "timestamps": [[0.1, 0.2]]}, "1-D"),
    ],
)
def test_bin_spikes_rejects_bad_input(kwargs, message):
    args = {
        "node_ids": [0, 1],
        "timestamps": [0.1, 0.2],
        "n_neurons": 2,
        "t_start": 0.0,
        "t_stop": 1.0,
        "bin_width": 0.5,
    }
    args.update(kwargs)
    with pytest.raises(ValueError, match=message):
        bin_spikes(**args)


def test_bad_ids_are_reported_on_every_path():
    ids = np.arange(200_000, dtype=np.int64) % 7
    ids[-1] = 7
    times = np.linspace(0.0, 1.0, ids.size, endpoint=False)
    with pytest.raises(ValueError, match="n_neurons"):
        binning.count_matrix(ids, times, 7, 0.0, 1.0, 0.1, 10, n_chunks=3)
    with pytest.raises(ValueError, match="n_neurons"):
        group_rates(ids, times, np.ones((1, 7), bool), 0.0, 1.0, 0.1)


def test_non_integer_ids_rejected():
    with pytest.raises(TypeError, match="node_ids"):
        bin_spikes(np.array([0.0]), np.array([0.1]), 1, 0.0, 1.0, 0.5)


def test_single_spike_every_function():
    ids, times = np.array([2], dtype=np.uint32), np.array([0.6])
    counts = bin_spikes(ids, times, 3, 0.0, 1.0, 0.5)
    np.testing.assert_array_equal(counts, [[0, 0], [0, 0], [0, 1]])
    np.testing.assert_allclose(neuron_rates(ids, times, 3, 0.0, 1.0), [0, 0, 1.0])
    np.testing.assert_allclose(population_rate(ids, times, 3, 0.0, 1.0, 0.5), [0, 2 / 3])
    np.testing.assert_allclose(group_rates(ids, times, np.array([[0, 1, 1]], bool), 0.0, 1.0, 0.5), [[0], [1.0]])


def test_times_with_units_are_converted_and_other_units_refused():
    """Brian2 and `quantities` times are seconds whatever their unit; a rate or a voltage is an error."""
    import brian2
    import quantities as pq

    from snnmem.analysis import population_rate

    ids = np.array([0, 1, 0, 1], dtype=np.uint32)
    times_s = np.array([0.01, 0.02, 0.06, 0.07])
    expected = population_rate(ids, times_s, 2, 0.0, 0.1, 0.05)
    in_ms = population_rate(ids, times_s * 1000 * pq.ms, 2, 0 * pq.ms, 100 * pq.ms, 50 * pq.ms)
    np.testing.assert_allclose(in_ms, expected)
    with_brian2 = population_rate(ids, times_s, 2, 0 * brian2.ms, 100 * brian2.ms, 50 * brian2.ms)
    np.testing.assert_allclose(with_brian2, expected)
    with pytest.raises(ValueError, match="bin_width must be a time"):
        population_rate(ids, times_s, 2, 0.0, 0.1, 20 * pq.Hz)
    with pytest.raises(ValueError, match="t_stop must be a time"):
        population_rate(ids, times_s, 2, 0.0, 5 * brian2.mV, 0.05)
