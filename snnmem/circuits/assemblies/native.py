"""The assemblies circuit's native protocol: Litwin-Kumar & Doiron-style training, rest and recall.

What a model file of the ``plastic_assemblies`` circuit runs without a ``[task]``
table (``snnmem validate assemblies`` checks its scores): the phases, the stimuli
drawn from the seed, and the scores. It gives the circuit a
:class:`~snnmem.protocols.Schedule` like any task; the circuit module
(:mod:`snnmem.circuits.assemblies`) holds only the network.

Protocol
--------
``warmup`` (spontaneous, inhibitory STDP only: plasticity ``"homeostatic"``),
``train`` (each assembly stimulated ``train_repetitions`` times for
``train_duration``, in random order, separated by ``train_gap``), ``rest``
(spontaneous activity, plastic), ``recall`` (frozen unless
``protocol.plastic_during_recall``): trials of ``recall_duration`` separated by
``recall_gap``, in random order -- for each cue fraction f in ``cue_fractions`` and
each of the first ``recall_assemblies`` assemblies, a random fraction f of the
assembly's cells is stimulated; plus ``control_trials`` no-cue trials and as many
trials that cue a random set of cells outside every assembly (as large as the
f = 0.5 cue). Every stimulus has the standard strength (``protocol.stimulus_rate``).

Scores
------
See :func:`score`. Overlaps are normalised activities of cell sets (1: every cell of
the set active and the rest of the network silent; 0: the set is as active as the
whole E population), :func:`snnmem.analysis.assemblies.set_overlap`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ...analysis.assemblies import mean_or_nan, set_overlap, weight_classes, weight_ratio
from ...errors import ConfigError
from ...protocols import Phase, Schedule, Stimulus, sequential_phases

__all__ = ["check", "protocol", "draw", "native_schedule", "trial_overlaps", "score", "random_cue_size", "TRIAL_DTYPE"]

#: seed offset of the protocol's draws (orders, cue sets): independent of Brian2's streams
_PROTOCOL_STREAM = 0x5A11

#: one row per recall trial (see :func:`draw`)
TRIAL_DTYPE = [
    ("start_s", "f8"),
    ("stop_s", "f8"),
    ("kind", "i4"),
    ("assembly", "i4"),
    ("fraction", "f8"),
    ("set_row", "i4"),
]


def random_cue_size(assembly_size: int) -> int:
    """Cells in the random-set control cue: as many as a cue of half an assembly."""
    return max(1, int(round(0.5 * assembly_size)))


def check(spec: Any, assembly_size: int, outside_count: int) -> None:
    """Rules between the ``[protocol]`` keys and the network (at load time, native protocol only)."""
    proto, net = spec.section("protocol"), spec.section("network")
    if proto["recall_assemblies"] > net["n_assemblies"]:
        raise ConfigError(
            f"protocol.recall_assemblies = {proto['recall_assemblies']} exceeds "
            f"network.n_assemblies = {net['n_assemblies']}"
        )
    for fraction in proto["cue_fractions"]:
        if int(round(fraction * assembly_size)) < 1:
            raise ConfigError(
                f"protocol.cue_fractions: {fraction:g} of an assembly of {assembly_size} cells cues no cell"
            )
    for key in ("warmup_duration", "train_duration", "train_gap", "rest_duration", "recall_duration", "recall_gap"):
        steps = float(proto[key]) / 1e-3
        if abs(steps - round(steps)) > 1e-6:
            raise ConfigError(f"protocol.{key} = {proto[key]} is not a whole number of milliseconds")
    if proto["control_trials"] and outside_count < random_cue_size(assembly_size):
        raise ConfigError(
            "protocol.control_trials: too few cells lie outside every assembly for the random-set cue "
            "(fewer assemblies or a smaller assembly_fraction, or control_trials = 0)"
        )


def protocol(spec: Any) -> list[Phase]:
    """warmup, train, rest, recall (zero-length phases dropped), with their plasticity modes."""
    proto, net = spec.section("protocol"), spec.section("network")
    n_trials = len(proto["cue_fractions"]) * proto["recall_assemblies"] + 2 * proto["control_trials"]
    train_s = (
        net["n_assemblies"] * proto["train_repetitions"] * (float(proto["train_duration"]) + float(proto["train_gap"]))
    )
    recall_s = n_trials * (float(proto["recall_duration"]) + float(proto["recall_gap"]))
    recall_plasticity = "all" if proto["plastic_during_recall"] else "none"
    # from a snapshot the warm-up only lets the cells settle: the snapshot's weights stay as they were
    warmup = (
        ("spontaneous activity, frozen: the cells settle on the snapshot's weights", "none")
        if proto["start_from"]
        else ("spontaneous activity; inhibitory STDP balances the network", "homeostatic")
    )
    return sequential_phases(
        [
            ("warmup", float(proto["warmup_duration"]), *warmup),
            (
                "train",
                train_s,
                f"{net['n_assemblies']} assemblies x {proto['train_repetitions']} presentations "
                f"of {proto['train_duration']}, random order",
            ),
            ("rest", float(proto["rest_duration"]), "spontaneous activity, plastic"),
            (
                "recall",
                recall_s,
                f"{n_trials} trials: partial cues at f = {list(proto['cue_fractions'])}, "
                "no-cue and random-set controls",
                recall_plasticity,
            ),
        ]
    )


def draw(spec: Any, members: np.ndarray, seed: int) -> dict:
    """The stimuli of the native protocol, drawn from ``seed``.

    Parameters
    ----------
    spec
        The model.
    members
        Boolean assembly membership ``[n_assemblies, n_exc]`` (the circuit's memory map).
    seed
        The run's seed.

    Returns
    -------
    dict
        ``sets`` (bool ``[n_sets, n_exc]``, the stimulated cells of every stimulus; row 0
        is the empty set, rows 1..K the assemblies), ``events`` (``(start_s, stop_s,
        set_row)`` of every stimulus, training first), ``trials`` (one :data:`TRIAL_DTYPE`
        row per recall trial: ``kind`` 0 assembly cue, 1 no cue, 2 random set;
        ``assembly`` 0-based, -1 for controls) and ``membership``.
    """
    rng = np.random.default_rng([_PROTOCOL_STREAM, seed, 1])
    proto = spec.section("protocol")
    n_assemblies, n_exc = members.shape
    phases = {p.name: p for p in protocol(spec)}
    sets = [np.zeros(n_exc, dtype=bool)] + [row for row in members]
    events = []
    order = np.concatenate(
        [rng.permutation(n_assemblies) for _ in range(proto["train_repetitions"])] + [np.zeros(0, dtype=np.int64)]
    )
    slot = float(proto["train_duration"]) + float(proto["train_gap"])
    for n, k in enumerate(order):
        start = phases["train"].start_s + n * slot
        events.append((start, start + float(proto["train_duration"]), int(k) + 1))
    specs = [(0, k, f) for f in proto["cue_fractions"] for k in range(proto["recall_assemblies"])]
    specs += [(1, -1, 0.0)] * proto["control_trials"] + [(2, -1, 0.5)] * proto["control_trials"]
    outside = np.flatnonzero(~members.any(axis=0))
    n_random = random_cue_size(int(members[0].sum()))
    slot = float(proto["recall_duration"]) + float(proto["recall_gap"])
    trials = np.zeros(len(specs), dtype=TRIAL_DTYPE)
    for n, index in enumerate(rng.permutation(len(specs))):
        kind, k, fraction = specs[index]
        row = 0
        if kind != 1:
            if kind == 0:
                chosen = rng.choice(
                    np.flatnonzero(members[k]), size=int(round(fraction * members[k].sum())), replace=False
                )
            else:
                chosen = rng.choice(outside, size=min(n_random, outside.size), replace=False)
            stimulated = np.zeros(n_exc, dtype=bool)
            stimulated[chosen] = True
            sets.append(stimulated)
            row = len(sets) - 1
        start = phases["recall"].start_s + n * slot
        trials[n] = (start, start + float(proto["recall_duration"]), kind, k, fraction, row)
        if row:
            events.append((start, start + float(proto["recall_duration"]), row))
    return {"sets": np.asarray(sets), "events": events, "trials": trials, "membership": members}


def native_schedule(spec: Any, members: np.ndarray, seed: int) -> Schedule:
    """The native protocol as a :class:`~snnmem.protocols.Schedule` for the circuit's stimulus port."""
    drawn = draw(spec, members, seed)
    n_assemblies = members.shape[0]
    stimuli = []
    for start, stop, row in drawn["events"]:
        trained = row <= n_assemblies
        label = f"train assembly {row}" if trained else f"recall cue (set {row})"
        cells = drawn["sets"][row].astype(float)
        stimuli.append(Stimulus(start, stop, cells=cells, label=label, item=row if trained else 0))
    return Schedule(tuple(protocol(spec)), tuple(stimuli))


def trial_overlaps(spec: Any, spikes: Any, drawn: dict) -> np.ndarray:
    """Overlap of every assembly in every recall trial, ``[n_trials, n_assemblies]``.

    In a cue trial of assembly k the column k is the overlap of k's *not cued*
    members and every other column that of the other assembly's members outside k
    and outside the cue; in control trials the columns are the assemblies' members
    outside the random cue. The window of a trial is ``[onset + overlap_offset, offset]``.
    """
    from ...analysis.binning import bin_spikes

    members, trials, sets = drawn["membership"], drawn["trials"], drawn["sets"]
    proto = spec.section("protocol")
    ids, times = spikes["exc"]
    n_exc = members.shape[1]
    out = np.full((trials.size, members.shape[0]), np.nan)
    for n, trial in enumerate(trials):
        start = trial["start_s"] + float(proto["overlap_offset"])
        counts = bin_spikes(ids, times, n_exc, start, trial["stop_s"], trial["stop_s"] - start)[:, 0]
        active = counts >= proto["active_min_spikes"]
        cued = sets[trial["set_row"]] if trial["set_row"] else np.zeros(n_exc, dtype=bool)
        for k in range(members.shape[0]):
            cells = members[k] & ~cued
            if trial["kind"] == 0 and k != trial["assembly"]:
                cells &= ~members[trial["assembly"]]
            out[n, k] = set_overlap(active, cells)
    return out


def score(spec: Any, spikes: Any, phases: list[Phase], state: dict, drawn: dict) -> tuple[dict, dict]:
    """Weight ratios, completion curve, recall specificity and controls.

    Scores (``/scores``)
    --------------------
    ``weight_ratio_initial``, ``weight_ratio_after_training``, ``weight_ratio_after_rest``
        Mean within-assembly / mean between-assembly E->E weight
        (:func:`~snnmem.analysis.assemblies.weight_classes`); from the weights at the
        end of the ``train`` and ``rest`` phases (without a rest: the end of training).
    ``weight_ratio_start``
        Of the weights a run from a snapshot started from (``protocol.start_from``).
    ``retention``
        ``weight_ratio_after_rest / weight_ratio_after_training`` (runs that train).
    ``completion_f<f>``
        Mean overlap of the not-cued members of the cued assembly at cue fraction f
        (``completion_f0p5`` for f = 0.5), see :func:`trial_overlaps`.
    ``largest_other_f<f>``
        Mean over those trials of the largest overlap of another assembly.
    ``recall_specificity``
        ``completion_f0p5 - largest_other_f0p5`` (needs 0.5 in ``cue_fractions``).
    ``no_cue_max_overlap``, ``random_cue_max_overlap``
        Largest overlap of any assembly in the no-cue and random-set trials.
    ``rate_<phase>_exc_hz``, ``rate_<phase>_inh_hz``, ``rate_<phase>_assemblies_hz``
        Mean rates of the E cells, I cells and assembly members in each phase.

    Arrays (``/analysis``): ``completion_curve`` ``[n_fractions, 3]`` (cue fraction,
    cued assembly's not-cued members, largest other assembly), ``recall_overlaps``
    ``[n_trials, n_assemblies]``, ``recall_trial_*`` (the trial table),
    ``assembly_membership`` ``[n_assemblies, n_exc]``, ``assembly_rates_hz``
    ``[n_bins, n_assemblies + 1]`` (last column: cells in no assembly),
    ``training_events`` ``[n, 3]`` (start, stop, assembly 0-based).
    """
    from ...analysis.binning import group_rates, population_rate

    members, trials = drawn["membership"], drawn["trials"]
    ee = state["weights"]["ee"]
    within, between = weight_classes(ee["i"].astype(np.int64), ee["j"].astype(np.int64), members)
    scores: dict[str, float] = {}
    after_rest = "w_after_rest" if "w_after_rest" in ee else "w_after_train"
    classes = (("initial", "w_initial"), ("start", "w_start"), ("after_training", "w_after_train"))
    for label, key in (*classes, ("after_rest", after_rest)):
        if key not in ee:  # no snapshot start, or no training (a run from a snapshot)
            continue
        w = ee[key]
        scores[f"weight_ratio_{label}"] = weight_ratio(w, within, between)
        scores[f"weight_within_{label}"] = float(np.mean(w[within])) if within.any() else float("nan")
        scores[f"weight_between_{label}"] = float(np.mean(w[between])) if between.any() else float("nan")
    if "weight_ratio_after_training" in scores:
        scores["retention"] = scores["weight_ratio_after_rest"] / scores["weight_ratio_after_training"]

    overlaps = trial_overlaps(spec, spikes, drawn)
    curve = []
    for fraction in spec["protocol.cue_fractions"]:
        rows = np.flatnonzero((trials["kind"] == 0) & np.isclose(trials["fraction"], fraction))
        cued = np.array([overlaps[r, trials["assembly"][r]] for r in rows])
        others = np.array(
            [np.nanmax(np.delete(overlaps[r], trials["assembly"][r])) if members.shape[0] > 1 else np.nan for r in rows]
        )
        label = f"{fraction:g}".replace(".", "p")
        scores[f"completion_f{label}"] = mean_or_nan(cued)
        scores[f"largest_other_f{label}"] = mean_or_nan(others)
        curve.append((fraction, scores[f"completion_f{label}"], scores[f"largest_other_f{label}"]))
    if "completion_f0p5" in scores:
        scores["recall_specificity"] = scores["completion_f0p5"] - scores["largest_other_f0p5"]
    for kind, name in ((1, "no_cue_max_overlap"), (2, "random_cue_max_overlap")):
        rows = trials["kind"] == kind
        if rows.any():
            scores[name] = float(np.nanmax(overlaps[rows]))

    exc_ids, exc_times = spikes["exc"]
    inh_ids, inh_times = spikes["inh"]
    n_exc, n_inh = members.shape[1], spec["network.n_inh"]
    for phase in phases:
        width = phase.duration_s
        scores[f"rate_{phase.name}_exc_hz"] = float(
            population_rate(exc_ids, exc_times, n_exc, phase.start_s, phase.stop_s, width)[0]
        )
        scores[f"rate_{phase.name}_inh_hz"] = float(
            population_rate(inh_ids, inh_times, n_inh, phase.start_s, phase.stop_s, width)[0]
        )
        scores[f"rate_{phase.name}_assemblies_hz"] = float(
            group_rates(exc_ids, exc_times, members.any(axis=0)[None, :], phase.start_s, phase.stop_s, width)[0, 0]
        )

    # training presentations: the events whose set is an assembly (rows 1..K)
    events = np.array(
        [(a, b, row - 1) for a, b, row in drawn["events"] if row <= members.shape[0]], dtype=float
    ).reshape(-1, 3)
    spikes_in = sum(
        group_rates(exc_ids, exc_times, members[int(k)][None, :], a, b, b - a)[0, 0] * (b - a) for a, b, k in events
    )
    if len(events):
        scores["rate_train_stimulated_hz"] = float(spikes_in / np.sum(events[:, 1] - events[:, 0]))
    duration = phases[-1].stop_s
    groups = np.vstack([members, ~members.any(axis=0)[None, :]])
    bin_s = float(spec["simulation.rate_bin"])
    arrays = {
        "completion_curve": np.asarray(curve, dtype=float).reshape(-1, 3),
        "recall_overlaps": overlaps,
        "recall_trial_start_s": trials["start_s"],
        "recall_trial_stop_s": trials["stop_s"],
        "recall_trial_kind": trials["kind"],
        "recall_trial_assembly": trials["assembly"],
        "recall_trial_fraction": trials["fraction"],
        "assembly_membership": members.astype(np.uint8),
        "assembly_rates_hz": group_rates(exc_ids, exc_times, groups, 0.0, duration, bin_s).astype(np.float32),
        "training_events": events,
    }
    return scores, arrays
