"""Dispatch of the dense-activity kernels: serial for small matrices, parallel blocks for large ones."""

from __future__ import annotations

import numpy as np

from ._kernels_columns import mean_and_spread, mean_and_spread_block, weighted_sums, weighted_sums_block
from ._parallel import n_workers

#: Narrowest block of columns a thread gets (keeps the inner loop long enough to vectorise).
MIN_BLOCK_COLUMNS = 64


def _n_blocks(activity: np.ndarray, work: float) -> int:
    return n_workers(work, max_workers=max(1, activity.shape[1] // MIN_BLOCK_COLUMNS))


def column_weighted_sums(activity: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """:math:`Y[b, k] = \\sum_i W[i, k] A[i, b]` for a contiguous 2-D ``activity``; returns (n_bins, K) float64."""
    weights = np.ascontiguousarray(weights, dtype=np.float64)
    out = np.zeros((weights.shape[1], activity.shape[1]))
    # Work = elements of A read; the K multiply-adds per element run vectorised from L1.
    blocks = _n_blocks(activity, activity.size)
    if blocks == 1:
        weighted_sums_block(activity, weights, 0, activity.shape[1], out)
    else:
        weighted_sums(activity, weights, out, blocks)
    return out.T


def column_mean_spread(activity: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per-column mean and centred norm :math:`\\sqrt{\\sum_i (A_{ib} - \\bar A_b)^2}`, each (n_bins,)."""
    mean = np.zeros(activity.shape[1])
    spread = np.zeros(activity.shape[1])
    blocks = _n_blocks(activity, 2 * activity.size)
    if blocks == 1:
        mean_and_spread_block(activity, 0, activity.shape[1], mean, spread)
    else:
        mean_and_spread(activity, mean, spread, blocks)
    return mean, spread
