"""The ``snnmem bench`` figure: models x tasks, each task's first headline score with its seed spread."""

from __future__ import annotations

import textwrap
from typing import Any, Sequence

import numpy as np

from ._words import score_is_binary, score_label, task_name

__all__ = ["bench_figure"]


def bench_figure(rows: Sequence[Any]) -> Any:
    """One panel per task (three per row): the first headline score of every model, a dot per seed and the mean.

    Models where the task does not apply are marked ``n/a`` (the table says why). Titles
    name the task and axis labels describe the score in words, with its unit; a 0/1
    score's bar is the fraction of seeds.
    """
    from matplotlib.figure import Figure

    from .. import registry

    tasks = list(dict.fromkeys(row.task for row in rows))
    models = list(dict.fromkeys(row.model for row in rows))
    n_columns = min(len(tasks), 3)
    n_rows = -(-len(tasks) // n_columns)
    figure = Figure(figsize=(2.8 * n_columns + 0.6, 3.3 * n_rows), layout="constrained")
    axes = np.atleast_1d(figure.subplots(n_rows, n_columns, sharey=False)).ravel()
    for ax in axes[len(tasks) :]:
        ax.set_axis_off()
    for ax, task in zip(axes, tasks):
        score = registry.get("task", task).headline[0]
        binary = score_is_binary(score)
        for x, model in enumerate(models):
            row = next((r for r in rows if r.task == task and r.model == model), None)
            values = np.asarray(row.scores.get(score, []) if row is not None else [], dtype=float)
            values = values[np.isfinite(values)]
            if row is None or not row.applies or not values.size:
                ax.text(
                    x, 0.5, "n/a", ha="center", va="center", fontsize=7, color="0.5", transform=ax.get_xaxis_transform()
                )
                continue
            ax.bar(x, values.mean(), width=0.6, color=f"C{x % 10}", alpha=0.35)
            jitter = np.linspace(-0.15, 0.15, values.size) if values.size > 1 else np.zeros(1)
            ax.scatter(x + jitter, values, s=12, color=f"C{x % 10}", zorder=3, clip_on=False)
        ax.set_title(task_name(task), fontsize=9)
        label = textwrap.fill(score_label(score), 30) + ("\n(fraction of seeds)" if binary else "")
        ax.set_ylabel(label, fontsize=8)
        ax.set_xticks(range(len(models)))
        ax.set_xlim(-0.6, len(models) - 0.4)
        ax.set_xticklabels(models, rotation=45, ha="right", fontsize=7)
        if binary:  # a dot at 0 or 1 stays clear of the frame
            ax.set_ylim(-0.05, 1.08)
            ax.set_yticks([0, 0.5, 1])
        else:  # from 0, with room for the dots at 0
            low, high = ax.get_ylim()
            ax.set_ylim(min(0.0, low) - 0.03 * (high - min(0.0, low)), high)
        ax.axhline(0, color="0.6", lw=0.6, zorder=1)
    return figure
