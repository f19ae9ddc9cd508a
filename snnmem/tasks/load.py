"""``load``: cue k items, one after another or together, then count how many are held.

Phases: ``baseline``, then ``cue1``, ``gap1``, ..., ``cue<k>`` (``task.mode =
"sequential"``, gaps of ``task.gap_duration``) or one ``cue`` of every item
(``"together"``), then ``delay``. Scores over the delay: ``load`` (k),
``cued_items_held``, ``uncued_items_held``, ``items_held``, and the shared vocabulary
with the first cued item as the recall target.
"""

from __future__ import annotations

import numpy as np

from ..analysis.memory import items_held
from ..schema import Param
from ..errors import ConfigError
from ..protocols import Schedule, sequential_phases
from .base import Task, scored_window, timing_params, window_scores


class Load(Task):
    """Cue k items (sequentially or together), delay: how many are held."""

    name = "load"
    summary = "cue k items (sequentially or together), delay: how many are held"
    headline = ("cued_items_held", "uncued_items_held")
    item_keys = ("items",)
    schema = {
        "items": Param((1, 2), "items cued (1-based list)", minimum=1),
        "mode": Param("sequential", "cue the items one after another or together", choices=("sequential", "together")),
        "gap_duration": Param("500 ms", "sequential mode: time between the end of one cue and the next", minimum=0.0),
        **timing_params(),
    }

    def check(self, params, memory) -> None:
        super().check(params, memory)
        if len(set(params["items"])) != len(params["items"]):
            raise ConfigError(f"task.items = {list(params['items'])}: an item is listed twice")

    def schedule(self, params, memory, seed):
        items = params["items"]
        cue_s, gap_s = float(params["cue_duration"]), float(params["gap_duration"])
        parts = [("baseline", float(params["baseline_duration"]), "spontaneous activity")]
        if params["mode"] == "together":
            parts.append(("cue", cue_s, "cue items " + ", ".join(map(str, items)) + " together"))
        else:
            for n, item in enumerate(items, start=1):
                parts.append((f"cue{n}", cue_s, f"cue item {item} ({memory.labels[item - 1]})"))
                if n < len(items):
                    parts.append((f"gap{n}", gap_s, "no input"))
        parts.append(("delay", float(params["delay_duration"]), "no input: how many items are held?"))
        phases = sequential_phases(parts)
        cue_phases = [p for p in phases if p.name.startswith("cue")]
        stimuli = []
        for n, item in enumerate(items):
            phase = cue_phases[0] if params["mode"] == "together" else cue_phases[n]
            stimuli.append(self.cue(params, memory, item, phase.start_s, seed, stream=n))
        return Schedule(tuple(phases), tuple(stimuli))

    def score(self, params, spikes, memory, schedule):
        phases = schedule.phases
        items = list(params["items"])
        window = scored_window(phases, "delay", float(params["score_offset"]))
        scores, rates = window_scores(spikes, memory, window, items)
        held = items_held(rates, memory)
        cued = np.isin(np.arange(1, memory.n_items + 1), items)
        scores.update(
            load=float(len(items)),
            cued_items_held=float(np.sum(held & cued)),
            uncued_items_held=float(np.sum(held & ~cued)),
        )
        return scores, {"item_rates_hz": rates[None, :], "score_window_s": np.asarray([window])}
