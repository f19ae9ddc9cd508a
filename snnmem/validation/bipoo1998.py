r"""Bi & Poo (1998): the pair STDP window.

Protocol: the Brian2 pair rule with preset ``bipoo1998`` (additive, all-to-all,
:math:`A_+` = 0.777, :math:`\tau_+` = 16.8 ms, :math:`A_-` = 0.273,
:math:`\tau_-` = 33.7 ms, the exponential fits of Bi & Poo's data) is driven with one
isolated pre/post pair per synapse, :math:`\Delta t = t_{post} - t_{pre}` =
±2, ±4, …, ±100 ms, from :math:`w_0` = 1 (dt = 0.1 ms, numpy target).  The measured
:math:`\Delta w/w` must equal :math:`A_+ e^{-\Delta t/\tau_+}` (:math:`\Delta t > 0`)
or :math:`-A_- e^{\Delta t/\tau_-}` (:math:`\Delta t < 0`) to 1e-6 relative.
"""

from __future__ import annotations

import numpy as np

from . import Check, ValidationResult, register

NAME = "bipoo1998"
REFERENCE = (
    "Bi GQ, Poo MM (1998) Synaptic modifications in cultured hippocampal neurons: "
    "dependence on spike timing, synaptic strength, and postsynaptic cell type. "
    "J Neurosci 18:10464-10472 (fits: Bi & Poo 2001, Annu Rev Neurosci 24:139-166)."
)
RELATIVE_TOLERANCE = 1e-6
DT_S = 1e-4
TABLE_DELTAS_MS = (-100, -50, -20, -10, -4, -2, 2, 4, 10, 20, 50, 100)


def measure_window(deltas_ms: np.ndarray, mode: str = "event-driven") -> np.ndarray:
    """Brian2 weight change of one isolated pair per ``Δt`` (ms), from w0 = 1."""
    from snnmem.plasticity import PairSTDP
    from snnmem.plasticity.drive import drive_synapses

    rule = PairSTDP.preset("bipoo1998")
    start_steps = 200  # first spike at 20 ms
    pre_trains, post_trains = [], []
    for delta in np.asarray(deltas_ms, dtype=float):
        delta_steps = int(round(delta * 1e-3 / DT_S))
        pre_step = start_steps + max(0, -delta_steps)
        pre_trains.append(np.array([pre_step * DT_S]))
        post_trains.append(np.array([(pre_step + delta_steps) * DT_S]))
    result = drive_synapses(rule, pre_trains, post_trains, initial={"w": 1.0}, dt=DT_S, mode=mode, target="numpy")
    return result.final["w"] - 1.0


@register(
    NAME,
    REFERENCE,
    "Pair-STDP window at dt = ±2…100 ms equals A·exp(-|dt|/tau) "
    "with the Bi & Poo fits (A+ 0.777, tau+ 16.8 ms, A- 0.273, tau- 33.7 ms).",
)
def run(seeds: int | None = None) -> ValidationResult:
    """Deterministic; ``seeds`` is accepted for the common interface and ignored."""
    from snnmem.plasticity import PairSTDP

    rule = PairSTDP.preset("bipoo1998")
    deltas_ms = np.concatenate([-np.arange(100, 0, -2), np.arange(2, 101, 2)]).astype(float)
    measured = measure_window(deltas_ms)
    expected = rule.window(deltas_ms * 1e-3)
    relative_error = np.abs(measured - expected) / np.abs(expected)
    checks = []
    for delta in TABLE_DELTAS_MS:
        k = int(np.flatnonzero(deltas_ms == delta)[0])
        sign = "+" if delta > 0 else "-"
        formula = f"+{rule.a_plus}·exp(-{abs(delta)}/16.8)" if delta > 0 else f"-{rule.a_minus}·exp(-{abs(delta)}/33.7)"
        checks.append(
            Check(
                f"dw/w at dt = {sign}{abs(delta)} ms",
                float(measured[k]),
                f"{expected[k]:.6g} = {formula} (rel. 1e-6)",
                bool(relative_error[k] <= RELATIVE_TOLERANCE),
            )
        )
    worst = float(relative_error.max())
    checks.append(Check("max relative error, dt = ±2,4,…,100 ms", worst, "<= 1e-6", bool(worst <= RELATIVE_TOLERANCE)))
    values = {
        "delta_t_ms": deltas_ms,
        "dw_measured": measured,
        "dw_expected": expected,
        "max_relative_error": worst,
        "parameters": rule.as_dict(),
        "seeds": "not used (deterministic)",
    }
    return ValidationResult(NAME, REFERENCE, checks, values)
