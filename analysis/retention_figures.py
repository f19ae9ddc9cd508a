"""Figure of the hour-long retention validation: the forgetting curve and recall at each age.

Reads the JSON of ``snnmem validate assemblies_retention`` (default
``docs/validation/assemblies_retention.json``) and writes
``analysis/figures/assemblies_retention.png`` (and ``.pdf``):

A. within/between E->E weight ratio relative to its value at the end of training,
   against the age of the assemblies (minutes of plastic rest), every seed, with the
   fitted exponential and power-law forgetting curves (the preferred one solid);
B. recall from the weight snapshots at each probed age: specificity (not-cued members of
   the cued assembly minus the largest other, f = 0.5) and completion, every seed, with
   the pass line of the model file's ``[expected]``.

Usage: ``python analysis/retention_figures.py [--json PATH] [--out PATH]``
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", default=str(ROOT / "docs" / "validation" / "assemblies_retention.json"))
    parser.add_argument("--out", default=str(ROOT / "analysis" / "figures" / "assemblies_retention.png"))
    args = parser.parse_args()
    from snnmem.plot import save_figure
    from snnmem.plot.retention import retention_figure
    from snnmem.validation.assemblies_retention import limits

    result = json.loads(Path(args.json).read_text())
    limit = limits()
    figure = retention_figure(result["values"], limit["probe_specificity_min"], limit["retention_min"])
    out = Path(args.out)
    save_figure(figure, out)
    save_figure(figure, out.with_suffix(".pdf"))
    print(f"figure: {out}")


if __name__ == "__main__":
    main()
