"""Mean-field states of the Brunel & Wang (2001) network against w+, with the simulated rates.

For each w+ the theory (:class:`snnmem.theory.item_attractor.MeanField`, the large-network
limit) is relaxed from 0, 1, 2 and 3 active items; a state counts if its active pools
stay above 10 Hz. Drawn: the rate of the active pools of each state, filled where the
state is stable against one of its pools taking over (``lambda_anti < 1``), open where
it is not (for the spontaneous state: against one pool igniting), and the interneuron rate. Simulated points at w+ = 2.1 (3 seeds, from the
validation JSON files under docs/validation when present, else the numbers in
docs/working_memory.md) for comparison. Writes ``analysis/figures/brunel_wang2001_meanfield.png``
and prints the table.

Usage: ``python analysis/brunel_wang_meanfield.py [--w-plus 1.95 2.0 ...]``
"""

from __future__ import annotations

import argparse
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

import snnmem  # noqa: E402
from snnmem.plot import save_figure  # noqa: E402
from snnmem.theory.item_attractor import MeanField  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
FIGURES = ROOT / "analysis" / "figures"
ACTIVE_MIN_HZ = 10.0
#: simulated rates at w+ = 2.1 (docs/working_memory.md): one item held in delay 1 at 800 / 200 (3 seeds);
#: both of two items cued together at 6400 / 1600, last second of the delay (seeds 1-3)
SIMULATED_ONE_ITEM_HZ = (29.9, 29.4, 25.8)
SIMULATED_TWO_ITEMS_HZ = (22.8, 20.2, 20.0, 21.6, 23.7, 21.2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--w-plus", type=float, nargs="+", default=[round(x, 2) for x in np.arange(1.95, 2.41, 0.05)])
    args = parser.parse_args()
    model = ROOT / "models" / "brunel_wang2001.toml"
    figure, (rates_axis, inh_axis) = plt.subplots(1, 2, figsize=(9, 3.6))
    colours = {0: "0.4", 1: "tab:blue", 2: "tab:orange", 3: "tab:green"}
    print("w+   items  active (Hz)  silent (Hz)  non-sel (Hz)  inh (Hz)  lambda_anti")
    for w_plus in args.w_plus:
        theory = MeanField(snnmem.load_model(model, {"connectivity.w_plus": w_plus}))
        for n_active in (0, 1, 2, 3):
            state = theory.fixed_point(tuple(range(1, n_active + 1)))
            active = state.selective_hz[0]
            if n_active and active < ACTIVE_MIN_HZ:
                continue  # fell back to the spontaneous state: no such memory state
            # one pool taking over from another at the same rate (spontaneous: one pool igniting)
            anti = state.antisymmetric_eigenvalue() if n_active != 1 else float("nan")
            stable = not (anti > 1)
            print(
                f"{w_plus:.2f}  {n_active}      {active:7.2f}      {state.selective_hz[-1]:7.2f}      "
                f"{state.nonselective_hz:7.2f}     {state.inhibitory_hz:6.2f}    {anti:.3f}"
            )
            style = dict(
                color=colours[n_active], marker="o", ms=5, ls="none", mfc=colours[n_active] if stable else "white"
            )
            rates_axis.plot(w_plus, active, **style)
            inh_axis.plot(w_plus, state.inhibitory_hz, **style)
    rates_axis.plot([2.1] * 3, SIMULATED_ONE_ITEM_HZ, "x", color="tab:blue", ms=7)
    rates_axis.plot([2.1] * len(SIMULATED_TWO_ITEMS_HZ), SIMULATED_TWO_ITEMS_HZ, "x", color="tab:orange", ms=7)
    for n_active, label in ((0, "spontaneous"), (1, "one item"), (2, "two items"), (3, "three items")):
        rates_axis.plot([], [], "o", color=colours[n_active], label=label)
    rates_axis.plot([], [], "x", color="k", label="simulated (w+ = 2.1)")
    rates_axis.legend(fontsize=7)
    rates_axis.set_xlabel("w+")
    rates_axis.set_ylabel("rate of the active pools (Hz)")
    inh_axis.set_xlabel("w+")
    inh_axis.set_ylabel("interneuron rate (Hz)")
    figure.suptitle(
        "Brunel & Wang (2001) mean field (large-network limit); open: unstable to one pool taking over", fontsize=9
    )
    figure.tight_layout()
    print(save_figure(figure, FIGURES / "brunel_wang2001_meanfield.png").relative_to(ROOT))


if __name__ == "__main__":
    main()
