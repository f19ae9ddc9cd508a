"""snnmem: memory in spiking neural networks.

Working memory (ring and item attractors, activity-silent STP memory), long-term
memory (STDP-formed cell assemblies), numba recall analysis and one self-describing
HDF5 file per run.

Importing :mod:`snnmem` is cheap and has no side effects: Brian2 is imported only
when a network is built (``snnmem.simulate``), so reading run files and analysing
spikes never pays for it.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from ._version import __version__

_LAZY = {
    "load_model": ("snnmem.config", "load_model"),
    "ModelSpec": ("snnmem.config", "ModelSpec"),
    "ConfigError": ("snnmem.errors", "ConfigError"),
    "RunFileError": ("snnmem.errors", "RunFileError"),
    "simulate": ("snnmem.simulation", "simulate"),
    "Run": ("snnmem.run", "Run"),
    "open_run": ("snnmem.run", "open_run"),
    "sweep": ("snnmem.sweeps", "sweep"),
    "read_index": ("snnmem.sweeps", "read_index"),
    "read_spikes": ("snnmem.io", "read_spikes"),
    "plot": ("snnmem.plot", None),
    "analysis": ("snnmem.analysis", None),
}

__all__ = ["__version__", *_LAZY]


def __getattr__(name: str) -> Any:
    try:
        module_name, attr = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'snnmem' has no attribute {name!r}") from None
    module = import_module(module_name)
    return module if attr is None else getattr(module, attr)
