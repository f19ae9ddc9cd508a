"""Validation ``assemblies_retention``: assemblies kept through an hour of plastic rest (issue 16).

Model: ``models/assemblies_retention.toml``, the default assembly network (2000 E / 500 I,
inhibitory STDP, subtractive normalisation; Litwin-Kumar & Doiron 2014 architecture) with
Zenke, Agnes & Gerstner (2015)'s E->E triplet rule (preset ``zenke2015_orchestrated_all_to_all``,
learning rate 1), trained as in ``snnmem validate assemblies``, then ``rest_duration``
(1 h) of spontaneous activity with every rule on. Every E->E and I->E weight is
streamed to the run file every ``weight_snapshot_interval`` (1 min).

Measured per seed:

- the **retention curve**: within/between E->E weight ratio at every snapshot after
  training, relative to its value at the end of training (age 0), and the fitted
  forgetting curve (:func:`snnmem.analysis.retention.fit_forgetting_curve`, exponential
  and power law, compared by AIC);
- **recall at several ages**: for each requested age (default 0, 1, 5, 15, 30, 60 min)
  the first snapshot at or after it is the starting point of a short run of the same
  network (``protocol.start_from`` / ``start_at``: no training, 1 s frozen warm-up, the
  native recall trials, frozen), so the training is simulated once; its completion and
  specificity at f = 0.5;
- after the whole rest, the source run's own recall (``recall_specificity``) and
  ``retention`` (ratio after rest / after training);
- **retroactive interference**: each assembly's own weight ratio (end of training and
  end of rest) against the number of other assemblies presented after its last
  presentation (:func:`snnmem.analysis.assemblies.trained_after`).

Checks (limits from the model file's ``[expected]``): in every seed, ratio after
training >= 1.5, retention >= 0.8, 50 % cue specificity > 0.3 after the rest and at
every probed age.

``runs_dir`` keeps the source runs (``assemblies_retention_seed<N>.h5``) and the recall
runs from their snapshots (``..._seed<N>_from<t>s.h5``): a run found there whose
resolved model simulates the same network (every section but ``[model]`` and
``[expected]`` equal) is read instead of run again, so an interrupted validation, or one
whose hour-long runs were made by ``snnmem run``, does not repeat them. The hour-long
runs write checkpoints (``simulation.checkpoint_interval``) beside their run file
(``..._seed<N>.h5.checkpoint``): one killed on the way resumes from its last checkpoint.
"""

from __future__ import annotations

from pathlib import Path
from collections.abc import Mapping
from typing import Any

import numpy as np

from . import Check, ValidationResult, register
from ._common import runs_folder, expected_range, model_file, seed_count

REFERENCE = (
    "Litwin-Kumar A, Doiron B (2014) Nat Commun 5:5319 (model); Zenke F, Agnes EJ, Gerstner W (2015) "
    "Nat Commun 6:6922 (hours of plastic activity); checks of issue 16"
)

#: ages (min) at which recall is probed from snapshots, by default
PROBE_AGES_MIN = (0.0, 1.0, 5.0, 15.0, 30.0, 60.0)

#: overrides of a recall run from a snapshot: no training, no rest, a short frozen warm-up
_PROBE_OVERRIDES = {
    "protocol.train_repetitions": 0,
    "protocol.rest_duration": "0 s",
    "protocol.warmup_duration": "1 s",
    "protocol.weight_snapshot_interval": "0 s",
    "simulation.checkpoint_interval": "0 s",  # a few seconds of recall: nothing to resume
}
#: ``[simulation]`` keys that say how a run is carried out, not what it simulates
_EXECUTION_KEYS = ("checkpoint_interval",)


def limits() -> dict[str, float]:
    """The checks' limits, from the ``[expected]`` table of models/assemblies_retention.toml."""
    from ..config import load_model

    published = load_model(model_file("assemblies_retention"))
    return {
        "ratio_min": expected_range(published, "weight_ratio_after_training")[0],
        "retention_min": expected_range(published, "retention")[0],
        "specificity_min": expected_range(published, "recall_specificity")[0],
        "probe_specificity_min": expected_range(published, "probe_recall_specificity")[0],
    }


def same_simulation(a: Any, b: Any) -> bool:
    """True when two resolved models simulate the same network.

    All sections but model and expected equal, apart from ``[simulation]`` keys that only
    say how the run was carried out (checkpoints: a resumed run has the spikes of an unbroken one).
    """
    skip = {"model", "expected"}
    sections = (set(a.values) | set(b.values)) - skip
    return all(_simulated(a, s) == _simulated(b, s) for s in sections)


def _simulated(model: Any, section: str) -> Any:
    values = model.values.get(section)
    if section == "simulation" and isinstance(values, Mapping):
        values = {key: value for key, value in values.items() if key not in _EXECUTION_KEYS}
    return values


