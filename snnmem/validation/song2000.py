r"""Song, Miller & Abbott (2000): additive STDP makes the weight distribution bimodal.

Protocol (Song et al. 2000, Fig. 1, in the single-population form of Song & Abbott
2001 and of Brian2's STDP example: no inhibitory inputs): one conductance-based
leaky integrate-and-fire neuron

.. math:: \tau_m \frac{dV}{dt} = E_L - V + g_{ex}(E_{ex} - V), \qquad
          \frac{dg_{ex}}{dt} = -\frac{g_{ex}}{\tau_{ex}}

(:math:`\tau_m` = 10 ms, :math:`E_L` = -74 mV, threshold -54 mV, reset -60 mV,
:math:`E_{ex}` = 0 mV, :math:`\tau_{ex}` = 5 ms, :math:`g_{ex}` in units of the leak
conductance) receives 1000 independent Poisson inputs at 15 Hz; each input spike
adds :math:`w\,g_{max}` to :math:`g_{ex}` with :math:`g_{max}` = 0.01.  (With Song
et al.'s 2000 neuron, :math:`\tau_m` = 20 ms, :math:`E_L` = -70 mV, :math:`g_{max}` =
0.015, and no inhibitory inputs, 15 Hz inputs keep the neuron near 40 Hz and the
distribution stays unimodal in 120 s; their Fig. 1 also had 200 inhibitory inputs.)  The weights
follow additive pair STDP, preset ``song2000`` (:math:`A_+` = 0.005,
:math:`A_-\tau_-/(A_+\tau_+)` = 1.05, :math:`\tau_\pm` = 20 ms, :math:`w \in [0, 1]`),
initial :math:`w` uniform in [0, 1].

Checks (per seed): the distribution of :math:`w/g_{max}` is bimodal — each extreme
decile ([0, 0.1) and [0.9, 1]) holds more than twice the mean count of the eight
middle deciles — and the neuron fires (rate over the last 20 % of the run > 1 Hz).

The published run lasts long enough for the distribution to settle (hundreds of
seconds at :math:`A_+` = 0.005).  The CI default scales both amplitudes by
``learning_rate_scale`` = 2 (:math:`A_+` = 0.01 as in Brian2's example; the ratio 1.05
and the time constants unchanged) and runs 100 s (about 2 min with the numpy
target; seed 1 gives extreme/middle density ratios 3.2 and 2.6, output 20 Hz);
``run(duration_s=1000, learning_rate_scale=1)`` is the published setting.
"""

from __future__ import annotations

import numpy as np

from . import Check, ValidationResult, register
from ._common import codeobj_class

NAME = "song2000"
REFERENCE = (
    "Song S, Miller KD, Abbott LF (2000) Competitive Hebbian learning through "
    "spike-timing-dependent synaptic plasticity. Nat Neurosci 3:919-926."
)

N_INPUTS = 1000
INPUT_RATE_HZ = 15.0
G_MAX = 0.01  # units of the leak conductance
NEURON_PARAMETERS = {
    "E_L_mV": -74.0,
    "E_ex_mV": 0.0,
    "tau_m_ms": 10.0,
    "tau_ex_ms": 5.0,
    "V_threshold_mV": -54.0,
    "V_reset_mV": -60.0,
}


