"""What the consolidation model learns from episodes that share a prototype: a table and a figure from run files.

Reads run files of ``models/consolidation.toml`` with ``episodes.shared_fraction`` > 0 (one
per configuration, e.g. ``snnmem run models/consolidation.toml --seed 1 --set
episodes.shared_fraction=0.5 --out runs/ref.h5``) and prints one markdown row per run:

- the scores of the prototype condition: Ribot rank correlation, the oldest episode's
  lesioned recall above baseline, the semantisation index (HPC lesioned: mean and per
  episode, oldest first; intact), the prototype cue's lesioned recall above baseline, the
  lowest intact recall, the longest replay event;
- the CTX E->E weights by block (:func:`snnmem.analysis.concepts.block_weights`): within the
  prototype, within each episode's specific cells, and the mean I->E weight onto the
  prototype's cells and onto cells in no pattern;
- the HPC->CTX weight from each episode's index onto the *next* episode's specific cells
  (an index bound to another episode: the two were active together at encoding);
- the rates in the intact recall trials of the episodes: the cued episode's prototype cells and
  its specific cells (cued and not cued: the task does not store which were cued), and the
  cells of its own HPC index and of the other indices (an HPC that recalls every index at once
  drives the prototype from every index).

With ``--figure PATH`` it also draws, for every run, A: the semantisation index per episode
(HPC lesioned), B: CTX weights within the prototype and within each episode's specific
cells, C: the index-to-next-episode HPC->CTX weight.

Usage: ``python analysis/consolidation_prototype.py RUN.h5 [RUN.h5 ...] [--label NAME ...] [--figure PATH]``

The committed table and figure (docs/consolidation.md, fifth round) come from seed 1 runs
of the configurations named there.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import numpy as np

from snnmem import open_run
from snnmem.analysis.binning import neuron_rates
from snnmem.analysis.concepts import block_weights


def _labels(run: Any) -> list[str]:
    return [x.decode() if isinstance(x, bytes) else str(x) for x in run.analysis["item_labels"]]


def _index_cells(run: Any) -> list[np.ndarray]:
    """Each episode's HPC index: cells above ``task.index_rate`` during its encoding (as the task finds them)."""
    ids, times = run.spikes["hpc_exc"]
    n = run.n_neurons["hpc_exc"]
    threshold = float(run.model["task.index_rate"])
    cells = []
    for phase in run.phases:
        if phase.name.startswith("encode_"):
            counts = np.bincount(ids[(times >= phase.start_s) & (times < phase.stop_s)].astype(np.int64), minlength=n)
            cells.append(counts / phase.duration_s >= threshold)
    return cells


def _recall_rates(run: Any, prototype: np.ndarray, memory: np.ndarray, index: np.ndarray) -> np.ndarray:
    """Mean rates (Hz) in the intact recall trials of the episodes: CTX prototype, CTX specific, own index, other indices."""
    labels = _labels(run)
    a = run.analysis
    ctx_ids, ctx_times = run.spikes["ctx_exc"]
    hpc_ids, hpc_times = run.spikes["hpc_exc"]
    rows = []
    for item, lesioned, (start, stop) in zip(a["trial_item"], a["trial_lesioned"], a["trial_window_s"]):
        k = int(item) - 1
        if lesioned or not labels[k].startswith("episode"):
            continue
        ctx = neuron_rates(ctx_ids, ctx_times, memory.shape[1], start, stop)
        hpc = neuron_rates(hpc_ids, hpc_times, run.n_neurons["hpc_exc"], start, stop)
        others = index[np.arange(len(index)) != k].any(axis=0) & ~index[k]
        rows.append(
            [ctx[prototype].mean(), ctx[memory[k] & ~prototype].mean(), hpc[index[k]].mean(), hpc[others].mean()]
        )
    return np.mean(rows, axis=0)


def summary(run: Any) -> dict[str, Any]:
    """Scores and block weights of one prototype-condition run."""
    labels = _labels(run)
    if "prototype" not in labels:
        raise ValueError(f"{run.path}: no prototype in the memory map (episodes.shared_fraction is 0)")
    memory = run.analysis["memory_map"] >= 0.5
    prototype = memory[labels.index("prototype")]
    specific = np.array([memory[k] & ~prototype for k, x in enumerate(labels) if x.startswith("episode")])
    ee, ie, hc = run.weights["ctx_ee"], run.weights["ctx_ie"], run.weights["hpc_ctx"]
    sets = np.vstack([prototype[None], specific])
    ctx = block_weights(ee["i"], ee["j"], ee["w_final"], sets, sets)
    outside = ~memory.any(axis=0)
    onto = block_weights(
        ie["i"], ie["j"], ie["w_final"], np.ones((1, run.n_neurons["ctx_inh"]), bool), np.vstack([prototype, outside])
    )[0]
    index = np.array(_index_cells(run))
    cross = block_weights(hc["i"], hc["j"], hc["w_final"], index[:-1], specific[1:])
    s, a = run.scores, run.analysis
    return {
        "ribot": s["ribot_rank_correlation"],
        "transfer": s["transfer_lesioned"],
        "semantisation_lesioned": s["semantisation_lesioned"],
        "episode_semantisation_lesioned": np.asarray(a["episode_semantisation_lesioned"]),
        "semantisation_intact": s["semantisation_intact"],
        "prototype_cue": s["prototype_recall_lesioned"] - s["baseline_lesioned"],
        "intact_min": float(np.min(a["episode_recall_intact"])),
        "longest_event_s": s["replay_longest_event_s"],
        "prototype_weight": ctx[0, 0],
        "specific_weights": np.diag(ctx)[1:],
        "inhibition_prototype": onto[0],
        "inhibition_outside": onto[1],
        "index_to_next_episode": float(np.nanmean(np.diag(cross))),
        "intact_rates_hz": _recall_rates(run, prototype, memory, index),
    }