def source_run(model: Any, seed: int, runs_dir: Path) -> tuple[Any, Path]:
    """The trained-and-rested run of ``seed``: read from ``runs_dir`` if it holds this simulation, else run, saved."""
    from ..errors import RunFileError
    from ..run import open_run
    from ..simulation import simulate

    path = runs_dir / f"{model.name}_seed{seed}.h5"
    if path.is_file():
        try:
            existing = open_run(path)
            if existing.seed == seed and same_simulation(existing.model, model):
                return existing, path
        except RunFileError:
            pass  # an unreadable or foreign file is replaced by a new run (written atomically)
    checkpoints = None  # an hour-long run with checkpoints resumes from the last one if it was killed
    if float(model["simulation.checkpoint_interval"]) > 0:
        checkpoints = path.with_name(path.name + ".checkpoint")
    run = simulate(model, seed=seed, checkpoint_dir=checkpoints, resume=checkpoints is not None)
    run.save(path)
    return open_run(path), path


def retention_curve(run: Any) -> tuple[np.ndarray, np.ndarray]:
    """``(ages_s, ratio)``: E->E within/between weight ratio at the end of training and at every later snapshot.

    Ages are times since the end of training; the last point is the end of the rest
    (``w_after_rest``) if no snapshot falls on it.
    """
    from ..analysis.assemblies import weight_classes, weight_ratio

    ee = run.weights["ee"]
    members = run.analysis["assembly_membership"].astype(bool)
    within, between = weight_classes(ee["i"].astype(np.int64), ee["j"].astype(np.int64), members)
    phases = {p.name: p for p in run.phases}
    train_end, rest_end = phases["train"].stop_s, phases["rest"].stop_s
    times = np.asarray(ee["snapshot_times_s"], dtype=float)
    keep = np.flatnonzero((times > train_end + 1e-9) & (times < rest_end - 1e-9))
    ages = [0.0] + [times[k] - train_end for k in keep] + [rest_end - train_end]
    ratios = [weight_ratio(ee["w_after_train"], within, between)]
    ratios += [weight_ratio(np.asarray(ee["snapshots"][k]), within, between) for k in keep]
    ratios += [weight_ratio(ee["w_after_rest"], within, between)]
    return np.asarray(ages), np.asarray(ratios)


def probe_snapshots(run: Any, ages_min: tuple[float, ...]) -> list[tuple[float, float]]:
    """``(requested age min, snapshot time s)``: the first snapshot at or after each age (within the rest)."""
    phases = {p.name: p for p in run.phases}
    train_end, rest_end = phases["train"].stop_s, phases["rest"].stop_s
    times = np.asarray(run.weights["ee"]["snapshot_times_s"], dtype=float)
    chosen = []
    for age in ages_min:
        later = times[(times >= train_end + 60.0 * age - 1e-9) & (times <= rest_end + 1e-9)]
        if later.size:
            chosen.append((float(age), float(later[0])))
    return chosen


def recall_from_snapshot(model: Any, path: Path, seed: int, time_s: float) -> dict[str, float]:
    """Scores of the native recall run started from the snapshot of ``path`` at ``time_s``.

    The run is saved beside the source (``<source>_from<time>s.h5``) and read back
    instead of run again when a file there simulates the same (its model names this
    source and time) and is newer than the source.
    """
    from ..config import load_model
    from ..errors import RunFileError
    from ..run import open_run
    from ..simulation import simulate

    overrides = {**_PROBE_OVERRIDES, "protocol.start_from": str(path), "protocol.start_at": f"{time_s!r} s"}
    probe_model = load_model(model_file("assemblies_retention"), {**_rest(model), **overrides})
    saved = path.with_name(f"{path.stem}_from{time_s:g}s.h5")
    if saved.is_file() and saved.stat().st_mtime > path.stat().st_mtime:
        try:
            existing = open_run(saved)
            if existing.seed == seed and same_simulation(existing.model, probe_model):
                return dict(existing.scores)
        except RunFileError:
            pass  # replaced below
    run = simulate(probe_model, seed)
    run.save(saved)
    return dict(run.scores)


def _rest(model: Any) -> dict[str, str]:
    return {"protocol.rest_duration": f"{float(model['protocol.rest_duration'])!r} s"}


def interference(run: Any) -> dict[str, list]:
    """Retroactive interference: each assembly's weight ratio against the assemblies trained after it.

    ``trained_after`` (distinct other assemblies presented after its last presentation),
    and its own within/between ratio at the end of training and at the end of the rest.
    """
    from ..analysis.assemblies import assembly_weight_ratios, trained_after

    ee = run.weights["ee"]
    members = run.analysis["assembly_membership"].astype(bool)
    i, j = ee["i"].astype(np.int64), ee["j"].astype(np.int64)
    return {
        "trained_after": trained_after(run.analysis["training_events"], members.shape[0]).tolist(),
        "ratio_after_training": assembly_weight_ratios(ee["w_after_train"], i, j, members).tolist(),
        "ratio_after_rest": assembly_weight_ratios(ee["w_after_rest"], i, j, members).tolist(),
    }


