"""Tsodyks-Markram short-term plasticity in the order of Mongillo et al. (2008) and its exact reference."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, Mapping

import numpy as np

from ._common import (
    Mode,
    Preset,
    check_positive,
    freeze_presets,
    join_code,
)
from ._base import _trace_flag, _RuleMixin, STPTrajectory


# ------------------------------------------------------------ short-term plasticity
_STP_PRESETS = freeze_presets(
    {
        "mongillo2008": Preset(
            citation="Mongillo G, Barak O, Tsodyks M (2008) Synaptic theory of working memory. Science 319:1543-1546.",
            parameters=dict(U=0.2, tau_facilitation=1.5, tau_depression=0.2),
            note="U = 0.2, tau_F = 1.5 s, tau_D = 0.2 s (facilitation-dominated E->E synapses).",
        ),
    }
)


@dataclass(frozen=True)
class TsodyksMarkramSTP(_RuleMixin):
    r"""Tsodyks–Markram short-term plasticity in the update order of Mongillo et al. (2008).

    Utilization :math:`u` and available resources :math:`x` relax between spikes,

    .. math:: \frac{du}{dt} = \frac{U - u}{\tau_F}, \qquad \frac{dx}{dt} = \frac{1 - x}{\tau_D},

    and at each presynaptic spike, in this order:

    1. :math:`u^+ = u^- + U\,(1 - u^-)`  (facilitation first),
    2. release :math:`r = u^+ x^-`; the postsynaptic effect is :math:`J\,r`,
    3. :math:`x^+ = x^- - u^+ x^-`  (depletion).

    Initial state (:meth:`initial_values`): :math:`u = U`, :math:`x = 1`.  Brian2
    variables ``utilization`` (:math:`u`), ``resources`` (:math:`x`) and ``release``
    (:math:`r`, the last release, for the effect code: e.g.
    ``on_pre_effect="v_post += J*release"``, with ``J`` added to the namespace).
    The effect code runs *after* the release is computed.  There is no ``on_post``.

    Parameters
    ----------
    U : float
        Baseline utilization, 0 < U <= 1.
    tau_facilitation : float
        :math:`\tau_F` in seconds (> 0).
    tau_depression : float
        :math:`\tau_D` in seconds (> 0).
    """

    U: float = 0.2
    tau_facilitation: float = 1.5
    tau_depression: float = 0.2

    _PRESETS: ClassVar[Mapping[str, Preset]] = _STP_PRESETS

    def __post_init__(self) -> None:
        check_positive("U", self.U)
        if self.U > 1:
            raise ValueError(f"U must be in (0, 1], got {self.U!r}")
        check_positive("tau_facilitation", self.tau_facilitation)
        check_positive("tau_depression", self.tau_depression)

    def namespace(self) -> dict[str, Any]:
        """Brian2 quantities for the names used in the code strings."""
        from brian2 import second

        return {
            "U": self.U,
            "tau_facilitation": self.tau_facilitation * second,
            "tau_depression": self.tau_depression * second,
        }

    def initial_values(self) -> dict[str, float]:
        """Resting state, to assign after ``connect()``: ``{"utilization": U, "resources": 1}``."""
        return {"utilization": self.U, "resources": 1.0, "release": 0.0}

    def model(self, mode: Mode = "event-driven") -> str:
        """Brian2 ``model`` string: ``utilization``, ``resources`` and ``release``."""
        flag = _trace_flag(mode)
        return join_code(
            f"dutilization/dt = (U - utilization)/tau_facilitation : 1 {flag}",
            f"dresources/dt = (1 - resources)/tau_depression : 1 {flag}",
            "release : 1",
        )

    def on_pre(self, effect: str = "") -> str:
        """Brian2 ``on_pre`` code: facilitate, release (then ``effect``), deplete."""
        return join_code(
            "utilization += U*(1 - utilization)", "release = utilization*resources", effect, "resources -= release"
        )

    def on_post(self, effect: str = "") -> str:
        """STP has no postsynaptic update; returns ``effect`` (usually empty)."""
        return join_code(effect)

    def synapses_kwargs(
        self, mode: Mode = "event-driven", on_pre_effect: str = "", on_post_effect: str = ""
    ) -> dict[str, Any]:
        """As :meth:`PairSTDP.synapses_kwargs`, without ``on_post`` unless an effect is given."""
        kwargs = super().synapses_kwargs(mode, on_pre_effect, on_post_effect)
        if not kwargs["on_post"]:
            del kwargs["on_post"]
        return kwargs

    def reference(self, spike_times: np.ndarray) -> "STPTrajectory":
        """Exact event-driven numpy trajectory, see :func:`~snnmem.plasticity.reference.tsodyks_markram_reference`."""
        return tsodyks_markram_reference(self, spike_times)


def tsodyks_markram_reference(rule: "TsodyksMarkramSTP", spike_times: np.ndarray) -> STPTrajectory:
    r"""Tsodyks–Markram STP (:class:`~snnmem.plasticity.TsodyksMarkramSTP`), Mongillo order.

    Starting from :math:`u = U, x = 1` at :math:`t = 0`; between spikes
    :math:`u \leftarrow U + (u - U)e^{-\Delta t/\tau_F}`,
    :math:`x \leftarrow 1 + (x - 1)e^{-\Delta t/\tau_D}`; at a spike
    :math:`u^+ = u^- + U(1-u^-)`, :math:`r = u^+ x^-`, :math:`x^+ = x^- - r`.
    """
    times = np.sort(np.asarray(spike_times, dtype=float).ravel())
    if not np.all(np.isfinite(times)):
        raise ValueError("spike times must be finite")
    n = times.size
    u_after, x_before, release, x_after = (np.empty(n) for _ in range(4))
    u, x, last = rule.U, 1.0, 0.0
    for k, t in enumerate(times):
        elapsed = t - last
        last = t
        u = rule.U + (u - rule.U) * np.exp(-elapsed / rule.tau_facilitation)
        x = 1.0 + (x - 1.0) * np.exp(-elapsed / rule.tau_depression)
        u = u + rule.U * (1.0 - u)
        x_before[k] = x
        release[k] = u * x
        x = x - release[k]
        u_after[k], x_after[k] = u, x
    return STPTrajectory(times, u_after, x_before, release, x_after)
