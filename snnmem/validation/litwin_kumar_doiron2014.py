"""Validation ``litwin_kumar_doiron2014``: cell assemblies at the published size (issue 17, item 2).

Model: ``models/litwin_kumar_doiron2014.toml``: 4000 E / 1000 I conductance-based LIF
cells, p = 0.2, 20 random assemblies of 5 % of the E cells, the circuit's plasticity
(triplet STDP on E->E, inhibitory STDP on I->E, subtractive normalisation every 20 ms)
with the recurrent conductances halved against the default model (twice the in-degree:
each cell's mean recurrent input as in ``models/assemblies.toml``) and the authors' E->E
bound (7.48 times the initial weight). Protocol: the circuit's native one (5 s warm-up,
every assembly 10 x 500 ms in random order, a 120 s plastic rest of spontaneous
activity, partial-cue recall with controls).

Measured per seed:

- **formation and recall**: the checks of ``snnmem validate assemblies``
  (:func:`snnmem.validation.assemblies.seed_checks`), with the limits of this model
  file's ``[expected]``: within/between weight ratio after training, its retention
  through the rest, 50 % cue specificity, completion curve, no-cue and random-set cues;
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
they simulate the same network, as in ``assemblies_retention``. About 14 min per seed with
two runs sharing two cores (355 s of biological time per seed): marked ``long``; its
JSON is committed as ``docs/validation/litwin_kumar_doiron2014.json``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

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

#: seed stream of the random cell sets of the chance level (independent of the run's streams)
_RANDOM_SETS_STREAM = 0x1CD


def limits() -> dict[str, float]:
    """The checks' limits, from the ``[expected]`` table of ``models/litwin_kumar_doiron2014.toml``."""
    from ..config import load_model

    published = load_model(model_file(NAME))
    return {
        **assembly_limits(NAME),
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
    rest = next(p for p in run.phases if p.name == "rest")
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


@register(
    NAME,
    REFERENCE,
    "assemblies at the published size (4000 E / 1000 I, 20 assemblies): formation, retention through 120 s of "
    "spontaneous activity, recall, and spontaneous reactivation of single assemblies (3 seeds, ~14 min each)",
    keeps_runs=True,
)
def run(seeds: int | None = None, rest: str | None = None, runs_dir: str | Path | None = None) -> ValidationResult:
    """Run the checks on ``seeds`` seeds (default 3).

    Parameters
    ----------
    seeds : int, optional
        Seeds 1..seeds (default 3).
    rest : str, optional
        Rest duration instead of the model file's 120 s (e.g. ``"30 s"``: CI's short version).
    runs_dir : str or Path, optional
        Folder where the runs are kept and reused (default: a temporary folder).
    """
    from ..config import load_model
    from .assemblies_retention import source_run

    n_seeds = seed_count(seeds, 3)
    model = load_model(model_file(NAME), {"protocol.rest_duration": rest} if rest else None)
    limit = limits()
    fractions = model["protocol.cue_fractions"]
    per_seed = []
    with runs_folder(runs_dir, prefix="snnmem_lkd_") as folder:
        for seed in range(1, n_seeds + 1):
            run_, _ = source_run(model, seed, folder)
            row = seed_row(seed, run_, fractions, limit)
            row["reactivation"] = reactivation = rest_reactivations(run_, seed)
            mine, chance = reactivation["assemblies"]["mean_selective_per_min"], reactivation["random"]
            row["reactivation_over_random"] = mine / chance["chance_per_min"]
            row["checks"]["reactivations"] = mine >= limit["reactivations_min"]
            row["checks"]["reactivation_over_random"] = row["reactivation_over_random"] >= limit["over_random_min"]
            per_seed.append(row)

    def react(key: str) -> list[float]:
        return [s["reactivation"]["assemblies"][key] for s in per_seed]

    checks = [
        *seed_check_table(per_seed, limit),
        Check(
            f"selective reactivations per assembly and minute of rest (bursts > {REACTIVATION_RATE_HZ:g} Hz in "
            "which the assembly stands out; lowest seed)",
            min(react("mean_selective_per_min")),
            f">= {limit['reactivations_min']:g}",
            all(s["checks"]["reactivations"] for s in per_seed),
        ),
        Check(
            "selective reactivations over random sets of the same sizes (no random event counts as one; lowest seed)",
            min(s["reactivation_over_random"] for s in per_seed),
            f">= {limit['over_random_min']:g}",
            all(s["checks"]["reactivation_over_random"] for s in per_seed),
        ),
    ]
    values = {
        "seeds": per_seed,
        "model_sha256": model.sha256,
        "cue_fractions": list(fractions),
        "reactivation_rate_hz": REACTIVATION_RATE_HZ,
    }
    return ValidationResult(name=NAME, reference=REFERENCE, checks=checks, values=values)
