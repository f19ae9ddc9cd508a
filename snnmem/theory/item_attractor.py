"""Mean-field theory of the item-attractor network (Brunel & Wang 2001, Appendix).

Brunel N, Wang X-J (2001). Effects of neuromodulation in a cortical network model of
object working memory dominated by recurrent inhibition. J Comput Neurosci 11:63-85.

Populations: the ``n_items`` selective pools, the non-selective pool and the
interneurons, each described by one firing rate. For given rates the theory gives
each population's input, and the rate it fires in response (``transfer``); the
network's stationary states are the fixed points ``rates = transfer(rates)``.

Input of a cell of population ``q`` (all-to-all, as in the circuit):

- external AMPA: ``s_ext = n_sources * rate_per_source * tau_ampa``;
- recurrent AMPA: ``S_ampa = sum_P w[P, q] N_P nu_P tau_ampa``;
- NMDA: ``S_nmda = sum_P w[P, q] N_P psi(nu_P)`` with ``psi`` the mean gating of a cell
  firing Poisson spikes at ``nu`` (:func:`nmda_gating_mean`, BW2001 series);
- GABA_A: ``S_gaba = N_I nu_I tau_gaba``.

The Mg block is linearised around the mean voltage ``<V>`` (itself corrected for the
time spent in the reset, ``<V> = mu_V - (V_th - V_reset) nu tau_eff``); the total
conductance gives the effective membrane time constant ``tau_eff = C / G``. The
fluctuations come from the external Poisson AMPA input (optionally also the recurrent
AMPA and GABA_A spikes), in the diffusion approximation; NMDA (slow) contributes to the
mean only. The rate is
the first-passage rate of the leaky integrate-and-fire neuron with the Fourcaud-Brunel
correction for synaptic filtering (threshold and reset moved up by
``1.03 sigma_V sqrt(tau_ampa / tau_eff)``)::

    1 / nu = tau_ref + tau_eff sqrt(pi) int_{y_r}^{y_th} exp(u^2) (1 + erf(u)) du

Stability of a state: with rate dynamics ``tau dnu/dt = -nu + transfer(nu)``, the
Jacobian ``A = d transfer / d nu`` (finite differences). For the symmetric state of two
active pools the *antisymmetric* mode (one pool up, the other down by the same amount)
leaves every other input unchanged (w- is the same from both), so its eigenvalue
``lambda_anti = A[1,1] - A[1,2]`` decides alone: the state is unstable for
``lambda_anti > 1``, whatever the time constants.

Everything is in SI units (rates in Hz). No Brian2 import: the model's quantities are
read as floats.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import comb, factorial

import numpy as np
from scipy import integrate, special

__all__ = ["MeanField", "nmda_gating_mean", "lif_rate", "State"]

#: Fourcaud & Brunel (2002): sqrt(2) |zeta(1/2)| / 2
SYNAPTIC_FILTER_SHIFT = 1.03
_SERIES_TERMS = 40


def nmda_gating_mean(rate_hz: float, tau_rise: float, tau_decay: float, alpha: float) -> float:
    """Mean NMDA gating ``<s>`` of a synapse driven by Poisson spikes at ``rate_hz`` (BW2001, Appendix).

    Gating ``ds/dt = -s/tau_decay + alpha x (1 - s)``, ``dx/dt = -x/tau_rise``, ``x += 1``
    per spike. With ``tau_N = alpha tau_rise tau_decay``::

        psi(nu) = nu tau_N / (1 + nu tau_N) * (1 + sum_n (-alpha tau_rise)^n T_n(nu) / ((n+1)! (1 + nu tau_N)))
        T_n(nu) = sum_k (-1)^k C(n, k) tau_rise (1 + nu tau_N) / (tau_rise (1 + nu tau_N) + k tau_decay)

    The series is Brunel & Wang's approximation; it lies within ~5 % of the exact mean
    (``tests/test_theory.py`` checks it against a direct simulation of the gating).
    """
    if rate_hz < 0 or not np.isfinite(rate_hz):
        raise ValueError(f"rate_hz must be a finite rate >= 0, got {rate_hz!r}")
    tau_n = alpha * tau_rise * tau_decay
    x = rate_hz * tau_n
    total = 0.0
    for n in range(1, _SERIES_TERMS + 1):
        t_n = sum(
            (-1) ** k * comb(n, k) * tau_rise * (1 + x) / (tau_rise * (1 + x) + k * tau_decay) for k in range(n + 1)
        )
        total += (-alpha * tau_rise) ** n * t_n / factorial(n + 1)
    return x / (1 + x) * (1 + total / (1 + x))


def lif_rate(
    mu: float,
    sigma: float,
    tau_eff: float,
    v_threshold: float,
    v_reset: float,
    refractory: float,
    tau_synapse: float = 0.0,
) -> float:
    """Stationary rate (Hz) of a leaky integrate-and-fire neuron with white-noise input (Siegert formula).

    ``tau_eff dV/dt = -(V - mu) + sigma sqrt(tau_eff) xi``; ``tau_synapse > 0`` applies the
    Fourcaud-Brunel shift for synaptic filtering.
    """
    shift = SYNAPTIC_FILTER_SHIFT * np.sqrt(tau_synapse / tau_eff) if tau_synapse > 0 else 0.0
    y_threshold = (v_threshold - mu) / sigma + shift
    y_reset = (v_reset - mu) / sigma + shift
    if y_reset > 25:  # far below threshold: no spikes in any time that matters
        return 0.0
    integral, _ = integrate.quad(lambda u: special.erfcx(-u), y_reset, y_threshold, limit=200)
    return 1.0 / (refractory + tau_eff * np.sqrt(np.pi) * integral)


@dataclass(frozen=True)
class State:
    """A fixed point: rates (Hz) of the selective pools, the non-selective pool and the interneurons."""

    rates_hz: np.ndarray
    jacobian: np.ndarray
    converged: bool

    @property
    def selective_hz(self) -> np.ndarray:
        """Rates of the selective pools (item 1 first)."""
        return self.rates_hz[:-2]

    @property
    def nonselective_hz(self) -> float:
        """Rate of the non-selective pool."""
        return float(self.rates_hz[-2])

    @property
    def inhibitory_hz(self) -> float:
        """Rate of the interneurons."""
        return float(self.rates_hz[-1])

    def antisymmetric_eigenvalue(self, pool_a: int = 0, pool_b: int = 1) -> float:
        """``A[a, a] - A[a, b]``: growth of a difference between two pools at the same rate (> 1: unstable)."""
        return float(self.jacobian[pool_a, pool_a] - self.jacobian[pool_a, pool_b])


class MeanField:
    """Mean-field description of an ``item_attractor`` model (see the module docstring).

    Parameters
    ----------
    spec
        A validated model of the ``item_attractor`` circuit (``snnmem.load_model``).
    recurrent_noise
        Count the recurrent AMPA and GABA_A spikes as independent Poisson noise too
        (they shrink as 1 / N with the scaled conductances). Default ``False``: external
        noise only, as in Brunel & Wang's theory; the theory is then the same for every
        network size (the large-network limit).
    """

    def __init__(self, spec, recurrent_noise: bool = False) -> None:
        from ..circuits import item_attractor as ia

        if spec.circuit != "item_attractor":
            raise ValueError(f"MeanField needs an item_attractor model, got circuit {spec.circuit!r}")
        net, syn, cond, ext = (spec.section(s) for s in ("network", "synapses", "conductances", "external"))
        n_item, n_nonselective = ia.pool_sizes(spec)
        self.recurrent_noise = bool(recurrent_noise)
        self.n_items = net["n_items"]
        self.sizes = np.array([n_item] * self.n_items + [n_nonselective], dtype=float)
        self.n_inh = float(net["n_inh"])
        self.weights = ia.pool_weights(spec)  # [pre pool, post pool]
        scale_exc = cond["reference_n_exc"] / net["n_exc"]
        scale_inh = cond["reference_n_inh"] / net["n_inh"]
        self.syn = {key: float(syn[key]) for key in syn}
        self.external_rate = ext["n_sources"] * float(ext["rate_per_source"])
        self.cells = {}
        for kind in ("exc", "inh"):
            cells = spec.section(kind)
            self.cells[kind] = {
                key: float(cells[key])
                for key in ("capacitance", "g_leak", "v_leak", "v_threshold", "v_reset", "refractory")
            }
            self.cells[kind].update(
                g_ext=float(cond[f"g_ext_ampa_{kind}"]),
                g_ampa=float(cond[f"g_rec_ampa_{kind}"]) * scale_exc,
                g_nmda=float(cond[f"g_nmda_{kind}"]) * scale_exc,
                g_gaba=float(cond[f"g_gaba_{kind}"]) * scale_inh,
            )

    # ------------------------------------------------------------------ one population
    def _psi(self, rates_hz: np.ndarray) -> np.ndarray:
        s = self.syn
        return np.array(
            [nmda_gating_mean(r, s["tau_nmda_rise"], s["tau_nmda_decay"], s["alpha_nmda"]) for r in rates_hz]
        )

    def membrane(
        self,
        kind: str,
        presynaptic_weights: np.ndarray,
        exc_rates: np.ndarray,
        inh_rate: float,
        rate_guess: float,
        nmda_gating: np.ndarray | None = None,
        extra_input_hz: float = 0.0,
    ) -> tuple[float, float, float]:
        """``(mu_V, sigma_V, tau_eff)`` of a cell of ``kind`` (``"exc"``/``"inh"``) at the given rates.

        ``presynaptic_weights[P]`` is the weight from pool ``P`` onto this cell;
        ``nmda_gating`` the pools' mean NMDA gating (computed from ``exc_rates`` if not given);
        ``extra_input_hz`` extra external Poisson input (a cue: same AMPA synapses as the
        external drive), added to the mean and to the noise.
        """
        if nmda_gating is None:
            nmda_gating = self._psi(exc_rates)
        c, s = self.cells[kind], self.syn
        e_ampa, e_nmda, e_gaba = s["e_ampa"], s["e_nmda"], s["e_gaba"]
        external_rate = self.external_rate + extra_input_hz
        s_ext = external_rate * s["tau_ampa_decay"]
        s_ampa = float(np.sum(presynaptic_weights * self.sizes * exc_rates)) * s["tau_ampa_decay"]
        s_nmda = float(np.sum(presynaptic_weights * self.sizes * nmda_gating))
        s_gaba = self.n_inh * inh_rate * s["tau_gaba_decay"]
        beta, mg = s["mg_block_slope"], s["mg_block_factor"]
        v_mean = c["v_reset"]
        for _ in range(50):  # <V> and the linearised Mg block, self-consistently
            block = 1.0 + np.exp(-beta * v_mean) / mg
            slope = (1.0 + beta * (v_mean - e_nmda) * (block - 1.0) / block) / block
            offset = (v_mean - e_nmda) / block - slope * v_mean
            conductance = (
                c["g_leak"]
                + c["g_ext"] * s_ext
                + c["g_ampa"] * s_ampa
                + c["g_nmda"] * s_nmda * slope
                + c["g_gaba"] * s_gaba
            )
            mu = (
                c["g_leak"] * c["v_leak"]
                + (c["g_ext"] * s_ext + c["g_ampa"] * s_ampa) * e_ampa
                + c["g_gaba"] * s_gaba * e_gaba
                - c["g_nmda"] * s_nmda * offset
            ) / conductance
            tau_eff = c["capacitance"] / conductance
            # the membrane never averages above threshold (mean-driven cells are reset there)
            new_v_mean = min(mu, c["v_threshold"]) - (c["v_threshold"] - c["v_reset"]) * rate_guess * tau_eff
            if abs(new_v_mean - v_mean) < 1e-7:
                break
            v_mean = new_v_mean
        tau_a, tau_g = s["tau_ampa_decay"], s["tau_gaba_decay"]
        charge_ampa = (mu - e_ampa) * tau_a
        variance_rate = external_rate * (c["g_ext"] * charge_ampa) ** 2
        if self.recurrent_noise:
            variance_rate += (
                float(np.sum(self.sizes * exc_rates * (presynaptic_weights * c["g_ampa"] * charge_ampa) ** 2))
                + self.n_inh * inh_rate * (c["g_gaba"] * (mu - e_gaba) * tau_g) ** 2
            )
        sigma = np.sqrt(variance_rate * tau_eff) / c["capacitance"]
        return mu, sigma, tau_eff

    def _population_rate(
        self,
        kind: str,
        weights: np.ndarray,
        exc_rates: np.ndarray,
        inh_rate: float,
        rate_guess: float,
        nmda_gating: np.ndarray,
        extra_input_hz: float = 0.0,
    ) -> float:
        c = self.cells[kind]
        mu, sigma, tau_eff = self.membrane(kind, weights, exc_rates, inh_rate, rate_guess, nmda_gating, extra_input_hz)
        return lif_rate(mu, sigma, tau_eff, c["v_threshold"], c["v_reset"], c["refractory"], self.syn["tau_ampa_decay"])

    # ------------------------------------------------------------------ the network
    def transfer(
        self, rates_hz: np.ndarray, populations: list[int] | None = None, extra_input_hz: np.ndarray | None = None
    ) -> np.ndarray:
        """Output rate of every population (or of ``populations`` only).

        Input rates ``[pools..., non-selective, inh]`` (Hz); ``extra_input_hz`` (same layout):
        extra external Poisson input per population (a cue).
        """
        rates_hz = np.asarray(rates_hz, dtype=float)
        extra = np.zeros(len(rates_hz)) if extra_input_hz is None else np.asarray(extra_input_hz, dtype=float)
        exc, inh = np.clip(rates_hz[:-1], 0.0, None), max(float(rates_hz[-1]), 0.0)
        wanted = range(len(rates_hz)) if populations is None else populations
        gating = self._psi(exc)  # shared by every postsynaptic population
        out = []
        for q in wanted:
            if q == len(exc):
                out.append(self._population_rate("inh", np.ones(len(exc)), exc, inh, inh, gating, extra[q]))
            else:
                out.append(self._population_rate("exc", self.weights[:, q], exc, inh, exc[q], gating, extra[q]))
        return np.asarray(out)

    def relax(
        self,
        rates_hz: np.ndarray,
        extra_input_hz: np.ndarray | None = None,
        relaxation: float = 0.2,
        max_steps: int = 3000,
        tolerance_hz: float = 1e-4,
    ) -> np.ndarray:
        """Rates after relaxing every population (no symmetry imposed) from ``rates_hz``.

        ``nu <- nu + relaxation (transfer(nu, extra) - nu)`` until the change is below ``tolerance_hz``.
        """
        x = np.asarray(rates_hz, dtype=float).copy()
        for _ in range(max_steps):
            step = relaxation * (self.transfer(x, extra_input_hz=extra_input_hz) - x)
            x = np.clip(x + step, 0.0, None)
            if np.max(np.abs(step)) < tolerance_hz:
                break
        return x

    def distractor_outcome(
        self, item_a: int, item_b: int, distractor_hz: float, held_threshold_hz: float = 10.0
    ) -> tuple[bool, bool]:
        """Steady-state distractor: ``(A held, B held)`` after a *long* distractor onto pool B.

        From the one-item state of ``item_a``, the rates relax with ``distractor_hz``
        extra Poisson input onto every cell of ``item_b`` (a cue of strength s adds
        ``s * protocol.cue_rate``), then relax again without it. A stationary (long)
        distractor is the strongest one of its rate, so the strength at which this
        switches the memory is a lower bound for a brief one.
        """
        start = self.fixed_point((item_a,)).rates_hz
        extra = np.zeros(len(start))
        extra[item_b - 1] = distractor_hz
        after = self.relax(self.relax(start, extra))
        return bool(after[item_a - 1] >= held_threshold_hz), bool(after[item_b - 1] >= held_threshold_hz)

    def distractor_threshold(
        self,
        item_a: int,
        item_b: int,
        cue_rate_hz: float,
        max_strength: float = 2.0,
        held_threshold_hz: float = 10.0,
        iterations: int = 8,
    ) -> float:
        """Weakest distractor strength (x ``cue_rate_hz``) that switches the memory from A to B, by bisection.

        Uses :meth:`distractor_outcome` (long distractor: a lower bound for a brief
        one). NaN if ``max_strength`` does not switch it.
        """

        def switches(strength: float) -> bool:
            held_a, held_b = self.distractor_outcome(item_a, item_b, strength * cue_rate_hz, held_threshold_hz)
            return held_b and not held_a

        low, high = 0.0, float(max_strength)
        if not switches(high):
            return float("nan")
        for _ in range(iterations):
            middle = 0.5 * (low + high)
            low, high = (low, middle) if switches(middle) else (middle, high)
        return 0.5 * (low + high)

    def jacobian(self, rates_hz: np.ndarray, step_hz: float = 1e-3) -> np.ndarray:
        """``d transfer_q / d nu_P`` by central differences."""
        rates_hz = np.asarray(rates_hz, dtype=float)
        columns = []
        for p in range(len(rates_hz)):
            up, down = rates_hz.copy(), rates_hz.copy()
            up[p] += step_hz
            down[p] = max(down[p] - step_hz, 0.0)
            columns.append((self.transfer(up) - self.transfer(down)) / (up[p] - down[p]))
        return np.array(columns).T

    def fixed_point(
        self,
        active_items: tuple[int, ...] = (),
        active_hz: float = 40.0,
        background_hz: float = 2.0,
        inhibitory_hz: float = 10.0,
        relaxation: float = 0.2,
        max_steps: int = 3000,
        tolerance_hz: float = 1e-6,
    ) -> State:
        """The stationary state reached from ``active_items`` (1-based) at ``active_hz``, the rest low.

        Active pools share one rate and silent pools another, so a symmetric state is
        followed even where differences between its pools would grow (see
        :meth:`State.antisymmetric_eigenvalue`). The rates relax as
        ``nu <- nu + relaxation (transfer(nu) - nu)`` (rate dynamics in discrete time) until
        they change by less than ``tolerance_hz``: a state reached this way is stable
        within the symmetric family; if no state with these pools active exists, the
        rates fall back to the spontaneous state.
        """
        active = np.zeros(self.n_items, dtype=bool)
        for item in active_items:
            if not 1 <= item <= self.n_items:
                raise ValueError(f"active item {item} not in 1..{self.n_items}")
            active[item - 1] = True
        first_active = int(np.argmax(active)) if active.any() else None
        first_silent = int(np.argmin(active)) if not active.all() else None
        representatives = [q for q in (first_active, first_silent) if q is not None] + [self.n_items, self.n_items + 1]

        def expand(x: np.ndarray) -> np.ndarray:
            values = dict(zip(representatives, x))
            pools = [values[first_active] if active[k] else values[first_silent] for k in range(self.n_items)]
            return np.array(pools + [values[self.n_items], values[self.n_items + 1]])

        start = {
            first_active: active_hz,
            first_silent: background_hz,
            self.n_items: background_hz,
            self.n_items + 1: inhibitory_hz,
        }
        x = np.array([start[q] for q in representatives])
        converged = False
        for _ in range(max_steps):
            step = relaxation * (self.transfer(expand(x), representatives) - x)
            x = np.clip(x + step, 0.0, None)
            if np.max(np.abs(step)) < tolerance_hz:
                converged = True
                break
        rates = expand(x)
        return State(rates_hz=rates, jacobian=self.jacobian(rates), converged=converged)
