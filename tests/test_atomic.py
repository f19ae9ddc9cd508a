"""snnmem.atomic: one way to write a file whole (run files, sweep indexes, validation JSON)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

import pytest

from snnmem.atomic import atomic_write, remove_stale_temporaries
from snnmem.errors import EnvironmentFailure


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_a_failed_write_leaves_the_earlier_file_and_no_temporary(tmp_path):
    target = tmp_path / "index.csv"
    target.write_text("old")

    def failing(tmp_name):
        with open(tmp_name, "w") as handle:
            handle.write("half")
        raise OSError(28, "No space left on device")

    with pytest.raises(EnvironmentFailure, match=r"index\.csv: cannot write the table \(No space left"):
        atomic_write(target, failing, "the table")
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index.csv"]


def test_a_write_replaces_the_file_whole_with_the_usual_permissions(tmp_path):
    target = tmp_path / "sub" / "result.json"
    atomic_write(target, lambda name: open(name, "w").write("{}"), "the results", mode=0o644)
    assert target.read_text() == "{}" and (target.stat().st_mode & 0o777) == 0o644
    atomic_write(target, lambda name: open(name, "w").write("[]"), "the results")
    umask = os.umask(0)
    os.umask(umask)
    assert target.read_text() == "[]" and (target.stat().st_mode & 0o777) == 0o666 & ~umask


def test_stale_temporaries_matching_a_pattern_are_removed_only_when_their_writer_is_gone(tmp_path):
    host, dead = socket.gethostname(), _dead_pid()
    stale = [tmp_path / f".p{k}.h5.{host}.{dead}.ab{k}.tmp" for k in range(2)]
    live = tmp_path / f".p9.h5.{host}.{os.getppid()}.cd1.tmp"
    other_host = tmp_path / f".p8.h5.elsewhere.{dead}.ef1.tmp"
    other_kind = tmp_path / f".index.csv.{host}.{dead}.gh1.tmp"
    for path in (*stale, live, other_host, other_kind):
        path.write_text("")
    removed = remove_stale_temporaries(tmp_path, "*.h5")
    assert sorted(removed) == sorted(stale)
    assert live.exists() and other_host.exists() and other_kind.exists()
