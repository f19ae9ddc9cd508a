"""Atomic file writes: a file is replaced only by a complete one, never left half-written.

Every file snnmem writes for a user (run files, sweep indexes, validation JSON) goes
through :func:`atomic_write`: the content is written to a temporary file beside the
destination, ``.NAME.<host>.<pid>.<random>.tmp``, flushed to disk and renamed onto the
destination (``os.replace``, atomic on POSIX). A process killed while writing leaves only
its temporary file, which the next write to the same folder removes
(:func:`remove_stale_temporaries`: the writer's pid no longer runs on this host).
"""

from __future__ import annotations

import os
import socket
import tempfile
from collections.abc import Callable
from glob import escape as glob_escape
from pathlib import Path

from .errors import EnvironmentFailure


def atomic_write(path: str | Path, write: Callable[[str], None], what: str, mode: int | None = None) -> Path:
    """Call ``write(tmp_path)``, then rename the temporary file onto ``path``.

    Parameters
    ----------
    path : str or Path
        Destination; its folder is created if missing.
    write : callable
        Writes the whole content to the path it is given (a new, empty file).
    what : str
        What the file is, for error messages ("the run file", "the sweep index").
    mode : int, optional
        Permission bits of the result (default: ``0o666`` less the umask, as ``open`` would).

    Returns
    -------
    Path
        ``path``.

    Raises
    ------
    EnvironmentFailure
        The folder cannot be written or the disk is full; any earlier file at ``path`` is unchanged.
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        remove_stale_temporaries(path.parent, path.name)
        prefix = f".{path.name}.{socket.gethostname()}.{os.getpid()}."
        handle, tmp_name = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=path.parent)
    except OSError as error:
        raise EnvironmentFailure(f"{path}: cannot write {what} here ({error.strerror or error})") from None
    os.close(handle)
    try:
        if mode is None:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        try:
            os.chmod(tmp_name, mode)  # mkstemp makes 0600
            write(tmp_name)
            with open(tmp_name, "rb+") as written:
                os.fsync(written.fileno())
            os.replace(tmp_name, path)
            _fsync_folder(path.parent)
        except OSError as error:
            raise EnvironmentFailure(
                f"{path}: cannot write {what} ({error.strerror or error}); any earlier file there is unchanged"
            ) from None
    except BaseException:
        if os.path.exists(tmp_name):
            os.unlink(tmp_name)
        raise
    return path


def remove_stale_temporaries(folder: str | Path, name: str = "*") -> list[Path]:
    """Delete the temporary files of writes to ``folder/name`` whose process on this host is gone.

    Parameters
    ----------
    folder : str or Path
        Folder of the destination files.
    name : str
        Destination file name, or a glob pattern of names (``"*.h5"``): ``*`` and ``?`` in it
        are wildcards; any other character is literal.

    Returns
    -------
    list of Path
        The files removed. Temporary files of live processes, of other hosts (a shared
        file system) and of other users' processes are kept.
    """
    host = socket.gethostname()
    literal = glob_escape(name).replace("[*]", "*").replace("[?]", "?")
    removed = []
    for candidate in Path(folder).glob(f".{literal}.{glob_escape(host)}.*.tmp"):
        # .NAME.<host>.<pid>.<random>.tmp: mkstemp's random part has no dot
        head, pid_text, _random, _suffix = candidate.name.rsplit(".", 3)
        if not head.endswith(f".{host}") or not pid_text.isdigit() or int(pid_text) == os.getpid():
            continue
        try:
            os.kill(int(pid_text), 0)
        except ProcessLookupError:  # the writer is gone: its temporary file can never be completed
            candidate.unlink(missing_ok=True)
            removed.append(candidate)
        except PermissionError:  # another user's live process
            pass
    return removed


def _fsync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable (POSIX; a no-op where folders cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
