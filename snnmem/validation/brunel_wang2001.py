"""Validation ``brunel_wang2001``: item-selective persistent activity (Brunel & Wang 2001).

Model: ``models/brunel_wang2001.toml`` (800 E / 200 I, 5 pools at f = 0.1, w+ = 2.1,
dt = 0.1 ms); the limits are that file's ``[expected]`` table.

1. Native protocol: 1 s baseline, 250 ms cue of item 1 (80 x 25 Hz extra Poisson
   input), 2 s delay, 250 ms cue of item 2, 2 s delay, 250 ms global reset (2 kHz extra
   Poisson input onto the interneurons), 1 s. Rates scored per phase, without the first
   500 ms of baseline, delays and post-reset. Checks: spontaneous non-selective E and I
   rates, the cued pool's delay rate and the largest other pool, the reset.
2. Distractor task (``snnmem.tasks.distractor``): item 1 cued, 2 s, item 2 cued at
   ``DISTRACTOR_STRENGTHS`` x the cue rate, 2 s. Checks: in every seed the weak
   distractors leave item 1 held and are not stored and the strong ones switch the
   memory to item 2 (a bracket, :mod:`snnmem.validation.distractor`; an intermediate
   band between them is reported), the threshold (the bracket's midpoint) lies in
   ``[expected] distractor_switch_threshold``; the mean-field theory's
   long-distractor threshold (a lower bound) lies below it.

Repeated over ``seeds`` seeds (default 3). Issue 7's "both cued pools elevated after the
second cue" is not checked: the network replaces the held item with an equal second cue
at every size tried (docs/working_memory.md), which the distractor threshold below 1
states as a measured number.
"""

from __future__ import annotations

import numpy as np

from . import Check, ValidationResult, register
from ._common import expected_range, model_file, seed_count
from .distractor import KEPT, SWITCHED, distractor_runs, outcome_fractions, switch_thresholds

REFERENCE = (
    "Brunel N, Wang X-J (2001). Effects of neuromodulation in a cortical network model of object "
    "working memory dominated by recurrent inhibition. J Comput Neurosci 11:63-85"
)

#: the distractor task on this model: item 1, then item 2 at a fraction of the cue rate
DISTRACTOR_TASK = {"task.name": "distractor", "task.item_a": 1, "task.item_b": 2, "task.baseline_duration": "1 s"}
#: distractor strengths (x protocol.cue_rate), chosen before the runs
DISTRACTOR_STRENGTHS = (0.0, 0.05, 0.1, 0.15, 0.2, 0.3, 0.5, 1.0)


def default_model(overrides: dict | None = None):
    """``models/brunel_wang2001.toml`` with ``overrides``."""
    from ..config import load_model

    return load_model(model_file("brunel_wang2001"), overrides)


def seed_checks(scores: dict, expected, n_items: int = 5) -> dict[str, bool]:
    """Which of the expected behaviours one native run shows (cue 1 = item 1); ``expected`` is the model."""

    def inside(key: str, value: float) -> bool:
        low, high = expected_range(expected, key)
        return low <= value <= high

    return {
        "spontaneous_exc": inside("rate_baseline_nonselective_hz", scores["rate_baseline_nonselective_hz"]),
        "spontaneous_inh": inside("rate_baseline_inh_hz", scores["rate_baseline_inh_hz"]),
        "delay1_cued_held": inside("rate_delay1_item1_hz", scores["rate_delay1_item1_hz"]),
        "delay1_others_low": inside("max_uncued_rate_delay1_hz", scores["max_uncued_rate_delay1_hz"]),
        "reset_erases": inside("reset_success", scores.get("reset_success", 0.0)),
    }


def mean_field_threshold(model) -> float:
    """Long-distractor switch threshold of the mean-field theory (x the cue rate; a lower bound)."""
    from ..theory.item_attractor import MeanField

    return MeanField(model).distractor_threshold(
        1, 2, float(model["protocol.cue_rate"]), held_threshold_hz=model["protocol.held_threshold_hz"]
    )


