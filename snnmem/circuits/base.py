"""What a circuit hands to the simulator."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class BuiltNetwork:
    """Brian2 objects of one network, ready to run.

    Attributes
    ----------
    objects
        Every Brian2 object to add to the ``Network``.
    spike_monitors
        population name -> ``SpikeMonitor`` (the populations saved to the run file).
    n_neurons
        population name -> size.
    info
        circuit-specific facts worth recording (e.g. number of Fourier modes used).
    """

    objects: list[Any]
    spike_monitors: dict[str, Any]
    n_neurons: dict[str, int]
    info: dict[str, Any] = field(default_factory=dict)
