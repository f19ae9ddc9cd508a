"""Faults and bad input (issue 13): each case with its exact input, exit status, one-line message, and
the pre-existing file left byte-identical.

Covered so far: (1) an interrupted simulation, (2) quantity texts that made parsing hang or recurse,
(3) model names used in paths, (4) values valid alone that failed or ran for ever after compiling.
The other findings of issue 13 are listed in the issue's note.
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

import snnmem
from snnmem.cli import main
from snnmem.config import load_model
from snnmem.errors import ConfigError, SimulationInterrupted
from snnmem.units import UnitParseError, parse_quantity

ROOT = Path(__file__).resolve().parents[1]
BW = ROOT / "models" / "brunel_wang2001.toml"
#: a small Brunel-Wang network (compiles in about 20 s)
SMALL_BW = ["--set", "network.n_exc=200", "--set", "network.n_inh=50"]


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def good_file(tmp_path) -> Path:
    """An existing result where the command will write: it must come out unchanged."""
    path = tmp_path / "existing.h5"
    path.write_bytes(b"an earlier good result\n" * 100)
    return path


def _one_line_error(capsys, *fragments: str) -> str:
    """The command's stderr ends in exactly one ``snnmem <command>: ...`` line holding every fragment.

    (Progress lines such as ``simulating ... `` may come before it; a traceback may not.)
    """
    err = capsys.readouterr().err.strip()
    assert "Traceback" not in err, err
    lines = err.splitlines()
    problems = [line for line in lines if line.startswith("snnmem ")]
    assert len(problems) == 1 and lines[-1] == problems[0], err
    for fragment in fragments:
        assert fragment in problems[0], err
    return problems[0]


# ----------------------------------------------------------------------------- (2) quantity texts
HANGING = ["1 9**9**9", "1 s * 10**100000000", "1 " + "* ms / ms " * 2000, "1 ((((99999999**8)**8)**8)**8)**8"]


@pytest.mark.parametrize("text", HANGING)
def test_a_quantity_text_cannot_hang_or_recurse(text):
    with pytest.raises(UnitParseError):
        parse_quantity(text)


def test_quantity_bounds_keep_ordinary_units():
    assert float(parse_quantity("1 ms**-1")) == pytest.approx(1000.0)
    assert float(parse_quantity("2 mV**2")) == pytest.approx(2e-6)
    assert float(parse_quantity("0.062 / mV")) == pytest.approx(62.0)
    for text in ("1 mV / 0", "1 ms**9", "1 ms**0.5"):
        with pytest.raises(UnitParseError):
            parse_quantity(text)


@pytest.mark.parametrize("text", HANGING[:2])
def test_hanging_quantity_in_set_fails_at_load_naming_the_key(text, good_file, capsys):
    status = main(["run", str(BW), "--set", f"protocol.cue_duration={text}", "--out", str(good_file), "--no-plot"])
    assert status == 2
    _one_line_error(capsys, "protocol.cue_duration")
    assert good_file.read_bytes() == b"an earlier good result\n" * 100


def test_hanging_quantity_in_a_model_file_and_a_grid(tmp_path, good_file, capsys):
    text = BW.read_text().replace('cue_duration = "', 'cue_duration = "1 9**9**9" # "', 1)
    model = tmp_path / "bad.toml"
    model.write_text(text)
    assert main(["run", str(model), "--out", str(good_file), "--no-plot"]) == 2
    _one_line_error(capsys, "cue_duration")
    out = tmp_path / "sweep"
    assert main(["sweep", str(BW), "--grid", "protocol.cue_duration=1 9**9**9,250 ms", "--out", str(out)]) == 2
    _one_line_error(capsys, "cue_duration")
    assert not out.exists() or not any(out.glob("*.h5"))


def test_hanging_quantity_in_a_run_files_model():
    """The model stored in a run file is read by spec_from_toml: a crafted text there is refused, not hung on."""
    from snnmem.config import spec_from_toml

    toml = load_model(BW).to_toml().replace('cue_duration = "250 ms"', 'cue_duration = "1 9**9**9"')
    assert '"1 9**9**9"' in toml
    with pytest.raises(ConfigError, match="cue_duration"):
        spec_from_toml(toml)


# ----------------------------------------------------------------------------- (4) values that pass alone
@pytest.mark.parametrize(
    "key, value, fragment",
    [
        ("simulation.dt", "1e-300 s", "simulation.dt"),
        ("simulation.rate_bin", "1e-12 s", "simulation.rate_bin"),
        ("protocol.delay1_duration", "1e9 s", "simulation.max_steps"),
        ("network.n_exc", 10**12, "simulation.max_neurons"),
    ],
)
def test_values_that_would_fail_after_compiling_fail_at_load(key, value, fragment, good_file, capsys):
    with pytest.raises(ConfigError, match=fragment.replace(".", r"\.")):
        load_model(BW, {key: value})
    assert main(["run", str(BW), "--set", f"{key}={value}", "--out", str(good_file), "--no-plot"]) == 2
    _one_line_error(capsys, fragment)
    assert good_file.read_bytes() == b"an earlier good result\n" * 100


def test_a_network_too_large_for_memory_is_refused_at_load():
    model = ROOT / "models" / "assemblies.toml"
    with pytest.raises(ConfigError, match=r"8.04e\+09 synapses, about 479 GiB, more than simulation.max_memory_gib"):
        load_model(model, {"network.n_exc": 200_000})
    assert load_model(model, {"network.n_exc": 200_000, "simulation.max_memory_gib": 1000.0})


def test_a_huge_run_is_allowed_when_asked_for():
    spec = load_model(BW, {"protocol.delay1_duration": "5e4 s", "simulation.max_steps": 10**10})
    assert float(spec["protocol.delay1_duration"]) == 5e4


def test_a_protocol_too_short_for_its_scores_is_refused_at_load(compte_path):
    with pytest.raises(ConfigError, match="protocol.delay_duration .* no delay window would be scored"):
        load_model(compte_path, {"protocol.delay_duration": "500 ms"})


# ----------------------------------------------------------------------------- (3) names in paths
@pytest.mark.parametrize("name", ["../../etc/x", "a/b", "x" * 300, ".hidden", "with space", ""])
def test_model_names_are_safe_path_parts(name, tmp_path, monkeypatch, capsys):
    work = tmp_path / "a" / "b"
    work.mkdir(parents=True)
    model = work / "named.toml"
    model.write_text(BW.read_text().replace('name = "brunel_wang2001"', f'name = "{name}"', 1))
    with pytest.raises(ConfigError, match="model.name"):
        load_model(model)
    monkeypatch.chdir(work)  # the default run file would go to runs/<name>_seed0.h5 from here
    assert main(["run", str(model), "--no-plot"]) == 2
    _one_line_error(capsys, "model.name")
    assert [p.name for p in tmp_path.rglob("*")] == ["a", "b", "named.toml"]  # nothing written, here or above


def test_ordinary_model_names_still_load(tmp_path):
    for name in ("brunel_wang2001", "ring-2.0", "A1"):
        model = tmp_path / f"{name}.toml"
        model.write_text(BW.read_text().replace('name = "brunel_wang2001"', f'name = "{name}"', 1))
        assert load_model(model).name == name


# ----------------------------------------------------------------------------- (1) interrupted simulation
@pytest.mark.slow
def test_a_stopped_binary_is_an_interruption_not_a_short_run(monkeypatch, good_file, capsys):
    """Brian2's binary stops early on SIGINT and exits 0; the run must not be scored or written."""
    import snnmem.simulation as simulation

    monkeypatch.setattr(simulation, "last_run_completed_fraction", lambda device: 0.05)
    with pytest.raises(SimulationInterrupted, match="stopped at"):
        snnmem.simulate(load_model(BW, {"network.n_exc": 200, "network.n_inh": 50}), seed=1)
    status = main(["run", str(BW), *SMALL_BW, "--out", str(good_file), "--no-plot"])
    assert status == 130
    _one_line_error(capsys, "interrupted", "nothing was scored or written")
    assert good_file.read_bytes() == b"an earlier good result\n" * 100


