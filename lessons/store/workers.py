"""Parsing many files at once in forked worker processes, and the garbage collector's pauses.

Workers only read and parse; they never touch the database. The main process writes
what they send back, in order, inside its one transaction.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .prepare import Prepared, forget_chunks, prepare

PARALLEL_FROM = 400
"""Parse in worker processes when at least this many files need (re)indexing."""
WORKERS = 4
"""At most this many worker processes."""


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause Python's cycle collector while many objects are made and kept.

    Loading thousands of documents creates hundreds of thousands of objects and no
    cycles; every full collection on the way walks all of them again, which was half
    the time of reading a large index back. Collection resumes (if it was on) after.
    """
    import gc

    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def prepare_all(items: list[tuple[Path, str, str]], root: Path) -> Iterator[Prepared]:
    """Prepare files (path, path relative to `root`, known SHA-256) in order.

    On several cores and for large batches, in forked worker processes (Linux).
    """
    import sys

    workers = min(os.cpu_count() or 1, WORKERS)
    if len(items) < PARALLEL_FROM or workers < 2 or not sys.platform.startswith("linux"):
        return (prepare(path, rel, root, digest) for path, rel, digest in items)
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # Forked workers only parse; they never touch the inherited SQLite connection and
    # leave with os._exit, so it is never closed or written from a child. ("spawn" would
    # re-run the caller's main module, which a library cannot ask of every script.)
    executor = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"),
                                   initializer=_start_worker, initargs=(os.getpid(),))
    results = executor.map(_prepare_in_worker, [p for p, _, _ in items], [r for _, r, _ in items],
                           [root] * len(items), [d for _, _, d in items], chunksize=32)

    def drain() -> Iterator[Prepared]:
        try:
            yield from results
        finally:
            executor.shutdown(wait=True, cancel_futures=True)

    return drain()


def _start_worker(parent: int) -> None:
    """Set up a forked worker process for a stream of `prepare` calls."""
    import gc

    _die_with_parent(parent)
    forget_chunks()
    # Parsing allocates many short-lived objects and few cycles: collecting every 700
    # allocations, and walking what the worker inherited, cost about 4% of its time.
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)


PR_SET_PDEATHSIG = 1
"""prctl(2): the signal the kernel sends this process when its parent dies (Linux)."""


def _die_with_parent(parent: int) -> None:
    """Have the kernel kill this worker when the process that forked it dies.

    Otherwise a parent killed with SIGKILL leaves its workers waiting for work for good:
    each holds the write end of the others' task pipe, so none of them sees it close,
    and they keep the parent's standard output open (a caller reading it never ends).
    """
    import ctypes
    import signal

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux after all: only the check below helps
        pass
    if os.getppid() != parent:  # the parent died before the kernel was asked
        os._exit(1)


def _prepare_in_worker(path: Path, rel: str, root: Path, known_digest: str) -> Prepared:
    return prepare(path, rel, root, known_digest, words_once=True)
