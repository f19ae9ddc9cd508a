"""Long-term memory figures: weights sorted by assembly, recall and rest rasters, completion curve, reactivation.

Every panel takes ``ax=None`` and returns the Axes; it reads only the run file's
contents (``/weights/ee``, ``/analysis``, ``/spikes``, ``/protocol``), or, for
:func:`reactivation_figure`, the JSON values of ``snnmem validate litwin_kumar_doiron2014``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ._words import nanosiemens, panel_letters

__all__ = [
    "assembly_order",
    "sorted_weight_matrix",
    "weight_matrix",
    "recall_raster",
    "rest_raster",
    "assembly_colours",
    "completion_curve",
    "assemblies_figure",
    "reactivation_figure",
]


def _axes(ax: Any, figsize=(4.0, 3.5)) -> Any:
    if ax is not None:
        return ax
    from matplotlib.figure import Figure

    return Figure(figsize=figsize).add_subplot()


def assembly_order(membership: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """E cells ordered by their first assembly (cells in none last) and that assembly (-1: none)."""
    membership = np.asarray(membership, dtype=bool)
    first = np.where(membership.any(axis=0), membership.argmax(axis=0), membership.shape[0])
    order = np.argsort(first, kind="stable")
    labels = np.where(first[order] < membership.shape[0], first[order], -1)
    return order, labels


def sorted_weight_matrix(run: Any, key: str = "w_after_train", n_outside: int = 100) -> tuple[np.ndarray, np.ndarray]:
    """Dense E->E weight matrix (post x pre) of the assembly cells sorted by assembly.

    Also ``n_outside`` cells of no assembly at the end. Absent connections are NaN.
    Returns ``(matrix, labels)``.
    """
    membership = run.analysis["assembly_membership"]
    order, labels = assembly_order(membership)
    keep = np.concatenate([np.flatnonzero(labels >= 0), np.flatnonzero(labels < 0)[:n_outside]])
    cells, labels = order[keep], labels[keep]
    position = np.full(membership.shape[1], -1)
    position[cells] = np.arange(cells.size)
    ee = run.weights["ee"]
    pre, post, w = position[ee["i"]], position[ee["j"]], np.asarray(ee[key], dtype=float)
    inside = (pre >= 0) & (post >= 0)
    matrix = np.full((cells.size, cells.size), np.nan)
    matrix[post[inside], pre[inside]] = w[inside]
    return matrix, labels


def weight_matrix(run: Any, key: str = "w_after_train", ax: Any = None, vmax: float | None = None) -> Any:
    """E->E conductances (nS; weights if the run has no ``synapses.g_ee``) sorted by assembly.

    Lines separate assemblies. ``vmax`` is in the colour scale's unit (default: the
    weight bound ``synapses.w_ee_max``).
    """
    ax = _axes(ax)
    matrix, labels = sorted_weight_matrix(run, key)
    try:
        g_ee = nanosiemens(run.model["synapses.g_ee"])
    except KeyError:
        g_ee = None
    scale = g_ee if g_ee is not None else 1.0
    vmax = vmax if vmax is not None else float(run.model["synapses.w_ee_max"]) * scale
    image = ax.imshow(
        np.nan_to_num(matrix, nan=0.0) * scale,
        cmap="magma",
        vmin=0,
        vmax=vmax,
        interpolation="nearest",
        aspect="auto",
    )
    for edge in np.flatnonzero(np.diff(labels)) + 0.5:
        ax.axhline(edge, color="w", lw=0.3)
        ax.axvline(edge, color="w", lw=0.3)
    ax.set_xlabel("presynaptic E cell\n(sorted by assembly)")
    ax.set_ylabel("postsynaptic E cell")
    ax.set_title(
        {
            "w_initial": "E→E weights before training",
            "w_after_train": "E→E weights after training",
            "w_after_rest": "E→E weights after rest",
            "w_final": "E→E weights at the end",
        }.get(key, key),
        fontsize=9,
    )
    label = "conductance (nS)" if g_ee is not None else "weight (x g_ee)"
    ax.figure.colorbar(image, ax=ax, label=label, fraction=0.046)
    return ax


def assembly_colours(n_assemblies: int) -> list[str]:
    """One colour per assembly: matplotlib's ten-colour cycle, or tab20 for more than ten assemblies."""
    if n_assemblies <= 10:
        return [f"C{k}" for k in range(n_assemblies)]
    from matplotlib import colormaps
    from matplotlib.colors import to_hex

    palette = colormaps["tab20"]
    return [to_hex(palette(k % 20)) for k in range(n_assemblies)]


