"""Spike counts and firing rates from a flat spike stream.

Inputs follow the run-file layout: ``node_ids`` (any integer dtype, typically
uint32), ``timestamps`` (float64, seconds), ``n_neurons`` and a time window in
seconds. The spikes need not be sorted (time-sorted input takes a faster path).

Bin convention
--------------
A spike at time :math:`t` falls in bin

.. math:: b = \\left\\lfloor \\frac{t - t_\\text{start}}{\\Delta} \\right\\rfloor ,

evaluated in float64 exactly as written, where :math:`\\Delta` is ``bin_width``.
Spikes with :math:`t < t_\\text{start}` or :math:`t \\ge t_\\text{stop}` are
dropped. The window holds :math:`n_\\text{bins} = \\lfloor (t_\\text{stop} -
t_\\text{start})/\\Delta + 10^{-9} \\rfloor` whole bins; a trailing partial bin
is dropped together with its spikes. A spike exactly on an inner edge
:math:`t_\\text{start} + k\\Delta` belongs to bin :math:`k` whenever that
quotient is exact in float64 (dyadic widths such as 0.125 s, or integer
multiples); note that ``0.3 / 0.1 == 2.9999999999999996`` in float64, so with
``bin_width=0.1`` a spike at 0.3 s counts in bin 2.

Rates are counts divided by the bin width (Hz).
"""

from __future__ import annotations

import numpy as np

from . import _checks
from ._kernels_spikes import (
    count_chunk_any_order,
    count_matrix_time_sorted,
    scatter_chunk_sparse,
    scatter_chunk_table,
    scatter_sparse,
    scatter_table,
)
from ._parallel import n_workers

__all__ = ["bin_spikes", "neuron_rates", "group_rates", "population_rate"]


def count_matrix(
    ids: np.ndarray,
    times: np.ndarray,
    n_neurons: int,
    t_start: float,
    t_stop: float,
    bin_width: float,
    n_bins: int,
    n_chunks: int | None = None,
) -> np.ndarray:
    """Kernel dispatch for :func:`bin_spikes` on validated arrays (internal).

    One chunk: a single serial pass (any order). Several chunks: the
    time-sorted parallel driver, falling back to one serial pass when the
    input is not sorted at bin resolution.
    """
    chunks = n_workers(times.size) if n_chunks is None else int(n_chunks)
    counts = np.zeros((n_neurons, n_bins), dtype=np.int32)
    if chunks == 1:
        status = count_chunk_any_order(ids, times, n_neurons, t_start, t_stop, bin_width, n_bins, counts)
        _checks.raise_spike_errors(int(status), ids, times, n_neurons)
        return counts
    edges = np.zeros((chunks, n_neurons), dtype=np.int32)
    bounds = np.empty((chunks, 3), dtype=np.int64)
    count_matrix_time_sorted(ids, times, n_neurons, t_start, t_stop, bin_width, n_bins, counts, edges, bounds)
    status = int(np.bitwise_or.reduce(bounds[:, 2]))
    _checks.raise_spike_errors(status, ids, times, n_neurons)
    used = bounds[bounds[:, 0] >= 0]
    if status & _checks.STATUS_UNSORTED or np.any(used[1:, 0] < used[:-1, 1]):
        counts = np.zeros((n_neurons, n_bins), dtype=np.int32)
        status = count_chunk_any_order(ids, times, n_neurons, t_start, t_stop, bin_width, n_bins, counts)
        _checks.raise_spike_errors(int(status), ids, times, n_neurons)
        return counts
    for c in np.flatnonzero(bounds[:, 0] >= 0):
        counts[:, bounds[c, 0]] += edges[c]
    return counts


