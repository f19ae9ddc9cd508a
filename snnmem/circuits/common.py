"""Schema pieces shared by the conductance-based circuits (ring, item attractors).

Both follow Wang (1999, 2002) / Compte et al. (2000): the same cell and synapse
parameters, with a few published values that differ (reset potential, GABA decay).
"""
from __future__ import annotations

from ..config import Param

__all__ = ["lif_cell_params", "ampa_nmda_gaba_params"]


def lif_cell_params(capacitance: str, g_leak: str, v_reset: str, refractory: str, v_leak: str = "-70 mV",
                    v_threshold: str = "-50 mV") -> dict[str, Param]:
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
