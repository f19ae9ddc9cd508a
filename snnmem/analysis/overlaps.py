"""Overlap of network activity with stored patterns: recall and pattern completion.

Notation: :math:`N` neurons, patterns :math:`\\xi^\\mu` (rows of ``patterns``,
shape (n_patterns, n_neurons)), activity :math:`S_i(b)` of neuron :math:`i`
in time bin :math:`b` (columns of ``activity``, shape (n_neurons, n_bins)).
:math:`S` is whatever the caller chooses: spike counts from
:func:`~snnmem.analysis.binning.bin_spikes`, rates, or binary states from
:func:`binary_state`. A 1-D ``activity`` (one rate vector) gives 1-D results.

Every function returns time-major arrays, shape (n_bins, n_patterns), like
:func:`~snnmem.analysis.binning.group_rates`.
"""

from __future__ import annotations

import numpy as np

from . import _checks
from ._columns import column_mean_spread, column_weighted_sums
from .binning import table_weighted_counts

__all__ = [
    "binary_state",
    "overlap_pm1",
    "overlap_01",
    "pattern_correlation",
    "completion_correlation",
    "recalled_pattern",
    "spike_overlaps",
]


def binary_state(counts: np.ndarray, coding: str = "01", min_spikes: int = 1) -> np.ndarray:
    """Binary neuron states from spike counts: active iff ``counts >= min_spikes``.

    Returns int8 0/1 (``coding="01"``) or -1/+1 (``coding="pm1"``), same shape as ``counts``.
    """
    active = np.asarray(counts) >= min_spikes
    if coding == "01":
        return active.astype(np.int8)
    if coding == "pm1":
        return (2 * active.astype(np.int8) - 1).astype(np.int8)
    raise ValueError(f"coding must be '01' or 'pm1', got {coding!r}")


def _overlap_weights(patterns: np.ndarray, coding: str, coding_level: float | None) -> np.ndarray:
    """Weight table (n_neurons, n_patterns) with :math:`m_\\mu = \\sum_i W[i, \\mu] S_i`."""
    n_neurons = patterns.shape[1]
    if coding == "pm1":
        if not np.isin(patterns, (-1.0, 1.0)).all():
            raise ValueError("patterns must contain only -1 and +1 for coding='pm1'")
        return np.ascontiguousarray(patterns.T / n_neurons)
    if coding == "01":
        if not np.isin(patterns, (0.0, 1.0)).all():
            raise ValueError("patterns must contain only 0 and 1 for coding='01'")
        if coding_level is None:
            raise ValueError("coding_level is required for coding='01'")
        a = _checks.finite_float(coding_level, "coding_level")
        if not 0.0 < a < 1.0:
            raise ValueError(f"coding_level must lie in (0, 1), got {a}")
        return np.ascontiguousarray((patterns.T - a) / (n_neurons * a * (1.0 - a)))
    raise ValueError(f"coding must be 'pm1' or '01', got {coding!r}")


def _shape_result(values: np.ndarray, was_1d: bool) -> np.ndarray:
    return values[0] if was_1d else values


def overlap_pm1(activity: np.ndarray, patterns: np.ndarray) -> np.ndarray:
    """Overlap with :math:`\\pm 1` patterns (Hopfield coding).

    .. math:: m_\\mu(b) = \\frac{1}{N} \\sum_i \\xi^\\mu_i S_i(b)

    :math:`m_\\mu = 1` when :math:`S = \\xi^\\mu` with :math:`S_i \\in \\{-1, 1\\}`.

    Parameters
    ----------
    activity : array, shape (n_neurons, n_bins) or (n_neurons,)
    patterns : array, shape (n_patterns, n_neurons), entries -1 or +1

    Returns
    -------
    m : ndarray of float64, shape (n_bins, n_patterns) (or (n_patterns,))
    """
    matrix, was_1d = _checks.activity_matrix(activity)
    xi = _checks.pattern_matrix(patterns, matrix.shape[0])
    return _shape_result(column_weighted_sums(matrix, _overlap_weights(xi, "pm1", None)), was_1d)


