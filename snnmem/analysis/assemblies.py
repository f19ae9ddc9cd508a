"""Cell-assembly measures on plain arrays: weight classes and ratios, set overlaps.

numpy in, numpy out (no Brian2): they score assemblies learned by snnmem's plastic
circuits and assemblies defined on any other network's weights and spikes.
"""

from __future__ import annotations

import numpy as np

from .overlaps import overlap_01

__all__ = ["weight_classes", "weight_ratio", "assembly_weight_ratios", "trained_after", "set_overlap", "mean_or_nan"]


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


def mean_or_nan(values: np.ndarray) -> float:
    """Mean of the finite values; NaN when there is none (e.g. a full cue leaves no member uncued)."""
    values = np.asarray(values, dtype=float)
    finite = values[np.isfinite(values)]
    return float(finite.mean()) if finite.size else float("nan")
