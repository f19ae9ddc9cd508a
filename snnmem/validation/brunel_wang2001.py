"""Validation ``brunel_wang2001``: item-selective persistent activity (Brunel & Wang 2001).

Protocol: the default model (800 E / 200 I, 5 pools at f = 0.1, w+ = 2.1,
dt = 0.1 ms): 1 s baseline, 250 ms cue of item 1 (80 x 25 Hz extra Poisson input),
2 s delay, 250 ms cue of item 2, 2 s delay, 250 ms global reset (2 kHz extra
Poisson input onto the interneurons), 1 s. Rates scored per phase, without the
first 500 ms of baseline, delays and post-reset. Repeated over ``seeds`` seeds
(default 3).

Expected (issue 7, after Brunel & Wang 2001), in every seed:

- spontaneous (baseline) non-selective E rate 2 Hz +- 30 % and I rate 7 Hz +- 30 %;
- delay 1: the cued pool at 15-30 Hz, every other selective pool < 4 Hz;
- delay 2: both cued pools elevated (>= the hold threshold, 10 Hz);
- after the reset no pool holds an item.
"""
from __future__ import annotations

import numpy as np

from . import Check, ValidationResult, register
from ._common import seed_count

REFERENCE = ("Brunel N, Wang X-J (2001). Effects of neuromodulation in a cortical network model of object "
             "working memory dominated by recurrent inhibition. J Comput Neurosci 11:63-85")

SPONTANEOUS_EXC_HZ = 2.0
SPONTANEOUS_INH_HZ = 7.0
SPONTANEOUS_TOLERANCE = 0.30
HELD_RANGE_HZ = (15.0, 30.0)
OTHERS_MAX_HZ = 4.0
ELEVATED_MIN_HZ = 10.0


def default_model(overrides: dict | None = None):
    """The published model from the circuit's defaults (independent of the repository's files)."""
    from ..config import resolve

    document = {"model": {"name": "brunel_wang2001", "circuit": "item_attractor", "reference": REFERENCE}}
    return resolve(document, overrides, where="brunel_wang2001 validation")


def seed_checks(scores: dict, n_items: int = 5) -> dict[str, bool]:
    """Which of the published behaviours one run shows (cue 1 = item 1, cue 2 = item 2)."""
    low_e, high_e = SPONTANEOUS_EXC_HZ * (1 - SPONTANEOUS_TOLERANCE), SPONTANEOUS_EXC_HZ * (1 + SPONTANEOUS_TOLERANCE)
    low_i, high_i = SPONTANEOUS_INH_HZ * (1 - SPONTANEOUS_TOLERANCE), SPONTANEOUS_INH_HZ * (1 + SPONTANEOUS_TOLERANCE)
    others = [scores[f"rate_delay1_item{k}_hz"] for k in range(2, n_items + 1)]
    return {
        "spontaneous_exc": low_e <= scores["rate_baseline_nonselective_hz"] <= high_e,
        "spontaneous_inh": low_i <= scores["rate_baseline_inh_hz"] <= high_i,
        "delay1_cued_held": HELD_RANGE_HZ[0] <= scores["rate_delay1_item1_hz"] <= HELD_RANGE_HZ[1],
        "delay1_others_low": max(others) < OTHERS_MAX_HZ,
        "delay2_both_elevated": min(scores["rate_delay2_item1_hz"], scores["rate_delay2_item2_hz"]) >= ELEVATED_MIN_HZ,
        "reset_erases": scores.get("reset_success", 0.0) == 1.0,
    }


@register("brunel_wang2001", REFERENCE,
          "item attractors: spontaneous 2 / 7 Hz, one cued item held at 15-30 Hz, two items after two cues, "
          "reset (3 seeds)")
def run(seeds: int | None = None, overrides: dict | None = None) -> ValidationResult:
    """Run the item-attractor checks on ``seeds`` seeds (default 3)."""
    from ..simulation import simulate

    n_seeds = seed_count(seeds, 3)
    model = default_model(overrides)
    n_items = model["network.n_items"]
    per_seed = []
    for seed in range(1, n_seeds + 1):
        scores = simulate(model, seed=seed).scores
        per_seed.append({"seed": seed, **scores, "checks": seed_checks(scores, n_items)})

    def worst(key, low, high):
        values = [s[key] for s in per_seed]
        return min(values) if min(values) < low else max(values)

    def all_seeds(name):
        return all(s["checks"][name] for s in per_seed)

    low = 1 - SPONTANEOUS_TOLERANCE
    high = 1 + SPONTANEOUS_TOLERANCE
    checks = [
        Check("spontaneous non-selective E rate (Hz, worst seed)",
              worst("rate_baseline_nonselective_hz", SPONTANEOUS_EXC_HZ * low, SPONTANEOUS_EXC_HZ * high),
              f"{SPONTANEOUS_EXC_HZ:g} ± 30 %", all_seeds("spontaneous_exc")),
        Check("spontaneous I rate (Hz, worst seed)",
              worst("rate_baseline_inh_hz", SPONTANEOUS_INH_HZ * low, SPONTANEOUS_INH_HZ * high),
              f"{SPONTANEOUS_INH_HZ:g} ± 30 %", all_seeds("spontaneous_inh")),
        Check("delay 1: cued pool rate (Hz, worst seed)", worst("rate_delay1_item1_hz", *HELD_RANGE_HZ),
              f"{HELD_RANGE_HZ[0]:g} - {HELD_RANGE_HZ[1]:g}", all_seeds("delay1_cued_held")),
        Check("delay 1: largest other pool rate (Hz, all seeds)",
              max(s["max_uncued_rate_delay1_hz"] for s in per_seed), f"< {OTHERS_MAX_HZ:g}",
              all_seeds("delay1_others_low")),
        Check("delay 2: lower of the two cued pools (Hz, worst seed)",
              min(min(s["rate_delay2_item1_hz"], s["rate_delay2_item2_hz"]) for s in per_seed),
              f">= {ELEVATED_MIN_HZ:g} (both elevated)", all_seeds("delay2_both_elevated")),
        Check("reset: seeds with no item held after the reset (fraction)",
              float(np.mean([s["checks"]["reset_erases"] for s in per_seed])), "1.0", all_seeds("reset_erases")),
    ]
    values = {"seeds": per_seed, "model_sha256": model.sha256}
    return ValidationResult(name="brunel_wang2001", reference=REFERENCE, checks=checks, values=values)
