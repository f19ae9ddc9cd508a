"""numba kernels over the columns (time bins) of a dense activity matrix ``A`` (n_neurons, n_bins).

``A`` may be int32 spike counts (no float copy of the matrix is made) or float
rates; the kernels are compiled once per dtype. Each kernel is a serial
function over a block of columns ``[b0, b1)`` plus a ``prange`` driver over
blocks; blocks write disjoint output columns.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange


#: Columns per cache tile: the (K, TILE) output tile and 4 converted rows stay in L1.
TILE = 128


@njit(cache=True)
def weighted_sums_block(activity, weights, b0, b1, out):
    """Weighted sums over neurons for the bins ``[b0, b1)``.

    .. math:: Y[k, b] = \\sum_i W[i, k] \\, A[i, b]

    ``weights`` (n_neurons, K) float64; ``out`` (K, n_bins) float64 zeros, filled in place.
    Columns are processed in tiles of ``TILE`` and neurons four at a time
    (rows converted to float64 once), so every load and store of the output
    tile, which stays in L1, serves four multiply-adds.
    """
    n_neurons = activity.shape[0]
    n_out = weights.shape[1]
    r0 = np.empty(TILE)
    r1 = np.empty(TILE)
    r2 = np.empty(TILE)
    r3 = np.empty(TILE)
    for c0 in range(b0, b1, TILE):
        c1 = min(b1, c0 + TILE)
        width = c1 - c0
        i = 0
        while i + 4 <= n_neurons:
            a0 = activity[i, c0:c1]
            a1 = activity[i + 1, c0:c1]
            a2 = activity[i + 2, c0:c1]
            a3 = activity[i + 3, c0:c1]
            for b in range(width):
                r0[b] = a0[b]
                r1[b] = a1[b]
                r2[b] = a2[b]
                r3[b] = a3[b]
            for k in range(n_out):
                w0 = weights[i, k]
                w1 = weights[i + 1, k]
                w2 = weights[i + 2, k]
                w3 = weights[i + 3, k]
                target = out[k, c0:c1]
                for b in range(width):
                    target[b] += w0 * r0[b] + w1 * r1[b] + w2 * r2[b] + w3 * r3[b]
            i += 4
        while i < n_neurons:
            a0 = activity[i, c0:c1]
            for k in range(n_out):
                w0 = weights[i, k]
                target = out[k, c0:c1]
                for b in range(width):
                    target[b] += w0 * a0[b]
            i += 1


@njit(cache=True, parallel=True)
def weighted_sums(activity, weights, out, n_blocks):
    """Parallel :func:`weighted_sums_block` over ``n_blocks`` equal blocks of columns."""
    n_bins = activity.shape[1]
    for blk in prange(n_blocks):
        weighted_sums_block(activity, weights, blk * n_bins // n_blocks, (blk + 1) * n_bins // n_blocks, out)


@njit(cache=True)
def mean_and_spread_block(activity, b0, b1, mean, spread):
    """Mean and centred norm of the columns ``[b0, b1)``, in place.

    .. math:: \\bar A_b = \\frac{1}{N}\\sum_i A[i, b], \\qquad
              s_b = \\sqrt{\\sum_i (A[i, b] - \\bar A_b)^2}

    Two passes, so no cancellation.
    """
    n_neurons = activity.shape[0]
    width = b1 - b0
    m = mean[b0:b1]
    s = spread[b0:b1]
    for i in range(n_neurons):
        a = activity[i, b0:b1]
        for b in range(width):
            m[b] += a[b]
    for b in range(width):
        m[b] /= n_neurons
    for i in range(n_neurons):
        a = activity[i, b0:b1]
        for b in range(width):
            d = a[b] - m[b]
            s[b] += d * d
    for b in range(width):
        s[b] = np.sqrt(s[b])


@njit(cache=True, parallel=True)
def mean_and_spread(activity, mean, spread, n_blocks):
    """Parallel :func:`mean_and_spread_block` over ``n_blocks`` equal blocks of columns."""
    n_bins = activity.shape[1]
    for blk in prange(n_blocks):
        mean_and_spread_block(activity, blk * n_bins // n_blocks, (blk + 1) * n_bins // n_blocks, mean, spread)


#: Every kernel of this module, for the tests (cache flag, signature counts).
KERNELS = (weighted_sums_block, weighted_sums, mean_and_spread_block, mean_and_spread)
