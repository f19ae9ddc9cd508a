"""``consolidation``: encode episodes at different times, consolidate offline, recall intact and lesioned.

For circuits with a hippocampus-like index and a lesionable output (``Circuit.indexed``
and ``Circuit.lesion_target``, e.g. the ``consolidation`` circuit). The three steps of
a systems-consolidation experiment are the phase builders of this module:

- :func:`encode_phase` -- an episode presented ``task.encode_repetitions`` times for
  ``task.encode_duration`` to its cortical cells and its index at once (plasticity
  ``"all"``);
- :func:`consolidate_phase` -- ``task.consolidation_interval`` of rest in the offline
  state (a ``"global"`` stimulus of ``task.offline_strength``: the circuit's replay
  drive), plasticity ``"slow"`` (only the slow, cortical rules and the homeostatic ones
  learn); with ``task.block_replay`` the hippocampal output is lesioned throughout (the
  control: the same rest, replay kept from the cortex);
- :func:`recall_phase` -- partial cues (``task.fraction`` of an item's cells) of every
  encoded episode, of each never-encoded (``novel``) pattern and of the prototype (if the
  map has one), in a random order drawn from the seed, every weight frozen, intact or
  with the hippocampal output lesioned.

Protocol: ``warmup`` (homeostatic), then for episode k = 1..K: ``encode_k``,
``consolidate_k`` and ``wake_k`` (``task.wake_duration`` awake and frozen, so that the
offline activity has died out before the next episode arrives; none after the last
episode: it is recalled at age ``task.last_episode_age``, awake ``settle``), then
``recall_lesioned`` and ``recall_intact``. With ``task.final_rest`` > 0 the last episode is
followed by a rest of that length too (``consolidate_K``) before ``settle``. Episode k's
**age** at recall is the time from the end of its encoding to the start of the recall
phases; every rest after it counts.

Memory map convention: items labelled ``episode<k>`` are encoded in order, ``novel<k>``
never (their recall is the untrained baseline), ``prototype`` (if any) is cued, never
presented.

Scores
------
Recall of item k in a trial (window ``[onset + task.score_offset, cue end)``), on the
item's cells that the cue did not drive:

``overlap``
    :func:`snnmem.analysis.assemblies.set_overlap` of the active cells (at least
    ``task.active_min_spikes`` spikes in the window) with the not-cued cells: 1 when
    exactly they are active, 0 when they are no more active than the whole population.
``completion_rate_hz``
    Their mean rate (:func:`snnmem.analysis.memory.completion_scores`).
``semantisation_index``
    With a prototype: :func:`snnmem.analysis.concepts.instance_prototype_similarity` of
    the not-cued cells' rates against the instance and the prototype (> 0: closer to the
    prototype).

Run scores: ``recall_<condition>_youngest`` / ``_oldest`` / ``_mean`` (overlap; condition
``lesioned`` or ``intact``), ``baseline_<condition>`` (mean over novel patterns),
``transfer_<condition>`` (oldest minus baseline), ``ribot_rank_correlation`` (Spearman rank
correlation of age and lesioned overlap over the episodes), ``intact_age_correlation``,
``replay_events_per_min`` (every episode's events, per minute of rest after its
encoding, averaged), ``replay_transfer_correlation`` (Spearman, replay events vs
lesioned overlap), ``replay_longest_event_s`` (the longest detected event: a replay is a
burst of tens to hundreds of ms, a persistent reactivation shows as one long event), and
with a prototype ``semantisation_<condition>`` (mean index over episodes) and
``prototype_recall_lesioned``.

Replay events are detected in the memory map's ``index_population`` (the index area) during every
consolidation phase with :func:`snnmem.analysis.replay.detect_replay_events`, on the spikes
of that population: each episode's index is identified from the spikes, as the cells
whose rate during the episode's encoding exceeds ``task.index_rate`` (measured, not taken
from the circuit). For every index stored before a rest, an event is a burst of the
index's own cells above ``task.replay_rate`` (edges at a third of it) in which the index
stands out from the whole area (set overlap >= 0.2); indices replayed in quick succession
each count their own event.

Arrays (``/analysis``): ``episode_*`` (one row per encoded episode: ``age_s``,
``encoded_at_s``, ``recall_lesioned``, ``recall_intact``, ``completion_lesioned_hz``,
``completion_intact_hz``, ``replay_events``, ``replay_per_min``, ``semantisation_lesioned``,
``semantisation_intact``), ``trial_*`` (every recall trial), ``replay_events`` (every
detected event: start, stop, peak, rate, episode, score).
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

import numpy as np

from ..analysis.assemblies import set_overlap
from ..analysis.binning import neuron_rates
from ..analysis.concepts import instance_prototype_similarity
from ..analysis.memory import MemoryMap, completion_scores
from ..analysis.replay import EVENT_DTYPE, detect_replay_events
from ..errors import ConfigError
from ..protocols import Phase, Schedule, Stimulus
from ..schema import Param
from .base import Task, cue_cells

__all__ = ["Consolidation", "encode_phase", "consolidate_phase", "recall_phase", "rank_correlation"]

_CONDITIONS = ("lesioned", "intact")


def encode_phase(
    start_s: float, item: int, label: str, cells: np.ndarray, params: Mapping[str, Any]
) -> tuple[Phase, list[Stimulus]]:
    """Phase ``encode_<item>`` at ``start_s``: the episode's cells and its index, ``task.encode_repetitions`` times."""
    on, gap = float(params["encode_duration"]), float(params["encode_gap"])
    n = params["encode_repetitions"]
    phase = Phase(f"encode_{item}", start_s, start_s + n * (on + gap), f"encode {label} x {n}", "all")
    stimuli = [
        Stimulus(
            start_s + r * (on + gap),
            start_s + r * (on + gap) + on,
            cells,
            params["encode_strength"],
            label=f"encode {label}",
            item=item,
            index=True,
        )
        for r in range(n)
    ]
    return phase, stimuli


