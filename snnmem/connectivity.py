"""Connectivity profiles and their exact low-rank factorisation (pure numpy).

Ring attractor E->E weights depend only on the angular distance between the
pre- and postsynaptic preferred angles, so the weight matrix is *circulant*:
``W[j, i] = w[(j - i) mod N]``. A circulant matrix is diagonalised by the
discrete Fourier basis. With the real basis

.. math::

    b_0(\\theta) = 1,\\quad b_{2k-1}(\\theta) = \\cos k\\theta,\\quad
    b_{2k}(\\theta) = \\sin k\\theta,

and the (real, because ``w`` is symmetric) DFT :math:`\\hat w_k = \\sum_d w_d e^{-2\\pi i k d/N}`,

.. math::

    W_{ji} = \\sum_m c_m\\, b_m(\\theta_j)\\, b_m(\\theta_i),\\qquad
    c_0 = \\hat w_0 / N,\\; c_{2k-1} = c_{2k} = 2 \\hat w_k / N,\\;
    (c = \\hat w_{N/2}/N \\text{ for the Nyquist cosine}).

A smooth profile (a Gaussian) has Fourier coefficients that fall like
:math:`e^{-k^2\\sigma^2/2}`, so all but a few dozen modes are below any chosen
tolerance. The recurrent input :math:`\\sum_i W_{ji} s_i` then costs
:math:`2 N M` operations per step (project onto M modes, expand back) instead of
:math:`N^2` - for N = 2048 and a tolerance of 1e-9, M = 47 instead of 2048.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["ring_profile", "ring_j_minus", "preferred_angles", "circulant_modes", "LowRankCoupling"]


def preferred_angles(n_neurons: int) -> np.ndarray:
    """Preferred angle of each ring neuron, :math:`\\theta_k = 2\\pi k / N` (radians)."""
    return 2.0 * np.pi * np.arange(n_neurons) / n_neurons


def _angular_distance_deg(n_neurons: int) -> np.ndarray:
    offsets = np.arange(n_neurons)
    return np.minimum(offsets, n_neurons - offsets) * (360.0 / n_neurons)


def ring_j_minus(n_neurons: int, sigma_deg: float, j_plus: float) -> float:
    """Baseline weight J- that makes the discrete profile's mean exactly 1.

    The profile is ``w(d) = J- + (J+ - J-) exp(-d^2 / (2 sigma^2))`` (Compte et al.
    2000). Requiring ``mean_d w(d) = 1`` over the N discrete offsets gives
    ``J- = (1 - J+ g) / (1 - g)`` with ``g`` the mean of the Gaussian. (Compte et al.
    normalise the continuous integral; for N = 2048 the two differ by < 1e-6.)
    """
    if sigma_deg <= 0:
        raise ValueError(f"sigma_deg must be positive, got {sigma_deg}")
    gaussian = np.exp(-(_angular_distance_deg(n_neurons) ** 2) / (2.0 * sigma_deg**2))
    mean_gaussian = float(gaussian.mean())
    return (1.0 - j_plus * mean_gaussian) / (1.0 - mean_gaussian)


def ring_profile(n_neurons: int, sigma_deg: float, j_plus: float) -> np.ndarray:
    """Weight as a function of the offset ``d = (j - i) mod N``; mean exactly 1."""
    j_minus = ring_j_minus(n_neurons, sigma_deg, j_plus)
    gaussian = np.exp(-(_angular_distance_deg(n_neurons) ** 2) / (2.0 * sigma_deg**2))
    return j_minus + (j_plus - j_minus) * gaussian


class LowRankCoupling:
    """Exact-to-tolerance factorisation ``W = B diag(c) B^T`` of a circulant matrix.

    Parameters
    ----------
    basis
        ``(N, M)`` real Fourier basis sampled at the neurons' angles.
    coefficients
        ``(M,)`` mode weights ``c_m``.
    max_relative_error
        Largest dropped Fourier magnitude relative to the largest kept one: an upper
        bound on the relative error of each mode that was left out.
    """

    def __init__(self, basis: np.ndarray, coefficients: np.ndarray, max_relative_error: float) -> None:
        self.basis = basis
        self.coefficients = coefficients
        self.max_relative_error = max_relative_error

    @property
    def n_modes(self) -> int:
        return int(self.coefficients.size)

    def apply(self, presynaptic: np.ndarray) -> np.ndarray:
        """``W @ presynaptic`` through the modes (the reference for tests)."""
        return self.basis @ (self.coefficients * (self.basis.T @ presynaptic))

    def dense(self) -> np.ndarray:
        """The reconstructed ``(N, N)`` matrix (tests only: N^2 memory)."""
        return (self.basis * self.coefficients) @ self.basis.T


def circulant_modes(profile: np.ndarray, tolerance: float = 1e-9) -> LowRankCoupling:
    """Keep the Fourier modes of a symmetric circulant profile above ``tolerance``.

    Parameters
    ----------
    profile
        ``w[d]`` for offsets ``d = 0..N-1``; must satisfy ``w[d] == w[N-d]``.
    tolerance
        Modes whose DFT magnitude is below ``tolerance`` times the largest are
        dropped; ``0`` keeps every mode (an exact factorisation).

    Returns
    -------
    LowRankCoupling
    """
    profile = np.asarray(profile, dtype=np.float64)
    n = profile.size
    if n < 2:
        raise ValueError("profile needs at least 2 entries")
    if not np.allclose(profile[1:], profile[1:][::-1], rtol=0, atol=1e-12 * np.abs(profile).max()):
        raise ValueError("profile must be symmetric: w[d] == w[N - d]")
    if tolerance < 0 or not math.isfinite(tolerance):
        raise ValueError(f"tolerance must be a finite number >= 0, got {tolerance}")
    spectrum = np.fft.rfft(profile).real
    magnitude = np.abs(spectrum) / np.abs(spectrum).max()
    kept = np.nonzero(magnitude > tolerance)[0]
    if kept.size == 0 or kept[0] != 0:
        kept = np.union1d([0], kept)
    dropped = np.setdiff1d(np.arange(spectrum.size), kept)
    theta = preferred_angles(n)
    columns, coefficients = [], []
    for k in kept:
        if k == 0:
            columns.append(np.ones(n))
            coefficients.append(spectrum[0] / n)
        elif n % 2 == 0 and k == n // 2:
            columns.append(np.cos(k * theta))
            coefficients.append(spectrum[k] / n)
        else:
            columns.extend([np.cos(k * theta), np.sin(k * theta)])
            coefficients.extend([2.0 * spectrum[k] / n] * 2)
    max_error = float(magnitude[dropped].max()) if dropped.size else 0.0
    return LowRankCoupling(np.column_stack(columns), np.asarray(coefficients), max_error)
