"""Figure of the ring's statistics over seeds (validation ``compte2000``).

Reads the JSON of ``snnmem validate compte2000`` (default ``docs/validation/compte2000.json``)
and writes ``analysis/figures/compte2000_statistics.png`` (and ``.pdf``): every seed's
scoring windows (held, dip, collapse), the decoded bump centre over the delay, and the
mean squared displacement with its diffusion fit.

Usage: ``python analysis/ring_statistics_figures.py [--json PATH] [--out PATH]``
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", default=str(ROOT / "docs" / "validation" / "compte2000.json"))
    parser.add_argument("--out", default=str(ROOT / "analysis" / "figures" / "compte2000_statistics.png"))
    args = parser.parse_args()
    from snnmem.plot import save_figure
    from snnmem.plot.ring_statistics import ring_statistics_figure

    figure = ring_statistics_figure(json.loads(Path(args.json).read_text())["values"])
    out = Path(args.out)
    save_figure(figure, out)
    save_figure(figure, out.with_suffix(".pdf"))
    print(f"figure: {out}")


if __name__ == "__main__":
    main()
