"""``retention``: store items by plasticity, rest with plasticity on, then test recall from partial cues.

For circuits whose memories are learned (``Circuit.learns``, e.g. ``plastic_assemblies``).

Phases
------
``warmup``
    Spontaneous activity; only homeostatic plasticity (e.g. inhibitory STDP balancing
    the network before anything is stored). Plasticity ``"homeostatic"``.
``encode``
    Items 1..``task.encoded_items`` (0: every item of the memory map), each presented
    ``task.repetitions`` times for ``task.encode_duration`` (all its cells, strength
    ``task.encode_strength``), separated by ``task.encode_gap``, in a random order drawn
    from the seed. Plasticity ``"all"``.
``test_before`` (if ``task.test_before``)
    Recall test with every weight frozen (plasticity ``"none"``), so the test does not
    change what it measures.
``rest``
    ``task.rest_duration`` of spontaneous activity with every rule on (``"all"``):
    what the network keeps of the items.
``test_after``
    The same recall test, frozen.

A recall test is a random order (from the seed) of trials of ``task.cue_duration``
followed by ``task.cue_gap``: a partial cue of each of items 1..``task.tested_items``
(``task.fraction`` of its core cells, the same cells in both tests), and
``task.control_trials`` no-cue and random-set trials (as many cells as a partial
cue, drawn from cells in no item). A trial is scored from ``task.score_offset`` after
the cue onset to the cue's end: an assembly's recall is the recruitment of its
not-cued cells while part of it is driven.

Scores (``<test>`` is ``before`` or ``after``)
----------------------------------------------
``completion_rate_<test>_hz``, ``max_other_rate_<test>_hz``, ``specificity_<test>``
    :func:`snnmem.analysis.memory.completion_scores`, averaged over the tested items.
``items_completed_<test>``
    Tested items whose not-cued cells reach the memory map's hold threshold.
``no_cue_max_rate_<test>_hz``, ``random_cue_max_rate_<test>_hz``
    Highest item rate in the no-cue and random-set trials.
``retention``
    ``completion_rate_after_hz / completion_rate_before_hz`` (with ``test_before``).
``rest_duration_s``
    The rest, for tables over rest durations.

Arrays: ``trial_test`` (0 before, 1 after), ``trial_item`` (1-based; 0 no cue, -1 random
set), ``trial_window_s`` ``[n_trials, 2]``, ``trial_item_rates_hz`` ``[n_trials, n_items]``,
``trial_completion_rate_hz`` (NaN for controls).
"""

from __future__ import annotations

import numpy as np

from ..analysis.memory import completion_scores, item_rates
from ..errors import ConfigError
from ..protocols import Schedule, Stimulus, find_phase, sequential_phases
from ..schema import Param
from .base import Task, control_cells, cue_cells

_TESTS = ("before", "after")
#: trial_item codes of the controls
_NO_CUE, _RANDOM = 0, -1


