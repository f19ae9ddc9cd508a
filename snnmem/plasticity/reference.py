r"""Exact event-driven numpy references of the plasticity rules.

These functions are the oracle of the Brian2 implementations: they take spike
times (seconds) and return the trajectory of the plastic variables, evaluated
exactly between events (traces decay as :math:`e^{-\Delta t/\tau}`).  Coincident
spikes follow Brian2's order: at equal times all presynaptic events are processed
before postsynaptic ones.  No Brian2 import.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ._common import clip_value

if TYPE_CHECKING:  # pragma: no cover
    from .rules import InhibitorySTDP, PairSTDP, TripletSTDP, TsodyksMarkramSTP

PRE = 0
POST = 1


@dataclass(frozen=True)
class WeightTrajectory:
    """Weight after each spike event.

    Attributes
    ----------
    times : ndarray
        Event times (s), sorted; coincident pre/post events appear pre first.
    kinds : ndarray of int
        0 for a presynaptic event, 1 for a postsynaptic one.
    weights : ndarray
        ``w`` just after each event.
    w0 : float
        Initial weight.
    """

    times: np.ndarray
    kinds: np.ndarray
    weights: np.ndarray
    w0: float

    @property
    def final(self) -> float:
        """Weight after the last event (``w0`` when there are no events)."""
        return float(self.weights[-1]) if len(self.weights) else float(self.w0)

    def at(self, t: float) -> float:
        """Weight just after all events at times <= ``t``."""
        n = int(np.searchsorted(self.times, t, side="right"))
        return float(self.weights[n - 1]) if n else float(self.w0)


@dataclass(frozen=True)
class STPTrajectory:
    """Short-term plasticity state at each presynaptic spike.

    Attributes
    ----------
    times : ndarray
        Spike times (s), sorted.
    utilization : ndarray
        :math:`u^+`, after facilitation.
    resources_before : ndarray
        :math:`x^-`, just before the spike.
    release : ndarray
        :math:`u^+ x^-`, fraction of resources released (multiply by :math:`J`).
    resources : ndarray
        :math:`x^+ = x^- - u^+ x^-`, after depletion.
    """

    times: np.ndarray
    utilization: np.ndarray
    resources_before: np.ndarray
    release: np.ndarray
    resources: np.ndarray


def _events(pre_times: np.ndarray, post_times: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    pre = np.asarray(pre_times, dtype=float).ravel()
    post = np.asarray(post_times, dtype=float).ravel()
    if not (np.all(np.isfinite(pre)) and np.all(np.isfinite(post))):
        raise ValueError("spike times must be finite")
    times = np.concatenate([pre, post])
    kinds = np.concatenate([np.full(pre.size, PRE), np.full(post.size, POST)])
    order = np.lexsort((kinds, times))  # by time, then pre before post
    return times[order], kinds[order]


def _decay(value: float, elapsed: float, tau: float) -> float:
    return value * np.exp(-elapsed / tau)


def pair_stdp_reference(rule: "PairSTDP", pre_times: np.ndarray, post_times: np.ndarray,
                        w0: float = 0.5) -> WeightTrajectory:
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


def triplet_stdp_reference(rule: "TripletSTDP", pre_times: np.ndarray, post_times: np.ndarray,
                           w0: float = 1.0) -> WeightTrajectory:
    r"""Triplet STDP (:class:`~snnmem.plasticity.TripletSTDP`) on one synapse.

    At a pre event: :math:`w \leftarrow w - o_1 (A_2^- + A_3^- r_2)` with :math:`r_2`
    read before its update, then :math:`r_1, r_2` updated.  At a post event:
    :math:`w \leftarrow w + r_1 (A_2^+ + A_3^+ o_2)` with :math:`o_2` read before its
    update, then :math:`o_1, o_2` updated.  All traces decay exponentially between
    events; optional hard bounds clip ``w``.
    """
    times, kinds = _events(pre_times, post_times)
    all_to_all = rule.interaction == "all_to_all"
    w = float(w0)
    r1 = r2 = o1 = o2 = 0.0
    last = 0.0
    weights = np.empty(times.size)
    for k, (t, kind) in enumerate(zip(times, kinds)):
        elapsed = t - last
        last = t
        r1 = _decay(r1, elapsed, rule.tau_plus)
        r2 = _decay(r2, elapsed, rule.tau_x)
        o1 = _decay(o1, elapsed, rule.tau_minus)
        o2 = _decay(o2, elapsed, rule.tau_y)
        if kind == PRE:
            w = clip_value(w - o1 * (rule.a2_minus + rule.a3_minus * r2), rule.w_min, rule.w_max)
            r1, r2 = (r1 + 1.0, r2 + 1.0) if all_to_all else (1.0, 1.0)
        else:
            w = clip_value(w + r1 * (rule.a2_plus + rule.a3_plus * o2), rule.w_min, rule.w_max)
            o1, o2 = (o1 + 1.0, o2 + 1.0) if all_to_all else (1.0, 1.0)
        weights[k] = w
    return WeightTrajectory(times, kinds, weights, float(w0))


def inhibitory_stdp_reference(rule: "InhibitorySTDP", pre_times: np.ndarray,
                              post_times: np.ndarray, w0: float = 1.0) -> WeightTrajectory:
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