@register(
    "brunel_wang2001",
    REFERENCE,
    "item attractors: spontaneous 2 / 7 Hz, one cued item held at 15-30 Hz, reset; distractor switch "
    "threshold with the mean-field bound (3 seeds)",
    model=default_model,
)
def run(seeds: int | None = None, overrides: dict | None = None) -> ValidationResult:
    """Run the item-attractor checks on ``seeds`` seeds (default 3)."""
    from ..simulation import simulate

    n_seeds = seed_count(seeds, 3)
    model = default_model(overrides)
    n_items = model["network.n_items"]
    per_seed = []
    for seed in range(1, n_seeds + 1):
        scores = simulate(model, seed=seed).scores
        per_seed.append({"seed": seed, **scores, "checks": seed_checks(scores, model, n_items)})
    distractor = default_model({**DISTRACTOR_TASK, **(overrides or {})})
    runs = distractor_runs(distractor, DISTRACTOR_STRENGTHS, range(1, n_seeds + 1))
    thresholds = switch_thresholds(runs)
    theory = mean_field_threshold(model)

    def worst(key):
        low, high = expected_range(model, key)
        values = [s[key] for s in per_seed]
        return min(values) if min(values) < low else max(values)

    def all_seeds(name):
        return all(s["checks"][name] for s in per_seed)

    def shown(key):
        low, high = expected_range(model, key)
        return f"{low:g} - {high:g}" if low != high else f"{low:g}"

    measured = [t["threshold"] for t in thresholds.values()]
    low, high = expected_range(model, "distractor_switch_threshold")
    checks = [
        Check(
            "spontaneous non-selective E rate (Hz, worst seed)",
            worst("rate_baseline_nonselective_hz"),
            shown("rate_baseline_nonselective_hz"),
            all_seeds("spontaneous_exc"),
        ),
        Check(
            "spontaneous I rate (Hz, worst seed)",
            worst("rate_baseline_inh_hz"),
            shown("rate_baseline_inh_hz"),
            all_seeds("spontaneous_inh"),
        ),
        Check(
            "delay 1: cued pool rate (Hz, worst seed)",
            worst("rate_delay1_item1_hz"),
            shown("rate_delay1_item1_hz"),
            all_seeds("delay1_cued_held"),
        ),
        Check(
            "delay 1: largest other pool rate (Hz, all seeds)",
            max(s["max_uncued_rate_delay1_hz"] for s in per_seed),
            shown("max_uncued_rate_delay1_hz"),
            all_seeds("delay1_others_low"),
        ),
        Check(
            "reset: seeds with no item held after the reset (fraction)",
            float(np.mean([s["checks"]["reset_erases"] for s in per_seed])),
            "1.0",
            all_seeds("reset_erases"),
        ),
        Check(
            "distractor: seeds with A kept below a bracket and switched above it (fraction)",
            float(np.mean([t["bracketed"] for t in thresholds.values()])),
            "1.0",
            all(t["bracketed"] for t in thresholds.values()),
        ),
        Check(
            "distractor: switch threshold (x cue rate, largest seed)",
            float(np.max(measured)),
            f"{low:g} < threshold <= {high:g} in every seed",
            all(np.isfinite(measured)) and all(low < t <= high for t in measured),
        ),
        Check(
            "mean field: long-distractor threshold (x cue rate; a lower bound)",
            theory,
            "<= the smallest measured threshold",
            bool(np.isfinite(theory) and theory <= np.min(measured)),
        ),
    ]
    values = {
        "seeds": per_seed,
        "model_sha256": model.sha256,
        "distractor": {
            "strengths": list(DISTRACTOR_STRENGTHS),
            "runs": runs,
            "thresholds": thresholds,
            "fractions": outcome_fractions(runs),
            "mean_field_threshold": theory,
            "kept_code": KEPT,
            "switched_code": SWITCHED,
        },
    }
    return ValidationResult(name="brunel_wang2001", reference=REFERENCE, checks=checks, values=values)


# ----------------------------------------------------------------------------- two items at once
#: bin of the two-item probe's rate traces (s)
PROBE_BIN_S = 0.25
#: delay after the simultaneous cue (s): long enough for the symmetric state to break
PROBE_DELAY_S = 4.0


def probe_model(n_exc: int = 800, overrides: dict | None = None):
    """The default model with items 1 and 2 cued *together*, then a ``PROBE_DELAY_S`` delay.

    The run ends after delay 1 (the second cue, delay 2 and the reset are cut short);
    ``n_exc`` E cells and ``n_exc / 4`` I cells, conductances scaled as in the paper.
    """
    probe = {
        "network.n_exc": n_exc,
        "network.n_inh": n_exc // 4,
        "protocol.cue1_item": [1, 2],
        "protocol.delay1_duration": f"{PROBE_DELAY_S} s",
        "protocol.delay2_duration": "0 s",
        "protocol.reset_duration": "0 s",
        "protocol.post_reset_duration": "0 s",
    }
    return default_model(dict(probe, **(overrides or {})))


