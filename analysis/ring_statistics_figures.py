"""Figure of the ring's statistics over seeds (validation ``compte2000``).

Reads the JSON of ``snnmem validate compte2000`` (default ``docs/validation/compte2000.json``)
and writes ``analysis/figures/compte2000_statistics.png`` (and ``.pdf``): every seed's
scoring windows (held, dip, collapse), the decoded bump centre over the delay, and the
mean squared displacement with its diffusion fit.

Usage: ``python analysis/ring_statistics_figures.py [--json PATH] [--out PATH]``
"""

from __future__ import annotations

from _json_figure import json_figure_main


def draw(result: dict):
    """The ring statistics figure."""
    from snnmem.plot.ring_statistics import ring_statistics_figure

    return ring_statistics_figure(result["values"])


if __name__ == "__main__":
    json_figure_main(__doc__.splitlines()[0], "compte2000", "compte2000_statistics", draw)
