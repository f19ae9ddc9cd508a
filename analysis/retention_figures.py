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

from _json_figure import json_figure_main


def draw(result: dict):
    """The retention figure, pass lines from the model file's ``[expected]``."""
    from snnmem.plot.retention import retention_figure
    from snnmem.validation.assemblies_retention import limits

    limit = limits()
    return retention_figure(result["values"], limit["probe_specificity_min"], limit["retention_min"])


if __name__ == "__main__":
    json_figure_main(__doc__.splitlines()[0], "assemblies_retention", "assemblies_retention", draw)
