"""The per-step floor of the Compte ring: the same arithmetic as the model, in one numba loop.

What one time step of ``models/compte2000.toml`` must do at least, written as tight
compiled code with no simulator around it:

- the low-rank E->E NMDA input: a dense ``(N_E, M)`` projection and its ``(M, N_E)``
  expansion (M Fourier modes);
- the neuron updates (forward Euler, as the model): membrane with AMPA, NMDA (with
  the Mg block's exponential) and GABA conductances, the synaptic decays, the NMDA
  gating of every E cell, threshold, reset and refractoriness, for E and I cells;
- the Poisson input: one binomial draw per cell per step (``n_sources`` sources at
  ``rate / n_sources`` each), as Brian2's ``PoissonInput`` draws it;
- GABA from the spikes of the step (one addition per I spike onto every cell's
  shared GABA variable, as the all-to-all synapses of the model add to each cell).

Parameters are the model's defaults (2048 E / 512 I, dt 0.05 ms); the activity is a
plausible asynchronous state, not a validated one: the floor counts operations, the
spikes only set how many GABA and gating events there are.
"""

from __future__ import annotations

import time

import numba
import numpy as np

__all__ = ["floor_per_step_s"]


@numba.njit(fastmath=True, cache=False)
def _binomial(n, p, q0):  # pragma: no cover - inversion, as Brian2 draws a binomial of small mean
    u = np.random.random()
    k, term = 0, q0
    while u > term and k < n:
        u -= term
        k += 1
        term *= (n - k + 1) / k * p / (1.0 - p)
    return k


@numba.njit(fastmath=True, cache=False)
def _steps(n_steps, basis, coupling, seed):  # pragma: no cover - timed, not tested
    np.random.seed(seed)
    n_exc, n_modes = basis.shape
    n_inh = n_exc // 4
    dt = 5e-5
    # E and I cell constants (SI): capacitance, leak, ...
    c_e, gl_e, c_i, gl_i = 0.5e-9, 25e-9, 0.2e-9, 20e-9
    v_l, v_th, v_r = -70e-3, -50e-3, -60e-3
    g_ext_e, g_ext_i, g_nmda_e, g_nmda_i, g_gaba_e, g_gaba_i = 3.1e-9, 2.38e-9, 0.381e-9, 0.292e-9, 1.336e-9, 1.024e-9
    e_gaba, slope, mg = -70e-3, 62.0, 3.57
    decay_ampa, decay_gaba = np.exp(-dt / 2e-3), np.exp(-dt / 10e-3)
    p_source = 1.8 * dt  # 1.8 kHz over 1000 sources: each at 1.8 Hz
    q0 = (1.0 - p_source) ** 1000
    v_e = v_r + np.random.rand(n_exc) * (v_th - v_r)
    v_i = v_r + np.random.rand(n_inh) * (v_th - v_r)
    s_ampa_e, s_ampa_i = np.zeros(n_exc), np.zeros(n_inh)
    s_gaba = 0.0  # all-to-all GABA: every cell's s_gaba is the same sum
    s_nmda, x_nmda = np.zeros(n_exc), np.zeros(n_exc)
    ref_e, ref_i = np.zeros(n_exc), np.zeros(n_inh)
    modes = np.zeros(n_modes)
    total = np.zeros(n_exc)
    n_spikes = 0
    for _ in range(n_steps):
        modes[:] = 0.0
        for i in range(n_exc):
            s = s_nmda[i]
            for m in range(n_modes):
                modes[m] += basis[i, m] * s
        total[:] = 0.0
        for m in range(n_modes):
            p = modes[m]
            for j in range(n_exc):
                total[j] += coupling[m, j] * p
        new_gaba = 0.0
        for i in range(n_exc):
            s_ampa_e[i] = s_ampa_e[i] * decay_ampa + _binomial(1000, p_source, q0)
            s_nmda[i] += dt * (-s_nmda[i] / 0.1 + 500.0 * x_nmda[i] * (1.0 - s_nmda[i]))
            x_nmda[i] -= dt * x_nmda[i] / 2e-3
            if ref_e[i] > 0:
                ref_e[i] -= dt
                continue
            v = v_e[i]
            current = (
                -gl_e * (v - v_l)
                - g_ext_e * s_ampa_e[i] * v
                - g_nmda_e * total[i] * v / (1.0 + np.exp(-slope * v) / mg)
                - g_gaba_e * s_gaba * (v - e_gaba)
            )
            v += dt * current / c_e
            if v > v_th:
                v, ref_e[i] = v_r, 2e-3
                x_nmda[i] += 1.0
                n_spikes += 1
            v_e[i] = v
        for i in range(n_inh):
            s_ampa_i[i] = s_ampa_i[i] * decay_ampa + _binomial(1000, p_source, q0)
            if ref_i[i] > 0:
                ref_i[i] -= dt
                continue
            v = v_i[i]
            current = (
                -gl_i * (v - v_l)
                - g_ext_i * s_ampa_i[i] * v
                - g_nmda_i * modes[0] * v / (1.0 + np.exp(-slope * v) / mg)
                - g_gaba_i * s_gaba * (v - e_gaba)
            )
            v += dt * current / c_i
            if v > v_th:
                v, ref_i[i] = v_r, 1e-3
                new_gaba += 1.0
                n_spikes += 1
            v_i[i] = v
        s_gaba = s_gaba * decay_gaba + new_gaba
    return n_spikes


def floor_per_step_s(basis: np.ndarray, coefficients: np.ndarray, n_steps: int = 20000, seed: int = 1) -> dict:
    """Seconds per step of the floor loop (after one compiling call), and its spike rate.

    Parameters
    ----------
    basis, coefficients
        The model's Fourier modes (:func:`snnmem.circuits.ring.ee_coupling`).
    n_steps
        Steps timed (20000 = 1 s at dt 0.05 ms).
    """
    basis = np.ascontiguousarray(basis, dtype=np.float64)
    coupling = np.ascontiguousarray((basis * coefficients).T, dtype=np.float64)
    _steps(10, basis, coupling, seed)  # compile
    start = time.perf_counter()
    spikes = _steps(n_steps, basis, coupling, seed)
    elapsed = time.perf_counter() - start
    n_cells = basis.shape[0] * 5 // 4
    return {"per_step_s": elapsed / n_steps, "rate_hz": spikes / (n_cells * n_steps * 5e-5)}
