"""Exceptions raised by snnmem, all deriving from :class:`SnnmemError`."""

from __future__ import annotations


class SnnmemError(Exception):
    """Base class of every error snnmem raises on purpose."""


class ConfigError(SnnmemError, ValueError):
    """A model file or override is invalid (unknown key, wrong unit, bad value).

    The message always names the offending key (dotted path) or file.
    """


class RunFileError(SnnmemError, OSError):
    """A run file is missing, not an snnmem run file, incomplete or corrupt."""


class SimulationInterrupted(SnnmemError):
    """The simulation stopped before the end of its protocol (SIGINT, SIGTERM): nothing was scored or written."""


class EnvironmentFailure(SnnmemError):
    """The machine, not the input, failed: an unwritable folder, an unreachable scheduler, a build that will not run.

    The command line exits with status 1 for these (2 for bad input).
    """
