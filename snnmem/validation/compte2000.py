"""Validation ``compte2000``: the ring attractor holds a cued location (Compte et al. 2000), as statistics.

Protocol: the default model (2048 E / 512 I, sigma = 14.4 deg, J+ = 1.62,
dt = 0.05 ms), 0.5 s baseline, 250 ms cue of 200 pA (sd 6 deg) at 180 deg, 3 s
delay; scored in 0.5 s windows from 250 ms after cue offset. Seeds 1..24 (default;
chosen before the results were seen), plus a no-cue control.

At sigma = 14.4 deg the bump is marginal, so every claim is a statistic over seeds,
with a 95 % interval (:mod:`snnmem.analysis.bump_dynamics` defines collapse and dip):

- persistence: the fraction of seeds whose bump does not collapse (Wilson interval);
  the interval must reach the expected range (``persistence_fraction``: the data
  must be consistent with it). Dips (the bump lost in a window, then back) and the
  fraction of seeds without any failing window are reported beside it;
- over the persisting seeds, the mean bump peak, background and inhibitory rates:
  each mean's t interval must lie inside its expected range, and the mean decoded
  angle error's interval below its limit;
- drift: the bump centre, decoded in 100 ms bins over the scored delay, diffuses:
  the mean squared displacement of the persisting seeds (pooled) is fitted by
  ``c + 2 D lag`` over lags 0.1-1 s; the interval of D (bootstrap over seeds) must
  exclude 0;
- no-cue control: no bump above 10 Hz in the first 1.5 s.

The ranges are the ``[expected]`` table of models/compte2000.toml (reference
multi-seed runs of this model; Compte et al. 2000 report a bump of ~20 Hz on a
few-Hz background at sigma = 14.4 deg and no diffusion coefficient).
"""

from __future__ import annotations

import numpy as np

from . import Check, ValidationResult, register
from ._common import circuit_model, expected_range, model_file, seed_count

REFERENCE = (
    "Compte A, Brunel N, Goldman-Rakic PS, Wang X-J (2000). Synaptic mechanisms and network dynamics "
    "underlying spatial working memory in a cortical network model. Cereb Cortex 10:910-923"
)

#: scores bounded (for seeds whose bump persists) by ``[expected]`` of models/compte2000.toml
BOUNDED_SCORES = ("bump_peak_rate_hz", "background_rate_hz", "inhibitory_rate_hz", "decoded_angle_error_deg")
CONTROL_DURATION_S = 1.5


def default_model(overrides: dict | None = None):
    """The published model from the circuit's defaults (independent of the repository's files)."""
    return circuit_model("compte2000", "ring_attractor", REFERENCE, overrides)


def control_peak_rates(run, duration_s: float = CONTROL_DURATION_S, window_s: float = 0.5) -> np.ndarray:
    """Peak bump rate (decoded centre +- 5 deg) in each window of a no-cue run."""
    from ..analysis.ring import ring_bump_scores

    exc, inh = run.spikes["exc"], run.spikes["inh"]
    _, arrays = ring_bump_scores(
        exc[0],
        exc[1],
        run.n_neurons["exc"],
        inh[0],
        inh[1],
        run.n_neurons["inh"],
        cue_angle_deg=0.0,
        delay_start=0.0,
        delay_stop=duration_s,
        window=window_s,
    )
    return np.asarray(arrays["window_peak_rate_hz"])


#: decoding bin and longest lag of the drift analysis, seconds
DRIFT_BIN_S = 0.1
DRIFT_MAX_LAG_S = 1.0
#: confidence of every interval, and bootstrap resamples (fixed generator: same data, same interval)
CONFIDENCE = 0.95
BOOTSTRAP_RESAMPLES = 2000


