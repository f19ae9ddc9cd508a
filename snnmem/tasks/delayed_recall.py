"""``delayed_recall``: cue one item, wait, read out what is held.

Phases: ``baseline``, ``cue`` (item ``task.item``), ``delay``. Scored over the delay
from ``task.score_offset`` to its end (:func:`~snnmem.tasks.base.window_scores`):
``rate_<item>_hz``, ``items_held``, ``held`` (the cued item), ``recalled_item``,
``recall_correct``, ``max_uncued_rate_hz``; on a ring also ``recalled_angle_deg`` and
``angle_error_deg``.
"""

from __future__ import annotations

import numpy as np

from ..schema import Param
from ..protocols import Schedule, sequential_phases
from .base import Task, scored_window, single_cue_parts, timing_params, window_scores


class DelayedRecall(Task):
    """Cue an item, delay, score whether it is held and which item (or angle) is read out."""

    name = "delayed_recall"
    summary = "cue one item, delay: is it held, which item / angle is read out"
    headline = ("held", "recall_correct", "items_held", "angle_error_deg")
    item_keys = ("item",)
    schema = {"item": Param(1, "item cued (1-based, from the circuit's memory map)", minimum=1), **timing_params()}

    def schedule(self, params, memory, seed):
        phases = sequential_phases(single_cue_parts(params, memory))
        cue = self.cue(params, memory, params["item"], phases[-2].start_s, seed, stream=0)
        return Schedule(tuple(phases), (cue,))

    def score(self, params, spikes, memory, schedule):
        phases = schedule.phases
        window = scored_window(phases, "delay", float(params["score_offset"]))
        scores, rates = window_scores(spikes, memory, window, [params["item"]])
        return scores, {"item_rates_hz": rates[None, :], "score_window_s": np.asarray([window])}
