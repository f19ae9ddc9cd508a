"""Words for figures: score descriptions with units, item and phase names, task outcomes.

Figures show what a score means, in the units users write (Hz, s, nS, deg), never the
score's key: the descriptions follow the score table (``docs/tasks.md``, "Score
vocabulary"; :data:`snnmem.analysis.memory.SCORE_UNITS`) and each task's docstring.
"""

from __future__ import annotations

import re
from typing import Any, Mapping

import numpy as np

__all__ = [
    "SCORE_WORDS",
    "score_label",
    "score_is_binary",
    "item_name",
    "phase_name",
    "task_name",
    "task_outcome",
    "nanosiemens",
    "panel_letters",
]

#: score key -> (description, unit); unit "0/1" marks a yes/no score, "" a pure number
SCORE_WORDS: dict[str, tuple[str, str]] = {
    # the shared vocabulary (snnmem.analysis.memory)
    "held": ("cued item held", "0/1"),
    "recall_correct": ("cued item read out", "0/1"),
    "recalled_item": ("item read out (0: none)", ""),
    "items_held": ("items held", "items"),
    "recalled_angle_deg": ("recalled angle", "deg"),
    "angle_error_deg": ("angle error of the recall", "deg"),
    "max_uncued_rate_hz": ("highest rate of an uncued item", "Hz"),
    "completion_rate_hz": ("rate of the item's not-cued cells", "Hz"),
    "completed": ("item completed", "0/1"),
    "max_other_rate_hz": ("highest rate of another item", "Hz"),
    "specificity": ("specificity of the completion (-1 to 1)", ""),
    "no_cue_max_rate_hz": ("highest item rate without a cue", "Hz"),
    "random_cue_max_rate_hz": ("highest item rate after a random-set cue", "Hz"),
    # the ring's native protocol (snnmem.circuits.ring)
    "bump_peak_rate_hz": ("bump peak rate", "Hz"),
    "background_rate_hz": ("background rate", "Hz"),
    "inhibitory_rate_hz": ("inhibitory rate in the delay", "Hz"),
    "decoded_angle_error_deg": ("decoded angle error", "deg"),
    "bump_persisted": ("bump held through the delay", "0/1"),
    "bump_collapsed": ("bump collapsed (gone, not back)", "0/1"),
    "bump_collapse_time_s": ("collapse time", "s"),
    "bump_dips": ("dips (bump lost, then back)", "count"),
    # distractor
    "held_a": ("item A held after the distractor", "0/1"),
    "held_b": ("distractor B held", "0/1"),
    "outcome": ("outcome (1 A kept, 2 B took over, 3 both)", ""),
    "distractor_strength": ("distractor strength (x the cue)", ""),
    # load
    "cued_items_held": ("cued items held", "items"),
    "uncued_items_held": ("uncued items held", "items"),
    "load": ("items cued", "items"),
    # reset
    "held_delay": ("item held before the reset", "0/1"),
    "reset_success": ("reset cleared the memory", "0/1"),
    # retention
    "completion_rate_before_hz": ("rate of not-cued cells before the rest", "Hz"),
    "completion_rate_after_hz": ("rate of not-cued cells after the rest", "Hz"),
    "specificity_before": ("specificity before the rest (-1 to 1)", ""),
    "specificity_after": ("specificity after the rest (-1 to 1)", ""),
    "retention": ("completion after / before the rest", ""),
    "random_cue_max_rate_after_hz": ("highest item rate after a random-set cue", "Hz"),
    "no_cue_max_rate_after_hz": ("highest item rate without a cue", "Hz"),
    # consolidation
    "recall_lesioned_youngest": ("recall of the youngest episode, HPC lesioned (overlap)", ""),
    "recall_lesioned_oldest": ("recall of the oldest episode, HPC lesioned (overlap)", ""),
    "recall_lesioned_mean": ("mean recall, HPC lesioned (overlap)", ""),
    "recall_intact_youngest": ("recall of the youngest episode, intact (overlap)", ""),
    "recall_intact_oldest": ("recall of the oldest episode, intact (overlap)", ""),
    "recall_intact_mean": ("mean recall, intact (overlap)", ""),
    "baseline_lesioned": ("recall of never-encoded patterns, HPC lesioned (overlap)", ""),
    "baseline_intact": ("recall of never-encoded patterns, intact (overlap)", ""),
    "ribot_rank_correlation": ("rank correlation of episode age and lesioned recall", ""),
    "replay_events_per_min": ("replay events per minute of rest", "1/min"),
}

_TASKS = {
    "delayed_recall": "delayed recall",
    "distractor": "distractor",
    "load": "memory load",
    "reset": "reset",
    "completion": "pattern completion",
    "retention": "retention",
    "consolidation": "systems consolidation",
}

_PHASES = {
    "warmup": "warm-up",
    "encode": "encoding",
    "test_before": "test before rest",
    "test_after": "test after rest",
    "rest": "rest",
    "random_cue": "random cells",
    "post_reset": "after reset",
    "post_readout": "after readout",
    "consolidate": "offline rest",
    "recall_lesioned": "recall, HPC lesioned",
    "recall_intact": "recall, intact",
}


def score_is_binary(key: str) -> bool:
    """Whether a score is a yes/no (0/1) score."""
    return SCORE_WORDS.get(key, ("", ""))[1] == "0/1"


