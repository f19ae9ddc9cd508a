"""numba kernels for spike-train distance matrices (van Rossum, Victor-Purpura)."""

from __future__ import annotations

import numpy as np
from numba import njit, prange

#: Largest exponent kept in the scaled van Rossum traces before they are
#: renormalised (exp(300) ~ 2e130, far from float64 overflow).
_MAX_EXPONENT = 300.0


@njit(cache=True)
def van_rossum_columns(node_ids, timestamps, tau, c0, c1, m):
    """Columns ``[c0, c1)`` of the causal half ``M`` of the van Rossum Gram matrix, in place.

    With the spikes sorted by time, one sweep keeps the filtered trace of
    every train, :math:`a_v(t) = \\sum_{s_j \\in v,\\, s_j < t} e^{-(t - s_j)/\\tau}`;
    at a spike of train :math:`u` at time :math:`t` the row gains
    :math:`M[u, v] \\mathrel{+}= a_v(t)` (pairs with :math:`s_j < t_i`), and every
    pair of simultaneous spikes adds 1/2, so that :math:`G = M + M^T` counts
    every pair once:

    .. math:: G[u, v] = \\sum_{t_i \\in u} \\sum_{s_j \\in v} e^{-|t_i - s_j| / \\tau}

    The traces are kept scaled by :math:`e^{(t - t_\\text{ref})/\\tau}` (renormalised
    when the exponent passes 300), so a spike costs one axpy over the columns
    and three exponentials. Cost O(n_spikes x (c1 - c0)).
    """
    n_spikes = timestamps.size
    trace = np.zeros(c1 - c0)
    t_ref = timestamps[0] if n_spikes > 0 else 0.0
    k = 0
    while k < n_spikes:
        t = timestamps[k]
        k_end = k + 1
        while k_end < n_spikes and timestamps[k_end] == t:
            k_end += 1
        x = (t - t_ref) / tau
        if x > _MAX_EXPONENT:
            scale = np.exp(-x)
            for c in range(c1 - c0):
                value = trace[c] * scale
                trace[c] = value if value > 1e-250 else 0.0
            t_ref = t
            x = 0.0
        decay = np.exp(-x)
        for e in range(k, k_end):
            u = np.int64(node_ids[e])
            for c in range(c1 - c0):
                m[u, c0 + c] += decay * trace[c]
        for e in range(k, k_end):
            v = np.int64(node_ids[e])
            if c0 <= v < c1:
                for e2 in range(k, k_end):
                    m[np.int64(node_ids[e2]), v] += 0.5
        growth = np.exp(x)
        for e in range(k, k_end):
            v = np.int64(node_ids[e])
            if c0 <= v < c1:
                trace[v - c0] += growth
        k = k_end


@njit(cache=True, parallel=True)
def van_rossum_causal(node_ids, timestamps, tau, m, n_blocks):
    """Parallel :func:`van_rossum_columns` over ``n_blocks`` blocks of columns of ``m`` (zeros)."""
    n = m.shape[0]
    for blk in prange(n_blocks):
        van_rossum_columns(node_ids, timestamps, tau, blk * n // n_blocks, (blk + 1) * n // n_blocks, m)


@njit(cache=True)
def _victor_purpura_pair(a, b, q, row):
    """Victor-Purpura distance of two sorted trains (dynamic programme, O(len(a) len(b))).

    .. math:: G_{i,j} = \\min(G_{i-1,j} + 1,\\; G_{i,j-1} + 1,\\; G_{i-1,j-1} + q|a_i - b_j|)

    ``row`` is scratch space of length >= len(b) + 1.
    """
    n_a = a.size
    n_b = b.size
    if n_a == 0 or n_b == 0:
        return float(max(n_a, n_b))
    for j in range(n_b + 1):
        row[j] = j
    for i in range(1, n_a + 1):
        diagonal = row[0]
        row[0] = i
        ai = a[i - 1]
        for j in range(1, n_b + 1):
            shift = diagonal + q * abs(ai - b[j - 1])
            best = min(row[j], row[j - 1]) + 1.0
            diagonal = row[j]
            row[j] = shift if shift < best else best
    return row[n_b]


@njit(cache=True)
def victor_purpura_rows(indptr, times_by_neuron, q, rows, out):
    """Fill ``out[u, v]`` and ``out[v, u]`` for every ``u`` in ``rows`` and ``v > u``.

    Train ``u`` is ``times_by_neuron[indptr[u]:indptr[u+1]]`` (sorted).
    """
    n = indptr.size - 1
    longest = 0
    for u in range(n):
        longest = max(longest, indptr[u + 1] - indptr[u])
    scratch = np.empty(longest + 1)
    for u in rows:
        a = times_by_neuron[indptr[u] : indptr[u + 1]]
        for v in range(u + 1, n):
            d = _victor_purpura_pair(a, times_by_neuron[indptr[v] : indptr[v + 1]], q, scratch)
            out[u, v] = d
            out[v, u] = d


@njit(cache=True, parallel=True)
def victor_purpura_parallel(indptr, times_by_neuron, q, out):
    """Parallel :func:`victor_purpura_rows`: rows ``r`` and ``n-1-r`` share an iteration (balanced work)."""
    n = indptr.size - 1
    for r in prange((n + 1) // 2):
        partner = n - 1 - r
        if partner != r:
            victor_purpura_rows(indptr, times_by_neuron, q, np.array([r, partner]), out)
        else:
            victor_purpura_rows(indptr, times_by_neuron, q, np.array([r]), out)


#: Every kernel of this module, for the tests (cache flag, signature counts).
KERNELS = (van_rossum_columns, van_rossum_causal, _victor_purpura_pair, victor_purpura_rows, victor_purpura_parallel)
