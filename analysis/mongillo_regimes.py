"""Regime diagram of the Mongillo et al. (2008) network from a drive sweep (issue 17).

Summarise a sweep (``snnmem sweep models/mongillo2008.toml --grid external.mu_exc=...
--seeds 1-3 --set protocol.delay_duration="3 s"``) into
``docs/validation/mongillo2008_regimes.json`` (``--sweep DIR``), and draw
``analysis/figures/mongillo2008_regimes.png`` (and ``.pdf``) from that JSON.

A sweep of a variant (the same sweep with more ``--set`` overrides, e.g.
``external.mu_inh="20.5 mV"``) is summarised the same way into its own JSON, named by
``--label``; ``--compare JSON [JSON ...]`` draws the regimes of several such JSONs one
above the other (``analysis/figures/mongillo2008_regime_variants.png``).

Usage: ``python analysis/mongillo_regimes.py [--sweep DIR [DIR ...]] [--label TEXT] [--json PATH] [--out PATH]``
or ``python analysis/mongillo_regimes.py --compare JSON [JSON ...] [--out PATH]``
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: the label of the default model's sweeps
DEFAULT_LABEL = "default model (mu_inh 21 mV, instantaneous PSCs, membrane noise SD 0.71 mV)"


def summarise(sweep_dirs: list[Path], label: str) -> dict:
    """The JSON document of drive sweeps (e.g. one per block of seeds): settings and one row per run.

    ``label`` names the model variant the sweeps ran (the settings hold its overrides).
    """
    from snnmem.sweeps.index import read_index, read_settings
    from snnmem.validation import mongillo2008

    rows = [row for folder in sweep_dirs for row in mongillo2008.regime_rows(read_index(folder))]
    return {
        "name": "mongillo2008_regimes",
        "label": label,
        "sweep_settings": [_portable(read_settings(folder)) for folder in sweep_dirs],
        "criteria": mongillo2008.limits(),
        "validation_drives_mv": validation_drives(),
        "rows": sorted(rows, key=lambda row: (row["drive_mv"], row["seed"])),
    }


def _portable(settings: dict[str, str]) -> dict[str, str]:
    """A sweep's settings with its model file named relative to the repository (when inside it)."""
    model = Path(settings["model"])
    if model.is_absolute() and model.is_relative_to(ROOT):
        settings = {**settings, "model": str(model.relative_to(ROOT))}
    return settings


def validation_drives() -> dict[str, float]:
    """The drives (mV) ``snnmem validate mongillo2008`` uses for each regime."""
    from snnmem.validation import mongillo2008

    regimes = {
        "decaying": mongillo2008.DECAYING,
        "population spikes": mongillo2008.POPULATION_SPIKES,
        "persistent asynchronous": mongillo2008.PERSISTENT,
    }
    return {
        name: round(float(mongillo2008.default_model(overrides)["external.mu_exc"]) * 1e3, 6)
        for name, overrides in regimes.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sweep", nargs="+", help="sweep folders to summarise into the JSON first")
    parser.add_argument("--label", default=DEFAULT_LABEL, help="the model variant the sweeps ran (with --sweep)")
    parser.add_argument("--json", default=str(ROOT / "docs" / "validation" / "mongillo2008_regimes.json"))
    parser.add_argument("--compare", nargs="+", help="regime JSONs of model variants to draw one above the other")
    parser.add_argument(
        "--out",
        help="figure path (default: analysis/figures/mongillo2008_regimes.png, "
        "or mongillo2008_regime_variants.png with --compare)",
    )
    args = parser.parse_args()
    from snnmem.plot import save_figure
    from snnmem.plot.stp_regimes import regime_figure, variants_figure

    if args.compare:
        documents = [json.loads(Path(path).read_text()) for path in args.compare]
        figure = variants_figure([(document["label"], document["rows"]) for document in documents])
        out = Path(args.out or ROOT / "analysis" / "figures" / "mongillo2008_regime_variants.png")
    else:
        path = Path(args.json)
        if args.sweep:
            document = summarise([Path(folder) for folder in args.sweep], args.label)
            path.write_text(json.dumps(document, indent=1) + "\n")
            print(f"summary: {path}")
        document = json.loads(path.read_text())
        figure = regime_figure(document["rows"], document["validation_drives_mv"])
        out = Path(args.out or ROOT / "analysis" / "figures" / "mongillo2008_regimes.png")
    save_figure(figure, out)
    save_figure(figure, out.with_suffix(".pdf"))
    print(f"figure: {out}")


if __name__ == "__main__":
    main()
