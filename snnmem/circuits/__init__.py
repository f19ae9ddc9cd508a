"""Circuits: one module per family of networks.

Each circuit module exposes

- ``SCHEMA``: section -> key -> :class:`snnmem.config.Param`, every parameter the
  circuit understands with its default (the published value) and unit;
- ``protocol(spec) -> list[Phase]``: the phases of a run;
- ``build(spec) -> BuiltNetwork``: the Brian2 objects (Brian2 is imported here,
  never at module import);
- ``score(spec, spikes, phases) -> (scores, arrays)``: recall scores from spikes.

Modules are imported lazily so that reading a schema does not import Brian2.
"""
from __future__ import annotations

from importlib import import_module
from types import ModuleType
from typing import Any, Mapping

#: circuit name -> module implementing it
CIRCUITS = {
    "ring_attractor": "snnmem.circuits.ring",
    "item_attractor": "snnmem.circuits.item_attractor",  # Brunel & Wang 2001
    "stp_working_memory": "snnmem.circuits.stp_memory",  # Mongillo, Barak & Tsodyks 2008
    "plastic_assemblies": "snnmem.circuits.assemblies",  # STDP cell assemblies, Litwin-Kumar & Doiron 2014
}


def known_circuits() -> tuple[str, ...]:
    """Names accepted in a model file's ``model.circuit``."""
    return tuple(CIRCUITS)


def get_circuit(name: str) -> ModuleType:
    """The module implementing circuit ``name``."""
    try:
        return import_module(CIRCUITS[name])
    except KeyError:
        raise KeyError(f"unknown circuit {name!r}; known: {sorted(CIRCUITS)}") from None


def get_circuit_schema(name: str) -> Mapping[str, Mapping[str, Any]]:
    """The parameter schema of circuit ``name``."""
    return get_circuit(name).SCHEMA
