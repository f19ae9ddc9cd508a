"""Validation ``assemblies``: STDP-formed cell assemblies recalled from partial cues.

Model: the circuit's defaults (``models/assemblies.toml``): 2000 E / 500 I
conductance-based LIF cells, p = 0.2, 10 assemblies of 5 % of the E cells (random,
overlapping), triplet STDP on E->E (Pfister & Gerstner 2006 visual-cortex minimal
all-to-all amplitudes x 3, bounds [0, 4]), inhibitory STDP on I->E (Vogels et al.
2011, 3 Hz), subtractive normalisation every 20 ms (Litwin-Kumar & Doiron 2014).
Protocol: 5 s warm-up, training (each assembly 3 x 500 ms, random order, 500 ms
gaps), 20 s rest (plastic), recall (cue fractions 0.1, 0.25, 0.5, 0.75 of
assemblies 1-5; 5 no-cue and 5 random-set controls), 300 ms cues. Repeated over
``seeds`` seeds (default 3); every seed draws its own assemblies.

Expected (issue 5), in every seed; overlaps as documented in
:func:`snnmem.analysis.assemblies.set_overlap` (1: exactly the set active, 0: as
active as the network):

- within/between E->E weight ratio after training >= 1.5;
- after the rest it keeps >= 80 % of that ratio (``retention`` >= 0.8);
- a 50 % cue: ``recall_specificity`` (not-cued members of the cued assembly minus
  the largest other assembly) > 0.3, and no other assembly above 0.1;
- completion grows with the cue fraction: no step down by more than 0.05 (trial
  noise) and the largest fraction at least 0.2 above the smallest;
- controls recall nothing: every assembly below 0.1 in the no-cue and the
  random-set trials;
- the completion is learned: the same network without E->E plasticity
  (``plasticity.ee_learning_rate = 0``, seed 1) completes nothing from a 50 % cue
  (not-cued members below 0.1).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import Check, ValidationResult, register
from ._common import circuit_model, expected_range, model_file, seed_count

REFERENCE = (
    "Litwin-Kumar A, Doiron B (2014). Formation and maintenance of neuronal assemblies through synaptic "
    "plasticity. Nat Commun 5:5319 (model); checks of issue 5"
)


#: each limit of the checks: its ``[expected]`` key and which end of the range it is (0 low, 1 high)
LIMIT_KEYS = {
    "ratio_min": ("weight_ratio_after_training", 0),
    "retention_min": ("retention", 0),
    "specificity_min": ("recall_specificity", 0),
    "others_max": ("largest_other_f0p5", 1),
    "control_max": ("no_cue_max_overlap", 1),
    "random_max": ("random_cue_max_overlap", 1),
    "growth_min": ("completion_growth", 0),
    "step_tolerance": ("completion_step_down", 1),
}

#: the three controls that assume a network quiet without a cue: made only when the model file gives their limits
QUIET_CONTROLS = frozenset({"others_near_baseline", "no_cue_recalls_nothing", "random_cue_recalls_nothing"})


def limits(name: str = "assemblies", names: tuple[str, ...] | None = None) -> dict[str, float]:
    """The checks' limits, from the ``[expected]`` table of ``models/<name>.toml`` (their one home).

    ``names``: which limits of :data:`LIMIT_KEYS` (default all); a check whose limit is
    not asked for is not made (:func:`seed_checks`).
    """
    from ..config import load_model

    unknown = set(names or ()) - set(LIMIT_KEYS)
    if unknown:
        raise ValueError(f"unknown limits {sorted(unknown)}; known: {list(LIMIT_KEYS)}")
    published = load_model(model_file(name))
    return {
        limit: expected_range(published, key)[end]
        for limit, (key, end) in LIMIT_KEYS.items()
        if names is None or limit in names
    }


def default_model(overrides: dict | None = None):
    """The default assembly model from the circuit's defaults (independent of the repository's files)."""
    return circuit_model("assemblies", "plastic_assemblies", REFERENCE, overrides)


def completion_values(scores: dict, fractions) -> list[float]:
    """``completion_f<f>`` for every cue fraction, in order."""
    return [scores[f"completion_f{f:g}".replace(".", "p")] for f in fractions]


def seed_checks(scores: dict, fractions, limit: dict[str, float] | None = None) -> dict[str, bool]:
    """Which of the expected behaviours one run shows (``limit``: :func:`limits`).

    A control of :data:`QUIET_CONTROLS` is checked only when ``limit`` has its limit.
    """
    limit = limit or limits()
    curve = completion_values(scores, fractions)
    steps = np.diff(curve)
    growth = curve[-1] - curve[0]
    # one ordered table of every check (the order of the JSON and of the check table), each with its limit
    tests = {
        "ratio_after_training": ("ratio_min", lambda: scores["weight_ratio_after_training"] >= limit["ratio_min"]),
        "retention": ("retention_min", lambda: scores["retention"] >= limit["retention_min"]),
        "specificity": ("specificity_min", lambda: scores["recall_specificity"] > limit["specificity_min"]),
        "others_near_baseline": ("others_max", lambda: scores["largest_other_f0p5"] <= limit["others_max"]),
        "completion_grows": (
            "growth_min",
            lambda: bool(np.all(steps >= -limit["step_tolerance"]) and growth >= limit["growth_min"]),
        ),
        "no_cue_recalls_nothing": ("control_max", lambda: scores["no_cue_max_overlap"] < limit["control_max"]),
        "random_cue_recalls_nothing": ("random_max", lambda: scores["random_cue_max_overlap"] < limit["random_max"]),
    }
    return {name: test() for name, (needs, test) in tests.items() if needs in limit or name not in QUIET_CONTROLS}


def seed_row(seed: int, run: Any, fractions, limit: dict[str, float]) -> dict:
    """One seed's scores, its loop time, completion curve and :func:`seed_checks` (a row of ``values["seeds"]``)."""
    scores = dict(run.scores)
    scores["wall_network_s"] = run.provenance.get("wall_network_s", float("nan"))
    return {
        "seed": seed,
        **scores,
        "completion_curve": completion_values(scores, fractions),
        "checks": seed_checks(scores, fractions, limit),
    }