def consolidate_phase(
    start_s: float, name: str, params: Mapping[str, Any], duration_s: float | None = None
) -> tuple[Phase, list[Stimulus]]:
    """Rest in the offline state from ``start_s`` (blocked replay: lesioned).

    It lasts ``duration_s``, by default ``task.consolidation_interval``.
    """
    stop = start_s + (float(params["consolidation_interval"]) if duration_s is None else duration_s)
    blocked = bool(params["block_replay"])
    what = "offline rest, replay blocked (HPC output lesioned)" if blocked else "offline rest: replay"
    phase = Phase(name, start_s, stop, what, "slow", blocked)
    drive = Stimulus(
        start_s, stop, strength=params["offline_strength"], target="global", label=f"{name}: offline drive"
    )
    return phase, [drive]


def recall_phase(
    start_s: float,
    condition: str,
    cues: Sequence[tuple[int, np.ndarray]],
    labels: Sequence[str],
    params: Mapping[str, Any],
) -> tuple[Phase, list[Stimulus]]:
    """Phase ``recall_<condition>``: one partial cue per ``(item, cells)``, every weight frozen."""
    trial = float(params["cue_duration"]) + float(params["cue_gap"])
    lesioned = condition == "lesioned"
    phase = Phase(
        f"recall_{condition}",
        start_s,
        start_s + len(cues) * trial,
        f"{len(cues)} partial cues, " + ("HPC output lesioned" if lesioned else "intact"),
        "none",
        lesioned,
    )
    stimuli = [
        Stimulus(
            start_s + n * trial,
            start_s + n * trial + float(params["cue_duration"]),
            cells,
            params["cue_strength"],
            label=f"recall {condition}: partial cue of {labels[item - 1]}",
            item=item,
        )
        for n, (item, cells) in enumerate(cues)
    ]
    return phase, stimuli


