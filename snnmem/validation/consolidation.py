"""Validation ``consolidation``: replay from the HPC transfers episodes into the CTX (issue 14).

Model: ``models/consolidation.toml`` (its circuit defaults and its ``[task]``): HPC 300 E /
75 I, CTX 1000 E / 250 I, 5 episodes encoded one every ``task.consolidation_interval``,
offline rest between them, then recall from 50 % cues with the HPC output lesioned and
intact. Three conditions, each on seeds 1..``seeds`` (default 3):

- **default**: independent episodes, replay intact;
- **blocked**: the same, with the HPC output lesioned during every rest (replay cannot
  reach the CTX);
- **prototype**: the episodes share half of their CTX cells (``episodes.shared_fraction``
  0.5), replay intact.

Expected, every seed (limits in the ``[expected]`` table of models/consolidation.toml;
overlaps of the not-cued cells of the cued pattern, 1: exactly they are active, 0: as
active as the whole CTX; the never-encoded pattern is the untrained baseline):

- transfer: the youngest episode's lesioned recall within ``baseline_margin`` of the
  baseline, its intact recall at least ``intact_recall_min``; the oldest episode's lesioned
  recall at least ``transfer_min`` above the baseline;
- Ribot gradient: rank correlation of age and lesioned recall at least 0.8; intact recall of
  every episode at least ``intact_recall_min`` (it does not depend much on age);
- blocked replay: the oldest episode's lesioned recall within ``baseline_margin`` of the baseline;
- replay is measured: at least ``replay_min_per_min`` events per minute of rest per episode,
  and episodes replayed more are recalled better without the HPC (rank correlation of replay
  events and lesioned recall over every seed's episodes > 0);
- semantisation: lesioned recall closer to the prototype than to the episode (index > 0),
  intact recall closer to the episode (index < 0), and a partial cue of the prototype (never
  presented alone) completed by the CTX alone (at least ``transfer_min`` above baseline).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import Check, ValidationResult, register
from ._common import expected_range, model_file, seed_count

REFERENCE = (
    "McClelland, McNaughton & O'Reilly (1995) Psychol Rev 102:419; Tomé, Sadeh & Clopath (2022) Nat Commun "
    "13:840; Spens & Burgess (2024) Nat Hum Behav 8:526 (semantisation); checks of issue 14"
)

#: the conditions and their overrides of models/consolidation.toml
CONDITIONS = {
    "default": {},
    "blocked": {"task.block_replay": True},
    "prototype": {"episodes.shared_fraction": 0.5},
}


def limits() -> dict[str, float]:
    """The checks' limits, from the ``[expected]`` table of models/consolidation.toml (their one home)."""
    from ..config import load_model

    published = load_model(model_file("consolidation"))
    return {
        "ribot_min": expected_range(published, "ribot_rank_correlation")[0],
        "transfer_min": expected_range(published, "transfer_lesioned")[0],
        "baseline_margin": expected_range(published, "youngest_lesioned_above_baseline")[1],
        "intact_min": expected_range(published, "intact_recall_min")[0],
        "replay_min": expected_range(published, "replay_events_per_min")[0],
        "replay_longest_max": expected_range(published, "replay_longest_event_s")[1],
    }


def model(condition: str, overrides: dict | None = None) -> Any:
    """models/consolidation.toml with the condition's overrides (and ``overrides``)."""
    from ..config import load_model

    return load_model(model_file("consolidation"), {**CONDITIONS[condition], **(overrides or {})})


def seed_values(run: Any) -> dict[str, Any]:
    """What the checks read from one run: its scores and its per-episode table."""
    a = run.analysis
    values: dict[str, Any] = {key: float(value) for key, value in run.scores.items()}
    for key in ("age_s", "recall_lesioned", "recall_intact", "replay_events", "semantisation_lesioned"):
        values[f"episode_{key}"] = [float(x) for x in a[f"episode_{key}"]]
    values["wall_network_s"] = float(run.provenance.get("wall_network_s", np.nan))
    return values


def seed_checks(condition: str, v: dict[str, Any], limit: dict[str, float]) -> dict[str, bool]:
    """Which expected behaviours one run of ``condition`` shows."""
    margin = limit["baseline_margin"]
    if condition == "blocked":
        return {"blocked_stays_near_baseline": v["recall_lesioned_oldest"] - v["baseline_lesioned"] <= margin}
    if condition == "prototype":
        return {
            "lesioned_closer_to_prototype": v["semantisation_lesioned"] > 0,
            "intact_closer_to_episode": v["semantisation_intact"] < 0,
            "prototype_completed": v["prototype_recall_lesioned"] - v["baseline_lesioned"] >= limit["transfer_min"],
        }
    return {
        "youngest_lesioned_near_baseline": v["recall_lesioned_youngest"] - v["baseline_lesioned"] <= margin,
        "youngest_intact_completes": v["recall_intact_youngest"] >= limit["intact_min"],
        "oldest_lesioned_transferred": v["transfer_lesioned"] >= limit["transfer_min"],
        "ribot": v["ribot_rank_correlation"] >= limit["ribot_min"],
        "intact_at_every_age": min(v["episode_recall_intact"]) >= limit["intact_min"],
        "replay_measured": v["replay_events_per_min"] >= limit["replay_min"],
        "replay_bounded": v["replay_longest_event_s"] <= limit["replay_longest_max"],
    }


