"""Figure of the Litwin-Kumar & Doiron (2014) validation: spontaneous reactivation of single assemblies.

Reads the JSON of ``snnmem validate litwin_kumar_doiron2014`` (default
``docs/validation/litwin_kumar_doiron2014.json``) and writes
``analysis/figures/litwin_kumar_doiron2014_reactivation.png`` (and ``.pdf``):

A. selective reactivations per assembly and minute (bursts of an assembly's cells in which
   it stands out from every other) in 15 s bins of the 300 s plastic rest, every seed,
   with random cell sets of the same sizes (the chance level) and the pass line;
B. mean rates of assembly members and of the other E cells in the same bins;
C. with ``--run`` (a run file the validation kept with ``--runs-dir``): E spikes of the
   last 5 s of the rest, cells sorted and coloured by assembly.

Usage: ``python analysis/reactivation_figures.py [--json PATH] [--run RUN.h5] [--out PATH]``

The committed figure: ``snnmem validate litwin_kumar_doiron2014 --runs-dir DIR`` then
``python analysis/reactivation_figures.py --run DIR/litwin_kumar_doiron2014_seed1.h5``.
"""

from __future__ import annotations

from typing import Any

from _json_figure import json_figure_main


def draw(result: dict, run: Any = None) -> Any:
    """The reactivation figure, pass line from the model file's ``[expected]``."""
    from snnmem.plot.assemblies import reactivation_figure
    from snnmem.validation.litwin_kumar_doiron2014 import limits

    return reactivation_figure(result["values"], limits()["reactivations_min"], run=run)


if __name__ == "__main__":
    json_figure_main(
        __doc__.splitlines()[0], "litwin_kumar_doiron2014", "litwin_kumar_doiron2014_reactivation", draw, with_run=True
    )
