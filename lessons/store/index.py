"""The index: a cache of content folders (sources) that can always be rebuilt from them.

`Index` ties the parts of the store together: a `Backend` owns the database (a SQLite
file, `connection`: WAL, patience with other processes, damage; or a PostgreSQL server
shared by many teams), `sync` brings one source up to date in one write transaction
(`postings` writes, `workers` parse in parallel), and the methods here read it back.
The tables are declared with SQLModel in `lessons.store.tables`; reads and bulk writes
go through the drivers (`sqlite3`, psycopg) with the same SQL, several times faster
than an ORM for bulk work.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..errors import Level, LessonsError, Problem
from ..model import Document, document_from_dict
from .backends import Backend, is_server_url
from .backends.postgres import PostgresBackend
from .backends.sqlite import SqliteBackend
from .connection import MEMORY, IndexDamaged, checkpoint_and_record, connect, connect_patiently, default_location, \
    delete_database, disk_full_as_error, is_damage, is_file_damage, is_verified, prepare_folder
from .postings import check_row, chunks
from .prepare import unpack_counts
from .schema import REBUILD_MARK, SCHEMA_VERSION, is_current, stored_version
from .sources import check_name, default_name, page_url
from .sync import Progress, SyncStats, sync
from .workers import paused_gc

__all__ = ["Index", "IndexDamaged", "Progress", "SyncStats", "default_location", "is_damage", "is_file_damage"]


class Index:
    """The index of one content folder (a source), or of every source on a server.

    Open it with `Index.open` (a content folder, synced by `sync`) or `Index.connect`
    (a server, read only).
    """

    def __init__(self, root: Path | None, location: Path | str, backend: Backend, source: str = "",
                 *, url: str | None = None, scope: tuple[str, ...] = ()) -> None:
        self.root = root
        self.location = location
        """The SQLite file, ``:memory:``, or the server's URL without its password."""
        self.backend = backend
        self.conn = backend.conn
        self.source = source
        """The source this index syncs (its content folder is `root`)."""
        self.url = url
        """Its site's address, recorded with the source for links to its pages."""
        self.scope = scope
        """The sources reads are limited to (empty: all)."""
        self._max_key: int | None = None
        self._origins: dict[int, tuple[Document, str]] = {}
        self._sources: dict[str, str | None] | None = None
        self._prefetched: dict[int, tuple[str, bytes]] = {}

    @classmethod
    def open(cls, root: Path, location: Path | str | None = None, *, source: str | None = None,
             url: str | None = None, scope: tuple[str, ...] = ()) -> Index:
        """Open the index of `root`, replacing a damaged SQLite file; the first `sync` makes the tables.

        Args:
            location: a SQLite file, ``":memory:"``, a ``postgresql://`` URL, or None for
                the default file (`default_location`).
            source: the name `root` is indexed under (default: the one source a SQLite
                index already has, else the git remote's repository or the folder's name).
            url: the address of `root`'s site, recorded for links to its pages.
            scope: the sources whose documents are listed (default: this one; a search
                ranks every source's documents and its filters narrow them).
        """
        if isinstance(location, str) and is_server_url(location):
            backend: Backend = PostgresBackend.connect(location)
            name = check_name(source) if source else default_name(root)
            return cls(root, backend.where, backend, name, url=url, scope=scope or (name,))
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
        backend = SqliteBackend(conn, str(where))
        name = check_name(source) if source else (_only_source(backend) or default_name(root))
        return cls(root, where, backend, name, url=url, scope=scope or (name,))

    @classmethod
    def connect(cls, database: str, *, scope: tuple[str, ...] = ()) -> Index:
        """Open an index to read it only: every source on a server (or in a SQLite file)."""
        if is_server_url(database):
            backend: Backend = PostgresBackend.connect(database)
            location: Path | str = backend.where
        else:
            if not Path(database).is_file():
                raise LessonsError(f"no index at {database}")
            location = Path(database)
            backend = SqliteBackend(connect_patiently(location), database)
        version = stored_version(backend)
        if version != SCHEMA_VERSION:
            backend.close()
            raise LessonsError(f"the index {location} " + ("holds no lessons index yet (a sync fills it)"
                               if version is None else f"is of schema version {version}; this lessons reads "
                               f"version {SCHEMA_VERSION}"))
        index = cls(None, location, backend, scope=scope)
        backend.hold_snapshot()
        return index

    def close(self) -> None:
        self.backend.close()

    def clear(self) -> None:
        """Throw this source's rows away: the next sync rebuilds them from the content.

        Nothing is emptied now: the next sync (of this process or another) empties and
        refills them in its one transaction, so a reader, or a process killed half-way,
        sees the previous index or the complete new one, never an empty one.
        """
        with disk_full_as_error(self.location), self.backend.write_transaction() as conn:
            if is_current(self.backend):
                conn.execute("UPDATE sources SET parser_version=? WHERE name=?", (REBUILD_MARK, self.source))

    def rebuilt(self) -> Index:
        """A fresh, empty index at the same place, for when this one turned out damaged.

        Damage that the first read on opening does not reach (a page in the middle of
        the file) shows up later as `sqlite3.DatabaseError`; the caller then throws
        the index away, since the content can always rebuild it. A server's database is
        never deleted: its other sources are other teams' (see `recovered`).
        """
        if self.root is None:
            raise LessonsError(f"the index {self.location} is damaged; a sync of each source rebuilds it")
        self.close()
        if self.location != MEMORY:
            delete_database(Path(self.location))
        return Index.open(self.root, self.location, source=self.source, url=self.url, scope=self.scope)

    def recovered(self, *, file_damage: bool) -> Index:
        """This index, found damaged, ready for a sync that rebuilds it from the content.

        A damaged SQLite file (`is_file_damage`) is replaced by a new one (`rebuilt`);
        damaged tables are rebuilt in place by the next sync, in one transaction, so
        other processes reading the index keep their view of it until then.
        """
        if self.root is None:
            raise LessonsError(f"the index {self.location} is damaged; a sync of each source rebuilds it")
        if file_damage and not self.backend.shared:
            return self.rebuilt()
        self.clear()
        return self

    def sync(self, *, progress: Progress | None = None, taxonomy: str | None = None) -> SyncStats:
        """Bring this source's rows up to date with the content folder.

        Afterwards every read sees one state of the index (a read transaction), however
        other processes write it meanwhile, until the next sync or `close`: a command's
        reads never mix two versions of the index.
        """
        if self.root is None:
            raise LessonsError(f"the index {self.location} was opened to read only (lessons.connect)")
        stats = SyncStats()
        self._max_key = self._sources = None
        self._prefetched.clear()
        # A file vouched for before this sync is vouched for after it: what the sync writes
        # goes through SQLite. (Every sync writes: it records when it ran.)
        local = self.backend if isinstance(self.backend, SqliteBackend) and self.location != MEMORY else None
        vouched = local is not None and is_verified(self.location)
        with disk_full_as_error(self.location):
            sync(self.backend, self.root, self.source, stats, progress, url=self.url, taxonomy=taxonomy)
            if local is not None and vouched:
                checkpoint_and_record(local.raw, self.location)
        self.backend.hold_snapshot()
        return stats

    def refresh(self) -> None:
        """Read the index as it is now (a read-only index keeps one state until then)."""
        self._max_key = self._sources = None
        self._prefetched.clear()
        self.backend.hold_snapshot()

    def sources(self) -> dict[str, str | None]:
        """Every source in the index, with its site's address (or None)."""
        if self._sources is None:
            self._sources = dict(self.conn.execute("SELECT name, url FROM sources ORDER BY name").fetchall())
        return self._sources

    def taxonomies(self) -> dict[str, str]:
        """The taxonomy each source in scope stored at its last sync (JSON; "" for none), by source name."""
        where = f" WHERE name IN ({','.join('?' * len(self.scope))})" if self.scope else ""
        rows = self.conn.execute(f"SELECT name, taxonomy FROM sources{where} ORDER BY name", self.scope)
        return dict(rows.fetchall())

    def source_of(self, doc: Document) -> tuple[str, str | None]:
        """The source of a document of the last `documents_by_key` (a search's results), and its page's address."""
        found = self._origins.get(id(doc))
        if found is None or found[0] is not doc:
            return self.source, None
        name = found[1]
        url = self.url if name == self.source and self.url else self.sources().get(name)
        if not url:
            return name, None
        return name, page_url(url, doc.path.relative_to(self.root).as_posix()
                              if self.root and doc.path.is_absolute() else doc.path.as_posix())

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
        row = self._prefetched.pop(key, None) or self.conn.execute(
            "SELECT stems, counts FROM terms WHERE doc_key=?", (key,)).fetchone()
        if not row or not row[0]:
            return {}
        stems, packed = row
        if type(stems) is not str or type(packed) is not bytes or len(packed) != 8 * (stems.count(" ") + 1):
            raise IndexDamaged(f"the terms of document {key} are damaged (stems and counts do not fit together)")
        counts = unpack_counts(packed)
        return {stem: tuple(counts[4 * i:4 * i + 4]) for i, stem in enumerate(stems.split(" "))}

    def _prefetch_terms(self, keys: list[int]) -> None:
        """Read the terms of documents about to be explained in one query (a server's round trips cost)."""
        self._prefetched = {key: (stems, counts) for key, stems, counts in self.conn.execute(
            f"SELECT doc_key, stems, counts FROM terms WHERE doc_key IN ({','.join('?' * len(keys))})", keys)}

    def _scoped(self, where: str = "") -> tuple[str, list[str]]:
        """A WHERE clause limiting `documents` to the scope's sources (and `where`)."""
        parts = [where] if where else []
        if self.scope:
            parts.append(f"source IN ({','.join('?' * len(self.scope))})")
        return (" WHERE " + " AND ".join(parts)) if parts else "", list(self.scope)

    def documents(self) -> list[Document]:
        """Every indexed document (of the sources in scope)."""
        clause, params = self._scoped()
        with paused_gc():
            return [self._document(doc_id, data, source)
                    for doc_id, data, source in self.conn.execute(
                        f"SELECT id, data, source FROM documents{clause}", params)]

    def documents_by_key(self, keys: Iterable[int], *, with_terms: bool = False) -> dict[int, Document]:
        """The documents with these keys (every key must be one: the others come from damage).

        `with_terms`: their terms are read next (`similar()` explains its results by them); on
        a server they come in the same round of queries.
        """
        wanted = list(keys)
        found: dict[int, Document] = {}
        self._origins.clear()  # only the last read's documents are asked about (`source_of`)
        for chunk in chunks(wanted, 500):
            marks = ",".join("?" * len(chunk))
            for key, doc_id, data, source in self.conn.execute(
                    f"SELECT key, id, data, source FROM documents WHERE key IN ({marks})", chunk):
                found[key] = doc = self._document(doc_id, data, source)
                self._origins[id(doc)] = (doc, source)
        if len(found) < len(set(wanted)):
            raise IndexDamaged("the index names documents that do not exist")
        if with_terms and self.backend.shared and 1 < len(wanted) <= 500:
            self._prefetch_terms(wanted)
        return found

    def documents_by_id(self, ids: list[str]) -> dict[str, Document]:
        """The documents with these ids (every id must be one: the others come from damage).

        Ids are unique within a source; where several sources of a shared index have one,
        this knowledge base's own source wins, then the first by name (as `key_of`).
        """
        found: dict[str, Document] = {}
        for chunk in chunks(ids, 500):
            clause, params = self._scoped(f"id IN ({','.join('?' * len(chunk))})")
            rows = self.conn.execute(f"SELECT id, data, source FROM documents{clause} ORDER BY source != ?, source",
                                     [*chunk, *params, self.source]).fetchall()
            for doc_id, data, source in rows:
                if doc_id not in found:
                    found[doc_id] = doc = self._document(doc_id, data, source)
                    self._origins[id(doc)] = (doc, source)
        if len(found) < len(set(ids)):
            raise IndexDamaged("the index names documents that do not exist")
        return found

    def count(self) -> int:
        clause, params = self._scoped()
        return int(self.conn.execute(f"SELECT COUNT(*) FROM documents{clause}", params).fetchone()[0])

    def ids(self) -> list[str]:
        """Document ids, post-mortems newest first, then practices (the order of iteration)."""
        clause, params = self._scoped()
        return [i for (i,) in self.conn.execute(
            f"SELECT id FROM documents{clause} ORDER BY kind != 'postmortem', date IS NULL, date DESC, id",
            params)]

    def key_of(self, doc_id: str) -> int | None:
        """The key of the document with this id (this source's first, when several sources have it)."""
        clause, params = self._scoped("id=?")
        row = self.conn.execute(f"SELECT key FROM documents{clause} ORDER BY source != ?, source LIMIT 1",
                                [doc_id, *params, self.source]).fetchone()
        return row[0] if row else None

    def _document(self, doc_id: str, data: str, source: str) -> Document:
        root = self.root if source == self.source else None
        try:
            values = json.loads(data)
            if root is not None:  # one Path made, not two (`root / path`): a thousand documents are read at once
                values["path"] = os.path.join(root, values["path"])
            doc = document_from_dict(values)
        except (ValueError, TypeError, KeyError, AttributeError) as exc:  # JSON errors are ValueErrors
            raise IndexDamaged(f"document {doc_id!r} is damaged in the index ({type(exc).__name__})") from None
        if doc.id != doc_id or not isinstance(doc.title, str):
            raise IndexDamaged(f"document {doc_id!r} is damaged in the index")
        if root is not None:
            for i, problem in enumerate(doc.problems):
                doc.problems[i] = Problem(root / problem.path, problem.line, problem.code,
                                          problem.message, problem.level, problem.column)
        return doc

    def file_problems(self) -> list[Problem]:
        """Problems stored for files that did not become documents (parse errors, duplicates)."""
        out: list[Problem] = []
        root = self.root or Path()
        for rel, problems in self.conn.execute(
                "SELECT path, problems FROM files WHERE source=? AND role='error' ORDER BY path", (self.source,)):
            try:
                out.extend(_problem_from(root, rel, p) for p in json.loads(problems))
            except (ValueError, TypeError, KeyError, AttributeError) as exc:
                raise IndexDamaged(f"the problems of {rel} are damaged in the index ({type(exc).__name__})") \
                    from None
        return out

    def pages(self) -> list[Path]:
        root = self.root or Path()
        return [root / rel for (rel,) in self.conn.execute(
            "SELECT path FROM files WHERE source=? AND role='page' ORDER BY path", (self.source,))]