def _assembly_raster(run: Any, ax: Any, t0: float, t1: float) -> tuple[Any, int]:
    """E spikes in ``[t0, t1)``, cells sorted by their first assembly and coloured by it (others grey)."""
    membership = run.analysis["assembly_membership"]
    order, labels = assembly_order(membership)
    rank = np.empty_like(order)
    rank[order] = np.arange(order.size)
    ids, times = run.spikes["exc"]
    keep = (times >= t0) & (times < t1)
    cell_label = np.empty(order.size, dtype=int)
    cell_label[order] = labels
    colours = np.array(assembly_colours(membership.shape[0]) + ["0.6"])
    spike_label = cell_label[ids[keep]]
    ax.scatter(
        times[keep],
        rank[ids[keep]],
        s=1.0,
        c=colours[np.where(spike_label >= 0, spike_label, -1)],
        marker="o",
        linewidths=0,
        rasterized=True,
    )
    ax.set_xlim(t0, t1)
    ax.set_ylim(0, order.size)
    ax.set_xlabel("time (s)")
    ax.set_ylabel("E cell (sorted by assembly)")
    return ax, order.size


def recall_raster(run: Any, ax: Any = None, t_start: float | None = None, t_stop: float | None = None) -> Any:
    """E spikes during recall, cells sorted by assembly and coloured by it; cue windows shaded."""
    ax = _axes(ax, figsize=(7.0, 3.5))
    recall = run.phase("recall")
    t0 = recall.start_s if t_start is None else t_start
    t1 = min(recall.stop_s, t0 + 8.0) if t_stop is None else t_stop
    ax, n_cells = _assembly_raster(run, ax, t0, t1)
    starts, stops = run.analysis["recall_trial_start_s"], run.analysis["recall_trial_stop_s"]
    kinds, assemblies = run.analysis["recall_trial_kind"], run.analysis["recall_trial_assembly"]
    fractions = run.analysis["recall_trial_fraction"]
    for a, b, kind, k, f in zip(starts, stops, kinds, assemblies, fractions):
        if b <= t0 or a >= t1:
            continue
        ax.axvspan(a, b, color="0.9", zorder=0, lw=0)
        text = {0: f"cue A{k + 1}\n{100 * f:.0f} %", 1: "no\ncue", 2: "random\ncells"}[int(kind)]
        ax.text((a + b) / 2, n_cells * 1.01, text, ha="center", va="bottom", fontsize=6, color="0.3")
    ax.set_title("recall: partial cues of assemblies A1, A2, ... and controls (shaded)", fontsize=9, pad=22)
    return ax


def rest_raster(run: Any, ax: Any = None, duration: float = 5.0) -> Any:
    """E spikes at the end of the plastic rest, cells sorted by assembly and coloured by it.

    Parameters
    ----------
    run : Run
        A run of the ``plastic_assemblies`` circuit's native protocol (it has a ``rest`` phase).
    ax : matplotlib Axes, optional
        Where to draw (default: a new figure's).
    duration : float
        Seconds before the end of the rest shown (the whole rest if it is shorter).

    Returns
    -------
    matplotlib Axes
    """
    ax = _axes(ax, figsize=(7.0, 3.5))
    rest = run.phase("rest")
    start = max(rest.start_s, rest.stop_s - duration)
    ax, _ = _assembly_raster(run, ax, start, rest.stop_s)
    shown = rest.stop_s - start
    title = f"{run.model_name}, seed {run.seed}: spontaneous activity, the last {shown:g} s of the plastic rest"
    ax.set_title(title, fontsize=9)
    return ax


def completion_curve(run: Any, ax: Any = None) -> Any:
    """Overlap of the not-cued members of the cued assembly vs cue fraction, with the controls."""
    ax = _axes(ax)
    curve = run.analysis["completion_curve"]
    overlaps, kinds = run.analysis["recall_overlaps"], run.analysis["recall_trial_kind"]
    trial_fraction, trial_assembly = run.analysis["recall_trial_fraction"], run.analysis["recall_trial_assembly"]
    cue = kinds == 0
    ax.plot(trial_fraction[cue], overlaps[np.flatnonzero(cue), trial_assembly[cue]], ".", color="C0", alpha=0.4, ms=4)
    ax.plot(curve[:, 0], curve[:, 1], "o-", color="C0", label="cued assembly, not-cued cells")
    ax.plot(curve[:, 0], curve[:, 2], "s--", color="C3", label="most active other assembly")
    for kind, style, label in ((1, ":", "no cue (most active)"), (2, "-.", "random cells cued (most active)")):
        rows = kinds == kind
        if rows.any():
            ax.axhline(np.nanmax(overlaps[rows]), color="0.4", ls=style, lw=1, label=label)
    ax.axhline(0.0, color="0.7", lw=0.8)
    ax.set_xlabel("fraction of the assembly cued")
    ax.set_ylabel("recall overlap")
    ax.set_xlim(0, 1.02)
    ax.set_title("pattern completion", fontsize=9)
    ax.legend(fontsize=7, frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.25), ncol=1)
    return ax