def overlap_01(activity: np.ndarray, patterns: np.ndarray, coding_level: float) -> np.ndarray:
    """Overlap with 0/1 patterns of coding level :math:`a` (Tsodyks-Feigel'man coding).

    .. math:: m_\\mu(b) = \\frac{1}{N a (1 - a)} \\sum_i (\\xi^\\mu_i - a)\\, S_i(b)

    :math:`m_\\mu = 1` when :math:`S = \\xi^\\mu` with :math:`S_i \\in \\{0, 1\\}` and a
    fraction :math:`a` of ones; about 0 for an unrelated pattern.

    Parameters
    ----------
    activity : array, shape (n_neurons, n_bins) or (n_neurons,)
    patterns : array, shape (n_patterns, n_neurons), entries 0 or 1
    coding_level : float
        :math:`a \\in (0, 1)`, the fraction of active neurons per pattern.

    Returns
    -------
    m : ndarray of float64, shape (n_bins, n_patterns) (or (n_patterns,))
    """
    matrix, was_1d = _checks.activity_matrix(activity)
    xi = _checks.pattern_matrix(patterns, matrix.shape[0])
    return _shape_result(column_weighted_sums(matrix, _overlap_weights(xi, "01", coding_level)), was_1d)


def pattern_correlation(activity: np.ndarray, patterns: np.ndarray) -> np.ndarray:
    """Pearson correlation, across neurons, of the activity with every pattern.

    .. math:: r_\\mu(b) = \\frac{\\sum_i (\\xi^\\mu_i - \\bar\\xi^\\mu)(S_i(b) - \\bar S(b))}
                            {\\sqrt{\\sum_i (\\xi^\\mu_i - \\bar\\xi^\\mu)^2}\\,
                             \\sqrt{\\sum_i (S_i(b) - \\bar S(b))^2}}

    Parameters
    ----------
    activity : array, shape (n_neurons, n_bins) or (n_neurons,)
        Rate vectors (or counts) per bin.
    patterns : array, shape (n_patterns, n_neurons)
        Any real patterns (0/1, +-1, graded).

    Returns
    -------
    r : ndarray of float64, shape (n_bins, n_patterns) (or (n_patterns,))
        NaN where the activity or the pattern is constant across neurons.
    """
    matrix, was_1d = _checks.activity_matrix(activity)
    xi = _checks.pattern_matrix(patterns, matrix.shape[0])
    centred = xi - xi.mean(axis=1, keepdims=True)
    pattern_spread = np.sqrt((centred**2).sum(axis=1))
    numerator = column_weighted_sums(matrix, np.ascontiguousarray(centred.T))
    _, activity_spread = column_mean_spread(matrix)
    with np.errstate(invalid="ignore", divide="ignore"):
        r = numerator / (activity_spread[:, None] * pattern_spread[None, :])
    r[(activity_spread[:, None] == 0.0) | (pattern_spread[None, :] == 0.0)] = np.nan
    return _shape_result(r, was_1d)


def completion_correlation(activity: np.ndarray, patterns: np.ndarray, cued: np.ndarray) -> np.ndarray:
    """Pattern completion: :func:`pattern_correlation` on the neurons that were NOT cued.

    A cue that drives part of a pattern trivially correlates with it; completion
    is judged on the rest. With :math:`U = \\{i : \\lnot\\, \\text{cued}_i\\}`,

    .. math:: c_\\mu(b) = \\operatorname{corr}_{i \\in U}\\big(S_i(b), \\xi^\\mu_i\\big)

    Parameters
    ----------
    activity : array, shape (n_neurons, n_bins) or (n_neurons,)
    patterns : array, shape (n_patterns, n_neurons)
    cued : array of bool, shape (n_neurons,)
        True for the neurons that received the cue.

    Returns
    -------
    c : ndarray of float64, shape (n_bins, n_patterns) (or (n_patterns,))
    """
    matrix, was_1d = _checks.activity_matrix(activity)
    xi = _checks.pattern_matrix(patterns, matrix.shape[0])
    mask = np.asarray(cued)
    if mask.dtype != np.bool_ or mask.shape != (matrix.shape[0],):
        raise ValueError(f"cued must be a boolean array of shape ({matrix.shape[0]},), got {mask.dtype} {mask.shape}")
    free = ~mask
    if free.sum() < 2:
        raise ValueError("cued leaves fewer than 2 un-cued neurons to score completion on")
    result = pattern_correlation(matrix[free], xi[:, free])
    return _shape_result(result, was_1d)


