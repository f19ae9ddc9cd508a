"""STDP traces kept in the cells: the same weights as Brian2's per-synapse traces and the numpy references."""

from __future__ import annotations

import numpy as np
import pytest

from snnmem.plasticity import InhibitorySTDP, Orchestration, PairSTDP, TripletSTDP

RULES = {
    "triplet_orchestrated": TripletSTDP.preset(
        "pfister2006_visual_minimal_all_to_all",
        orchestration=Orchestration(
            beta=0.1, delta=0.01, tau_consolidation=0.2, interval=0.05, w_low=0.0, w_high=1.0, strength=0.1
        ),
        w_min=0.0,
        w_max=2.0,
    ),
    "triplet": TripletSTDP.preset("pfister2006_visual_minimal_all_to_all"),
    "triplet_nearest": TripletSTDP.preset("pfister2006_visual_minimal_all_to_all", interaction="nearest_spike"),
    "pair": PairSTDP(),
    "inhibitory": InhibitorySTDP(eta=1e-2, w_min=None),
}


def test_code_reads_traces_from_the_cells_and_updates_none():
    traces = RULES["triplet"].cell_traces("ee", on_pre_effect="g_post += w", gate="gate(t)")
    kwargs = traces.synapses_kwargs
    assert kwargs["model"] == "w : 1"
    for code in (kwargs["on_pre"], kwargs["on_post"]):
        assert "+= 1" not in code and "pre_trace_r1 " not in code
    assert "ee_post_trace_o1_post*exp(-(t - ee_post_last_post)/tau_minus)" in kwargs["on_pre"]
    assert "ee_pre_trace_r1_pre*exp(-(t - ee_pre_last_pre)/tau_plus)" in kwargs["on_post"]
    assert kwargs["on_pre"].startswith("g_post += w")
    assert traces.pre_tracer.splitlines()[-1] == "ee_pre_last_post = t"
    assert "ee_pre_trace_r2 : 1" in traces.pre_variables and "ee_pre_last : second" in traces.pre_variables
    assert set(traces.namespace) == {"tau_plus", "tau_x", "tau_minus", "tau_y"}
    nearest = RULES["triplet_nearest"].cell_traces("ee")
    assert "ee_post_trace_o1_post = 1" in nearest.post_tracer


def test_rules_without_traces_say_so():
    from snnmem.plasticity import TsodyksMarkramSTP

    with pytest.raises(TypeError, match="TsodyksMarkramSTP has no spike traces"):
        TsodyksMarkramSTP().cell_traces("ee")
    with pytest.raises(ValueError, match="not an identifier"):
        RULES["pair"].cell_traces("e e")


def _spike_table(times: list[np.ndarray], duration: float, dt: float) -> np.ndarray:
    table = np.zeros((int(round(duration / dt)), len(times)))
    for cell, cell_times in enumerate(times):
        table[np.round(np.asarray(cell_times) / dt).astype(int), cell] = 1.0
    return table


def _weights(rule, pre_times, post_times, delay_s: float, in_cells: bool, duration: float = 1.0) -> np.ndarray:
    """Final weights of every pre x post pair; cells spike exactly at the given times (both modes)."""
    import brian2 as b2

    from snnmem.circuits.plastic_area import cell_trace_variables, plastic_synapses

    b2.start_scope()
    b2.set_device("runtime")
    b2.prefs.codegen.target = "numpy"
    b2.defaultclock.dt = 0.1 * b2.ms
    dt = 1e-4
    pre_extra, post_extra = cell_trace_variables(rule, "syn") if in_cells else ("", "")
    groups = []
    for label, times, extra in (("pre", pre_times, pre_extra), ("post", post_times, post_extra)):
        table = b2.TimedArray(_spike_table(times, duration, dt), dt=dt * b2.second, name=f"{label}_table")
        group = b2.NeuronGroup(
            len(times),
            "g : 1\n" + extra,
            threshold=f"{label}_table(t, i) > 0.5",
            namespace={f"{label}_table": table},
            name=label,
        )
        groups.append(group)
    gate = b2.TimedArray(np.ones(2), dt=duration * b2.second, name="gate")
    synapses, tracers = plastic_synapses(
        b2,
        rule,
        groups[0],
        groups[1],
        name="syn",
        delay=delay_s * b2.second,
        on_pre_effect="g_post += w",
        gate=("gate", gate),
        namespace={},
        traces_in_cells=in_cells,
    )
    synapses.connect()
    synapses.w = 0.5
    b2.Network(*groups, synapses, *tracers).run(duration * b2.second)
    return np.asarray(synapses.w[:]).copy()


@pytest.mark.parametrize("name", sorted(RULES))
def test_same_weights_as_per_synapse_traces(name):
    """3 x 2 cells, random spikes plus coincident ones, 1 ms delay: every weight equal within rounding."""
    rng = np.random.default_rng(4)
    pre = [np.unique(np.round(rng.uniform(0, 0.95, 25), 4)) for _ in range(3)]
    post = [np.unique(np.round(rng.uniform(0, 0.95, 25), 4)) for _ in range(2)]
    post[0] = np.unique(np.concatenate([post[0], pre[0][:5] + 1e-3, pre[1][:5]]))  # arrivals and spikes together
    per_synapse = _weights(RULES[name], pre, post, 1e-3, in_cells=False)
    in_cells = _weights(RULES[name], pre, post, 1e-3, in_cells=True)
    assert np.all(np.abs(per_synapse - 0.5) > 1e-4)  # every weight moved
    np.testing.assert_allclose(in_cells, per_synapse, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("name", ["triplet", "triplet_orchestrated", "pair", "inhibitory"])
def test_matches_the_rules_numpy_reference(name):
    """One synapse, no delay, coincident spikes included: the weight after each event equals the reference."""
    rng = np.random.default_rng(9)
    pre = np.unique(np.round(rng.uniform(0, 0.9, 30), 4))
    post = np.unique(np.concatenate([np.round(rng.uniform(0, 0.9, 30), 4), pre[:4]]))
    w = _weights(RULES[name], [pre], [post], 0.0, in_cells=True)
    reference = RULES[name].reference(pre, post, w0=0.5)
    np.testing.assert_allclose(w[0], reference.weights[-1], rtol=1e-9)
