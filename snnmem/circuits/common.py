"""Pieces shared by the circuits: cell groups, summation order, rate tables, synapse blocks, a circuit class.

``PackagedCircuit`` is the class of a circuit package whose structure does not depend
on the seed (its hooks are its modules' functions).

The shared schema sections (cells, synapses, ``[simulation]``) are in :mod:`snnmem.schema`.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any, ClassVar, Mapping, Sequence

import numpy as np

from ..protocols import Schedule
from .base import BuiltNetwork, Circuit

__all__ = [
    "contiguous_groups",
    "group_matrix",
    "order_summed",
    "group_rate_tables",
    "nmda_gating_and_gaba",
    "PackagedCircuit",
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


def nmda_gating_and_gaba(b2: Any, exc: Any, inh: Any) -> list:
    """The presynaptic NMDA gating (``x_nmda += 1`` per E spike) and all-to-all GABA_A synapses.

    For networks whose E cells carry ``x_nmda`` and every cell ``s_gaba`` (Compte et al.
    2000, Brunel & Wang 2001): ``s_gaba_post += 1`` per inhibitory spike onto E and I cells.
    """
    gating = b2.Synapses(exc, exc, on_pre="x_nmda_post += 1", name="nmda_gating")
    gating.connect(j="i")
    gaba_onto_exc = b2.Synapses(inh, exc, on_pre="s_gaba_post += 1", name="gaba_ie")
    gaba_onto_exc.connect()
    gaba_onto_inh = b2.Synapses(inh, inh, on_pre="s_gaba_post += 1", name="gaba_ii")
    gaba_onto_inh.connect()
    return [gating, gaba_onto_exc, gaba_onto_inh]


class PackagedCircuit(Circuit):
    """A circuit package whose structure does not depend on the seed, its hooks its modules' functions.

    Subclasses name three modules of their package: ``parameters`` (``check(spec)``, the
    network's own rules, and ``memory_map(spec)``),
    ``network`` (``build(spec, seed, schedule)``) and ``native`` (``native_schedule(spec)``,
    which raises ConfigError for a native protocol the network cannot run;
    ``score(spec, spikes, phases)``; ``rates(spec, spikes, duration_s)``).
    """

    parameters: ClassVar[ModuleType]
    network: ClassVar[ModuleType]
    native: ClassVar[ModuleType]

    def check(self, spec: Any) -> None:
        self.parameters.check(spec)
        if spec.task is None:  # the native protocol must fit the network (e.g. its cues name existing items)
            self.native.native_schedule(spec)

    def memory_map(self, spec: Any, seed: int = 0) -> Any:
        return self.parameters.memory_map(spec)

    def native_schedule(self, spec: Any, seed: int = 0) -> Schedule:
        return self.native.native_schedule(spec)

    def build(self, spec: Any, seed: int, schedule: Schedule, *, run_args: bool = False) -> BuiltNetwork:
        return self.network.build(spec, seed, schedule)

    def native_scores(self, spec: Any, spikes: Any, phases: Any, state: dict | None) -> tuple[dict, dict]:
        return self.native.score(spec, spikes, phases)

    def rates(self, spec: Any, spikes: Any, duration_s: float) -> dict:
        return self.native.rates(spec, spikes, duration_s)
