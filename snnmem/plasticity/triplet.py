"""Triplet STDP (Pfister & Gerstner 2006) and its exact numpy reference."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, Mapping

import numpy as np

from .cell_traces import Trace
from .orchestration import ZENKE2015, Orchestration
from ._common import (
    clip_value,
    Mode,
    Preset,
    bound_names,
    check_bounds,
    check_choice,
    check_nonnegative,
    check_positive,
    clip_expression,
    freeze_presets,
    gate_factor,
    join_code,
)
from ._base import INTERACTIONS, _trace_flag, _trace_increment, _RuleMixin, PRE, WeightTrajectory, _events, _decay


# ------------------------------------------------------------------------ triplet STDP
_PG2006 = (
    "Pfister JP, Gerstner W (2006) Triplets of spikes in a model of spike timing-"
    "dependent plasticity. J Neurosci 26:9673-9682, Table 4 (visual cortex data of "
    "Sjostrom et al. 2001)."
)


_TRIPLET_PRESETS = freeze_presets(
    {
        "pfister2006_visual_minimal_all_to_all": Preset(
            citation=_PG2006,
            parameters=dict(
                a2_plus=0.0,
                a3_plus=6.5e-3,
                a2_minus=7.1e-3,
                a3_minus=0.0,
                tau_plus=16.8e-3,
                tau_minus=33.7e-3,
                tau_x=101e-3,
                tau_y=114e-3,
                interaction="all_to_all",
            ),
            note="Minimal model, all-to-all. tau_x is not used (A3- = 0); 101 ms is a placeholder.",
        ),
        "pfister2006_visual_full_all_to_all": Preset(
            citation=_PG2006,
            parameters=dict(
                a2_plus=5e-10,
                a3_plus=6.2e-3,
                a2_minus=7e-3,
                a3_minus=2.3e-4,
                tau_plus=16.8e-3,
                tau_minus=33.7e-3,
                tau_x=101e-3,
                tau_y=125e-3,
                interaction="all_to_all",
            ),
            note="Full model, all-to-all.",
        ),
        "zenke2015_orchestrated_all_to_all": Preset(
            citation=ZENKE2015,
            parameters=dict(
                a2_plus=0.0,
                a3_plus=1e-2,
                a2_minus=1e-2,
                a3_minus=0.0,
                tau_plus=20e-3,
                tau_minus=20e-3,
                tau_x=101e-3,
                tau_y=100e-3,
                interaction="all_to_all",
            ),
            note=(
                "The triplet part of Zenke et al. (2015)'s E->E rule, from the authors' code: A = 1e-3 for "
                "LTP and LTD at an initial weight 0.1 (1e-2 relative to it), tau+ = tau- = 20 ms, tau_slow = 100 ms. "
                "Their other terms: snnmem.plasticity.orchestration.Orchestration. tau_x is not used (A3- = 0)."
            ),
        ),
        "pfister2006_visual_minimal_nearest_spike": Preset(
            citation=_PG2006,
            parameters=dict(
                a2_plus=0.0,
                a3_plus=5e-2,
                a2_minus=8e-3,
                a3_minus=0.0,
                tau_plus=16.8e-3,
                tau_minus=33.7e-3,
                tau_x=101e-3,
                tau_y=40e-3,
                interaction="nearest_spike",
            ),
            note="Minimal model, nearest-spike. tau_x is not used (A3- = 0); 101 ms is a placeholder.",
        ),
    }
)


@dataclass(frozen=True)
class TripletSTDP(_RuleMixin):
    r"""Triplet STDP of Pfister & Gerstner (2006).

    Presynaptic traces :math:`r_1, r_2` and postsynaptic traces :math:`o_1, o_2`:

    .. math::
        \frac{dr_1}{dt} = -\frac{r_1}{\tau_+},\quad
        \frac{dr_2}{dt} = -\frac{r_2}{\tau_x},\quad
        \frac{do_1}{dt} = -\frac{o_1}{\tau_-},\quad
        \frac{do_2}{dt} = -\frac{o_2}{\tau_y}.

    At a presynaptic spike at time :math:`t`

    .. math:: w \leftarrow w - o_1(t)\,[A_2^- + A_3^-\,r_2(t-\epsilon)],
              \quad\text{then } r_1, r_2 \text{ are updated};

    at a postsynaptic spike

    .. math:: w \leftarrow w + r_1(t)\,[A_2^+ + A_3^+\,o_2(t-\epsilon)],
              \quad\text{then } o_1, o_2 \text{ are updated}.

    :math:`r_2` and :math:`o_2` are thus read *before* their own update.  Updates are
    :math:`r \leftarrow r + 1` (all-to-all) or :math:`r \leftarrow 1` (nearest-spike).
    The weight is additive (no weight dependence: the published model); optional hard
    bounds ``w_min``/``w_max`` (``None``: unbounded).

    With ``soft_bound_exponent`` :math:`\mu > 0` (both bounds needed) the changes depend on
    the weight as in Gütig et al. (2003, J Neurosci 23:3697), normalised at
    ``w_reference`` :math:`w_r` (where the amplitudes are the published ones):

    .. math:: \Delta w_+ \propto \Big(\frac{w_{max} - w}{w_{max} - w_r}\Big)^{\mu},
              \qquad
              \Delta w_- \propto \Big(\frac{w - w_{min}}{w_r - w_{min}}\Big)^{\mu}:

    potentiation slows and depression grows as the weight approaches ``w_max``, so a weight
    settles where the two balance (graded with the activity) instead of at the bound. Weights
    must start within the bounds (outside them the factors are not real numbers).

    With ``orchestration`` (:class:`~snnmem.plasticity.orchestration.Orchestration`) the
    rule gains Zenke et al. (2015)'s terms: at a presynaptic spike
    :math:`w \leftarrow w - o_1 [A_2^- + A_3^- r_2] + \delta`; at a postsynaptic spike
    :math:`w \leftarrow w + r_1 [A_2^+ + A_3^+ o_2] - \beta\, o_1^3 (w - \tilde w)`, both
    :math:`o_1` and :math:`o_2` read before their update; and each synapse's reference
    weight :math:`\tilde w` (``w_tilde``, starting at ``w_low``) follows :math:`w` by the
    bistable consolidation dynamics (:meth:`regular_updates`).

    Parameters
    ----------
    a2_plus, a3_plus, a2_minus, a3_minus : float
        Pair and triplet amplitudes (>= 0).
    tau_plus, tau_minus, tau_x, tau_y : float
        Time constants of :math:`r_1, o_1, r_2, o_2` in seconds (> 0).
    interaction : {"all_to_all", "nearest_spike"}
    w_min, w_max : float or None
        Optional hard bounds.
    orchestration : Orchestration or None
        Zenke et al. (2015)'s heterosynaptic, transmitter-induced and consolidation terms.
    soft_bound_exponent : float
        Gütig et al. (2003)'s :math:`\mu` in [0, 1] (0: additive, the published rule; 1:
        multiplicative). Above 0 it needs ``w_min`` and ``w_max``.
    w_reference : float
        The weight at which a soft-bounded rule's amplitudes are the published ones (strictly
        between ``w_min`` and ``w_max``; not used when ``soft_bound_exponent`` is 0).

    Brian2 variables: ``w``, ``pre_trace_r1``, ``pre_trace_r2``, ``post_trace_o1``,
    ``post_trace_o2`` (and ``w_tilde`` with a heterosynaptic term).
    """

    a2_plus: float = 0.0
    a3_plus: float = 6.5e-3
    a2_minus: float = 7.1e-3
    a3_minus: float = 0.0
    tau_plus: float = 16.8e-3
    tau_minus: float = 33.7e-3
    tau_x: float = 101e-3
    tau_y: float = 114e-3
    interaction: str = "all_to_all"
    w_min: float | None = None
    w_max: float | None = None
    orchestration: Orchestration | None = None
    soft_bound_exponent: float = 0.0
    w_reference: float = 1.0

    _PRESETS: ClassVar[Mapping[str, Preset]] = _TRIPLET_PRESETS

    def __post_init__(self) -> None:
        for name in ("a2_plus", "a3_plus", "a2_minus", "a3_minus"):
            check_nonnegative(name, getattr(self, name))
        for name in ("tau_plus", "tau_minus", "tau_x", "tau_y"):
            check_positive(name, getattr(self, name))
        check_choice("interaction", self.interaction, INTERACTIONS)
        check_bounds(self.w_min, self.w_max)
        if self.orchestration is not None and not isinstance(self.orchestration, Orchestration):
            raise TypeError(f"orchestration must be an Orchestration, not {type(self.orchestration).__name__}")
        check_nonnegative("soft_bound_exponent", self.soft_bound_exponent)
        if self.soft_bound_exponent > 1:
            raise ValueError(f"soft_bound_exponent must be in [0, 1], got {self.soft_bound_exponent!r}")
        if self.soft_bound_exponent > 0:
            if self.w_min is None or self.w_max is None:
                raise ValueError("soft_bound_exponent > 0 needs both w_min and w_max")
            if not self.w_min < self.w_reference < self.w_max:
                raise ValueError(
                    f"w_reference = {self.w_reference!r} must lie strictly between w_min = {self.w_min!r} "
                    f"and w_max = {self.w_max!r}"
                )

    def as_dict(self) -> dict[str, Any]:
        """Parameters as a plain dict (SI floats and strings; ``orchestration`` and the soft bounds only when set)."""
        out = super().as_dict()
        if self.orchestration is None:
            out.pop("orchestration")
        if self.soft_bound_exponent == 0:
            out.pop("soft_bound_exponent")
            out.pop("w_reference")
        return out

    def _soft_factors(self) -> tuple[str, str]:
        """Brian2 factors ``(potentiation, depression)`` of the soft bounds (``""`` for the additive rule)."""
        if self.soft_bound_exponent == 0:
            return "", ""
        return (
            "((w_max - w)/(w_max - w_reference))**soft_bound_mu*",
            "((w - w_min)/(w_reference - w_min))**soft_bound_mu*",
        )

    def soft_factors(self, w: float) -> tuple[float, float]:
        """Numpy twin of the soft bounds' factors at weight ``w``: ``(potentiation, depression)``."""
        mu = self.soft_bound_exponent
        if mu == 0:
            return 1.0, 1.0
        assert self.w_min is not None and self.w_max is not None  # checked at construction
        return (
            ((self.w_max - w) / (self.w_max - self.w_reference)) ** mu,
            ((w - self.w_min) / (self.w_reference - self.w_min)) ** mu,
        )

    def _terms(self) -> Orchestration:
        return self.orchestration if self.orchestration is not None else Orchestration()

    def synapse_variables(self) -> str:
        """Per-synapse variables other than the traces: ``w`` (and ``w_tilde`` with a heterosynaptic term)."""
        return "w : 1\nw_tilde : 1" if self._terms().has_reference else "w : 1"

    def initial_values(self) -> dict[str, float]:
        """Values to give the per-synapse variables other than ``w`` once connected (``w_tilde = w_low``)."""
        terms = self._terms()
        return {"w_tilde": terms.w_low} if terms.has_reference else {}

    def regular_updates(self, gate: str = "") -> tuple[tuple[str, float], ...]:
        """``(code, interval_s)``: the consolidation step of ``w_tilde`` (run at the start of a time step)."""
        terms = self._terms()
        return ((terms.consolidation_code(gate), terms.interval),) if terms.consolidates else ()

    def namespace(self) -> dict[str, Any]:
        """Brian2 quantities for the names used in the code strings."""
        from brian2 import second

        namespace: dict[str, Any] = {
            "a2_plus": self.a2_plus,
            "a3_plus": self.a3_plus,
            "a2_minus": self.a2_minus,
            "a3_minus": self.a3_minus,
            "tau_plus": self.tau_plus * second,
            "tau_minus": self.tau_minus * second,
            "tau_x": self.tau_x * second,
            "tau_y": self.tau_y * second,
        }
        namespace.update(bound_names(self.w_min, self.w_max))
        if self.soft_bound_exponent > 0:
            namespace.update(soft_bound_mu=self.soft_bound_exponent, w_reference=self.w_reference)
        if self.orchestration is not None:
            namespace.update(self.orchestration.namespace())
        return namespace

    def traces(self) -> tuple[Trace, ...]:
        """The four traces (for :mod:`snnmem.plasticity.cell_traces`)."""
        reset = self.interaction == "nearest_spike"
        return (
            Trace("pre_trace_r1", "tau_plus", "pre", reset),
            Trace("pre_trace_r2", "tau_x", "pre", reset),
            Trace("post_trace_o1", "tau_minus", "post", reset),
            Trace("post_trace_o2", "tau_y", "post", reset),
        )

    def model(self, mode: Mode = "event-driven") -> str:
        """Brian2 ``model`` string: weight and the four traces."""
        flag = _trace_flag(mode)
        return join_code(
            self.synapse_variables(),
            f"dpre_trace_r1/dt = -pre_trace_r1/tau_plus : 1 {flag}",
            f"dpre_trace_r2/dt = -pre_trace_r2/tau_x : 1 {flag}",
            f"dpost_trace_o1/dt = -post_trace_o1/tau_minus : 1 {flag}",
            f"dpost_trace_o2/dt = -post_trace_o2/tau_y : 1 {flag}",
        )

    def on_pre(self, effect: str = "", gate: str = "") -> str:
        """Brian2 ``on_pre`` code: depression with :math:`r_2` read before its update.

        ``gate``: optional expression multiplying the weight change (0 freezes).
        """
        soft = self._soft_factors()[1]
        change = f"w - {gate_factor(gate)}{soft}post_trace_o1*(a2_minus + a3_minus*pre_trace_r2)"
        if self._terms().delta > 0:
            change = (
                f"w - {gate_factor(gate)}({soft}post_trace_o1*(a2_minus + a3_minus*pre_trace_r2) - delta_transmitter)"
            )
        return join_code(
            effect,
            "w = " + clip_expression(change, self.w_min, self.w_max),
            _trace_increment("pre_trace_r1", self.interaction),
            _trace_increment("pre_trace_r2", self.interaction),
        )

    def on_post(self, effect: str = "", gate: str = "") -> str:
        """Brian2 ``on_post`` code: potentiation with :math:`o_2` read before its update."""
        soft = self._soft_factors()[0]
        change = f"w + {gate_factor(gate)}{soft}pre_trace_r1*(a2_plus + a3_plus*post_trace_o2)"
        if self._terms().has_reference:
            change = (
                f"w + {gate_factor(gate)}({soft}pre_trace_r1*(a2_plus + a3_plus*post_trace_o2)"
                " - beta_hetero*post_trace_o1**3*(w - w_tilde))"
            )
        return join_code(
            effect,
            "w = " + clip_expression(change, self.w_min, self.w_max),
            _trace_increment("post_trace_o1", self.interaction),
            _trace_increment("post_trace_o2", self.interaction),
        )

    def reference(
        self, pre_times: np.ndarray, post_times: np.ndarray, w0: float | np.ndarray = 1.0
    ) -> "WeightTrajectory":
        """Exact event-driven numpy trajectory, see :func:`~snnmem.plasticity.reference.triplet_stdp_reference`.

        With ``orchestration`` the trajectory also holds ``w_tilde`` after each event (``references``).
        """
        return triplet_stdp_reference(self, pre_times, post_times, w0)


