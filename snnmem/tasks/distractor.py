"""``distractor``: cue item A, delay, a distractor cue of item B at a chosen strength, delay.

Phases: ``baseline``, ``cue`` (A at ``task.cue_strength``), ``delay1``, ``distractor``
(B at ``task.distractor_strength``, relative to the circuit's standard cue like
every strength), ``delay2``. Scores (each delay from ``task.score_offset`` to its end):

- the shared vocabulary after the distractor (A is the recall target): ``held``,
  ``recalled_item``, ``rate_<item>_hz``, ... and with suffix ``_delay1`` before it;
- ``held_a``, ``held_b`` (0/1, delay 2) and ``outcome``: 0 none held, 1 A kept
  (B not stored), 2 B took over (A lost), 3 both held;
- on a ring ``angle_error_deg`` (to A) and ``angle_to_b_deg``.

Sweep ``task.distractor_strength`` (``snnmem sweep --grid``) for a resistance curve.
"""

from __future__ import annotations

import numpy as np

from ..analysis.memory import angle_error_deg, items_held
from ..schema import Param
from ..errors import ConfigError
from ..protocols import Schedule, sequential_phases
from .base import Task, scored_window, timing_params, window_scores

#: ``outcome`` codes
OUTCOMES = {0: "none held", 1: "A kept", 2: "B took over", 3: "both held"}


class Distractor(Task):
    """Cue A, delay, distractor B at a relative strength, delay: A held, B took over, both, none."""

    name = "distractor"
    summary = "cue A, delay, distractor B at a relative strength, delay: A kept, B took over, both, none"
    headline = ("held_a", "held_b", "outcome")
    item_keys = ("item_a", "item_b")
    schema = {
        "item_a": Param(1, "item cued first (1-based)", minimum=1),
        "item_b": Param(2, "distractor item (1-based)", minimum=1),
        "distractor_strength": Param(1.0, "distractor strength relative to the circuit's standard cue", minimum=0.0),
        "delay1_duration": Param("2 s", "delay between the cue and the distractor", positive=True),
        "delay2_duration": Param("2 s", "delay after the distractor", positive=True),
        **{k: v for k, v in timing_params().items() if k != "delay_duration"},
    }

    def check(self, params, memory) -> None:
        super().check(params, memory)
        if params["item_a"] == params["item_b"]:
            raise ConfigError(f"task.item_b = {params['item_b']} is task.item_a: the distractor must be another item")

    def schedule(self, params, memory, seed):
        a, b = params["item_a"], params["item_b"]
        phases = sequential_phases(
            [
                ("baseline", float(params["baseline_duration"]), "spontaneous activity"),
                ("cue", float(params["cue_duration"]), f"cue item {a} ({memory.labels[a - 1]})"),
                ("delay1", float(params["delay1_duration"]), "no input: A must persist"),
                (
                    "distractor",
                    float(params["cue_duration"]),
                    f"distractor item {b} ({memory.labels[b - 1]}) at strength {params['distractor_strength']:g}",
                ),
                ("delay2", float(params["delay2_duration"]), "no input: is A kept?"),
            ]
        )
        by_name = {p.name: p for p in phases}
        cue = self.cue(params, memory, a, by_name["cue"].start_s, seed, stream=0)
        distractor = self.cue(
            params,
            memory,
            b,
            by_name["distractor"].start_s,
            seed,
            stream=1,
            strength=params["distractor_strength"],
            label=f"distractor item {b}",
        )
        return Schedule(tuple(phases), (cue, distractor))

    def score(self, params, spikes, memory, schedule):
        phases = schedule.phases
        a, b = params["item_a"], params["item_b"]
        offset = float(params["score_offset"])
        windows = [scored_window(phases, name, offset) for name in ("delay1", "delay2")]
        before, rates1 = window_scores(spikes, memory, windows[0], [a], suffix="_delay1")
        after, rates2 = window_scores(spikes, memory, windows[1], [a, b])
        held = items_held(rates2, memory)
        held_a, held_b = bool(held[a - 1]), bool(held[b - 1])
        scores = {
            **before,
            **after,
            "held_a": float(held_a),
            "held_b": float(held_b),
            "outcome": float(held_a + 2 * held_b),
            "distractor_strength": float(params["distractor_strength"]),
        }
        if memory.circular:
            scores["angle_to_b_deg"] = angle_error_deg(after["recalled_angle_deg"], memory.item_angles_deg[b - 1])
        return scores, {"item_rates_hz": np.stack([rates1, rates2]), "score_window_s": np.asarray(windows)}
