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