def _problem_from(root: Path, rel: str, data: dict[str, object]) -> Problem:
    return Problem(root / rel, int(data["line"]), str(data["code"]), str(data["message"]),  # type: ignore[call-overload]
                   Level(data["level"]), int(data.get("column", 1)))  # type: ignore[call-overload]


def _only_source(backend: Backend) -> str | None:
    """The name of the one source a SQLite index holds (None: none, several, or no tables yet)."""
    try:
        found = backend.conn.execute("SELECT name FROM sources LIMIT 2").fetchall()
    except sqlite3.DatabaseError:  # a new file, another version, damage: the sync sorts it out
        return None
    return str(found[0][0]) if len(found) == 1 else None


def synced(index: Index, progress: Progress | None = None, *,
           taxonomy: str | None = None) -> tuple[Index, SyncStats]:
    """Sync `index`; when it turns out damaged, rebuild it from the content instead.

    Args:
        taxonomy: the source's causes as JSON, stored with it (`sync`); None keeps what is stored.

    Returns:
        The index (a new one when its file had to be replaced) and what the sync did.
    """
    try:
        return index, index.sync(progress=progress, taxonomy=taxonomy)
    except sqlite3.DatabaseError as exc:
        if not is_damage(exc):
            raise LessonsError(f"the index {index.location} could not be updated: {exc}") from None
        file_damage = is_file_damage(exc)
    index = index.recovered(file_damage=file_damage)
    return index, index.sync(progress=progress, taxonomy=taxonomy)
