"""Weight snapshots kept on disk: a lazy array that reads one snapshot at a time.

The circuits stream snapshots to a raw file while the network runs
(:mod:`snnmem.circuits.snapshot_stream`); :class:`StreamedSnapshots` is what a
:class:`~snnmem.run.Run` holds until it is saved, when the rows are copied into the run
file one HDF5 chunk at a time.
"""

from __future__ import annotations

import shutil
import weakref
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["StreamedSnapshots"]


class StreamedSnapshots:
    """A lazy ``(n_snapshots, n_synapses)`` float32 array of streamed snapshots (one row per time).

    Parameters
    ----------
    path : Path
        The raw file (row after row of float32 values).
    n_synapses : int
        Values per snapshot. A last, incomplete row (a killed run) is ignored.
    interval_s : float
        Time between snapshots; snapshot ``k`` is the state at ``k * interval_s``.
    owned_folder : Path, optional
        A folder made for this file alone (``path``'s parent), deleted with it when this
        object is garbage-collected: what :class:`~snnmem.circuits.snapshot_stream.SnapshotStream`
        passes for the file it moved out of the build. Without it nothing is ever deleted.
    """

    def __init__(self, path: Path, n_synapses: int, interval_s: float, owned_folder: Path | None = None) -> None:
        self.path = Path(path)
        self.n_synapses = int(n_synapses)
        self.interval_s = float(interval_s)
        row_bytes = 4 * max(self.n_synapses, 1)
        self.n_snapshots = self.path.stat().st_size // row_bytes if self.n_synapses else 0
        if owned_folder is not None:
            owned = Path(owned_folder).resolve()
            if owned != self.path.resolve().parent:
                raise ValueError(f"owned_folder {owned} is not the folder of {self.path}")
            self._cleanup = weakref.finalize(self, shutil.rmtree, str(owned), True)

    @property
    def shape(self) -> tuple[int, int]:
        """``(n_snapshots, n_synapses)``."""
        return (self.n_snapshots, self.n_synapses)

    @property
    def dtype(self) -> np.dtype:
        """float32."""
        return np.dtype(np.float32)

    @property
    def times_s(self) -> np.ndarray:
        """Simulated time of every snapshot (s)."""
        return np.arange(self.n_snapshots) * self.interval_s

    def __len__(self) -> int:
        return self.n_snapshots

    def row(self, k: int) -> np.ndarray:
        """Snapshot ``k`` (read from disk)."""
        if not 0 <= k < self.n_snapshots:
            raise IndexError(f"snapshot {k} of {self.n_snapshots}")
        return np.fromfile(self.path, dtype=np.float32, count=self.n_synapses, offset=4 * self.n_synapses * k)

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        data = np.fromfile(self.path, dtype=np.float32, count=self.n_snapshots * self.n_synapses)
        data = data.reshape(self.shape)
        return data if dtype is None else data.astype(dtype)
