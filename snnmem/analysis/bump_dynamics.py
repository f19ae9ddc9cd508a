"""How a ring attractor's bump behaves over the delay: collapse or dip, and diffusion of its centre.

Collapse and dip are read from the per-window persistence of
:func:`~snnmem.analysis.ring.ring_bump_scores` (a window holds the bump when its peak
rate is at least 4x the background):

* **collapse**: the bump fails in the last window and in every window from some
  window on — it is gone and does not come back before the delay ends. The collapse
  time is the start of the first window of that final failing run;
* **dip**: a failing window (or run of consecutive failing windows) after which the
  bump holds again in a later window.

A run can have dips and then collapse. A run *persists* when it does not collapse;
it persists *strictly* when no window fails.

Diffusion: the bump centre is decoded (population vector of the E spike counts) in
short bins over the delay; its mean squared displacement at lag :math:`\\tau`,
:math:`\\mathrm{MSD}(\\tau) = \\langle d(\\hat\\theta_{t+\\tau}, \\hat\\theta_t)^2\\rangle_t`
(circular distance, degrees, over every pair of bins that lag apart), is fitted by
:math:`\\mathrm{MSD}(\\tau) = c + 2D\\tau` (one-dimensional diffusion; the offset
:math:`c` absorbs the decoding noise, twice its variance). Lags stay short next to
the delay and the displacements far below 180 deg, where the circle would fold them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from . import _checks
from .binning import count_matrix
from .decoding import population_vector_angle
from .ring import preferred_angles

__all__ = ["BumpCourse", "bump_course", "centre_track", "msd_curve", "DiffusionFit", "fit_diffusion"]


@dataclass(frozen=True)
class BumpCourse:
    """Collapse and dips of one run (see the module docstring).

    Attributes
    ----------
    collapsed : bool
    collapse_window : int
        Index of the first window of the final failing run; -1 if no collapse.
    dips : int
        Failing runs of windows followed by a window that holds the bump.
    """

    collapsed: bool
    collapse_window: int
    dips: int


def bump_course(held: np.ndarray) -> BumpCourse:
    """Collapse and dips from the per-window persistence (``True``: the window holds the bump)."""
    held = np.asarray(held, dtype=bool)
    if held.ndim != 1 or held.size == 0:
        raise ValueError(f"held must be a non-empty 1-d array of windows, got shape {held.shape}")
    failing = ~held
    # runs of failing windows: starts where failing begins
    starts = np.flatnonzero(failing & np.concatenate([[True], ~failing[:-1]]))
    collapsed = bool(failing[-1])
    dips = int(starts.size - (1 if collapsed else 0))
    return BumpCourse(collapsed=collapsed, collapse_window=int(starts[-1]) if collapsed else -1, dips=dips)


def centre_track(
    exc_ids: np.ndarray, exc_times: np.ndarray, n_exc: int, start: float, stop: float, bin_s: float
) -> tuple[np.ndarray, np.ndarray]:
    """Decoded bump centre in consecutive bins of ``bin_s`` from ``start``: ``(bin_starts_s, centre_deg)``.

    Bins without E spikes have centre NaN. Centres are in [0, 360).
    """
    n_e = _checks.positive_int(n_exc, "n_exc")
    t0, t1 = _checks.seconds(start, "start"), _checks.seconds(stop, "stop")
    width = _checks.positive_float(_checks.seconds(bin_s, "bin_s"), "bin_s")
    n_bins = int(math.floor((t1 - t0) / width + _checks.BIN_COUNT_TOLERANCE))
    if n_bins < 2:
        raise ValueError(f"bin_s={width} s leaves fewer than 2 bins in [{t0}, {t1}) s")
    ids, times = _checks.spike_arrays(exc_ids, exc_times)
    counts = count_matrix(ids, times, n_e, t0, t0 + n_bins * width, width, n_bins)
    centre = np.degrees(np.atleast_1d(population_vector_angle(counts, preferred_angles(n_e)))) % 360.0
    return t0 + width * np.arange(n_bins), centre


def msd_curve(centre_deg: np.ndarray, max_lag_bins: int) -> tuple[np.ndarray, np.ndarray]:
    """``(msd_deg2, n_pairs)`` at lags 1..``max_lag_bins`` bins (circular displacement; NaN bins skipped)."""
    centre = np.asarray(centre_deg, dtype=np.float64)
    max_lag = _checks.positive_int(max_lag_bins, "max_lag_bins")
    if max_lag >= centre.size:
        raise ValueError(f"max_lag_bins={max_lag} needs more than {max_lag} bins, got {centre.size}")
    msd, pairs = np.full(max_lag, np.nan), np.zeros(max_lag, dtype=np.int64)
    for lag in range(1, max_lag + 1):
        step = (centre[lag:] - centre[:-lag] + 180.0) % 360.0 - 180.0
        step = step[np.isfinite(step)]
        pairs[lag - 1] = step.size
        if step.size:
            msd[lag - 1] = float(np.mean(step**2))
    return msd, pairs


@dataclass(frozen=True)
class DiffusionFit:
    """Least-squares fit ``MSD(lag) = offset + 2 D lag``.

    Attributes
    ----------
    d_deg2_per_s : float
        Diffusion coefficient :math:`D`, deg^2/s.
    offset_deg2 : float
        :math:`c`, deg^2 (decoding noise).
    lags_s, msd_deg2 : ndarray
        The points fitted.
    """

    d_deg2_per_s: float
    offset_deg2: float
    lags_s: np.ndarray
    msd_deg2: np.ndarray

    def predict(self, lags_s: np.ndarray) -> np.ndarray:
        """The fitted line at ``lags_s``."""
        return self.offset_deg2 + 2.0 * self.d_deg2_per_s * np.asarray(lags_s, dtype=np.float64)


def fit_diffusion(lags_s: np.ndarray, msd_deg2: np.ndarray) -> DiffusionFit:
    """Fit ``MSD = c + 2 D lag`` (ordinary least squares over the finite points; at least 3)."""
    lags = np.asarray(lags_s, dtype=np.float64)
    msd = np.asarray(msd_deg2, dtype=np.float64)
    if lags.shape != msd.shape:
        raise ValueError(f"lags_s and msd_deg2 differ in shape: {lags.shape} vs {msd.shape}")
    ok = np.isfinite(lags) & np.isfinite(msd)
    if ok.sum() < 3:
        raise ValueError(f"need at least 3 finite MSD points to fit a diffusion coefficient, got {int(ok.sum())}")
    slope, intercept = np.polyfit(lags[ok], msd[ok], 1)
    return DiffusionFit(float(slope / 2.0), float(intercept), lags, msd)