def rank_correlation(x: Sequence[float], y: Sequence[float]) -> float:
    """Spearman's rank correlation of ``x`` and ``y`` (NaN with fewer than 3 pairs or a constant series)."""
    from scipy.stats import spearmanr

    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    keep = np.isfinite(x) & np.isfinite(y)
    if keep.sum() < 3 or np.ptp(x[keep]) == 0 or np.ptp(y[keep]) == 0:
        return float("nan")
    return float(spearmanr(x[keep], y[keep]).statistic)


def _kinds(memory: MemoryMap) -> dict[str, list[int]]:
    """1-based items by kind, from the labels: ``episode``, ``novel``, ``prototype``."""
    kinds: dict[str, list[int]] = {"episode": [], "novel": [], "prototype": []}
    for number, label in enumerate(memory.labels, start=1):
        for kind in kinds:
            if label.startswith(kind):
                kinds[kind].append(number)
    return kinds


class Consolidation(Task):
    """Episodes encoded at different times, consolidated by replay, recalled with and without the HPC output."""

    name = "consolidation"
    summary = "encode episodes at different ages, rest offline (replay), recall intact and with the HPC output lesioned"
    headline = (  # the first is the bench figure's panel: transfer, the oldest episode's lesioned recall
        "recall_lesioned_oldest",
        "recall_lesioned_youngest",
        "baseline_lesioned",
        "recall_intact_mean",
        "ribot_rank_correlation",
        "replay_events_per_min",
    )
    encodes = True
    uses_index = True
    schema = {
        "warmup_duration": Param("5 s", "spontaneous activity, homeostatic plasticity only", minimum=0.0),
        "episodes": Param(
            0, "episodes 1..n encoded, one after another (0: every episode of the memory map)", minimum=0
        ),
        "encode_repetitions": Param(2, "presentations of each episode", minimum=1),
        "encode_duration": Param("300 ms", "duration of one presentation", positive=True),
        "encode_gap": Param("200 ms", "silence after each presentation", minimum=0.0),
        "encode_strength": Param(1.0, "presentation strength relative to the circuit's standard cue", positive=True),
        "consolidation_interval": Param("15 s", "offline rest after each episode but the last", positive=True),
        "offline_strength": Param(1.0, "offline drive during rest, relative to the circuit's (0: none)", minimum=0.0),
        "block_replay": Param(False, "lesion the hippocampal output during every rest (the control)"),
        "final_rest": Param(
            "0 s",
            "offline rest after the last episode, before its awake pause and recall (0: none, the last episode is "
            "recalled unconsolidated; > 0: every episode consolidates together, e.g. episodes that share a "
            "prototype encoded close together and then slept on)",
            minimum=0.0,
        ),
        "last_episode_age": Param(
            "1 s", "awake, frozen pause between the last encoding (or the final rest) and recall", positive=True
        ),
        "wake_duration": Param(
            "1 s",
            "awake, frozen pause after each rest, before the next encoding (offline activity dies out)",
            positive=True,
        ),
        "fraction": Param(0.5, "fraction of an item's cells in a partial cue", positive=True, maximum=0.95),
        "recall_repetitions": Param(
            1,
            "partial cues of every item in each condition (a new random half each time; scores average them)",
            minimum=1,
        ),
        "cue_duration": Param("300 ms", "duration of a recall cue", positive=True),
        "cue_gap": Param("700 ms", "silence after each recall cue", minimum=0.0),
        "cue_strength": Param(1.0, "recall cue strength relative to the circuit's standard cue", positive=True),
        "score_offset": Param("50 ms", "a trial is scored from this long after the cue onset", minimum=0.0),
        "active_min_spikes": Param(2, "a cell is active in a trial with at least this many spikes", minimum=1),
        "index_rate": Param(
            "20 Hz", "an index-area cell belongs to an episode's index above this rate at encoding", positive=True
        ),
        "replay_rate": Param(
            "20 Hz", "a replay event: the index's cells fire above this mean rate (detection threshold)", positive=True
        ),
    }

    def applies_to(self, circuit: Any) -> str | None:
        if not (circuit.indexed and circuit.lesion_target):
            return f"{circuit.name} has no hippocampal index and lesionable output (a two-area circuit)"
        return super().applies_to(circuit)

    # ------------------------------------------------------------------ checks
    def check(self, params, memory) -> None:
        super().check(params, memory)
        if not memory.index_population:
            raise ConfigError("the consolidation task needs a memory map with an index population (a two-area circuit)")
        kinds = _kinds(memory)
        available = len(kinds["episode"])
        if params["episodes"] > available:
            raise ConfigError(f"task.episodes = {params['episodes']}: the memory map has {available} episodes")
        if self._episodes(params, memory) < 1:
            raise ConfigError("the memory map has no item labelled 'episode<k>' to encode")
        self.check_partial_cues(params, memory, kinds["episode"] + kinds["novel"] + kinds["prototype"])

    @staticmethod
    def _episodes(params, memory) -> int:
        return params["episodes"] or len(_kinds(memory)["episode"])

    # ------------------------------------------------------------------ schedule
    def _cues(self, params, memory, seed) -> list[tuple[int, np.ndarray]]:
        """``(item, cells)`` of every recall cue (encoded episodes, novel patterns, prototype), in random order."""
        kinds = _kinds(memory)
        items = kinds["episode"][: self._episodes(params, memory)] + kinds["novel"] + kinds["prototype"]
        cues = []
        for repetition in range(params["recall_repetitions"]):  # a new random half of each item every time
            block = [
                (item, cue_cells(memory, item, params["fraction"], seed, stream=item + 1000 * repetition))
                for item in items
            ]
            stream = [0xC05E, int(seed)] + ([repetition] if repetition else [])
            cues += [block[k] for k in np.random.default_rng(stream).permutation(len(block))]
        return cues

    def schedule(self, params, memory, seed):
        episodes = _kinds(memory)["episode"][: self._episodes(params, memory)]
        phases: list[Phase] = []
        stimuli: list[Stimulus] = []
        t = 0.0
        if float(params["warmup_duration"]) > 0:
            phases.append(Phase("warmup", 0.0, float(params["warmup_duration"]), "spontaneous activity", "homeostatic"))
            t = phases[-1].stop_s
        for n, item in enumerate(episodes):
            phase, added = encode_phase(t, item, memory.labels[item - 1], memory.item(item), params)
            phases.append(phase)
            stimuli += added
            t = phase.stop_s
            if n < len(episodes) - 1:
                phase, added = consolidate_phase(t, f"consolidate_{item}", params)
                phases.append(phase)
                stimuli += added
                t = phase.stop_s
                phase, added = Phase(f"wake_{item}", t, t + float(params["wake_duration"]), "awake pause", "none"), []
            else:
                if float(params["final_rest"]) > 0:
                    phase, added = consolidate_phase(t, f"consolidate_{item}", params, float(params["final_rest"]))
                    phases.append(phase)
                    stimuli += added
                    t = phase.stop_s
                phase, added = Phase("settle", t, t + float(params["last_episode_age"]), "awake pause", "none"), []
            phases.append(phase)
            stimuli += added
            t = phase.stop_s
        cues = self._cues(params, memory, seed)
        for condition in _CONDITIONS:
            phase, added = recall_phase(t, condition, cues, memory.labels, params)
            phases.append(phase)
            stimuli += added
            t = phase.stop_s
        return Schedule(tuple(phases), tuple(stimuli))

    # ------------------------------------------------------------------ scores
    def score(self, params, spikes, memory, schedule):
        ids, times = spikes[memory.population]
        kinds = _kinds(memory)
        episodes = kinds["episode"][: self._episodes(params, memory)]
        prototype = memory.item(kinds["prototype"][0]) >= 0.5 if kinds["prototype"] else None
        recall_start = next(p.start_s for p in schedule.phases if p.name.startswith("recall_"))
        trials = self._trial_scores(params, ids, times, memory, schedule, prototype)
        scores: dict[str, float] = {}
        table: dict[str, np.ndarray] = {}
        encoded_at = np.array([next(p.stop_s for p in schedule.phases if p.name == f"encode_{k}") for k in episodes])
        table["episode_item"] = np.asarray(episodes, dtype=np.int32)
        table["episode_encoded_at_s"] = encoded_at
        table["episode_age_s"] = recall_start - encoded_at
        for condition in _CONDITIONS:
            rows = _mean_by_item([t for t in trials if t["condition"] == condition])
            overlap = np.array([rows[k]["overlap"] for k in episodes])
            table[f"episode_recall_{condition}"] = overlap
            table[f"episode_completion_{condition}_hz"] = np.array([rows[k]["completion_rate_hz"] for k in episodes])
            table[f"episode_semantisation_{condition}"] = np.array([rows[k]["semantisation_index"] for k in episodes])
            scores[f"recall_{condition}_youngest"] = float(overlap[-1])
            scores[f"recall_{condition}_oldest"] = float(overlap[0])
            scores[f"recall_{condition}_mean"] = float(overlap.mean())
            scores[f"completion_{condition}_oldest_hz"] = float(table[f"episode_completion_{condition}_hz"][0])
            novel = [rows[k]["overlap"] for k in kinds["novel"]]
            scores[f"baseline_{condition}"] = float(np.mean(novel)) if novel else float("nan")
            scores[f"transfer_{condition}"] = scores[f"recall_{condition}_oldest"] - scores[f"baseline_{condition}"]
            if prototype is not None:
                scores[f"semantisation_{condition}"] = float(np.mean(table[f"episode_semantisation_{condition}"]))
                scores[f"prototype_recall_{condition}"] = float(rows[kinds["prototype"][0]]["overlap"])
        scores["ribot_rank_correlation"] = rank_correlation(table["episode_age_s"], table["episode_recall_lesioned"])
        scores["intact_age_correlation"] = rank_correlation(table["episode_age_s"], table["episode_recall_intact"])
        events, counts, rest_min = self._replay(params, spikes[memory.index_population], schedule, episodes)
        table["episode_replay_events"] = counts
        with np.errstate(divide="ignore", invalid="ignore"):
            table["episode_replay_per_min"] = np.where(rest_min > 0, counts / rest_min, np.nan)
        scores["replay_events_per_min"] = (
            float(np.nanmean(table["episode_replay_per_min"])) if len(episodes) > 1 else float("nan")
        )
        scores["replay_transfer_correlation"] = rank_correlation(counts, table["episode_recall_lesioned"])
        durations = events["stop_s"] - events["start_s"]
        scores["replay_longest_event_s"] = float(durations.max()) if durations.size else float("nan")
        scores["consolidation_interval_s"] = float(params["consolidation_interval"])
        arrays = {**table, **_trial_arrays(trials), "replay_events": events}
        return scores, arrays

    def _trial_scores(self, params, ids, times, memory, schedule, prototype) -> list[dict]:
        """Scores of every recall trial (module docstring)."""
        offset = float(params["score_offset"])
        trials = []
        for stimulus in schedule.cell_stimuli():
            if not stimulus.label.startswith("recall "):
                continue
            condition = stimulus.label.split()[1].rstrip(":")
            window = (stimulus.start_s + offset, stimulus.stop_s)
            cued = stimulus.cells > 0
            result = completion_scores(ids, times, memory, stimulus.item, cued, window)
            rates = neuron_rates(ids, times, memory.n_cells, *window)
            counts = rates * (window[1] - window[0])
            active = counts >= params["active_min_spikes"] - 1e-9
            item_cells = memory.item(stimulus.item) >= 0.5
            uncued = item_cells & ~cued
            overlap = set_overlap(active[~cued], uncued[~cued])
            semantisation = float("nan")
            if prototype is not None and memory.labels[stimulus.item - 1].startswith("episode"):
                scope = ~cued & (item_cells | prototype)
                semantisation = instance_prototype_similarity(rates[scope], item_cells[scope], prototype[scope])[
                    "semantisation_index"
                ]
            trials.append(
                {
                    "condition": condition,
                    "item": stimulus.item,
                    "window": window,
                    "overlap": overlap,
                    "completion_rate_hz": result["completion_rate_hz"],
                    "semantisation_index": semantisation,
                }
            )
        return trials

    def _replay(self, params, index_spikes, schedule, episodes) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Replay events in every consolidation phase, events per episode, and minutes of rest after each encoding."""
        ids, times = index_spikes
        n_cells = int(ids.max()) + 1 if ids.size else 1
        indices = np.zeros((len(episodes), n_cells))
        for row, item in enumerate(episodes):
            encode = next(p for p in schedule.phases if p.name == f"encode_{item}")
            rates = neuron_rates(ids, times, n_cells, encode.start_s, encode.stop_s)
            indices[row] = rates >= float(params["index_rate"])
        indices[indices.sum(axis=1) == 0, 0] = 1.0  # an episode without an identified index: one placeholder cell
        rests = [p for p in schedule.phases if p.name.startswith("consolidate_")]
        encoded_at = np.array(
            [next(p.stop_s for p in schedule.phases if p.name == f"encode_{item}") for item in episodes]
        )
        found = []
        threshold = float(params["replay_rate"])
        for rest in rests:
            for row in np.flatnonzero(encoded_at <= rest.start_s):  # only episodes encoded before this rest
                # bursts in the rate of this index's own cells (several indices may replay in a quick
                # sequence; each burst counts for its index); scored against every cell of the area
                events = detect_replay_events(
                    ids,
                    times,
                    indices[[row]],
                    rest.start_s,
                    rest.stop_s,
                    burst_cells=indices[row] > 0,
                    threshold_hz=threshold,
                )
                events["pattern"] = np.where(events["pattern"] > 0, row + 1, 0)
                found.append(events[events["pattern"] > 0])
        events = np.sort(np.concatenate(found), order="start_s") if found else np.zeros(0, dtype=EVENT_DTYPE)
        counts = np.array([np.count_nonzero(events["pattern"] == row + 1) for row in range(len(episodes))], dtype=float)
        rest_min = np.array([sum(p.duration_s for p in rests if p.start_s >= t) / 60.0 for t in encoded_at])
        return events, counts, rest_min


def _mean_by_item(trials: list[dict]) -> dict[int, dict[str, float]]:
    """Every item's trial scores averaged over its repetitions (NaN-aware: the semantisation index)."""
    rows = {}
    for item in sorted({t["item"] for t in trials}):
        mine = [t for t in trials if t["item"] == item]
        rows[item] = {}
        for key in ("overlap", "completion_rate_hz", "semantisation_index"):
            values = np.array([t[key] for t in mine], dtype=float)
            finite = values[np.isfinite(values)]
            rows[item][key] = float(finite.mean()) if finite.size else float("nan")
    return rows


def _trial_arrays(trials: list[dict]) -> dict[str, np.ndarray]:
    return {
        "trial_lesioned": np.asarray([t["condition"] == "lesioned" for t in trials], dtype=np.int8),
        "trial_item": np.asarray([t["item"] for t in trials], dtype=np.int32),
        "trial_window_s": np.asarray([t["window"] for t in trials], dtype=float).reshape(-1, 2),
        "trial_overlap": np.asarray([t["overlap"] for t in trials], dtype=float),
        "trial_completion_rate_hz": np.asarray([t["completion_rate_hz"] for t in trials], dtype=float),
        "trial_semantisation_index": np.asarray([t["semantisation_index"] for t in trials], dtype=float),
    }
