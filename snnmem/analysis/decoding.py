"""Population-vector decoding of a circular variable (ring attractors) and circular distances.

Angles are in radians, in ``[0, 2*pi)``.
"""

from __future__ import annotations

import numpy as np

from . import _checks
from ._columns import column_weighted_sums

__all__ = ["population_vector_angle", "circular_distance"]

TWO_PI = 2.0 * np.pi
#: A population vector shorter than this fraction of the total activity has no direction (NaN).
UNDEFINED_DIRECTION = 1e-9


def wrap_angle(angle: np.ndarray | float) -> np.ndarray:
    """Wrap angles into ``[0, 2*pi)`` (NaN stays NaN)."""
    wrapped = np.mod(angle, TWO_PI)
    return np.where(wrapped >= TWO_PI, 0.0, wrapped)


def population_vector_angle(activity: np.ndarray, preferred_angles_rad: np.ndarray) -> np.ndarray:
    """Decode the angle coded by a ring population in every time bin.

    .. math:: \\hat\\theta_b = \\operatorname{atan2}\\Big(\\sum_i A[i, b] \\sin\\theta_i,\\;
                                                   \\sum_i A[i, b] \\cos\\theta_i\\Big) \\bmod 2\\pi

    Parameters
    ----------
    activity : array, shape (n_neurons, n_bins) or (n_neurons,)
        Non-negative spike counts (e.g. from :func:`~snnmem.analysis.binning.bin_spikes`)
        or rates; integer counts are used without a float copy.
    preferred_angles_rad : array, shape (n_neurons,)
        Preferred angle :math:`\\theta_i` of every neuron, radians.

    Returns
    -------
    angle : ndarray of float64, shape (n_bins,) (a float for 1-D ``activity``)
        Decoded angle in ``[0, 2*pi)``; NaN for a bin with no activity, and
        for one whose population vector has no direction: length
        :math:`\\le 10^{-9} \\sum_i A[i, b]` (activity spread evenly round
        the ring, where rounding alone would pick an arbitrary angle).
    """
    matrix, was_1d = _checks.activity_matrix(activity)
    theta = np.asarray(preferred_angles_rad, dtype=np.float64)
    if theta.shape != (matrix.shape[0],):
        raise ValueError(
            f"preferred_angles_rad must have shape ({matrix.shape[0]},) to match activity, got {theta.shape}"
        )
    if not np.all(np.isfinite(theta)):
        raise ValueError("preferred_angles_rad must be finite")
    weights = np.ascontiguousarray(np.stack([np.cos(theta), np.sin(theta), np.ones_like(theta)], axis=1))
    sums = column_weighted_sums(matrix, weights)
    angle = wrap_angle(np.arctan2(sums[:, 1], sums[:, 0]))
    angle[np.hypot(sums[:, 0], sums[:, 1]) <= UNDEFINED_DIRECTION * np.abs(sums[:, 2])] = np.nan
    return float(angle[0]) if was_1d else angle


def circular_distance(a: np.ndarray | float, b: np.ndarray | float) -> np.ndarray:
    """Absolute difference of two angles on the circle, in ``[0, pi]``.

    .. math:: d(a, b) = \\big|\\,((a - b + \\pi) \\bmod 2\\pi) - \\pi\\,\\big|

    Works element-wise on arrays (numpy broadcasting); radians in, radians out;
    NaN propagates.
    """
    difference = np.mod(np.asarray(a, dtype=np.float64) - np.asarray(b, dtype=np.float64) + np.pi, TWO_PI)
    return np.abs(difference - np.pi)
