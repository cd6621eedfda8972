"""The SQLite index: a cache of the content folder that can always be rebuilt.

`Index` ties the parts of the store together: `connection` opens the file (WAL,
patience with other processes, damage), `sync` brings it up to date in one write
transaction (`postings` writes, `workers` parse in parallel), and the methods here read
it back. The tables are declared with SQLModel in `lessons.store.tables`; reads and bulk
writes go through the standard `sqlite3` driver, which is several times faster for bulk
work.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..errors import Level, LessonsError, Problem
from ..model import Document, document_from_dict
from .connection import MEMORY, IndexDamaged, connect, connect_patiently, default_location, delete_database, \
    disk_full_as_error, is_damage, is_file_damage, prepare_folder
from .postings import check_row, chunks
from .prepare import unpack_counts
from .schema import REBUILD_MARK, is_current
from .sync import Progress, SyncStats, hold_snapshot, sync, write_transaction
from .workers import paused_gc

__all__ = ["Index", "IndexDamaged", "Progress", "SyncStats", "default_location", "is_damage", "is_file_damage"]


class Index:
    """The index of one content folder. Open it with `Index.open`."""

    def __init__(self, root: Path, location: Path | str, conn: sqlite3.Connection) -> None:
        self.root = root
        self.location = location
        self.conn = conn
        self._max_key: int | None = None

    @classmethod
    def open(cls, root: Path, location: Path | str | None = None) -> Index:
        """Open the index of `root`, replacing a damaged file; the first `sync` makes the tables."""
        where: Path | str = default_location(root) if location is None else location
        if where != MEMORY:
            where = Path(where)
            if where.is_dir():
                raise LessonsError(f"the index path {where} is a folder; give a file path such as "
                                   f"{where / 'index.db'}")
            prepare_folder(where.parent)
        with disk_full_as_error(where):
            try:
                conn = connect_patiently(where)
            except sqlite3.DatabaseError as exc:
                if where == MEMORY or not is_damage(exc):
                    raise
                delete_database(Path(where))  # damaged beyond use: it is only a cache
                conn = connect(where)
        return cls(root, where, conn)

    def close(self) -> None:
        self.conn.close()

    def clear(self) -> None:
        """Throw the index's contents away: the next sync rebuilds it from the content.

        Nothing is emptied now: the next sync (of this process or another) drops and
        refills the tables in its one transaction, so a reader, or a process killed
        half-way, sees the previous index or the complete new one, never an empty one.
        """
        with disk_full_as_error(self.location), write_transaction(self.conn) as conn:
            if is_current(conn):
                conn.execute("UPDATE meta SET value=? WHERE key='schema_version'", (REBUILD_MARK,))

    def rebuilt(self) -> Index:
        """A fresh, empty index at the same place, for when this one turned out damaged.

        Damage that the first read on opening does not reach (a page in the middle of
        the file) shows up later as `sqlite3.DatabaseError`; the caller then throws
        the index away, since the content can always rebuild it.
        """
        self.close()
        if self.location != MEMORY:
            delete_database(Path(self.location))
        return Index.open(self.root, self.location)

    def recovered(self, *, file_damage: bool) -> Index:
        """This index, found damaged, ready for a sync that rebuilds it from the content.

        A damaged file (`is_file_damage`) is replaced by a new one (`rebuilt`); damaged
        tables are rebuilt in place by the next sync, in one transaction, so other
        processes reading the index keep their view of it until then.
        """
        if file_damage:
            return self.rebuilt()
        self.clear()
        return self

    def sync(self, *, progress: Progress | None = None) -> SyncStats:
        """Bring the index up to date with the content folder.

        Afterwards every read sees one state of the index (a read transaction), however
        other processes write it meanwhile, until the next sync or `close`: a command's
        reads never mix two versions of the index.
        """
        stats = SyncStats()
        self._max_key = None
        with disk_full_as_error(self.location):
            sync(self.conn, self.root, stats, progress)
        hold_snapshot(self.conn)
        return stats

    def postings(self, stem: str) -> tuple[Any, Any]:
        """The documents that contain `stem`: (keys, counts) as numpy int64 arrays.

        Keys are in ascending order. ``counts`` has one row per key: the stem's
        occurrences in the title, summary, labels and body (the order of `FIELD_NAMES`).
        """
        import numpy as np

        rows = self.conn.execute("SELECT doc_keys, counts FROM postings WHERE stem=? ORDER BY block",
                                 (stem,)).fetchall()
        for doc_keys, counts in rows:
            check_row(doc_keys, counts, stem)
        keys = np.frombuffer(b"".join(row[0] for row in rows), dtype="<i4").astype(np.int64)
        tfs = np.frombuffer(b"".join(row[1] for row in rows), dtype="<u2").reshape(-1, 4).astype(np.int64)
        if len(keys) > 1 and bool((keys[1:] < keys[:-1]).any()):  # written in order; never trust it blindly
            order = np.argsort(keys, kind="stable")
            keys, tfs = keys[order], tfs[order]
        if len(keys) and (keys[0] < 1 or keys[-1] > self._highest_key()):
            raise IndexDamaged(f"the postings of {stem!r} name documents that do not exist")
        return keys, tfs

    def _highest_key(self) -> int:
        if self._max_key is None:
            self._max_key = int(self.conn.execute("SELECT COALESCE(MAX(key), 0) FROM documents").fetchone()[0])
        return self._max_key

    def terms(self, key: int) -> dict[str, tuple[int, ...]]:
        """The stems of one document with their counts per field (see `postings`)."""
        row = self.conn.execute("SELECT stems, counts FROM terms WHERE doc_key=?", (key,)).fetchone()
        if not row or not row[0]:
            return {}
        stems, packed = row
        if type(stems) is not str or type(packed) is not bytes or len(packed) != 8 * (stems.count(" ") + 1):
            raise IndexDamaged(f"the terms of document {key} are damaged (stems and counts do not fit together)")
        counts = unpack_counts(packed)
        return {stem: tuple(counts[4 * i:4 * i + 4]) for i, stem in enumerate(stems.split(" "))}

    def documents(self) -> list[Document]:
        """Every indexed document."""
        with paused_gc():
            return [self._document(doc_id, data)
                    for doc_id, data in self.conn.execute("SELECT id, data FROM documents")]

    def documents_by_key(self, keys: Iterable[int]) -> dict[int, Document]:
        """The documents with these keys (every key must be one: the others come from damage)."""
        wanted = list(keys)
        found: dict[int, Document] = {}
        for chunk in chunks(wanted, 500):
            marks = ",".join("?" * len(chunk))
            for key, doc_id, data in self.conn.execute(
                    f"SELECT key, id, data FROM documents WHERE key IN ({marks})", chunk):
                found[key] = self._document(doc_id, data)
        if len(found) < len(set(wanted)):
            raise IndexDamaged("the index names documents that do not exist")
        return found

    def documents_by_id(self, ids: list[str]) -> dict[str, Document]:
        """The documents with these ids (every id must be one: the others come from damage)."""
        found: dict[str, Document] = {}
        for chunk in chunks(ids, 500):
            marks = ",".join("?" * len(chunk))
            for doc_id, data in self.conn.execute(f"SELECT id, data FROM documents WHERE id IN ({marks})", chunk):
                found[doc_id] = self._document(doc_id, data)
        if len(found) < len(set(ids)):
            raise IndexDamaged("the index names documents that do not exist")
        return found

    def terms_of(self, doc_id: str) -> dict[str, tuple[int, ...]]:
        """The stems of the document with this id, with their counts per field (see `terms`)."""
        key = self.key_of(doc_id)
        if key is None:
            raise IndexDamaged(f"the index names a document {doc_id!r} that does not exist")
        return self.terms(key)

    def count(self) -> int:
        return int(self.conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0])

    def ids(self) -> list[str]:
        """Document ids, post-mortems newest first, then practices (the order of iteration)."""
        return [i for (i,) in self.conn.execute(
            "SELECT id FROM documents ORDER BY kind != 'postmortem', date IS NULL, date DESC, id")]

    def key_of(self, doc_id: str) -> int | None:
        row = self.conn.execute("SELECT key FROM documents WHERE id=?", (doc_id,)).fetchone()
        return row[0] if row else None

    def _document(self, doc_id: str, data: str) -> Document:
        try:
            doc = document_from_dict(json.loads(data))
        except (ValueError, TypeError, KeyError, AttributeError) as exc:  # JSON errors are ValueErrors
            raise IndexDamaged(f"document {doc_id!r} is damaged in the index ({type(exc).__name__})") from None
        if doc.id != doc_id or not isinstance(doc.title, str):
            raise IndexDamaged(f"document {doc_id!r} is damaged in the index")
        doc.path = self.root / doc.path
        for i, problem in enumerate(doc.problems):
            doc.problems[i] = Problem(self.root / problem.path, problem.line, problem.code,
                                      problem.message, problem.level, problem.column)
        return doc

    def file_problems(self) -> list[Problem]:
        """Problems stored for files that did not become documents (parse errors, duplicates)."""
        out: list[Problem] = []
        for rel, problems in self.conn.execute(
                "SELECT path, problems FROM files WHERE role='error' ORDER BY path"):
            try:
                out.extend(_problem_from(self.root, rel, p) for p in json.loads(problems))
            except (ValueError, TypeError, KeyError, AttributeError) as exc:
                raise IndexDamaged(f"the problems of {rel} are damaged in the index ({type(exc).__name__})") \
                    from None
        return out

    def pages(self) -> list[Path]:
        return [self.root / rel for (rel,) in self.conn.execute(
            "SELECT path FROM files WHERE role='page' ORDER BY path")]


def _problem_from(root: Path, rel: str, data: dict[str, object]) -> Problem:
    return Problem(root / rel, int(data["line"]), str(data["code"]), str(data["message"]),  # type: ignore[call-overload]
                   Level(data["level"]), int(data.get("column", 1)))  # type: ignore[call-overload]
