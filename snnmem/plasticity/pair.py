"""Pair STDP (Song et al. 2000; van Rossum et al. 2000; Bi & Poo 1998) and its exact numpy reference."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, Mapping

import numpy as np

from .cell_traces import Trace
from ._common import (
    clip_value,
    Mode,
    Preset,
    check_bounds,
    check_choice,
    check_nonnegative,
    check_positive,
    clip_expression,
    freeze_presets,
    gate_factor,
    join_code,
)
from ._base import (
    INTERACTIONS,
    WEIGHT_DEPENDENCES,
    _trace_flag,
    _trace_increment,
    _RuleMixin,
    PRE,
    WeightTrajectory,
    _events,
    _decay,
)


# --------------------------------------------------------------------------- pair STDP
_PAIR_PRESETS = freeze_presets(
    {
        "song2000": Preset(
            citation="Song S, Miller KD, Abbott LF (2000) Competitive Hebbian learning through "
            "spike-timing-dependent synaptic plasticity. Nat Neurosci 3:919-926.",
            parameters=dict(
                a_plus=0.005,
                a_minus=0.005 * 1.05,
                tau_plus=20e-3,
                tau_minus=20e-3,
                w_min=0.0,
                w_max=1.0,
                weight_dependence="additive",
                interaction="all_to_all",
            ),
            note="w in units of g_max; A+ = 0.005, A-/A+ = 1.05, tau+ = tau- = 20 ms (Fig. 1).",
        ),
        "vanrossum2000": Preset(
            citation="van Rossum MCW, Bi GQ, Turrigiano GG (2000) Stable Hebbian learning from "
            "spike timing-dependent plasticity. J Neurosci 20:8812-8821.",
            parameters=dict(
                a_plus=0.005,
                a_minus=0.005,
                tau_plus=20e-3,
                tau_minus=20e-3,
                w_min=0.0,
                w_max=1.0,
                weight_dependence="multiplicative",
                interaction="all_to_all",
            ),
            note="The paper's weight dependence (LTP independent of w, LTD proportional to w) "
            "and 20 ms windows; amplitudes are dimensionless stand-ins, because the paper "
            "states them in conductance units of its own neuron model.",
        ),
        "bipoo1998": Preset(
            citation="Bi GQ, Poo MM (1998) Synaptic modifications in cultured hippocampal "
            "neurons. J Neurosci 18:10464-10472; exponential fits as reported in "
            "Bi GQ, Poo MM (2001) Annu Rev Neurosci 24:139-166.",
            parameters=dict(
                a_plus=0.777,
                a_minus=0.273,
                tau_plus=16.8e-3,
                tau_minus=33.7e-3,
                w_min=0.0,
                w_max=2.0,
                weight_dependence="additive",
                interaction="all_to_all",
            ),
            note="Delta w / w of the whole 60-pairing protocol: +0.777 exp(-dt/16.8 ms) for "
            "dt > 0, -0.273 exp(dt/33.7 ms) for dt < 0; one model pair stands for the "
            "protocol, with w0 = 1. The bounds [0, 2] are not part of the fit.",
        ),
    }
)


@dataclass(frozen=True)
class PairSTDP(_RuleMixin):
    r"""Pair-based STDP with hard bounds (Song et al. 2000; van Rossum et al. 2000).

    Each synapse carries a presynaptic trace :math:`x` and a postsynaptic trace
    :math:`y`:

    .. math::
        \frac{dx}{dt} = -\frac{x}{\tau_+}, \qquad \frac{dy}{dt} = -\frac{y}{\tau_-}.

    At a presynaptic spike the weight is depressed, then :math:`x` is updated; at a
    postsynaptic spike the weight is potentiated, then :math:`y` is updated:

    * additive (Song, Miller & Abbott 2000):
      :math:`w \leftarrow \mathrm{clip}(w - A_-\,y)`, :math:`w \leftarrow \mathrm{clip}(w + A_+\,x)`;
    * multiplicative (van Rossum, Bi & Turrigiano 2000):
      :math:`w \leftarrow \mathrm{clip}(w - A_-\,w\,y)`, :math:`w \leftarrow \mathrm{clip}(w + A_+\,x)`.

    Trace updates: all-to-all :math:`x \leftarrow x + 1`; nearest-spike
    :math:`x \leftarrow 1` (each spike then pairs only with the latest spike of the
    other neuron).  ``clip`` enforces the hard bounds :math:`[w_{min}, w_{max}]`.
    A single pair with :math:`\Delta t = t_{post} - t_{pre}` changes an
    additive weight by :math:`A_+ e^{-\Delta t/\tau_+}` (:math:`\Delta t > 0`) or
    :math:`-A_- e^{\Delta t/\tau_-}` (:math:`\Delta t < 0`), see :meth:`window`.

    Parameters
    ----------
    a_plus, a_minus : float
        Potentiation and depression amplitudes :math:`A_\pm \ge 0` (units of ``w``;
        for the multiplicative rule :math:`A_-` is a fraction of ``w``).
    tau_plus, tau_minus : float
        Trace time constants in seconds (> 0).
    w_min, w_max : float
        Hard bounds of the dimensionless weight ``w``.
    weight_dependence : {"additive", "multiplicative"}
    interaction : {"all_to_all", "nearest_spike"}

    Brian2 variables: ``w``, ``pre_trace`` (:math:`x`), ``post_trace`` (:math:`y`).
    """

    a_plus: float = 0.005
    a_minus: float = 0.00525
    tau_plus: float = 20e-3
    tau_minus: float = 20e-3
    w_min: float = 0.0
    w_max: float = 1.0
    weight_dependence: str = "additive"
    interaction: str = "all_to_all"

    _PRESETS: ClassVar[Mapping[str, Preset]] = _PAIR_PRESETS

    def __post_init__(self) -> None:
        check_nonnegative("a_plus", self.a_plus)
        check_nonnegative("a_minus", self.a_minus)
        check_positive("tau_plus", self.tau_plus)
        check_positive("tau_minus", self.tau_minus)
        if self.w_min is None or self.w_max is None:
            raise ValueError("w_min and w_max: pair STDP has hard bounds; both must be numbers")
        check_bounds(self.w_min, self.w_max)
        check_choice("weight_dependence", self.weight_dependence, WEIGHT_DEPENDENCES)
        check_choice("interaction", self.interaction, INTERACTIONS)

    def namespace(self) -> dict[str, Any]:
        """Brian2 quantities for the names used in the code strings."""
        from brian2 import second

        return {
            "a_plus": self.a_plus,
            "a_minus": self.a_minus,
            "tau_plus": self.tau_plus * second,
            "tau_minus": self.tau_minus * second,
            "w_min": self.w_min,
            "w_max": self.w_max,
        }

    def traces(self) -> tuple[Trace, ...]:
        """The two traces (for :mod:`snnmem.plasticity.cell_traces`)."""
        reset = self.interaction == "nearest_spike"
        return (Trace("pre_trace", "tau_plus", "pre", reset), Trace("post_trace", "tau_minus", "post", reset))

    def model(self, mode: Mode = "event-driven") -> str:
        """Brian2 ``model`` string: weight and the two traces."""
        flag = _trace_flag(mode)
        return join_code(
            "w : 1",
            f"dpre_trace/dt = -pre_trace/tau_plus : 1 {flag}",
            f"dpost_trace/dt = -post_trace/tau_minus : 1 {flag}",
        )

    def on_pre(self, effect: str = "", gate: str = "") -> str:
        """Brian2 ``on_pre`` code: depression (reads ``post_trace``), then trace update.

        ``gate``: optional expression multiplying the weight change (e.g. a
        learning-rate schedule ``plastic_ee(t)``; 0 freezes the weights).
        """
        depression = "a_minus*post_trace" if self.weight_dependence == "additive" else "a_minus*w*post_trace"
        change = f"w - {gate_factor(gate)}{depression}"
        return join_code(
            effect,
            "w = " + clip_expression(change, self.w_min, self.w_max),
            _trace_increment("pre_trace", self.interaction),
        )

    def on_post(self, effect: str = "", gate: str = "") -> str:
        """Brian2 ``on_post`` code: potentiation (reads ``pre_trace``), then trace update."""
        change = f"w + {gate_factor(gate)}a_plus*pre_trace"
        return join_code(
            effect,
            "w = " + clip_expression(change, self.w_min, self.w_max),
            _trace_increment("post_trace", self.interaction),
        )

    def window(self, delta_t: np.ndarray | float, w0: float = 1.0) -> np.ndarray:
        r"""Weight change of one isolated pair, :math:`\Delta t = t_{post} - t_{pre}` (s).

        Returns :math:`A_+ e^{-\Delta t/\tau_+}` for :math:`\Delta t > 0`,
        :math:`-A_- e^{\Delta t/\tau_-}` (times :math:`w_0` if multiplicative) for
        :math:`\Delta t < 0`, and 0 at :math:`\Delta t = 0` (where Brian2 runs the
        pre pathway first, so the pair counts as pre-before-post: see
        :func:`~snnmem.plasticity.reference.pair_stdp_reference`). Bounds ignored.
        """
        delta_t = np.asarray(delta_t, dtype=float)
        scale = w0 if self.weight_dependence == "multiplicative" else 1.0
        return np.where(
            delta_t >= 0,
            self.a_plus * np.exp(-np.abs(delta_t) / self.tau_plus),
            -self.a_minus * scale * np.exp(-np.abs(delta_t) / self.tau_minus),
        )

    def reference(
        self, pre_times: np.ndarray, post_times: np.ndarray, w0: float | np.ndarray = 0.5
    ) -> "WeightTrajectory":
        """Exact event-driven numpy trajectory, see :func:`~snnmem.plasticity.reference.pair_stdp_reference`."""
        return pair_stdp_reference(self, pre_times, post_times, w0)


def pair_stdp_reference(
    rule: "PairSTDP", pre_times: np.ndarray, post_times: np.ndarray, w0: float = 0.5
) -> WeightTrajectory:
    r"""Pair STDP (:class:`~snnmem.plasticity.PairSTDP`) on one synapse.

    Between events :math:`x \leftarrow x e^{-\Delta t/\tau_+}`,
    :math:`y \leftarrow y e^{-\Delta t/\tau_-}`.  At a pre event:
    :math:`w \leftarrow \mathrm{clip}(w - A_- y)` (additive) or
    :math:`\mathrm{clip}(w - A_- w y)` (multiplicative), then :math:`x \leftarrow x+1`
    (all-to-all) or :math:`1` (nearest-spike).  At a post event:
    :math:`w \leftarrow \mathrm{clip}(w + A_+ x)`, then :math:`y \leftarrow y+1` or 1.
    """
    times, kinds = _events(pre_times, post_times)
    all_to_all = rule.interaction == "all_to_all"
    multiplicative = rule.weight_dependence == "multiplicative"
    w = float(w0)
    pre_trace = post_trace = 0.0
    last = 0.0
    weights = np.empty(times.size)
    for k, (t, kind) in enumerate(zip(times, kinds)):
        pre_trace = _decay(pre_trace, t - last, rule.tau_plus)
        post_trace = _decay(post_trace, t - last, rule.tau_minus)
        last = t
        if kind == PRE:
            depression = rule.a_minus * post_trace * (w if multiplicative else 1.0)
            w = clip_value(w - depression, rule.w_min, rule.w_max)
            pre_trace = pre_trace + 1.0 if all_to_all else 1.0
        else:
            w = clip_value(w + rule.a_plus * pre_trace, rule.w_min, rule.w_max)
            post_trace = post_trace + 1.0 if all_to_all else 1.0
        weights[k] = w
    return WeightTrajectory(times, kinds, weights, float(w0))
