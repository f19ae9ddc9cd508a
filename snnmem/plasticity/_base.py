"""What the rules share: the rule mixin, traces, the references' trajectories and event helpers.

The mixin writes the Brian2 code strings, namespaces and presets of every rule. No Brian2 import.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from typing import Any, ClassVar, Mapping

import numpy as np

from ._common import (
    Mode,
    Preset,
    check_mode,
    lookup_preset,
)


INTERACTIONS: tuple[str, ...] = ("all_to_all", "nearest_spike")


WEIGHT_DEPENDENCES: tuple[str, ...] = ("additive", "multiplicative")


def _trace_flag(mode: Mode) -> str:
    check_mode(mode)
    return "(event-driven)" if mode == "event-driven" else "(clock-driven)"


def _trace_increment(name: str, interaction: str) -> str:
    """All-to-all traces add 1 per spike; nearest-spike traces are reset to 1."""
    return f"{name} += 1" if interaction == "all_to_all" else f"{name} = 1"


class _RuleMixin:
    """Preset lookup, ``synapses_kwargs`` and ``replace`` shared by all rules."""

    _PRESETS: ClassVar[Mapping[str, Preset]]

    @classmethod
    def presets(cls) -> dict[str, Preset]:
        """All named parameter sets of this rule, with their citations."""
        return dict(cls._PRESETS)

    @classmethod
    def preset(cls, name: str, **overrides: Any):
        """Rule with the parameters of preset ``name`` (``overrides`` replace some).

        Raises
        ------
        ValueError
            If ``name`` is not a preset of this rule (the message lists them).
        """
        preset = lookup_preset(cls._PRESETS, name, cls.__name__)
        return cls(**{**preset.parameters, **overrides})

    def replace(self, **changes: Any):
        """Copy of this rule with some parameters changed (checked again)."""
        return replace(self, **changes)

    def as_dict(self) -> dict[str, Any]:
        """Parameters as a plain dict (SI floats and strings)."""
        return asdict(self)

    def synapse_variables(self) -> str:
        """Model lines of the per-synapse variables other than the traces (``w : 1``; rules with more override it)."""
        return "w : 1"

    def initial_values(self) -> dict[str, float]:
        """Values of those other variables once the synapses are connected (none by default)."""
        return {}

    def regular_updates(self, gate: str = "") -> tuple[tuple[str, float], ...]:
        """``(code, interval_s)`` the synapses run every interval, at the start of a step (none by default).

        ``gate``: optional expression multiplying every change (as in ``on_pre``).
        """
        return ()

    def traces(self) -> tuple[Any, ...]:
        """The rule's spike traces (:class:`~snnmem.plasticity.cell_traces.Trace`); rules with traces override it."""
        raise TypeError(f"{type(self).__name__} has no spike traces to keep in the cells")

    def cell_traces(self, tag: str, on_pre_effect: str = "", on_post_effect: str = "", gate: str = "") -> Any:
        """The rule's code with its traces kept once per cell: :func:`snnmem.plasticity.cell_traces.cell_traces`."""
        from .cell_traces import cell_traces

        return cell_traces(self, tag, on_pre_effect, on_post_effect, gate)

    def synapses_kwargs(
        self, mode: Mode = "event-driven", on_pre_effect: str = "", on_post_effect: str = "", gate: str = ""
    ) -> dict[str, Any]:
        """Keyword arguments for ``brian2.Synapses(source, target, **kwargs)``.

        Parameters
        ----------
        mode : {"event-driven", "clock-driven"}
            How the traces are integrated.
        on_pre_effect : str
            Brian2 code run at each presynaptic spike *before* the plasticity
            update, e.g. ``"g_e_post += w*g_max"`` (so transmission uses the
            weight before this spike's change).  Names it uses that are not
            variables must be added to the returned ``namespace``.
        on_post_effect : str
            Brian2 code run at each postsynaptic spike, before the update.
        gate : str
            Optional Brian2 expression multiplying every weight change (a
            learning-rate schedule such as ``plastic_ee(t)``; 0 freezes the weights).

        Returns
        -------
        dict
            ``model``, ``on_pre``, ``on_post``, ``namespace`` and, for clock-driven
            traces, ``method="exact"``.
        """
        kwargs: dict[str, Any] = {
            "model": self.model(mode),
            "on_pre": self.on_pre(on_pre_effect, gate) if gate else self.on_pre(on_pre_effect),
            "on_post": self.on_post(on_post_effect, gate) if gate else self.on_post(on_post_effect),
            "namespace": self.namespace(),
        }
        if mode == "clock-driven":
            kwargs["method"] = "exact"
        return kwargs


PRE = 0


POST = 1


@dataclass(frozen=True)
class WeightTrajectory:
    """Weight after each spike event.

    Attributes
    ----------
    times : ndarray
        Event times (s), sorted; coincident pre/post events appear pre first.
    kinds : ndarray of int
        0 for a presynaptic event, 1 for a postsynaptic one.
    weights : ndarray
        ``w`` just after each event.
    w0 : float
        Initial weight.
    references : ndarray or None
        Reference weight ``w_tilde`` just after each event (rules with Zenke et al. 2015's terms).
    """

    times: np.ndarray
    kinds: np.ndarray
    weights: np.ndarray
    w0: float
    references: np.ndarray | None = None

    @property
    def final(self) -> float:
        """Weight after the last event (``w0`` when there are no events)."""
        return float(self.weights[-1]) if len(self.weights) else float(self.w0)

    def at(self, t: float) -> float:
        """Weight just after all events at times <= ``t``."""
        n = int(np.searchsorted(self.times, t, side="right"))
        return float(self.weights[n - 1]) if n else float(self.w0)


@dataclass(frozen=True)
class STPTrajectory:
    """Short-term plasticity state at each presynaptic spike.

    Attributes
    ----------
    times : ndarray
        Spike times (s), sorted.
    utilization : ndarray
        :math:`u^+`, after facilitation.
    resources_before : ndarray
        :math:`x^-`, just before the spike.
    release : ndarray
        :math:`u^+ x^-`, fraction of resources released (multiply by :math:`J`).
    resources : ndarray
        :math:`x^+ = x^- - u^+ x^-`, after depletion.
    """

    times: np.ndarray
    utilization: np.ndarray
    resources_before: np.ndarray
    release: np.ndarray
    resources: np.ndarray


def _events(pre_times: np.ndarray, post_times: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    pre = np.asarray(pre_times, dtype=float).ravel()
    post = np.asarray(post_times, dtype=float).ravel()
    if not (np.all(np.isfinite(pre)) and np.all(np.isfinite(post))):
        raise ValueError("spike times must be finite")
    times = np.concatenate([pre, post])
    kinds = np.concatenate([np.full(pre.size, PRE), np.full(post.size, POST)])
    order = np.lexsort((kinds, times))  # by time, then pre before post
    return times[order], kinds[order]


def _decay(value: float, elapsed: float, tau: float) -> float:
    return value * np.exp(-elapsed / tau)
