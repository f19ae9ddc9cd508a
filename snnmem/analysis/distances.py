"""Spike-train distance matrices: van Rossum and Victor-Purpura, all pairs at once.

Both functions take the flat spike stream (``node_ids``, ``timestamps`` in
seconds) and return an ``(n_neurons, n_neurons)`` float64 matrix whose entry
``[u, v]`` is the distance between the trains of neurons ``u`` and ``v``
(empty trains included). They reproduce Elephant's
:func:`elephant.spike_train_dissimilarity.van_rossum_distance` and
:func:`~elephant.spike_train_dissimilarity.victor_purpura_distance` (with the
default kernel) to floating-point rounding.
"""

from __future__ import annotations

import math

import numpy as np

from . import _checks
from ._kernels_distances import van_rossum_causal, van_rossum_columns, victor_purpura_parallel, victor_purpura_rows
from ._parallel import n_workers

__all__ = ["van_rossum_matrix", "victor_purpura_matrix", "van_rossum_from_gram"]


def _select_spikes(
    node_ids: object, timestamps: object, n_neurons: object, t_start: object, t_stop: object
) -> tuple[np.ndarray, np.ndarray, int]:
    """Validated int64 ids and float64 times of the spikes in ``[t_start, t_stop)``."""
    ids, times = _checks.spike_arrays(node_ids, timestamps)
    n = _checks.positive_int(n_neurons, "n_neurons")
    if np.isnan(times).any():
        _checks.raise_spike_errors(_checks.STATUS_NAN_TIME, ids, times, n)
    if ids.size and (ids.min() < 0 or ids.max() >= n):
        _checks.raise_spike_errors(_checks.STATUS_BAD_ID, ids, times, n)
    keep = None
    if t_start is not None or t_stop is not None:
        start = -np.inf if t_start is None else _checks.seconds(t_start, "t_start")
        stop = np.inf if t_stop is None else _checks.seconds(t_stop, "t_stop")
        if stop <= start:
            raise ValueError(f"t_stop must be > t_start, got t_start={start}, t_stop={stop}")
        keep = (times >= start) & (times < stop)
    if keep is not None:
        ids, times = ids[keep], times[keep]
    return ids.astype(np.int64, copy=False), times, n


def van_rossum_from_gram(gram: np.ndarray) -> np.ndarray:
    """Distances from a Gram matrix: :math:`D_{uv} = \\sqrt{\\max(0, G_{uu} + G_{vv} - 2G_{uv})}`.

    Tiny negative values from rounding are clipped to 0, as Elephant does
    (without its warning).
    """
    diagonal = np.diag(gram)
    squared = diagonal[:, None] + diagonal[None, :] - 2.0 * gram
    np.maximum(squared, 0.0, out=squared)
    return np.sqrt(squared)


