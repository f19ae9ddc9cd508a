"""Validation ``litwin_kumar_doiron2014``: cell assemblies at the published size (issue 17, item 2).

Model: ``models/litwin_kumar_doiron2014.toml``: 4000 E / 1000 I conductance-based LIF
cells, p = 0.2, 20 random assemblies of 5 % of the E cells, the circuit's plasticity
(triplet STDP on E->E, inhibitory STDP on I->E, subtractive normalisation every 20 ms)
with the recurrent conductances halved against the default model (twice the in-degree:
each cell's mean recurrent input as in ``models/assemblies.toml``) and the authors' E->E
bounds (0.62 and 7.48 times the initial weight) and inhibitory STDP settings (rate 1 / 48.7 of
the initial I->E weight, I->E weights in [1, 5] times it). Protocol: the circuit's native one
(5 s warm-up, every assembly 10 x 500 ms in random order, a 300 s plastic rest of spontaneous
activity, partial-cue recall with controls).

Measured per seed:

- **formation and recall**: the checks of ``snnmem validate assemblies``
  (:func:`snnmem.validation.assemblies.seed_checks`) with the limits of this model file's
  ``[expected]``: within/between weight ratio after training, its retention through the
  rest, 50 % cue specificity, completion curve;
- **recall controls against spontaneous activity**: the default model's controls (no cue
  and a random-set cue recall nothing, no other assembly above 0.1 during a cue) assume a
  network that is quiet without a cue, and this one reactivates its assemblies several
  times a second. Their baseline here is what spontaneous activity gives in windows of a
  recall trial's length over the last :data:`SPONTANEOUS_SPAN_S` of the rest
  (:func:`spontaneous_overlaps`), and the limits are the default model's taken over it
  (:func:`recall_over_spontaneous`): a 50 % cue lifts its assembly's not-cued members
  more than 0.3 above their spontaneous overlap; a random-set cue lifts no assembly more
  than 0.1 above the spontaneous largest; during a cue no other assembly is more than 0.1
  above the spontaneous largest other. The quiet-network scores stay in the JSON;
- **spontaneous reactivation** in the rest: for every assembly, the bursts of its own
  cells' mean rate above :data:`REACTIVATION_RATE_HZ`, and those in which it stands out
  from every other assembly (set overlap >= 0.2 and 0.1 above the next:
  :func:`snnmem.analysis.replay.pattern_reactivations`), per minute and per assembly;
  the **selectivity** (share of an assembly's bursts in which it stands out); the same
  measure on random cell sets of the assemblies' sizes (the chance level; a rest in which
  no random set stands out counts as one such event, so the ratio stays finite); the mean
  rates of assembly members and of the other E cells in the rest; and the time course of
  both in 15 s bins (:func:`time_course`; after training the members fire below the other
  cells, and reactivations grow as their rate climbs back).

Litwin-Kumar & Doiron show reactivations of single assemblies in rasters of spontaneous
activity (their Figs. 2-3) without a rate to compare with; the limits here
(``reactivations_per_min``, ``reactivation_over_random``) are a minimal reading of
"reactivates": at least one selective reactivation per assembly and minute, and at least
twice as many as random sets of the same sizes.

The runs are kept in ``runs_dir`` (``litwin_kumar_doiron2014_seed<N>.h5``) and reused when
they simulate the same network, as in ``assemblies_retention``. 535 s of biological time per
seed, about 16 min of simulation loop (36 min per run with three seeds and other jobs sharing
two cores): marked ``long``; its JSON is committed as ``docs/validation/litwin_kumar_doiron2014.json``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from ..protocols import find_phase
from . import Check, ValidationResult, register
from ._common import runs_folder, expected_range, model_file, seed_count
from .assemblies import limits as assembly_limits
from .assemblies import seed_check_table, seed_row

NAME = "litwin_kumar_doiron2014"

REFERENCE = (
    "Litwin-Kumar A, Doiron B (2014). Formation and maintenance of neuronal assemblies through synaptic "
    "plasticity. Nat Commun 5:5319 (published size: 4000 E / 1000 I, 20 assemblies); checks of issue 17"
)

#: a burst of an assembly: its members' mean rate (5 ms bins, 15 ms boxcar) reaches this (Hz), five times
#: the E cells' spontaneous rate in the rest (about 2 Hz); its edges at a third of it
REACTIVATION_RATE_HZ = 10.0

#: width of the bins of the reactivation time course over the rest (s)
TIME_COURSE_BIN_S = 15.0

#: span at the end of the rest (s) whose windows give the assemblies' spontaneous overlaps, the baseline of the
#: recall controls (:func:`spontaneous_overlaps`)
SPONTANEOUS_SPAN_S = 30.0

#: the limits of ``snnmem validate assemblies`` that apply here; its three quiet-network controls do not
#: (a network that reactivates its assemblies spontaneously is not quiet without a cue)
FORMATION_LIMITS = ("ratio_min", "retention_min", "specificity_min", "growth_min", "step_tolerance")

#: seed stream of the random cell sets of the chance level (independent of the run's streams)
_RANDOM_SETS_STREAM = 0x1CD


def limits() -> dict[str, float]:
    """The checks' limits, from the ``[expected]`` table of ``models/litwin_kumar_doiron2014.toml``."""
    from ..config import load_model

    published = load_model(model_file(NAME))
    return {
        **assembly_limits(NAME, FORMATION_LIMITS),
        "cue_gain_min": expected_range(published, "cue_over_spontaneous")[0],
        "random_excess_max": expected_range(published, "random_cue_over_spontaneous")[1],
        "others_excess_max": expected_range(published, "largest_other_over_spontaneous")[1],
        "reactivations_min": expected_range(published, "reactivations_per_min")[0],
        "over_random_min": expected_range(published, "reactivation_over_random")[0],
    }