def table(rows: list[tuple[str, dict[str, Any]]]) -> str:
    """Markdown table, one row per run."""
    lines = [
        "| run | Ribot rho | oldest, lesioned - baseline | semantisation, lesioned: mean (per episode, oldest first) "
        "| semantisation, intact | prototype cue, lesioned - baseline | lowest intact recall | longest replay event (s) "
        "| CTX w within prototype | CTX w within specific cells (oldest first) | I->E onto prototype / no pattern "
        "| HPC->CTX index k -> episode k+1 specific | intact recall (Hz): CTX prototype / specific, HPC own / other indices |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for label, v in rows:
        per = " / ".join(f"{x:.2f}" for x in v["episode_semantisation_lesioned"])
        spec = " / ".join(f"{x:.1f}" for x in v["specific_weights"])
        rates = v["intact_rates_hz"]
        lines.append(
            f"| {label} | {v['ribot']:.1f} | {v['transfer']:.2f} | {v['semantisation_lesioned']:.2f} ({per}) "
            f"| {v['semantisation_intact']:.2f} | {v['prototype_cue']:.2f} | {v['intact_min']:.2f} "
            f"| {v['longest_event_s']:.2f} | {v['prototype_weight']:.1f} | {spec} "
            f"| {v['inhibition_prototype']:.2f} / {v['inhibition_outside']:.2f} | {v['index_to_next_episode']:.1f} "
            f"| {rates[0]:.0f} / {rates[1]:.0f}, {rates[2]:.0f} / {rates[3]:.0f} |"
        )
    return "\n".join(lines)


def figure(rows: list[tuple[str, dict[str, Any]]]) -> Any:
    """Semantisation per episode, CTX weights by block, index-to-next-episode binding, one colour per run."""
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 3, figsize=(13.0, 4.4), constrained_layout=True)
    n = len(rows[0][1]["specific_weights"])
    for label, v in rows:
        axes[0].plot(np.arange(1, n + 1), v["episode_semantisation_lesioned"], "o-", label=label)
        axes[1].plot(np.arange(0, n + 1), np.concatenate([[v["prototype_weight"]], v["specific_weights"]]), "s-")
        axes[2].bar(len(axes[2].patches), v["index_to_next_episode"])
    axes[0].axhline(0, color="k", lw=0.5)
    axes[0].set_xticks(range(1, n + 1))
    axes[0].set_xlabel("episode (1: oldest)")
    axes[0].set_ylabel("semantisation index, HPC lesioned")
    axes[0].set_title("A  semantisation of each episode\n(> 0: CTX-alone recall closer to the prototype)", fontsize=9)
    axes[1].set_xticks(range(0, n + 1))
    axes[1].set_xticklabels(["proto"] + [f"ep {k}" for k in range(1, n + 1)])
    axes[1].set_ylabel("mean CTX E->E weight (x g_ee)")
    axes[1].set_title("B  CTX weights within the prototype\nand within each episode's specific cells", fontsize=9)
    axes[2].set_xticks(range(len(rows)))
    axes[2].set_xticklabels([label.split()[0] for label, _ in rows])
    axes[2].set_ylabel("HPC->CTX weight (x g_hpc_to_ctx)")
    axes[2].set_title("C  index k onto episode k+1's specific cells\n(independent episodes: 0.05)", fontsize=9)
    fig.legend(loc="outside lower center", ncol=min(3, len(rows)), fontsize=8, frameon=False)
    return fig


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("runs", nargs="+", type=Path, help="run files of the prototype condition")
    parser.add_argument("--label", action="append", default=[], help="name of each run in order (default: file stem)")
    parser.add_argument("--figure", type=Path, help="also draw the figure to this file (.png or .pdf)")
    args = parser.parse_args()
    if args.label and len(args.label) != len(args.runs):
        parser.error(f"{len(args.label)} --label for {len(args.runs)} runs")
    labels = args.label or [path.stem for path in args.runs]
    rows = [(label, summary(open_run(path))) for label, path in zip(labels, args.runs)]
    print(table(rows))
    if args.figure:
        figure(rows).savefig(args.figure, dpi=150)
        print(f"figure: {args.figure}")


if __name__ == "__main__":
    main()