def two_item_trace(model, spikes: dict, phases) -> dict:
    """Rates of the two cued pools through delay 1 and how long both stay elevated.

    Returns ``{"time_s", "item1_hz", "item2_hz"}`` (``PROBE_BIN_S`` bins from the end of
    the cue), ``both_elevated_first_bin`` (both >= the hold threshold in the first bin),
    ``two_item_lifetime_s`` (end of the last bin in which both cued pools are at or above
    the hold threshold, counted from the end of the cue; 0 if never),
    ``items_held_last_s`` (cued pools >= threshold over the last second of the delay).
    """
    from ..analysis.binning import group_rates
    from ..circuits.item_attractor import pool_index
    from ..protocols import phase_window

    threshold = model["protocol.held_threshold_hz"]
    start, stop = phase_window(phases, "delay1")
    members = pool_index(model)[None, :] == np.array([[0], [1]])
    ids, times = spikes["exc"]
    rates = group_rates(ids, times, members, start, stop, PROBE_BIN_S)
    both = np.flatnonzero(np.all(rates >= threshold, axis=1))
    last = group_rates(ids, times, members, stop - 1.0, stop, 1.0)[0]
    return {
        "time_s": (np.arange(len(rates)) + 0.5) * PROBE_BIN_S,
        "item1_hz": rates[:, 0],
        "item2_hz": rates[:, 1],
        "both_elevated_first_bin": bool(len(both) and both[0] == 0),
        "two_item_lifetime_s": float((both[-1] + 1) * PROBE_BIN_S) if len(both) else 0.0,
        "items_held_last_s": int(np.sum(last >= threshold)),
        "last_s_item_rates_hz": last,
    }


@register(
    "brunel_wang2001_two_items",
    REFERENCE,
    "characterisation, not a published number: items 1 and 2 cued together (800 / 200, 3 seeds); "
    "how long does the two-item state last at w+ = 2.1?",
    model=lambda overrides: probe_model(overrides=overrides),
)
def run_two_items(seeds: int | None = None, overrides: dict | None = None, n_exc: int = 800) -> ValidationResult:
    """Cue two items at once and follow them through a 4 s delay (the question behind issue 7's two-item check).

    ``n_exc`` E cells (default: the published 800; larger networks are drawn by
    ``analysis/brunel_wang_two_items.py``). Checks: the cue
    loads both items (both cued pools >= 10 Hz in the first 250 ms of the delay), and
    at the end of the delay exactly one is held (at 800 / 200 the two-item state lasts
    1.25-2.5 s, then one item wins). Brunel & Wang (2001) state no number for this; the
    checks record what the model does at the default size. The lifetime grows with the
    network size (``analysis/brunel_wang_two_items.py``: at 6400 / 1600 both items were
    still held after 4 s in 3 of 4 seeds), so this is a finite-size property.
    """
    from ..simulation import simulate

    n_seeds = seed_count(seeds, 3)
    model = probe_model(n_exc, overrides)
    per_run = []
    for seed in range(1, n_seeds + 1):
        run = simulate(model, seed=seed)
        per_run.append(
            {
                "n_exc": n_exc,
                "seed": seed,
                **two_item_trace(model, run.spikes, run.phases),
                "cue_rate_item1_hz": run.scores["rate_cue1_item1_hz"],
                "cue_rate_item2_hz": run.scores["rate_cue1_item2_hz"],
                "delay_rate_inh_hz": run.scores["rate_delay1_inh_hz"],
            }
        )
    lifetimes = [r["two_item_lifetime_s"] for r in per_run]
    held = [r["items_held_last_s"] for r in per_run]
    low, high = expected_range(default_model(), "two_item_lifetime_s")
    checks = [
        Check(
            "runs in which both cued pools are >= 10 Hz in the first 250 ms after the cue (fraction)",
            float(np.mean([r["both_elevated_first_bin"] for r in per_run])),
            "1.0 (the cue loads two items)",
            all(r["both_elevated_first_bin"] for r in per_run),
        ),
        Check(
            f"two-item lifetime after the cue (s, shortest of {len(per_run)} runs)",
            min(lifetimes),
            f">= {low:g} (both items held at least this long)",
            min(lifetimes) >= low,
        ),
        Check(
            f"two-item lifetime after the cue (s, longest of {len(per_run)} runs)",
            max(lifetimes),
            f"< {high:g} (both no longer held in the last second)",
            max(lifetimes) < high,
        ),
        Check(
            "cued items held in the last second of the delay (largest of all runs)",
            float(max(held)),
            "1 in every run (one item wins)",
            all(h == 1 for h in held),
        ),
    ]
    values = {"runs": per_run, "delay_s": PROBE_DELAY_S, "bin_s": PROBE_BIN_S, "n_exc": n_exc}
    return ValidationResult(name="brunel_wang2001_two_items", reference=REFERENCE, checks=checks, values=values)
