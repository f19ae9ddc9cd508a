"""Inhibitory STDP (Vogels et al. 2011) and its exact numpy reference."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, Mapping

import numpy as np

from .cell_traces import Trace
from ._common import (
    clip_value,
    Mode,
    Preset,
    bound_names,
    check_bounds,
    check_positive,
    clip_expression,
    freeze_presets,
    gate_factor,
    join_code,
)
from ._base import _trace_flag, _RuleMixin, PRE, WeightTrajectory, _events, _decay


# ---------------------------------------------------------------------- inhibitory STDP
_INHIBITORY_PRESETS = freeze_presets(
    {
        "vogels2011": Preset(
            citation="Vogels TP, Sprekeler H, Zenke F, Clopath C, Gerstner W (2011) Inhibitory "
            "plasticity balances excitation and inhibition in sensory pathways and "
            "memory networks. Science 334:1569-1573.",
            parameters=dict(eta=1e-4, tau_stdp=20e-3, rho0=3.0, w_min=0.0, w_max=None),
            note="tau = 20 ms, rho0 = 3 Hz (alpha = 2 rho0 tau = 0.12), eta = 1e-4; w in units "
            "of the inhibitory conductance quantum g_bar_inh.",
        ),
    }
)


@dataclass(frozen=True)
class InhibitorySTDP(_RuleMixin):
    r"""Symmetric inhibitory STDP of Vogels et al. (2011).

    Traces :math:`x_{pre}, x_{post}` with :math:`dx/dt = -x/\tau_{STDP}`, each
    incremented by 1 at its neuron's spikes.  At a presynaptic (inhibitory) spike

    .. math:: w \leftarrow w + \eta\,(x_{post} - \alpha), \qquad \alpha = 2\rho_0\tau_{STDP},

    at a postsynaptic spike :math:`w \leftarrow w + \eta\,x_{pre}`; traces are
    updated after the weight, and ``w`` is clipped to ``[w_min, w_max]``.  The rule
    drives the postsynaptic rate towards the target :math:`\rho_0`.

    Parameters
    ----------
    eta : float
        Learning rate (> 0), units of ``w``.
    tau_stdp : float
        Trace time constant in seconds (> 0).
    rho0 : float
        Target postsynaptic rate in hertz (> 0).
    w_min, w_max : float or None
        Hard bounds (default ``[0, None]``: inhibitory weights stay non-negative).

    Brian2 variables: ``w``, ``pre_trace``, ``post_trace``; constant ``alpha``.
    """

    eta: float = 1e-4
    tau_stdp: float = 20e-3
    rho0: float = 3.0
    w_min: float | None = 0.0
    w_max: float | None = None

    _PRESETS: ClassVar[Mapping[str, Preset]] = _INHIBITORY_PRESETS

    def __post_init__(self) -> None:
        check_positive("eta", self.eta)
        check_positive("tau_stdp", self.tau_stdp)
        check_positive("rho0", self.rho0)
        check_bounds(self.w_min, self.w_max)

    @property
    def alpha(self) -> float:
        r"""Depression offset :math:`\alpha = 2\rho_0\tau_{STDP}` (dimensionless)."""
        return 2.0 * self.rho0 * self.tau_stdp

    def namespace(self) -> dict[str, Any]:
        """Brian2 quantities for the names used in the code strings."""
        from brian2 import second

        namespace: dict[str, Any] = {"eta": self.eta, "tau_stdp": self.tau_stdp * second, "alpha": self.alpha}
        namespace.update(bound_names(self.w_min, self.w_max))
        return namespace

    def traces(self) -> tuple[Trace, ...]:
        """The two traces (for :mod:`snnmem.plasticity.cell_traces`)."""
        return (Trace("pre_trace", "tau_stdp", "pre"), Trace("post_trace", "tau_stdp", "post"))

    def model(self, mode: Mode = "event-driven") -> str:
        """Brian2 ``model`` string: weight and the two traces."""
        flag = _trace_flag(mode)
        return join_code(
            "w : 1",
            f"dpre_trace/dt = -pre_trace/tau_stdp : 1 {flag}",
            f"dpost_trace/dt = -post_trace/tau_stdp : 1 {flag}",
        )

    def on_pre(self, effect: str = "", gate: str = "") -> str:
        """Brian2 ``on_pre`` code: ``w += eta*(post_trace - alpha)``, then ``pre_trace += 1``.

        ``gate``: optional expression multiplying the weight change (0 freezes).
        """
        return join_code(
            effect,
            "w = " + clip_expression(f"w + {gate_factor(gate)}eta*(post_trace - alpha)", self.w_min, self.w_max),
            "pre_trace += 1",
        )

    def on_post(self, effect: str = "", gate: str = "") -> str:
        """Brian2 ``on_post`` code: ``w += eta*pre_trace``, then ``post_trace += 1``."""
        return join_code(
            effect,
            "w = " + clip_expression(f"w + {gate_factor(gate)}eta*pre_trace", self.w_min, self.w_max),
            "post_trace += 1",
        )

    def reference(
        self, pre_times: np.ndarray, post_times: np.ndarray, w0: float | np.ndarray = 1.0
    ) -> "WeightTrajectory":
        """Exact event-driven numpy trajectory, see :func:`~snnmem.plasticity.reference.inhibitory_stdp_reference`."""
        return inhibitory_stdp_reference(self, pre_times, post_times, w0)


def inhibitory_stdp_reference(
    rule: "InhibitorySTDP", pre_times: np.ndarray, post_times: np.ndarray, w0: float = 1.0
) -> WeightTrajectory:
    r"""Inhibitory STDP (:class:`~snnmem.plasticity.InhibitorySTDP`) on one synapse.

    At a pre event :math:`w \leftarrow \mathrm{clip}(w + \eta(x_{post} - \alpha))`, then
    :math:`x_{pre} \leftarrow x_{pre} + 1`; at a post event
    :math:`w \leftarrow \mathrm{clip}(w + \eta x_{pre})`, then
    :math:`x_{post} \leftarrow x_{post} + 1`; :math:`\alpha = 2\rho_0\tau_{STDP}`.
    """
    times, kinds = _events(pre_times, post_times)
    w = float(w0)
    pre_trace = post_trace = 0.0
    last = 0.0
    weights = np.empty(times.size)
    for k, (t, kind) in enumerate(zip(times, kinds)):
        pre_trace = _decay(pre_trace, t - last, rule.tau_stdp)
        post_trace = _decay(post_trace, t - last, rule.tau_stdp)
        last = t
        if kind == PRE:
            w = clip_value(w + rule.eta * (post_trace - rule.alpha), rule.w_min, rule.w_max)
            pre_trace += 1.0
        else:
            w = clip_value(w + rule.eta * pre_trace, rule.w_min, rule.w_max)
            post_trace += 1.0
        weights[k] = w
    return WeightTrajectory(times, kinds, weights, float(w0))
