"""Episodes that share a prototype, and how close a recalled pattern is to the instance or to the concept.

Systems-consolidation models (e.g. Spens & Burgess 2024, Nat Hum Behav 8:526-543) predict
that recall from the neocortex alone drifts from the specific episode toward what the
episodes share (semantisation). These functions give the structure and the measure,
numpy in, numpy out:

- :func:`prototype_episodes` draws K episodes over ``n_cells`` cells, each of ``size``
  cells, of which a fraction ``shared_fraction`` (the **prototype**) is common to all and
  the rest is specific to the episode (no specific cell in two episodes);
- :func:`block_weights` averages a synapse list's weights between cell sets (what a network
  learned from the prototype and from each episode's specific cells);
- :func:`instance_prototype_similarity` scores a recalled 0/1 (or rate) pattern against
  the cued instance and against the prototype with the cosine similarity
  :math:`\\cos(r, p) = r \\cdot p / (\\lVert r \\rVert \\lVert p \\rVert)`, and the
  **semantisation index** :math:`\\cos(r, \\text{prototype}) - \\cos(r, \\text{instance})`.

For 0/1 patterns: recalling exactly the instance gives
:math:`\\cos(r,\\text{instance}) = 1` and :math:`\\cos(r,\\text{prototype}) =
\\sqrt{f}` (f the shared fraction), index :math:`\\sqrt f - 1 < 0`; recalling exactly the
prototype gives 1 and :math:`\\sqrt f`, index :math:`1 - \\sqrt f > 0`.
"""

from __future__ import annotations

import numpy as np

from . import _checks

__all__ = ["prototype_episodes", "instance_prototype_similarity", "cosine_similarity", "block_weights"]


def prototype_episodes(
    n_cells: int, n_episodes: int, size: int, shared_fraction: float, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    """K episodes that share a prototype, drawn from ``seed``.

    Parameters
    ----------
    n_cells
        Cells the episodes are drawn from.
    n_episodes
        K.
    size
        Cells per episode.
    shared_fraction
        Fraction of each episode's cells common to every episode (the prototype), in
        [0, 1]; ``round(shared_fraction * size)`` cells.
    seed
        Draws the cells (same seed, same episodes).

    Returns
    -------
    episodes : bool ``[n_episodes, n_cells]``
    prototype : bool ``[n_cells]`` (the shared cells; a subset of every episode)
    """
    n = _checks.positive_int(n_cells, "n_cells")
    k = _checks.positive_int(n_episodes, "n_episodes")
    m = _checks.positive_int(size, "size")
    fraction = _checks.finite_float(shared_fraction, "shared_fraction")
    if not 0.0 <= fraction <= 1.0:
        raise ValueError(f"shared_fraction must lie in [0, 1], got {fraction}")
    shared = int(round(fraction * m))
    needed = shared + k * (m - shared)
    if needed > n:
        raise ValueError(f"{k} episodes of {m} cells with {shared} shared need {needed} cells; n_cells is {n}")
    order = np.random.default_rng([0xC0C, int(seed)]).permutation(n)
    prototype = np.zeros(n, dtype=bool)
    prototype[order[:shared]] = True
    episodes = np.zeros((k, n), dtype=bool)
    for e in range(k):
        specific = order[shared + e * (m - shared) : shared + (e + 1) * (m - shared)]
        episodes[e, specific] = True
        episodes[e] |= prototype
    return episodes, prototype


def cosine_similarity(recalled: np.ndarray, patterns: np.ndarray) -> np.ndarray:
    """Cosine similarity of each row of ``recalled`` ``[n_recalls, n_cells]`` with each of ``patterns``.

    Returns ``[n_recalls, n_patterns]``; 0 where either vector is zero.
    """
    r = np.atleast_2d(np.asarray(recalled, dtype=float))
    p = np.atleast_2d(np.asarray(patterns, dtype=float))
    if r.shape[1] != p.shape[1]:
        raise ValueError(f"recalled has {r.shape[1]} cells, patterns {p.shape[1]}")
    norms = np.linalg.norm(r, axis=1)[:, None] * np.linalg.norm(p, axis=1)[None, :]
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(norms > 0, r @ p.T / norms, 0.0)


def instance_prototype_similarity(
    recalled: np.ndarray, instance: np.ndarray, prototype: np.ndarray
) -> dict[str, float]:
    """How close a recalled pattern is to the cued instance and to the prototype.

    Parameters
    ----------
    recalled
        Activity of every cell in the recall window (0/1 or rates), ``[n_cells]``.
    instance, prototype
        0/1 patterns ``[n_cells]``.

    Returns
    -------
    dict
        ``instance_similarity``, ``prototype_similarity`` (cosines) and
        ``semantisation_index`` (prototype minus instance similarity: > 0 closer to the
        prototype, < 0 closer to the instance).
    """
    sims = cosine_similarity(recalled, np.vstack([instance, prototype]))[0]
    return {
        "instance_similarity": float(sims[0]),
        "prototype_similarity": float(sims[1]),
        "semantisation_index": float(sims[1] - sims[0]),
    }


def block_weights(
    pre: np.ndarray, post: np.ndarray, weights: np.ndarray, pre_sets: np.ndarray, post_sets: np.ndarray
) -> np.ndarray:
    """Mean weight of the synapses from each presynaptic cell set onto each postsynaptic one.

    Parameters
    ----------
    pre, post
        Presynaptic and postsynaptic cell of every synapse (``[n_synapses]`` ints).
    weights
        Weight of every synapse (``[n_synapses]``).
    pre_sets, post_sets
        Bool masks ``[n_pre_sets, n_pre_cells]`` and ``[n_post_sets, n_post_cells]``
        (e.g. the prototype and each episode's specific cells).

    Returns
    -------
    ``[n_pre_sets, n_post_sets]`` mean weights; NaN where no synapse joins the two sets.
    """
    i = np.asarray(pre, dtype=np.int64)
    j = np.asarray(post, dtype=np.int64)
    w = np.asarray(weights, dtype=float)
    if not (i.shape == j.shape == w.shape and i.ndim == 1):
        raise ValueError(f"pre, post and weights must be 1-d of one length, got {i.shape}, {j.shape}, {w.shape}")
    a = np.atleast_2d(np.asarray(pre_sets, dtype=bool))
    b = np.atleast_2d(np.asarray(post_sets, dtype=bool))
    if i.size and (i.max() >= a.shape[1] or j.max() >= b.shape[1]):
        raise ValueError(f"a synapse names a cell beyond the sets' {a.shape[1]} / {b.shape[1]} cells")
    sums = a[:, i].astype(float) @ (b[:, j].astype(float) * w).T
    counts = a[:, i].astype(float) @ b[:, j].astype(float).T
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(counts > 0, sums / counts, np.nan)
