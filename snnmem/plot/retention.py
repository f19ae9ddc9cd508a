"""Figure of an assemblies retention validation: the forgetting curve and recall at each age."""

from __future__ import annotations

from typing import Any

import numpy as np

from ._words import panel_letters

__all__ = ["retention_figure"]


def _curve(shape: str, parameters: dict, ages_s: np.ndarray) -> np.ndarray:
    from ..analysis.retention import CurveFit

    return CurveFit(shape, parameters, 0.0, 0.0).predict(ages_s)


def retention_figure(values: dict, specificity_min: float, retention_min: float | None = None) -> Any:
    """Two panels from the ``values`` of ``snnmem validate assemblies_retention``.

    Parameters
    ----------
    values : dict
        The validation's values (its JSON's ``"values"``): per seed the retention curve,
        its fits and the probes.
    specificity_min : float
        The pass line of the probes' recall specificity (the model file's ``[expected]``).
    retention_min : float, optional
        The pass line of the relative weight ratio after the rest (``[expected] retention``).

    Returns
    -------
    matplotlib.figure.Figure
        A. weight ratio relative to the end of training against age, with the fitted
        exponential and power-law curves (the preferred one solid); B. recall
        specificity and completion at each probed age.
    """
    from matplotlib.figure import Figure

    import matplotlib

    figure = Figure(figsize=(10, 4.2), layout="constrained")
    curve_ax, recall_ax = figure.subplots(1, 2)
    colours = matplotlib.rcParams["axes.prop_cycle"].by_key()["color"]
    for n, seed in enumerate(values["seeds"]):
        colour = colours[n % len(colours)]
        ages = np.asarray(seed["curve_age_s"], dtype=float)
        relative = np.asarray(seed["curve_weight_ratio"], dtype=float) / seed["curve_weight_ratio"][0]
        curve_ax.plot(ages / 60, relative, "o", ms=3, color=colour, label=f"seed {seed['seed']}")
        fine = np.linspace(0, ages.max(), 400)
        fit = seed["forgetting_fit"]
        for shape in ("exponential", "power_law"):
            style = "-" if fit["preferred"] == shape else ":"
            curve_ax.plot(fine / 60, _curve(shape, fit[shape]["parameters"], fine), style, lw=1, color=colour)
        probes = seed["probes"]
        probe_ages = [p["age_s"] / 60 for p in probes]
        specificity = [p["recall_specificity"] for p in probes]
        recall_ax.plot(probe_ages, specificity, "o-", color=colour, label=f"seed {seed['seed']}")
        recall_ax.plot(probe_ages, [p["completion_f0p5"] for p in probes], "s--", ms=3, lw=1, color=colour, alpha=0.6)
        # after the whole rest: the source run's own recall (its state, not a restart from a snapshot)
        recall_ax.plot(values["rest_s"] / 60, seed["recall_specificity"], "*", ms=10, color=colour)
    curve_ax.axhline(1.0, color="0.6", lw=0.8)
    if retention_min is not None:
        curve_ax.axhline(retention_min, color="0.4", lw=0.8, ls="-.")
        curve_ax.text(0, retention_min, " pass line", va="bottom", fontsize=7, color="0.4")
    curve_ax.set_xlabel("age of the assemblies (min of plastic rest)")
    curve_ax.set_ylabel("within / between weight ratio\n(relative to the end of training)")
    curve_ax.set_title("weight structure: solid = preferred fit (AIC), dotted = other", fontsize=9)
    curve_ax.legend(fontsize=8, frameon=False, loc="best")
    recall_ax.axhline(specificity_min, color="0.4", lw=0.8, ls="-.")
    recall_ax.text(0, specificity_min, " pass line", va="bottom", fontsize=7, color="0.4")
    recall_ax.set_xlabel("age of the assemblies (min of plastic rest)")
    recall_ax.set_ylabel("recall overlap at a 50 % cue")
    recall_ax.set_title(
        "recall from weight snapshots: specificity (o), completion (s);\n* specificity after the rest (source run)",
        fontsize=9,
    )
    recall_ax.set_ylim(bottom=min(0.0, recall_ax.get_ylim()[0]))
    rest_min = values["rest_s"] / 60
    figure.suptitle(f"Assemblies through {rest_min:g} min of plastic, spontaneous activity", fontsize=11)
    panel_letters([curve_ax, recall_ax])
    return figure
