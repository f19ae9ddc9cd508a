"""numba kernels that make one pass over a spike stream ``(node_ids, timestamps)``.

Bin convention (shared with :mod:`snnmem.analysis.reference`): a spike at time
``t`` falls in bin ``b = floor((t - t_start) / bin_width)``; it is kept iff
``t_start <= t < t_stop`` and ``b < n_bins``. Spikes with an id outside
``[0, n_neurons)`` or a NaN time set a status bit (the caller raises).

Layout: every kernel is a serial ``*_chunk`` function over a slice of the
spikes (or of the neurons) and, where parallelism pays, a ``prange`` driver
that calls it once per chunk on preallocated outputs (so a call opens exactly
one parallel region). Small outputs (``n_bins x K``) get one private
accumulator per chunk, summed by the caller. The dense ``(n_neurons, n_bins)``
count matrix is too large to copy per thread; its parallel path relies on
time-sorted input (the run-file layout): chunk ``c`` writes bins after its
first bin directly and its first bin into a private column, so chunks never
write the same cell. If the input turns out not to be sorted at bin
resolution the caller starts again with the serial any-order kernel
(partitioning by neuron instead makes every thread read every spike, which
measured no faster on 2 cores).
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from ._checks import STATUS_BAD_ID, STATUS_NAN_TIME, STATUS_UNSORTED


@njit(cache=True, inline="always")
def _bin_of(t, t_start, t_stop, bin_width, n_bins):
    """Bin index of a spike at ``t`` or -1 when it is dropped (also for NaN ``t``)."""
    if not (t >= t_start and t < t_stop):
        return -1
    b = np.int64(np.floor((t - t_start) / bin_width))
    if b >= n_bins:
        return -1
    return b


@njit(cache=True, inline="always")
def _spike_bin(node_id, t, n_neurons, t_start, t_stop, bin_width, n_bins):
    """``(neuron, bin, status bits)`` of one spike; bin -1 when it is dropped or invalid."""
    i = np.int64(node_id)
    if i < 0 or i >= n_neurons:
        return i, -1, STATUS_BAD_ID
    if t != t:
        return i, -1, STATUS_NAN_TIME
    return i, _bin_of(t, t_start, t_stop, bin_width, n_bins), 0


@njit(cache=True)
def count_chunk_any_order(node_ids, timestamps, n_neurons, t_start, t_stop, bin_width, n_bins, counts):
    """Add every spike (any order) to ``counts[i, b]`` (n_neurons, n_bins); return status bits."""
    flag = 0
    for k in range(timestamps.size):
        i, b, bad = _spike_bin(node_ids[k], timestamps[k], n_neurons, t_start, t_stop, bin_width, n_bins)
        flag |= bad
        if b >= 0:
            counts[i, b] += 1
    return flag


@njit(cache=True)
def count_chunk_time_sorted(
    node_ids, timestamps, lo, hi, n_neurons, t_start, t_stop, bin_width, n_bins, counts, edge, bounds
):
    """Count spikes ``lo:hi`` assuming they are sorted by bin.

    Spikes in the chunk's first bin go to ``edge[i]``, later ones to
    ``counts[i, b]``. Writes ``bounds = (first bin, last bin, status bits)``
    (bins -1 for a chunk without kept spikes).
    """
    first = -1
    previous = -1
    flag = 0
    for k in range(lo, hi):
        i, b, bad = _spike_bin(node_ids[k], timestamps[k], n_neurons, t_start, t_stop, bin_width, n_bins)
        flag |= bad
        if b < 0:
            continue
        if b < previous:
            flag |= STATUS_UNSORTED  # the caller starts again with the any-order kernel
            break
        previous = b
        if first < 0:
            first = b
        if b == first:
            edge[i] += 1
        else:
            counts[i, b] += 1
    bounds[0] = first
    bounds[1] = previous
    bounds[2] = flag


@njit(cache=True, parallel=True)
def count_matrix_time_sorted(
    node_ids, timestamps, n_neurons, t_start, t_stop, bin_width, n_bins, counts, edges, bounds
):
    """Parallel :func:`count_chunk_time_sorted` over ``edges.shape[0]`` contiguous chunks of spikes.

    ``counts`` (n_neurons, n_bins) int32 zeros, ``edges`` (n_chunks, n_neurons)
    int32 zeros and ``bounds`` (n_chunks, 3) int64 are filled in place; the
    caller checks the bounds and adds the edge columns.
    """
    n_chunks = edges.shape[0]
    n_spikes = timestamps.size
    for c in prange(n_chunks):
        count_chunk_time_sorted(
            node_ids,
            timestamps,
            c * n_spikes // n_chunks,
            (c + 1) * n_spikes // n_chunks,
            n_neurons,
            t_start,
            t_stop,
            bin_width,
            n_bins,
            counts,
            edges[c],
            bounds[c],
        )


@njit(cache=True)
def scatter_chunk_sparse(
    node_ids, timestamps, lo, hi, n_neurons, t_start, t_stop, bin_width, n_bins, indptr, indices, weights, acc
):
    """Weighted spike sums per bin through a sparse (CSR) neuron -> output map; returns status bits.

    .. math:: Y[b, j] \\mathrel{+}= \\sum_{\\text{spikes } (i, t) \\in lo{:}hi,\\ \\text{bin } b} W[i, j]

    Row ``i`` of ``W`` is ``weights[indptr[i]:indptr[i+1]]`` at columns
    ``indices[indptr[i]:indptr[i+1]]``; ``acc`` is ``Y`` (n_bins, n_outputs).
    Group membership, per-neuron counts and the population count are this
    one kernel with different ``W``.
    """
    flag = 0
    for k in range(lo, hi):
        i, b, bad = _spike_bin(node_ids[k], timestamps[k], n_neurons, t_start, t_stop, bin_width, n_bins)
        flag |= bad
        if b < 0:
            continue
        for m in range(indptr[i], indptr[i + 1]):
            acc[b, indices[m]] += weights[m]
    return flag


@njit(cache=True, parallel=True)
def scatter_sparse(
    node_ids, timestamps, n_neurons, t_start, t_stop, bin_width, n_bins, indptr, indices, weights, partial, status
):
    """Parallel :func:`scatter_chunk_sparse`: chunk ``c`` accumulates into ``partial[c]`` (zeros)."""
    n_chunks = partial.shape[0]
    n_spikes = timestamps.size
    for c in prange(n_chunks):
        status[c] = scatter_chunk_sparse(
            node_ids,
            timestamps,
            c * n_spikes // n_chunks,
            (c + 1) * n_spikes // n_chunks,
            n_neurons,
            t_start,
            t_stop,
            bin_width,
            n_bins,
            indptr,
            indices,
            weights,
            partial[c],
        )


#: Spikes summed in the int32 running sums before they are flushed (|entries| <= 127 keeps it exact).
_RUN_LIMIT = 2**24


@njit(cache=True)
def scatter_chunk_table(node_ids, timestamps, lo, hi, n_neurons, t_start, t_stop, bin_width, n_bins, table, acc):
    """Spike sums per bin of the rows of a small integer table (n_neurons, K); returns status bits.

    .. math:: Y[b, j] \\mathrel{+}= \\sum_{\\text{spikes } (i, t) \\in lo{:}hi,\\ \\text{bin } b} T[i, j]

    ``table`` is int8 (patterns: it stays in cache), ``acc`` int64 (exact).
    The sums of the current bin are kept in an int32 running array and added
    to ``acc`` when the bin changes (or every ``_RUN_LIMIT`` spikes): on
    time-sorted input this removes the store-to-load dependency of adding to
    the same ``acc[b]`` spike after spike (about 2x measured); any order stays correct.
    """
    n_out = table.shape[1]
    running = np.zeros(n_out, np.int32)
    current = -1
    run = 0
    flag = 0
    for k in range(lo, hi):
        i, b, bad = _spike_bin(node_ids[k], timestamps[k], n_neurons, t_start, t_stop, bin_width, n_bins)
        flag |= bad
        if b < 0:
            continue
        if b != current or run == _RUN_LIMIT:
            if current >= 0:
                for j in range(n_out):
                    acc[current, j] += running[j]
                    running[j] = 0
            current = b
            run = 0
        row = table[i]
        for j in range(n_out):
            running[j] += row[j]
        run += 1
    if current >= 0:
        for j in range(n_out):
            acc[current, j] += running[j]
    return flag


@njit(cache=True, parallel=True)
def scatter_table(node_ids, timestamps, n_neurons, t_start, t_stop, bin_width, n_bins, table, partial, status):
    """Parallel :func:`scatter_chunk_table`: chunk ``c`` accumulates into ``partial[c]`` (zeros)."""
    n_chunks = partial.shape[0]
    n_spikes = timestamps.size
    for c in prange(n_chunks):
        status[c] = scatter_chunk_table(
            node_ids,
            timestamps,
            c * n_spikes // n_chunks,
            (c + 1) * n_spikes // n_chunks,
            n_neurons,
            t_start,
            t_stop,
            bin_width,
            n_bins,
            table,
            partial[c],
        )


#: Every kernel of this module, for the tests (cache flag, signature counts).
KERNELS = (
    count_chunk_any_order,
    count_chunk_time_sorted,
    count_matrix_time_sorted,
    scatter_chunk_sparse,
    scatter_sparse,
    scatter_chunk_table,
    scatter_table,
)
