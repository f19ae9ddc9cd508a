r"""Vogels et al. (2011): inhibitory STDP drives the excitatory rate to ρ0.

Scaled network (documented deviation from the paper's 8000 E / 2000 I, 2 %
connectivity): 1600 E / 400 I neurons with connection probability 10 %, which keeps
each neuron's in-degree of the paper (160 excitatory, 40 inhibitory inputs).  Neurons
are conductance-based LIF (Vogels et al. 2011, supplementary methods):

.. math:: C\frac{dV}{dt} = g_L(E_L - V) + g_{E}(E_E - V) + g_{I}(E_I - V) + I_b,
          \qquad \frac{dg_E}{dt} = -\frac{g_E}{\tau_E},\quad
          \frac{dg_I}{dt} = -\frac{g_I}{\tau_I}

(C = 200 pF, g_L = 10 nS, E_L = -60 mV, threshold -50 mV, reset -60 mV, refractory
5 ms, E_E = 0 mV, E_I = -80 mV, τ_E = 5 ms, τ_I = 10 ms, I_b = 200 pA); every
excitatory spike adds 0.3 nS to g_E, I→I spikes add 3 nS to g_I, and I→E spikes add
:math:`w` nS, with :math:`w` following :class:`~snnmem.plasticity.InhibitorySTDP`
(τ = 20 ms, ρ0 = 3 Hz, so α = 0.12; initial w = 0; w in [0, 100] nS).  The learning
rate is η = 0.01 nS (the paper's η = 1e-4 in units of its larger ḡ, scaled up so the
rate settles within seconds).

Protocol: ``t_off_s`` (1 s) with η = 0 gives the no-plasticity rate; then η is
switched on for ``t_on_s`` (10 s).  Checks: the no-plasticity rate is above ρ0, and
the excitatory rate in the last 2 s has covered at least 90 % of the way from the
no-plasticity rate to ρ0, :math:`(r_{off} - r_{on})/(r_{off} - \rho_0) \ge 0.9`.
(Seed 1: 167 Hz without plasticity, 7.8 Hz after 10 s of iSTDP, still falling
slowly; longer ``t_on_s`` brings it closer to 3 Hz.)
"""

from __future__ import annotations

import numpy as np

from . import Check, ValidationResult, register
from ._common import codeobj_class

NAME = "vogels2011"
REFERENCE = (
    "Vogels TP, Sprekeler H, Zenke F, Clopath C, Gerstner W (2011) Inhibitory "
    "plasticity balances excitation and inhibition in sensory pathways and memory "
    "networks. Science 334:1569-1573."
)
N_EXCITATORY = 1600
N_INHIBITORY = 400
CONNECTION_PROBABILITY = 0.1
ETA = 1e-2
RHO0_HZ = 3.0
MIN_FRACTION_TOWARDS_RHO0 = 0.9


