"""The command line every figure-from-a-validation-JSON script shares: read the JSON, draw, save PNG and PDF."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parents[1]


def json_figure_main(description: str, validation: str, figure_name: str, draw: Callable[[dict], Any]) -> None:
    """Parse ``--json`` (default ``docs/validation/<validation>.json``) and ``--out``; save ``draw(result)``.

    ``draw`` gets the whole JSON document (``{"name", "checks", "values", ...}``) and
    returns a matplotlib figure, written to ``--out`` (default
    ``analysis/figures/<figure_name>.png``) and beside it as PDF.
    """
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--json", default=str(ROOT / "docs" / "validation" / f"{validation}.json"))
    parser.add_argument("--out", default=str(ROOT / "analysis" / "figures" / f"{figure_name}.png"))
    args = parser.parse_args()
    from snnmem.plot import save_figure

    figure = draw(json.loads(Path(args.json).read_text()))
    out = Path(args.out)
    save_figure(figure, out)
    save_figure(figure, out.with_suffix(".pdf"))
    print(f"figure: {out}")
