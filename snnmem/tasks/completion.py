"""``completion``: cue a fraction of an item's cells and read out whether the rest of the item follows.

Phases: ``baseline`` (the no-cue control), ``random_cue`` (a random set of as many cells as the partial cue,
at the same strength, drawn from the cells in no item's core — or, where there are too
few, outside the cued item: the random-set control),
``gap``, ``cue`` (a fraction ``task.fraction`` of the item's cells, drawn from the seed),
``delay``. Scored windows: the last ``task.score_window`` of the baseline, of the gap
and of the delay (each at least ``task.score_window`` long).

Scores
------
``completion_rate_hz``
    Mean rate of the item's core cells (memory-map weight >= 0.5) that were *not* cued,
    after the cue.
``completed``
    1 if that rate reaches the memory map's hold threshold.
``max_other_rate_hz``
    Highest rate of another item after the cue.
``specificity``
    ``(completion - max_other) / (completion + max_other)``: 1 only the cued item,
    0 as active as the most active other item, negative when another item wins.
``no_cue_max_rate_hz``, ``random_cue_max_rate_hz``
    Highest item rate at the end of the baseline, and after the random-set cue.
"""

from __future__ import annotations

import numpy as np

from ..analysis.memory import completion_scores, item_rates
from ..schema import Param
from ..errors import ConfigError
from ..protocols import Schedule, Stimulus, sequential_phases
from .base import Task, control_cells, cue_cells


def _windows(phases, length: float) -> dict[str, tuple[float, float]]:
    return {p.name: (p.stop_s - length, p.stop_s) for p in phases if p.name in ("baseline", "gap", "delay")}


class Completion(Task):
    """Cue a fraction of an item's cells: completion of the rest, specificity, no-cue and random-set controls."""

    name = "completion"
    summary = "cue a fraction of an item's cells: is the rest recruited, and only it (with controls)"
    headline = ("completion_rate_hz", "completed", "specificity", "random_cue_max_rate_hz")
    item_keys = ("item",)
    schema = {
        "item": Param(1, "item partially cued (1-based)", minimum=1),
        "fraction": Param(0.5, "fraction of the item's cells cued", positive=True, maximum=0.95),
        "baseline_duration": Param("1 s", "spontaneous activity (the no-cue control)", positive=True),
        "cue_duration": Param("250 ms", "duration of the partial cue and of the random-set cue", positive=True),
        "cue_strength": Param(1.0, "cue strength relative to the circuit's standard cue", minimum=0.0),
        "gap_duration": Param("1 s", "after the random-set cue, before the partial cue", positive=True),
        "delay_duration": Param("1 s", "after the partial cue", positive=True),
        "score_window": Param(
            "500 ms", "each scored window: the last this much of baseline, gap and delay", positive=True
        ),
    }

    def check(self, params, memory) -> None:
        super().check(params, memory)
        window = float(params["score_window"])
        for key in ("baseline_duration", "gap_duration", "delay_duration"):
            if float(params[key]) < window:
                raise ConfigError(
                    f"task.{key} = {float(params[key]):g} s is shorter than task.score_window ({window:g} s)"
                )
        members = memory.core_cells(params["item"])
        if int(round(params["fraction"] * members.size)) in (0, members.size):
            raise ConfigError(
                f"task.fraction = {params['fraction']:g} of item {params['item']}'s {members.size} "
                "cells leaves no cued or no uncued cell"
            )

    def _sets(self, params, memory, seed) -> tuple[np.ndarray, np.ndarray]:
        """Cued cells of the item and the random control set (same size, in no item where possible)."""
        item = params["item"]
        cued = cue_cells(memory, item, params["fraction"], seed, stream=0)
        return cued, control_cells(memory, item, int(np.count_nonzero(cued)), seed)

    def schedule(self, params, memory, seed):
        phases = sequential_phases(
            [
                ("baseline", float(params["baseline_duration"]), "spontaneous activity (no-cue control)"),
                ("random_cue", float(params["cue_duration"]), "random-set control: cells outside the item"),
                ("gap", float(params["gap_duration"]), "no input"),
                ("cue", float(params["cue_duration"]), f"{params['fraction']:g} of item {params['item']}'s cells"),
                ("delay", float(params["delay_duration"]), "no input: is the item completed?"),
            ]
        )
        by_name = {p.name: p for p in phases}
        cued, control = self._sets(params, memory, seed)
        strength = params["cue_strength"]
        return Schedule(
            tuple(phases),
            (
                Stimulus(
                    by_name["random_cue"].start_s,
                    by_name["random_cue"].stop_s,
                    cells=control,
                    strength=strength,
                    label="random-set control",
                ),
                Stimulus(
                    by_name["cue"].start_s,
                    by_name["cue"].stop_s,
                    cells=cued,
                    strength=strength,
                    label=f"partial cue of item {params['item']}",
                    item=params["item"],
                ),
            ),
        )

    def score(self, params, spikes, memory, schedule):
        item = params["item"]
        windows = _windows(schedule.phases, float(params["score_window"]))
        ids, times = spikes[memory.population]
        cued = schedule.stimuli[1].cells > 0  # the partial cue (the schedule drew it from the seed)
        rates = {name: item_rates(ids, times, memory, np.asarray([w]))[0] for name, w in windows.items()}
        scores = {
            **completion_scores(ids, times, memory, item, cued, windows["delay"]),
            "no_cue_max_rate_hz": float(rates["baseline"].max()),
            "random_cue_max_rate_hz": float(rates["gap"].max()),
            "fraction": float(params["fraction"]),
        }
        return scores, {
            "item_rates_hz": np.stack([rates[k] for k in ("baseline", "gap", "delay")]),
            "score_window_s": np.asarray([windows[k] for k in ("baseline", "gap", "delay")]),
        }
