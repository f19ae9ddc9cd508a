"""Brunel & Wang's native protocol (two cues, delays, reset), its scores, and the rates every run stores."""

from __future__ import annotations

import numpy as np
from ...errors import ConfigError
from ...protocols import Phase, Schedule, Stimulus, phase_window, sequential_phases
from ..common import group_rate_tables
from .parameters import group_names, groups_matrix, pool_index


#: phases whose first ``protocol.score_offset`` is excluded from the scored rates
SETTLING_PHASES = ("baseline", "delay1", "delay2", "post_reset")


#: phases after which the number of held items is scored
HOLD_PHASES = ("delay1", "delay2", "post_reset")


def _items_text(items: tuple[int, ...]) -> str:
    return f"item {items[0]}" if len(items) == 1 else "items " + ", ".join(str(k) for k in items) + " together"


def cued_cells(spec, key: str) -> np.ndarray:
    """1.0 for every E cell of an item in ``protocol.<key>`` (``cue1_item`` / ``cue2_item``), else 0.0."""
    items = np.asarray(spec[f"protocol.{key}"], dtype=np.int32) - 1
    return np.isin(pool_index(spec), items).astype(float)


def native_schedule(spec) -> Schedule:
    """The native protocol: baseline, cue1, delay1, cue2, delay2, reset, post_reset.

    Zero-length phases are dropped. Stimuli: cue 1 and cue 2 onto the cells of their
    items (strength 1 = ``protocol.cue_rate``), the reset onto the global input
    (strength 1 = ``protocol.reset_rate_exc`` / ``reset_rate_inh``).
    """
    p = spec.section("protocol")
    n_items = spec["network.n_items"]
    for key in ("cue1_item", "cue2_item"):
        if max(p[key]) > n_items:
            raise ConfigError(f"protocol.{key} = {list(p[key])}: the network has only {n_items} items (1-based)")
    rate = float(p["cue_rate"])
    reset = f"{float(p['reset_rate_exc']):g} Hz onto every E cell, {float(p['reset_rate_inh']):g} Hz onto every I cell"
    phases = sequential_phases(
        [
            ("baseline", float(p["baseline_duration"]), "spontaneous activity"),
            ("cue1", float(p["cue_duration"]), f"{rate:g} Hz extra Poisson input onto {_items_text(p['cue1_item'])}"),
            ("delay1", float(p["delay1_duration"]), "no input: item must persist"),
            ("cue2", float(p["cue_duration"]), f"{rate:g} Hz extra Poisson input onto {_items_text(p['cue2_item'])}"),
            ("delay2", float(p["delay2_duration"]), "no input: every cued item should persist"),
            ("reset", float(p["reset_duration"]), f"global reset: {reset}"),
            ("post_reset", float(p["post_reset_duration"]), "no input: every item should be erased"),
        ]
    )
    stimuli = [
        Stimulus(*phase_window(phases, name), cells=cued_cells(spec, f"{name}_item"), label=name)
        for name in ("cue1", "cue2")
    ]
    stimuli.append(Stimulus(*phase_window(phases, "reset"), target="global", label="reset"))
    return Schedule(tuple(phases), tuple(stimuli))


def protocol(spec) -> list[Phase]:
    """Phases of the native protocol (:func:`native_schedule`)."""
    return list(native_schedule(spec).phases)


# ----------------------------------------------------------------------------- scores


def scoring_window(phase: Phase, offset_s: float) -> tuple[float, float]:
    """The part of a phase that is scored: settling phases lose their first ``offset_s``."""
    start = phase.start_s
    if phase.name in SETTLING_PHASES and phase.duration_s > 2 * offset_s:
        start += offset_s
    return start, phase.stop_s


def score(spec, spikes, phases):
    """Rate of every pool in every phase, items held after each delay, reset success.

    Scores (``/scores``)
    --------------------
    ``rate_<phase>_<group>_hz``
        Mean rate of ``group`` (``item1 .. itemP``, ``nonselective``, ``inh``) over
        the phase's scoring window (:func:`scoring_window`).
    ``items_held_<phase>``
        Number of selective pools at or above ``protocol.held_threshold_hz`` in
        ``delay1``, ``delay2`` and ``post_reset``.
    ``max_uncued_rate_<phase>_hz``
        Largest rate of a pool that has not been cued by the end of that phase.
    ``reset_success``
        1 if no item is held after the reset (and at least one was held before it), else 0.

    Arrays (``/analysis``): ``phase_group_rates_hz`` ``[n_phases, n_groups]``,
    ``phase_window_s`` ``[n_phases, 2]``.
    """
    from ...analysis.binning import group_rates, population_rate

    proto = spec.section("protocol")
    offset, threshold = float(proto["score_offset"]), proto["held_threshold_hz"]
    exc_ids, exc_times = spikes["exc"]
    inh_ids, inh_times = spikes["inh"]
    members = groups_matrix(spec)
    names = group_names(spec)
    n_items = spec["network.n_items"]
    cued: set[int] = set()
    scores: dict[str, float] = {}
    table, windows = [], []
    for phase in phases:
        start, stop = scoring_window(phase, offset)
        width = stop - start
        exc_rates = group_rates(exc_ids, exc_times, members, start, stop, width)[0]
        inh_rate = population_rate(inh_ids, inh_times, spec["network.n_inh"], start, stop, width)[0]
        row = np.append(exc_rates, inh_rate)
        table.append(row)
        windows.append((start, stop))
        for name, value in zip(names, row):
            scores[f"rate_{phase.name}_{name}_hz"] = float(value)
        if phase.name in ("cue1", "cue2"):
            cued.update(item - 1 for item in proto[f"{phase.name}_item"])
        if phase.name in HOLD_PHASES:
            selective = row[:n_items]
            scores[f"items_held_{phase.name}"] = float(np.sum(selective >= threshold))
            uncued = [selective[k] for k in range(n_items) if k not in cued]
            if uncued:
                scores[f"max_uncued_rate_{phase.name}_hz"] = float(np.max(uncued))
    if "items_held_post_reset" in scores:
        held_before = max(scores.get("items_held_delay2", 0.0), scores.get("items_held_delay1", 0.0))
        scores["reset_success"] = float(scores["items_held_post_reset"] == 0 and held_before > 0)
    arrays = {
        "phase_group_rates_hz": np.asarray(table),
        "phase_window_s": np.asarray(windows),
        "group_names": np.asarray(names, dtype="S16"),
    }
    return scores, arrays


def rates(spec, spikes, duration_s):
    """Rates stored in the run file: E cells by pool (``[n_bins, n_items + 1]``) and the I population."""
    return group_rate_tables(spec, spikes, groups_matrix(spec), group_names(spec)[:-1], duration_s)
