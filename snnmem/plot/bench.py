"""The ``snnmem bench`` figure: models x tasks, each task's first headline score with its seed spread."""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

__all__ = ["bench_figure"]


def _label(score: str) -> str:
    """``completion_rate_hz`` -> ``completion rate (Hz)``; ``held_a`` -> ``held a``."""
    for suffix, unit in (("_hz", "Hz"), ("_deg", "deg")):
        if score.endswith(suffix):
            return f"{score[: -len(suffix)].replace('_', ' ')} ({unit})"
    return score.replace("_", " ")


def bench_figure(rows: Sequence[Any]) -> Any:
    """One panel per task (three per row): the first headline score of every model, a dot per seed and the mean.

    Models where the task does not apply are marked ``n/a`` (the table says why).
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
        for x, model in enumerate(models):
            row = next((r for r in rows if r.task == task and r.model == model), None)
            values = np.asarray(row.scores.get(score, []) if row is not None else [], dtype=float)
            if row is None or not row.applies or not values.size:
                ax.text(x, 0.05, "n/a", ha="center", va="bottom", fontsize=7, color="0.5", rotation=90)
                continue
            ax.bar(x, values.mean(), width=0.6, color=f"C{x % 10}", alpha=0.35)
            jitter = np.linspace(-0.15, 0.15, values.size) if values.size > 1 else np.zeros(1)
            ax.scatter(x + jitter, values, s=12, color=f"C{x % 10}", zorder=3)
        ax.set_title(task, fontsize=9)
        ax.set_ylabel(_label(score), fontsize=8)
        ax.set_xticks(range(len(models)))
        ax.set_xlim(-0.6, len(models) - 0.4)
        ax.set_xticklabels(models, rotation=45, ha="right", fontsize=7)
        ax.set_ylim(bottom=0)
    return figure
