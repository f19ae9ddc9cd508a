"""Parameter sweeps: a grid of parameter values x seeds, run on Dask, one run file per point.

Modules: ``spec`` (grids, seeds, points, sweep files), ``worker`` (what runs on a
Dask worker), ``index`` (``index.h5`` / ``index.csv``), ``cluster`` (Dask clients),
``engine`` (:func:`sweep` itself).

A sweep is a model file, a grid (dotted keys -> lists of values), a list of
seeds and fixed overrides. Every point (one combination of grid values and one
seed) is simulated by a Dask worker and written atomically to its own run file in
the output folder; the index (``DIR/index.h5`` and ``DIR/index.csv``) holds one
row per point (parameters, seed, status, whether it compiled, scores, run file)
and is rewritten atomically each time a point finishes, so an interrupted sweep
leaves a usable index and ``resume=True`` runs only the missing points.

Execution: :class:`distributed.LocalCluster` (``cluster="local"``, one process
per worker, one thread each), :class:`dask_jobqueue.SLURMCluster`
(``cluster="slurm"``), or an existing Dask scheduler (its address, or a
:class:`distributed.Client`). A worker lost mid-point is replaced and its point
is run again (up to ``retries`` times); a point whose simulation raises is
recorded as ``failed`` with the error, never dropped.

Compile once: each worker uses its own cache folder (``SNNMEM_CACHE_DIR`` =
``<cache>/workers/<host>-<worker>``: its own standalone build folders and Cython
cache), and :func:`snnmem.simulate` keeps the compiled network of the last point
warm: points that differ only in run-time values rerun the binary with new
``run_args``; points that change the code (network size, dt, duration, ...)
rebuild. The ``compiled`` column says which points ran the C++ compiler.

The sweep file (TOML), next to the model; every path is relative to the sweep
file::

    [sweep]
    model = "compte2000.toml"
    out = "../sweeps/nmda"        # optional (else --out)
    seeds = "0-3"                 # "A-B", "1,4,7", an integer list, or a count
    retries = 3                   # reruns of a point whose worker died

    [grid]                        # dotted key -> list of values, or "START:STOP:N"
    "conductances.g_ee_nmda" = "0.36 nS:0.40 nS:5"
    "connectivity.sigma_deg" = [14.4, 18.0]

    [set]                         # fixed overrides of the model
    "protocol.delay_duration" = "2 s"

    [cluster]
    kind = "local"                # or "slurm", or a scheduler address "tcp://host:8786"
    workers = 2
    # slurm only: queue, walltime, memory, cores, processes, account,
    # job_extra (list of #SBATCH lines), log_directory, local_directory
"""

from __future__ import annotations

from .cluster import cluster_client
from .engine import SweepResult, sweep
from .index import INDEX_FORMAT, INDEX_VERSION, IndexTable, is_sweep_dir, read_index, write_index
from .spec import ClusterSpec, Point, SweepSpec, is_sweep_file, load_sweep, make_spec, parse_grid, parse_seeds
from .worker import _read_run_row, run_point

__all__ = [
    "sweep",
    "SweepSpec",
    "ClusterSpec",
    "Point",
    "SweepResult",
    "load_sweep",
    "parse_grid",
    "parse_seeds",
    "read_index",
    "IndexTable",
    "is_sweep_dir",
    "INDEX_FORMAT",
    "INDEX_VERSION",
    "cluster_client",
    "make_spec",
    "is_sweep_file",
    "write_index",
    "run_point",
    "_read_run_row",
]