def _fit_values(ages: np.ndarray, relative: np.ndarray) -> dict[str, Any]:
    from ..analysis.retention import fit_forgetting_curve

    fits = fit_forgetting_curve(ages, relative)
    better = min(fits.values(), key=lambda fit: fit.aic)
    return {
        **{name: {"parameters": fit.parameters, "rss": fit.rss, "aic": fit.aic} for name, fit in fits.items()},
        "preferred": better.shape,
        "aic_difference": abs(fits["exponential"].aic - fits["power_law"].aic),
    }


@register(
    "assemblies_retention",
    REFERENCE,
    "assemblies through 1 h of plastic rest: weight ratio keeps >= 80 %, 50 % cue specificity > 0.3 after "
    "the hour and at ages 0-60 min recalled from weight snapshots; forgetting curve fitted (3 seeds, ~1 h each)",
    keeps_runs=True,
)
def run(
    seeds: int | None = None,
    rest: str | None = None,
    probe_ages_min: tuple[float, ...] = PROBE_AGES_MIN,
    runs_dir: str | Path | None = None,
) -> ValidationResult:
    """Run the retention checks on ``seeds`` seeds (default 3).

    Parameters
    ----------
    seeds : int, optional
        Seeds 1..seeds (default 3).
    rest : str, optional
        Rest duration instead of the model file's hour (e.g. ``"120 s"``: CI's short version).
    probe_ages_min : tuple of float
        Ages (min) probed from snapshots; those beyond the rest are skipped.
    runs_dir : str or Path, optional
        Folder of the source runs (kept and reused; default: a temporary folder).
    """
    from ..config import load_model

    n_seeds = seed_count(seeds, 3)
    model = load_model(model_file("assemblies_retention"), {"protocol.rest_duration": rest} if rest else None)
    limit = limits()
    per_seed = []
    with runs_folder(runs_dir, prefix="snnmem_retention_") as folder:
        for seed in range(1, n_seeds + 1):
            source, path = source_run(model, seed, folder)
            ages, ratios = retention_curve(source)
            probes = []
            for age_min, time_s in probe_snapshots(source, probe_ages_min):
                scores = recall_from_snapshot(model, path, seed, time_s)
                probes.append(
                    {
                        "requested_age_min": age_min,
                        "snapshot_s": time_s,
                        "age_s": time_s - next(p for p in source.phases if p.name == "train").stop_s,
                        "weight_ratio": scores["weight_ratio_start"],
                        "completion_f0p5": scores["completion_f0p5"],
                        "largest_other_f0p5": scores["largest_other_f0p5"],
                        "recall_specificity": scores["recall_specificity"],
                    }
                )
            s = source.scores
            per_seed.append(
                {
                    "seed": seed,
                    "weight_ratio_after_training": s["weight_ratio_after_training"],
                    "weight_ratio_after_rest": s["weight_ratio_after_rest"],
                    "retention": s["retention"],
                    "recall_specificity": s["recall_specificity"],
                    "completion_f0p5": s["completion_f0p5"],
                    "rate_rest_exc_hz": s["rate_rest_exc_hz"],
                    "rate_rest_assemblies_hz": s["rate_rest_assemblies_hz"],
                    "wall_network_s": source.provenance.get("wall_network_s", float("nan")),
                    "curve_age_s": ages,
                    "curve_weight_ratio": ratios,
                    "forgetting_fit": _fit_values(ages, ratios / ratios[0]),
                    "interference": interference(source),
                    "probes": probes,
                }
            )

    def lowest(key: str) -> float:
        return min(s[key] for s in per_seed)

    probe_specificities = [p["recall_specificity"] for s in per_seed for p in s["probes"]]
    rest_min = float(model["protocol.rest_duration"]) / 60.0
    checks = [
        Check(
            "within/between weight ratio after training (lowest seed)",
            lowest("weight_ratio_after_training"),
            f">= {limit['ratio_min']:g}",
            lowest("weight_ratio_after_training") >= limit["ratio_min"],
        ),
        Check(
            f"retention: ratio after {rest_min:g} min of plastic rest / after training (lowest seed)",
            lowest("retention"),
            f">= {limit['retention_min']:g}",
            lowest("retention") >= limit["retention_min"],
        ),
        Check(
            f"recall specificity at f = 0.5 after {rest_min:g} min (overlap, lowest seed)",
            lowest("recall_specificity"),
            f"> {limit['specificity_min']:g}",
            lowest("recall_specificity") > limit["specificity_min"],
        ),
        Check(
            "recall specificity at f = 0.5 from snapshots, every probed age (overlap, lowest)",
            min(probe_specificities) if probe_specificities else float("nan"),
            f"> {limit['probe_specificity_min']:g}",
            bool(probe_specificities) and min(probe_specificities) > limit["probe_specificity_min"],
        ),
    ]
    values = {
        "seeds": per_seed,
        "model_sha256": model.sha256,
        "rest_s": float(model["protocol.rest_duration"]),
        "snapshot_interval_s": float(model["protocol.weight_snapshot_interval"]),
        "probe_ages_min": list(probe_ages_min),
    }
    return ValidationResult(name="assemblies_retention", reference=REFERENCE, checks=checks, values=values)
