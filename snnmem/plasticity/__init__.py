"""Synaptic plasticity rules for Brian2, with exact numpy references.

Rules (frozen dataclasses; parameters in SI floats, weights dimensionless):

* :class:`PairSTDP` — pair STDP, additive (Song et al. 2000) or multiplicative
  (van Rossum et al. 2000), all-to-all or nearest-spike, hard bounds;
* :class:`TripletSTDP` — triplet STDP (Pfister & Gerstner 2006), optionally with
  :class:`Orchestration`, the heterosynaptic, transmitter-induced and consolidation terms
  of Zenke, Agnes & Gerstner (2015);
* :class:`InhibitorySTDP` — inhibitory STDP (Vogels et al. 2011);
* :class:`TsodyksMarkramSTP` — short-term plasticity in the order of Mongillo et al. (2008).

Each rule gives Brian2 ``model``/``on_pre``/``on_post`` strings (event- or
clock-driven traces), a :meth:`namespace`, named presets with citations, and a
``reference`` method backed by :mod:`snnmem.plasticity.reference`.

Example
-------
>>> from snnmem.plasticity import TripletSTDP
>>> rule = TripletSTDP.preset("pfister2006_visual_minimal_all_to_all")
>>> syn = Synapses(pre, post, **rule.synapses_kwargs(on_pre_effect="g_e_post += w*nS"))  # doctest: +SKIP

Importing this package does not import Brian2.
"""

from __future__ import annotations

from ._common import Preset
from .reference import (
    STPTrajectory,
    WeightTrajectory,
    inhibitory_stdp_reference,
    pair_stdp_reference,
    triplet_stdp_reference,
    tsodyks_markram_reference,
)
from .rules import InhibitorySTDP, Orchestration, PairSTDP, TripletSTDP, TsodyksMarkramSTP

__all__ = [
    "PairSTDP",
    "TripletSTDP",
    "Orchestration",
    "InhibitorySTDP",
    "TsodyksMarkramSTP",
    "Preset",
    "WeightTrajectory",
    "STPTrajectory",
    "pair_stdp_reference",
    "triplet_stdp_reference",
    "inhibitory_stdp_reference",
    "tsodyks_markram_reference",
]
