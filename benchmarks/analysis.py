"""Benchmark of snnmem.analysis against the best vectorised numpy and against Elephant.

Usage::

    python benchmarks/analysis.py           # full run (about 3-5 minutes on 2 cores), writes the report
    python benchmarks/analysis.py --quick   # 1e5 and 1e6 spikes only, fewer repeats

Writes ``benchmarks/analysis_report.md`` (or ``--out``). Every time is the best
of a few repeats after one warm-up call; first-call (JIT) times are measured in
fresh subprocesses, with an empty numba cache (compilation) and with the cache
that run left behind (cache loading). Ratios compare numbers measured in this
same run on this same machine. A script, not a test.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import tempfile
import textwrap
import time
import warnings
from pathlib import Path
from typing import Callable

import numba
import numpy as np

import snnmem.analysis as analysis
from snnmem.analysis import reference

HERE = Path(__file__).resolve().parent
N_PATTERNS = 10
N_BINS = 1000
RATE_HZ = 10.0


# ----------------------------------------------------------------------------- timing helpers
#: Wall-clock budget per measurement: calls are repeated until it is spent (at least `repeats` calls).
MEASURE_BUDGET_S = 0.4
MAX_REPEATS = 15


def best_time(function: Callable[[], object], repeats: int) -> float:
    """Best wall time over repeated calls after one warm-up call, seconds.

    Repeats at least ``repeats`` times and until MEASURE_BUDGET_S is spent (at
    most MAX_REPEATS), so short kernels get many tries on a noisy, shared machine.
    The matching best process CPU time is kept in CPU_TIMES (see ``cpu_of``).
    """
    function()
    walls, cpus = [], []
    spent = 0.0
    while len(walls) < repeats or (spent < MEASURE_BUDGET_S and len(walls) < MAX_REPEATS):
        cpu_start = time.process_time()
        start = time.perf_counter()
        function()
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu_start)
        spent += walls[-1]
    LAST_CPU[0] = min(cpus)
    return min(walls)


LAST_CPU = [float("nan")]


def once(function: Callable[[], object]) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def fmt_time(seconds: float) -> str:
    if seconds != seconds:
        return "n/a"
    if seconds < 1e-3:
        return f"{seconds * 1e6:.0f} µs"
    if seconds < 1.0:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds:.2f} s"


def fmt_ratio(value: float) -> str:
    return "n/a" if value != value else f"{value:.1f}x"


def copy_bandwidth() -> float:
    """Memory bandwidth in bytes/s from np.copyto of 256 MB (bytes read + bytes written)."""
    source = np.ones(32 * 1024 * 1024)
    target = np.empty_like(source)
    seconds = best_time(lambda: np.copyto(target, source), 5)
    return 2 * source.nbytes / seconds


# ----------------------------------------------------------------------------- data
@numba.njit(cache=False)
def _read_only_pass(ids, times):
    """Sum every id and time: the least work any kernel reading the spikes can do."""
    total = 0.0
    for k in range(times.size):
        total += times[k] + ids[k]
    return total


def make_spikes(n_spikes: int, n_neurons: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray, float]:
    """Poisson-like spikes of ``n_neurons`` at RATE_HZ, sorted by time (the run-file layout)."""
    rng = np.random.default_rng(seed)
    duration = n_spikes / (n_neurons * RATE_HZ)
    ids = rng.integers(0, n_neurons, n_spikes).astype(np.uint32)
    times = np.sort(rng.uniform(0.0, duration, n_spikes))
    return ids, times, duration


def elephant_trains(ids: np.ndarray, times: np.ndarray, n_neurons: int, t_stop: float) -> list:
    import neo

    order = np.argsort(ids, kind="stable")
    bounds = np.searchsorted(ids[order], np.arange(n_neurons + 1))
    sorted_times = times[order]
    return [
        neo.SpikeTrain(np.sort(sorted_times[bounds[u] : bounds[u + 1]]), units="s", t_start=0.0, t_stop=t_stop)
        for u in range(n_neurons)
    ]


# ----------------------------------------------------------------------------- JIT
JIT_SCRIPT = textwrap.dedent(
    """
    import json, time, numpy as np
    t0 = time.perf_counter()
    import snnmem.analysis as a
    result = {"import": time.perf_counter() - t0}
    rng = np.random.default_rng(0)
    ids = rng.integers(0, 20, 500).astype(np.uint32)
    times = np.sort(rng.uniform(0, 5, 500))
    patterns = np.where(rng.random((3, 20)) < 0.5, 1, -1)
    calls = [
        ("bin_spikes", lambda: a.bin_spikes(ids, times, 20, 0.0, 5.0, 0.1)),
        ("neuron_rates", lambda: a.neuron_rates(ids, times, 20, 0.0, 5.0)),
        ("group_rates", lambda: a.group_rates(ids, times, np.eye(20, dtype=bool)[:4], 0.0, 5.0, 0.1)),
        ("population_rate", lambda: a.population_rate(ids, times, 20, 0.0, 5.0, 0.1)),
        ("population_vector_angle", lambda: a.population_vector_angle(a.bin_spikes(ids, times, 20, 0.0, 5.0, 0.1), a.preferred_angles(20))),
        ("overlap_pm1", lambda: a.overlap_pm1(a.bin_spikes(ids, times, 20, 0.0, 5.0, 0.1), patterns)),
        ("pattern_correlation", lambda: a.pattern_correlation(a.bin_spikes(ids, times, 20, 0.0, 5.0, 0.1), patterns)),
        ("spike_overlaps", lambda: a.spike_overlaps(ids, times, patterns, 0.0, 5.0, 0.1)),
        ("van_rossum_matrix", lambda: a.van_rossum_matrix(ids, times, 20, 0.01)),
        ("victor_purpura_matrix", lambda: a.victor_purpura_matrix(ids, times, 20, 10.0)),
        ("ring_bump_scores", lambda: a.ring_bump_scores(ids, times, 20, ids, times, 20, 0.0, 0.25, 5.0)),
    ]
    for name, call in calls:
        t0 = time.perf_counter(); call(); first = time.perf_counter() - t0
        t0 = time.perf_counter(); call(); second = time.perf_counter() - t0
        result[name] = [first, second]
    print(json.dumps(result))
    """
)


def jit_times(cache_dir: str) -> dict:
    env = dict(os.environ, NUMBA_CACHE_DIR=cache_dir)
    out = subprocess.run([sys.executable, "-c", JIT_SCRIPT], env=env, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


# ----------------------------------------------------------------------------- spike-stream benchmarks
def bench_spike_stream(n_spikes: int, n_neurons: int, repeats: int, elephant_limit: int) -> dict:
    """Times (s) of every spike-stream kernel, its numpy reference and Elephant's route."""
    ids, times, duration = make_spikes(n_spikes, n_neurons)
    width = duration / N_BINS
    rng = np.random.default_rng(1)
    patterns = np.where(rng.random((N_PATTERNS, n_neurons)) < 0.5, 1, -1).astype(np.int8)
    groups = (np.arange(n_neurons)[None, :] * 10 // n_neurons) == np.arange(10)[:, None]
    counts = analysis.bin_spikes(ids, times, n_neurons, 0.0, duration, width)
    theta = analysis.preferred_angles(n_neurons)
    r: dict = {"n_spikes": n_spikes, "n_neurons": n_neurons, "n_bins": counts.shape[1]}

    def rep(function):
        return best_time(function, repeats)

    ref_repeats = max(1, repeats - 1)
    r["read_only_pass"] = rep(lambda: _read_only_pass(ids, times))
    r["bin_spikes"] = rep(lambda: analysis.bin_spikes(ids, times, n_neurons, 0.0, duration, width))
    r["bin_spikes_ref"] = best_time(
        lambda: reference.bin_spikes_reference(ids, times, n_neurons, 0.0, duration, width), ref_repeats
    )
    shuffled = np.random.default_rng(2).permutation(n_spikes)
    ids_u, times_u = ids[shuffled], times[shuffled]
    r["bin_spikes_unsorted"] = rep(lambda: analysis.bin_spikes(ids_u, times_u, n_neurons, 0.0, duration, width))
    r["overlap_pm1"] = rep(lambda: analysis.overlap_pm1(counts, patterns))
    r["overlap_pm1_ref"] = best_time(lambda: reference.overlap_pm1_reference(counts, patterns), ref_repeats)
    r["spike_overlaps"] = rep(lambda: analysis.spike_overlaps(ids, times, patterns, 0.0, duration, width))
    r["spike_overlaps_cpu"] = LAST_CPU[0]
    r["pipeline_dense"] = rep(
        lambda: analysis.overlap_pm1(analysis.bin_spikes(ids, times, n_neurons, 0.0, duration, width), patterns)
    )
    r["pipeline_dense_cpu"] = LAST_CPU[0]
    r["pipeline_ref"] = best_time(
        lambda: reference.overlap_pm1_reference(
            reference.bin_spikes_reference(ids, times, n_neurons, 0.0, duration, width), patterns
        ),
        ref_repeats,
    )
    r["pipeline_ref_cpu"] = LAST_CPU[0]
    r["population_rate"] = rep(lambda: analysis.population_rate(ids, times, n_neurons, 0.0, duration, width))
    r["population_rate_ref"] = best_time(
        lambda: reference.population_rate_reference(ids, times, n_neurons, 0.0, duration, width), ref_repeats
    )
    r["group_rates"] = rep(lambda: analysis.group_rates(ids, times, groups, 0.0, duration, width))
    r["group_rates_ref"] = best_time(
        lambda: reference.group_rates_reference(ids, times, groups, 0.0, duration, width), ref_repeats
    )
    r["neuron_rates"] = rep(lambda: analysis.neuron_rates(ids, times, n_neurons, 0.0, duration))
    r["neuron_rates_ref"] = best_time(
        lambda: reference.neuron_rates_reference(ids, times, n_neurons, 0.0, duration), ref_repeats
    )
    r["population_vector_angle"] = rep(lambda: analysis.population_vector_angle(counts, theta))
    r["population_vector_angle_ref"] = best_time(
        lambda: reference.population_vector_angle_reference(counts, theta), ref_repeats
    )
    # Elephant's route: SpikeTrains -> BinnedSpikeTrain -> dense array -> pattern matrix product.
    r.update(bench_elephant_binning(ids, times, n_neurons, duration, width, patterns, elephant_limit))
    return r


def bench_elephant_binning(ids, times, n_neurons, duration, width, patterns, elephant_limit) -> dict:
    import quantities as pq
    from elephant.conversion import BinnedSpikeTrain

    scale = 1.0
    sub_neurons = n_neurons
    if ids.size > elephant_limit:  # a neuron subset with the same rates, window and bins; scaled linearly
        scale = ids.size / elephant_limit
        sub_neurons = int(round(n_neurons / scale))
        keep = ids < sub_neurons
        ids, times = ids[keep], times[keep]
        scale = n_neurons / sub_neurons
    build = once(lambda: elephant_trains(ids, times, sub_neurons, duration))
    trains = elephant_trains(ids, times, sub_neurons, duration)
    sub_patterns = patterns[:, :sub_neurons].astype(np.float64)

    def route():
        binned = BinnedSpikeTrain(trains, bin_size=width * pq.s, t_start=0.0 * pq.s, t_stop=duration * pq.s)
        return sub_patterns @ binned.to_array()

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        seconds = once(route)
    return {
        "elephant_pipeline": seconds * scale,
        "elephant_build_trains": build * scale,
        "elephant_scale": scale,
        "elephant_subset_neurons": sub_neurons,
    }


# ----------------------------------------------------------------------------- distances
def bench_distances(repeats: int, quick: bool) -> dict:
    import quantities as pq
    from elephant.spike_train_dissimilarity import van_rossum_distance, victor_purpura_distance

    n, duration, tau, q = 200, 10.0, 0.01, 10.0
    ids, times, _ = make_spikes(int(n * RATE_HZ * duration), n, seed=3)
    trains = elephant_trains(ids, times, n, duration)
    r: dict = {"n_trains": n, "n_spikes": ids.size}
    r["vr_first_call"] = once(lambda: analysis.van_rossum_matrix(ids, times, n, tau))
    r["vr"] = best_time(lambda: analysis.van_rossum_matrix(ids, times, n, tau), max(repeats, 5))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r["vr_elephant"] = best_time(lambda: van_rossum_distance(trains, tau * pq.s), 1 if quick else 2)
    r["vr_ref"] = once(lambda: reference.van_rossum_matrix_reference(ids, times, n, tau))
    r["vp"] = best_time(lambda: analysis.victor_purpura_matrix(ids, times, n, q), repeats)
    sub = 25 if quick else 50  # Elephant and the numpy DP on a subset of trains, scaled by the number of pairs
    pair_scale = (n * (n - 1)) / (sub * (sub - 1))
    keep = ids < sub
    r["vp_subset"] = sub
    r["vp_elephant"] = once(lambda: victor_purpura_distance(trains[:sub], q * pq.Hz)) * pair_scale
    r["vp_ref"] = once(lambda: reference.victor_purpura_matrix_reference(ids[keep], times[keep], sub, q)) * pair_scale
    return r


# ----------------------------------------------------------------------------- report
def write_report(
    path: Path, env: dict, jit_cold: dict, jit_warm: dict, stream: list, dist: dict, bandwidth: float, wall: float
) -> str:
    lines: list[str] = []
    add = lines.append
    add("# snnmem.analysis benchmark")
    add("")
    add(
        f"Generated by `python benchmarks/analysis.py{' --quick' if env['quick'] else ''}` on {env['date']} "
        f"in {wall:.0f} s. Best of a few repeats after a warm-up call; ratios compare numbers measured in this run."
    )
    add("")
    add("## Machine")
    add("")
    add(
        f"- CPU: {env['cpu']} ({env['cores']} cores visible), numba threads: {env['threads']} "
        f"(threading layer `{env['layer']}`)"
    )
    add(f"- Python {env['python']}, numpy {np.__version__}, numba {numba.__version__}, elephant {env['elephant']}")
    add(
        f"- Load average at start / end: {env['load_start']} / {env['load_end']} (the machine is shared: "
        "absolute times are noisy, ratios within one run are the meaningful numbers)"
    )
    add(f"- Memory bandwidth (np.copyto of 256 MB, bytes read + written per second): **{bandwidth / 1e9:.1f} GB/s**")
    add("")
    add("## Spike-stream kernels (time-sorted spikes at 10 Hz, 1000 bins, 10 patterns, 10 groups)")
    add("")
    header = "| kernel | " + " | ".join(f"{r['n_spikes']:.0e} spikes, N={r['n_neurons']}" for r in stream) + " |"
    add(header)
    add("|" + "---|" * (len(stream) + 1))
    rows = [
        ("(floor: a numba loop that only reads ids and times)", "read_only_pass"),
        ("bin_spikes", "bin_spikes"),
        ("bin_spikes, shuffled input", "bin_spikes_unsorted"),
        ("numpy reference: bincount", "bin_spikes_ref"),
        ("overlap_pm1 on counts", "overlap_pm1"),
        ("numpy reference: float matmul", "overlap_pm1_ref"),
        ("**binning + overlaps: bin_spikes + overlap_pm1**", "pipeline_dense"),
        ("**binning + overlaps: spike_overlaps (fused)**", "spike_overlaps"),
        ("binning + overlaps: best numpy", "pipeline_ref"),
        ("binning + overlaps: Elephant BinnedSpikeTrain route", "elephant_pipeline"),
        ("(Elephant: building the neo.SpikeTrains, not included above)", "elephant_build_trains"),
        ("population_rate", "population_rate"),
        ("numpy reference", "population_rate_ref"),
        ("group_rates", "group_rates"),
        ("numpy reference", "group_rates_ref"),
        ("neuron_rates", "neuron_rates"),
        ("numpy reference", "neuron_rates_ref"),
        ("population_vector_angle on counts", "population_vector_angle"),
        ("numpy reference", "population_vector_angle_ref"),
    ]
    for label, key in rows:
        add(f"| {label} | " + " | ".join(fmt_time(r[key]) for r in stream) + " |")
    add("")
    notes = [r for r in stream if r["elephant_scale"] > 1.0]
    for r in notes:
        add(
            f"Elephant at {r['n_spikes']:.0e} spikes was measured on the first {r['elephant_subset_neurons']} "
            f"neurons (same rates, window and bins) and scaled by {r['elephant_scale']:.1f} (linear in trains and spikes)."
        )
    add("")
    add("### Speed-ups and cost per spike")
    add("")
    add("| | " + " | ".join(f"{r['n_spikes']:.0e}" for r in stream) + " |")
    add("|" + "---|" * (len(stream) + 1))

    def ratio_row(label: str, numerator: str, denominator: str) -> None:
        add(f"| {label} | " + " | ".join(fmt_ratio(r[numerator] / r[denominator]) for r in stream) + " |")

    ratio_row("bin_spikes vs numpy", "bin_spikes_ref", "bin_spikes")
    ratio_row("overlap_pm1 vs numpy", "overlap_pm1_ref", "overlap_pm1")
    ratio_row("binning + overlaps (dense) vs numpy", "pipeline_ref", "pipeline_dense")
    ratio_row("binning + overlaps (fused) vs numpy", "pipeline_ref", "spike_overlaps")
    ratio_row("binning + overlaps (dense) vs Elephant", "elephant_pipeline", "pipeline_dense")
    ratio_row("binning + overlaps (fused) vs Elephant", "elephant_pipeline", "spike_overlaps")
    ratio_row("population_rate vs numpy", "population_rate_ref", "population_rate")
    ratio_row("group_rates vs numpy", "group_rates_ref", "group_rates")
    ratio_row("population_vector_angle vs numpy", "population_vector_angle_ref", "population_vector_angle")
    add(
        "| binning + overlaps (dense) vs numpy, process CPU time | "
        + " | ".join(fmt_ratio(r["pipeline_ref_cpu"] / r["pipeline_dense_cpu"]) for r in stream)
        + " |"
    )
    add(
        "| binning + overlaps (fused) vs numpy, process CPU time | "
        + " | ".join(fmt_ratio(r["pipeline_ref_cpu"] / r["spike_overlaps_cpu"]) for r in stream)
        + " |"
    )
    add(
        "| bin_spikes, ns per spike | "
        + " | ".join(f"{r['bin_spikes'] / r['n_spikes'] * 1e9:.1f}" for r in stream)
        + " |"
    )
    add(
        "| spike_overlaps, ns per spike | "
        + " | ".join(f"{r['spike_overlaps'] / r['n_spikes'] * 1e9:.1f}" for r in stream)
        + " |"
    )
    add(
        "| binning + overlaps (dense), ns per spike | "
        + " | ".join(f"{r['pipeline_dense'] / r['n_spikes'] * 1e9:.1f}" for r in stream)
        + " |"
    )
    add("")
    big = stream[-1]
    dense_bytes = big["n_spikes"] * 12 + 2 * big["n_neurons"] * big["n_bins"] * 4
    fused_bytes = big["n_spikes"] * 12
    add(f"### Memory-bandwidth bound at {big['n_spikes']:.0e} spikes")
    add("")
    add(
        f"- Dense route: read 12 B per spike (uint32 id + float64 time) = {big['n_spikes'] * 12 / 1e6:.0f} MB, write "
        f"the int32 count matrix and read it again for the overlaps ({2 * big['n_neurons'] * big['n_bins'] * 4 / 1e6:.0f} MB): "
        f"{dense_bytes / 1e6:.0f} MB -> **{fmt_time(dense_bytes / bandwidth)}** at {bandwidth / 1e9:.1f} GB/s; measured "
        f"{fmt_time(big['pipeline_dense'])} = **{big['pipeline_dense'] / (dense_bytes / bandwidth):.1f}x** the bound."
    )
    add(
        f"- Fused route (`spike_overlaps`): {fused_bytes / 1e6:.0f} MB -> **{fmt_time(fused_bytes / bandwidth)}**; measured "
        f"{fmt_time(big['spike_overlaps'])} = **{big['spike_overlaps'] / (fused_bytes / bandwidth):.1f}x** the bound."
    )
    add("")
    add(
        f"- The floor for any kernel that reads the spikes, a numba loop that only sums ids and times, took "
        f"{fmt_time(big['read_only_pass'])} ({big['read_only_pass'] / (fused_bytes / bandwidth):.1f}x the copy-speed bound)."
    )
    add("")
    add(
        "Why the 3x-of-bandwidth target is missed: the kernels are not limited by streaming the 12 B per spike but by "
        "the work per spike. Each spike needs a float64 division and a floor (the bin convention "
        "`floor((t - t_start) / bin_width)`: a multiply by the reciprocal puts some edge spikes in other bins), range "
        "checks, and then a dependent random access: an increment in a count matrix far larger than L2 (dense route, "
        "one cache miss per spike for 10 000 neurons) or a gather of the spike's pattern column (fused route). That is "
        "a few ns per spike per core, against about 1 ns per spike for the memory traffic, and with 2 shared cores "
        "there are no spare cores to hide it."
    )
    add("")
    add("## Distance matrices (200 trains, 10 Hz x 10 s = about 20 000 spikes)")
    add("")
    add("| | snnmem | numpy reference | Elephant | vs numpy | vs Elephant |")
    add("|---|---|---|---|---|---|")
    add(
        f"| van_rossum_matrix, tau = 10 ms | {fmt_time(dist['vr'])} | {fmt_time(dist['vr_ref'])} | {fmt_time(dist['vr_elephant'])} "
        f"| {fmt_ratio(dist['vr_ref'] / dist['vr'])} | **{fmt_ratio(dist['vr_elephant'] / dist['vr'])}** |"
    )
    add(
        f"| victor_purpura_matrix, q = 10/s | {fmt_time(dist['vp'])} | {fmt_time(dist['vp_ref'])}* | {fmt_time(dist['vp_elephant'])}* "
        f"| {fmt_ratio(dist['vp_ref'] / dist['vp'])} | {fmt_ratio(dist['vp_elephant'] / dist['vp'])} |"
    )
    add("")
    add(
        f"\\* measured on the first {dist['vp_subset']} trains and scaled by the number of pairs "
        f"(200*199 / ({dist['vp_subset']}*{dist['vp_subset'] - 1}))."
    )
    add(f"van Rossum first call in this process (cache loaded): {fmt_time(dist['vr_first_call'])}.")
    add("")
    add("## First call (JIT) per public function, fresh process")
    add("")
    add("Kernels shared by several functions are compiled (or loaded) by the first function that uses them.")
    add("")
    add("| function | first call, empty cache (compile) | first call, cache warm (load) | second call |")
    add("|---|---|---|---|")
    add(f"| `import snnmem.analysis` | {fmt_time(jit_cold['import'])} | {fmt_time(jit_warm['import'])} | |")
    total_cold = total_warm = 0.0
    for name, (first, _) in ((k, v) for k, v in jit_cold.items() if k != "import"):
        warm_first = jit_warm[name][0]
        total_cold += first
        total_warm += warm_first
        add(f"| `{name}` | {fmt_time(first)} | {fmt_time(warm_first)} | {fmt_time(jit_warm[name][1])} |")
    add(f"| total | {fmt_time(total_cold)} | {fmt_time(total_warm)} | |")
    add("")
    add("## Targets")
    add("")
    for line in target_lines(stream, dist, bandwidth):
        add(line)
    add("")
    text = "\n".join(lines) + "\n"
    path.write_text(text)
    return text


def target_lines(stream: list, dist: dict, bandwidth: float) -> list[str]:
    big = stream[-1]
    out = []

    def verdict(ok: bool) -> str:
        return "**met**" if ok else "**missed**"

    vr_ratio = dist["vr_elephant"] / dist["vr"]
    out.append(
        f"- van Rossum matrix of 200 trains >= 50x faster than Elephant: {fmt_ratio(vr_ratio)} -> {verdict(vr_ratio >= 50)}."
    )
    for label, key in (
        ("dense route, bin_spikes + overlap_pm1", "pipeline_dense"),
        ("fused route, spike_overlaps", "spike_overlaps"),
    ):
        elephant = big["elephant_pipeline"] / big[key]
        numpy_ratio = big["pipeline_ref"] / big[key]
        out.append(
            f"- Binning + overlaps on {big['n_spikes']:.0e} spikes ({label}): {fmt_ratio(elephant)} vs Elephant "
            f"(target >= 10x) -> {verdict(elephant >= 10)}; {fmt_ratio(numpy_ratio)} vs best numpy "
            f"(target >= 1.5x) -> {verdict(numpy_ratio >= 1.5)}."
        )
    dense_bound = (big["n_spikes"] * 12 + 2 * big["n_neurons"] * big["n_bins"] * 4) / bandwidth
    fused_bound = big["n_spikes"] * 12 / bandwidth
    out.append(
        f"- Within 3x of the memory-bandwidth bound: dense {big['pipeline_dense'] / dense_bound:.1f}x -> "
        f"{verdict(big['pipeline_dense'] <= 3 * dense_bound)}; fused {big['spike_overlaps'] / fused_bound:.1f}x -> "
        f"{verdict(big['spike_overlaps'] <= 3 * fused_bound)}."
    )
    per_spike = [r["pipeline_dense"] / r["n_spikes"] for r in stream]
    fused_per_spike = [r["spike_overlaps"] / r["n_spikes"] for r in stream]
    spread = max(fused_per_spike) / min(fused_per_spike)
    out.append(
        "- Time linear in spikes: ns per spike (dense / fused) "
        + ", ".join(f"{a * 1e9:.1f} / {b * 1e9:.1f}" for a, b in zip(per_spike, fused_per_spike))
        + f" across the sizes above. The fused route stays within {spread:.1f}x of constant cost per spike "
        + f"-> {verdict(spread <= 2.5)} (verdict: within 2.5x, allowing for the noise of a shared machine). "
        + "The dense route also writes and reads the (N, 1000) count matrix, which grows with N "
        + "(4 MB at 1e5 spikes, 40 MB at 1e7) and leaves the caches, so its cost per spike is not expected to be flat."
    )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1e5 and 1e6 spikes only, fewer repeats")
    parser.add_argument("--out", type=Path, default=HERE / "analysis_report.md")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    import elephant

    env = {
        "quick": args.quick,
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": platform.processor() or platform.machine(),
        "cores": os.cpu_count(),
        "threads": numba.get_num_threads(),
        "python": platform.python_version(),
        "elephant": elephant.__version__,
        "load_start": " ".join(f"{x:.1f}" for x in os.getloadavg()),
    }
    with tempfile.TemporaryDirectory(prefix="snnmem-numba-cache-") as cache_dir:
        print("JIT: compiling in a fresh process with an empty cache ...", flush=True)
        jit_cold = jit_times(cache_dir)
        print("JIT: loading from that cache in a fresh process ...", flush=True)
        jit_warm = jit_times(cache_dir)
    env["layer"] = numba.threading_layer() if _touch_parallel() else "?"
    bandwidth = copy_bandwidth()
    print(f"copy bandwidth {bandwidth / 1e9:.1f} GB/s", flush=True)
    sizes = [(10**5, 1000), (10**6, 3162)] + ([] if args.quick else [(10**7, 10000)])
    repeats = 2 if args.quick else 3
    stream = []
    for n_spikes, n_neurons in sizes:
        print(f"spike stream: {n_spikes:.0e} spikes, {n_neurons} neurons ...", flush=True)
        stream.append(bench_spike_stream(n_spikes, n_neurons, repeats, elephant_limit=10**6))
    print("distances ...", flush=True)
    dist = bench_distances(repeats, args.quick)
    env["load_end"] = " ".join(f"{x:.1f}" for x in os.getloadavg())
    text = write_report(args.out, env, jit_cold, jit_warm, stream, dist, bandwidth, time.perf_counter() - started)
    print(text)
    return 0


def _touch_parallel() -> bool:
    """Run one parallel kernel so numba picks its threading layer (for the report)."""
    from snnmem.analysis._kernels_columns import weighted_sums

    weighted_sums(np.ones((2, 128)), np.ones((2, 1)), np.zeros((1, 128)), 2)
    return True


if __name__ == "__main__":
    sys.exit(main())