def _children(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def _descendant_named(pid: int, name: str) -> int | None:
    """A process called ``name`` among ``pid``'s descendants (breadth first), or None.

    Processes may end while they are looked at (a compiler finishing): those are skipped.
    """
    queue = [pid]
    while queue:
        for child in _children(queue.pop(0)):
            try:
                comm = Path(f"/proc/{child}/comm").read_text().strip()
            except OSError:  # the process ended meanwhile
                continue
            if comm == name:
                return child
            queue.append(child)
    return None


@pytest.mark.slow
@pytest.mark.parametrize(
    "stage, target, status",
    [("main", "child", 130), ("make", "child", 130), ("main", "snnmem", 143)],
    ids=["sigint-to-binary", "sigint-to-compiler", "sigterm-to-snnmem"],
)
def test_signals_during_compilation_and_simulation(stage, target, status, good_file, tmp_path):
    """SIGINT to the compiler or the simulator binary (as Ctrl-C delivers it to them) and SIGTERM to snnmem:
    exit 130 / 143, one line, the existing file byte-identical."""
    digest = _digest(good_file)
    # a real compilation to interrupt, also where a compiler cache (CI's ccache) already holds this build
    env = {**os.environ, "SNNMEM_CACHE_DIR": str(tmp_path / "cache"), "CCACHE_DISABLE": "1"}
    command = [sys.executable, "-m", "snnmem.cli", "run", str(BW), *SMALL_BW, "--no-plot"]
    command += ["--set", "protocol.delay1_duration=30 s", "--out", str(good_file)]
    process = subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True)
    found = None
    while process.poll() is None and found is None:  # poll until the compiler / the binary runs
        found = _descendant_named(process.pid, stage)
        time.sleep(0.1)
    assert found is not None, process.communicate()[1]
    if target == "child":
        os.kill(found, signal.SIGINT)
    else:
        process.send_signal(signal.SIGTERM)
    err = process.communicate()[1]
    assert process.returncode == status, err
    assert "interrupted" in err or "terminated" in err, err
    assert "Traceback" not in err, err
    assert _digest(good_file) == digest


