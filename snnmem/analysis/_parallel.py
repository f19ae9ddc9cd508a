"""When to run a kernel's parallel driver instead of its serial one.

Every parallel region costs a thread wake-up and a barrier: microseconds on an
idle machine, but up to a scheduler time slice (~10 ms measured) on a busy,
oversubscribed one. So each kernel has a serial path (its per-chunk numba
function called once) and a ``prange`` driver over the same per-chunk
function, and the driver is used only when the work is large enough.
"""

from __future__ import annotations

from numba import get_num_threads

#: Elementary operations (spikes, multiply-adds, DP cells) below which one thread is used.
MIN_WORK_PER_THREAD = 4_000_000


def n_workers(work: float, max_workers: int | None = None) -> int:
    """Number of chunks to split ``work`` into: 1 (serial) unless every chunk gets enough work."""
    threads = get_num_threads()
    if max_workers is not None:
        threads = min(threads, max_workers)
    return int(max(1, min(threads, work // MIN_WORK_PER_THREAD)))