def assemblies_figure(run: Any) -> Any:
    """Weights before / after training, completion curve and recall raster."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=(11.0, 7.5), layout="constrained")
    grid = figure.add_gridspec(2, 3, height_ratios=[1.1, 1])
    axes = [
        weight_matrix(run, "w_initial", ax=figure.add_subplot(grid[0, 0])),
        weight_matrix(run, "w_after_train", ax=figure.add_subplot(grid[0, 1])),
        completion_curve(run, ax=figure.add_subplot(grid[0, 2])),
        recall_raster(run, ax=figure.add_subplot(grid[1, :])),
    ]
    scores = run.scores
    figure.suptitle(
        f"{run.model_name}, seed {run.seed}: weights within assemblies "
        f"{scores['weight_ratio_after_training']:.2f}× those between after training "
        f"({scores['weight_ratio_after_rest']:.2f}× after the rest); recall specificity "
        f"{scores.get('recall_specificity', float('nan')):.2f}",
        fontsize=10,
    )
    panel_letters(axes)
    return figure


def reactivation_figure(values: dict, reactivations_min: float, run: Any = None) -> Any:
    """Spontaneous reactivation over the rest, from the ``values`` of ``snnmem validate litwin_kumar_doiron2014``.

    Parameters
    ----------
    values : dict
        The validation's values (its JSON's ``"values"``): per seed the reactivation time course.
    reactivations_min : float
        The pass line (selective reactivations per assembly and minute; the model file's ``[expected]``).
    run : Run, optional
        A run file of the validation: adds a raster of the end of its rest.

    Returns
    -------
    matplotlib.figure.Figure
        A. selective reactivations per assembly and minute against time in the rest, every
        seed, with random cell sets of the same sizes (the chance level); B. mean rates of
        assembly members and of the other E cells; C. (with ``run``) the raster.
    """
    from matplotlib.figure import Figure

    figure = Figure(figsize=(10, 7.5 if run is not None else 4.2), layout="constrained")
    if run is not None:
        grid = figure.add_gridspec(2, 2, height_ratios=[1, 1.2])
        axes = [figure.add_subplot(grid[0, 0]), figure.add_subplot(grid[0, 1]), figure.add_subplot(grid[1, :])]
    else:
        axes = list(figure.subplots(1, 2))
    events_ax, rates_ax = axes[:2]
    for n, seed in enumerate(values["seeds"]):
        course = seed["reactivation"]["time_course"]
        starts = np.asarray(course["bin_start_s"], dtype=float)
        widths = np.diff(np.append(starts, seed["reactivation"]["rest_s"]))
        middle = starts + widths / 2
        label = f"seed {seed['seed']}"
        events_ax.plot(middle, course["assemblies_selective_per_min"], "o-", color=f"C{n}", label=label)
        events_ax.plot(middle, course["random_selective_per_min"], "x:", color=f"C{n}", lw=1)
        rates_ax.plot(middle, course["rate_members_hz"], "o-", color=f"C{n}", label=f"{label}: assembly members")
        rates_ax.plot(middle, course["rate_others_hz"], "s--", color=f"C{n}", lw=1, label=f"{label}: other E cells")
    events_ax.axhline(reactivations_min, color="0.4", ls="--", lw=1, label="pass line (whole rest)")
    events_ax.plot([], [], "x:", color="0.3", lw=1, label="random cell sets")
    events_ax.set_xlabel("time in the plastic rest (s)")
    events_ax.set_ylabel("selective reactivations\nper assembly and minute")
    events_ax.set_title("bursts in which one assembly stands out", fontsize=9)
    events_ax.legend(fontsize=7, frameon=False)
    rates_ax.set_xlabel("time in the plastic rest (s)")
    rates_ax.set_ylabel("mean rate (Hz)")
    rates_ax.set_title("assembly members' rate climbs back after training", fontsize=9)
    rates_ax.legend(fontsize=6, frameon=False, ncol=2)
    if run is not None:
        rest_raster(run, ax=axes[2])
    panel_letters(axes)
    return figure
