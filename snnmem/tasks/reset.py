"""``reset``: cue an item, delay, a global input, then check that nothing is held.

Phases: ``baseline``, ``cue``, ``delay``, ``reset`` (the circuit's global input at
``task.reset_strength``, for ``task.reset_duration``), ``post_reset``. Scores: the
shared vocabulary over the delay (suffix ``_delay``) and after the reset (no suffix),
and ``reset_success`` (1 if the item was held before and nothing is held after).
"""

from __future__ import annotations

import numpy as np

from ..schema import Param
from ..protocols import Schedule, Stimulus, sequential_phases
from .base import Task, scored_window, single_cue_parts, timing_params, window_scores


class Reset(Task):
    """A global input clears what is held."""

    name = "reset"
    summary = "cue, delay, global input: is the memory cleared"
    headline = ("held_delay", "reset_success")
    needs_global_input = True
    item_keys = ("item",)
    schema = {
        "item": Param(1, "item cued (1-based)", minimum=1),
        "reset_duration": Param("250 ms", "duration of the global input", positive=True),
        "reset_strength": Param(1.0, "global input relative to the circuit's standard one", minimum=0.0),
        "post_reset_duration": Param("1 s", "time after the reset", positive=True),
        **timing_params(),
    }

    def schedule(self, params, memory, seed):
        phases = sequential_phases(
            [
                *single_cue_parts(params, memory),
                ("reset", float(params["reset_duration"]), f"global input at strength {params['reset_strength']:g}"),
                ("post_reset", float(params["post_reset_duration"]), "no input: nothing should be held"),
            ]
        )
        by_name = {p.name: p for p in phases}
        cue = self.cue(params, memory, params["item"], by_name["cue"].start_s, seed, stream=0)
        reset = Stimulus(
            by_name["reset"].start_s,
            by_name["reset"].stop_s,
            strength=params["reset_strength"],
            target="global",
            label="reset",
        )
        return Schedule(tuple(phases), (cue, reset))

    def score(self, params, spikes, memory, schedule):
        phases = schedule.phases
        offset = float(params["score_offset"])
        windows = [scored_window(phases, name, offset) for name in ("delay", "post_reset")]
        before, rates1 = window_scores(spikes, memory, windows[0], [params["item"]], suffix="_delay")
        after, rates2 = window_scores(spikes, memory, windows[1], [params["item"]])
        scores = {**before, **after, "reset_success": float(before["held_delay"] == 1.0 and after["items_held"] == 0.0)}
        return scores, {"item_rates_hz": np.stack([rates1, rates2]), "score_window_s": np.asarray(windows)}