@register(
    "consolidation",
    REFERENCE,
    "systems consolidation: transfer by replay (blocked-replay control), Ribot gradient (rank correlation "
    ">= 0.8), more replay more transfer, semantisation with a shared prototype (3 seeds x 3 conditions)",
    model=lambda overrides: model("default", overrides),
)
def run(seeds: int | None = None, overrides: dict | None = None) -> ValidationResult:
    """Run the consolidation checks on ``seeds`` seeds (default 3) of each condition."""
    from ..simulation import simulate

    n_seeds = seed_count(seeds, 3)
    limit = limits()
    per: dict[str, list[dict]] = {}
    for condition in CONDITIONS:
        spec = model(condition, overrides)
        per[condition] = []
        for seed in range(1, n_seeds + 1):
            values = seed_values(simulate(spec, seed=seed))
            per[condition].append({"seed": seed, **values, "checks": seed_checks(condition, values, limit)})
    return ValidationResult(
        name="consolidation", reference=REFERENCE, checks=checks_of(per, limit), values={"conditions": per}
    )


def checks_of(per: dict[str, list[dict]], limit: dict[str, float]) -> list[Check]:
    """The validation's checks from every condition's per-seed values."""

    def every(condition: str, name: str) -> bool:
        return all(s["checks"][name] for s in per[condition])

    def lowest(condition: str, key: str) -> float:
        return min(s[key] for s in per[condition])

    def highest(condition: str, key: str) -> float:
        return max(s[key] for s in per[condition])

    from ..tasks.consolidation import rank_correlation

    replay = [x for s in per["default"] for x in s["episode_replay_events"]]
    transfer = [x for s in per["default"] for x in s["episode_recall_lesioned"]]
    pooled = rank_correlation(replay, transfer)
    margin = limit["baseline_margin"]
    default, blocked = per["default"], per["blocked"]
    return [
        Check(
            "youngest episode, HPC lesioned: overlap above baseline (highest seed)",
            max(s["recall_lesioned_youngest"] - s["baseline_lesioned"] for s in default),
            f"<= {margin:g}",
            every("default", "youngest_lesioned_near_baseline"),
        ),
        Check(
            "youngest episode, intact: overlap (lowest seed)",
            lowest("default", "recall_intact_youngest"),
            f">= {limit['intact_min']:g}",
            every("default", "youngest_intact_completes"),
        ),
        Check(
            "oldest episode, HPC lesioned: overlap above baseline (lowest seed)",
            lowest("default", "transfer_lesioned"),
            f">= {limit['transfer_min']:g}",
            every("default", "oldest_lesioned_transferred"),
        ),
        Check(
            "replay blocked: oldest episode, HPC lesioned, overlap above baseline (highest seed)",
            max(s["recall_lesioned_oldest"] - s["baseline_lesioned"] for s in blocked),
            f"<= {margin:g}",
            every("blocked", "blocked_stays_near_baseline"),
        ),
        Check(
            "Ribot gradient: rank correlation of age and lesioned recall (lowest seed)",
            lowest("default", "ribot_rank_correlation"),
            f">= {limit['ribot_min']:g}",
            every("default", "ribot"),
        ),
        Check(
            "intact recall at every age: overlap (lowest episode, lowest seed)",
            min(min(s["episode_recall_intact"]) for s in default),
            f">= {limit['intact_min']:g}",
            every("default", "intact_at_every_age"),
        ),
        Check(
            "replay events per minute of rest per episode (lowest seed)",
            lowest("default", "replay_events_per_min"),
            f">= {limit['replay_min']:g}",
            every("default", "replay_measured"),
        ),
        Check(
            "longest replay event, s (highest seed; a persistent reactivation would last the whole rest)",
            highest("default", "replay_longest_event_s"),
            f"<= {limit['replay_longest_max']:g}",
            every("default", "replay_bounded"),
        ),
        Check(
            "more replay, more transfer: rank correlation of events and lesioned recall (episodes of every seed)",
            pooled,
            "> 0",
            bool(pooled > 0),
        ),
        Check(
            "semantisation, HPC lesioned: prototype minus instance similarity (lowest seed)",
            lowest("prototype", "semantisation_lesioned"),
            "> 0",
            every("prototype", "lesioned_closer_to_prototype"),
        ),
        Check(
            "semantisation, intact: prototype minus instance similarity (highest seed)",
            highest("prototype", "semantisation_intact"),
            "< 0",
            every("prototype", "intact_closer_to_episode"),
        ),
        Check(
            "prototype cue (never presented), HPC lesioned: overlap above baseline (lowest seed)",
            min(s["prototype_recall_lesioned"] - s["baseline_lesioned"] for s in per["prototype"]),
            f">= {limit['transfer_min']:g}",
            every("prototype", "prototype_completed"),
        ),
    ]
