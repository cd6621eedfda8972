"""Bringing the index up to date with the content folder, in one write transaction.

A file is re-parsed only when its size or modification time changed *and* its SHA-256
differs from the one stored; what was deleted is dropped. Everything happens inside one
``BEGIN IMMEDIATE`` transaction: two processes syncing at once take turns, and a process
killed half-way leaves the previous, complete index (SQLite rolls the transaction back).
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Problem
from .connection import IndexDamaged
from .discover import markdown_files
from .postings import Writer, refresh_stems
from .schema import create_tables, is_current
from .workers import paused_gc, prepare_all

Progress = Callable[[int, int], None]


@dataclass(slots=True)
class SyncStats:
    """What one `Index.sync()` did."""

    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    rebuilt: bool = False
    """True when the index was built from nothing (new, damaged, another version, or cleared)."""
    problems: list[Problem] = field(default_factory=list)
    """Problems met walking the folder (symlinks pointing outside it …)."""

    @property
    def changed(self) -> int:
        return self.added + self.updated + self.removed


@contextmanager
def write_transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """``BEGIN IMMEDIATE`` … ``COMMIT``, rolled back on any exception.

    A read snapshot the connection holds (`hold_snapshot`) ends first: SQLite has no
    nested transactions, and a writer must see the latest index anyway.
    """
    release_snapshot(conn)
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:  # SQLite may have rolled back already (a full disk, say)
            conn.execute("ROLLBACK")
        raise


def hold_snapshot(conn: sqlite3.Connection) -> None:
    """Make every read on `conn` see the index as it is now, until `release_snapshot`.

    In WAL mode a read transaction keeps the state of its first read while other
    processes write: a command that reads the index many times (the documents, then
    postings, then documents by key) never mixes two versions of it.
    """
    release_snapshot(conn)
    conn.execute("BEGIN DEFERRED")
    conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchone()  # the first read fixes the snapshot


def release_snapshot(conn: sqlite3.Connection) -> None:
    """End the read transaction `hold_snapshot` began, if one is open."""
    if conn.in_transaction:
        conn.execute("COMMIT")


def sync(conn: sqlite3.Connection, root: Path, stats: SyncStats, progress: Progress | None = None) -> None:
    """Bring the tables up to date with the files under `root`, counting into `stats`.

    The folder is listed inside the write transaction: a sync that waited for another
    process sees the files as they are when its turn comes. A file deleted between the
    listing and its reading counts as removed. Tables of another version are dropped,
    created and filled in this same transaction.
    """
    with write_transaction(conn), paused_gc():
        if not is_current(conn):  # new, marked by `Index.clear`, or made by another version
            create_tables(conn)
            stats.rebuilt = True
        known: dict[str, tuple[int, int, str]] = {row[0]: row[1:] for row in conn.execute(
            "SELECT path, size, mtime_ns, sha256 FROM files")}
        _check_documents(conn)
        todo, seen = _changed_files(root, known, stats)
        writer = Writer(conn)
        for rel in sorted(set(known) - seen):
            writer.drop(rel)
            stats.removed += 1
        prepared = prepare_all(
            [(path, rel, known[rel][2] if rel in known else "") for path, rel, _ in todo], root)
        for number, ((_, rel, st), ready) in enumerate(zip(todo, prepared, strict=True), 1):
            record = known.get(rel)
            if ready.role == "gone":
                if record:
                    writer.drop(rel)
                    stats.removed += 1
            elif record and record[2] == ready.digest:
                conn.execute("UPDATE files SET size=?, mtime_ns=? WHERE path=?",
                             (st.st_size, st.st_mtime_ns, rel))
                stats.unchanged += 1
            else:
                if record:
                    writer.drop(rel)
                    stats.updated += 1
                else:
                    stats.added += 1
                writer.store(rel, st, ready)
            if progress:
                progress(number, len(todo))
        writer.flush()
        if writer.touched:
            refresh_stems(conn, writer.touched, full=stats.rebuilt or len(writer.touched) > 20_000)


def _check_documents(conn: sqlite3.Connection) -> None:
    """Raise `IndexDamaged` unless every file indexed as a document has its document (cheap)."""
    files, documents = conn.execute("SELECT (SELECT COUNT(*) FROM files WHERE role='document'), "
                                    "(SELECT COUNT(*) FROM documents)").fetchone()
    if files != documents:
        raise IndexDamaged(f"the index lists {files} files as documents but holds {documents} documents")


def _changed_files(root: Path, known: dict[str, tuple[int, int, str]],
                   stats: SyncStats) -> tuple[list[tuple[Path, str, os.stat_result]], set[str]]:
    """The files to (re)read, and the paths of every file found (relative to `root`)."""
    todo: list[tuple[Path, str, os.stat_result]] = []
    seen: set[str] = set()
    for path in markdown_files(root, stats.problems):
        try:
            st = path.stat()
        except OSError:  # gone since the folder was listed: as if it had never been there
            continue
        rel = path.relative_to(root).as_posix()
        seen.add(rel)
        record = known.get(rel)
        if record and record[0] == st.st_size and record[1] == st.st_mtime_ns and record[2]:
            stats.unchanged += 1
        else:
            todo.append((path, rel, st))
    return todo, seen