def simulate(
    seed: int,
    duration_s: float,
    learning_rate_scale: float = 2.0,
    dt_s: float = 1e-4,
    target: str | None = "numpy",
    snapshot_every_s: float | None = None,
) -> dict:
    """Run the Song et al. (2000) single-neuron protocol once.

    ``snapshot_every_s`` records the decile densities every so many seconds
    (``values["snapshots"]``: list of ``(time_s, densities)``).

    Returns
    -------
    dict
        ``w_over_gmax`` (final weights / g_max), ``spike_times_s`` of the neuron,
        ``rate_hz_last_fifth``, and the parameters used.
    """
    import brian2 as b2

    from snnmem.plasticity import PairSTDP

    if duration_s <= 0:
        raise ValueError(f"duration_s must be > 0, got {duration_s!r}")
    if learning_rate_scale <= 0:
        raise ValueError(f"learning_rate_scale must be > 0, got {learning_rate_scale!r}")
    base = PairSTDP.preset("song2000")
    rule = base.replace(a_plus=base.a_plus * learning_rate_scale, a_minus=base.a_minus * learning_rate_scale)
    b2.start_scope()
    b2.seed(seed)
    rng = np.random.default_rng(seed)
    cls = codeobj_class(target)
    dt = dt_s * b2.second
    inputs = b2.PoissonGroup(N_INPUTS, INPUT_RATE_HZ * b2.Hz, dt=dt, codeobj_class=cls, name="song_inputs")
    neuron = b2.NeuronGroup(
        1,
        """dv/dt = (E_L - v + g_ex*(E_ex - v))/tau_m : volt
           dg_ex/dt = -g_ex/tau_ex : 1""",
        threshold="v > V_threshold",
        reset="v = V_reset",
        method="euler",
        dt=dt,
        codeobj_class=cls,
        name="song_neuron",
        namespace=dict(
            E_L=NEURON_PARAMETERS["E_L_mV"] * b2.mV,
            E_ex=NEURON_PARAMETERS["E_ex_mV"] * b2.mV,
            tau_m=NEURON_PARAMETERS["tau_m_ms"] * b2.ms,
            tau_ex=NEURON_PARAMETERS["tau_ex_ms"] * b2.ms,
            V_threshold=NEURON_PARAMETERS["V_threshold_mV"] * b2.mV,
            V_reset=NEURON_PARAMETERS["V_reset_mV"] * b2.mV,
        ),
    )
    neuron.v = NEURON_PARAMETERS["E_L_mV"] * b2.mV
    kwargs = rule.synapses_kwargs(on_pre_effect="g_ex_post += w*g_max")
    kwargs["namespace"]["g_max"] = G_MAX
    synapses = b2.Synapses(inputs, neuron, dt=dt, codeobj_class=cls, name="song_synapses", **kwargs)
    synapses.connect()
    synapses.w = rng.uniform(0.0, 1.0, N_INPUTS)
    spikes = b2.SpikeMonitor(neuron, name="song_spikes", codeobj_class=cls)
    network = b2.Network(inputs, neuron, synapses, spikes, name="song_network")
    snapshots = []
    if snapshot_every_s:
        elapsed = 0.0
        while elapsed < duration_s - 1e-9:
            step = min(snapshot_every_s, duration_s - elapsed)
            network.run(step * b2.second, namespace={})
            elapsed += step
            snapshots.append((elapsed, decile_densities(np.array(synapses.w[:]) / rule.w_max)))
    else:
        network.run(duration_s * b2.second, namespace={})
    spike_times = np.array(spikes.t / b2.second)
    window = 0.2 * duration_s
    rate = float(np.sum(spike_times >= duration_s - window) / window)
    return {
        "seed": seed,
        "w_over_gmax": np.array(synapses.w[:]) / rule.w_max,
        "spike_times_s": spike_times,
        "rate_hz_last_fifth": rate,
        "duration_s": duration_s,
        "learning_rate_scale": learning_rate_scale,
        "a_plus": rule.a_plus,
        "a_minus": rule.a_minus,
        "snapshots": snapshots,
    }


def decile_densities(w_over_gmax: np.ndarray) -> np.ndarray:
    """Fraction of weights in each decile of ``[0, 1]`` (the last bin includes 1)."""
    counts, _ = np.histogram(np.clip(w_over_gmax, 0.0, 1.0), bins=10, range=(0.0, 1.0))
    return counts / max(len(w_over_gmax), 1)


@register(
    NAME,
    REFERENCE,
    "1000 Poisson inputs at 15 Hz onto one conductance LIF neuron, "
    "additive STDP (A-tau-/(A+tau+) = 1.05): the weight distribution becomes bimodal "
    "and the neuron keeps firing (default 100 s with amplitudes x2; duration_s is a parameter).",
)
def run(
    seeds: int | None = None, duration_s: float = 100.0, learning_rate_scale: float = 2.0, target: str | None = "numpy"
) -> ValidationResult:
    """Run ``seeds`` (default 1) independent simulations; every seed must pass."""
    n_seeds = 1 if seeds is None else int(seeds)
    checks: list[Check] = []
    per_seed = {}
    for seed in range(1, n_seeds + 1):
        out = simulate(seed, duration_s, learning_rate_scale, target=target)
        density = decile_densities(out["w_over_gmax"])
        middle = float(np.mean(density[1:9]))
        tag = f" (seed {seed})" if n_seeds > 1 else ""
        checks.append(
            Check(
                f"lowest decile density / middle mean{tag}",
                density[0] / middle if middle > 0 else float("inf"),
                "> 2 (bimodal)",
                bool(density[0] > 2 * middle),
            )
        )
        checks.append(
            Check(
                f"highest decile density / middle mean{tag}",
                density[9] / middle if middle > 0 else float("inf"),
                "> 2 (bimodal)",
                bool(density[9] > 2 * middle),
            )
        )
        checks.append(
            Check(
                f"output rate, last 20% of run (Hz){tag}",
                out["rate_hz_last_fifth"],
                "> 1 Hz (the neuron fires)",
                bool(out["rate_hz_last_fifth"] > 1.0),
            )
        )
        per_seed[str(seed)] = {
            "decile_density": density,
            "middle_mean_density": middle,
            "rate_hz_last_fifth": out["rate_hz_last_fifth"],
            "n_output_spikes": int(out["spike_times_s"].size),
            "w_over_gmax": out["w_over_gmax"],
        }
    values = {
        "duration_s": duration_s,
        "learning_rate_scale": learning_rate_scale,
        "n_inputs": N_INPUTS,
        "input_rate_hz": INPUT_RATE_HZ,
        "g_max": G_MAX,
        "seeds": per_seed,
    }
    return ValidationResult(NAME, REFERENCE, checks, values)