def score_label(key: str) -> str:
    """Axis label of a score: its description and unit (``completion_rate_hz`` -> ``rate of ... (Hz)``).

    Scores not in :data:`SCORE_WORDS` are spelled out from their key, the unit suffix
    (``_hz``, ``_deg``, ``_s``) in brackets.
    """
    if key in SCORE_WORDS:
        words, unit = SCORE_WORDS[key]
        return f"{words} ({unit})" if unit not in ("", "0/1", "items") else words
    for suffix, unit in (("_hz", "Hz"), ("_deg", "deg"), ("_s", "s")):
        if key.endswith(suffix):
            return f"{key[: -len(suffix)].replace('_', ' ')} ({unit})"
    return key.replace("_", " ")


def item_name(label: str) -> str:
    """A memory map's item label in words: ``item1`` -> ``item 1``, ``45deg`` -> ``45°``."""
    match = re.fullmatch(r"(-?[\d.]+)deg", label)
    if match:
        return f"{match.group(1)}°"
    return re.sub(r"^([A-Za-z_]+?)_?(\d+)$", r"\1 \2", label)


def phase_name(name: str) -> str:
    """A protocol phase in words: ``cue1`` -> ``cue 1``, ``consolidate_4`` -> ``offline rest 4``."""
    match = re.fullmatch(r"([a-z_]+?)_?(\d+)", name)
    stem, number = (match.group(1), f" {match.group(2)}") if match else (name, "")
    return _PHASES.get(stem, stem.replace("_", " ")) + number


def task_name(task: str) -> str:
    """A task in words: ``delayed_recall`` -> ``delayed recall``."""
    return _TASKS.get(task, task.replace("_", " "))


def _number(value: float, digits: int = 2) -> str:
    return "n/a" if not np.isfinite(value) else f"{value:.{digits}g}"


def _items(n: float) -> str:
    n = int(n)
    return "no item" if n == 0 else ("1 item" if n == 1 else f"{n} items")


def _delayed_recall(s: Mapping[str, float]) -> str:
    text = "cued item held through the delay" if s.get("held", 0) >= 1 else "cued item lost in the delay"
    if "recall_correct" in s:
        text += ", read out correctly" if s["recall_correct"] >= 1 else ", not read out"
    if "items_held" in s:
        text += f"; {_items(s['items_held'])} held"
    if np.isfinite(s.get("angle_error_deg", np.nan)):
        text += f"; angle error {s['angle_error_deg']:.1f}°"
    return text


def _distractor(s: Mapping[str, float]) -> str:
    a, b = s.get("held_a", 0) >= 1, s.get("held_b", 0) >= 1
    text = {
        (True, False): "item A kept, distractor B not stored",
        (False, True): "distractor B took over, item A lost",
        (True, True): "both A and B held",
        (False, False): "neither A nor B held",
    }[(a, b)]
    if "distractor_strength" in s:
        text += f" (distractor at {s['distractor_strength']:g}× the cue's strength)"
    return text


def _load(s: Mapping[str, float]) -> str:
    cued, uncued = s.get("cued_items_held", np.nan), s.get("uncued_items_held", np.nan)
    text = f"{_number(cued)} of {_number(s['load'])} cued items held" if "load" in s else f"{_number(cued)} cued held"
    return text + (", no uncued item held" if uncued == 0 else f", {_number(uncued)} uncued items held")


def _reset(s: Mapping[str, float]) -> str:
    if s.get("held_delay", 0) < 1:
        return "item not held before the reset (nothing to clear)"
    return "item held, then cleared by the reset" if s.get("reset_success", 0) >= 1 else "item held; the reset failed"


def _completion(s: Mapping[str, float], when: str = "") -> str:
    suffix = f"_{when}" if when else ""
    rate = s.get(f"completion_rate{suffix}_hz", np.nan)
    text = f"not-cued cells of the cued item {_number(rate, 3)} Hz"
    if "completed" in s:
        text += " (completed)" if s["completed"] >= 1 else " (not completed)"
    text += f", specificity {_number(s.get(f'specificity{suffix}', np.nan))}"
    random = s.get(f"random_cue_max_rate{suffix}_hz", np.nan)
    if np.isfinite(random):
        text += f"; after a cue of random cells no item above {_number(random, 3)} Hz"
    return text


def _retention(s: Mapping[str, float]) -> str:
    text = "after the rest: " + _completion(s, "after")
    if np.isfinite(s.get("retention", np.nan)):
        text += f"; {s['retention']:.2f}× the completion before the rest"
    return text


_OUTCOMES = {
    "delayed_recall": _delayed_recall,
    "distractor": _distractor,
    "load": _load,
    "reset": _reset,
    "completion": _completion,
    "retention": _retention,
}


def task_outcome(task: str, scores: Mapping[str, float], headline: tuple[str, ...] = ()) -> str:
    """One sentence of a task run's outcome; tasks without their own sentence list their headline scores."""
    if not scores:
        return ""
    if task in _OUTCOMES:
        return _OUTCOMES[task](scores)
    parts = []
    for key in headline:
        if key in scores:
            words, unit = SCORE_WORDS.get(key, (score_label(key), ""))
            unit = "" if unit in ("", "0/1", "items") else f" {unit}"
            parts.append(f"{words} {_number(scores[key], 3)}{unit}")
    return ", ".join(parts)


def nanosiemens(value: Any) -> float | None:
    """A conductance (Brian2 quantity or number in siemens) in nS; ``None`` if it is not one."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number * 1e9 if np.isfinite(number) and number > 0 else None


def panel_letters(axes: Any) -> None:
    """Bold A, B, ... left of each Axes' top left corner, above its highest tick label."""
    for letter, ax in zip("ABCDEFGH", axes):
        ax.annotate(
            letter,
            xy=(0.0, 1.0),
            xycoords="axes fraction",
            xytext=(-8.0, 8.0),  # points: clear of the top tick label (half a label's height above the axes)
            textcoords="offset points",
            ha="right",
            va="bottom",
            fontweight="bold",
            fontsize=11,
        )
