"""One registry: circuits, tasks and figures by name.

Each entry is a ``"module:Class"`` path, imported when first asked for, so that
reading the registry (``snnmem validate --list``, loading a model file's schema)
imports neither Brian2 nor every circuit. A new circuit or task is one new file
plus one line here (or a call to :func:`register`, e.g. from a user's script or a
test).
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__all__ = ["KINDS", "register", "get", "names", "unregister"]

#: kind -> name -> "module:attribute"
_ENTRIES: dict[str, dict[str, Any]] = {
    "circuit": {
        "ring_attractor": "snnmem.circuits.ring:RingAttractor",  # Compte et al. 2000
        "item_attractor": "snnmem.circuits.item_attractor:ItemAttractor",  # Brunel & Wang 2001
        "stp_working_memory": "snnmem.circuits.stp_memory:STPWorkingMemory",  # Mongillo, Barak & Tsodyks 2008
        "plastic_assemblies": "snnmem.circuits.assemblies:PlasticAssemblies",  # Litwin-Kumar & Doiron 2014
        "consolidation": "snnmem.circuits.consolidation:Consolidation",  # HPC -> CTX replay (systems consolidation)
    },
    "task": {
        "delayed_recall": "snnmem.tasks.delayed_recall:DelayedRecall",
        "distractor": "snnmem.tasks.distractor:Distractor",
        "load": "snnmem.tasks.load:Load",
        "reset": "snnmem.tasks.reset:Reset",
        "completion": "snnmem.tasks.completion:Completion",
        "retention": "snnmem.tasks.retention:Retention",
        "consolidation": "snnmem.tasks.consolidation:Consolidation",
    },
    # the standard figure of a native-protocol run, by circuit (task runs: snnmem.plot.task_figure)
    "figure": {
        "ring_attractor": "snnmem.plot.ring:ring_figure",
        "item_attractor": "snnmem.plot.items:item_figure",
        "stp_working_memory": "snnmem.plot.items:stp_figure",
        "plastic_assemblies": "snnmem.plot.assemblies:assemblies_figure",
        "consolidation": "snnmem.plot.consolidation:consolidation_figure",
    },
    # the figure of a task run, where the task has its own (others: snnmem.plot.task_figure)
    "task_figure": {
        "consolidation": "snnmem.plot.consolidation:consolidation_figure",
    },
}
#: kinds whose entries are classes, instantiated once on first use (figures are functions)
_INSTANTIATED = ("circuit", "task")
KINDS = tuple(_ENTRIES)
_INSTANCES: dict[tuple[str, str], Any] = {}


def _kind(kind: str) -> dict[str, Any]:
    try:
        return _ENTRIES[kind]
    except KeyError:
        raise KeyError(f"unknown registry kind {kind!r}; kinds: {list(KINDS)}") from None


def register(kind: str, name: str, target: Any) -> None:
    """Register ``target`` (a class, or a ``"module:Class"`` path) as ``kind`` ``name``.

    Raises ``ValueError`` if the name is taken (unregister it first).
    """
    entries = _kind(kind)
    if name in entries:
        raise ValueError(f"{kind} {name!r} is already registered")
    entries[name] = target


def unregister(kind: str, name: str) -> None:
    """Remove an entry (tests and user scripts that registered their own)."""
    _kind(kind).pop(name, None)
    _INSTANCES.pop((kind, name), None)


def names(kind: str) -> tuple[str, ...]:
    """Registered names of one kind, in registration order."""
    return tuple(_kind(kind))


def get(kind: str, name: str) -> Any:
    """The entry registered as ``kind`` ``name``: an instance (circuits, tasks; created once) or a function.

    Raises ``KeyError`` naming the known entries.
    """
    entries = _kind(kind)
    if name not in entries:
        raise KeyError(f"unknown {kind} {name!r}; known: {sorted(entries)}")
    key = (kind, name)
    if key not in _INSTANCES:
        target = entries[name]
        if isinstance(target, str):
            module, _, attribute = target.partition(":")
            target = getattr(import_module(module), attribute)
        _INSTANCES[key] = target() if kind in _INSTANTIATED else target
    return _INSTANCES[key]
