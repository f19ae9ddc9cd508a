"""The one home of every use of Brian2's private API, each behind a version guard.

snnmem needs three things Brian2 has no public interface for:

- the wall time of the last standalone run's network loop (``device._last_run_time``),
  recorded in run files as ``wall_network_s``;
- the fraction of the last standalone run that was simulated
  (``device._last_run_completed_fraction``): a binary stopped by SIGINT exits normally
  with a short run, and only this says so;
- moving a summed variable's updater onto a slower clock (``updater._clock``), which
  the assemblies' synaptic normalisation uses (every 20 ms instead of every step).

Both are checked against the Brian2 versions they were written for; on another
version they raise :class:`Brian2PrivateAPIError` with what to check, instead of
silently doing something else.
"""

from __future__ import annotations

from typing import Any

from .errors import SnnmemError

__all__ = ["Brian2PrivateAPIError", "SUPPORTED", "last_run_time", "last_run_completed_fraction", "set_updater_clock"]

#: Brian2 major.minor versions whose private attributes below were checked
SUPPORTED = ("2.9",)


class Brian2PrivateAPIError(SnnmemError):
    """A private Brian2 attribute snnmem relies on is missing or has changed."""


def _check_version() -> str:
    import brian2

    version = brian2.__version__
    if not any(version == v or version.startswith(v + ".") for v in SUPPORTED):
        raise Brian2PrivateAPIError(
            f"Brian2 {version} is not a version snnmem's private-API helpers were checked for "
            f"({', '.join(SUPPORTED)}): "
            "check snnmem/_brian2_private.py against it (device._last_run_time, _last_run_completed_fraction, "
            "summed updater._clock), then add "
            "the version to SUPPORTED"
        )
    return version


def last_run_time(device: Any) -> float:
    """Seconds the last ``cpp_standalone`` run spent in its network loop (Brian2's own timer)."""
    _check_version()
    try:
        return float(device._last_run_time)
    except AttributeError:
        raise Brian2PrivateAPIError(
            "the standalone device has no _last_run_time: see snnmem/_brian2_private.py"
        ) from None


def last_run_completed_fraction(device: Any) -> float:
    """Fraction (0 to 1) of the requested duration the last ``cpp_standalone`` run simulated."""
    _check_version()
    try:
        return float(device._last_run_completed_fraction)
    except AttributeError:
        raise Brian2PrivateAPIError(
            "the standalone device has no _last_run_completed_fraction: see snnmem/_brian2_private.py"
        ) from None


def set_updater_clock(updater: Any, clock: Any) -> None:
    """Make a summed-variable updater run on ``clock`` instead of its target group's clock."""
    _check_version()
    if not hasattr(updater, "_clock"):
        raise Brian2PrivateAPIError("summed-variable updaters have no _clock: see snnmem/_brian2_private.py")
    updater._clock = clock
