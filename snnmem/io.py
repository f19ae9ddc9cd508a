"""Spikes from files other tools wrote: SONATA spike reports (NEST, BMTK, NEURON, snnmem itself) and NWB units tables.

:func:`read_spikes` returns the same layout as :attr:`snnmem.Run.spikes` — population ->
``(node_ids, timestamps in seconds)`` sorted by time — so :mod:`snnmem.analysis` works on
any simulator's or recording's output. SONATA times are converted from the file's ``units``
attribute; NWB spike times are seconds by the standard. NWB files are read with ``pynwb``
(optional: ``pip install snnmem[nwb]``).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .errors import RunFileError

#: seconds per unit of the SONATA ``timestamps`` ``units`` attribute
TIME_UNITS = {"s": 1.0, "ms": 1e-3, "us": 1e-6, "µs": 1e-6, "ns": 1e-9}


def is_nwb_file(path: str | Path) -> bool:
    """True for an HDF5 file that declares itself NWB (root attribute ``nwb_version``); never raises."""
    import h5py

    try:
        with h5py.File(path, "r") as h5:
            return "nwb_version" in h5.attrs
    except (OSError, TypeError):
        return False


def read_spikes(path: str | Path) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Every population's spikes of a SONATA spike file or an NWB units table, in seconds and sorted by time.

    Parameters
    ----------
    path : str or Path
        A SONATA spike report (``/spikes/<population>/{node_ids, timestamps}``), such as
        NEST's or BMTK's SONATA output or an snnmem run file; or an NWB file with a
        ``units`` table (recorded or simulated, e.g. from ``snnmem export --nwb``). NWB units
        are grouped by their ``population`` column if the table has one (else all in one
        population ``"units"``) and numbered by their ``node_id`` column if it has one
        (else by the unit ``id``).

    Returns
    -------
    dict
        population -> ``(node_ids, timestamps)``: ids as stored (unsigned integers),
        times float64 in seconds, both ordered by time (then node id).

    Raises
    ------
    RunFileError
        The file is missing, not HDF5, has no ``/spikes`` populations, a population lacks
        a dataset, the two datasets differ in length, or the time unit is missing or unknown;
        an NWB file without a units table or with negative or non-finite spike times.
    EnvironmentFailure
        An NWB file and ``pynwb`` is not installed.
    """
    import h5py

    from .run import open_hdf5

    path = Path(path)
    handle = open_hdf5(path, "spike file")
    if "nwb_version" in handle.attrs:
        handle.close()
        return read_nwb_units(path)
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


def read_nwb_units(path: str | Path) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """The spikes of an NWB file's units table, as :func:`read_spikes` returns them.

    Parameters
    ----------
    path : str or Path
        An NWB file (read with ``pynwb``).

    Returns
    -------
    dict
        population -> ``(node_ids uint64, timestamps float64 s)`` ordered by time, then id.

    Raises
    ------
    RunFileError
        The file has no units table, or a spike time is negative or not finite.
    EnvironmentFailure
        ``pynwb`` is not installed.
    """
    from .optional import require

    pynwb = require("pynwb", "nwb")
    path = Path(path)
    with pynwb.NWBHDF5IO(str(path), "r") as io:
        units = io.read().units
        if units is None or "spike_times" not in units.colnames:
            raise RunFileError(f"{path}: NWB file has no units table with spike_times")
        # the ragged column: all spike times end to end, and each unit's end offset into them
        times = np.asarray(units.spike_times.data[:], dtype=np.float64)
        ends = np.asarray(units.spike_times_index.data[:], dtype=np.int64)
        n_units = len(ends)
        per_unit = np.diff(np.concatenate(([0], ends)))
        ids = np.asarray(units["node_id"].data[:] if "node_id" in units.colnames else units.id.data[:], dtype=np.uint64)
        populations = (
            np.asarray([str(p) for p in units["population"].data[:]], dtype=object)
            if "population" in units.colnames
            else np.full(n_units, "units", dtype=object)
        )
    if not np.all(np.isfinite(times)) or (times.size and times.min() < 0):
        raise RunFileError(f"{path}: units/spike_times has negative or non-finite values")
    unit_of_spike = np.repeat(np.arange(n_units), per_unit)
    spikes = {}
    for name in sorted(set(populations)):
        mine = populations[unit_of_spike] == name
        seconds, nodes = times[mine], ids[unit_of_spike[mine]]
        order = np.lexsort((nodes, seconds))
        spikes[str(name)] = (nodes[order], seconds[order])
    return spikes


def is_foreign_spike_file(path: str | Path) -> bool:
    """True for an NWB file, or an HDF5 file with SONATA spikes that is not an snnmem run file; never raises."""
    import h5py

    from .run import FORMAT

    try:
        with h5py.File(path, "r") as h5:
            if "nwb_version" in h5.attrs:
                return True
            attr = h5.attrs.get("format")
            attr = attr.decode() if isinstance(attr, bytes) else attr
            return attr != FORMAT and isinstance(h5.get("spikes"), h5py.Group)
    except (OSError, TypeError):
        return False


def spikes_summary(path: str | Path) -> str:
    """What :func:`read_spikes` finds in a file: per population, spikes, distinct ids and time range."""
    kind = "NWB file (units table)" if is_nwb_file(path) else "SONATA spike file (not an snnmem run file)"
    lines = [f"{kind}: {path}", "spikes:"]
    for name, (ids, times) in sorted(read_spikes(path).items()):
        if not len(ids):
            lines.append(f"  {name:<12} 0 spikes")
            continue
        lines.append(
            f"  {name:<12} {len(ids):9d} spikes  {np.unique(ids).size:6d} distinct ids (max {int(ids.max())})  "
            f"{times[0]:.6g} - {times[-1]:.6g} s"
        )
    return "\n".join(lines)
