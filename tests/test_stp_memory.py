"""STP working memory (Mongillo, Barak & Tsodyks 2008): structure, units, errors, u/x reconstruction,
population-spike detection; a small network end to end.

The published multi-seed checks of both regimes are marked ``slow`` (``pytest -m slow``).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import snnmem
from snnmem.circuits import stp_memory as stp
from snnmem.config import load_model
from snnmem.errors import ConfigError
from snnmem.plasticity import TsodyksMarkramSTP

MODEL = Path(__file__).resolve().parents[1] / "models" / "mongillo2008.toml"

#: 400 E / 100 I at the published probability 0.2, short phases: seconds on the runtime device.
SMALL = {
    "network.n_exc": 400,
    "network.n_inh": 100,
    "connectivity.keep_in_degree": False,
    "protocol.baseline_duration": "100 ms",
    "protocol.cue_duration": "150 ms",
    "protocol.delay_duration": "200 ms",
    "protocol.readout_duration": "100 ms",
    "protocol.post_readout_duration": "50 ms",
    "protocol.delay_score_offset": "100 ms",
    "simulation.device": "runtime",
    "simulation.runtime_target": "numpy",
}


def test_model_file_spells_out_the_published_values():
    spec = load_model(MODEL)
    assert spec.circuit == "stp_working_memory" and "Mongillo" in spec.metadata["reference"]
    assert spec.metadata["doi"] == "10.1126/science.1150769"
    assert float(spec["exc.tau_m"]) == pytest.approx(15e-3) and float(spec["inh.v_reset"]) == pytest.approx(13e-3)
    assert float(spec["synapses.j_exc_to_exc_memory"]) == pytest.approx(0.45e-3)
    assert spec["stp.U"] == pytest.approx(0.19) and float(spec["stp.tau_facilitation"]) == pytest.approx(1.5)
    assert float(spec["protocol.cue_duration"]) == pytest.approx(0.35) and spec["protocol.cue_gain"] == 1.15
    assert spec["connectivity.connection_probability"] == 0.2


def test_in_degree_scaling():
    spec = load_model(MODEL, {"network.n_exc": 4000, "network.n_inh": 1000})
    assert stp.connection_probabilities(spec) == pytest.approx((0.4, 0.4))
    spec = load_model(MODEL, {"network.n_exc": 8000, "network.n_inh": 2000})
    assert stp.connection_probabilities(spec) == pytest.approx((0.2, 0.2))
    assert np.bincount(stp.memory_index(spec)).tolist() == [800] * 5 + [4000]


@pytest.mark.parametrize(
    "override, key",
    [
        ({"network.n_exc": 1000}, "n_exc"),
        ({"protocol.cue_memory": 7}, "cue_memory"),
        ({"synapses.delay_max": "0.05 ms"}, "delay_max"),
        ({"stp.U": 1.5}, "stp.U"),
        ({"external.mu_exc": "23 nS"}, "mu_exc"),
        ({"stp.tau_depression": "-1 s"}, "tau_depression"),
    ],
)
def test_bad_values_fail_before_compilation(override, key):
    with pytest.raises(ConfigError, match=key):
        stp.protocol(load_model(MODEL, override))


def test_stp_rule_comes_from_the_plasticity_library():
    rule = stp.stp_rule(load_model(MODEL))
    assert isinstance(rule, TsodyksMarkramSTP)
    assert (rule.U, rule.tau_facilitation, rule.tau_depression) == (0.19, 1.5, 0.2)


def test_traces_match_the_exact_solution():
    spec = load_model(MODEL, {"network.n_exc": 100, "network.n_inh": 25, "connectivity.keep_in_degree": False})
    U, tau_f, tau_d = 0.19, 1.5, 0.2
    # cell 0 (memory 1) spikes at 0.1 and 0.15 s; every other cell is silent
    ids, times = np.array([0, 0], dtype=np.uint32), np.array([0.1, 0.15])
    samples = np.array([0.0, 0.1, 0.12, 0.5])
    u, x = stp.stp_traces(spec, ids, times, samples)
    u1 = U + U * (1 - U)
    x1 = 1 - u1
    u2_before = U + (u1 - U) * np.exp(-0.05 / tau_f)
    u2 = u2_before + U * (1 - u2_before)
    x2_before = 1 + (x1 - 1) * np.exp(-0.05 / tau_d)
    x2 = x2_before - u2 * x2_before
    n = 10  # cells per memory
    expected_u = [U, U, U + (u1 - U) * np.exp(-0.02 / tau_f), U + (u2 - U) * np.exp(-0.35 / tau_f)]
    expected_x = [1, 1, 1 + (x1 - 1) * np.exp(-0.02 / tau_d), 1 + (x2 - 1) * np.exp(-0.35 / tau_d)]
    np.testing.assert_allclose(u[:, 0], [(e + (n - 1) * U) / n for e in expected_u], rtol=1e-12)
    np.testing.assert_allclose(x[:, 0], [(e + (n - 1)) / n for e in expected_x], rtol=1e-12)
    np.testing.assert_allclose(u[:, 1:], U)
    np.testing.assert_allclose(x[:, 1:], 1.0)


def test_population_spike_detection():
    rate = np.zeros(200)
    rate[[20, 21, 22, 80, 81, 83, 150]] = [70, 120, 90, 100, 65, 80, 200]
    events = stp.population_spike_times(rate, 0.005, 1.0, 60.0, 0.05)
    np.testing.assert_allclose(events, [1.0 + 21.5 * 0.005, 1.0 + 80.5 * 0.005, 1.0 + 150.5 * 0.005])
    assert stp.population_spike_times(np.zeros(10), 0.005, 0.0, 60.0, 0.05).size == 0


@pytest.fixture(scope="module")
def small_run():
    return snnmem.simulate(load_model(MODEL, SMALL), seed=2)


def test_small_network_runs_and_scores(small_run, tmp_path):
    run = small_run
    assert run.n_neurons == {"exc": 400, "inh": 100}
    assert run.provenance["circuit_connection_probability_from_exc"] == pytest.approx(0.2)
    for key in (
        "spontaneous_rate_exc_hz",
        "cue_rate_cued_hz",
        "cued_u_end_of_cue",
        "cued_x_end_of_cue",
        "readout_peak_rate_cued_hz",
        "readout_popspikes_uncued",
        "delay_popspikes_cued",
    ):
        assert np.isfinite(run.scores[key]), key
    u, x = run.analysis["u_mean"], run.analysis["x_mean"]
    assert u.shape == x.shape == (run.analysis["trace_time_s"].size, 5)
    assert np.all(u >= 0.19 - 1e-12) and np.all(u <= 1) and np.all(x > 0) and np.all(x <= 1 + 1e-12)
    # the cue facilitates the cued memory's synapses more than the others'
    assert run.scores["cued_u_end_of_cue"] > u[-1, 1:].max()
    path = run.save(tmp_path / "stp.h5")
    again = snnmem.open_run(path)
    np.testing.assert_array_equal(again.analysis["u_mean"], u)
    figure = snnmem.plot.plot_run(again, tmp_path / "stp.png")
    assert (tmp_path / "stp.png").stat().st_size > 10_000 and len(figure.axes) == 3


# ----------------------------------------------------------------------------- published checks (slow)
@pytest.fixture(scope="module")
def validation():
    from snnmem.validation import mongillo2008

    return mongillo2008.run(seeds=3)


@pytest.mark.slow
@pytest.mark.parametrize(
    "regime, check",
    [
        ("decaying", "rate_returns"),
        ("decaying", "u_facilitated"),
        ("decaying", "readout_cued"),
        ("decaying", "readout_uncued_silent"),
        ("population_spikes", "reactivates"),
        ("population_spikes", "period"),
        ("persistent", "elevated"),
        ("persistent", "asynchronous"),
        ("persistent", "uncued_spontaneous"),
    ],
)
def test_mongillo_published_behaviour(validation, regime, check):
    """Mongillo et al. 2008 / issues 7 and 17 on 3 seeds: decaying regime (22.8 mV) - rate back to spontaneous,
    u > 1.2 U for >= 1 s, readout population spike in the cued memory only; population-spike regime
    (23.7 mV) - >= 3 reactivations with a period of 0.1-0.6 s; persistent asynchronous regime (25.6 mV
    here, 24.0 mV published) - cued rate >= 5 Hz above baseline, <= 1 population spike, uncued spontaneous."""
    rows = validation.values[regime]
    failing = [r["seed"] for r in rows if not r["checks"][check]]
    assert not failing, f"{regime}/{check} fails in seeds {failing}"


@pytest.mark.parametrize("gamma_0", [0.0, 0.3])
def test_a_fraction_of_nonselective_synapses_is_potentiated(gamma_0):
    """gamma_0 (Mongillo et al. SOM): that fraction of the E->E synapses from non-selective cells at j_memory."""
    import brian2 as b2

    from snnmem.circuits.stp_memory.network import build

    spec = load_model(MODEL, dict(SMALL, **{"connectivity.nonselective_potentiated_fraction": gamma_0}))
    b2.start_scope()
    b2.set_device("runtime")
    b2.prefs.codegen.target = "numpy"
    b2.seed(4)
    built = build(spec, 4, stp.native_schedule(spec))
    b2.Network(*built.objects)  # owned by a network (Brian2 warns about objects that never were)
    ee = next(obj for obj in built.objects if obj.name == "ee_stp")
    memory = np.asarray(built.objects[0].memory[:])
    pre, post = np.asarray(ee.i[:]), np.asarray(ee.j[:])
    efficacy = np.asarray(ee.efficacy[:])
    potentiated = np.isclose(efficacy, float(spec["synapses.j_exc_to_exc_memory"]))
    n_memories = spec["network.n_memories"]
    from_nonselective = memory[pre] == n_memories
    within = (memory[pre] == memory[post]) & (memory[pre] < n_memories)
    assert potentiated[within].all()
    assert not potentiated[~within & ~from_nonselective].any()
    fraction = potentiated[from_nonselective].mean()
    assert fraction == pytest.approx(gamma_0, abs=0.03)  # ~20 k synapses from non-selective cells


def test_regime_names_the_cued_memorys_behaviour():
    from snnmem.validation.mongillo2008 import limits, persistent_checks, regime, uncued_active

    limit = limits()
    base = {"baseline_rate_cued_hz": 0.5, "spontaneous_rate_exc_hz": 0.4, "delay_rate_uncued_hz": 0.5}
    assert regime({**base, "delay_rate_cued_hz": 0.6, "delay_popspikes_cued": 0}, limit) == "decaying"
    assert regime({**base, "delay_rate_cued_hz": 8.0, "delay_popspikes_cued": 10}, limit) == "population spikes"
    persistent = {**base, "delay_rate_cued_hz": 12.0, "delay_popspikes_cued": 1}
    assert regime(persistent, limit) == "persistent asynchronous"
    assert all(persistent_checks(persistent, limit).values())
    assert regime({**base, "delay_rate_cued_hz": 3.0, "delay_popspikes_cued": 2}, limit) == "intermediate"
    active_before = {**base, "baseline_rate_cued_hz": 13.0, "delay_rate_cued_hz": 13.5, "delay_popspikes_cued": 0}
    assert regime(active_before, limit) == "intermediate"  # not activity-silent: active before the cue
    lost = {**base, "delay_rate_cued_hz": 0.4, "delay_popspikes_cued": 0, "delay_rate_uncued_hz": 3.0}
    assert regime(lost, limit) == "taken over"
    noisy = {**persistent, "delay_rate_uncued_hz": 2.0}  # an uncued memory joined in
    assert uncued_active(noisy, limit) and not persistent_checks(noisy, limit)["uncued_spontaneous"]


@pytest.mark.parametrize("tau_m, tau_syn", [(15e-3, 2e-3), (10e-3, 2e-3), (15e-3, 5e-3)])
def test_exponential_currents_keep_the_charge_or_the_peak_of_a_jump(tau_m, tau_syn):
    """synapses.tau_syn > 0: a current jump of J x psc_gain gives a PSP of integral J tau_m ('charge') or peak J."""
    from snnmem.circuits.stp_memory.parameters import psc_gain

    dt = 1e-6
    t = np.arange(0.0, 20 * tau_m, dt)
    for normalisation in ("charge", "peak"):
        current = psc_gain(tau_m, tau_syn, normalisation) * np.exp(-t / tau_syn)  # J = 1
        v = np.zeros_like(t)
        for n in range(1, t.size):  # tau_m dV/dt = -V + I, exponential Euler on a fine grid
            v[n] = v[n - 1] * np.exp(-dt / tau_m) + current[n - 1] * (1 - np.exp(-dt / tau_m))
        if normalisation == "charge":
            assert np.sum(v) * dt == pytest.approx(tau_m, rel=1e-3)
        else:
            assert v.max() == pytest.approx(1.0, rel=1e-3)
    assert psc_gain(tau_m, tau_syn, "charge") == pytest.approx(tau_m / tau_syn)


def test_regime_rows_label_every_finished_run_of_a_drive_sweep():
    from snnmem.validation.mongillo2008 import REGIME_SCORES, regime_rows

    scores = {  # three runs: periodic at 24 mV, silent at 22.8 mV, one that did not finish
        "baseline_rate_cued_hz": [0.7, 0.3, np.nan],
        "delay_rate_cued_hz": [8.1, 0.2, np.nan],
        "delay_rate_uncued_hz": [2.2, 0.2, np.nan],
        "delay_popspikes_cued": [10.0, 0.0, np.nan],
        "popspike_period_s": [0.285, np.nan, np.nan],
        "spontaneous_rate_exc_hz": [0.74, 0.27, np.nan],
    }
    assert set(scores) == set(REGIME_SCORES)
    index = {
        "seed": np.array([1, 2, 1]),
        "status": np.array(["done", "done", "failed"], dtype=object),
        "external.mu_exc_si": np.array([24e-3, 22.8e-3, 23e-3]),
        **{f"score.{key}": np.array(values) for key, values in scores.items()},
    }
    rows = regime_rows(index)
    assert [(r["drive_mv"], r["seed"], r["regime"]) for r in rows] == [
        (22.8, 2, "decaying"),
        (24.0, 1, "population spikes"),
    ]
    assert rows[1]["uncued_active"] and not rows[0]["uncued_active"]


def test_regime_figures_draw_one_cell_per_run_and_one_panel_per_variant():
    from matplotlib.patches import Rectangle

    from snnmem.plot.stp_regimes import regime_figure, variants_figure

    def row(drive, seed, name, uncued=False):
        return {"drive_mv": drive, "seed": seed, "regime": name, "uncued_active": uncued, "delay_rate_cued_hz": 1.0}

    default = [row(22.8, 1, "decaying"), row(23.0, 1, "population spikes"), row(22.8, 2, "decaying")]
    variant = [row(22.8, 1, "population spikes"), row(23.0, 1, "persistent asynchronous", uncued=True)]

    def cells(axis):
        return [patch for patch in axis.patches if isinstance(patch, Rectangle)]

    single = regime_figure(default, {"persistent asynchronous": 25.6})
    assert len(cells(single.axes[1])) == len(default)
    figure = variants_figure([("default", default), ("mu_inh 20.5 mV", variant)])
    assert [axis.get_title(loc="left") for axis in figure.axes] == ["default", "mu_inh 20.5 mV"]
    assert [len(cells(axis)) for axis in figure.axes] == [3, 2]
    assert [len(axis.get_yticks()) for axis in figure.axes] == [2, 1]  # one row per seed
    assert len([line for line in figure.axes[1].lines if line.get_marker() == "x"]) == 1
    with pytest.raises(ValueError, match="at least one variant"):
        variants_figure([])
