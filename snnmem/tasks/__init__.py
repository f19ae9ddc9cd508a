"""Memory tasks: protocols and scores that run on any circuit with a memory map and a stimulus port.

One module per task, each a :class:`~snnmem.tasks.base.Task` registered in
:mod:`snnmem.registry`. A model file names its task in a ``[task]`` table
(``name = "distractor"`` plus the task's parameters); without one, the circuit runs
its native protocol. Tasks never import circuits: they see a circuit only through
its memory map (:class:`~snnmem.analysis.memory.MemoryMap`) and give it a
:class:`~snnmem.protocols.Schedule`.
"""

from __future__ import annotations

from .. import registry
from .base import Task

__all__ = ["Task", "known_tasks", "get_task"]


def known_tasks() -> tuple[str, ...]:
    """Names accepted in a model file's ``task.name``."""
    return registry.names("task")


def get_task(name: str) -> Task:
    """The task registered as ``name``."""
    return registry.get("task", name)
