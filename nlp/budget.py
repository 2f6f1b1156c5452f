"""Time and memory bounds on the process reading a report: the errors they end in, and the caps themselves.

The worker pool (nlp/workers.py) enforces the time budget by ending the worker; `gongkai analyze`, which reads in
its own process, uses `time_budget` (an interval timer whose signal raises in the pipeline, all pure Python
between bytecodes). The memory cap is the address-space limit of the process (RLIMIT_AS): past it an allocation
fails with MemoryError instead of the machine swapping, and that process is not trusted afterwards.
"""

from __future__ import annotations

import os
import resource
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

from nlp.document import ReadError


def too_slow(seconds: float) -> ReadError:
    return ReadError(
        "too_slow",
        f"Reading this file took longer than {seconds:g} s (GONGKAI_TIME_BUDGET_S), far longer than a report "
        "takes: it was stopped. A file built to hang a reader, or many reports in one file.",
    )


def too_large(megabytes: float) -> ReadError:
    return ReadError(
        "too_large",
        f"Reading this file needed more than {megabytes:g} MB of memory (GONGKAI_WORKER_MEMORY_MB), far more than "
        "a report needs: it was stopped.",
    )


# Math libraries start one thread per CPU in every process that loads them, each with its own buffers and stack:
# on a large machine that alone is gigabytes of address space, under a cap meant for reading one report. The
# workers are already one per CPU, so their math runs on one thread each.
MATH_THREADS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def one_math_thread() -> None:
    """Before numpy is imported: one BLAS/OpenMP thread in this process, unless the environment says otherwise."""
    for name in MATH_THREADS:
        os.environ.setdefault(name, "1")


def cap_memory(limit: int) -> int:
    """Allocations past `limit` bytes of address space fail from now on in this process (never above the hard
    limit, which an unprivileged process cannot raise). Returns the cap that was in force, to put it back."""
    previous, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (limit if hard == resource.RLIM_INFINITY else min(limit, hard), hard))
    return previous


@contextmanager
def time_budget(seconds: float) -> Iterator[None]:
    """Raise `too_slow` in this (main) thread once the block has run `seconds`."""

    def expire(signum: int, frame: FrameType | None) -> None:
        raise too_slow(seconds)

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
