"""Replay events: population bursts and which stored pattern each one reactivates.

Replay is measured, not assumed: from the spikes of a population and the patterns it
stores (a memory map's weights, or any ``[n_patterns, n_neurons]`` 0/1 matrix), find the
population bursts and score every pattern's participation in each.

Method
------
1. **Bursts.** The population rate :math:`R[b]` in bins of ``bin_width`` over
   ``[t_start, t_stop)``, smoothed by a centred boxcar of ``smooth`` seconds. As in the
   detection of sharp-wave ripples and replay from multi-unit activity, an event is a run
   of bins above the *edge* threshold :math:`\\bar R + e\\,\\sigma_R` (``edge_sd`` = e) that
   reaches the *peak* threshold :math:`\\bar R + k\\,\\sigma_R` (``threshold_sd`` = k; mean
   and sd of the smoothed rate over the window), or ``threshold_hz`` when that is given.
   Runs separated by at most ``merge_gap`` bins below the edge are merged; events shorter
   than ``min_duration`` are dropped.
2. **Participation.** In an event, cell *i* takes part when it fires at least once in
   ``[start, stop)``. Pattern *k*'s participation is the fraction :math:`A_k` of its cells
   (weight >= 0.5) that take part; :math:`A` is the fraction of all cells. Its **score**
   is the set overlap :math:`s_k = (A_k - A)/(1 - a_k)` with :math:`a_k` the pattern's
   coding level (:func:`snnmem.analysis.assemblies.set_overlap`): 1 when exactly the
   pattern fires, 0 when it takes part no more than the population.
3. **Which pattern.** The event replays the pattern with the highest score if that score
   is at least ``min_score`` and exceeds the second highest by ``margin``; otherwise the
   event is an unspecific burst (pattern 0).

Returns a structured array, one row per event (see :data:`EVENT_DTYPE`). The counting
is one numba pass over time-sorted spikes (:func:`event_participation`);
:func:`snnmem.analysis.reference.replay_events_reference` is its plain-numpy twin.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from . import _checks
from .binning import population_rate

__all__ = [
    "EVENT_DTYPE",
    "REACTIVATION_DTYPE",
    "detect_replay_events",
    "pattern_reactivations",
    "reactivation_rates",
    "event_participation",
    "burst_windows",
    "pattern_scores",
]

#: One replay event: ``start_s``, ``stop_s``, ``peak_s`` (centre of the highest bin),
#: ``peak_rate_hz`` (population rate there), ``pattern`` (1-based; 0 = unspecific burst),
#: ``score`` (the winner's set overlap), ``second_score`` (the runner-up's), ``participation``
#: (fraction of all cells that fired).
EVENT_DTYPE = np.dtype(
    [
        ("start_s", "f8"),
        ("stop_s", "f8"),
        ("peak_s", "f8"),
        ("peak_rate_hz", "f8"),
        ("pattern", "i4"),
        ("score", "f8"),
        ("second_score", "f8"),
        ("participation", "f8"),
    ]
)

#: One burst of a pattern's own cells (:func:`pattern_reactivations`): the :data:`EVENT_DTYPE`
#: fields, scored against every pattern, and ``source`` (1-based), the pattern whose cells burst.
#: The burst is a *selective reactivation* of its source when ``pattern == source``.
REACTIVATION_DTYPE = np.dtype(EVENT_DTYPE.descr + [("source", "i4")])


@njit(cache=True)
def _participation_kernel(node_ids, timestamps, starts, stops, n_neurons, fired):
    """``fired[e, i] = 1`` when cell i spikes in ``[starts[e], stops[e])``; spikes sorted by time, events too."""
    n_events = starts.size
    first = 0
    for e in range(n_events):
        while first < timestamps.size and timestamps[first] < starts[e]:
            first += 1
        k = first
        while k < timestamps.size and timestamps[k] < stops[e]:
            cell = node_ids[k]
            if 0 <= cell < n_neurons:
                fired[e, cell] = 1
            k += 1


def event_participation(
    node_ids: np.ndarray, timestamps: np.ndarray, n_neurons: int, starts: np.ndarray, stops: np.ndarray
) -> np.ndarray:
    """Which cells fire in each window: uint8 ``[n_events, n_neurons]``.

    ``starts``/``stops`` (seconds) must be sorted and non-overlapping; the spikes are
    sorted here if they are not.
    """
    ids, times = _checks.spike_arrays(node_ids, timestamps)
    n = _checks.positive_int(n_neurons, "n_neurons")
    starts = np.ascontiguousarray(starts, dtype=np.float64)
    stops = np.ascontiguousarray(stops, dtype=np.float64)
    if starts.shape != stops.shape or starts.ndim != 1:
        raise ValueError(f"starts and stops must be 1-D of one length, got {starts.shape} and {stops.shape}")
    if starts.size and (np.any(stops <= starts) or np.any(starts[1:] < stops[:-1])):
        raise ValueError("event windows must be non-empty, sorted and non-overlapping")
    if ids.size and ids.max() >= n:
        raise ValueError(f"node_ids must be < n_neurons = {n}, found {ids.max()}")
    if times.size > 1 and np.any(np.diff(times) < 0):
        order = np.argsort(times, kind="stable")
        ids, times = ids[order], times[order]
    fired = np.zeros((starts.size, n), dtype=np.uint8)
    _participation_kernel(ids.astype(np.int64), times, starts, stops, n, fired)
    return fired


def burst_windows(
    rate: np.ndarray,
    t_start: float,
    bin_width: float,
    peak: float,
    edge: float,
    merge_gap: int,
    min_bins: int,
) -> list[tuple[float, float, float, float]]:
    """``(start_s, stop_s, peak_s, peak_rate)`` of every run of bins ``>= edge`` that reaches ``peak``.

    Runs separated by at most ``merge_gap`` bins below ``edge`` are merged (before the
    peak test); runs shorter than ``min_bins`` bins are dropped.
    """
    above = np.flatnonzero(rate >= edge)
    windows = []
    if above.size == 0:
        return windows
    breaks = np.flatnonzero(np.diff(above) > merge_gap + 1)
    for first, last in zip(np.r_[0, breaks + 1], np.r_[breaks, above.size - 1]):
        lo, hi = int(above[first]), int(above[last]) + 1
        top = lo + int(np.argmax(rate[lo:hi]))
        if hi - lo < min_bins or rate[top] < peak:
            continue
        windows.append(
            (t_start + lo * bin_width, t_start + hi * bin_width, t_start + (top + 0.5) * bin_width, float(rate[top]))
        )
    return windows


def smoothed(rate: np.ndarray, bins: int) -> np.ndarray:
    """Centred boxcar mean over ``bins`` bins (1: unchanged); the edges average what they have."""
    if bins <= 1:
        return rate
    kernel = np.ones(bins)
    return np.convolve(rate, kernel, mode="same") / np.convolve(np.ones_like(rate), kernel, mode="same")


def detect_replay_events(
    node_ids: np.ndarray,
    timestamps: np.ndarray,
    patterns: np.ndarray,
    t_start: float,
    t_stop: float,
    *,
    bin_width: float = 0.005,
    smooth: float = 0.015,
    threshold_sd: float = 3.0,
    edge_sd: float = 1.0,
    threshold_hz: float | None = None,
    merge_gap: int = 1,
    min_duration: float = 0.01,
    min_score: float = 0.2,
    margin: float = 0.1,
    burst_cells: np.ndarray | None = None,
) -> np.ndarray:
    """Population bursts in ``[t_start, t_stop)`` and the stored pattern each reactivates.

    Parameters
    ----------
    node_ids, timestamps
        Spikes of the population that stores the patterns (seconds).
    patterns
        ``[n_patterns, n_neurons]`` weights; a cell belongs to a pattern at weight >= 0.5
        (a memory map's ``weights``).
    t_start, t_stop
        The window searched (s).
    bin_width
        Bin of the population rate (s).
    smooth
        Width of the boxcar that smooths the rate (s; 0 or less than a bin: none).
    threshold_sd, edge_sd, threshold_hz
        An event's peak reaches ``mean + threshold_sd * sd`` of the smoothed rate (or
        ``threshold_hz`` when given); it extends while the rate stays above
        ``mean + edge_sd * sd`` (or ``threshold_hz`` times ``edge_sd / threshold_sd``).
    merge_gap
        Bins below the edge that may separate two parts of one event.
    min_duration
        Shortest event (s).
    min_score, margin
        The winning pattern's score must reach ``min_score`` and beat the second by
        ``margin``; otherwise ``pattern`` is 0.
    burst_cells
        Boolean mask ``[n_neurons]``: the bursts are found in the population rate of these
        cells only (e.g. the cells of the stored patterns, so that a burst of one small
        pattern is not diluted by cells that store nothing); participation and scores
        still use every cell. None: every cell.

    Returns
    -------
    ndarray of :data:`EVENT_DTYPE`, one row per event, in time order.
    """
    ids, times = _checks.spike_arrays(node_ids, timestamps)
    weights = np.asarray(patterns, dtype=float)
    if weights.ndim != 2 or weights.shape[0] < 1:
        raise ValueError(f"patterns must be 2-D [n_patterns, n_neurons], got shape {weights.shape}")
    members = weights >= 0.5
    n_neurons = weights.shape[1]
    if np.any(members.sum(axis=1) == 0):
        raise ValueError("every pattern needs at least one cell with weight >= 0.5")
    start, stop = _checks.time_window(t_start, t_stop)
    width, _ = _checks.bin_count(start, stop, bin_width)
    shortest = _checks.positive_float(_checks.seconds(min_duration, "min_duration"), "min_duration")
    min_bins = max(1, int(np.ceil(shortest / width - 1e-9)))
    if merge_gap < 0:
        raise ValueError(f"merge_gap must be >= 0, got {merge_gap}")
    k_peak = _checks.finite_float(threshold_sd, "threshold_sd")
    k_edge = _checks.finite_float(edge_sd, "edge_sd")
    if k_edge > k_peak:
        raise ValueError(f"edge_sd ({k_edge}) must not exceed threshold_sd ({k_peak})")
    smooth_bins = max(1, int(round(_checks.seconds(smooth, "smooth") / width)))
    if burst_cells is None:
        rate = population_rate(ids, times, n_neurons, start, stop, width)
    else:
        mask = np.asarray(burst_cells, dtype=bool)
        if mask.shape != (n_neurons,) or not mask.any():
            raise ValueError(f"burst_cells must be a boolean mask of {n_neurons} cells with at least one True")
        inside = mask[ids]
        local = (np.cumsum(mask) - 1)[ids[inside]]
        rate = population_rate(local, times[inside], int(mask.sum()), start, stop, width)
    rate = smoothed(rate, smooth_bins)
    if threshold_hz is None:
        peak, edge = rate.mean() + k_peak * rate.std(), rate.mean() + k_edge * rate.std()
    else:
        peak = _checks.positive_float(threshold_hz, "threshold_hz")
        edge = peak * k_edge / k_peak if k_peak > 0 else peak
    windows = burst_windows(rate, start, width, peak, edge, int(merge_gap), min_bins)
    events = np.zeros(len(windows), dtype=EVENT_DTYPE)
    if not windows:
        return events
    table = np.asarray(windows)
    fired = event_participation(ids, times, n_neurons, table[:, 0], table[:, 1]).astype(float)
    scores = pattern_scores(fired, members)
    events["start_s"], events["stop_s"], events["peak_s"], events["peak_rate_hz"] = table.T
    events["participation"] = fired.mean(axis=1)
    order = np.argsort(-scores, axis=1)
    best = scores[np.arange(len(windows)), order[:, 0]]
    second = scores[np.arange(len(windows)), order[:, 1]] if scores.shape[1] > 1 else np.full(len(windows), -np.inf)
    specific = (best >= min_score) & (best - second >= margin)
    events["pattern"] = np.where(specific, order[:, 0] + 1, 0)
    events["score"] = best
    events["second_score"] = np.where(np.isfinite(second), second, np.nan)
    return events


def pattern_scores(fired: np.ndarray, members: np.ndarray) -> np.ndarray:
    """Set overlap of every pattern in every event, ``[n_events, n_patterns]``: ``(A_k - A) / (1 - a_k)``."""
    sizes = members.sum(axis=1)
    coding = sizes / members.shape[1]
    pattern_active = fired @ members.T.astype(float) / sizes  # A_k
    overall = fired.mean(axis=1, keepdims=True)  # A
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(coding < 1, (pattern_active - overall) / (1 - coding), np.nan)


def pattern_reactivations(
    node_ids: np.ndarray,
    timestamps: np.ndarray,
    patterns: np.ndarray,
    t_start: float,
    t_stop: float,
    *,
    threshold_hz: float,
    **options: float,
) -> np.ndarray:
    """Bursts of each pattern's own cells in ``[t_start, t_stop)``, and whether that pattern stands out in them.

    For every pattern *k*, the bursts of the mean rate of *k*'s cells above ``threshold_hz``
    (:func:`detect_replay_events` with ``burst_cells`` = *k*'s cells), each scored against
    every pattern. Patterns may share cells (overlapping assemblies): a burst of shared
    cells appears once per pattern, and at most one of those rows is selective.

    Parameters
    ----------
    node_ids, timestamps
        Spikes of the population (seconds).
    patterns
        ``[n_patterns, n_neurons]`` weights; a cell belongs to a pattern at weight >= 0.5.
    t_start, t_stop
        The window searched (s).
    threshold_hz
        Peak rate of the pattern's cells that makes a burst (Hz); the edges at
        ``edge_sd / threshold_sd`` of it (:func:`detect_replay_events`).
    **options
        Any other keyword of :func:`detect_replay_events` (``min_score``, ``margin``,
        ``bin_width``, ...).

    Returns
    -------
    ndarray of :data:`REACTIVATION_DTYPE`, in time order: ``source`` the pattern whose cells
    burst, ``pattern`` the pattern that stands out (0: none), ``score`` and
    ``second_score`` the two highest set overlaps.
    """
    weights = np.asarray(patterns, dtype=float)
    if weights.ndim != 2 or weights.shape[0] < 1:
        raise ValueError(f"patterns must be 2-D [n_patterns, n_neurons], got shape {weights.shape}")
    if "burst_cells" in options:
        raise ValueError("burst_cells is set by pattern_reactivations: each pattern's own cells")
    found = []
    for k in range(weights.shape[0]):
        events = detect_replay_events(
            node_ids,
            timestamps,
            weights,
            t_start,
            t_stop,
            threshold_hz=threshold_hz,
            burst_cells=weights[k] >= 0.5,
            **options,
        )
        rows = np.zeros(events.size, dtype=REACTIVATION_DTYPE)
        for name in EVENT_DTYPE.names:
            rows[name] = events[name]
        rows["source"] = k + 1
        found.append(rows)
    return np.sort(np.concatenate(found), order=["start_s", "source"], kind="stable")


def reactivation_rates(events: np.ndarray, n_patterns: int, duration_s: float) -> dict[str, np.ndarray | float]:
    """Per-pattern burst and selective-reactivation rates from :func:`pattern_reactivations`.

    Parameters
    ----------
    events
        :data:`REACTIVATION_DTYPE` rows.
    n_patterns
        Patterns searched (rows 1..n_patterns; a pattern without a burst counts 0).
    duration_s
        Length of the window searched (s).

    Returns
    -------
    dict
        ``bursts_per_min`` and ``selective_per_min`` (arrays ``[n_patterns]``: bursts of the
        pattern's cells, and those in which the pattern stands out, per minute),
        ``mean_bursts_per_min``, ``mean_selective_per_min`` (means over patterns) and
        ``selectivity`` (selective / all bursts, pooled over patterns; NaN without a burst).
    """
    n = _checks.positive_int(n_patterns, "n_patterns")
    minutes = _checks.positive_float(duration_s, "duration_s") / 60.0
    source = np.asarray(events["source"], dtype=np.int64)
    selective = np.asarray(events["pattern"], dtype=np.int64) == source
    bursts = np.bincount(source, minlength=n + 1)[1 : n + 1] / minutes
    chosen = np.bincount(source[selective], minlength=n + 1)[1 : n + 1] / minutes
    return {
        "bursts_per_min": bursts,
        "selective_per_min": chosen,
        "mean_bursts_per_min": float(bursts.mean()),
        "mean_selective_per_min": float(chosen.mean()),
        "selectivity": float(selective.mean()) if source.size else float("nan"),
    }
