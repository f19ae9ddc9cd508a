"""Cell-assembly measures on plain arrays: weight classes and ratios, set overlaps.

numpy in, numpy out (no Brian2): they score assemblies learned by snnmem's plastic
circuits and assemblies defined on any other network's weights and spikes.
"""

from __future__ import annotations

import numpy as np

from .overlaps import overlap_01

__all__ = [
    "weight_classes",
    "weight_ratio",
    "assembly_weight_ratios",
    "trained_after",
    "set_overlap",
    "window_overlaps",
    "mean_or_nan",
]


def weight_classes(i: np.ndarray, j: np.ndarray, members: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Synapses ``within`` an assembly (pre and post share one) and ``between`` assemblies.

    Parameters
    ----------
    i, j
        Pre- and postsynaptic cell of every synapse (integer arrays of one length).
    members
        Boolean membership ``[n_assemblies, n_cells]``.

    Returns
    -------
    within, between
        Boolean masks over the synapses. ``between``: pre and post both belong to some
        assembly but share none. Synapses from or onto cells outside every assembly
        are in neither class.
    """
    shared = np.zeros(i.size, dtype=bool)
    for row in members:
        shared |= row[i] & row[j]
    in_any = members.any(axis=0)
    return shared, in_any[i] & in_any[j] & ~shared


def weight_ratio(w: np.ndarray, within: np.ndarray, between: np.ndarray) -> float:
    """Mean within-assembly weight / mean between-assembly weight (NaN if undefined)."""
    if not within.any() or not between.any():
        return float("nan")
    mean_between = float(np.mean(w[between]))
    return float(np.mean(w[within]) / mean_between) if mean_between > 0 else float("inf")


def assembly_weight_ratios(w: np.ndarray, i: np.ndarray, j: np.ndarray, members: np.ndarray) -> np.ndarray:
    """Each assembly's mean internal weight / the mean between-assembly weight, ``[n_assemblies]``.

    Internal: pre and post both in that assembly; between: as in :func:`weight_classes`.
    NaN for an assembly without internal synapses or when no synapse is between assemblies.
    """
    _, between = weight_classes(i, j, members)
    mean_between = float(np.mean(w[between])) if between.any() else float("nan")
    ratios = np.full(members.shape[0], np.nan)
    for k, row in enumerate(members):
        internal = row[i] & row[j]
        if internal.any() and mean_between > 0:
            ratios[k] = float(np.mean(w[internal])) / mean_between
    return ratios


def trained_after(events: np.ndarray, n_assemblies: int) -> np.ndarray:
    """For each assembly, how many other assemblies were presented after its last presentation.

    Parameters
    ----------
    events : array ``[n, 3]``
        Training presentations ``(start_s, stop_s, assembly)`` (0-based assembly), any order.
    n_assemblies : int
        Number of assemblies (an assembly never presented gets -1).

    Returns
    -------
    numpy.ndarray of int
        The retroactive-interference load of every assembly: distinct other assemblies
        whose presentations started after its last one ended.
    """
    events = np.asarray(events, dtype=float).reshape(-1, 3)
    counts = np.full(n_assemblies, -1, dtype=np.int64)
    for k in range(n_assemblies):
        mine = events[events[:, 2] == k]
        if mine.size:
            last_end = mine[:, 1].max()
            later = events[(events[:, 0] >= last_end) & (events[:, 2] != k), 2]
            counts[k] = np.unique(later).size
    return counts


def set_overlap(active: np.ndarray, cells: np.ndarray) -> float:
    """Overlap of a cell set with the activity: :math:`(A_X - A)/(1 - a_X)`.

    ``active`` is the 0/1 state of every cell in a window, ``cells`` a boolean mask
    of the set :math:`X`, :math:`A_X` the fraction of :math:`X` active, :math:`A` the
    fraction of all cells active and :math:`a_X = |X|/N`. Computed as
    :func:`snnmem.analysis.overlap_01` with the set as pattern and coding level
    :math:`a_X`: 1 when exactly the set is active, 0 when it is as active as the
    network. NaN for an empty set (or one holding every cell).
    """
    size = int(cells.sum())
    if size == 0 or size == cells.size:
        return float("nan")
    return float(overlap_01(active.astype(float), cells[None, :].astype(float), size / cells.size)[0])


def window_overlaps(
    node_ids: np.ndarray,
    timestamps: np.ndarray,
    members: np.ndarray,
    t_start: float,
    t_stop: float,
    window_s: float,
    min_spikes: int,
) -> np.ndarray:
    """Overlap of every cell set with the activity in consecutive windows: :func:`set_overlap` per window.

    The spontaneous counterpart of a recall trial's overlaps: in each window of
    ``window_s`` from ``t_start`` (as many whole windows as fit before ``t_stop``), a
    cell is active with at least ``min_spikes`` spikes, and every set's overlap is
    :math:`(A_X - A)/(1 - a_X)` (1: exactly the set active, 0: as active as the network).

    Parameters
    ----------
    node_ids, timestamps : ndarray
        Spikes: cell index in ``[0, n_cells)`` and time (s).
    members : ndarray
        Boolean ``[n_sets, n_cells]``; every set non-empty and smaller than the network.
    t_start, t_stop : float
        Span in seconds; it must hold at least one window.
    window_s : float
        Window length in seconds.
    min_spikes : int
        Spikes that make a cell active in a window (at least 1).

    Returns
    -------
    ndarray of float64, shape (n_windows, n_sets)

    Raises
    ------
    ValueError
        ``members`` not 2-D, an empty set or one of every cell, a window that is not a
        positive number, ``min_spikes`` below 1, a span without a whole window, or spikes
        that :func:`snnmem.analysis.binning.bin_spikes` rejects.
    """
    from .binning import bin_spikes

    sets = np.asarray(members, dtype=bool)
    if sets.ndim != 2:
        raise ValueError(f"members must be a 2-D boolean array [n_sets, n_cells], got shape {sets.shape}")
    sizes = sets.sum(axis=1)
    if np.any(sizes == 0) or np.any(sizes == sets.shape[1]):
        raise ValueError("members: every set must hold at least one cell and not every cell")
    if not (np.isfinite(window_s) and window_s > 0):
        raise ValueError(f"window_s must be a positive number of seconds, got {window_s!r}")
    if int(min_spikes) < 1:
        raise ValueError(f"min_spikes must be at least 1, got {min_spikes!r}")
    n_windows = int(np.floor((t_stop - t_start) / window_s + 1e-9))
    if n_windows < 1:
        raise ValueError(f"[{t_start!r}, {t_stop!r}) s holds no window of {window_s!r} s")
    counts = bin_spikes(node_ids, timestamps, sets.shape[1], t_start, t_start + n_windows * window_s, window_s)
    active = (counts[:, :n_windows] >= int(min_spikes)).astype(np.float64)
    share_in_set = (sets.astype(np.float64) @ active) / sizes[:, None]
    share_all = active.mean(axis=0)
    return ((share_in_set - share_all[None, :]) / (1.0 - sizes / sets.shape[1])[:, None]).T


def mean_or_nan(values: np.ndarray) -> float:
    """Mean of the finite values; NaN when there is none (e.g. a full cue leaves no member uncued)."""
    values = np.asarray(values, dtype=float)
    finite = values[np.isfinite(values)]
    return float(finite.mean()) if finite.size else float("nan")
