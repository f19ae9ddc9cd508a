"""Input validation shared by the analysis functions.

Every check raises :class:`ValueError` (or :class:`TypeError` for a wrong kind
of object) with a message that names the offending argument. The checks only
look at shapes, dtypes and scalars; per-spike checks (ids in range, NaN
timestamps) are done inside the numba kernels during their single pass over the
spikes and reported through :func:`raise_spike_errors`.
"""

from __future__ import annotations

import math
import sys

import numpy as np

#: Relative tolerance (in bins) when deciding how many whole bins fit a window:
#: ``n_bins = floor((t_stop - t_start) / bin_width + BIN_COUNT_TOLERANCE)``, so
#: ``1.0 / 0.1`` and ``0.3 / 0.1`` (= 2.9999999999999996) give 10 and 3 bins.
BIN_COUNT_TOLERANCE = 1e-9

# Status bits set by the spike kernels (one int64 per chunk, OR-ed together).
STATUS_UNSORTED = 1
STATUS_BAD_ID = 2
STATUS_NAN_TIME = 4


def _as_seconds(value: object, name: str) -> object:
    """``value`` in seconds if it carries units (a Brian2 or ``quantities`` quantity), else unchanged.

    Plain numbers are taken as seconds. A quantity that is not a time raises ValueError
    naming ``name``; the unit libraries are only consulted if the caller imported them.
    """
    brian2_units = sys.modules.get("brian2.units.fundamentalunits")
    if brian2_units is not None and isinstance(value, brian2_units.Quantity):
        if brian2_units.get_dimensions(value) != brian2_units.get_or_create_dimension(s=1):
            raise ValueError(f"{name} must be a time, got {value!r}")
        return np.asarray(value)  # Brian2 stores quantities in SI units: seconds
    quantities = sys.modules.get("quantities")
    if quantities is not None and isinstance(value, quantities.Quantity):
        try:
            return np.asarray(value.rescale(quantities.s).magnitude)
        except ValueError:
            raise ValueError(f"{name} must be a time, got {value!r}") from None
    return value


def seconds(value: object, name: str) -> float:
    """A finite time in seconds: a plain number (seconds) or a Brian2 / ``quantities`` time of any unit."""
    return finite_float(_as_seconds(value, name), name)


def spike_arrays(node_ids: object, timestamps: object) -> tuple[np.ndarray, np.ndarray]:
    """Return ``(node_ids, timestamps)`` as contiguous 1-D arrays ready for a kernel.

    ``node_ids`` keeps its integer dtype (uint32 from a run file is not copied);
    ``timestamps`` becomes float64 seconds (an array with time units is converted).
    """
    ids = np.asarray(node_ids)
    times = np.asarray(_as_seconds(timestamps, "timestamps"))
    if ids.ndim != 1:
        raise ValueError(f"node_ids must be 1-D, got shape {ids.shape}")
    if times.ndim != 1:
        raise ValueError(f"timestamps must be 1-D, got shape {times.shape}")
    if ids.size != times.size:
        raise ValueError(f"node_ids and timestamps must have the same length, got {ids.size} and {times.size}")
    if ids.size == 0:
        ids = ids.astype(np.int64)
    if ids.dtype.kind not in "iu":
        raise TypeError(f"node_ids must be an integer array, got dtype {ids.dtype}")
    if times.size and times.dtype.kind not in "fiu":
        raise TypeError(f"timestamps must be a real-valued array, got dtype {times.dtype}")
    ids = np.ascontiguousarray(ids)
    times = np.ascontiguousarray(times, dtype=np.float64)
    return ids, times