def recalled_pattern(scores: np.ndarray, threshold: float = -np.inf) -> np.ndarray | int:
    """Index of the recalled pattern: the best score along the last axis.

    .. math:: \\hat\\mu = \\arg\\max_\\mu m_\\mu \\quad\\text{if}\\quad \\max_\\mu m_\\mu \\ge \\theta,
              \\text{ else } -1

    Parameters
    ----------
    scores : array, shape (..., n_patterns)
        Overlaps or correlations (e.g. from :func:`overlap_01`). NaN entries are ignored.
    threshold : float
        Minimum score :math:`\\theta` for a recall; below it (or all-NaN) gives -1.

    Returns
    -------
    index : int or ndarray of int64, shape scores.shape[:-1]
    """
    values = np.asarray(scores, dtype=np.float64)
    if values.ndim < 1 or values.shape[-1] < 1:
        raise ValueError(f"scores must have a last axis of patterns, got shape {values.shape}")
    filled = np.where(np.isnan(values), -np.inf, values)
    index = np.argmax(filled, axis=-1)
    best = np.take_along_axis(filled, index[..., None], axis=-1)[..., 0]
    recalled = (best > -np.inf) & (best >= threshold)
    index = np.where(recalled, index, -1).astype(np.int64)
    return int(index) if index.ndim == 0 else index


def spike_overlaps(
    node_ids: np.ndarray,
    timestamps: np.ndarray,
    patterns: np.ndarray,
    t_start: float,
    t_stop: float,
    bin_width: float,
    coding: str = "pm1",
    coding_level: float | None = None,
) -> np.ndarray:
    """Overlaps over time straight from spikes, with :math:`S_i(b)` = spike count.

    Equal to ``overlap_pm1(bin_spikes(...), patterns)`` (or ``overlap_01``) but
    one pass over the spikes and no (n_neurons, n_bins) count matrix. With
    :math:`X_\\mu(b) = \\sum_{\\text{spikes } (i, t) \\text{ in bin } b} \\xi^\\mu_i` and
    :math:`C(b)` the number of spikes in bin :math:`b` (exact integer sums),

    .. math:: m_\\mu(b) = \\frac{X_\\mu(b)}{N} \\;\\text{(pm1)}, \\qquad
              m_\\mu(b) = \\frac{X_\\mu(b) - a\\,C(b)}{N a (1 - a)} \\;\\text{(01)}

    Parameters
    ----------
    node_ids, timestamps : arrays, shape (n_spikes,)
        The spikes (bin convention of :mod:`snnmem.analysis.binning`).
    patterns : array, shape (n_patterns, n_neurons)
        ``n_neurons`` is taken from its second axis.
    t_start, t_stop, bin_width : float
        Window and bin width in seconds.
    coding : {"pm1", "01"}
    coding_level : float, required for ``coding="01"``

    Returns
    -------
    m : ndarray of float64, shape (n_bins, n_patterns)
    """
    ids, times = _checks.spike_arrays(node_ids, timestamps)
    xi = np.atleast_2d(np.asarray(patterns))
    xi = _checks.pattern_matrix(xi, xi.shape[-1])
    start, stop = _checks.time_window(t_start, t_stop)
    width, n_bins = _checks.bin_count(start, stop, bin_width)
    _overlap_weights(xi, coding, coding_level)  # validates the patterns and the coding level
    n_neurons, n_patterns = xi.shape[1], xi.shape[0]
    # int8 table [xi | 1 | 0-padding to a multiple of 8 columns]: it stays in cache,
    # the inner loop vectorises, and the int64 sums are exact.
    n_columns = -(-(n_patterns + 1) // 8) * 8
    table = np.zeros((n_neurons, n_columns), dtype=np.int8)
    table[:, :n_patterns] = xi.T
    table[:, n_patterns] = 1
    sums = table_weighted_counts(ids, times, n_neurons, start, stop, width, n_bins, table)
    pattern_sums = sums[:, :n_patterns].astype(np.float64)
    if coding == "pm1":
        return pattern_sums / n_neurons
    a = float(coding_level)  # type: ignore[arg-type]
    return (pattern_sums - a * sums[:, n_patterns : n_patterns + 1]) / (n_neurons * a * (1.0 - a))