def random_sets(members: np.ndarray, seed: int) -> np.ndarray:
    """Random E-cell sets of the assemblies' sizes (bool ``[n_assemblies, n_exc]``), drawn from ``seed``."""
    rng = np.random.default_rng([_RANDOM_SETS_STREAM, int(seed)])
    sets = np.zeros_like(members, dtype=bool)
    for row, size in enumerate(members.sum(axis=1)):
        sets[row, rng.choice(members.shape[1], size=int(size), replace=False)] = True
    return sets


def time_bins(start_s: float, stop_s: float, width_s: float = TIME_COURSE_BIN_S) -> np.ndarray:
    """Edges of bins of ``width_s`` from ``start_s`` to ``stop_s`` (s).

    A last bin shorter than half a bin joins the one before it, so that no bin's
    per-minute rate rests on a sliver of time.
    """
    edges = np.append(np.arange(start_s, stop_s - 1e-9, width_s), stop_s)
    if edges.size > 2 and edges[-1] - edges[-2] < width_s / 2:
        edges = np.delete(edges, -2)
    return edges


def time_course(
    edges: np.ndarray,
    events: dict[str, np.ndarray],
    n_sets: int,
    ids: np.ndarray,
    times: np.ndarray,
    groups: np.ndarray,
) -> dict[str, list[float]]:
    """Selective reactivations per set and minute, and the mean rates of two cell groups, in each bin of ``edges``.

    Parameters
    ----------
    edges : ndarray
        Bin edges (s), from the start of the rest to its end (:func:`time_bins`).
    events : dict of str to ndarray
        Set kind (``"assemblies"``, ``"random"``) -> events of
        :func:`snnmem.analysis.replay.pattern_reactivations`, binned by their start.
    n_sets : int
        Number of sets of each kind.
    ids, times : ndarray
        The E cells' spikes (cell indices; times in s).
    groups : ndarray
        Boolean ``[2, n_cells]``: assembly members, the other E cells.

    Returns
    -------
    dict
        ``bin_start_s`` (from the start of the rest), ``<kind>_selective_per_min`` per kind,
        ``rate_members_hz``, ``rate_others_hz``.
    """
    from ..analysis.binning import group_rates

    minutes = np.diff(edges) / 60.0
    out: dict[str, list[float]] = {"bin_start_s": [float(a - edges[0]) for a in edges[:-1]]}
    for kind, found in events.items():
        counts = np.histogram(found["start_s"][found["pattern"] == found["source"]], bins=edges)[0]
        out[f"{kind}_selective_per_min"] = [float(c) for c in counts / n_sets / minutes]
    rates = np.array([group_rates(ids, times, groups, a, b, b - a)[0] for a, b in zip(edges[:-1], edges[1:])])
    out["rate_members_hz"], out["rate_others_hz"] = rates[:, 0].tolist(), rates[:, 1].tolist()
    return out


