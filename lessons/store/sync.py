"""Bringing one source of the index up to date with its content folder, in one write transaction.

A file is re-parsed only when its size or modification time changed *and* its SHA-256
differs from the one stored; what was deleted is dropped. Everything happens inside one
write transaction that touches only this source's rows: two syncs of one source take
turns (SQLite's ``BEGIN IMMEDIATE``, a server's advisory lock per source), and a process
killed half-way leaves the previous, complete state (the transaction is rolled back).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import Problem
from .backends.sqlite import hold_snapshot, release_snapshot, write_transaction
from .connection import IndexDamaged
from .discover import markdown_files
from .postings import Writer, refresh_stems
from .schema import ensure_tables
from .sources import close_source, open_source
from .workers import paused_gc, prepare_all

if TYPE_CHECKING:
    from .backends import Backend, Connection

Progress = Callable[[int, int], None]

__all__ = ["Progress", "SyncStats", "hold_snapshot", "release_snapshot", "sync", "write_transaction"]


@dataclass(slots=True)
class SyncStats:
    """What one `Index.sync()` did."""

    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    rebuilt: bool = False
    """True when the source was indexed from nothing (new, damaged, another version, or cleared)."""
    problems: list[Problem] = field(default_factory=list)
    """Problems met walking the folder (symlinks pointing outside it …)."""

    @property
    def changed(self) -> int:
        return self.added + self.updated + self.removed


def sync(backend: Backend, root: Path, source: str, stats: SyncStats, progress: Progress | None = None,
         *, url: str | None = None, taxonomy: str | None = None) -> None:
    """Bring source `source`'s rows up to date with the files under `root`, counting into `stats`.

    The folder is listed inside the write transaction, once this sync's turn has come:
    it sees the files as they are then. A file deleted between the listing and its
    reading counts as removed. Tables of another version are dropped, created and
    filled in this same transaction (a server refuses them instead). `taxonomy` (the
    source's causes as JSON) is stored with the source for readers without its folder
    (`lessons.connect`); None keeps what is stored.
    """
    with backend.write_transaction() as conn, paused_gc():
        made = ensure_tables(backend)
        backend.lock_source(source)
        keys, fresh = open_source(backend, source, url=url)
        stats.rebuilt = made or fresh
        known: dict[str, tuple[int, int, str]] = {row[0]: row[1:] for row in conn.execute(
            "SELECT path, size, mtime_ns, sha256 FROM files WHERE source=?", (source,))}
        _check_documents(conn, source)
        todo, seen = _changed_files(root, known, stats)
        writer = Writer(conn, source, keys, empty=stats.rebuilt)
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
                conn.execute("UPDATE files SET size=?, mtime_ns=? WHERE source=? AND path=?",
                             (st.st_size, st.st_mtime_ns, source, rel))
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
        # The vocabulary and the document frequencies are every source's: one sync at a
        # time from here to its commit, so each counts the others' committed postings.
        backend.lock_shared()
        writer.finish()
        if writer.touched or stats.rebuilt:
            refresh_stems(conn, writer.touched, full=stats.rebuilt or len(writer.touched) > 20_000)
        close_source(backend, keys, url=url, taxonomy=taxonomy)


def _check_documents(conn: Connection, source: str) -> None:
    """Raise `IndexDamaged` unless every file indexed as a document has its document (cheap)."""
    files, documents = conn.execute(
        "SELECT (SELECT COUNT(*) FROM files WHERE source=? AND role='document'), "
        "(SELECT COUNT(*) FROM documents WHERE source=?)", (source, source)).fetchone()
    if files != documents:
        raise IndexDamaged(f"the index lists {files} files as documents but holds {documents} documents")


def _changed_files(root: Path, known: dict[str, tuple[int, int, str]],
                   stats: SyncStats) -> tuple[list[tuple[Path, str, os.stat_result]], set[str]]:
    """The files to (re)read, and the paths of every file found (relative to `root`)."""
    todo: list[tuple[Path, str, os.stat_result]] = []
    seen: set[str] = set()
    prefix = os.path.join(root, "")
    for path in markdown_files(root, stats.problems):
        text = str(path)
        try:
            st = os.stat(text)
        except OSError:  # gone since the folder was listed: as if it had never been there
            continue
        # The path below `root` from the text: `relative_to` parses both paths again, which was
        # a tenth of opening an unchanged index.
        rel = text[len(prefix):].replace(os.sep, "/") if text.startswith(prefix) else path.relative_to(root).as_posix()
        seen.add(rel)
        record = known.get(rel)
        if record and record[0] == st.st_size and record[1] == st.st_mtime_ns and record[2]:
            stats.unchanged += 1
        else:
            todo.append((path, rel, st))
    return todo, seen
