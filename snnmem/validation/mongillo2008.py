"""Validation ``mongillo2008``: working memory in facilitating synapses (Mongillo, Barak & Tsodyks 2008).

Protocol: the default model (scaled 4000 E / 1000 I keeping the published
in-degrees; U = 0.19, tau_F = 1.5 s, tau_D = 0.2 s): 1 s baseline, 350 ms cue
(external input x 1.15 to memory 1), delay, 250 ms non-specific readout (x 1.05
to every E cell), 0.5 s. Repeated over ``seeds`` seeds (default 3).

Expected (issue 7, after Mongillo et al. 2008, Figs. 2-3), in every seed:

- decaying regime (``external.mu_exc`` = 22.8 mV, 1.5 s delay): from 0.5 s after
  the cue to the readout the cued memory's rate is back at spontaneous level
  (within 1 Hz of its baseline rate) while the mean u of its synapses stays above
  1.2 U for at least 1 s; the readout makes the cued memory emit a population
  spike and no uncued memory;
- population-spike regime (23.7 mV, 3 s delay): the cued memory reactivates in
  at least 3 population spikes during the delay, with a median period of a few
  hundred ms (0.1-0.6 s), set by tau_D.
"""

from __future__ import annotations

import numpy as np

from . import Check, ValidationResult, register
from ._common import circuit_model, expected_range, model_file, seed_count

REFERENCE = "Mongillo G, Barak O, Tsodyks M (2008). Synaptic theory of working memory. Science 319:1543-1546"

DECAYING = {"external.mu_exc": "22.8 mV"}
POPULATION_SPIKES = {"external.mu_exc": "23.7 mV", "protocol.delay_duration": "3 s"}


def limits() -> dict[str, float]:
    """The checks' limits, from the ``[expected]`` table of models/mongillo2008.toml (their one home)."""
    from ..config import load_model

    published = load_model(model_file("mongillo2008"))
    return {
        "return_tolerance_hz": expected_range(published, "delay_rate_cued_above_baseline_hz")[1],
        "min_facilitated_s": expected_range(published, "cued_u_facilitated_s")[0],
        "min_popspikes": expected_range(published, "popspike_regime_delay_popspikes_cued")[0],
        "period_s": expected_range(published, "popspike_regime_period_s"),
        "readout_cued": expected_range(published, "readout_popspike_cued")[0],
        "readout_uncued": expected_range(published, "readout_popspikes_uncued")[0],
    }


def default_model(overrides: dict | None = None):
    """The model from the circuit's defaults (independent of the repository's files)."""
    return circuit_model("mongillo2008", "stp_working_memory", REFERENCE, overrides)


def decaying_checks(scores: dict, limit: dict | None = None) -> dict[str, bool]:
    """Published behaviours of the decaying regime shown by one run (``limit``: :func:`limits`)."""
    limit = limit or limits()
    return {
        "rate_returns": scores["delay_rate_cued_hz"] <= scores["baseline_rate_cued_hz"] + limit["return_tolerance_hz"],
        "u_facilitated": scores["cued_u_facilitated_s"] >= limit["min_facilitated_s"],
        "readout_cued": scores["readout_popspike_cued"] == limit["readout_cued"],
        "readout_uncued_silent": scores["readout_popspikes_uncued"] == limit["readout_uncued"],
    }


def popspike_checks(scores: dict, limit: dict | None = None) -> dict[str, bool]:
    """Published behaviours of the population-spike regime shown by one run (``limit``: :func:`limits`)."""
    limit = limit or limits()
    period, (low, high) = scores["popspike_period_s"], limit["period_s"]
    return {
        "reactivates": scores["delay_popspikes_cued"] >= limit["min_popspikes"],
        "period": bool(np.isfinite(period) and low <= period <= high),
    }


@register(
    "mongillo2008",
    REFERENCE,
    "STP working memory: activity-silent facilitated trace read out by a non-specific input; "
    "periodic population spikes (3 seeds, two regimes)",
)
def run(seeds: int | None = None, overrides: dict | None = None) -> ValidationResult:
    """Run both regimes on ``seeds`` seeds (default 3)."""
    from ..simulation import simulate

    n_seeds = seed_count(seeds, 3)
    limit = limits()
    extra = dict(overrides or {})
    decaying_model = default_model({**DECAYING, **extra})
    spikes_model = default_model({**POPULATION_SPIKES, **extra})
    decaying, periodic = [], []
    for seed in range(1, n_seeds + 1):
        run_d = simulate(decaying_model, seed=seed)
        decaying.append({"seed": seed, **run_d.scores, "checks": decaying_checks(run_d.scores, limit)})
        run_p = simulate(spikes_model, seed=seed)
        times = run_p.analysis.get("popspike_times_cued_s", np.zeros(0))
        periodic.append(
            {
                "seed": seed,
                **run_p.scores,
                "popspike_times_cued_s": np.asarray(times).tolist(),
                "checks": popspike_checks(run_p.scores, limit),
            }
        )

    def every(rows, name):
        return all(r["checks"][name] for r in rows)

    checks = [
        Check(
            "decaying: cued delay rate minus its baseline (Hz, largest seed)",
            max(r["delay_rate_cued_hz"] - r["baseline_rate_cued_hz"] for r in decaying),
            f"<= {limit['return_tolerance_hz']:g} (back to spontaneous)",
            every(decaying, "rate_returns"),
        ),
        Check(
            "decaying: time cued mean u stays > 1.2 U after the cue (s, shortest seed)",
            min(r["cued_u_facilitated_s"] for r in decaying),
            f">= {limit['min_facilitated_s']:g}",
            every(decaying, "u_facilitated"),
        ),
        Check(
            "decaying: seeds where the readout gives a cued population spike (fraction)",
            float(np.mean([r["readout_popspike_cued"] for r in decaying])),
            "1.0",
            every(decaying, "readout_cued"),
        ),
        Check(
            "decaying: uncued memories with a readout population spike (most in a seed)",
            max(r["readout_popspikes_uncued"] for r in decaying),
            "0",
            every(decaying, "readout_uncued_silent"),
        ),
        Check(
            "population spikes: cued reactivations in the 3 s delay (fewest in a seed)",
            min(r["delay_popspikes_cued"] for r in periodic),
            f">= {limit['min_popspikes']:g}",
            every(periodic, "reactivates"),
        ),
        Check(
            "population spikes: median period (s, worst seed)",
            _worst([r["popspike_period_s"] for r in periodic], *limit["period_s"]),
            f"{limit['period_s'][0]:g} - {limit['period_s'][1]:g} (a few hundred ms)",
            every(periodic, "period"),
        ),
    ]
    values = {
        "decaying": decaying,
        "population_spikes": periodic,
        "decaying_sha256": decaying_model.sha256,
        "population_spikes_sha256": spikes_model.sha256,
    }
    return ValidationResult(name="mongillo2008", reference=REFERENCE, checks=checks, values=values)


def _worst(values, low, high) -> float:
    values = [v for v in values]
    if any(not np.isfinite(v) for v in values):
        return float("nan")
    return min(values) if min(values) < low else max(values)