def rest_reactivations(run: Any, seed: int) -> dict[str, Any]:
    """Reactivations of the assemblies and of random sets of their sizes in the rest of ``run``.

    Besides the whole-rest counts and rates, a ``time_course`` (:func:`time_course`) in
    bins of :data:`TIME_COURSE_BIN_S` (:func:`time_bins`: the last bin ends with the rest).
    """
    from ..analysis.binning import group_rates
    from ..analysis.replay import pattern_reactivations, reactivation_rates

    members = run.analysis["assembly_membership"].astype(bool)
    rest = find_phase(run.phases, "rest")
    ids, times = run.spikes["exc"]
    ids = np.asarray(ids, dtype=np.int64)
    out: dict[str, Any] = {"rest_s": rest.duration_s, "threshold_hz": REACTIVATION_RATE_HZ}
    groups = np.vstack([members.any(axis=0), ~members.any(axis=0)])
    edges = time_bins(rest.start_s, rest.stop_s)
    found: dict[str, np.ndarray] = {}
    for label, sets in (("assemblies", members), ("random", random_sets(members, seed))):
        found[label] = events = pattern_reactivations(
            ids, times, sets.astype(float), rest.start_s, rest.stop_s, threshold_hz=REACTIVATION_RATE_HZ
        )
        rates = reactivation_rates(events, sets.shape[0], rest.duration_s)
        out[label] = {
            **rates,
            "events": int(events.size),
            "selective": int(np.count_nonzero(events["pattern"] == events["source"])),
            "best_score": float(events["score"].max()) if events.size else float("nan"),
        }
    # the chance level: random sets' selective reactivations per set and minute, at least one event in the rest
    # (no random set standing out does not make the ratio infinite, only larger than this bound)
    floor = 1.0 / (members.shape[0] * rest.duration_s / 60.0)
    out["random"]["chance_per_min"] = max(out["random"]["mean_selective_per_min"], floor)
    out["time_course"] = time_course(edges, found, members.shape[0], ids, times, groups)
    member_hz, other_hz = group_rates(ids, times, groups, rest.start_s, rest.stop_s, rest.duration_s)[0]
    out["rate_members_hz"], out["rate_others_hz"] = float(member_hz), float(other_hz)
    return out


def spontaneous_overlaps(run: Any, span_s: float = SPONTANEOUS_SPAN_S) -> dict[str, Any]:
    """The assemblies' overlaps in windows of spontaneous activity: the baseline of the recall controls.

    Windows as long as a recall trial's scoring window (``recall_duration - overlap_offset``),
    tiled over the last ``span_s`` of the rest, a cell active with ``active_min_spikes``
    (:func:`snnmem.analysis.assemblies.window_overlaps`: the no-cue trial's measure, in
    many more windows). Returns ``span_s``, ``window_s``, ``windows`` and three means
    over the windows: ``mean_overlap`` (an assembly's overlap), ``largest`` (the largest
    assembly's) and ``largest_other`` (the largest of the others when one assembly is
    set aside, averaged over which one: the counterpart of ``largest_other_f0p5``).
    """
    from ..analysis.assemblies import window_overlaps

    members = run.analysis["assembly_membership"].astype(bool)
    rest = find_phase(run.phases, "rest")
    window = float(run.model["protocol.recall_duration"]) - float(run.model["protocol.overlap_offset"])
    start = max(rest.start_s, rest.stop_s - span_s)
    ids, times = run.spikes["exc"]
    min_spikes = run.model["protocol.active_min_spikes"]
    overlaps = window_overlaps(np.asarray(ids, dtype=np.int64), times, members, start, rest.stop_s, window, min_spikes)
    ranked = np.sort(overlaps, axis=1)
    n_sets = overlaps.shape[1]
    # setting assembly k aside leaves the largest, unless k is the largest: then the second largest
    others = ((n_sets - 1) * ranked[:, -1] + ranked[:, -2]) / n_sets if n_sets > 1 else np.full(len(ranked), np.nan)
    return {
        "span_s": float(rest.stop_s - start),
        "window_s": window,
        "windows": int(overlaps.shape[0]),
        "mean_overlap": float(overlaps.mean()),
        "largest": float(ranked[:, -1].mean()),
        "largest_other": float(np.mean(others)),
    }


