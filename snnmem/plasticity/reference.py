r"""Exact event-driven numpy references of the plasticity rules.

These functions are the oracle of the Brian2 implementations: they take spike
times (seconds) and return the trajectory of the plastic variables, evaluated
exactly between events (traces decay as :math:`e^{-\Delta t/\tau}`).  Coincident
spikes follow Brian2's order: at equal times all presynaptic events are processed
before postsynaptic ones.  No Brian2 import.

Each reference lives beside its rule (``pair``, ``triplet``, ``inhibitory``, ``stp``);
this module gathers them.
"""

from __future__ import annotations

from ._base import STPTrajectory, WeightTrajectory
from .inhibitory import inhibitory_stdp_reference
from .pair import pair_stdp_reference
from .stp import tsodyks_markram_reference
from .triplet import triplet_stdp_reference

__all__ = [
    "WeightTrajectory",
    "STPTrajectory",
    "pair_stdp_reference",
    "triplet_stdp_reference",
    "inhibitory_stdp_reference",
    "tsodyks_markram_reference",
]
