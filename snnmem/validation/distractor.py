"""Distractor resistance: the ``distractor`` task over a range of distractor strengths.

Shared by the Brunel–Wang check (``brunel_wang2001``: below a threshold the first item
is kept and the distractor is not stored, above it the memory switches) and the ring's
resistance curve (``compte2000_distractor``: distractor 180 deg from the cue).

For each seed (outcomes in order of strength): ``kept_below`` is the largest strength
up to which every distractor left A held and was not stored (``outcome`` 1), and
``switched_from`` the smallest from which every distractor switched the memory to B
(``outcome`` 2). The seed is **bracketed** when both exist; its threshold estimate
is their midpoint, and the strengths between them (if any) form its **intermediate
band**, reported with their outcomes (both held, none held, or a mix). NaN where a
side is missing (e.g. no tested strength switched: the threshold is above the range).
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

import numpy as np

from . import Check, ValidationResult, register
from ._common import circuit_model, seed_count

KEPT, SWITCHED = 1.0, 2.0

RING_REFERENCE = (
    "Compte A, Brunel N, Goldman-Rakic PS, Wang X-J (2000). Synaptic mechanisms and network "
    "dynamics underlying spatial working memory in a cortical network model. Cereb Cortex 10:910-923"
)
#: ring: cue at 180 deg (item 5 of 8), distractor at 0 deg (item 1), strengths x the 200 pA cue
RING_TASK = {"task.name": "distractor", "task.item_a": 5, "task.item_b": 1}
RING_STRENGTHS = (0.0, 0.5, 1.0, 1.5, 2.0, 3.0, 4.0)


def distractor_runs(
    model, strengths: Sequence[float], seeds: Sequence[int], progress: bool = False
) -> list[dict[str, Any]]:
    """Run ``model`` (with a ``distractor`` task) at every strength and seed; one dict of scores per run."""
    from ..simulation import simulate

    if model.task != "distractor":
        raise ValueError(f"model {model.name!r} must name the distractor task (task.name), got {model.task!r}")
    runs = []
    for strength in strengths:
        spec = model.with_overrides({"task.distractor_strength": float(strength)})
        for seed in seeds:
            scores = simulate(spec, seed=int(seed)).scores
            row = {"strength": float(strength), "seed": int(seed), **scores}
            runs.append(row)
            if progress:
                print(
                    f"  strength {strength:g}, seed {seed}: outcome {scores['outcome']:g} "
                    f"(A {scores['held_a']:g}, B {scores['held_b']:g})",
                    flush=True,
                )
    return runs


def switch_thresholds(runs: Sequence[Mapping[str, Any]]) -> dict[int, dict[str, Any]]:
    """Switch thresholds of a distractor sweep, per seed.

    ``kept_below``, ``switched_from``, ``threshold`` (their midpoint), ``bracketed`` and
    ``band`` (the intermediate strengths with their outcomes); see the module docstring.
    """
    out = {}
    for seed in sorted({int(r["seed"]) for r in runs}):
        rows = sorted((r for r in runs if int(r["seed"]) == seed), key=lambda r: r["strength"])
        strengths = [float(r["strength"]) for r in rows]
        outcomes = [float(r["outcome"]) for r in rows]
        n_kept = next((n for n, o in enumerate(outcomes) if o != KEPT), len(outcomes))
        n_switched = next((n for n, o in enumerate(reversed(outcomes)) if o != SWITCHED), len(outcomes))
        kept_below = strengths[n_kept - 1] if n_kept else float("nan")
        switched_from = strengths[len(strengths) - n_switched] if n_switched else float("nan")
        bracketed = bool(n_kept and n_switched and n_kept + n_switched <= len(strengths))
        band = list(zip(strengths[n_kept : len(strengths) - n_switched], outcomes[n_kept : len(outcomes) - n_switched]))
        out[seed] = {
            "kept_below": kept_below,
            "switched_from": switched_from,
            "bracketed": bracketed,
            "threshold": 0.5 * (kept_below + switched_from) if bracketed else float("nan"),
            "band": band,
            "outcomes": outcomes,
            "strengths": strengths,
        }
    return out


def outcome_fractions(runs: Sequence[Mapping[str, Any]]) -> dict[float, dict[str, float]]:
    """Per strength: the fraction of seeds with each outcome (``none``, ``kept``, ``switched``, ``both``)."""
    names = {0.0: "none", 1.0: "kept", 2.0: "switched", 3.0: "both"}
    out = {}
    for strength in sorted({r["strength"] for r in runs}):
        rows = [r for r in runs if r["strength"] == strength]
        out[strength] = {name: float(np.mean([r["outcome"] == code for r in rows])) for code, name in names.items()}
    return out


def ring_model(overrides: Mapping[str, Any] | None = None):
    """The Compte ring (circuit defaults) under the distractor task: cue 180 deg, distractor 0 deg."""
    return circuit_model(
        "compte2000",
        "ring_attractor",
        RING_REFERENCE,
        {**RING_TASK, **(overrides or {})},
        where="compte2000_distractor validation",
    )


@register(
    "compte2000_distractor",
    RING_REFERENCE,
    "characterisation: the ring's resistance to a distractor 180 deg from the cue, against its strength "
    "(x the 200 pA cue), 3 seeds",
)
def run_ring(
    seeds: int | None = None, overrides: dict | None = None, strengths: Sequence[float] = RING_STRENGTHS
) -> ValidationResult:
    """Resistance curve of the Compte ring: cue at 180 deg, 2 s, distractor at 0 deg, 2 s.

    Checks (structure, not a published number): without a distractor (strength 0)
    the cued location is held in every seed. The brackets and thresholds (NaN: none
    of the tested strengths switched the memory) are reported, not bounded.
    """
    n_seeds = seed_count(seeds, 3)
    model = ring_model(overrides)
    runs = distractor_runs(model, strengths, range(1, n_seeds + 1))
    thresholds = switch_thresholds(runs)
    control = [r for r in runs if r["strength"] == 0.0]
    checks = [
        Check(
            "no distractor: seeds holding the cue through delay 2 (fraction)",
            float(np.mean([r["held_a"] for r in control])) if control else float("nan"),
            "1.0",
            bool(control) and all(r["outcome"] == KEPT for r in control),
        ),
        Check(
            "seeds in which some tested distractor switched the memory (fraction; reported)",
            float(np.mean([np.isfinite(t["switched_from"]) for t in thresholds.values()])),
            "(not bounded)",
            True,
        ),
    ]
    values = {
        "runs": runs,
        "thresholds": thresholds,
        "fractions": outcome_fractions(runs),
        "strengths": list(strengths),
        "model_sha256": model.sha256,
    }
    return ValidationResult(name="compte2000_distractor", reference=RING_REFERENCE, checks=checks, values=values)
