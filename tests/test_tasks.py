"""Memory tasks on circuits: the contract, the registry, the [task] table, scores, identical spikes.

The contract test runs every circuit x every task that applies on a small network (numpy
runtime device, short phases: seconds each).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import snnmem
from conftest import SMALL_CONSOLIDATION, assert_same_spikes
from snnmem import registry
from snnmem.analysis.memory import MemoryMap, item_rates, items_held, recalled_item
from snnmem.circuits import Circuit, known_circuits
from snnmem.config import load_model, spec_from_toml
from snnmem.errors import ConfigError
from snnmem.tasks import Task, get_task, known_tasks

MODELS = Path(__file__).resolve().parents[1] / "models"

#: small networks and short phases per circuit (numpy runtime: no compilation)
SMALL = {
    "ring_attractor": ("compte2000", {"network.n_exc": 256, "network.n_inh": 64, "simulation.dt": "0.1 ms"}),
    "item_attractor": ("brunel_wang2001", {"network.n_exc": 200, "network.n_inh": 50}),
    "stp_working_memory": (
        "mongillo2008",
        {"network.n_exc": 400, "network.n_inh": 100, "connectivity.keep_in_degree": False},
    ),
    "plastic_assemblies": (
        "assemblies",
        {
            "network.n_exc": 400,
            "network.n_inh": 100,
            "network.n_assemblies": 4,
            "network.assembly_fraction": 0.1,
            "protocol.recall_assemblies": 2,
        },
    ),
    "consolidation": ("consolidation", SMALL_CONSOLIDATION),
}
SHORT_TASK = {"task.baseline_duration": "100 ms", "task.cue_duration": "100 ms", "task.score_offset": "50 ms"}
SHORT_DELAYS = {
    "delayed_recall": {"task.delay_duration": "150 ms"},
    "distractor": {"task.delay1_duration": "150 ms", "task.delay2_duration": "150 ms"},
    "load": {"task.delay_duration": "150 ms", "task.gap_duration": "50 ms"},
    "reset": {"task.delay_duration": "150 ms", "task.reset_duration": "50 ms", "task.post_reset_duration": "100 ms"},
    "completion": {
        "task.baseline_duration": "150 ms",
        "task.gap_duration": "150 ms",
        "task.delay_duration": "150 ms",
        "task.score_window": "100 ms",
    },
    "retention": {
        "task.warmup_duration": "100 ms",
        "task.repetitions": 1,
        "task.encode_duration": "100 ms",
        "task.encode_gap": "0 ms",
        "task.rest_duration": "200 ms",
        "task.tested_items": 2,
        "task.cue_duration": "100 ms",
        "task.cue_gap": "50 ms",
        "task.score_offset": "20 ms",
    },
    "consolidation": {
        "task.warmup_duration": "100 ms",
        "task.encode_repetitions": 1,
        "task.encode_duration": "100 ms",
        "task.encode_gap": "0 ms",
        "task.consolidation_interval": "200 ms",
        "task.last_episode_age": "50 ms",
        "task.cue_gap": "50 ms",
        "task.score_offset": "20 ms",
    },
}
RUNTIME = {"simulation.device": "runtime", "simulation.runtime_target": "numpy"}


def _task_keys(task: str) -> set[str]:
    return {f"task.{key}" for key in get_task(task).schema}


def small_model(circuit: str, task: str | None = None, **extra):
    name, sizes = SMALL[circuit]
    overrides = {**sizes, **RUNTIME, **extra}
    if task is not None:
        short = {k: v for k, v in SHORT_TASK.items() if k in _task_keys(task)}
        overrides.update({"task.name": task, **short, **SHORT_DELAYS[task]})
    if circuit == "consolidation" and task not in (None, "consolidation"):  # not the file's own [task] keys
        import tomllib

        from snnmem.config import resolve

        document = tomllib.loads((MODELS / f"{name}.toml").read_text())
        document.pop("task")
        return resolve(document, overrides, where=f"{name}.toml without its [task]")
    return load_model(MODELS / f"{name}.toml", overrides)


# ----------------------------------------------------------------------------- registry and contract
def test_one_registry_names_circuits_and_tasks():
    assert set(known_circuits()) == {
        "ring_attractor",
        "item_attractor",
        "stp_working_memory",
        "plastic_assemblies",
        "consolidation",
    }
    assert set(known_tasks()) >= {"delayed_recall", "distractor", "load", "reset"}
    for name in known_circuits():
        assert isinstance(registry.get("circuit", name), Circuit) and registry.get("circuit", name).name == name
    for name in known_tasks():
        task = get_task(name)
        assert isinstance(task, Task) and task.name == name and task.headline and task.summary
    assert set(registry.names("figure")) == set(known_circuits())  # one standard figure per circuit
    assert callable(registry.get("figure", "ring_attractor"))
    with pytest.raises(KeyError, match="known"):
        registry.get("task", "no_such_task")
    with pytest.raises(ValueError, match="already registered"):
        registry.register("task", "distractor", object)


def _imports(path: Path) -> set[str]:
    """Modules a file imports, as absolute ``snnmem...`` names (relative imports resolved)."""
    import ast

    root = Path(snnmem.__file__).parent
    package = ["snnmem", *path.parent.relative_to(root).parts]
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            names.add(".".join(base + ([node.module] if node.module else [])))
    return names


def test_circuit_and_task_modules_never_import_each_other():
    """They meet only through the memory map and the stimulus port (issue 12)."""
    root = Path(snnmem.__file__).parent
    circuit_files = list((root / "circuits").rglob("*.py"))
    assert len(circuit_files) > 10  # the circuit packages are searched too
    for path in circuit_files:
        assert not any(name.startswith("snnmem.tasks") for name in _imports(path)), path
    for path in (root / "tasks").rglob("*.py"):
        assert not any(name.startswith("snnmem.circuits") for name in _imports(path)), path
    assert "snnmem.analysis.memory" in _imports(root / "tasks" / "base.py")  # the check sees relative imports
    assert "snnmem.protocols" in _imports(root / "circuits" / "ring" / "native.py")  # ... in nested packages too


def test_layering_schema_and_run_file_code():
    """``snnmem.schema`` imports nothing of snnmem at module level; the run-file code never imports circuits."""
    import ast

    root = Path(snnmem.__file__).parent
    tree = ast.parse((root / "schema.py").read_text())
    modules = [a.name for n in tree.body if isinstance(n, ast.Import) for a in n.names]
    modules += ["." * n.level + (n.module or "") for n in tree.body if isinstance(n, ast.ImportFrom)]
    assert modules and not any(m.startswith((".", "snnmem")) for m in modules), modules
    assert not any(name.startswith("snnmem.circuits") for name in _imports(root / "run.py"))


@pytest.mark.parametrize("circuit", sorted(SMALL))
def test_every_circuit_declares_a_memory_map(circuit):
    spec = small_model(circuit)
    memory = registry.get("circuit", circuit).memory_map(spec, 1)
    assert memory.n_cells == _n_cells(spec, memory) and memory.n_items >= 2
    assert np.all((memory.weights >= 0) & (memory.weights <= 1)) and len(memory.labels) == memory.n_items


def _n_cells(spec, memory) -> int:
    """Size of the population a memory map refers to (``exc``: ``network.n_exc``; ``ctx_exc``: ``ctx.n_exc``)."""
    return spec["network.n_exc"] if memory.population == "exc" else spec[memory.population.replace("_", ".n_")]


def run_memory_population(run) -> str:
    return "ctx_exc" if run.circuit == "consolidation" else "exc"


CELLS = [(c, t) for c in sorted(SMALL) for t in sorted(SHORT_DELAYS)]


@pytest.mark.parametrize("circuit,task", CELLS)
def test_every_task_runs_on_every_circuit_it_applies_to(circuit, task):
    """Contract: a task that applies runs on a small network and writes its headline scores; one that does not
    says why at load time."""
    reason = get_task(task).applies_to(registry.get("circuit", circuit))
    if reason is not None:
        assert len(reason) > 20
        with pytest.raises(ConfigError, match="does not apply"):
            small_model(circuit, task)
        return
    model = small_model(circuit, task)
    run = snnmem.simulate(model, seed=2)
    assert run.task == task
    for score in get_task(task).headline:
        if score == "angle_error_deg" and circuit != "ring_attractor":
            continue
        assert score in run.scores and np.isfinite(run.scores[score]), score
    assert run.analysis["memory_map"].shape == (
        len(run.analysis["item_labels"]),
        run.n_neurons[run_memory_population(run)],
    )
    if task == "consolidation":  # CTX learns offline; recall is frozen; one phase is lesioned
        ee, k = run.weights["ctx_ee"], model["episodes.n_episodes"]
        assert np.abs(ee["w_after_consolidate_1"] - ee["w_after_encode_1"]).max() > 0
        np.testing.assert_array_equal(ee["w_final"], ee[f"w_after_encode_{k}"])
        assert [p.name for p in run.phases if p.lesion] == ["recall_lesioned"]
        assert len(run.analysis["episode_age_s"]) == k
    if task == "retention":  # the phases' plasticity modes gate the rules: frozen tests change no weight
        ee = run.weights["ee"]
        assert [p.plasticity for p in run.phases] == ["homeostatic", "all", "none", "all", "none"]
        assert set(ee) >= {"w_after_warmup", "w_after_encode", "w_after_rest", "w_final"}
        np.testing.assert_array_equal(ee["w_after_warmup"], ee["w_initial"])  # E->E is not homeostatic
        assert np.abs(ee["w_after_encode"] - ee["w_initial"]).max() > 0.01
        assert np.abs(ee["w_after_rest"] - ee["w_after_encode"]).max() > 0
        np.testing.assert_array_equal(ee["w_final"], ee["w_after_rest"])
        assert run.analysis["trial_item"].tolist().count(0) == 2  # one no-cue trial per test


# ----------------------------------------------------------------------------- model files with [task]
def test_task_table_in_a_model_file(tmp_path):
    text = (MODELS / "brunel_wang2001.toml").read_text()
    path = tmp_path / "bw_distractor.toml"
    path.write_text(text + '\n[task]\nname = "distractor"\ndistractor_strength = 0.3\ndelay2_duration = "3 s"\n')
    spec = load_model(path)
    assert spec.task == "distractor" and spec["task.distractor_strength"] == 0.3
    assert float(spec["task.delay2_duration"]) == 3.0 and float(spec["task.delay1_duration"]) == 2.0  # default
    again = spec_from_toml(spec.to_toml())  # the run file's resolved model keeps the task
    assert again.task == "distractor" and again.sha256 == spec.sha256
    assert spec.with_overrides({"task.distractor_strength": 0.5})["task.distractor_strength"] == 0.5


@pytest.mark.parametrize(
    "overrides,message",
    [
        ({"task.name": "distracter"}, "did you mean 'distractor'"),
        ({"task.name": "distractor", "task.strength": 1.0}, "unknown key"),
        ({"task.name": "distractor", "task.distractor_strength": "strong"}, "expected a number"),
        ({"task.name": "distractor", "task.distractor_strength": -0.5}, "must be >= 0"),
        ({"task.name": "distractor", "task.item_b": 9}, "items 1 to 5"),
        ({"task.name": "distractor", "task.item_b": 1}, "must be another item"),
        ({"task.name": "distractor", "task.delay2_duration": "0.4 s"}, "nothing would be scored"),
        ({"task.name": "load", "task.items": [2, 2]}, "listed twice"),
        ({"task.name": "delayed_recall", "task.cue_duration": "3 mV"}, "dimension"),
    ],
)
def test_bad_task_values_fail_at_load_naming_the_key(overrides, message):
    with pytest.raises(ConfigError, match=message):
        load_model(MODELS / "brunel_wang2001.toml", overrides)


def test_a_task_that_needs_a_global_input_is_refused_by_the_ring():
    with pytest.raises(ConfigError, match="no global input"):
        load_model(MODELS / "compte2000.toml", {"task.name": "reset"})


# ----------------------------------------------------------------------------- same spikes through the task
def test_ring_native_protocol_and_delayed_recall_give_identical_spikes():
    """The ring's native cue (180 deg, 250 ms after 500 ms) is delayed_recall of item 5 of 8: same spikes."""
    native = small_model(
        "ring_attractor",
        **{"protocol.delay_duration": "300 ms", "protocol.score_offset": "100 ms", "protocol.score_window": "150 ms"},
    )
    task = small_model(
        "ring_attractor",
        **{
            "task.name": "delayed_recall",
            "task.item": 5,
            "task.baseline_duration": "500 ms",
            "task.cue_duration": "250 ms",
            "task.delay_duration": "300 ms",
            "task.score_offset": "100 ms",
        },
    )
    assert_same_spikes(snnmem.simulate(native, seed=4), snnmem.simulate(task, seed=4), min_spikes=100)


