"""Weight snapshots streamed to disk while the network runs: memory does not grow with their number.

A :class:`SnapshotStream` appends every value of one synaptic variable (e.g. the E->E
weights ``w``) to a raw float32 file at ``0, interval, 2 interval, ...`` of simulated
time. In ``cpp_standalone`` the binary writes the file itself, through a Brian2
:class:`~brian2.core.functions.Function` with a C++ implementation (a header in snnmem's build
cache, so that the code objects of every segment of a run share one file) called once per synapse by a
``run_regularly`` operation (``w = w + stream(w, t)``: the function returns 0, so the
weights are left bit for bit as they were); in runtime mode a ``network_operation``
writes the same file. Each snapshot is flushed when the next one starts and at the
end of the run, so the file of a killed run holds every snapshot before the last. With
checkpoints (:mod:`snnmem.checkpoints`) the file is in the checkpoint folder, so that a
resumed run finds it and appends to it.

After the run, :meth:`SnapshotStream.collect` moves the file out of the build folder
(the next run of the same build would overwrite it) and returns a
:class:`~snnmem.snapshots.StreamedSnapshots`: a lazy ``(n_snapshots, n_synapses)`` array that reads one
snapshot at a time; :meth:`snnmem.Run.save` copies it into the run file snapshot by
snapshot (one HDF5 chunk each), so neither the binary nor the writer holds more than
one snapshot in memory.

The writer relies on the per-synapse loop visiting synapses in index order, which
holds for snnmem's single-threaded standalone builds (the device has no OpenMP
setting); a multi-threaded build would interleave the writes.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from ..checkpoints import STREAM_ENV
from ..snapshots import StreamedSnapshots

__all__ = ["SnapshotStream"]

#: name of the raw file in the standalone project's ``results`` folder
_RESULT_NAME = "snnmem_stream_{tag}.f32"

_CPP_HEADER = """#ifndef {guard}
#define {guard}
#include <cstdio>
#include <cstdlib>
#include <string>
/* One file and one clock for every code object that calls {name}: a run in segments
   (snnmem.segments) has one code object per segment, each its own translation unit. Inline
   functions with external linkage share their static variables across translation units.
   The file is in $SNNMEM_STREAM_DIR (a checkpoint folder), else in results/; a resumed run
   ($SNNMEM_RESUME_T set) appends to the file its checkpoint cut back. */
inline FILE*& {name}_file() {{ static FILE* handle = NULL; return handle; }}
inline double& {name}_last_t() {{ static double last = -1.0; return last; }}
inline double {name}(double value, double t)
{{
    FILE*& file = {name}_file();
    if (file == NULL)
    {{
        const char* folder = getenv("SNNMEM_STREAM_DIR");
        const std::string path = std::string(folder != NULL ? folder : "results") + "/{result}";
        file = fopen(path.c_str(), getenv("SNNMEM_RESUME_T") != NULL ? "ab" : "wb");
        if (file == NULL) {{ fprintf(stderr, "snnmem: cannot write %s\\n", path.c_str()); exit(3); }}
    }}
    if (t != {name}_last_t())
    {{
        fflush(file);  /* the previous snapshot is complete */
        {name}_last_t() = t;
    }}
    const float stored = (float)value;
    fwrite(&stored, sizeof(float), 1, file);
    return 0.0;
}}
#endif
"""


def _header(name: str, result: str) -> Path:
    """The C++ header of a stream's writer, in snnmem's build cache (named after its content)."""
    from ..simulation import cache_dir

    text = _CPP_HEADER.format(name=name, result=result, guard=f"{name.upper()}_H")
    digest = hashlib.sha256(text.encode()).hexdigest()[:12]
    folder = cache_dir() / "include"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}_{digest}.h"
    if not path.is_file():  # written once, atomically: parallel builds may share the cache
        with tempfile.NamedTemporaryFile("w", dir=folder, delete=False, suffix=".tmp") as handle:
            handle.write(text)
        os.replace(handle.name, path)
    return path


class SnapshotStream:
    """Stream one variable of a ``Synapses`` object to a raw file every ``interval_s``.

    Parameters
    ----------
    b2 : module
        The ``brian2`` module.
    synapses : brian2.Synapses
        The synapses whose variable is written.
    variable : str
        A float variable of ``synapses`` (e.g. ``"w"``).
    interval_s : float
        Time between snapshots (> 0, a whole number of time steps).
    tag : str
        Identifier of the stream (a Python identifier, unique in the network), e.g. ``"ee_w"``.
    """

    def __init__(self, b2: Any, synapses: Any, variable: str, interval_s: float, tag: str) -> None:
        if not tag.isidentifier():
            raise ValueError(f"snapshot stream tag {tag!r} is not an identifier")
        self.synapses, self.interval_s, self.tag = synapses, float(interval_s), tag
        self.result_name = _RESULT_NAME.format(tag=tag)
        interval = self.interval_s * b2.second
        if b2.get_device().__class__.__name__ == "CPPStandaloneDevice":
            name = f"snnmem_stream_{tag}"
            unit = b2.get_unit(synapses.variables[variable].dim)
            function = b2.Function(
                _python_placeholder,
                arg_units=[unit, b2.second],
                return_unit=unit,
                arg_types=["float", "float"],
                return_type="float",
            )
            header = _header(name, self.result_name)
            function.implementations.add_implementation(
                "cpp", "", name=name, compiler_kwds={"headers": [f'"{header}"']}
            )
            self.objects = [
                synapses.run_regularly(
                    f"{variable} = {variable} + {name}({variable}, t)",
                    dt=interval,
                    when="end",
                    name=f"{synapses.name}_stream_{tag}",
                )
            ]
            # the operation's identifiers are resolved in the synapses' namespace
            if synapses.namespace is None:
                synapses.namespace = {}
            synapses.namespace[name] = function
            self._local_path: Path | None = None
        else:
            handle_dir = Path(tempfile.mkdtemp(prefix=f"snnmem_stream_{tag}_"))
            self._local_path = handle_dir / self.result_name
            self._local_path.write_bytes(b"")
            local_path = self._local_path

            @b2.network_operation(dt=interval, when="end", name=f"{synapses.name}_stream_{tag}")
            def _write() -> None:
                with open(local_path, "ab") as handle:
                    np.asarray(getattr(synapses, variable)[:], dtype=np.float32).tofile(handle)

            self.objects = [_write]

    def collect(self, b2: Any) -> StreamedSnapshots:
        """After the run: the snapshots, moved out of the build (or checkpoint) folder (call once per run)."""
        n_synapses = len(self.synapses)
        if self._local_path is not None:
            return StreamedSnapshots(
                self._local_path, n_synapses, self.interval_s, owned_folder=self._local_path.parent
            )
        folder = os.environ.get(STREAM_ENV)  # a checkpointed run's streams are in its checkpoint folder
        results = Path(folder) if folder else Path(b2.get_device().project_dir) / "results"
        source = results / self.result_name
        if not source.is_file():
            raise FileNotFoundError(f"the binary wrote no snapshot file {source}")
        # a folder on the same file system (so the move is a rename), outside the project or checkpoint
        scratch = results.parent if folder else results.parent.parent
        owned = Path(tempfile.mkdtemp(prefix=f"snnmem_stream_{self.tag}_", dir=str(scratch)))
        target = owned / self.result_name
        os.replace(source, target)
        return StreamedSnapshots(target, n_synapses, self.interval_s, owned_folder=owned)


def _python_placeholder(value: Any, t: Any) -> Any:  # pragma: no cover - standalone code only
    raise NotImplementedError("snapshot streams run in cpp_standalone only through their C++ implementation")