def recall_over_spontaneous(run: Any, spontaneous: dict[str, Any]) -> dict[str, float]:
    """The recall scores of ``run`` against the spontaneous baseline (:func:`spontaneous_overlaps`).

    Checked (limits in the model file's ``[expected]``):

    - ``cue_over_spontaneous``: ``completion_f0p5`` minus an assembly's mean spontaneous
      overlap (what the cue adds to the cued assembly). Weaker than the specificity: it
      passes whenever the specificity does, since the largest other assembly is never
      below an assembly's mean;
    - ``random_cue_over_spontaneous``: the largest assembly overlap of a random-set cue
      trial, averaged over those trials, minus the spontaneous ``largest``;
    - ``largest_other_over_spontaneous``: ``largest_other_f0p5`` minus the spontaneous
      ``largest_other``.

    Reported, not checked: ``cue_over_spontaneous_largest`` (``completion_f0p5`` minus the
    spontaneous ``largest``: the cued assembly against the most active one of a window
    without a cue) and ``no_cue_over_spontaneous`` (the largest assembly overlap of a no-cue
    trial, averaged over those trials, minus the spontaneous ``largest``: whether the baseline
    taken in the plastic rest fits the frozen recall phase). In a network that is quiet
    without a cue the baselines are near 0 and the checks are those of
    ``snnmem validate assemblies``.
    """
    overlaps = np.asarray(run.analysis["recall_overlaps"], dtype=float)
    kinds = np.asarray(run.analysis["recall_trial_kind"])

    def mean_largest(kind: int) -> float:
        rows = kinds == kind
        return float(np.mean(np.nanmax(overlaps[rows], axis=1))) if rows.any() else float("nan")

    completion = run.scores["completion_f0p5"]
    return {
        "cue_over_spontaneous": completion - spontaneous["mean_overlap"],
        "random_cue_over_spontaneous": mean_largest(2) - spontaneous["largest"],
        "largest_other_over_spontaneous": run.scores["largest_other_f0p5"] - spontaneous["largest_other"],
        "cue_over_spontaneous_largest": completion - spontaneous["largest"],
        "no_cue_over_spontaneous": mean_largest(1) - spontaneous["largest"],
    }


def default_model(overrides: dict | None = None) -> Any:
    """The model file, with ``overrides`` (dotted keys) where given."""
    from ..config import load_model

    return load_model(model_file(NAME), overrides or None)


