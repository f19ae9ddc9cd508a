"""A sweep through dask-jobqueue on a real SLURM cluster (``pytest -m slurm``).

CI starts a one-node cluster first (``.ci/start_slurm.sh``: slurm-wlm + munge on
this host). Outside CI the test is skipped when no SLURM controller answers; in CI
(``CI=true``) a missing cluster is a failure, not a skip.
"""

from __future__ import annotations

import os
import shutil
import subprocess

import h5py
import pytest

import snnmem
from snnmem.sweeps import read_index

from conftest import COMPTE
from test_sweep import TINY

pytestmark = pytest.mark.slurm


def _slurm_up() -> bool:
    if shutil.which("sinfo") is None:
        return False
    result = subprocess.run(["sinfo", "-h", "-o", "%a"], capture_output=True, text=True, timeout=30)
    return result.returncode == 0 and "up" in result.stdout


@pytest.fixture(scope="module")
def slurm():
    if not _slurm_up():
        if os.environ.get("CI"):
            pytest.fail("no SLURM cluster: .ci/run must run .ci/start_slurm.sh before pytest -m slurm")
        pytest.skip("no SLURM cluster (run .ci/start_slurm.sh as root)")


def test_sweep_on_slurm(slurm, tmp_path):
    out = tmp_path / "slurm_sweep"
    cluster = {
        "kind": "slurm",
        "workers": 2,
        "queue": "debug",
        "walltime": "00:30:00",
        "memory": "2GB",
        "cores": 1,
        "log_directory": str(tmp_path / "logs"),
    }
    result = snnmem.sweep(
        COMPTE,
        grid={"conductances.g_ee_nmda": ["0.36 nS", "0.381 nS"]},
        seeds="0-1",
        overrides=TINY,
        out=out,
        cluster=cluster,
        cache_dir=tmp_path / "cache",
        progress=False,
    )
    table = read_index(out)
    assert result.n_done == 4 and list(table["status"]) == ["done"] * 4, list(table["error"])
    # the points ran in SLURM jobs: the workers' names are dask-jobqueue's, and sbatch logs exist
    assert all(worker.startswith(os.uname().nodename.split(".")[0]) for worker in table["worker"])
    assert any((tmp_path / "logs").iterdir())
    with h5py.File(out / "index.h5") as h5:
        assert h5.attrs["state"] == "complete"
    assert int((table["compiled"] == 1).sum()) <= 1  # compile once: the other worker copies the build