def triplet_stdp_reference(
    rule: "TripletSTDP", pre_times: np.ndarray, post_times: np.ndarray, w0: float = 1.0
) -> WeightTrajectory:
    r"""Triplet STDP (:class:`~snnmem.plasticity.TripletSTDP`) on one synapse.

    At a pre event: :math:`w \leftarrow w - o_1 (A_2^- + A_3^- r_2)` with :math:`r_2`
    read before its update, then :math:`r_1, r_2` updated.  At a post event:
    :math:`w \leftarrow w + r_1 (A_2^+ + A_3^+ o_2)` with :math:`o_2` read before its
    update, then :math:`o_1, o_2` updated.  All traces decay exponentially between
    events; optional hard bounds clip ``w``; soft bounds (``rule.soft_bound_exponent``)
    multiply each change by :meth:`~TripletSTDP.soft_factors` of the weight before it.

    With ``rule.orchestration``: the pre event also adds :math:`\delta`, the post event also
    subtracts :math:`\beta o_1^3 (w - \tilde w)` (:math:`o_1` before its update), and
    :math:`\tilde w` (from ``w_low``) takes one consolidation step at every multiple of the
    interval (t = 0 included), before the events at that time; the trajectory's
    ``references`` are :math:`\tilde w` after each event.
    """
    if rule.soft_bound_exponent > 0 and not rule.w_min <= w0 <= rule.w_max:
        bounds = f"[{rule.w_min!r}, {rule.w_max!r}]"
        raise ValueError(f"w0 = {w0!r} must lie within [w_min, w_max] = {bounds} with soft bounds")
    times, kinds = _events(pre_times, post_times)
    all_to_all = rule.interaction == "all_to_all"
    w = float(w0)
    r1 = r2 = o1 = o2 = 0.0
    last = 0.0
    weights = np.empty(times.size)
    terms = rule._terms()  # all zero without orchestration: the plain triplet rule
    w_tilde, steps_done = terms.w_low, 0
    references = np.empty(times.size)
    for k, (t, kind) in enumerate(zip(times, kinds)):
        elapsed = t - last
        last = t
        r1 = _decay(r1, elapsed, rule.tau_plus)
        r2 = _decay(r2, elapsed, rule.tau_x)
        o1 = _decay(o1, elapsed, rule.tau_minus)
        o2 = _decay(o2, elapsed, rule.tau_y)
        if terms.consolidates:
            due = int(np.floor(t / terms.interval + 1e-9)) + 1  # the steps at 0, interval, ... up to t
            for _ in range(steps_done, due):
                w_tilde = terms.consolidation_step(w, w_tilde)
            steps_done = max(steps_done, due)
        if kind == PRE:
            depression = rule.soft_factors(w)[1]
            change = depression * o1 * (rule.a2_minus + rule.a3_minus * r2) - terms.delta
            w = clip_value(w - change, rule.w_min, rule.w_max)
            r1, r2 = (r1 + 1.0, r2 + 1.0) if all_to_all else (1.0, 1.0)
        else:
            hetero = terms.beta * o1**3 * (w - w_tilde)
            potentiation = rule.soft_factors(w)[0]
            w = clip_value(w + potentiation * r1 * (rule.a2_plus + rule.a3_plus * o2) - hetero, rule.w_min, rule.w_max)
            o1, o2 = (o1 + 1.0, o2 + 1.0) if all_to_all else (1.0, 1.0)
        weights[k] = w
        references[k] = w_tilde
    return WeightTrajectory(times, kinds, weights, float(w0), references if rule.orchestration is not None else None)
