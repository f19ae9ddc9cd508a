"""Retention over time: the shape of a forgetting curve, exponential or power law.

numpy in, numpy out (no Brian2). A retention curve is a measure of a memory relative to
its value right after learning (1 at age 0: e.g. the within/between weight ratio of an
assembly divided by its value at the end of training) sampled at ages ``t`` (s). Two
shapes are fitted by least squares, and compared by the Akaike information criterion
of a Gaussian residual (AIC = n ln(RSS / n) + 2 k; lower is better, a difference below
2 does not tell them apart):

- exponential decay to a floor (Ebbinghaus-style savings with an asymptote):
  :math:`r(t) = r_\\infty + (1 - r_\\infty)\\, e^{-t/\\tau}` (k = 2: :math:`r_\\infty`, :math:`\\tau`);
- power law (Wixted & Ebbesen 1991, Psychol Sci 2:409-415):
  :math:`r(t) = (1 + t/t_0)^{-\\beta}` (k = 2: :math:`t_0`, :math:`\\beta`).

Both are fitted on a grid of the nonlinear time parameter (log-spaced) with the other
parameter solved in closed form, then refined by scipy's bounded least squares; a curve
that does not decay gives :math:`\\tau = \\infty` (no forgetting within the window)
or :math:`\\beta \\le 0`, reported as such, not forced into a decay.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["CurveFit", "fit_forgetting_curve"]


@dataclass(frozen=True)
class CurveFit:
    """One fitted shape: its parameters, residual sum of squares and AIC."""

    shape: str
    parameters: dict[str, float]
    rss: float
    aic: float

    def predict(self, t: np.ndarray) -> np.ndarray:
        """The fitted curve at ages ``t`` (s)."""
        t = np.asarray(t, dtype=float)
        if self.shape == "exponential":
            floor, tau = self.parameters["r_inf"], self.parameters["tau_s"]
            return floor + (1.0 - floor) * np.exp(-t / tau) if np.isfinite(tau) else np.ones_like(t)
        return (1.0 + t / self.parameters["t0_s"]) ** (-self.parameters["beta"])


def _aic(rss: float, n: int, k: int) -> float:
    return float(n * np.log(max(rss, 1e-300) / n) + 2 * k)


def _exponential(t: np.ndarray, r: np.ndarray) -> CurveFit:
    from scipy.optimize import least_squares

    def floor_for(tau: float) -> tuple[float, float]:
        e = np.exp(-t / tau)
        basis = 1.0 - e  # r - e = r_inf (1 - e)
        denom = float(basis @ basis)
        floor = float(basis @ (r - e)) / denom if denom > 0 else 1.0
        return floor, float(np.sum((floor + (1.0 - floor) * e - r) ** 2))

    taus = np.geomspace(max(t[t > 0].min(), 1e-3) / 10, t.max() * 1e3, 400)
    best = min(taus, key=lambda tau: floor_for(tau)[1])
    floor, rss = floor_for(best)
    flat_rss = float(np.sum((r - 1.0) ** 2))  # tau -> infinity: no decay in the window
    if flat_rss <= rss * (1 + 1e-9) + 1e-15:  # a decay fits no better than no decay
        return CurveFit("exponential", {"r_inf": 1.0, "tau_s": float("inf")}, flat_rss, _aic(flat_rss, t.size, 2))

    def residual(p: np.ndarray) -> np.ndarray:
        return p[0] + (1.0 - p[0]) * np.exp(-t / np.exp(p[1])) - r

    fit = least_squares(residual, [floor, np.log(best)])
    floor, tau = float(fit.x[0]), float(np.exp(fit.x[1]))
    rss = float(np.sum(residual(fit.x) ** 2))
    return CurveFit("exponential", {"r_inf": floor, "tau_s": tau}, rss, _aic(rss, t.size, 2))


def _power_law(t: np.ndarray, r: np.ndarray) -> CurveFit:
    from scipy.optimize import least_squares

    positive = r > 0

    def beta_for(t0: float) -> tuple[float, float]:
        x = np.log1p(t[positive] / t0)  # ln r = -beta ln(1 + t/t0)
        denom = float(x @ x)
        beta = -float(x @ np.log(r[positive])) / denom if denom > 0 else 0.0
        return beta, float(np.sum(((1.0 + t / t0) ** (-beta) - r) ** 2))

    t0s = np.geomspace(max(t[t > 0].min(), 1e-3) / 100, t.max() * 1e3, 400)
    best = min(t0s, key=lambda t0: beta_for(t0)[1])
    beta, _ = beta_for(best)

    def residual(p: np.ndarray) -> np.ndarray:
        return (1.0 + t / np.exp(p[0])) ** (-p[1]) - r

    fit = least_squares(residual, [np.log(best), beta])
    t0, beta = float(np.exp(fit.x[0])), float(fit.x[1])
    rss = float(np.sum(residual(fit.x) ** 2))
    return CurveFit("power_law", {"t0_s": t0, "beta": beta}, rss, _aic(rss, t.size, 2))


def fit_forgetting_curve(ages_s: np.ndarray, retention: np.ndarray) -> dict[str, CurveFit]:
    """Fit an exponential and a power-law forgetting curve to a retention curve.

    Parameters
    ----------
    ages_s : array of float
        Ages of the memory (s, >= 0), at least 4 distinct.
    retention : array of float
        The measure relative to its value at age 0 (finite).

    Returns
    -------
    dict
        ``{"exponential": CurveFit, "power_law": CurveFit}``; the better shape is the one
        with the lower ``aic``.

    Raises
    ------
    ValueError
        Fewer than 4 distinct ages, a negative age, mismatched lengths or a non-finite value.
    """
    t = np.asarray(ages_s, dtype=float)
    r = np.asarray(retention, dtype=float)
    if t.shape != r.shape or t.ndim != 1:
        raise ValueError(f"ages_s and retention must be 1-D and of one length, got {t.shape} and {r.shape}")
    if not (np.all(np.isfinite(t)) and np.all(np.isfinite(r))):
        raise ValueError("ages_s and retention must be finite")
    if t.size and t.min() < 0:
        raise ValueError("ages_s must be >= 0")
    if np.unique(t).size < 4:
        raise ValueError(f"a forgetting curve needs at least 4 distinct ages, got {np.unique(t).size}")
    return {"exponential": _exponential(t, r), "power_law": _power_law(t, r)}
