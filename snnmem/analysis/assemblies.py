"""Cell-assembly measures on plain arrays: weight classes and ratios, set overlaps.

numpy in, numpy out (no Brian2): they score assemblies learned by snnmem's plastic
circuits and assemblies defined on any other network's weights and spikes.
"""

from __future__ import annotations

import numpy as np

from .overlaps import overlap_01

__all__ = ["weight_classes", "weight_ratio", "set_overlap", "mean_or_nan"]


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