def test_brunel_wang_native_two_cues_and_distractor_task_give_identical_spikes():
    """Native cue 1 / cue 2 (no reset) is the distractor task at strength 1: same spikes."""
    phases = {
        "protocol.baseline_duration": "100 ms",
        "protocol.cue_duration": "100 ms",
        "protocol.delay1_duration": "150 ms",
        "protocol.delay2_duration": "150 ms",
        "protocol.reset_duration": "0 s",
        "protocol.post_reset_duration": "0 s",
    }
    native = small_model("item_attractor", **phases)
    task = small_model("item_attractor", **{"task.name": "distractor", **SHORT_TASK, **SHORT_DELAYS["distractor"]})
    a, b = snnmem.simulate(native, seed=6), snnmem.simulate(task, seed=6)
    assert [p.stop_s for p in a.phases] == pytest.approx([p.stop_s for p in b.phases])
    assert_same_spikes(a, b)


# ----------------------------------------------------------------------------- adding a task is one class
class ToyTask(Task):
    """A cue of item 2 at half strength; scores the cued item's rate during the cue."""

    name = "toy"
    summary = "half-strength cue"
    headline = ("toy_cue_rate_hz",)
    schema = {}

    def schedule(self, params, memory, seed):
        from snnmem.protocols import Schedule, Stimulus, sequential_phases

        phases = sequential_phases([("baseline", 0.1, ""), ("cue", 0.1, "item 2"), ("after", 0.1, "")])
        return Schedule(tuple(phases), (Stimulus(0.1, 0.2, cells=memory.item(2), strength=0.5),))

    def score(self, params, spikes, memory, schedule):
        rates = item_rates(*spikes["exc"], memory, np.array([[0.1, 0.2], [0.0, 0.1]]))
        return {"toy_cue_rate_hz": float(rates[0, 1]), "toy_baseline_rate_hz": float(rates[1, 1])}, {}