# ----------------------------------------------------------------------------- (6) stale temporary files
def test_stale_temporaries_of_a_killed_write_are_removed_by_the_next_write(compte_path, tmp_path):
    import socket

    from test_runfile import make_run

    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead_pid = int(finished.stdout)  # a process that has exited: its write can never complete
    host = socket.gethostname()
    stale = tmp_path / f".run.h5.{host}.{dead_pid}.k3j2.tmp"
    live = tmp_path / f".run.h5.{host}.{os.getppid()}.q9z1.tmp"  # a running process: maybe still writing
    other = tmp_path / f".other.h5.{host}.{dead_pid}.a1b2.tmp"  # another file's: not ours to judge
    for path in (stale, live, other):
        path.write_bytes(b"partial")
    make_run(compte_path).save(tmp_path / "run.h5")
    assert not stale.exists() and live.exists() and other.exists()
    assert snnmem.open_run(tmp_path / "run.h5").seed == 3


@pytest.mark.parametrize(
    "dataset, value, message",
    [
        ("node_ids", 10**6, "ids must lie in"),
        ("timestamps", float("nan"), "not finite"),
        ("timestamps", -5.0, "sorted"),
    ],
)
def test_open_run_checks_spike_values(compte_path, tmp_path, dataset, value, message):
    import h5py

    from snnmem.errors import RunFileError
    from test_runfile import make_run

    path = make_run(compte_path).save(tmp_path / "run.h5")
    with h5py.File(path, "r+") as h5:
        data = h5[f"spikes/exc/{dataset}"]
        values = data[()]
        values[len(values) // 2] = value
        del h5[f"spikes/exc/{dataset}"]
        h5.create_dataset(f"spikes/exc/{dataset}", data=values)
    with pytest.raises(RunFileError, match=message):
        snnmem.open_run(path)


# ----------------------------------------------------------------------------- (5, 6) damaged run files
def _small_file(compte_path, tmp_path, n_spikes=400):
    from test_runfile import make_run

    run = make_run(compte_path, n_spikes=n_spikes)
    return run, run.save(tmp_path / "run.h5")


def test_flipped_bytes_in_a_dataset_are_detected(compte_path, tmp_path):
    from snnmem.errors import RunFileError

    run, path = _small_file(compte_path, tmp_path)
    data = bytearray(path.read_bytes())
    stored = np.asarray(run.spikes["exc"][1], dtype=np.float64).tobytes()  # spikes are stored without deflate (SONATA)
    offset = data.find(stored)
    assert offset > 0
    data[offset + len(stored) // 2] ^= 0x10
    path.write_bytes(bytes(data))
    with pytest.raises(RunFileError, match="corrupt"):
        snnmem.open_run(path)
    assert main(["info", str(path)]) == 2


def test_an_edited_score_or_a_missing_part_is_detected(compte_path, tmp_path, capsys):
    import h5py

    from snnmem.errors import RunFileError

    _, path = _small_file(compte_path, tmp_path)
    with h5py.File(path, "r+") as h5:
        key = sorted(h5["scores"].attrs)[0]
        h5["scores"].attrs[key] = h5["scores"].attrs[key] + 1.0
    with pytest.raises(RunFileError, match="digest"):
        snnmem.open_run(path)
    _, path = _small_file(compte_path, tmp_path)
    with h5py.File(path, "r+") as h5:
        name = sorted(h5["rates"])[0]
        del h5[f"rates/{name}"]
    with pytest.raises(RunFileError, match=f"missing /rates/{name}"):
        snnmem.open_run(path)
    assert main(["info", str(path)]) == 2
    _one_line_error(capsys, f"missing /rates/{name}")


def test_a_malformed_protocol_table_is_a_run_file_error(compte_path, tmp_path):
    import h5py

    from snnmem.errors import RunFileError

    _, path = _small_file(compte_path, tmp_path)
    with h5py.File(path, "r+") as h5:
        del h5["protocol"]
        h5.create_dataset("protocol", data=np.zeros(3))
    with pytest.raises(RunFileError):
        snnmem.open_run(path)


# ----------------------------------------------------------------------------- (5, 6) sweeps and the cache
def _started_sweep(tmp_path) -> tuple[Path, list[str]]:
    """A sweep folder as an interrupted `snnmem sweep` leaves it: an index, one finished run file."""
    from snnmem.sweeps import make_spec
    from snnmem.sweeps.index import write_index

    out = tmp_path / "sweep"
    spec = make_spec(BW, ["protocol.cue_rate=1 kHz,2 kHz"], seeds=(0,), out=out)
    points = spec.points()
    out.mkdir()
    (out / points[0].file).write_bytes(b"a finished run")
    write_index(spec, points, {0: {"status": "done", "scores": {}, "compiled": 1, "wall_s": 1.0}}, "interrupted")
    return out, [p.file for p in points]


def test_resume_with_changed_settings_is_refused(tmp_path, capsys):
    out, files = _started_sweep(tmp_path)
    before = {name: _digest(out / name) for name in ("index.h5", "index.csv", files[0])}
    args = ["sweep", str(BW), "--grid", "protocol.cue_rate=1 kHz,3 kHz", "--out", str(out), "--resume"]
    assert main(args) == 2
    _one_line_error(capsys, "grid changed", "overwrite")
    assert {name: _digest(out / name) for name in before} == before


def test_overwrite_removes_the_old_sweep(tmp_path):
    from snnmem.sweeps.engine import _remove_sweep

    out, files = _started_sweep(tmp_path)
    (out / "notes.txt").write_text("mine")
    _remove_sweep(out)
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt"]  # only the sweep's own files went


def test_sweep_out_naming_a_file_and_a_damaged_index(tmp_path, good_file, capsys):
    assert main(["sweep", str(BW), "--grid", "protocol.cue_rate=1 kHz,2 kHz", "--out", str(good_file)]) == 2
    _one_line_error(capsys, "is a file")
    assert good_file.read_bytes() == b"an earlier good result\n" * 100
    out, _ = _started_sweep(tmp_path)
    index = out / "index.h5"
    index.write_bytes(index.read_bytes()[:200])  # truncated, as by a full disk
    with pytest.raises(snnmem.errors.SnnmemError, match="damaged sweep index"):
        snnmem.read_index(out)
    assert main(["sweep", str(BW), "--grid", "protocol.cue_rate=1 kHz,2 kHz", "--out", str(out), "--resume"]) == 2
    _one_line_error(capsys, "damaged sweep index")


def test_an_unwritable_cache_is_an_environment_failure(tmp_path, monkeypatch, good_file, capsys):
    blocked = tmp_path / "cache"
    blocked.write_text("a file where the cache folder should be")
    monkeypatch.setenv("SNNMEM_CACHE_DIR", str(blocked / "inside"))
    assert main(["run", str(BW), *SMALL_BW, "--out", str(good_file), "--no-plot"]) == 1
    _one_line_error(capsys, "build cache", "SNNMEM_CACHE_DIR")
    assert good_file.read_bytes() == b"an earlier good result\n" * 100


@pytest.mark.slow
def test_an_unreachable_scheduler_is_an_environment_failure(tmp_path, capsys):
    args = ["sweep", str(BW), *SMALL_BW, "--grid", "protocol.cue_rate=1 kHz,2 kHz", "--out", str(tmp_path / "s")]
    assert main([*args, "--cluster", "tcp://127.0.0.1:9"]) == 1
    _one_line_error(capsys, "cannot reach the Dask scheduler")


@pytest.mark.slow
def test_a_damaged_cached_binary_is_rebuilt(tmp_path, monkeypatch):
    monkeypatch.setenv("SNNMEM_CACHE_DIR", str(tmp_path / "cache"))
    model = load_model(BW, {"network.n_exc": 200, "network.n_inh": 50})
    first = snnmem.simulate(model, seed=1)
    (binary,) = (tmp_path / "cache").rglob("main")
    binary.write_bytes(b"#!/bin/sh\nexit 3\n")  # a damaged binary: make will not relink it (it is newer)
    again = snnmem.simulate(model, seed=1)
    np.testing.assert_array_equal(first.spikes["exc"][1], again.spikes["exc"][1])


# ----------------------------------------------------------------------------- (6) typos in [expected]
def test_every_shipped_expected_key_is_read_by_a_validation():
    from snnmem.validation._common import EXPECTED_KEYS, check_expected_keys

    for name in EXPECTED_KEYS:
        check_expected_keys(load_model(ROOT / "models" / f"{name}.toml"))


def test_a_misspelt_expected_key_fails_the_validation(tmp_path):
    from snnmem.validation._common import expected_range

    model = tmp_path / "brunel_wang2001.toml"
    model.write_text(BW.read_text().replace("reset_success =", "reset_sucess =", 1))
    with pytest.raises(ConfigError, match="'reset_sucess'.*did you mean 'reset_success'"):
        expected_range(load_model(model), "two_item_lifetime_s")


def test_a_failing_command_leaves_no_brian2_debug_files(tmp_path):
    private_tmp = tmp_path / "tmp"  # Brian2 writes its debug files to the temp folder: give the command its own
    private_tmp.mkdir()
    (tmp_path / "file").write_text("not a folder")
    env = {**os.environ, "SNNMEM_CACHE_DIR": str(tmp_path / "file" / "x"), "TMPDIR": str(private_tmp)}
    result = subprocess.run(
        [sys.executable, "-m", "snnmem.cli", "run", str(BW), *SMALL_BW, "--out", str(tmp_path / "r.h5")],
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert [p.name for p in private_tmp.iterdir() if p.name.startswith("brian")] == []


@pytest.mark.slow
def test_sigterm_of_a_sweep_records_its_state(tmp_path):
    import h5py

    out = tmp_path / "sweep"
    env = {**os.environ, "SNNMEM_CACHE_DIR": str(tmp_path / "cache")}
    command = [sys.executable, "-m", "snnmem.cli", "sweep", str(BW), *SMALL_BW, "--out", str(out)]
    command += ["--grid", "protocol.cue_rate=1 kHz,2 kHz,3 kHz", "--seeds", "0-3", "--workers", "1", "--no-progress"]
    process = subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True)
    while process.poll() is None and not (out / "index.csv").exists():  # poll until the sweep has started
        time.sleep(0.2)
    process.send_signal(signal.SIGTERM)
    err = process.communicate()[1]
    assert process.returncode == 143, err
    assert "terminated" in err and "Traceback" not in err, err
    with h5py.File(out / "index.h5") as h5:
        assert h5.attrs["state"] == "interrupted"


@pytest.fixture
def full_disk(tmp_path):
    """A 64 kB tmpfs (needs the right to mount: root, as in CI; otherwise the test is reported skipped)."""
    mount_point = tmp_path / "full"
    mount_point.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount_point)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", str(mount_point)], check=True)


def test_a_full_disk_leaves_the_earlier_file(compte_path, full_disk):
    from snnmem.errors import EnvironmentFailure
    from test_runfile import make_run

    existing = full_disk / "run.h5"
    existing.write_bytes(b"an earlier good result\n" * 100)
    with pytest.raises(EnvironmentFailure, match="No space left on device"):
        make_run(compte_path, n_spikes=50_000).save(existing)
    assert existing.read_bytes() == b"an earlier good result\n" * 100
    assert [p.name for p in full_disk.iterdir()] == ["run.h5"]  # no temporary file left


def test_a_file_name_too_long_fails_before_simulating(tmp_path, capsys):
    out = tmp_path / ("x" * 300 + ".h5")
    assert main(["run", str(BW), *SMALL_BW, "--out", str(out), "--no-plot"]) == 2
    _one_line_error(capsys, "too long")
    assert "simulating" not in capsys.readouterr().err


@pytest.mark.slow
def test_sigterm_in_the_python_api_stops_the_binary_too(tmp_path):
    """Without the CLI, SIGTERM during simulate() unwinds like Ctrl-C: no orphaned simulator binary is left."""
    script = (
        "import snnmem\n"
        f"model = snnmem.load_model({str(BW)!r}, {{'network.n_exc': 200, 'network.n_inh': 50, "
        "'protocol.delay1_duration': '30 s'})\n"
        "snnmem.simulate(model, seed=1)\n"
    )
    env = {**os.environ, "SNNMEM_CACHE_DIR": str(tmp_path / "cache")}
    process = subprocess.Popen([sys.executable, "-c", script], env=env, stderr=subprocess.PIPE, text=True)
    binary = None
    while process.poll() is None and binary is None:  # poll until the compiled binary runs
        binary = _descendant_named(process.pid, "main")
        time.sleep(0.1)
    assert binary is not None, process.communicate()[1]
    process.send_signal(signal.SIGTERM)
    err = process.communicate()[1]
    assert process.returncode == -signal.SIGINT, (process.returncode, err)  # unwound as a KeyboardInterrupt
    stat = Path(f"/proc/{binary}/stat")
    state = stat.read_text().split(")")[-1].split()[0] if stat.exists() else "gone"
    assert state in ("gone", "Z", "X"), f"the simulator binary {binary} still runs (state {state})"


def test_mongillos_delay_must_outlast_its_score_offset():
    model = ROOT / "models" / "mongillo2008.toml"
    with pytest.raises(ConfigError, match="delay_duration = 0.4 s is not longer than protocol.delay_score_offset"):
        load_model(model, {"protocol.delay_duration": "400 ms"})