def van_rossum_matrix(
    node_ids: np.ndarray,
    timestamps: np.ndarray,
    n_neurons: int,
    tau: float,
    t_start: float | None = None,
    t_stop: float | None = None,
) -> np.ndarray:
    """Van Rossum distances between the spike trains of all neurons.

    Each train is filtered with a causal exponential,
    :math:`f_u(t) = \\sum_{t_i \\in u} H(t - t_i)\\, e^{-(t - t_i)/\\tau}`, and

    .. math::
        D_{uv}^2 = \\frac{2}{\\tau}\\int_{-\\infty}^{\\infty} (f_u - f_v)^2 \\, dt
                 = G_{uu} + G_{vv} - 2 G_{uv}, \\qquad
        G_{uv} = \\sum_{t_i \\in u}\\sum_{s_j \\in v} e^{-|t_i - s_j|/\\tau}.

    This is Elephant's normalisation (an empty train and a single spike are at
    distance 1; divide by :math:`\\sqrt 2` for van Rossum's 2001 paper). The
    filter tails run past ``t_stop`` (the integral is over all time, as in
    Elephant); the window only selects the spikes with ``t_start <= t < t_stop``.
    The Gram matrix of all trains is computed in one sweep over the spikes
    (cost O(n_spikes x n_neurons), see
    :func:`~snnmem.analysis._kernels_distances.van_rossum_columns`).

    Parameters
    ----------
    node_ids, timestamps : arrays, shape (n_spikes,)
        The spikes; any order.
    n_neurons : int
        Number of trains (rows and columns of the result).
    tau : float
        Filter time constant in seconds, > 0; ``np.inf`` gives
        :math:`|n_u - n_v|` (spike-count difference), as in Elephant.
    t_start, t_stop : float or None
        Optional window in seconds (None: unbounded on that side).

    Returns
    -------
    distances : ndarray of float64, shape (n_neurons, n_neurons)
        Symmetric, zero diagonal.
    """
    ids, times, n = _select_spikes(node_ids, timestamps, n_neurons, t_start, t_stop)
    try:
        tau_value = float(_checks._as_seconds(tau, "tau"))
    except (TypeError, ValueError):
        raise TypeError(f"tau must be a number of seconds, got {tau!r}") from None
    if math.isnan(tau_value) or tau_value <= 0.0:
        raise ValueError(f"tau must be > 0 seconds (or np.inf), got {tau!r}")
    if math.isinf(tau_value):
        counts = np.bincount(ids, minlength=n).astype(np.float64)
        return np.abs(counts[:, None] - counts[None, :])
    order = np.argsort(times, kind="stable")
    ids_sorted = np.ascontiguousarray(ids[order])
    times_sorted = np.ascontiguousarray(times[order])
    causal = np.zeros((n, n))
    blocks = n_workers(times.size * n, max_workers=max(1, n // 32))
    if blocks == 1:
        van_rossum_columns(ids_sorted, times_sorted, tau_value, 0, n, causal)
    else:
        van_rossum_causal(ids_sorted, times_sorted, tau_value, causal, blocks)
    gram = causal + causal.T
    return van_rossum_from_gram(gram)


def victor_purpura_matrix(
    node_ids: np.ndarray,
    timestamps: np.ndarray,
    n_neurons: int,
    q: float,
    t_start: float | None = None,
    t_stop: float | None = None,
) -> np.ndarray:
    """Victor-Purpura distances between the spike trains of all neurons.

    The minimal cost of turning one train into the other with three
    operations: delete a spike (cost 1), insert a spike (cost 1), move a spike
    by :math:`\\Delta t` (cost :math:`q |\\Delta t|`). Computed by the dynamic
    programme

    .. math:: G_{i,j} = \\min\\big(G_{i-1,j} + 1,\\; G_{i,j-1} + 1,\\;
              G_{i-1,j-1} + q\\,|a_i - b_j|\\big), \\quad G_{i,0} = i,\\; G_{0,j} = j,

    for every pair (in parallel), cost O(n_neurons^2 x spikes-per-train^2).
    Equal to Elephant's ``victor_purpura_distance(trains, q * pq.Hz)``.

    Parameters
    ----------
    node_ids, timestamps : arrays, shape (n_spikes,)
        The spikes; any order.
    n_neurons : int
        Number of trains.
    q : float
        Cost per second of moving a spike (1/s), finite and >= 0. ``q = 0``
        gives :math:`|n_u - n_v|`. (Elephant's ``q = inf`` shortcut returns
        :math:`n_u + n_v` even on its diagonal, so it is not offered here.)
    t_start, t_stop : float or None
        Optional window in seconds selecting ``t_start <= t < t_stop``.

    Returns
    -------
    distances : ndarray of float64, shape (n_neurons, n_neurons)
    """
    ids, times, n = _select_spikes(node_ids, timestamps, n_neurons, t_start, t_stop)
    cost = _checks.finite_float(q, "q")
    if cost < 0.0:
        raise ValueError(f"q must be >= 0 (1/s), got {cost}")
    if cost == 0.0:
        counts = np.bincount(ids, minlength=n).astype(np.float64)
        return np.abs(counts[:, None] - counts[None, :])
    order = np.lexsort((times, ids))
    indptr = np.zeros(n + 1, dtype=np.int64)
    sizes = np.bincount(ids, minlength=n)
    np.cumsum(sizes, out=indptr[1:])
    times_by_neuron = np.ascontiguousarray(times[order])
    out = np.zeros((n, n))
    cells = 0.5 * (float(sizes.sum()) ** 2 - float((sizes.astype(np.float64) ** 2).sum()))
    if n_workers(cells) == 1:
        victor_purpura_rows(indptr, times_by_neuron, cost, np.arange(n), out)
    else:
        victor_purpura_parallel(indptr, times_by_neuron, cost, out)
    return out
