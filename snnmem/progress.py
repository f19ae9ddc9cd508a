"""Progress of a simulation: its stages, and the standalone binary's percent of biological time.

:func:`snnmem.simulate` reports to a ``progress`` callable (``None``: silent) with a
:class:`Progress` event at each stage: ``"build"`` (Brian2 objects and code generation),
``"compile"`` (the C++ compiler; only when the code changed), ``"simulate"`` (repeated:
fraction of biological time done, wall time of the binary), ``"analyse"`` and ``"done"``.

The compiled binary reports through Brian2's standalone report function
(:data:`REPORT_CODE`, one machine-readable line per report period on the binary's
standard output, which Brian2 writes to ``results/stdout.txt``); :class:`BinaryWatcher`
reads those lines while the binary runs. The report changes no simulated value.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

#: first word of the binary's progress lines
MARKER = "snnmem-progress"

#: Brian2 cpp_standalone report function body (arguments: elapsed wall s, completed fraction, start, duration),
#: printing ``MARKER elapsed completed duration start`` (a run in segments reports each segment from its start)
REPORT_CODE = (
    f'std::cout << "{MARKER} " << elapsed << " " << completed << " " << duration << " " << start << std::endl;'
)

#: wall seconds between two reports of the binary
REPORT_PERIOD_S = 1.0


@dataclass(frozen=True)
class Progress:
    """One progress event: a stage, and for ``"simulate"`` how far the binary is."""

    stage: str
    fraction: float = 0.0
    biological_s: float = 0.0
    duration_s: float = 0.0
    wall_s: float = 0.0


ProgressCallback = Callable[[Progress], None]


def parse_line(line: str) -> Progress | None:
    """The :class:`Progress` of one line of the binary's output (None for any other line).

    ``fraction``, ``duration_s`` and ``wall_s`` are those of the run (or segment) that
    reports; ``biological_s`` is the protocol time reached (the segment's start, the
    optional fifth word, plus its completed part).
    """
    words = line.split()
    if len(words) not in (4, 5) or words[0] != MARKER:
        return None
    try:
        elapsed, completed, duration, *start = (float(w) for w in words[1:])
    except ValueError:
        return None
    return Progress("simulate", completed, (start[0] if start else 0.0) + completed * duration, duration, elapsed)


class BinaryWatcher:
    """Reads the binary's progress lines from ``stdout.txt`` while it runs and forwards them.

    Use as a context manager around the binary's run: a thread calls :meth:`poll` every
    ``interval`` seconds until the block ends, then once more for the last lines. With
    ``total_s`` (the protocol's length) the reports of a run in segments
    (:mod:`snnmem.segments`) are forwarded as progress through the whole protocol.
    """

    def __init__(
        self, stdout: Path, callback: ProgressCallback, interval: float = 0.25, total_s: float | None = None
    ) -> None:
        self.stdout = Path(stdout)
        self.callback = callback
        self.interval = interval
        self.total_s = total_s
        self._offset = 0
        self._segment: tuple[float, float] | None = None  # (start, last wall time) of the segment reporting
        self._wall_before = 0.0  # wall time of the segments before it
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def poll(self) -> None:
        """Forward every complete progress line written since the last poll."""
        try:
            with open(self.stdout, encoding="utf-8", errors="replace") as handle:
                handle.seek(self._offset)
                text = handle.read()
        except FileNotFoundError:
            return
        complete = text[: text.rfind("\n") + 1]  # a line still being written waits for the next poll
        self._offset += len(complete.encode("utf-8", errors="replace"))
        for line in complete.splitlines():
            event = parse_line(line)
            if event is not None:
                self.callback(self._of_protocol(event) if self.total_s else event)

    def _of_protocol(self, event: Progress) -> Progress:
        """A segment's report as progress through the whole protocol of ``total_s`` (wall time summed)."""
        start = event.biological_s - event.fraction * event.duration_s
        if self._segment is not None and abs(start - self._segment[0]) > 1e-9 * max(1.0, self.total_s):
            self._wall_before += self._segment[1]
        self._segment = (start, event.wall_s)
        total = float(self.total_s)
        return Progress(
            "simulate", event.biological_s / total, event.biological_s, total, self._wall_before + event.wall_s
        )

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            self.poll()

    def __enter__(self) -> BinaryWatcher:
        if self.stdout.exists():  # Brian2 truncates it when the binary starts; nothing old is read
            self.stdout.unlink()
        self._thread = threading.Thread(target=self._loop, name="snnmem-progress", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        self.poll()


class TerminalProgress:
    """A :data:`ProgressCallback` for the command line: stage lines and a tqdm bar on stderr."""

    LABELS = {"build": "building the network", "compile": "compiling (C++)", "analyse": "analysing"}

    def __init__(self, stream=None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self._bar = None

    def __call__(self, event: Progress) -> None:
        if event.stage == "simulate":
            if self._bar is None:
                from tqdm import tqdm

                self._bar = tqdm(
                    total=round(event.duration_s, 6),
                    unit="s bio",
                    desc="simulating",
                    file=self.stream,
                    bar_format="{desc}: {percentage:3.0f}% |{bar}| {n:.3g}/{total:.3g} s biological [{elapsed}]",
                )
            self._bar.n = round(min(event.biological_s, event.duration_s), 6)
            self._bar.refresh()
            return
        self.close()
        if event.stage in self.LABELS:
            print(f"{self.LABELS[event.stage]} ...", file=self.stream, flush=True)

    def close(self) -> None:
        """End the bar, if one is shown."""
        if self._bar is not None:
            self._bar.close()
            self._bar = None