def seed_check_table(per_seed: list[dict], limit: dict[str, float]) -> list[Check]:
    """The per-seed checks of :func:`seed_checks` as :class:`Check` rows (lowest or highest seed shown).

    ``per_seed``: one dict per seed with the run's scores, ``completion_curve`` and ``checks``;
    a row for each check the seeds made.
    """

    def all_seeds(name):
        return all(s["checks"][name] for s in per_seed)

    def lowest(key):
        return min(s[key] for s in per_seed)

    def highest(key):
        return max(s[key] for s in per_seed)

    rows = {
        "ratio_after_training": lambda: (
            "within/between weight ratio after training (lowest seed)",
            lowest("weight_ratio_after_training"),
            f">= {limit['ratio_min']:g}",
        ),
        "retention": lambda: (
            "retention: ratio after rest / after training (lowest seed)",
            lowest("retention"),
            f">= {limit['retention_min']:g}",
        ),
        "specificity": lambda: (
            "recall specificity at f = 0.5 (overlap, lowest seed)",
            lowest("recall_specificity"),
            f"> {limit['specificity_min']:g}",
        ),
        "others_near_baseline": lambda: (
            "largest other assembly at f = 0.5 (overlap, highest seed)",
            highest("largest_other_f0p5"),
            f"<= {limit['others_max']:g}",
        ),
        "completion_grows": lambda: (
            "completion gain from the smallest to the largest cue (overlap, lowest seed)",
            min(s["completion_curve"][-1] - s["completion_curve"][0] for s in per_seed),
            f">= {limit['growth_min']:g}, no step down > {limit['step_tolerance']:g}",
        ),
        "no_cue_recalls_nothing": lambda: (
            "no-cue control: largest assembly overlap (highest seed)",
            highest("no_cue_max_overlap"),
            f"< {limit['control_max']:g}",
        ),
        "random_cue_recalls_nothing": lambda: (
            "random-set cue: largest assembly overlap (highest seed)",
            highest("random_cue_max_overlap"),
            f"< {limit['random_max']:g}",
        ),
    }
    # the checks every seed made (seed_checks leaves out the controls whose limit the model has not)
    return [Check(*row(), all_seeds(name)) for name, row in rows.items() if name in per_seed[0]["checks"]]


@register(
    "assemblies",
    REFERENCE,
    "STDP assemblies: weight ratio >= 1.5 kept >= 80 % through rest, 50 % cue specificity > 0.3, "
    "completion grows with the cue, controls recall nothing (3 seeds)",
    model=default_model,
)
def run(seeds: int | None = None, overrides: dict | None = None) -> ValidationResult:
    """Run the assembly checks on ``seeds`` seeds (default 3)."""
    from ..simulation import simulate

    n_seeds = seed_count(seeds, 3)
    model = default_model(overrides)
    limit = limits()
    fractions = model["protocol.cue_fractions"]
    if 0.5 not in fractions:
        raise ValueError("protocol.cue_fractions must contain 0.5 (recall specificity is scored there)")
    per_seed = []
    for seed in range(1, n_seeds + 1):
        run_ = simulate(model, seed=seed)
        per_seed.append(seed_row(seed, run_, fractions, limit))

    untrained = simulate(default_model({**(overrides or {}), "plasticity.ee_learning_rate": 0.0}), seed=1).scores

    checks = [
        *seed_check_table(per_seed, limit),
        Check(
            "untrained control (no E->E plasticity, seed 1): completion at f = 0.5 (overlap)",
            untrained["completion_f0p5"],
            f"< {limit['control_max']:g}",
            untrained["completion_f0p5"] < limit["control_max"],
        ),
    ]
    values = {
        "seeds": per_seed,
        "model_sha256": model.sha256,
        "cue_fractions": list(fractions),
        "untrained_seed1": untrained,
    }
    return ValidationResult(name="assemblies", reference=REFERENCE, checks=checks, values=values)