def _scatter(serial, parallel, out_shape, dtype, ids, times, n_neurons, t_start, t_stop, bin_width, n_bins, *maps):
    """Run a scatter kernel serially (one chunk) or on per-thread partial sums, then check the spikes.

    ``serial(ids, times, lo, hi, ..., *maps, out) -> status`` and
    ``parallel(ids, times, ..., *maps, partial, flags)`` are the two numba forms of
    one kernel; the result has shape ``out_shape``.
    """
    chunks = n_workers(times.size)
    if chunks == 1:
        out = np.zeros(out_shape, dtype=dtype)
        status = serial(ids, times, 0, times.size, n_neurons, t_start, t_stop, bin_width, n_bins, *maps, out)
    else:
        partial = np.zeros((chunks, *out_shape), dtype=dtype)
        flags = np.zeros(chunks, dtype=np.int64)
        parallel(ids, times, n_neurons, t_start, t_stop, bin_width, n_bins, *maps, partial, flags)
        out = partial.sum(axis=0)
        status = np.bitwise_or.reduce(flags)
    _checks.raise_spike_errors(int(status), ids, times, n_neurons)
    return out


def sparse_weighted_counts(
    ids: np.ndarray,
    times: np.ndarray,
    n_neurons: int,
    t_start: float,
    t_stop: float,
    bin_width: float,
    n_bins: int,
    indptr: np.ndarray,
    indices: np.ndarray,
    weights: np.ndarray,
    n_outputs: int,
) -> np.ndarray:
    """Sums of CSR weights of the spikes per bin, (n_bins, n_outputs) float64; raises on bad spikes (internal)."""
    return _scatter(
        scatter_chunk_sparse,
        scatter_sparse,
        (n_bins, n_outputs),
        np.float64,
        ids,
        times,
        n_neurons,
        t_start,
        t_stop,
        bin_width,
        n_bins,
        indptr,
        indices,
        weights,
    )


def table_weighted_counts(
    ids: np.ndarray,
    times: np.ndarray,
    n_neurons: int,
    t_start: float,
    t_stop: float,
    bin_width: float,
    n_bins: int,
    table: np.ndarray,
) -> np.ndarray:
    """Sums of the int8 ``table[i, :]`` over the spikes per bin, (n_bins, K) int64 (internal)."""
    return _scatter(
        scatter_chunk_table,
        scatter_table,
        (n_bins, table.shape[1]),
        np.int64,
        ids,
        times,
        n_neurons,
        t_start,
        t_stop,
        bin_width,
        n_bins,
        table,
    )


def bin_spikes(
    node_ids: np.ndarray,
    timestamps: np.ndarray,
    n_neurons: int,
    t_start: float,
    t_stop: float,
    bin_width: float,
) -> np.ndarray:
    """Spike counts per neuron and time bin.

    .. math:: C[i, b] = \\#\\{\\text{spikes of neuron } i \\text{ in bin } b\\}

    with the bin convention of this module (see the module docstring).

    Parameters
    ----------
    node_ids : array of int, shape (n_spikes,)
        Neuron index of every spike, in ``[0, n_neurons)``.
    timestamps : array of float, shape (n_spikes,)
        Spike times in seconds, any order (time-sorted input is faster).
    n_neurons : int
        Number of neurons (rows of the result).
    t_start, t_stop : float
        Half-open window ``[t_start, t_stop)`` in seconds.
    bin_width : float
        Bin width in seconds.

    Returns
    -------
    counts : ndarray of int32, shape (n_neurons, n_bins)

    Raises
    ------
    ValueError
        Mismatched lengths, ids outside ``[0, n_neurons)``, NaN timestamps,
        an empty, negative or non-finite window or bin width.
    """
    ids, times = _checks.spike_arrays(node_ids, timestamps)
    n = _checks.positive_int(n_neurons, "n_neurons")
    start, stop = _checks.time_window(t_start, t_stop)
    width, n_bins = _checks.bin_count(start, stop, bin_width)
    return count_matrix(ids, times, n, start, stop, width, n_bins)


def neuron_rates(
    node_ids: np.ndarray,
    timestamps: np.ndarray,
    n_neurons: int,
    t_start: float,
    t_stop: float,
) -> np.ndarray:
    """Mean firing rate of every neuron over ``[t_start, t_stop)``.

    .. math:: r_i = \\frac{\\#\\{\\text{spikes of } i,\\ t_\\text{start} \\le t < t_\\text{stop}\\}}
                          {t_\\text{stop} - t_\\text{start}}

    Returns
    -------
    rates : ndarray of float64, shape (n_neurons,), in Hz
    """
    ids, times = _checks.spike_arrays(node_ids, timestamps)
    n = _checks.positive_int(n_neurons, "n_neurons")
    start, stop = _checks.time_window(t_start, t_stop)
    # One bin of infinite width: floor((t - t_start) / inf) == 0 for every kept spike,
    # so exactly the spikes with t_start <= t < t_stop are counted.
    counts = count_matrix(ids, times, n, start, stop, np.inf, 1)
    return counts[:, 0] / (stop - start)


