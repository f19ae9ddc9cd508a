"""Drive a plasticity rule in Brian2 with given spike trains.

:func:`drive_synapses` builds a fresh, fully named Brian2 ``Network`` with one
synapse per spike-train pair (presynaptic neuron ``k`` -> postsynaptic neuron
``k``), runs it and returns the final (and optionally recorded) synaptic state.
It is what the agreement tests and the pairing-protocol validations use; it never
changes Brian2's global preferences or ``defaultclock``: every object gets its own
``dt`` and code-object class.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np

from ._common import check_mode, check_positive

_TARGETS = ("numpy", "cython", None)


@dataclass
class DriveResult:
    """Outcome of :func:`drive_synapses`.

    Attributes
    ----------
    final : dict of str to ndarray
        Each recorded synaptic variable at the end of the run, one value per synapse.
    times : ndarray
        Recording times (s) when ``record`` was given (values after the synapse
        updates of that step), else empty.
    traces : dict of str to ndarray
        ``[n_synapses, n_times]`` arrays of the recorded variables.
    """

    final: dict[str, np.ndarray]
    times: np.ndarray = field(default_factory=lambda: np.empty(0))
    traces: dict[str, np.ndarray] = field(default_factory=dict)


def _codeobj_class(target: str | None) -> Any:
    if target not in _TARGETS:
        raise ValueError(f"target must be 'numpy', 'cython' or None, got {target!r}")
    if target == "numpy":
        from brian2.codegen.runtime.numpy_rt import NumpyCodeObject

        return NumpyCodeObject
    if target == "cython":
        from brian2.codegen.runtime.cython_rt import CythonCodeObject

        return CythonCodeObject
    return None


def _flatten(trains: Sequence[np.ndarray], dt: float) -> tuple[np.ndarray, np.ndarray]:
    indices, times = [], []
    for k, train in enumerate(trains):
        train = np.asarray(train, dtype=float).ravel()
        steps = np.round(train / dt)
        if np.any(np.abs(steps * dt - train) > 1e-6 * dt):
            raise ValueError(f"spike train {k}: spike times must be multiples of dt={dt!r} s")
        if np.unique(steps).size != steps.size:
            raise ValueError(f"spike train {k}: two spikes in the same time step")
        indices.append(np.full(train.size, k, dtype=int))
        times.append(train)
    return (np.concatenate(indices) if indices else np.empty(0, int), np.concatenate(times) if times else np.empty(0))


def drive_synapses(
    rule: Any,
    pre_trains: Sequence[np.ndarray],
    post_trains: Sequence[np.ndarray] | None = None,
    *,
    initial: dict[str, float | np.ndarray] | None = None,
    dt: float = 1e-4,
    mode: str = "event-driven",
    target: str | None = "numpy",
    record: Sequence[str] | None = None,
    duration: float | None = None,
    variables: Sequence[str] = ("w",),
) -> DriveResult:
    """Run ``rule`` on one synapse per train pair in a fresh Brian2 network.

    Parameters
    ----------
    rule : PairSTDP, TripletSTDP, InhibitorySTDP or TsodyksMarkramSTP
        A rule of :mod:`snnmem.plasticity` (its ``synapses_kwargs``, ``initial_values`` and
        ``regular_updates``).
    pre_trains, post_trains : sequence of array_like
        Spike times (s, multiples of ``dt``) of presynaptic / postsynaptic neuron
        ``k``.  ``post_trains=None`` gives silent postsynaptic neurons.
    initial : dict, optional
        Initial values of synaptic variables (e.g. ``{"w": 1.0}``).
    dt : float
        Time step in seconds.
    mode : {"event-driven", "clock-driven"}
    target : {"numpy", "cython", None}
        Code generation target of every object (None: Brian2's preference).
    record : sequence of str, optional
        Synaptic variables to record every step (``when="end"``).
    duration : float, optional
        Run length in s (default: last spike + 2 dt).
    variables : sequence of str
        Synaptic variables whose final values are returned.

    Returns
    -------
    DriveResult
    """
    import brian2 as b2

    check_mode(mode)
    check_positive("dt", dt)
    n = len(pre_trains)
    if n == 0:
        raise ValueError("pre_trains must contain at least one spike train")
    post_trains = [np.empty(0)] * n if post_trains is None else post_trains
    if len(post_trains) != n:
        raise ValueError("pre_trains and post_trains must have the same length")
    codeobj_class = _codeobj_class(target)
    dt_q = dt * b2.second
    pre_idx, pre_t = _flatten(pre_trains, dt)
    post_idx, post_t = _flatten(post_trains, dt)
    last = max(pre_t.max(initial=0.0), post_t.max(initial=0.0))
    duration = last + 2 * dt if duration is None else duration

    pre = b2.SpikeGeneratorGroup(n, pre_idx, pre_t * b2.second, dt=dt_q, codeobj_class=codeobj_class, name="drive_pre")
    post = b2.SpikeGeneratorGroup(
        n, post_idx, post_t * b2.second, dt=dt_q, codeobj_class=codeobj_class, name="drive_post"
    )
    kwargs = rule.synapses_kwargs(mode)
    if "on_post" not in kwargs:  # rules without a postsynaptic update (STP)
        kwargs["on_post"] = None
    synapses = b2.Synapses(pre, post, dt=dt_q, codeobj_class=codeobj_class, name="drive_synapses", **kwargs)
    synapses.connect(j="i")
    for k, (code, interval) in enumerate(rule.regular_updates()):
        synapses.run_regularly(
            code, dt=interval * b2.second, when="start", codeobj_class=codeobj_class, name=f"drive_regular_{k}"
        )
    values = dict(rule.initial_values())
    values.update(initial or {})
    for name, value in values.items():
        setattr(synapses, name, value)
    objects = [pre, post, synapses]
    monitor = None
    if record:
        monitor = b2.StateMonitor(
            synapses, list(record), record=True, when="end", dt=dt_q, codeobj_class=codeobj_class, name="drive_monitor"
        )
        objects.append(monitor)
    network = b2.Network(*objects, name="drive_network")
    network.run(duration * b2.second, namespace={})
    final = {name: np.array(getattr(synapses, name)[:], dtype=float) for name in variables}
    if monitor is None:
        return DriveResult(final)
    traces = {name: np.array(getattr(monitor, name), dtype=float) for name in record}
    return DriveResult(final, np.array(monitor.t / b2.second), traces)
