"""Recall scores of a ring attractor (bump working memory, e.g. Compte et al. 2000).

Excitatory neuron :math:`k` of :math:`N_E` prefers the angle
:math:`\\theta_k = 2\\pi k / N_E`. The delay is cut into consecutive,
non-overlapping windows of ``window`` seconds starting at ``delay_start``
(as many as fit before ``delay_stop``). In each window :math:`w`:

* the bump centre :math:`\\hat\\theta_w` is the population vector of the
  spike counts (:func:`~snnmem.analysis.decoding.population_vector_angle`);
* the peak rate is the mean rate of the E neurons with
  :math:`d(\\theta_k, \\hat\\theta_w) \\le 5^\\circ` (the single nearest
  neuron if none is that close);
* the background rate is the mean rate of the E neurons with
  :math:`d(\\theta_k, \\hat\\theta_w) > 90^\\circ`;

where :math:`d` is :func:`~snnmem.analysis.decoding.circular_distance`. A
window without E spikes has centre NaN, peak 0 and background 0.
"""

from __future__ import annotations

import math

import numpy as np

from . import _checks
from .binning import count_matrix, group_rates, neuron_rates
from .decoding import circular_distance, population_vector_angle

__all__ = ["ring_bump_scores", "ring_rate_map", "preferred_angles", "bump_held"]

#: Half-width of the "peak" neighbourhood of the bump centre, degrees.
PEAK_HALF_WIDTH_DEG = 5.0
#: Neurons farther than this from the centre make up the background, degrees.
BACKGROUND_MIN_DISTANCE_DEG = 90.0
#: The bump persists in a window when peak >= this factor x background.
PERSISTENCE_FACTOR = 4.0
#: Slack when comparing angles to the 5 and 90 degree limits, radians.
_ANGLE_SLACK = 1e-9


def preferred_angles(n_neurons: int) -> np.ndarray:
    """Preferred angles :math:`2\\pi k / N` of a ring of ``n_neurons``, radians, shape (n_neurons,)."""
    n = _checks.positive_int(n_neurons, "n_neurons")
    return 2.0 * np.pi * np.arange(n) / n


def ring_bump_scores(
    exc_ids: np.ndarray,
    exc_times: np.ndarray,
    n_exc: int,
    inh_ids: np.ndarray,
    inh_times: np.ndarray,
    n_inh: int,
    cue_angle_deg: float,
    delay_start: float,
    delay_stop: float,
    window: float = 0.5,
) -> tuple[dict[str, float], dict[str, np.ndarray]]:
    """Score how well a ring attractor holds a cued bump through the delay.

    Parameters
    ----------
    exc_ids, exc_times : arrays, shape (n_exc_spikes,)
        Excitatory spikes (ids in ``[0, n_exc)``, times in seconds).
    n_exc : int
        Number of excitatory neurons around the ring.
    inh_ids, inh_times : arrays, shape (n_inh_spikes,)
        Inhibitory spikes.
    n_inh : int
        Number of inhibitory neurons.
    cue_angle_deg : float
        Angle of the cue, degrees.
    delay_start, delay_stop : float
        The scored part of the delay, seconds (callers pass the cue offset
        plus 0.25 s as ``delay_start``).
    window : float
        Length of the scoring windows, seconds.

    Returns
    -------
    scores : dict[str, float]
        ``bump_peak_rate_hz`` and ``background_rate_hz`` (means over windows),
        ``inhibitory_rate_hz`` (mean I rate over ``[delay_start, delay_stop)``),
        ``decoded_angle_error_deg`` (circular distance between the cue and the
        centre of the last window; NaN if that window is empty),
        ``bump_persisted`` (1.0 if every window has peak >= 4 x background, or
        peak > 0 where the background is 0; else 0.0), ``bump_collapsed`` (1.0 if
        the bump fails in the last window and every window of that final failing
        run), ``bump_collapse_time_s`` (start of that run; NaN without collapse) and
        ``bump_dips`` (failing runs of windows followed by a recovery): see
        :mod:`snnmem.analysis.bump_dynamics`.
    arrays : dict[str, ndarray]
        Per window: ``window_start_s``, ``window_centre_deg`` (in [0, 360)),
        ``window_peak_rate_hz``, ``window_background_rate_hz``.

    Raises
    ------
    ValueError
        If not even one window fits between ``delay_start`` and ``delay_stop``,
        or any input is invalid.
    """
    n_e = _checks.positive_int(n_exc, "n_exc")
    n_i = _checks.positive_int(n_inh, "n_inh")
    cue = math.radians(_checks.finite_float(cue_angle_deg, "cue_angle_deg"))
    start = _checks.seconds(delay_start, "delay_start")
    stop = _checks.seconds(delay_stop, "delay_stop")
    if stop <= start:
        raise ValueError(f"delay_stop must be > delay_start, got {start} and {stop}")
    width = _checks.positive_float(_checks.seconds(window, "window"), "window")
    n_windows = int(math.floor((stop - start) / width + _checks.BIN_COUNT_TOLERANCE))
    if n_windows < 1:
        raise ValueError(f"window={width} s does not fit in the delay [{start}, {stop}) s; pass a shorter window")

    ids, times = _checks.spike_arrays(exc_ids, exc_times)
    windows_stop = start + n_windows * width
    counts = count_matrix(ids, times, n_e, start, min(windows_stop, stop), width, n_windows)
    rates = counts / width
    theta = preferred_angles(n_e)
    centre = np.atleast_1d(population_vector_angle(counts, theta))

    distance = circular_distance(theta[:, None], centre[None, :])  # (n_exc, n_windows), NaN for empty
    near = distance <= math.radians(PEAK_HALF_WIDTH_DEG) + _ANGLE_SLACK
    nearest = np.argmin(np.where(np.isnan(distance), np.inf, distance), axis=0)
    near[nearest, np.arange(n_windows)] = True
    far = distance > math.radians(BACKGROUND_MIN_DISTANCE_DEG) + _ANGLE_SLACK
    empty = np.isnan(centre)
    peak = np.where(empty, 0.0, (rates * near).sum(axis=0) / near.sum(axis=0))
    with np.errstate(invalid="ignore", divide="ignore"):
        background = np.where(empty | (far.sum(axis=0) == 0), 0.0, (rates * far).sum(axis=0) / far.sum(axis=0))
    held = bump_held(peak, background) & ~empty

    inh_rate = neuron_rates(inh_ids, inh_times, n_i, start, stop).mean()
    scores = {
        "bump_peak_rate_hz": float(peak.mean()),
        "background_rate_hz": float(background.mean()),
        "inhibitory_rate_hz": float(inh_rate),
        "decoded_angle_error_deg": float(np.degrees(circular_distance(cue, centre[-1]))),
        "bump_persisted": float(bool(held.all())),
        **_course_scores(held, start, width),
    }
    arrays = {
        "window_start_s": start + width * np.arange(n_windows),
        "window_centre_deg": np.degrees(centre),
        "window_peak_rate_hz": peak,
        "window_background_rate_hz": background,
    }
    return scores, arrays