def positive_int(value: object, name: str) -> int:
    """Return ``value`` as a Python int >= 1, or raise ValueError naming ``name``."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be an integer, got {value!r}")
    if value < 1:
        raise ValueError(f"{name} must be >= 1, got {value}")
    return int(value)


def finite_float(value: object, name: str) -> float:
    """Return ``value`` as a finite Python float, or raise ValueError naming ``name``."""
    try:
        out = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a real number, got {value!r}") from None
    if not math.isfinite(out):
        raise ValueError(f"{name} must be finite, got {out}")
    return out


def positive_float(value: object, name: str) -> float:
    """Return ``value`` as a finite float > 0, or raise ValueError naming ``name``."""
    out = finite_float(value, name)
    if out <= 0.0:
        raise ValueError(f"{name} must be > 0, got {out}")
    return out


def time_window(t_start: object, t_stop: object) -> tuple[float, float]:
    """Validate a half-open window ``[t_start, t_stop)`` in seconds."""
    start = seconds(t_start, "t_start")
    stop = seconds(t_stop, "t_stop")
    if stop <= start:
        raise ValueError(f"t_stop must be > t_start, got t_start={start}, t_stop={stop}")
    return start, stop


def bin_count(t_start: float, t_stop: float, bin_width: object) -> tuple[float, int]:
    """Validate ``bin_width`` and return ``(bin_width, n_bins)`` for a window.

    ``n_bins = floor((t_stop - t_start) / bin_width + BIN_COUNT_TOLERANCE)``; a
    trailing partial bin is dropped.
    """
    width = positive_float(_as_seconds(bin_width, "bin_width"), "bin_width")
    n_bins = int(math.floor((t_stop - t_start) / width + BIN_COUNT_TOLERANCE))
    if n_bins < 1:
        raise ValueError(f"bin_width={width} s is longer than the window t_stop - t_start = {t_stop - t_start} s")
    return width, n_bins


def activity_matrix(activity: object, name: str = "activity") -> tuple[np.ndarray, bool]:
    """Return ``(activity as contiguous 2-D (n_neurons, n_bins), was_1d)``.

    Integer and float dtypes are kept (the kernels are compiled per dtype);
    bool becomes uint8.
    """
    arr = np.asarray(activity)
    if arr.dtype == np.bool_:
        arr = arr.view(np.uint8)
    if arr.dtype.kind not in "fiu":
        raise TypeError(f"{name} must be a real-valued array, got dtype {arr.dtype}")
    if arr.ndim == 1:
        return np.ascontiguousarray(arr[:, None]), True
    if arr.ndim != 2:
        raise ValueError(f"{name} must be 1-D (n_neurons,) or 2-D (n_neurons, n_bins), got shape {arr.shape}")
    return np.ascontiguousarray(arr), False


def pattern_matrix(patterns: object, n_neurons: int, name: str = "patterns") -> np.ndarray:
    """Return ``patterns`` as float64 (n_patterns, n_neurons); a 1-D pattern becomes one row."""
    arr = np.asarray(patterns)
    if arr.dtype.kind not in "fiub":
        raise TypeError(f"{name} must be a real-valued array, got dtype {arr.dtype}")
    arr = np.atleast_2d(arr).astype(np.float64, copy=False)
    if arr.ndim != 2:
        raise ValueError(f"{name} must be (n_patterns, n_neurons), got shape {arr.shape}")
    if arr.shape[1] != n_neurons:
        raise ValueError(f"{name} has {arr.shape[1]} neurons per pattern but the activity has {n_neurons} neurons")
    if arr.shape[0] < 1:
        raise ValueError(f"{name} must contain at least one pattern")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite")
    return arr


def raise_spike_errors(status: int, node_ids: np.ndarray, timestamps: np.ndarray, n_neurons: int) -> None:
    """Raise the ValueError that a kernel's status bits describe (no-op for 0 or unsorted only)."""
    if status & STATUS_BAD_ID:
        ids = node_ids.astype(np.int64) if node_ids.dtype != np.uint64 else node_ids
        bad = ids[(ids < 0) | (ids >= n_neurons)]
        raise ValueError(
            f"node_ids must lie in [0, n_neurons={n_neurons}); found {bad.size} invalid id(s), e.g. {bad[0]}"
        )
    if status & STATUS_NAN_TIME:
        raise ValueError(f"timestamps contain {int(np.isnan(timestamps).sum())} NaN value(s)")
