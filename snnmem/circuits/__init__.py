"""Circuits: one package per family of networks, each a :class:`~snnmem.circuits.base.Circuit`.

A circuit package holds its class (``__init__.py``), ``parameters.py`` (schema, checks,
structure, memory map), ``network.py`` (the Brian2 build and stimulus port) and
``native.py`` (its native protocol and scores). Shared here: ``base.py`` (the contract),
``stimulus.py`` (the stimulus port's pieces), ``common.py`` (cell groups, rate tables,
synapse blocks, :class:`~snnmem.circuits.common.PackagedCircuit`).

Circuits are registered in :mod:`snnmem.registry` and imported lazily, so that
reading a schema does not import Brian2 (a circuit imports Brian2 in ``build``).
"""

from __future__ import annotations

from typing import Any, Mapping

from .. import registry
from .base import BuiltNetwork, Circuit, LearningCode

__all__ = ["BuiltNetwork", "Circuit", "LearningCode", "known_circuits", "get_circuit", "get_circuit_schema"]


def known_circuits() -> tuple[str, ...]:
    """Names accepted in a model file's ``model.circuit``."""
    return registry.names("circuit")


def get_circuit(name: str) -> Circuit:
    """The circuit registered as ``name``."""
    return registry.get("circuit", name)


def get_circuit_schema(name: str) -> Mapping[str, Mapping[str, Any]]:
    """The parameter schema of circuit ``name``."""
    return get_circuit(name).schema
