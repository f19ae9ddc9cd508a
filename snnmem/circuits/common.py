"""Pieces shared by the circuits' networks: contiguous groups of cells, summation order, rate tables.

The shared schema sections (cells, synapses, ``[simulation]``) are in :mod:`snnmem.schema`.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

import numpy as np


__all__ = [
    "contiguous_groups",
    "group_matrix",
    "order_summed",
    "group_rate_tables",
]


def contiguous_groups(n_exc: int, n_groups: int, group_size: int) -> np.ndarray:
    """Group of every E cell when groups are contiguous blocks: cells ``[k m, (k+1) m)`` form group ``k``.

    Returns int32 ``0 .. n_groups - 1``, and ``n_groups`` for the cells after the last group
    (non-selective). Item pools (Brunel & Wang) and memories (Mongillo) are laid out so.
    """
    index = np.full(n_exc, n_groups, dtype=np.int32)
    index[: n_groups * group_size] = np.repeat(np.arange(n_groups, dtype=np.int32), group_size)
    return index


def group_matrix(index: np.ndarray, n_groups: int) -> np.ndarray:
    """Boolean membership ``[n_groups + 1, n_cells]`` from :func:`contiguous_groups` (last row: non-selective)."""
    return index[None, :] == np.arange(n_groups + 1)[:, None]


def order_summed(first: Sequence[Any], then: Sequence[Any]) -> None:
    """Order summed-variable updates: projections first, expansions second, neurons last.

    The updaters of ``first`` (projections onto modes or pools) run before those of ``then``
    (expansions back onto cells), all before the neurons integrate.
    """
    for synapses, order in [(s, -3) for s in first] + [(s, -2) for s in then]:
        for updater in synapses.summed_updaters.values():
            updater.order = order


def group_rate_tables(
    spec: Any,
    spikes: Mapping[str, tuple[np.ndarray, np.ndarray]],
    members: np.ndarray,
    names: Sequence[str],
    duration_s: float,
) -> dict:
    """Rates for the run file: E cells by group (``[n_bins, n_groups]``, columns ``names``) and the I population."""
    from ..analysis.binning import group_rates, population_rate

    bin_s = float(spec["simulation.rate_bin"])
    exc_ids, exc_times = spikes["exc"]
    inh_ids, inh_times = spikes["inh"]
    exc = group_rates(exc_ids, exc_times, members, 0.0, duration_s, bin_s)
    inh = population_rate(inh_ids, inh_times, spec["network.n_inh"], 0.0, duration_s, bin_s)
    common = {"bin_s": bin_s, "t_start_s": 0.0, "units": "Hz"}
    return {"exc": (exc, dict(common, groups=",".join(names))), "inh": (inh, dict(common, groups="population"))}