def _membership_csr(groups: object, n_neurons: int | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """CSR (neuron -> groups) map of a boolean membership matrix, and the group sizes."""
    member = np.asarray(groups)
    if member.ndim == 1:
        member = member[None, :]
    if member.ndim != 2:
        raise ValueError(f"groups must be a boolean matrix (n_groups, n_neurons), got shape {member.shape}")
    if member.dtype != np.bool_:
        if member.dtype.kind not in "iu" or not np.isin(member, (0, 1)).all():
            raise TypeError(f"groups must be boolean (or 0/1) membership, got dtype {member.dtype}")
        member = member.astype(bool)
    if member.shape[0] < 1 or member.shape[1] < 1:
        raise ValueError(f"groups must have at least one group and one neuron, got shape {member.shape}")
    if n_neurons is not None and member.shape[1] != n_neurons:
        raise ValueError(f"groups has {member.shape[1]} columns but n_neurons={n_neurons}")
    neuron_major = np.ascontiguousarray(member.T)
    indptr = np.zeros(neuron_major.shape[0] + 1, dtype=np.int64)
    np.cumsum(neuron_major.sum(axis=1), out=indptr[1:])
    indices = np.nonzero(neuron_major)[1].astype(np.int64)
    return indptr, indices, member.sum(axis=1)


def group_rates(
    node_ids: np.ndarray,
    timestamps: np.ndarray,
    groups: np.ndarray,
    t_start: float,
    t_stop: float,
    bin_width: float,
) -> np.ndarray:
    """Mean firing rate of every group (pool, assembly) in every bin.

    .. math:: R[b, g] = \\frac{\\sum_{i \\in g} C[i, b]}{|g| \\, \\Delta}

    Groups may overlap (a neuron's spike counts in every group it belongs to).

    Parameters
    ----------
    node_ids, timestamps : arrays, shape (n_spikes,)
        The spikes (see :func:`bin_spikes`).
    groups : array of bool, shape (n_groups, n_neurons)
        Membership; ``n_neurons`` is taken from its second axis.
    t_start, t_stop, bin_width : float
        Window and bin width in seconds.

    Returns
    -------
    rates : ndarray of float64, shape (n_bins, n_groups), in Hz
        NaN for a group without members.
    """
    ids, times = _checks.spike_arrays(node_ids, timestamps)
    indptr, indices, sizes = _membership_csr(groups)
    n = indptr.size - 1
    start, stop = _checks.time_window(t_start, t_stop)
    width, n_bins = _checks.bin_count(start, stop, bin_width)
    counts = sparse_weighted_counts(
        ids, times, n, start, stop, width, n_bins, indptr, indices, np.ones(indices.size), sizes.size
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        return counts / (sizes[None, :] * width)


def population_rate(
    node_ids: np.ndarray,
    timestamps: np.ndarray,
    n_neurons: int,
    t_start: float,
    t_stop: float,
    bin_width: float,
) -> np.ndarray:
    """Mean firing rate of the whole population in every bin.

    .. math:: R[b] = \\frac{\\sum_i C[i, b]}{N \\, \\Delta}

    Returns
    -------
    rate : ndarray of float64, shape (n_bins,), in Hz
    """
    ids, times = _checks.spike_arrays(node_ids, timestamps)
    n = _checks.positive_int(n_neurons, "n_neurons")
    start, stop = _checks.time_window(t_start, t_stop)
    width, n_bins = _checks.bin_count(start, stop, bin_width)
    counts = table_weighted_counts(ids, times, n, start, stop, width, n_bins, np.ones((n, 1), dtype=np.int8))
    return counts[:, 0] / (n * width)