@register(
    "compte2000",
    REFERENCE,
    "ring attractor: a 250 ms cue leaves a persistent, diffusing bump over a 3 s delay "
    "(24 seeds, 95 % intervals, + no-cue control)",
    model=default_model,
)
def run(seeds: int | None = None, overrides: dict | None = None) -> ValidationResult:
    """Run the ring-attractor checks; ``overrides`` allows e.g. a shorter delay for smoke tests."""
    from ..config import load_model
    from ..simulation import release_compiled, simulate

    n_seeds = seed_count(seeds, 24)
    model = default_model(overrides)
    published = load_model(model_file("compte2000"))  # the limits live in its [expected] table
    per_seed = []
    try:
        for seed in range(1, n_seeds + 1):  # one compiled binary, rerun with each seed
            per_seed.append(_seed_statistics(model, simulate(model, seed=seed, reuse=True)))
    finally:
        release_compiled()
    statistics = ring_statistics(per_seed)
    checks = _checks(statistics, published)

    control_model = model.with_overrides(
        {
            "protocol.cue_amplitude": "0 pA",
            "protocol.baseline_duration": "0 s",
            "protocol.cue_duration": "0 s",
            "protocol.delay_duration": f"{CONTROL_DURATION_S} s",
        }
    )
    control_peaks = control_peak_rates(simulate(control_model, seed=1))
    control_max = expected_range(published, "no_cue_max_peak_hz")[1]
    checks.append(
        Check(
            "no-cue control: largest bump peak in first 1.5 s (Hz)",
            float(control_peaks.max()),
            f"< {control_max:g}",
            bool(control_peaks.max() < control_max),
        )
    )
    values = {
        "seeds": per_seed,
        **statistics,
        "control_window_peak_rate_hz": control_peaks.tolist(),
        "model_sha256": model.sha256,
    }
    return ValidationResult(name="compte2000", reference=REFERENCE, checks=checks, values=values)


def _seed_statistics(model, run) -> dict:
    """One seed's scores and the mean squared displacement of its decoded bump centre."""
    from ..analysis.bump_dynamics import centre_track, msd_curve
    from ..protocols import find_phase

    proto = model.section("protocol")
    start = find_phase(run.phases, "cue").stop_s + float(proto["score_offset"])
    stop = find_phase(run.phases, "delay").stop_s
    ids, times = run.spikes["exc"]
    _, centre = centre_track(ids, times, run.n_neurons["exc"], start, stop, DRIFT_BIN_S)
    msd, _ = msd_curve(centre, int(round(DRIFT_MAX_LAG_S / DRIFT_BIN_S)))
    return {
        "seed": run.seed,
        **run.scores,
        "window_peak_rate_hz": np.asarray(run.analysis["window_peak_rate_hz"]).tolist(),
        "window_background_rate_hz": np.asarray(run.analysis["window_background_rate_hz"]).tolist(),
        "centre_track_deg": centre.tolist(),
        "msd_deg2": msd.tolist(),
    }


def mean_interval(values: list[float], confidence: float = CONFIDENCE) -> tuple[float, float, float]:
    """``(mean, low, high)``: Student t interval of the mean (NaN interval for fewer than 2 values)."""
    from scipy import stats

    data = np.asarray(values, dtype=np.float64)
    if data.size == 0:
        return float("nan"), float("nan"), float("nan")
    mean = float(data.mean())
    if data.size < 2:
        return mean, float("nan"), float("nan")
    half = float(stats.t.ppf(0.5 + confidence / 2, data.size - 1) * data.std(ddof=1) / np.sqrt(data.size))
    return mean, mean - half, mean + half


def proportion_interval(k: int, n: int, confidence: float = CONFIDENCE) -> tuple[float, float, float]:
    """``(k / n, low, high)``: Wilson score interval."""
    from scipy import stats

    interval = stats.binomtest(k, n).proportion_ci(confidence_level=confidence, method="wilson")
    return k / n, float(interval.low), float(interval.high)


