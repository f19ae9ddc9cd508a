"""Memory scores from spikes and a memory map: one vocabulary for every model and task.

A **memory map** says which excitatory cells encode which memory item: a weight per
item and cell (0/1 for pools and assemblies, a tuning curve over angle for a ring).
The functions here turn spikes (the run-file layout: ``node_ids``, ``timestamps`` in
seconds) plus a memory map into the scores every task reports, so a Brunel–Wang pool
network, a Compte ring and an STDP assembly network are scored the same way. numpy in,
numpy out; no Brian2.

Vocabulary (names and units; every task documents which it writes)
-------------------------------------------------------------------
======================  =====  ======================================================
``rate_<item>_hz``       Hz    weighted mean rate of an item's cells (:func:`item_rates`)
``items_held``           1     items whose rate is >= the map's ``held_threshold_hz``
                               (on a ring: bumps, see :func:`items_held`)
``held``                 0/1   the cued item is held
``recalled_item``        1     1-based item with the highest rate if it is held, 0 if none
``recall_correct``       0/1   ``recalled_item`` is the cued item
``recalled_angle_deg``   deg   population-vector angle (circular maps only)
``angle_error_deg``      deg   circular distance between cue and recalled angle
``max_uncued_rate_hz``   Hz    the highest rate of an item that was not cued
``completion_rate_hz``   Hz    mean rate of the cued item's core cells that were not
                               cued (:func:`completion_scores`)
``completed``            0/1   ``completion_rate_hz`` >= ``held_threshold_hz``
``max_other_rate_hz``    Hz    the highest rate of another item in the same window
``specificity``          1     ``(completion - max_other) / (completion + max_other)``
======================  =====  ======================================================
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .binning import neuron_rates
from .decoding import circular_distance, population_vector_angle

__all__ = [
    "MemoryMap",
    "item_rates",
    "items_held",
    "recalled_item",
    "decoded_angle_deg",
    "angle_error_deg",
    "completion_scores",
    "SCORE_UNITS",
]

#: Score name (or name pattern) -> unit, the table in the module docstring as data.
SCORE_UNITS = {
    "rate_<item>_hz": "Hz",
    "items_held": "items",
    "held": "0/1",
    "recalled_item": "item (1-based, 0 = none)",
    "recall_correct": "0/1",
    "recalled_angle_deg": "deg",
    "angle_error_deg": "deg",
    "max_uncued_rate_hz": "Hz",
    "completion_rate_hz": "Hz",
    "completed": "0/1",
    "max_other_rate_hz": "Hz",
    "specificity": "1 (-1 to 1)",
}


@dataclass(frozen=True, eq=False)
class MemoryMap:
    """Which excitatory cells encode which memory item.

    Attributes
    ----------
    weights
        ``[n_items, n_cells]``, each in ``[0, 1]``: how much cell ``i`` belongs to
        item ``k`` (0/1 for pools and assemblies; a tuning curve for a ring). Every
        item has at least one cell with weight > 0.
    labels
        One short name per item (``"item1"``, ``"180deg"``).
    held_threshold_hz
        An item is held while the weighted rate of its cells is at least this.
    item_angles_deg, cell_angles_deg
        Circular maps only (rings): each item's angle and each cell's preferred
        angle, so that a recalled angle can be decoded.
    population
        The spike population the map refers to (``"exc"``).
    index_population
        Circuits that bind each item to an index elsewhere (``consolidation``: a
        hippocampus-like area): the spike population of those indices; "" otherwise.
    """

    weights: np.ndarray
    labels: tuple[str, ...]
    held_threshold_hz: float
    item_angles_deg: np.ndarray | None = None
    cell_angles_deg: np.ndarray | None = None
    population: str = "exc"
    index_population: str = ""

    def __post_init__(self) -> None:
        weights = np.asarray(self.weights, dtype=float)
        if weights.ndim != 2 or weights.shape[0] < 1:
            raise ValueError(f"memory map weights must be [n_items, n_cells], got shape {weights.shape}")
        if not np.all((weights >= 0) & (weights <= 1)):
            raise ValueError("memory map weights must lie in [0, 1]")
        if np.any(weights.sum(axis=1) <= 0):
            raise ValueError("every memory item needs at least one cell with weight > 0")
        if len(self.labels) != weights.shape[0]:
            raise ValueError(f"{len(self.labels)} labels for {weights.shape[0]} items")
        if not (np.isfinite(self.held_threshold_hz) and self.held_threshold_hz > 0):
            raise ValueError(f"held_threshold_hz must be positive, got {self.held_threshold_hz}")
        object.__setattr__(self, "weights", weights)
        if (self.item_angles_deg is None) != (self.cell_angles_deg is None):
            raise ValueError("give both item_angles_deg and cell_angles_deg (circular map) or neither")

    @property
    def n_items(self) -> int:
        return self.weights.shape[0]

    @property
    def n_cells(self) -> int:
        return self.weights.shape[1]

    @property
    def circular(self) -> bool:
        """True for a ring: items are angles and a recalled angle can be decoded."""
        return self.item_angles_deg is not None

    def item(self, number: int) -> np.ndarray:
        """Weights of item ``number`` (1-based), ``[n_cells]``; ValueError naming the range otherwise."""
        if not 1 <= int(number) <= self.n_items:
            raise ValueError(f"item {number}: this memory map has items 1 to {self.n_items}")
        return self.weights[int(number) - 1]

    def core_cells(self, number: int) -> np.ndarray:
        """Indices of the cells that belong to item ``number`` at least half (weight >= 0.5)."""
        return np.flatnonzero(self.item(number) >= 0.5)


def item_rates(node_ids: np.ndarray, timestamps: np.ndarray, memory: MemoryMap, windows: np.ndarray) -> np.ndarray:
    """Weighted mean rate of every item's cells in every window.

    .. math:: R[w, k] = \\frac{\\sum_i M_{k i} \\, r_i(w)}{\\sum_i M_{k i}}

    with :math:`r_i(w)` the rate of cell ``i`` in window ``w``.

    Parameters
    ----------
    node_ids, timestamps
        Spikes of the map's population (seconds).
    memory
        The memory map.
    windows
        ``[n_windows, 2]`` (start, stop) in seconds, each with stop > start.

    Returns
    -------
    ndarray, shape (n_windows, n_items), Hz
    """
    windows = np.atleast_2d(np.asarray(windows, dtype=float))
    if windows.shape[1] != 2:
        raise ValueError(f"windows must be [n_windows, 2] (start, stop) in seconds, got shape {windows.shape}")
    norm = memory.weights.sum(axis=1)
    out = np.empty((windows.shape[0], memory.n_items))
    for row, (start, stop) in enumerate(windows):
        rates = neuron_rates(node_ids, timestamps, memory.n_cells, start, stop)
        out[row] = memory.weights @ rates / norm
    return out


def items_held(rates: np.ndarray, memory: MemoryMap) -> np.ndarray:
    """Which items are held: boolean, same shape as ``rates`` (``[..., n_items]``).

    Discrete maps (pools, assemblies): ``rates >= memory.held_threshold_hz``. Circular
    maps (a ring): an activity bump is broader than the spacing of the items, so an
    item is held when its rate reaches the threshold *and* is a peak of the item rates
    round the ring (at least both neighbours'): each bump counts once, at the item
    nearest its centre.
    """
    rates = np.asarray(rates, dtype=float)
    held = rates >= memory.held_threshold_hz
    if memory.circular and memory.n_items > 2:
        held &= (rates >= np.roll(rates, 1, axis=-1)) & (rates >= np.roll(rates, -1, axis=-1))
    return held


def recalled_item(rates: np.ndarray, memory: MemoryMap) -> int:
    """The 1-based item with the highest rate if it is held, else 0 (nothing recalled).

    ``rates`` is one window's ``[n_items]`` row of :func:`item_rates`.
    """
    rates = np.asarray(rates, dtype=float)
    if rates.shape != (memory.n_items,):
        raise ValueError(f"rates must have shape ({memory.n_items},), got {rates.shape}")
    best = int(np.argmax(rates))
    return best + 1 if rates[best] >= memory.held_threshold_hz else 0


def decoded_angle_deg(
    node_ids: np.ndarray, timestamps: np.ndarray, memory: MemoryMap, start: float, stop: float
) -> float:
    """Population-vector angle (degrees, ``[0, 360)``) of a circular map's cells in ``[start, stop)``.

    NaN when the cells are silent or their activity has no direction.
    """
    if not memory.circular:
        raise ValueError("decoded_angle_deg needs a circular memory map (a ring)")
    rates = neuron_rates(node_ids, timestamps, memory.n_cells, start, stop)
    angle = population_vector_angle(rates, np.deg2rad(memory.cell_angles_deg))
    return float(np.rad2deg(angle))


def angle_error_deg(angle_deg: float, target_deg: float) -> float:
    """Circular distance between two angles in degrees (``[0, 180]``; NaN propagates)."""
    return float(np.rad2deg(circular_distance(np.deg2rad(angle_deg), np.deg2rad(target_deg))))


def completion_scores(
    node_ids: np.ndarray,
    timestamps: np.ndarray,
    memory: MemoryMap,
    item: int,
    cued: np.ndarray,
    window: tuple[float, float],
) -> dict[str, float]:
    """Pattern completion of ``item`` in ``window`` after (or during) a partial cue.

    Parameters
    ----------
    node_ids, timestamps
        Spikes of the map's population (seconds).
    memory
        The memory map.
    item
        The partially cued item (1-based).
    cued
        Boolean mask ``[n_cells]`` of the cells the cue drove.
    window
        ``(start, stop)`` in seconds.

    Returns
    -------
    dict
        ``completion_rate_hz`` (mean rate of the item's core cells that were not cued),
        ``completed`` (it reaches ``held_threshold_hz``), ``max_other_rate_hz`` (highest
        :func:`item_rates` of another item), ``specificity``
        (``(completion - max_other) / (completion + max_other)``, 0 when both are 0).
    """
    not_cued = np.zeros(memory.n_cells, dtype=bool)
    not_cued[memory.core_cells(item)] = True
    not_cued &= ~np.asarray(cued, dtype=bool)
    if not not_cued.any():
        raise ValueError(f"item {item}: every core cell was cued, nothing is left to complete")
    cell_rates = neuron_rates(node_ids, timestamps, memory.n_cells, *window)
    completion = float(cell_rates[not_cued].mean())
    others = np.delete(memory.weights @ cell_rates / memory.weights.sum(axis=1), item - 1)
    max_other = float(others.max()) if others.size else 0.0
    total = completion + max_other
    return {
        "completion_rate_hz": completion,
        "completed": float(completion >= memory.held_threshold_hz),
        "max_other_rate_hz": max_other,
        "specificity": (completion - max_other) / total if total > 0 else 0.0,
    }
