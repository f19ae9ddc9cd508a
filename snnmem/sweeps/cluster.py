"""Dask clients: a local cluster, SLURM through dask-jobqueue, or an existing scheduler."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Any


from ..errors import EnvironmentFailure, SnnmemError

if sys.version_info >= (3, 11):
    pass
else:  # pragma: no cover
    pass
from .spec import ClusterSpec


def _make_client(cluster: ClusterSpec, out: Path, retries: int):
    """A Dask client (and the cluster it owns, or None) for this sweep."""
    import dask
    from distributed import Client

    dask.config.set({"distributed.scheduler.allowed-failures": retries})
    if cluster.kind == "local":
        from distributed import LocalCluster

        owned = LocalCluster(
            n_workers=cluster.workers, threads_per_worker=1, processes=True, dashboard_address=None, memory_limit=None
        )
        return Client(owned), owned
    if cluster.kind == "slurm":
        try:
            from dask_jobqueue import SLURMCluster
        except ImportError:  # pragma: no cover - a dependency
            raise SnnmemError("cluster 'slurm' needs dask-jobqueue (pip install dask-jobqueue)") from None
        log_directory = cluster.log_directory or str(out / "slurm-logs")
        owned = SLURMCluster(
            queue=cluster.queue,
            account=cluster.account,
            walltime=cluster.walltime,
            memory=cluster.memory,
            cores=cluster.cores,
            processes=cluster.processes,
            job_extra_directives=list(cluster.job_extra),
            log_directory=log_directory,
            local_directory=cluster.local_directory,
            python=sys.executable,
            worker_extra_args=["--nthreads", "1"],
            scheduler_options={"dashboard_address": None},
        )
        owned.scale(n=cluster.workers)
        return Client(owned), owned
    try:
        return Client(cluster.kind, timeout="20s"), None
    except (OSError, TimeoutError, ValueError) as error:
        raise EnvironmentFailure(f"cannot reach the Dask scheduler at {cluster.kind!r} ({error})") from None


@contextmanager
def cluster_client(cluster: Any = "local", workers: int = 2, out: str | Path = ".", retries: int = 3):
    """A Dask client for several sweeps at once (``snnmem bench``); closed with the cluster it started.

    ``cluster``: ``"local"``, ``"slurm"``, a scheduler address or a :class:`ClusterSpec`;
    an existing :class:`distributed.Client` is yielded as is (and not closed).
    """
    if hasattr(cluster, "submit") and hasattr(cluster, "scheduler_info"):
        yield cluster
        return
    spec = cluster if isinstance(cluster, ClusterSpec) else ClusterSpec(kind=str(cluster), workers=workers)
    client, owned = _make_client(spec, Path(out), retries)
    try:
        yield client
    finally:
        client.close()
        if owned is not None:
            owned.close()
