"""The heterosynaptic, transmitter-induced and consolidation terms of Zenke, Agnes & Gerstner (2015).

Zenke F, Agnes EJ, Gerstner W (2015). Diverse synaptic plasticity mechanisms orchestrated
to form and retrieve memories in spiking neural networks. Nat Commun 6:6922
(doi:10.1038/ncomms7922). Their E->E rule is a minimal triplet rule plus three terms,
which :class:`Orchestration` adds to :class:`~snnmem.plasticity.TripletSTDP`:

.. math::
    \\frac{dw}{dt} = \\text{triplet}
      \\;-\\; \\beta\\,(w - \\tilde w)\\,(o_1)^3\\,S_\\text{post}(t)
      \\;+\\; \\delta\\,S_\\text{pre}(t),
    \\qquad
    \\tau_\\text{cons}\\frac{d\\tilde w}{dt} = (w - \\tilde w)
      + P\\,(w_\\text{low} - \\tilde w)(w_\\text{mid} - \\tilde w)(w_\\text{high} - \\tilde w),

- **heterosynaptic**: at each postsynaptic spike every incoming weight moves toward its
  reference :math:`\\tilde w` by :math:`\\beta (o_1)^3 (w - \\tilde w)`, :math:`o_1` the
  postsynaptic trace of time constant :math:`\\tau_-` read before the spike's own update
  (the paper's :math:`z_i^-(t - \\epsilon)`); cubed, it acts where the cell fires fast;
- **transmitter-induced**: each presynaptic spike adds :math:`\\delta`;
- **consolidation**: the reference :math:`\\tilde w` follows :math:`w` slowly and is
  bistable between :math:`w_\\text{low}` and :math:`w_\\text{high}`
  (:math:`w_\\text{mid}` halfway). Like the authors' code it is integrated by Euler steps
  every ``interval`` (their 1.2 s for :math:`\\tau_\\text{cons}` = 1200 s), run at the start
  of the time step. With ``tau_consolidation = 0`` the reference stays where it starts
  (``w_low``; the authors' ``--noconsolidation``).

``strength`` sets :math:`P` as the authors' code does: the cubic term, evaluated a quarter
of the way from ``w_low`` to ``w_high``, equals ``-strength``
(``pot_strength / normalization_factor`` in their ``sim_rc_p10c.cpp``).

Values from the authors' simulation code (github.com/fzenke/pub2015orchestrated:
``P10Connection.cpp``, ``sim_rc_p10c.cpp`` and the run scripts), where the initial E->E weight
is 0.1: :math:`\\beta` = 0.04 (run scripts; 0.05 is the program's default), :math:`\\delta` =
2e-5 per presynaptic spike (0.02 x the learning rate 1e-3), :math:`\\tau_\\text{cons}` = 1200 s
in steps of 1.2 s, :math:`w_\\text{low}` = 0, :math:`w_\\text{high}` = 0.5, strength 0.1.
Relative to the initial weight (snnmem's E->E weights start at 1): :math:`\\delta` = 2e-4,
``w_high`` = 5, ``strength`` = 1; :math:`\\beta` multiplies a difference of weights and does
not scale.

No Brian2 import.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._common import check_nonnegative, check_positive

__all__ = ["Orchestration", "ZENKE2015"]

ZENKE2015 = (
    "Zenke F, Agnes EJ, Gerstner W (2015). Diverse synaptic plasticity mechanisms orchestrated to form and "
    "retrieve memories in spiking neural networks. Nat Commun 6:6922; values from the authors' code "
    "(github.com/fzenke/pub2015orchestrated: P10Connection.cpp, sim_rc_p10c.cpp, globalvars.sh)."
)


@dataclass(frozen=True)
class Orchestration:
    """Zenke et al. (2015)'s heterosynaptic, transmitter-induced and consolidation terms (module docstring).

    Parameters
    ----------
    beta : float
        Heterosynaptic rate (>= 0; 0: no heterosynaptic term).
    delta : float
        Transmitter-induced change per presynaptic spike (>= 0, weight units).
    tau_consolidation : float
        Time constant of the reference weight in seconds (>= 0; 0: the reference stays at ``w_low``).
    interval : float
        Euler step of the reference weight in seconds (> 0).
    w_low, w_high : float
        The two stable values of the reference weight (``w_low`` < ``w_high``).
    strength : float
        Height of the bistable potential: the cubic term a quarter of the way from ``w_low``
        to ``w_high`` equals ``-strength`` (>= 0).
    """

    beta: float = 0.0
    delta: float = 0.0
    tau_consolidation: float = 0.0
    interval: float = 1.2
    w_low: float = 0.0
    w_high: float = 5.0
    strength: float = 1.0

    def __post_init__(self) -> None:
        for name in ("beta", "delta", "tau_consolidation", "strength"):
            check_nonnegative(name, getattr(self, name))
        check_positive("interval", self.interval)
        if not np.isfinite(self.w_low) or not np.isfinite(self.w_high) or self.w_low >= self.w_high:
            raise ValueError(f"w_low = {self.w_low!r} must be below w_high = {self.w_high!r} (both finite)")

    @property
    def has_reference(self) -> bool:
        """True when the synapses need their reference weight ``w_tilde`` (a heterosynaptic term)."""
        return self.beta > 0

    @property
    def consolidates(self) -> bool:
        """True when ``w_tilde`` evolves (a heterosynaptic term and a consolidation time constant)."""
        return self.has_reference and self.tau_consolidation > 0

    @property
    def w_mid(self) -> float:
        """The unstable value halfway between ``w_low`` and ``w_high``."""
        return 0.5 * (self.w_low + self.w_high)

    @property
    def potential(self) -> float:
        """:math:`P`: the cubic term at ``w_low + (w_high - w_low) / 4`` equals ``-strength``."""
        q = self.w_low + 0.25 * (self.w_high - self.w_low)
        return self.strength / abs((self.w_low - q) * (self.w_mid - q) * (self.w_high - q))

    @property
    def step_fraction(self) -> float:
        """``interval / tau_consolidation``: one Euler step's share of the relaxation (0 without consolidation)."""
        return self.interval / self.tau_consolidation if self.consolidates else 0.0

    def namespace(self) -> dict[str, float]:
        """Names used by the rule's code (dimensionless)."""
        return {
            "beta_hetero": self.beta,
            "delta_transmitter": self.delta,
            "consolidation_step": self.step_fraction,
            "consolidation_potential": self.potential,
            "w_consolidated_low": self.w_low,
            "w_consolidated_mid": self.w_mid,
            "w_consolidated_high": self.w_high,
        }

    def consolidation_code(self, gate: str = "") -> str:
        """Brian2 code of one Euler step of ``w_tilde`` (``gate``: optional expression that multiplies it)."""
        factor = f"{gate}*" if gate else ""
        return (
            f"w_tilde = w_tilde + {factor}consolidation_step*((w - w_tilde) + consolidation_potential"
            "*(w_consolidated_low - w_tilde)*(w_consolidated_mid - w_tilde)*(w_consolidated_high - w_tilde))"
        )

    def consolidation_step(self, w: np.ndarray | float, w_tilde: np.ndarray | float) -> np.ndarray | float:
        """``w_tilde`` after one Euler step, in numpy (the reference of :meth:`consolidation_code`)."""
        if not self.consolidates:
            return w_tilde
        cubic = (self.w_low - w_tilde) * (self.w_mid - w_tilde) * (self.w_high - w_tilde)
        return w_tilde + self.step_fraction * ((w - w_tilde) + self.potential * cubic)
