"""The command line every figure-from-a-validation-JSON script shares: read the JSON, draw, save PNG and PDF."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parents[1]


def json_figure_main(
    description: str, validation: str, figure_name: str, draw: Callable[..., Any], with_run: bool = False
) -> None:
    """Parse ``--json`` (default ``docs/validation/<validation>.json``) and ``--out``; save ``draw(result)``.

    ``draw`` gets the whole JSON document (``{"name", "checks", "values", ...}``) and
    returns a matplotlib figure, written to ``--out`` (default
    ``analysis/figures/<figure_name>.png``) and beside it as PDF. With ``with_run``, an
    optional ``--run`` run file of the validation is opened and passed as ``draw(result, run)``
    (``None`` without it).
    """
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--json", default=str(ROOT / "docs" / "validation" / f"{validation}.json"))
    parser.add_argument("--out", default=str(ROOT / "analysis" / "figures" / f"{figure_name}.png"))
    if with_run:
        parser.add_argument("--run", default=None, help="a run file of the validation (adds its panels)")
    args = parser.parse_args()
    from snnmem.plot import save_figure

    result = json.loads(Path(args.json).read_text())
    if with_run:
        from snnmem import open_run

        figure = draw(result, open_run(args.run) if args.run else None)
    else:
        figure = draw(result)
    out = Path(args.out)
    save_figure(figure, out)
    save_figure(figure, out.with_suffix(".pdf"))
    print(f"figure: {out}")