def bump_held(peak_hz: np.ndarray, background_hz: np.ndarray) -> np.ndarray:
    """Windows that hold the bump: peak >= 4 x background (peak > 0 where the background is 0)."""
    peak, background = np.asarray(peak_hz, dtype=float), np.asarray(background_hz, dtype=float)
    return np.where(background > 0.0, peak >= PERSISTENCE_FACTOR * background, peak > 0.0)


def _course_scores(held: np.ndarray, start: float, width: float) -> dict[str, float]:
    from .bump_dynamics import bump_course

    course = bump_course(held)
    return {
        "bump_collapsed": float(course.collapsed),
        "bump_collapse_time_s": start + width * course.collapse_window if course.collapsed else float("nan"),
        "bump_dips": float(course.dips),
    }


def ring_rate_map(
    exc_ids: np.ndarray,
    exc_times: np.ndarray,
    n_exc: int,
    t_start: float,
    t_stop: float,
    bin_width: float,
    n_angle_bins: int = 64,
) -> tuple[np.ndarray, np.ndarray]:
    """Firing-rate map of a ring over time and angle, for figures.

    Neuron :math:`k` goes to angle bin :math:`\\lfloor k\\, n_\\text{angle} / N_E \\rfloor`
    (contiguous groups of nearly equal size); each map entry is the mean rate of
    its group (:func:`~snnmem.analysis.binning.group_rates`).

    Returns
    -------
    rates : ndarray of float64, shape (n_bins, n_angle_bins), Hz
    angle_centres_deg : ndarray of float64, shape (n_angle_bins,)
        Mean preferred angle of each group, degrees.
    """
    n_e = _checks.positive_int(n_exc, "n_exc")
    n_groups = _checks.positive_int(n_angle_bins, "n_angle_bins")
    if n_groups > n_e:
        raise ValueError(f"n_angle_bins={n_groups} must not exceed n_exc={n_e}")
    group_of = np.arange(n_e) * n_groups // n_e
    membership = group_of[None, :] == np.arange(n_groups)[:, None]
    rates = group_rates(exc_ids, exc_times, membership, t_start, t_stop, bin_width)
    degrees = 360.0 * np.arange(n_e) / n_e
    centres = np.bincount(group_of, weights=degrees, minlength=n_groups) / membership.sum(axis=1)
    return rates, centres
