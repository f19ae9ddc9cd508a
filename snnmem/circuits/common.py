"""Pieces shared by the circuits: schema sections, contiguous groups of cells, summation order, rate tables.

The conductance-based circuits (ring, item attractors) follow Wang (1999, 2002) / Compte et al. (2000):
the same cell and synapse
parameters, with a few published values that differ (reset potential, GABA decay).
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

import numpy as np

from ..config import Param

__all__ = [
    "lif_cell_params",
    "ampa_nmda_gaba_params",
    "contiguous_groups",
    "group_matrix",
    "order_summed",
    "group_rate_tables",
    "simulation_params",
]


def lif_cell_params(
    capacitance: str, g_leak: str, v_reset: str, refractory: str, v_leak: str = "-70 mV", v_threshold: str = "-50 mV"
) -> dict[str, Param]:
    """Leaky integrate-and-fire cell: C_m, g_L, V_L (-70 mV), V_th (-50 mV), V_reset, refractory."""
    return {
        "capacitance": Param(capacitance, "membrane capacitance C_m", positive=True),
        "g_leak": Param(g_leak, "leak conductance g_L", positive=True),
        "v_leak": Param(v_leak, "leak reversal V_L"),
        "v_threshold": Param(v_threshold, "spike threshold V_th (its resting value where the threshold adapts)"),
        "v_reset": Param(v_reset, "reset potential V_reset"),
        "refractory": Param(refractory, "absolute refractory period", minimum=0.0),
    }


def ampa_nmda_gaba_params(gaba_doc: str = "GABA_A decay time constant") -> dict[str, Param]:
    """AMPA, saturating NMDA with Mg block (1 mM), GABA_A: reversal potentials and kinetics."""
    return {
        "e_ampa": Param("0 mV", "AMPA reversal potential"),
        "e_nmda": Param("0 mV", "NMDA reversal potential"),
        "e_gaba": Param("-70 mV", "GABA_A reversal potential"),
        "tau_ampa_decay": Param("2 ms", "AMPA decay time constant", positive=True),
        "tau_nmda_rise": Param("2 ms", "NMDA rise time constant (x)", positive=True),
        "tau_nmda_decay": Param("100 ms", "NMDA decay time constant (s)", positive=True),
        "alpha_nmda": Param("0.5 kHz", "NMDA saturation rate alpha (0.5 / ms)", positive=True),
        "tau_gaba_decay": Param("10 ms", gaba_doc, positive=True),
        "mg_block_slope": Param("0.062 / mV", "Mg block voltage slope: 1/(1+exp(-slope V)/factor)", positive=True),
        "mg_block_factor": Param(3.57, "Mg block factor (3.57 mM / [Mg2+], [Mg2+] = 1 mM)", positive=True),
    }


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


def simulation_params(
    dt: str = "0.1 ms",
    methods: tuple[str, ...] = ("euler", "rk2", "rk4", "heun"),
    method_doc: str = "Brian2 integration method",
    **extra: Param,
) -> dict[str, Param]:
    """The ``[simulation]`` table every circuit has: dt, method, device, runtime target, rate bin (+ ``extra``)."""
    return {
        "dt": Param(dt, "integration time step", positive=True, maximum=1e-3),
        "method": Param(methods[0], method_doc, choices=methods),
        "device": Param("cpp_standalone", "Brian2 device", choices=("cpp_standalone", "runtime")),
        "runtime_target": Param("cython", "code generation of the runtime device", choices=("cython", "numpy")),
        "rate_bin": Param("10 ms", "bin width of the rates stored in the run file", positive=True),
        **extra,
    }
