"""Optional dependencies: import one, or fail with the ``pip install`` line that provides it."""

from __future__ import annotations

from importlib import import_module
from typing import Any

from .errors import EnvironmentFailure


def require(module: str, extra: str) -> Any:
    """Import ``module`` or raise :class:`~snnmem.errors.EnvironmentFailure` naming the extra that installs it.

    Parameters
    ----------
    module : str
        Importable name, e.g. ``"pynwb"``.
    extra : str
        The ``snnmem[...]`` extra that lists the package, e.g. ``"nwb"``.

    Returns
    -------
    module
        The imported module.
    """
    try:
        return import_module(module)
    except ImportError:
        raise EnvironmentFailure(
            f"this feature needs the {module!r} package: pip install 'snnmem[{extra}]' (or pip install {module})"
        ) from None