class Retention(Task):
    """Encode items with plasticity on, rest, recall from partial cues before and after the rest."""

    name = "retention"
    summary = "learn items, rest with plasticity on, then partial cues: completion before and after the rest"
    headline = ("completion_rate_after_hz", "specificity_after", "retention", "random_cue_max_rate_after_hz")
    encodes = True
    schema = {
        "warmup_duration": Param("5 s", "spontaneous activity, homeostatic plasticity only", minimum=0.0),
        "encoded_items": Param(0, "items 1..n presented at encoding (0: every item of the memory map)", minimum=0),
        "repetitions": Param(3, "presentations of each item at encoding", minimum=1),
        "encode_duration": Param("500 ms", "duration of one presentation", positive=True),
        "encode_gap": Param("500 ms", "silence after each presentation", minimum=0.0),
        "encode_strength": Param(1.0, "presentation strength relative to the circuit's standard cue", positive=True),
        "rest_duration": Param("20 s", "spontaneous activity after encoding, every rule plastic", minimum=0.0),
        "test_before": Param(True, "also test recall right after encoding (the reference of retention)"),
        "tested_items": Param(5, "items 1..n partially cued at each test", minimum=1),
        "fraction": Param(0.5, "fraction of an item's core cells in a partial cue", positive=True, maximum=0.95),
        "cue_duration": Param("300 ms", "duration of a recall cue", positive=True),
        "cue_gap": Param("700 ms", "silence after each recall trial", minimum=0.0),
        "cue_strength": Param(1.0, "recall cue strength relative to the circuit's standard cue", positive=True),
        "control_trials": Param(1, "no-cue trials, and as many random-set trials, per test", minimum=0),
        "score_offset": Param("50 ms", "a trial is scored from this long after the cue onset", minimum=0.0),
    }

    # ------------------------------------------------------------------ checks
    def check(self, params, memory) -> None:
        super().check(params, memory)
        encoded = self._encoded(params, memory)
        if encoded > memory.n_items:
            raise ConfigError(f"task.encoded_items = {encoded}: the circuit's memory map has {memory.n_items} items")
        if params["tested_items"] > encoded:
            raise ConfigError(f"task.tested_items = {params['tested_items']} exceeds the {encoded} encoded items")
        self.check_partial_cues(params, memory, range(1, params["tested_items"] + 1))

    @staticmethod
    def _encoded(params, memory) -> int:
        return params["encoded_items"] or memory.n_items

    # ------------------------------------------------------------------ schedule
    def _trials(self, params, seed: int) -> list[int]:
        """Trial order of one test (item numbers; 0 no cue, -1 random set), drawn from the seed."""
        kinds = list(range(1, params["tested_items"] + 1))
        kinds += [_NO_CUE] * params["control_trials"] + [_RANDOM] * params["control_trials"]
        order = np.random.default_rng([0x7E7E, int(seed)]).permutation(len(kinds))
        return [kinds[k] for k in order]

    def schedule(self, params, memory, seed):
        encoded = self._encoded(params, memory)
        slot = float(params["encode_duration"]) + float(params["encode_gap"])
        trial_s = float(params["cue_duration"]) + float(params["cue_gap"])
        trials = self._trials(params, seed)
        test_s = len(trials) * trial_s
        parts = [
            ("warmup", float(params["warmup_duration"]), "spontaneous activity, homeostatic plasticity", "homeostatic"),
            ("encode", encoded * params["repetitions"] * slot, f"items 1-{encoded} x {params['repetitions']}", "all"),
        ]
        if params["test_before"]:
            parts.append(("test_before", test_s, f"{len(trials)} recall trials, frozen", "none"))
        parts += [
            ("rest", float(params["rest_duration"]), "spontaneous activity, every rule plastic", "all"),
            ("test_after", test_s, f"{len(trials)} recall trials, frozen", "none"),
        ]
        phases = sequential_phases(parts)
        encode = find_phase(phases, "encode")
        rng = np.random.default_rng([0x7E7F, int(seed)])
        order = np.concatenate([rng.permutation(encoded) + 1 for _ in range(params["repetitions"])])
        stimuli = [
            Stimulus(
                encode.start_s + n * slot,
                encode.start_s + n * slot + float(params["encode_duration"]),
                cells=memory.item(int(item)),
                strength=params["encode_strength"],
                label=f"encode item {item}",
                item=int(item),
            )
            for n, item in enumerate(order)
        ]
        cues = self._cue_sets(params, memory, seed)
        for phase in phases:
            if not phase.name.startswith("test_"):
                continue
            for n, item in enumerate(trials):
                onset = phase.start_s + n * trial_s
                stop = onset + float(params["cue_duration"])
                if item == _NO_CUE:  # a sham: marks the trial, drives nothing
                    stimulus = Stimulus(onset, stop, cues[_RANDOM], 0.0, label=f"{phase.name}: no-cue control")
                elif item == _RANDOM:
                    stimulus = Stimulus(
                        onset, stop, cues[_RANDOM], params["cue_strength"], label=f"{phase.name}: random-set control"
                    )
                else:
                    stimulus = Stimulus(
                        onset,
                        stop,
                        cues[item],
                        params["cue_strength"],
                        label=f"{phase.name}: partial cue of item {item}",
                        item=item,
                    )
                stimuli.append(stimulus)
        return Schedule(tuple(phases), tuple(stimuli))

    def _cue_sets(self, params, memory, seed) -> dict[int, np.ndarray]:
        """Cells of each tested item's partial cue, and of the random set (key -1)."""
        cues = {
            item: cue_cells(memory, item, params["fraction"], seed, stream=item)
            for item in range(1, params["tested_items"] + 1)
        }
        cues[_RANDOM] = control_cells(memory, 1, int(np.count_nonzero(cues[1])), seed)
        return cues

    # ------------------------------------------------------------------ scores
    def score(self, params, spikes, memory, schedule):
        ids, times = spikes[memory.population]
        offset = float(params["score_offset"])
        scores: dict[str, float] = {}
        rows = []
        for test_index, test in enumerate(_TESTS):
            if test == "before" and not params["test_before"]:
                continue
            phase = find_phase(schedule.phases, f"test_{test}")
            per_item, no_cue, random_set = [], [], []
            for stimulus in schedule.cell_stimuli():  # the test's trials, as the schedule drew them
                if not phase.start_s <= stimulus.start_s < phase.stop_s:
                    continue
                window = (stimulus.start_s + offset, stimulus.stop_s)
                rates = item_rates(ids, times, memory, np.asarray([window]))[0]
                completion, item = np.nan, stimulus.item
                if item > 0:
                    result = completion_scores(ids, times, memory, item, stimulus.cells > 0, window)
                    per_item.append(result)
                    completion = result["completion_rate_hz"]
                elif stimulus.strength == 0:
                    no_cue.append(rates.max())
                    item = _NO_CUE
                else:
                    random_set.append(rates.max())
                    item = _RANDOM
                rows.append((test_index, item, *window, completion, rates))
            for key in ("completion_rate", "max_other_rate"):
                scores[f"{key}_{test}_hz"] = float(np.mean([r[f"{key}_hz"] for r in per_item]))
            scores[f"specificity_{test}"] = float(np.mean([r["specificity"] for r in per_item]))
            scores[f"items_completed_{test}"] = float(sum(r["completed"] for r in per_item))
            if no_cue:
                scores[f"no_cue_max_rate_{test}_hz"] = float(max(no_cue))
            if random_set:
                scores[f"random_cue_max_rate_{test}_hz"] = float(max(random_set))
        if params["test_before"]:
            before = scores["completion_rate_before_hz"]
            scores["retention"] = scores["completion_rate_after_hz"] / before if before > 0 else float("nan")
        scores["rest_duration_s"] = float(params["rest_duration"])
        arrays = {
            "trial_test": np.asarray([r[0] for r in rows], dtype=np.int8),
            "trial_item": np.asarray([r[1] for r in rows], dtype=np.int32),
            "trial_window_s": np.asarray([r[2:4] for r in rows], dtype=float),
            "trial_completion_rate_hz": np.asarray([r[4] for r in rows], dtype=float),
            "trial_item_rates_hz": np.asarray([r[5] for r in rows], dtype=float),
        }
        return scores, arrays
