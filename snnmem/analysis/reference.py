"""Plain-numpy references of every analysis kernel: the same maths, written to be obviously right.

These are the oracle of the property tests and the "best vectorised numpy"
baseline of ``benchmarks/analysis.py`` (np.bincount on flat indices plus matrix
products; no np.histogram2d, whose edge handling differs from
``floor((t - t_start) / bin_width)``). They do no input validation: pass clean,
in-range arrays. Each function documents which public function it mirrors.
"""

from __future__ import annotations

import math

import numpy as np

from ._checks import BIN_COUNT_TOLERANCE


def n_bins_reference(t_start: float, t_stop: float, bin_width: float) -> int:
    """Whole bins in ``[t_start, t_stop)``: ``floor((t_stop - t_start) / bin_width + 1e-9)``."""
    return int(math.floor((t_stop - t_start) / bin_width + BIN_COUNT_TOLERANCE))


def spike_bins_reference(
    timestamps: np.ndarray, t_start: float, t_stop: float, bin_width: float, n_bins: int
) -> tuple[np.ndarray, np.ndarray]:
    """``(keep mask, bin index of the kept spikes)`` under the bin convention."""
    t = np.asarray(timestamps, dtype=np.float64)
    inside = (t >= t_start) & (t < t_stop)
    bins = np.floor((t[inside] - t_start) / bin_width).astype(np.int64)
    keep = inside.copy()
    keep[inside] = bins < n_bins
    return keep, bins[bins < n_bins]


def bin_spikes_reference(node_ids, timestamps, n_neurons, t_start, t_stop, bin_width) -> np.ndarray:
    """Mirror of :func:`snnmem.analysis.binning.bin_spikes`: bincount of ``id * n_bins + bin``."""
    n_bins = n_bins_reference(t_start, t_stop, bin_width)
    keep, bins = spike_bins_reference(timestamps, t_start, t_stop, bin_width, n_bins)
    flat = np.asarray(node_ids)[keep].astype(np.int64) * n_bins + bins
    return np.bincount(flat, minlength=n_neurons * n_bins).reshape(n_neurons, n_bins).astype(np.int32)


def neuron_rates_reference(node_ids, timestamps, n_neurons, t_start, t_stop) -> np.ndarray:
    """Mirror of :func:`snnmem.analysis.binning.neuron_rates`."""
    t = np.asarray(timestamps, dtype=np.float64)
    keep = (t >= t_start) & (t < t_stop)
    return np.bincount(np.asarray(node_ids)[keep].astype(np.int64), minlength=n_neurons) / (t_stop - t_start)


def group_rates_reference(node_ids, timestamps, groups, t_start, t_stop, bin_width) -> np.ndarray:
    """Mirror of :func:`snnmem.analysis.binning.group_rates`: membership @ counts."""
    member = np.asarray(groups, dtype=np.float64)
    counts = bin_spikes_reference(node_ids, timestamps, member.shape[1], t_start, t_stop, bin_width)
    with np.errstate(invalid="ignore", divide="ignore"):
        return (member @ counts).T / (member.sum(axis=1)[None, :] * bin_width)


def population_rate_reference(node_ids, timestamps, n_neurons, t_start, t_stop, bin_width) -> np.ndarray:
    """Mirror of :func:`snnmem.analysis.binning.population_rate`."""
    n_bins = n_bins_reference(t_start, t_stop, bin_width)
    _, bins = spike_bins_reference(timestamps, t_start, t_stop, bin_width, n_bins)
    return np.bincount(bins, minlength=n_bins) / (n_neurons * bin_width)


def population_vector_angle_reference(activity, preferred_angles_rad) -> np.ndarray:
    """Mirror of :func:`snnmem.analysis.decoding.population_vector_angle` (2-D activity)."""
    a = np.asarray(activity, dtype=np.float64)
    theta = np.asarray(preferred_angles_rad, dtype=np.float64)
    y, x = np.sin(theta) @ a, np.cos(theta) @ a
    angle = np.mod(np.arctan2(y, x), 2 * np.pi)
    angle[angle >= 2 * np.pi] = 0.0
    angle[np.hypot(x, y) <= 1e-9 * np.abs(a.sum(axis=0))] = np.nan
    return angle


