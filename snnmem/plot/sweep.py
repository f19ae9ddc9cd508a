"""Sweep figures: a score against one or two swept parameters, mean +- SEM over seeds."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any, Mapping

import numpy as np

from ._words import score_label

__all__ = ["sweep_summary", "sweep_line", "sweep_heatmap", "sweep_figure"]


def sweep_summary(
    index: Mapping[str, np.ndarray] | str | Path, score: str | None = None, keys: list[str] | None = None
) -> dict[str, Any]:
    """Mean, SEM and count over seeds of one score, per combination of swept values.

    Parameters
    ----------
    index
        A sweep folder or its table (:func:`snnmem.sweeps.read_index`).
    score
        Score name (``bump_peak_rate_hz``); default: the first score of the index.
    keys
        Swept keys to group by (default: every key with more than one value).

    Returns
    -------
    dict
        ``keys``, ``values`` (per key: sorted unique SI values), ``labels`` (per key:
        the values as written), ``mean``, ``sem``, ``n`` arrays shaped by the grid,
        and ``score``. Points not done or without the score are left out; SEM is
        the standard deviation (ddof 1) over sqrt(n), NaN for a single seed.
    """
    from ..sweeps import read_index

    table = read_index(index) if isinstance(index, (str, Path)) else index
    scores = sorted(c[len("score.") :] for c in table if c.startswith("score."))
    if not scores:
        raise ValueError("the sweep has no scores yet (no point is done)")
    score = score or scores[0]
    if score not in scores:
        raise ValueError(f"no score {score!r} in the sweep; known: {scores}")
    grid_keys = table.grid_keys
    if keys is None:
        keys = [k for k in grid_keys if len(set(table[f"{k}_si"].tolist())) > 1] or grid_keys[:1]
    ok = (table["status"] == "done") & np.isfinite(table[f"score.{score}"])
    values, labels = [], []
    for key in keys:
        si = table[f"{key}_si"]
        unique = sorted(set(si.tolist()))
        values.append(np.array(unique))
        labels.append([str(table[key][np.flatnonzero(si == v)[0]]) for v in unique])
    shape = tuple(len(v) for v in values)
    mean, sem, n = np.full(shape, np.nan), np.full(shape, np.nan), np.zeros(shape, dtype=int)
    for cell in np.ndindex(*shape):
        mask = ok.copy()
        for key, axis_values, position in zip(keys, values, cell):
            mask &= table[f"{key}_si"] == axis_values[position]
        samples = table[f"score.{score}"][mask]
        n[cell] = samples.size
        if samples.size:
            mean[cell] = samples.mean()
            sem[cell] = samples.std(ddof=1) / np.sqrt(samples.size) if samples.size > 1 else np.nan
    return {"keys": keys, "values": values, "labels": labels, "mean": mean, "sem": sem, "n": n, "score": score}


def _numeric(axis_values: np.ndarray) -> bool:
    return bool(np.all(np.isfinite(axis_values)))


def _written_units(axis_values: np.ndarray, labels: list[str]) -> tuple[np.ndarray, str]:
    """The swept values in the unit the user wrote (``"0.36 nS"`` -> 0.36, ``"nS"``), else SI and ""."""
    parts = [str(label).split(maxsplit=1) for label in labels]
    units = {p[1] if len(p) == 2 else "" for p in parts}
    try:
        numbers = np.array([float(p[0]) for p in parts])
    except ValueError:
        return axis_values, ""
    if len(units) != 1 or not np.all(np.isfinite(numbers)):
        return axis_values, ""
    return numbers, units.pop()


def sweep_line(summary: Mapping[str, Any], ax: Any = None) -> Any:
    """Score against the first swept key (one line per value of a second key), mean +- SEM."""
    from matplotlib.figure import Figure

    if ax is None:
        ax = Figure(figsize=(4.5, 3.2)).add_subplot()
    keys, values, labels = summary["keys"], summary["values"], summary["labels"]
    x, unit = _written_units(values[0], labels[0]) if _numeric(values[0]) else (np.arange(len(values[0])), "")
    mean = np.atleast_2d(summary["mean"].reshape(len(values[0]), -1).T)
    sem = np.atleast_2d(summary["sem"].reshape(len(values[0]), -1).T)
    series = labels[1] if len(keys) > 1 else [None]
    for row, name in enumerate(series):
        err = np.nan_to_num(sem[row], nan=0.0)
        label = f"{keys[1]} = {name}" if name is not None else None
        ax.errorbar(x, mean[row], yerr=err, marker="o", capsize=3, label=label)
    if _numeric(values[0]):
        ax.ticklabel_format(axis="x", useOffset=False)  # 0.36, 0.38 nS: no "+3.6e-1" offset
    else:
        ax.set_xticks(x, labels[0])
    ax.set_xlabel(f"{keys[0]} ({unit})" if unit else keys[0])
    ax.set_ylabel(f"{score_label(summary['score'])}\n(mean ± SEM, n = {int(summary['n'].max())} seeds)")
    if len(keys) > 1:
        ax.legend(frameon=False, fontsize="small")
    return ax


def sweep_heatmap(summary: Mapping[str, Any], ax: Any = None) -> Any:
    """Mean score over two swept keys as a heat map (cells annotated with mean ± SEM)."""
    from matplotlib.figure import Figure

    if ax is None:
        ax = Figure(figsize=(5, 4)).add_subplot()
    keys, labels, mean, sem = summary["keys"], summary["labels"], summary["mean"], summary["sem"]
    image = ax.imshow(mean.T, origin="lower", aspect="auto", cmap="viridis")
    ax.set_xticks(range(len(labels[0])), labels[0], rotation=45, ha="right")
    ax.set_yticks(range(len(labels[1])), labels[1])
    ax.set_xlabel(keys[0])
    ax.set_ylabel(keys[1])
    for (i, j), value in np.ndenumerate(mean):
        if np.isfinite(value):
            text = f"{value:.3g}" + (f"\n±{sem[i, j]:.2g}" if np.isfinite(sem[i, j]) else "")
            ax.text(i, j, text, ha="center", va="center", fontsize="x-small", color="white")
    ax.figure.colorbar(image, ax=ax, label=textwrap.fill(score_label(summary["score"]), 30) + "\n(mean over seeds)")
    return ax


def sweep_figure(folder: str | Path, score: str | None = None) -> Any:
    """The standard sweep figure: a line for one swept key, a heat map for two (more: the first two)."""
    summary = sweep_summary(folder, score)
    if len(summary["keys"]) > 2:
        raise ValueError(f"{folder}: {len(summary['keys'])} swept keys vary; a figure shows one or two")
    ax = (
        sweep_heatmap(summary)
        if len(summary["keys"]) == 2 and min(map(len, summary["values"])) > 1
        else sweep_line(summary)
    )
    ax.set_title(f"{Path(folder).name}: {score_label(summary['score'])}", fontsize="medium")
    return ax.figure
