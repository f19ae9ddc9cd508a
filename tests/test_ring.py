"""The ring attractor end to end on a downsized network (fast), and the CLI."""

from __future__ import annotations

import numpy as np
import pytest

import snnmem
from snnmem.cli import main
from snnmem.config import load_model

from conftest import SMALL_RING, assert_same_spikes


@pytest.fixture(scope="module")
def small_run(compte_path):
    return snnmem.simulate(load_model(compte_path, SMALL_RING), seed=7)


def test_small_ring_runs_and_scores(small_run):
    run = small_run
    assert set(run.spikes) == {"exc", "inh"} and run.n_neurons == {"exc": 256, "inh": 64}
    for key in (
        "bump_peak_rate_hz",
        "background_rate_hz",
        "inhibitory_rate_hz",
        "decoded_angle_error_deg",
        "bump_persisted",
    ):
        assert np.isfinite(run.scores[key])
    ids, times = run.spikes["exc"]
    assert ids.dtype == np.uint32 and np.all(np.diff(times) >= 0) and times.max() < run.duration_s
    # the cue drives the cued neurons: during the cue they fire far above the far side of the ring
    cue = run.phase("cue")
    in_cue = (times >= cue.start_s) & (times < cue.stop_s)
    angle = ids[in_cue] * 360.0 / 256
    near = np.sum(np.abs(angle - 180.0) < 20.0) / (256 * 40 / 360)
    far = np.sum(np.abs(angle - 180.0) > 90.0) / (256 * 180 / 360)
    assert near > 5 * max(far, 0.1)
    assert run.provenance["circuit_fourier_modes"] > 0


def test_same_seed_same_spikes(compte_path, small_run):
    again = snnmem.simulate(load_model(compte_path, SMALL_RING), seed=7)
    for pop in ("exc", "inh"):
        np.testing.assert_array_equal(again.spikes[pop][0], small_run.spikes[pop][0])
        np.testing.assert_array_equal(again.spikes[pop][1], small_run.spikes[pop][1])
    other = snnmem.simulate(load_model(compte_path, SMALL_RING), seed=8)
    assert len(other.spikes["exc"][0]) != len(small_run.spikes["exc"][0]) or not np.array_equal(
        other.spikes["exc"][1], small_run.spikes["exc"][1]
    )


def test_fourier_equals_per_synapse(compte_path):
    """Same seed, both E->E implementations: identical spikes (the modes are exact to 1e-9)."""
    overrides = dict(
        SMALL_RING,
        **{
            "network.n_exc": 128,
            "network.n_inh": 32,
            "simulation.device": "runtime",
            "simulation.runtime_target": "numpy",
            "protocol.delay_duration": "200 ms",
            "protocol.score_offset": "50 ms",
            "protocol.score_window": "100 ms",
        },
    )
    runs = [
        snnmem.simulate(load_model(compte_path, dict(overrides, **{"connectivity.ee_implementation": impl})), seed=3)
        for impl in ("fourier", "per_synapse")
    ]
    assert_same_spikes(*runs, atol=1e-12)


def test_dense_kernel_equals_summed_synapses(compte_path, small_run):
    """cpp_standalone: the dense C++ kernel adds every term in the summed variables' order: same spikes."""
    assert small_run.provenance["circuit_ee_kernel"] == "dense"
    summed = snnmem.simulate(
        load_model(compte_path, dict(SMALL_RING, **{"connectivity.ee_implementation": "fourier_synapses"})), seed=7
    )
    assert summed.provenance["circuit_ee_kernel"] == "synapses"
    assert_same_spikes(small_run, summed)


def test_runtime_device_runs_fourier_through_summed_synapses(compte_path):
    """The runtime device cannot call the C++ kernel: it sums through Synapses, and says so."""
    model = load_model(
        compte_path,
        dict(SMALL_RING, **{"protocol.delay_duration": "800 ms", "simulation.runtime_target": "numpy"}),
    )
    run = snnmem.simulate(model, seed=3, device="runtime")
    assert run.provenance["circuit_ee_kernel"] == "synapses"
    assert run.model["simulation.device"] == "runtime"  # the run file records the device used


def _set_args():
    return [arg for key, value in SMALL_RING.items() for arg in ("--set", f"{key}={value}")]


def test_cli_run_info_plot(tmp_path, compte_path, capsys):
    out = tmp_path / "ring.h5"
    assert main(["run", str(compte_path), "--out", str(out), "--seed", "7", *_set_args()]) == 0
    printed = capsys.readouterr().out
    assert "bump_peak_rate_hz" in printed and out.exists() and out.with_suffix(".png").exists()
    assert main(["info", str(out)]) == 0
    info = capsys.readouterr().out
    assert info.index("scores:") < info.index("spikes:")
    pdf = tmp_path / "fig.pdf"
    assert main(["plot", str(out), "--out", str(pdf)]) == 0
    data = pdf.read_bytes()
    # fonttype 42: TrueType outlines (CIDFontType2 or TrueType), never Type 3 bitmaps: text stays editable
    assert data.startswith(b"%PDF") and (b"CIDFontType2" in data or b"/TrueType" in data)
    assert b"/Type3" not in data


def test_cli_errors_name_the_problem_and_keep_files(tmp_path, compte_path, capsys):
    out = tmp_path / "keep.h5"
    out.write_bytes(b"precious")
    code = main(["run", str(compte_path), "--out", str(out), "--set", "protocol.delay_duration=3 mV"])
    assert code == 2 and out.read_bytes() == b"precious"
    assert "protocol.delay_duration" in capsys.readouterr().err
    assert main(["run", str(tmp_path / "missing.toml")]) == 2
    assert "missing.toml" in capsys.readouterr().err
    assert main(["run", str(compte_path), "--set", "nonsense"]) == 2
    assert main(["info", str(tmp_path / "none.h5")]) == 2
    assert "none.h5" in capsys.readouterr().err
    assert main(["run", str(compte_path), "--seed", "-4", "--out", str(out)]) == 2
    assert out.read_bytes() == b"precious"


def test_cli_validate_list_shows_citations(capsys):
    assert main(["validate", "--list"]) == 0
    listing = capsys.readouterr().out
    for name, fragment in (("compte2000", "Cereb Cortex"), ("sjostrom2001", "Sj"), ("bipoo1998", "Bi")):
        assert name in listing and fragment in listing
    assert main(["validate", "no_such_check"]) == 2


def test_ring_figure_title_in_words_and_cue_marked_on_the_heat_map(small_run):
    from snnmem.plot.ring import ring_figure

    figure = ring_figure(small_run)
    title = figure.axes[0].get_title()
    held = small_run.scores["bump_persisted"] >= 1
    assert ("bump held through the delay" if held else "bump lost in the delay") in title
    assert "persisted" not in title
    heat_map = figure.axes[1]
    cue = small_run.phase("cue")
    edges = sorted(line.get_xdata()[0] for line in heat_map.lines)
    assert edges == [cue.start_s, cue.stop_s] and any(t.get_text().strip() == "cue" for t in heat_map.texts)