def simulate(
    seed: int, t_off_s: float = 1.0, t_on_s: float = 10.0, dt_s: float = 1e-4, target: str | None = "numpy"
) -> dict:
    """Run the scaled network once; returns rates (Hz) per phase and final I→E weights."""
    import brian2 as b2

    from snnmem.plasticity import InhibitorySTDP

    b2.start_scope()
    b2.seed(seed)
    cls = codeobj_class(target)
    dt = dt_s * b2.second
    neuron_namespace = dict(
        C=200 * b2.pF,
        g_L=10 * b2.nS,
        E_L=-60 * b2.mV,
        E_E=0 * b2.mV,
        E_I=-80 * b2.mV,
        tau_E=5 * b2.ms,
        tau_I=10 * b2.ms,
        I_b=200 * b2.pA,
        V_threshold=-50 * b2.mV,
        V_reset=-60 * b2.mV,
    )
    neurons = b2.NeuronGroup(
        N_EXCITATORY + N_INHIBITORY,
        """dv/dt = (g_L*(E_L - v) + g_E*(E_E - v) + g_I*(E_I - v) + I_b)/C : volt (unless refractory)
           dg_E/dt = -g_E/tau_E : siemens
           dg_I/dt = -g_I/tau_I : siemens""",
        threshold="v > V_threshold",
        reset="v = V_reset",
        refractory=5 * b2.ms,
        method="euler",
        dt=dt,
        codeobj_class=cls,
        namespace=neuron_namespace,
        name="vogels_neurons",
    )
    neurons.v = "E_L + rand()*(V_threshold - E_L)"
    excitatory = neurons[:N_EXCITATORY]
    inhibitory = neurons[N_EXCITATORY:]
    from_e = b2.Synapses(
        excitatory, neurons, on_pre="g_E_post += 0.3*nS", dt=dt, codeobj_class=cls, name="vogels_from_e", namespace={}
    )
    from_e.connect(p=CONNECTION_PROBABILITY)
    i_to_i = b2.Synapses(
        inhibitory, inhibitory, on_pre="g_I_post += 3*nS", dt=dt, codeobj_class=cls, name="vogels_i_to_i", namespace={}
    )
    i_to_i.connect(p=CONNECTION_PROBABILITY)
    rule = InhibitorySTDP.preset("vogels2011", eta=ETA, rho0=RHO0_HZ, w_max=100.0)
    kwargs = rule.synapses_kwargs(on_pre_effect="g_I_post += w*nS")
    i_to_e = b2.Synapses(inhibitory, excitatory, dt=dt, codeobj_class=cls, name="vogels_i_to_e", **kwargs)
    i_to_e.connect(p=CONNECTION_PROBABILITY)
    i_to_e.w = 0.0
    spikes = b2.SpikeMonitor(excitatory, name="vogels_e_spikes", codeobj_class=cls)
    network = b2.Network(neurons, from_e, i_to_i, i_to_e, spikes, name="vogels_network")
    i_to_e.namespace["eta"] = 0.0  # no plasticity: the reference rate
    network.run(t_off_s * b2.second)
    i_to_e.namespace["eta"] = rule.eta
    network.run(t_on_s * b2.second)
    times = np.array(spikes.t / b2.second)

    def rate(start: float, stop: float) -> float:
        return float(np.sum((times >= start) & (times < stop)) / (N_EXCITATORY * (stop - start)))

    total = t_off_s + t_on_s
    edges = np.arange(0.0, total + 1e-9, 0.5)
    return {
        "seed": seed,
        "rate_no_plasticity_hz": rate(0.2, t_off_s),
        "rate_final_hz": rate(total - 2.0, total),
        "rate_trace_hz": [rate(a, b) for a, b in zip(edges[:-1], edges[1:])],
        "rate_trace_bin_s": 0.5,
        "mean_w_i_to_e_ns": float(np.mean(i_to_e.w[:])),
        "t_off_s": t_off_s,
        "t_on_s": t_on_s,
    }


@register(
    NAME,
    REFERENCE,
    "E/I network (scaled 1600/400, same in-degree as 8000/2000 at 2%), "
    "iSTDP with rho0 = 3 Hz: the excitatory rate falls from its no-plasticity level "
    "towards rho0.",
)
def run(
    seeds: int | None = None, t_off_s: float = 1.0, t_on_s: float = 10.0, target: str | None = "numpy"
) -> ValidationResult:
    """Run ``seeds`` (default 1) networks; every seed must pass."""
    n_seeds = 1 if seeds is None else int(seeds)
    checks: list[Check] = []
    per_seed = {}
    for seed in range(1, n_seeds + 1):
        out = simulate(seed, t_off_s, t_on_s, target=target)
        tag = f" (seed {seed})" if n_seeds > 1 else ""
        before, after = out["rate_no_plasticity_hz"], out["rate_final_hz"]
        fraction = (before - after) / (before - RHO0_HZ) if before > RHO0_HZ else float("nan")
        checks.append(
            Check(f"E rate without plasticity (Hz){tag}", before, f"> rho0 = {RHO0_HZ:g} Hz", bool(before > RHO0_HZ))
        )
        checks.append(
            Check(
                f"E rate, last 2 s with iSTDP (Hz){tag}",
                after,
                f"< {before:.3g} Hz (falls towards rho0 = {RHO0_HZ:g} Hz)",
                bool(after < before),
            )
        )
        checks.append(
            Check(
                f"fraction of the way to rho0{tag}",
                fraction,
                f">= {MIN_FRACTION_TOWARDS_RHO0:g}",
                bool(fraction >= MIN_FRACTION_TOWARDS_RHO0),
            )
        )
        per_seed[str(seed)] = out
    values = {
        "rho0_hz": RHO0_HZ,
        "eta": ETA,
        "n_excitatory": N_EXCITATORY,
        "n_inhibitory": N_INHIBITORY,
        "connection_probability": CONNECTION_PROBABILITY,
        "seeds": per_seed,
    }
    return ValidationResult(NAME, REFERENCE, checks, values)
