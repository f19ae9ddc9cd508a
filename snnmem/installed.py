"""The model files shipped with snnmem: found by name from any folder (``snnmem run compte2000``).

The repository's top-level ``models/`` folder is the one home of the model files;
``snnmem/models`` links to it, so the package data of a wheel and an editable install
both carry them. A name is a file stem, with its subfolder for the long variants
(``long/consolidation_hours``).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from .errors import ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


@dataclass(frozen=True)
class InstalledModel:
    """One shipped model file and what its ``[model]`` table says about it."""

    name: str
    path: Path
    circuit: str
    title: str
    reference: str
    doi: str


def models_folder() -> Path:
    """The folder of the shipped model files (inside the installed package)."""
    from importlib.resources import files

    return Path(str(files("snnmem") / "models"))


def installed_models() -> list[InstalledModel]:
    """Every shipped model file, sorted by name (long variants after the others)."""
    folder = models_folder()
    found = []
    for path in sorted(folder.glob("*.toml")) + sorted(folder.glob("*/*.toml")):
        try:
            table = tomllib.loads(path.read_text(encoding="utf-8")).get("model", {})
        except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
            raise ConfigError(f"{path}: shipped model file unreadable ({error})") from None
        name = path.relative_to(folder).with_suffix("").as_posix()
        found.append(
            InstalledModel(
                name=name,
                path=path,
                circuit=str(table.get("circuit", "")),
                title=str(table.get("title", "")),
                reference=str(table.get("reference", "")),
                doi=str(table.get("doi", "")),
            )
        )
    return found


def model_path(name_or_path: str | Path) -> Path:
    """A model file: ``name_or_path`` if that file exists, else the shipped model of that name.

    Raises
    ------
    ConfigError
        Neither a file nor a shipped model's name; the message lists the names.
    """
    path = Path(name_or_path)
    if path.is_file():
        return path
    name = path.as_posix()[: -len(".toml")] if path.suffix == ".toml" else path.as_posix()
    name = name[len("models/") :] if name.startswith("models/") else name  # the repository's spelling
    shipped = {model.name: model.path for model in installed_models()}
    if name in shipped:
        return shipped[name]
    raise ConfigError(
        f"model file not found: {path} (not a file, nor a shipped model: {', '.join(shipped) or 'none installed'})"
    )