def overlap_pm1_reference(activity, patterns) -> np.ndarray:
    """Mirror of :func:`snnmem.analysis.overlaps.overlap_pm1` (2-D activity): ``(xi @ S).T / N``."""
    xi = np.atleast_2d(np.asarray(patterns, dtype=np.float64))
    return (xi @ np.asarray(activity, dtype=np.float64)).T / xi.shape[1]


def overlap_01_reference(activity, patterns, coding_level) -> np.ndarray:
    """Mirror of :func:`snnmem.analysis.overlaps.overlap_01` (2-D activity)."""
    xi = np.atleast_2d(np.asarray(patterns, dtype=np.float64))
    a = coding_level
    return ((xi - a) @ np.asarray(activity, dtype=np.float64)).T / (xi.shape[1] * a * (1 - a))


def pattern_correlation_reference(activity, patterns) -> np.ndarray:
    """Mirror of :func:`snnmem.analysis.overlaps.pattern_correlation` (2-D activity)."""
    s = np.asarray(activity, dtype=np.float64)
    xi = np.atleast_2d(np.asarray(patterns, dtype=np.float64))
    s_c = s - s.mean(axis=0, keepdims=True)
    xi_c = xi - xi.mean(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        r = (xi_c @ s_c).T / np.outer(np.sqrt((s_c**2).sum(axis=0)), np.sqrt((xi_c**2).sum(axis=1)))
    r[~np.isfinite(r)] = np.nan
    return r


def spike_overlaps_reference(
    node_ids, timestamps, patterns, t_start, t_stop, bin_width, coding="pm1", coding_level=None
):
    """Mirror of :func:`snnmem.analysis.overlaps.spike_overlaps`: bin, then overlap."""
    xi = np.atleast_2d(np.asarray(patterns, dtype=np.float64))
    counts = bin_spikes_reference(node_ids, timestamps, xi.shape[1], t_start, t_stop, bin_width)
    if coding == "pm1":
        return overlap_pm1_reference(counts, xi)
    return overlap_01_reference(counts, xi, coding_level)


def _trains(node_ids, timestamps, n_neurons) -> list[np.ndarray]:
    ids = np.asarray(node_ids, dtype=np.int64)
    t = np.asarray(timestamps, dtype=np.float64)
    return [np.sort(t[ids == u]) for u in range(n_neurons)]


def van_rossum_matrix_reference(node_ids, timestamps, n_neurons, tau) -> np.ndarray:
    """Mirror of :func:`snnmem.analysis.distances.van_rossum_matrix` (no window).

    Pair by pair: :math:`G_{uv} = \\sum_{i,j} e^{-|t_i - s_j|/\\tau}`,
    :math:`D_{uv} = \\sqrt{\\max(0, G_{uu} + G_{vv} - 2G_{uv})}`.
    """
    trains = _trains(node_ids, timestamps, n_neurons)
    gram = np.empty((n_neurons, n_neurons))
    for u in range(n_neurons):
        for v in range(u, n_neurons):
            gram[u, v] = gram[v, u] = np.exp(-np.abs(trains[u][:, None] - trains[v][None, :]) / tau).sum()
    d = np.diag(gram)
    return np.sqrt(np.maximum(d[:, None] + d[None, :] - 2 * gram, 0.0))


def _victor_purpura_pair_reference(a: np.ndarray, b: np.ndarray, q: float) -> float:
    """One row of the dynamic programme at a time, vectorised along the row.

    With ``h[j] = min(G[i-1, j] + 1, G[i-1, j-1] + q|a_i - b_j|)``, the row is
    ``G[i, j] = min_{k <= j} (h[k] + j - k)``, i.e. ``j + cummin(h - arange)``.
    """
    if a.size == 0 or b.size == 0:
        return float(max(a.size, b.size))
    steps = np.arange(b.size + 1, dtype=np.float64)
    row = steps.copy()
    for i, ai in enumerate(a, start=1):
        h = np.empty(b.size + 1)
        h[0] = i
        h[1:] = np.minimum(row[1:] + 1.0, row[:-1] + q * np.abs(ai - b))
        row = steps + np.minimum.accumulate(h - steps)
    return float(row[-1])


def victor_purpura_matrix_reference(node_ids, timestamps, n_neurons, q) -> np.ndarray:
    """Mirror of :func:`snnmem.analysis.distances.victor_purpura_matrix` (no window)."""
    trains = _trains(node_ids, timestamps, n_neurons)
    out = np.zeros((n_neurons, n_neurons))
    for u in range(n_neurons):
        for v in range(u + 1, n_neurons):
            out[u, v] = out[v, u] = _victor_purpura_pair_reference(trains[u], trains[v], q)
    return out


def replay_events_reference(
    node_ids,
    timestamps,
    patterns,
    t_start,
    t_stop,
    bin_width=0.005,
    smooth=0.015,
    threshold_sd=3.0,
    edge_sd=1.0,
    merge_gap=1,
    min_duration=0.01,
    min_score=0.2,
    margin=0.1,
    burst_cells=None,
) -> list[tuple[float, float, int, float]]:
    """Mirrors :func:`snnmem.analysis.replay.detect_replay_events`: ``[(start, stop, pattern, score), ...]``.

    Written bin by bin and event by event with Python loops.
    """
    members = np.asarray(patterns) >= 0.5
    n_neurons = members.shape[1]
    n_bins = n_bins_reference(t_start, t_stop, bin_width)
    if burst_cells is None:
        raw = population_rate_reference(node_ids, timestamps, n_neurons, t_start, t_stop, bin_width)[:n_bins]
    else:  # the rate of the burst cells only
        cells = np.flatnonzero(burst_cells)
        inside = [k for k, cell in enumerate(node_ids) if cell in set(cells.tolist())]
        local = [int(np.searchsorted(cells, node_ids[k])) for k in inside]
        times = [timestamps[k] for k in inside]
        raw = population_rate_reference(
            np.asarray(local, dtype=np.int64), np.asarray(times, dtype=float), cells.size, t_start, t_stop, bin_width
        )[:n_bins]
    half = max(1, int(round(smooth / bin_width))) // 2
    width = max(1, int(round(smooth / bin_width)))
    rate = np.empty(n_bins)
    for b in range(n_bins):  # centred boxcar of `width` bins, averaging what lies inside the window
        lo = b - half
        hi = lo + width
        rate[b] = raw[max(lo, 0) : min(hi, n_bins)].mean()
    peak = rate.mean() + threshold_sd * rate.std()
    edge = rate.mean() + edge_sd * rate.std()
    runs, current, gap = [], None, 0
    for b in range(n_bins):
        if rate[b] >= edge:
            if current is not None and gap <= merge_gap:
                current[1] = b + 1
            else:
                if current is not None:
                    runs.append(current)
                current = [b, b + 1]
            gap = 0
        else:
            gap += 1
    if current is not None:
        runs.append(current)
    min_bins = max(1, math.ceil(min_duration / bin_width - 1e-9))
    out = []
    for lo, hi in runs:
        if hi - lo < min_bins or rate[lo:hi].max() < peak:
            continue
        start, stop = t_start + lo * bin_width, t_start + hi * bin_width
        inside = (timestamps >= start) & (timestamps < stop)
        fired = np.zeros(n_neurons)
        fired[np.unique(node_ids[inside])] = 1.0
        overall = fired.mean()
        scores = []
        for row in members:
            coding = row.mean()
            scores.append((fired[row].mean() - overall) / (1 - coding))
        ranked = sorted(range(len(scores)), key=lambda k: -scores[k])
        best = scores[ranked[0]]
        second = scores[ranked[1]] if len(scores) > 1 else -np.inf
        pattern = ranked[0] + 1 if best >= min_score and best - second >= margin else 0
        out.append((start, stop, pattern, best))
    return out
