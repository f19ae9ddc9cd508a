"""Spikes from files other tools wrote: SONATA spike reports (NEST, BMTK, NEURON, snnmem itself).

:func:`read_spikes` returns the same layout as :attr:`snnmem.Run.spikes` — population ->
``(node_ids, timestamps in seconds)`` sorted by time — so :mod:`snnmem.analysis` works on
any simulator's output. Times are converted from the file's ``units`` attribute.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .errors import RunFileError

#: seconds per unit of the SONATA ``timestamps`` ``units`` attribute
TIME_UNITS = {"s": 1.0, "ms": 1e-3, "us": 1e-6, "µs": 1e-6, "ns": 1e-9}


def read_spikes(path: str | Path) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Every population's spikes of a SONATA spike file, in seconds and sorted by time.

    Parameters
    ----------
    path : str or Path
        A SONATA spike report (``/spikes/<population>/{node_ids, timestamps}``), such as
        NEST's or BMTK's SONATA output or an snnmem run file.

    Returns
    -------
    dict
        population -> ``(node_ids, timestamps)``: ids as stored (unsigned integers),
        times float64 in seconds, both ordered by time (then node id).

    Raises
    ------
    RunFileError
        The file is missing, not HDF5, has no ``/spikes`` populations, a population lacks
        a dataset, the two datasets differ in length, or the time unit is missing or unknown.
    """
    import h5py

    from .run import open_hdf5

    path = Path(path)
    handle = open_hdf5(path, "spike file")
    spikes = {}
    with handle as h5:
        group = h5.get("spikes")
        if not isinstance(group, h5py.Group) or not any(isinstance(g, h5py.Group) for g in group.values()):
            raise RunFileError(f"{path}: no SONATA spike populations (/spikes/<population>) in the file")
        for name, population in group.items():
            if not isinstance(population, h5py.Group):
                continue
            for dataset in ("node_ids", "timestamps"):
                if dataset not in population:
                    raise RunFileError(f"{path}: /spikes/{name}/{dataset} is missing")
            ids, times = population["node_ids"][()], population["timestamps"][()]
            if ids.shape != times.shape:
                raise RunFileError(f"{path}: /spikes/{name}: node_ids and timestamps differ in length")
            unit = population["timestamps"].attrs.get("units")
            unit = unit.decode() if isinstance(unit, bytes) else unit
            if unit not in TIME_UNITS:
                raise RunFileError(
                    f"{path}: /spikes/{name}/timestamps: time unit {unit!r} is not one of {', '.join(TIME_UNITS)} "
                    "(SONATA requires a 'units' attribute)"
                )
            seconds = np.asarray(times, dtype=np.float64) * TIME_UNITS[unit]
            order = np.lexsort((ids, seconds))
            spikes[name] = (np.asarray(ids)[order], seconds[order])
    return spikes


def is_foreign_spike_file(path: str | Path) -> bool:
    """True for an HDF5 file with SONATA spikes that is not an snnmem run file (False otherwise, never raises)."""
    import h5py

    from .run import FORMAT

    try:
        with h5py.File(path, "r") as h5:
            attr = h5.attrs.get("format")
            attr = attr.decode() if isinstance(attr, bytes) else attr
            return attr != FORMAT and isinstance(h5.get("spikes"), h5py.Group)
    except (OSError, TypeError):
        return False


def spikes_summary(path: str | Path) -> str:
    """What :func:`read_spikes` finds in a file: per population, spikes, distinct ids and time range."""
    lines = [f"SONATA spike file (not an snnmem run file): {path}", "spikes:"]
    for name, (ids, times) in sorted(read_spikes(path).items()):
        if not len(ids):
            lines.append(f"  {name:<12} 0 spikes")
            continue
        lines.append(
            f"  {name:<12} {len(ids):9d} spikes  {np.unique(ids).size:6d} distinct ids (max {int(ids.max())})  "
            f"{times[0]:.6g} - {times[-1]:.6g} s"
        )
    return "\n".join(lines)