@register(
    NAME,
    REFERENCE,
    "assemblies at the published size (4000 E / 1000 I, 20 assemblies): formation, retention through 300 s of "
    "spontaneous activity, recall, and spontaneous reactivation of single assemblies (3 seeds, ~16 min of loop each)",
    keeps_runs=True,
    model=default_model,
)
def run(
    seeds: int | None = None,
    rest: str | None = None,
    runs_dir: str | Path | None = None,
    overrides: dict | None = None,
) -> ValidationResult:
    """Run the checks on ``seeds`` seeds (default 3).

    Parameters
    ----------
    seeds : int, optional
        Seeds 1..seeds (default 3).
    rest : str, optional
        Rest duration instead of the model file's 300 s (same as the override ``protocol.rest_duration``).
    runs_dir : str or Path, optional
        Folder where the runs are kept and reused (default: a temporary folder).
    overrides : dict, optional
        Parameters changed from the model file (``snnmem validate --set``; CI's short version:
        ``protocol.train_repetitions`` 3 and ``protocol.rest_duration`` 30 s).
    """
    from .assemblies_retention import source_run

    n_seeds = seed_count(seeds, 3)
    model = default_model({**({"protocol.rest_duration": rest} if rest else {}), **(overrides or {})})
    limit = limits()
    fractions = model["protocol.cue_fractions"]
    per_seed = []
    with runs_folder(runs_dir, prefix="snnmem_lkd_") as folder:
        for seed in range(1, n_seeds + 1):
            run_, _ = source_run(model, seed, folder)
            row = seed_row(seed, run_, fractions, limit)
            row["spontaneous"] = spontaneous = spontaneous_overlaps(run_)
            row.update(recall_over_spontaneous(run_, spontaneous))
            row["checks"]["cue_over_spontaneous"] = row["cue_over_spontaneous"] > limit["cue_gain_min"]
            row["checks"]["random_cue_over_spontaneous"] = (
                row["random_cue_over_spontaneous"] <= limit["random_excess_max"]
            )
            row["checks"]["largest_other_over_spontaneous"] = (
                row["largest_other_over_spontaneous"] <= limit["others_excess_max"]
            )
            row["reactivation"] = reactivation = rest_reactivations(run_, seed)
            mine, chance = reactivation["assemblies"]["mean_selective_per_min"], reactivation["random"]
            row["reactivation_over_random"] = mine / chance["chance_per_min"]
            row["checks"]["reactivations"] = mine >= limit["reactivations_min"]
            row["checks"]["reactivation_over_random"] = row["reactivation_over_random"] >= limit["over_random_min"]
            per_seed.append(row)

    def react(key: str) -> list[float]:
        return [s["reactivation"]["assemblies"][key] for s in per_seed]

    def all_seeds(name: str) -> bool:
        return all(s["checks"][name] for s in per_seed)

    checks = [
        *seed_check_table(per_seed, limit),
        Check(
            "50 % cue: completion above the assembly's spontaneous overlap (windows of the last "
            f"{SPONTANEOUS_SPAN_S:g} s of the rest; lowest seed)",
            min(s["cue_over_spontaneous"] for s in per_seed),
            f"> {limit['cue_gain_min']:g}",
            all_seeds("cue_over_spontaneous"),
        ),
        Check(
            "50 % cue: largest other assembly above its spontaneous counterpart (highest seed)",
            max(s["largest_other_over_spontaneous"] for s in per_seed),
            f"<= {limit['others_excess_max']:g}",
            all_seeds("largest_other_over_spontaneous"),
        ),
        Check(
            "random-set cue: largest assembly overlap above the spontaneous largest (highest seed)",
            max(s["random_cue_over_spontaneous"] for s in per_seed),
            f"<= {limit['random_excess_max']:g}",
            all_seeds("random_cue_over_spontaneous"),
        ),
        Check(
            f"selective reactivations per assembly and minute of rest (bursts > {REACTIVATION_RATE_HZ:g} Hz in "
            "which the assembly stands out; lowest seed)",
            min(react("mean_selective_per_min")),
            f">= {limit['reactivations_min']:g}",
            all_seeds("reactivations"),
        ),
        Check(
            "selective reactivations over random sets of the same sizes (no random event counts as one; lowest seed)",
            min(s["reactivation_over_random"] for s in per_seed),
            f">= {limit['over_random_min']:g}",
            all_seeds("reactivation_over_random"),
        ),
    ]
    values = {
        "seeds": per_seed,
        "model_sha256": model.sha256,
        "cue_fractions": list(fractions),
        "reactivation_rate_hz": REACTIVATION_RATE_HZ,
    }
    return ValidationResult(name=NAME, reference=REFERENCE, checks=checks, values=values)
