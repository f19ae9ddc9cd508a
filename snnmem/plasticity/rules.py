"""Plasticity rules as frozen, documented parameter objects.

Every rule stores its parameters as SI floats (seconds, hertz; weights are
dimensionless) so that importing this module does not import Brian2.  Each rule
produces the three code strings of a Brian2 :class:`~brian2.synapses.synapses.Synapses`
(``model``, ``on_pre``, ``on_post``) in two flavours:

``mode="event-driven"``
    traces are ``(event-driven)`` and only updated at spikes (exact, cheap);
``mode="clock-driven"``
    traces are ``(clock-driven)`` and integrated every time step (use this when
    another clock-driven equation needs to read a trace).

The code refers to the parameters by name (``tau_plus``, ``a3_plus``...); pass
:meth:`namespace` (Brian2 quantities) to ``Synapses(..., namespace=...)``, or use
:meth:`synapses_kwargs` which bundles all four.  Brian2 processes the ``pre``
pathway before the ``post`` pathway within a time step; the numpy references in
:mod:`snnmem.plasticity.reference` use the same convention for coincident spikes.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from typing import TYPE_CHECKING, Any, ClassVar, Mapping

import numpy as np

from ._common import (
    Mode,
    Preset,
    bound_names,
    check_bounds,
    check_choice,
    check_mode,
    check_nonnegative,
    check_positive,
    clip_expression,
    freeze_presets,
    gate_factor,
    join_code,
    lookup_preset,
)

if TYPE_CHECKING:  # pragma: no cover
    from .reference import STPTrajectory, WeightTrajectory

INTERACTIONS: tuple[str, ...] = ("all_to_all", "nearest_spike")
WEIGHT_DEPENDENCES: tuple[str, ...] = ("additive", "multiplicative")


def _trace_flag(mode: Mode) -> str:
    check_mode(mode)
    return "(event-driven)" if mode == "event-driven" else "(clock-driven)"


def _trace_increment(name: str, interaction: str) -> str:
    """All-to-all traces add 1 per spike; nearest-spike traces are reset to 1."""
    return f"{name} += 1" if interaction == "all_to_all" else f"{name} = 1"


class _RuleMixin:
    """Preset lookup, ``synapses_kwargs`` and ``replace`` shared by all rules."""

    _PRESETS: ClassVar[Mapping[str, Preset]]

    @classmethod
    def presets(cls) -> dict[str, Preset]:
        """All named parameter sets of this rule, with their citations."""
        return dict(cls._PRESETS)

    @classmethod
    def preset(cls, name: str, **overrides: Any):
        """Rule with the parameters of preset ``name`` (``overrides`` replace some).

        Raises
        ------
        ValueError
            If ``name`` is not a preset of this rule (the message lists them).
        """
        preset = lookup_preset(cls._PRESETS, name, cls.__name__)
        return cls(**{**preset.parameters, **overrides})

    def replace(self, **changes: Any):
        """Copy of this rule with some parameters changed (checked again)."""
        return replace(self, **changes)

    def as_dict(self) -> dict[str, Any]:
        """Parameters as a plain dict (SI floats and strings)."""
        return asdict(self)

    def synapses_kwargs(self, mode: Mode = "event-driven", on_pre_effect: str = "",
                        on_post_effect: str = "", gate: str = "") -> dict[str, Any]:
        """Keyword arguments for ``brian2.Synapses(source, target, **kwargs)``.

        Parameters
        ----------
        mode : {"event-driven", "clock-driven"}
            How the traces are integrated.
        on_pre_effect : str
            Brian2 code run at each presynaptic spike *before* the plasticity
            update, e.g. ``"g_e_post += w*g_max"`` (so transmission uses the
            weight before this spike's change).  Names it uses that are not
            variables must be added to the returned ``namespace``.
        on_post_effect : str
            Brian2 code run at each postsynaptic spike, before the update.
        gate : str
            Optional Brian2 expression multiplying every weight change (a
            learning-rate schedule such as ``plastic_ee(t)``; 0 freezes the weights).

        Returns
        -------
        dict
            ``model``, ``on_pre``, ``on_post``, ``namespace`` and, for clock-driven
            traces, ``method="exact"``.
        """
        kwargs: dict[str, Any] = {
            "model": self.model(mode),
            "on_pre": self.on_pre(on_pre_effect, gate) if gate else self.on_pre(on_pre_effect),
            "on_post": self.on_post(on_post_effect, gate) if gate else self.on_post(on_post_effect),
            "namespace": self.namespace(),
        }
        if mode == "clock-driven":
            kwargs["method"] = "exact"
        return kwargs


# --------------------------------------------------------------------------- pair STDP
_PAIR_PRESETS = freeze_presets({
    "song2000": Preset(
        citation="Song S, Miller KD, Abbott LF (2000) Competitive Hebbian learning through "
                 "spike-timing-dependent synaptic plasticity. Nat Neurosci 3:919-926.",
        parameters=dict(a_plus=0.005, a_minus=0.005 * 1.05, tau_plus=20e-3, tau_minus=20e-3,
                        w_min=0.0, w_max=1.0, weight_dependence="additive",
                        interaction="all_to_all"),
        note="w in units of g_max; A+ = 0.005, A-/A+ = 1.05, tau+ = tau- = 20 ms (Fig. 1).",
    ),
    "vanrossum2000": Preset(
        citation="van Rossum MCW, Bi GQ, Turrigiano GG (2000) Stable Hebbian learning from "
                 "spike timing-dependent plasticity. J Neurosci 20:8812-8821.",
        parameters=dict(a_plus=0.005, a_minus=0.005, tau_plus=20e-3, tau_minus=20e-3,
                        w_min=0.0, w_max=1.0, weight_dependence="multiplicative",
                        interaction="all_to_all"),
        note="The paper's weight dependence (LTP independent of w, LTD proportional to w) "
             "and 20 ms windows; amplitudes are dimensionless stand-ins, because the paper "
             "states them in conductance units of its own neuron model.",
    ),
    "bipoo1998": Preset(
        citation="Bi GQ, Poo MM (1998) Synaptic modifications in cultured hippocampal "
                 "neurons. J Neurosci 18:10464-10472; exponential fits as reported in "
                 "Bi GQ, Poo MM (2001) Annu Rev Neurosci 24:139-166.",
        parameters=dict(a_plus=0.777, a_minus=0.273, tau_plus=16.8e-3, tau_minus=33.7e-3,
                        w_min=0.0, w_max=2.0, weight_dependence="additive",
                        interaction="all_to_all"),
        note="Delta w / w of the whole 60-pairing protocol: +0.777 exp(-dt/16.8 ms) for "
             "dt > 0, -0.273 exp(dt/33.7 ms) for dt < 0; one model pair stands for the "
             "protocol, with w0 = 1. The bounds [0, 2] are not part of the fit.",
    ),
})


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

        return {"a_plus": self.a_plus, "a_minus": self.a_minus,
                "tau_plus": self.tau_plus * second, "tau_minus": self.tau_minus * second,
                "w_min": self.w_min, "w_max": self.w_max}

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
        depression = "a_minus*post_trace" if self.weight_dependence == "additive" \
            else "a_minus*w*post_trace"
        change = f"w - {gate_factor(gate)}{depression}"
        return join_code(effect, "w = " + clip_expression(change, self.w_min, self.w_max),
                         _trace_increment("pre_trace", self.interaction))

    def on_post(self, effect: str = "", gate: str = "") -> str:
        """Brian2 ``on_post`` code: potentiation (reads ``pre_trace``), then trace update."""
        change = f"w + {gate_factor(gate)}a_plus*pre_trace"
        return join_code(effect, "w = " + clip_expression(change, self.w_min, self.w_max),
                         _trace_increment("post_trace", self.interaction))

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
        return np.where(delta_t >= 0, self.a_plus * np.exp(-np.abs(delta_t) / self.tau_plus),
                        -self.a_minus * scale * np.exp(-np.abs(delta_t) / self.tau_minus))

    def reference(self, pre_times: np.ndarray, post_times: np.ndarray,
                  w0: float | np.ndarray = 0.5) -> "WeightTrajectory":
        """Exact event-driven numpy trajectory, see :func:`~snnmem.plasticity.reference.pair_stdp_reference`."""
        from .reference import pair_stdp_reference

        return pair_stdp_reference(self, pre_times, post_times, w0)


# ------------------------------------------------------------------------ triplet STDP
_PG2006 = ("Pfister JP, Gerstner W (2006) Triplets of spikes in a model of spike timing-"
           "dependent plasticity. J Neurosci 26:9673-9682, Table 4 (visual cortex data of "
           "Sjostrom et al. 2001).")
_TRIPLET_PRESETS = freeze_presets({
    "pfister2006_visual_minimal_all_to_all": Preset(
        citation=_PG2006,
        parameters=dict(a2_plus=0.0, a3_plus=6.5e-3, a2_minus=7.1e-3, a3_minus=0.0,
                        tau_plus=16.8e-3, tau_minus=33.7e-3, tau_x=101e-3, tau_y=114e-3,
                        interaction="all_to_all"),
        note="Minimal model, all-to-all. tau_x is not used (A3- = 0); 101 ms is a placeholder.",
    ),
    "pfister2006_visual_full_all_to_all": Preset(
        citation=_PG2006,
        parameters=dict(a2_plus=5e-10, a3_plus=6.2e-3, a2_minus=7e-3, a3_minus=2.3e-4,
                        tau_plus=16.8e-3, tau_minus=33.7e-3, tau_x=101e-3, tau_y=125e-3,
                        interaction="all_to_all"),
        note="Full model, all-to-all.",
    ),
    "pfister2006_visual_minimal_nearest_spike": Preset(
        citation=_PG2006,
        parameters=dict(a2_plus=0.0, a3_plus=5e-2, a2_minus=8e-3, a3_minus=0.0,
                        tau_plus=16.8e-3, tau_minus=33.7e-3, tau_x=101e-3, tau_y=40e-3,
                        interaction="nearest_spike"),
        note="Minimal model, nearest-spike. tau_x is not used (A3- = 0); 101 ms is a placeholder.",
    ),
})


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
    The weight is additive (no weight dependence); optional hard bounds
    ``w_min``/``w_max`` (``None``: unbounded, the published model).

    Parameters
    ----------
    a2_plus, a3_plus, a2_minus, a3_minus : float
        Pair and triplet amplitudes (>= 0).
    tau_plus, tau_minus, tau_x, tau_y : float
        Time constants of :math:`r_1, o_1, r_2, o_2` in seconds (> 0).
    interaction : {"all_to_all", "nearest_spike"}
    w_min, w_max : float or None
        Optional hard bounds.

    Brian2 variables: ``w``, ``pre_trace_r1``, ``pre_trace_r2``, ``post_trace_o1``,
    ``post_trace_o2``.
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

    _PRESETS: ClassVar[Mapping[str, Preset]] = _TRIPLET_PRESETS

    def __post_init__(self) -> None:
        for name in ("a2_plus", "a3_plus", "a2_minus", "a3_minus"):
            check_nonnegative(name, getattr(self, name))
        for name in ("tau_plus", "tau_minus", "tau_x", "tau_y"):
            check_positive(name, getattr(self, name))
        check_choice("interaction", self.interaction, INTERACTIONS)
        check_bounds(self.w_min, self.w_max)

    def namespace(self) -> dict[str, Any]:
        """Brian2 quantities for the names used in the code strings."""
        from brian2 import second

        namespace: dict[str, Any] = {
            "a2_plus": self.a2_plus, "a3_plus": self.a3_plus,
            "a2_minus": self.a2_minus, "a3_minus": self.a3_minus,
            "tau_plus": self.tau_plus * second, "tau_minus": self.tau_minus * second,
            "tau_x": self.tau_x * second, "tau_y": self.tau_y * second,
        }
        namespace.update(bound_names(self.w_min, self.w_max))
        return namespace

    def model(self, mode: Mode = "event-driven") -> str:
        """Brian2 ``model`` string: weight and the four traces."""
        flag = _trace_flag(mode)
        return join_code(
            "w : 1",
            f"dpre_trace_r1/dt = -pre_trace_r1/tau_plus : 1 {flag}",
            f"dpre_trace_r2/dt = -pre_trace_r2/tau_x : 1 {flag}",
            f"dpost_trace_o1/dt = -post_trace_o1/tau_minus : 1 {flag}",
            f"dpost_trace_o2/dt = -post_trace_o2/tau_y : 1 {flag}",
        )

    def on_pre(self, effect: str = "", gate: str = "") -> str:
        """Brian2 ``on_pre`` code: depression with :math:`r_2` read before its update.

        ``gate``: optional expression multiplying the weight change (0 freezes).
        """
        change = f"w - {gate_factor(gate)}post_trace_o1*(a2_minus + a3_minus*pre_trace_r2)"
        return join_code(effect, "w = " + clip_expression(change, self.w_min, self.w_max),
                         _trace_increment("pre_trace_r1", self.interaction),
                         _trace_increment("pre_trace_r2", self.interaction))

    def on_post(self, effect: str = "", gate: str = "") -> str:
        """Brian2 ``on_post`` code: potentiation with :math:`o_2` read before its update."""
        change = f"w + {gate_factor(gate)}pre_trace_r1*(a2_plus + a3_plus*post_trace_o2)"
        return join_code(effect, "w = " + clip_expression(change, self.w_min, self.w_max),
                         _trace_increment("post_trace_o1", self.interaction),
                         _trace_increment("post_trace_o2", self.interaction))

    def reference(self, pre_times: np.ndarray, post_times: np.ndarray,
                  w0: float | np.ndarray = 1.0) -> "WeightTrajectory":
        """Exact event-driven numpy trajectory, see :func:`~snnmem.plasticity.reference.triplet_stdp_reference`."""
        from .reference import triplet_stdp_reference

        return triplet_stdp_reference(self, pre_times, post_times, w0)


# ---------------------------------------------------------------------- inhibitory STDP
_INHIBITORY_PRESETS = freeze_presets({
    "vogels2011": Preset(
        citation="Vogels TP, Sprekeler H, Zenke F, Clopath C, Gerstner W (2011) Inhibitory "
                 "plasticity balances excitation and inhibition in sensory pathways and "
                 "memory networks. Science 334:1569-1573.",
        parameters=dict(eta=1e-4, tau_stdp=20e-3, rho0=3.0, w_min=0.0, w_max=None),
        note="tau = 20 ms, rho0 = 3 Hz (alpha = 2 rho0 tau = 0.12), eta = 1e-4; w in units "
             "of the inhibitory conductance quantum g_bar_inh.",
    ),
})


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

        namespace: dict[str, Any] = {"eta": self.eta, "tau_stdp": self.tau_stdp * second,
                                     "alpha": self.alpha}
        namespace.update(bound_names(self.w_min, self.w_max))
        return namespace

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
        return join_code(effect, "w = " + clip_expression(f"w + {gate_factor(gate)}eta*(post_trace - alpha)",
                                                          self.w_min, self.w_max),
                         "pre_trace += 1")

    def on_post(self, effect: str = "", gate: str = "") -> str:
        """Brian2 ``on_post`` code: ``w += eta*pre_trace``, then ``post_trace += 1``."""
        return join_code(effect, "w = " + clip_expression(f"w + {gate_factor(gate)}eta*pre_trace",
                                                          self.w_min, self.w_max),
                         "post_trace += 1")

    def reference(self, pre_times: np.ndarray, post_times: np.ndarray,
                  w0: float | np.ndarray = 1.0) -> "WeightTrajectory":
        """Exact event-driven numpy trajectory, see :func:`~snnmem.plasticity.reference.inhibitory_stdp_reference`."""
        from .reference import inhibitory_stdp_reference

        return inhibitory_stdp_reference(self, pre_times, post_times, w0)


# ------------------------------------------------------------ short-term plasticity
_STP_PRESETS = freeze_presets({
    "mongillo2008": Preset(
        citation="Mongillo G, Barak O, Tsodyks M (2008) Synaptic theory of working memory. "
                 "Science 319:1543-1546.",
        parameters=dict(U=0.2, tau_facilitation=1.5, tau_depression=0.2),
        note="U = 0.2, tau_F = 1.5 s, tau_D = 0.2 s (facilitation-dominated E->E synapses).",
    ),
})


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

        return {"U": self.U, "tau_facilitation": self.tau_facilitation * second,
                "tau_depression": self.tau_depression * second}

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
        return join_code("utilization += U*(1 - utilization)",
                         "release = utilization*resources",
                         effect,
                         "resources -= release")

    def on_post(self, effect: str = "") -> str:
        """STP has no postsynaptic update; returns ``effect`` (usually empty)."""
        return join_code(effect)

    def synapses_kwargs(self, mode: Mode = "event-driven", on_pre_effect: str = "",
                        on_post_effect: str = "") -> dict[str, Any]:
        """As :meth:`PairSTDP.synapses_kwargs`, without ``on_post`` unless an effect is given."""
        kwargs = super().synapses_kwargs(mode, on_pre_effect, on_post_effect)
        if not kwargs["on_post"]:
            del kwargs["on_post"]
        return kwargs

    def reference(self, spike_times: np.ndarray) -> "STPTrajectory":
        """Exact event-driven numpy trajectory, see :func:`~snnmem.plasticity.reference.tsodyks_markram_reference`."""
        from .reference import tsodyks_markram_reference

        return tsodyks_markram_reference(self, spike_times)
