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

Each rule lives beside its exact reference in its own module (``pair``, ``triplet``,
``inhibitory``, ``stp``); this module gathers the rules.
"""

from __future__ import annotations

from ._base import INTERACTIONS, WEIGHT_DEPENDENCES
from .inhibitory import InhibitorySTDP
from .orchestration import Orchestration
from .pair import PairSTDP
from .stp import TsodyksMarkramSTP
from .triplet import TripletSTDP

__all__ = [
    "PairSTDP",
    "TripletSTDP",
    "Orchestration",
    "InhibitorySTDP",
    "TsodyksMarkramSTP",
    "INTERACTIONS",
    "WEIGHT_DEPENDENCES",
]
