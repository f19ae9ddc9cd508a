"""STDP traces kept once per cell instead of once per synapse: the same rule, a fraction of the memory traffic.

With all-to-all or nearest-spike interactions a presynaptic trace depends only on the
presynaptic cell's spikes (as they arrive, after the transmission delay) and a
postsynaptic trace only on the postsynaptic cell's spikes. Brian2's event-driven
traces nevertheless live in every synapse: at each spike every synapse of the cell
decays and updates its own copies (four exponentials and six arrays touched per
synapse for the triplet rule), which makes the postsynaptic pathway of a plastic
network its largest cost.

:func:`cell_traces` rewrites a rule's code so that each trace is a variable of the
cell that owns it, decayed lazily (value and time of the last update:
:math:`x(t) = x_k e^{-(t - t_k)/\\tau}`), and updated by a one-to-one "tracer"
``Synapses`` of the cell onto itself:

- presynaptic traces by a tracer with the plastic synapses' delay, run after their
  ``pre`` pathway and before their ``post`` pathway (Brian2 runs ``pre`` at order
  -1 and ``post`` at order +1; the tracer at 0);
- postsynaptic traces by a tracer without delay, run after the ``post`` pathway
  (order 2).

The order of reads and updates within a time step is then the order Brian2 gives
per-synapse event-driven traces (a depression reads the postsynaptic trace before
a simultaneous postsynaptic spike updates it; a potentiation sees a presynaptic
spike arriving in the same step): the weights follow the same trajectory up to the
rounding of the decays (one exponential over the whole interval instead of a
product of exponentials over its parts). ``tests/test_cell_traces.py`` checks
this against per-synapse traces and the rules' numpy references.

No Brian2 import: :func:`snnmem.circuits.plastic_area.cell_trace_synapses` builds the
objects.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

__all__ = ["Trace", "CellTraces", "cell_traces"]


@dataclass(frozen=True)
class Trace:
    """One trace of a rule.

    Attributes
    ----------
    name : str
        Its name in the rule's per-synapse code (e.g. ``"pre_trace_r1"``).
    tau : str
        The namespace name of its time constant (e.g. ``"tau_plus"``).
    side : {"pre", "post"}
        The cell whose spikes drive it.
    reset : bool
        True: a spike sets it to 1 (nearest-spike); False: adds 1 (all-to-all).
    """

    name: str
    tau: str
    side: str
    reset: bool = False


@dataclass(frozen=True)
class CellTraces:
    """A rule's code with its traces in the cells (see the module docstring).

    Attributes
    ----------
    synapses_kwargs : dict
        ``model`` (``w`` and the rule's other non-trace variables per synapse), ``on_pre``, ``on_post``,
        ``namespace`` for the plastic ``Synapses``.
    pre_variables, post_variables : str
        Equation lines the presynaptic and postsynaptic groups must declare (the
        same group may need both).
    pre_tracer, post_tracer : str
        ``on_pre`` code of the one-to-one tracer of each side (writes ``*_post``, the
        cell itself); empty when the rule has no trace on that side.
    namespace : dict
        The time constants the tracers use.
    """

    synapses_kwargs: dict[str, Any]
    pre_variables: str
    post_variables: str
    pre_tracer: str
    post_tracer: str
    namespace: dict[str, Any]


def _cell_name(tag: str, trace: Trace) -> str:
    return f"{tag}_{trace.name}"


def _last_name(tag: str, side: str) -> str:
    return f"{tag}_{side}_last"


def _decayed(tag: str, trace: Trace, owner_suffix: str) -> str:
    """The trace's value now, read through ``owner_suffix`` (``_pre``/``_post`` from a synapse)."""
    value = f"{_cell_name(tag, trace)}{owner_suffix}"
    last = f"{_last_name(tag, trace.side)}{owner_suffix}"
    return f"{value}*exp(-(t - {last})/{trace.tau})"


def _rewrite(code: str, traces: tuple[Trace, ...], tag: str) -> str:
    """Drop the per-synapse trace updates; read every trace from its cell, decayed to now."""
    by_name = {trace.name: trace for trace in traces}
    update = re.compile(rf"^\s*({'|'.join(map(re.escape, by_name))})\s*\+?=\s*1\s*$")
    reference = re.compile(rf"\b({'|'.join(map(re.escape, by_name))})\b")

    def decayed(match: re.Match) -> str:
        trace = by_name[match.group(1)]
        return f"({_decayed(tag, trace, '_' + trace.side)})"

    kept = [reference.sub(decayed, line) for line in code.splitlines() if not update.match(line)]
    return "\n".join(kept)


def _tracer(tag: str, traces: list[Trace]) -> str:
    """``on_pre`` of a one-to-one tracer: decay each trace to now, add (or set) 1, stamp the time."""
    if not traces:
        return ""
    lines = []
    for trace in traces:
        target = f"{_cell_name(tag, trace)}_post"
        lines.append(f"{target} = 1" if trace.reset else f"{target} = {_decayed(tag, trace, '_post')} + 1")
    lines.append(f"{_last_name(tag, traces[0].side)}_post = t")
    return "\n".join(lines)


def _variables(tag: str, traces: list[Trace]) -> str:
    if not traces:
        return ""
    lines = [f"{_cell_name(tag, trace)} : 1" for trace in traces]
    lines.append(f"{_last_name(tag, traces[0].side)} : second")
    return "\n".join(lines) + "\n"


def cell_traces(rule: Any, tag: str, on_pre_effect: str = "", on_post_effect: str = "", gate: str = "") -> CellTraces:
    """The code of ``rule`` with its traces kept in the cells.

    Parameters
    ----------
    rule
        A trace-based :mod:`snnmem.plasticity` rule (``traces()``, ``on_pre``, ``on_post``,
        ``namespace``).
    tag : str
        Prefix of the cell variables (unique per plastic pathway, e.g. ``"ee"``).
    on_pre_effect, on_post_effect, gate : str
        As for ``rule.synapses_kwargs``.
    """
    if not tag.isidentifier():
        raise ValueError(f"cell-trace tag {tag!r} is not an identifier")
    traces = tuple(rule.traces())
    on_pre = rule.on_pre(on_pre_effect, gate) if gate else rule.on_pre(on_pre_effect)
    on_post = rule.on_post(on_post_effect, gate) if gate else rule.on_post(on_post_effect)
    namespace = dict(rule.namespace())
    pre = [trace for trace in traces if trace.side == "pre"]
    post = [trace for trace in traces if trace.side == "post"]
    return CellTraces(
        synapses_kwargs={
            "model": rule.synapse_variables(),
            "on_pre": _rewrite(on_pre, traces, tag),
            "on_post": _rewrite(on_post, traces, tag),
            "namespace": namespace,
        },
        pre_variables=_variables(tag, pre),
        post_variables=_variables(tag, post),
        pre_tracer=_tracer(tag, pre),
        post_tracer=_tracer(tag, post),
        namespace={trace.tau: namespace[trace.tau] for trace in traces},
    )