def test_a_new_task_is_one_class_plus_its_registration(tmp_path):
    registry.register("task", "toy", ToyTask)
    try:
        run = snnmem.simulate(small_model("item_attractor", **{"task.name": "toy"}), seed=1)
        assert run.scores["toy_cue_rate_hz"] > 3 * run.scores["toy_baseline_rate_hz"] + 5
        again = snnmem.open_run(run.save(tmp_path / "toy.h5"))
        assert again.task == "toy" and again.scores == run.scores
        figure = snnmem.plot.plot_run(again, tmp_path / "toy.png")
        assert len(figure.axes) == 2 and (tmp_path / "toy.png").stat().st_size > 10_000
    finally:
        registry.unregister("task", "toy")
    assert "toy" not in known_tasks()


# ----------------------------------------------------------------------------- the score vocabulary
def test_item_rates_are_weighted_means_of_cell_rates():
    memory = MemoryMap(
        weights=np.array([[1.0, 1.0, 0.0, 0.0], [0.0, 0.5, 1.0, 0.0]]), labels=("a", "b"), held_threshold_hz=5.0
    )
    ids = np.array([0, 0, 1, 2, 2, 2, 3], dtype=np.uint32)
    times = np.array([0.1, 0.2, 0.3, 0.1, 0.4, 0.6, 0.5])
    rates = item_rates(ids, times, memory, np.array([[0.0, 0.5], [0.0, 1.0]]))
    cell = np.array([[4.0, 2.0, 4.0, 0.0], [2.0, 1.0, 3.0, 1.0]])  # Hz per cell in each window
    expected = cell @ memory.weights.T / memory.weights.sum(axis=1)
    np.testing.assert_allclose(rates, expected)
    assert recalled_item(np.array([6.0, 2.0]), memory) == 1 and recalled_item(np.array([6.0, 7.0]), memory) == 2
    assert recalled_item(np.array([1.0, 2.0]), memory) == 0  # nothing reaches the 5 Hz threshold
    with pytest.raises(ValueError, match="windows"):
        item_rates(ids, times, memory, np.array([0.0, 0.5, 1.0]))


def test_a_ring_bump_counts_once():
    angles = np.arange(8) * 45.0
    memory = MemoryMap(
        weights=np.eye(8),
        labels=tuple(map(str, angles)),
        held_threshold_hz=10.0,
        item_angles_deg=angles,
        cell_angles_deg=angles,
    )
    bump = np.array([2.0, 3.0, 12.0, 18.0, 13.0, 3.0, 2.0, 2.0])  # one broad bump at 135 deg
    assert items_held(bump, memory).tolist() == [False, False, False, True, False, False, False, False]
    pools = MemoryMap(weights=np.eye(8), labels=tuple(map(str, angles)), held_threshold_hz=10.0)
    assert items_held(bump, pools).sum() == 3