def diffusion_interval(msd_curves: np.ndarray, confidence: float = CONFIDENCE) -> dict:
    """D from the seeds' pooled MSD (``[n_seeds, n_lags]``), with a bootstrap interval over seeds."""
    from ..analysis.bump_dynamics import fit_diffusion

    lags = DRIFT_BIN_S * np.arange(1, msd_curves.shape[1] + 1)
    fit = fit_diffusion(lags, np.nanmean(msd_curves, axis=0))
    rng = np.random.default_rng(0)
    resampled = [
        fit_diffusion(lags, np.nanmean(msd_curves[rng.integers(0, len(msd_curves), len(msd_curves))], axis=0))
        for _ in range(BOOTSTRAP_RESAMPLES)
    ]
    d_values = np.array([r.d_deg2_per_s for r in resampled])
    low, high = np.quantile(d_values, [0.5 - confidence / 2, 0.5 + confidence / 2])
    return {
        "d_deg2_per_s": fit.d_deg2_per_s,
        "d_low": float(low),
        "d_high": float(high),
        "offset_deg2": fit.offset_deg2,
        "lags_s": lags.tolist(),
        "pooled_msd_deg2": fit.msd_deg2.tolist(),
        "per_seed_d_deg2_per_s": [fit_diffusion(lags, curve).d_deg2_per_s for curve in msd_curves],
    }


def ring_statistics(per_seed: list[dict]) -> dict:
    """Persistence, dips, mean rates and drift over seeds, each with its 95 % interval."""
    n = len(per_seed)
    persisting = [s for s in per_seed if s["bump_collapsed"] == 0.0]
    result: dict = {
        "n_seeds": n,
        "confidence": CONFIDENCE,
        "persistence": dict(zip(("rate", "low", "high"), proportion_interval(len(persisting), n))),
        "strict_persistence": dict(
            zip(("rate", "low", "high"), proportion_interval(sum(s["bump_persisted"] == 1.0 for s in per_seed), n))
        ),
        "collapsed_seeds": [s["seed"] for s in per_seed if s["bump_collapsed"] == 1.0],
        "seeds_with_dips": [s["seed"] for s in per_seed if s["bump_dips"] > 0],
        "dips_per_seed": float(np.mean([s["bump_dips"] for s in per_seed])),
        "means_of_persisting": {
            key: dict(zip(("mean", "low", "high"), mean_interval([s[key] for s in persisting])))
            for key in BOUNDED_SCORES
        },
    }
    if len(persisting) >= 2:
        result["diffusion"] = diffusion_interval(np.array([s["msd_deg2"] for s in persisting]))
    return result


def _checks(statistics: dict, published) -> list[Check]:
    low, high = expected_range(published, "persistence_fraction")
    p = statistics["persistence"]
    checks = [
        Check(
            "persistence rate (no collapse), 95 % Wilson interval "
            f"[{p['low']:.2f}, {p['high']:.2f}] ({statistics['n_seeds']} seeds)",
            p["rate"],
            f"interval reaches {low:g} - {high:g}",
            p["high"] >= low - 1e-12 and p["low"] <= high + 1e-12,
        )
    ]
    for key in BOUNDED_SCORES:
        low, high = expected_range(published, key)
        m = statistics["means_of_persisting"][key]
        if key == "decoded_angle_error_deg":
            ok, expected = bool(m["high"] <= high), f"interval below {high:g}"
        else:
            ok, expected = bool(low <= m["low"] and m["high"] <= high), f"interval inside {low:g} - {high:g}"
        checks.append(
            Check(
                f"{key}: mean of persisting seeds, 95 % interval [{m['low']:.3g}, {m['high']:.3g}]",
                m["mean"],
                expected,
                ok,
            )
        )
    drift = statistics.get("diffusion")
    if drift is None:
        checks.append(Check("bump centre diffusion (deg^2/s)", float("nan"), "interval above 0", False))
    else:
        checks.append(
            Check(
                "bump centre diffusion D (deg^2/s), 95 % bootstrap interval "
                f"[{drift['d_low']:.3g}, {drift['d_high']:.3g}]",
                drift["d_deg2_per_s"],
                "interval above 0",
                drift["d_low"] > 0.0,
            )
        )
    return checks
