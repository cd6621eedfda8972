"""The SQLite index: a cache of the content folder that can always be rebuilt.

`Index.sync()` stats every Markdown file, re-parses only files whose size or
modification time changed *and* whose SHA-256 differs, and drops what was
deleted — all in one ``BEGIN IMMEDIATE`` transaction, so two processes syncing
at once take turns, and a process killed mid-sync leaves the previous, complete
index behind (SQLite rolls the transaction back). A database from another schema
version is emptied and rebuilt; a damaged database file is deleted and rebuilt.

The tables are declared with SQLModel in `lessons.store.tables`; reads and bulk writes
go through the standard `sqlite3` driver, which is several times faster for bulk
work. Postings are packed into one row per stem and block of 1,024 documents
(`_Writer`), read back as numpy arrays by `Index.postings`.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import Level, LessonsError, ParseError, Problem
from ..model import Document, document_from_dict
from .schema import SCHEMA_VERSION

INDEX_DIR = ".lessons"
MEMORY = ":memory:"
Progress = Callable[[int, int], None]


@dataclass(slots=True)
class SyncStats:
    """What one `Index.sync()` did."""

    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    rebuilt: bool = False
    """True when the index was thrown away first (new, other version, or damaged)."""
    problems: list[Problem] = field(default_factory=list)
    """Problems met walking the folder (symlinks pointing outside it …)."""

    @property
    def changed(self) -> int:
        return self.added + self.updated + self.removed


def default_location(root: Path) -> Path:
    """Where the index of a content folder lives.

    ``LESSONS_INDEX`` wins; else ``<content>/.lessons/index.db`` (git-ignored by the
    ``.gitignore`` written beside it); else, when the content folder is read-only,
    the user cache directory.
    """
    env = os.environ.get("LESSONS_INDEX")
    if env:
        return Path(env)
    local = root / INDEX_DIR
    if _writable(local) or (not local.exists() and _writable(root)):
        return local / "index.db"
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "lessons"
    digest = hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:16]
    return cache / digest / "index.db"


def _writable(path: Path) -> bool:
    return path.is_dir() and os.access(path, os.W_OK | os.X_OK)


class Index:
    """The index of one content folder. Open it with `Index.open`."""

    def __init__(self, root: Path, location: Path | str, conn: sqlite3.Connection,
                 rebuilt: bool) -> None:
        self.root = root
        self.location = location
        self.conn = conn
        self._rebuilt = rebuilt

    @classmethod
    def open(cls, root: Path, location: Path | str | None = None) -> Index:
        """Open (creating or rebuilding as needed) the index for `root`."""
        where: Path | str = default_location(root) if location is None else location
        if where != MEMORY:
            where = Path(where)
            if where.is_dir():
                raise LessonsError(f"the index path {where} is a folder; give a file path such as "
                                   f"{where / 'index.db'}")
            _prepare_folder(where.parent)
        try:
            conn, rebuilt = _connect_patiently(where)
        except sqlite3.DatabaseError as exc:
            if where == MEMORY or not is_damage(exc):
                raise
            delete_database(Path(where))  # damaged beyond use: it is only a cache
            conn, rebuilt = _connect(where)
            rebuilt = True
        return cls(root, where, conn, rebuilt)

    def close(self) -> None:
        self.conn.close()

    def clear(self) -> None:
        """Empty every table (in one transaction, so readers see the old index or none)."""
        with self._write() as conn:
            for table in sorted(_TABLE_NAMES - {"meta"}):
                conn.execute(f"DELETE FROM {table}")
        self._rebuilt = True

    def rebuilt(self) -> Index:
        """A fresh, empty index at the same place, for when this one turned out damaged.

        Damage that the first read on opening does not reach (a page in the middle of
        the file) shows up later as `sqlite3.DatabaseError`; the caller then throws
        the index away, since the content can always rebuild it.
        """
        self.close()
        if self.location != MEMORY:
            delete_database(Path(self.location))
        fresh = Index.open(self.root, self.location)
        fresh._rebuilt = True
        return fresh

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def sync(self, *, progress: Progress | None = None) -> SyncStats:
        """Bring the index up to date with the content folder."""
        from .discover import markdown_files

        stats = SyncStats(rebuilt=self._rebuilt)
        self._rebuilt = False
        files = list(markdown_files(self.root, stats.problems))
        with self._write() as conn, paused_gc():
            known = {row[0]: row[1:] for row in conn.execute(
                "SELECT path, size, mtime_ns, sha256 FROM files")}
            todo: list[tuple[Path, str, os.stat_result]] = []
            seen: set[str] = set()
            for path in files:
                rel = path.relative_to(self.root).as_posix()
                seen.add(rel)
                st = path.stat()
                record = known.get(rel)
                if record and record[0] == st.st_size and record[1] == st.st_mtime_ns and record[2]:
                    stats.unchanged += 1
                else:
                    todo.append((path, rel, st))
            writer = _Writer(conn)
            for rel in sorted(set(known) - seen):
                writer.drop(rel)
                stats.removed += 1
            prepared = _prepare_all(
                [(path, rel, known[rel][2] if rel in known else "") for path, rel, _ in todo], self.root)
            for number, ((_, rel, st), ready) in enumerate(zip(todo, prepared, strict=True), 1):
                record = known.get(rel)
                digest = ready.digest
                if record and record[2] == digest:
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
                _refresh_stems(conn, writer.touched, full=stats.rebuilt or len(writer.touched) > 20_000)
        return stats

    def postings(self, stem: str) -> tuple[Any, Any]:
        """The documents that contain `stem`: (keys, counts) as numpy int64 arrays.

        Keys are in ascending order. ``counts`` has one row per key: the stem's
        occurrences in the title, summary, labels and body (the order of `FIELD_NAMES`).
        """
        import numpy as np

        rows = self.conn.execute("SELECT doc_keys, counts FROM postings WHERE stem=? ORDER BY block",
                                 (stem,)).fetchall()
        keys = np.frombuffer(b"".join(row[0] for row in rows), dtype="<i4").astype(np.int64)
        counts = np.frombuffer(b"".join(row[1] for row in rows), dtype="<u2").reshape(-1, 4).astype(np.int64)
        if len(keys) > 1 and bool((keys[1:] < keys[:-1]).any()):  # written in order; never trust it blindly
            order = np.argsort(keys, kind="stable")
            keys, counts = keys[order], counts[order]
        return keys, counts

    def terms(self, key: int) -> dict[str, tuple[int, ...]]:
        """The stems of one document with their counts per field (see `postings`)."""
        row = self.conn.execute("SELECT stems, counts FROM terms WHERE doc_key=?", (key,)).fetchone()
        if not row or not row[0]:
            return {}
        counts = _unpack_counts(row[1])
        return {stem: tuple(counts[4 * i:4 * i + 4]) for i, stem in enumerate(row[0].split(" "))}

    def documents(self) -> list[Document]:
        """Every indexed document."""
        with paused_gc():
            return [self._document(data) for (data,) in self.conn.execute("SELECT data FROM documents")]

    def documents_by_key(self, keys: Iterable[int]) -> dict[int, Document]:
        wanted = list(keys)
        found: dict[int, Document] = {}
        for chunk in _chunks(wanted, 500):
            marks = ",".join("?" * len(chunk))
            for key, data in self.conn.execute(
                    f"SELECT key, data FROM documents WHERE key IN ({marks})", chunk):
                found[key] = self._document(data)
        return found

    def count(self) -> int:
        return int(self.conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0])

    def ids(self) -> list[str]:
        """Document ids, post-mortems newest first, then practices (the order of iteration)."""
        return [i for (i,) in self.conn.execute(
            "SELECT id FROM documents ORDER BY kind != 'postmortem', date IS NULL, date DESC, id")]

    def key_of(self, doc_id: str) -> int | None:
        row = self.conn.execute("SELECT key FROM documents WHERE id=?", (doc_id,)).fetchone()
        return row[0] if row else None

    def _document(self, data: str) -> Document:
        doc = document_from_dict(json.loads(data))
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
            out.extend(_problem_from(self.root, rel, p) for p in json.loads(problems))
        return out

    def pages(self) -> list[Path]:
        return [self.root / rel for (rel,) in self.conn.execute(
            "SELECT path FROM files WHERE role='page' ORDER BY path")]


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


def _problem_from(root: Path, rel: str, data: dict[str, object]) -> Problem:
    return Problem(root / rel, int(data["line"]), str(data["code"]), str(data["message"]),  # type: ignore[call-overload]
                   Level(data["level"]), int(data.get("column", 1)))  # type: ignore[call-overload]


def _read(path: Path) -> tuple[str, str, ParseError | None]:
    from ..parsing.parse import read_source

    try:
        text, digest = read_source(path)
        return text, digest, None
    except ParseError as exc:
        try:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            digest = ""
        return "", digest, exc


PARALLEL_FROM = 400
"""Parse in worker processes when at least this many files need (re)indexing."""


@dataclass(slots=True)
class _Prepared:
    """One file, parsed and turned into rows, ready to be written (picklable)."""

    digest: str
    role: str
    """document | page | error"""
    problems: list[dict[str, object]] = field(default_factory=list)
    doc_id: str = ""
    id_line: int = 1
    document: tuple[object, ...] = ()
    """The `documents` row without its key and lengths."""
    sections: list[tuple[object, ...]] = field(default_factory=list)
    labels: list[tuple[str, str]] = field(default_factory=list)
    action_items: list[tuple[object, ...]] = field(default_factory=list)
    timeline: list[tuple[object, ...]] = field(default_factory=list)
    stems: list[str] = field(default_factory=list)
    """The document's distinct stems."""
    counts: bytes = b""
    """For each stem, its occurrences in the title, summary, labels and body (`_pack_counts`)."""
    lengths: tuple[int, int, int, int] = (0, 0, 0, 0)
    words: dict[str, str] = field(default_factory=dict)
    """word -> stem"""


def _prepare_all(items: list[tuple[Path, str, str]], root: Path) -> Iterator[_Prepared]:
    """Prepare files in order; on several cores, in worker processes for large batches."""
    import sys

    workers = min(os.cpu_count() or 1, 4)
    if len(items) < PARALLEL_FROM or workers < 2 or not sys.platform.startswith("linux"):
        return (_prepare(path, rel, root, digest) for path, rel, digest in items)
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # Forked workers only parse; they never touch the inherited SQLite connection and
    # leave with os._exit, so it is never closed or written from a child. ("spawn" would
    # re-run the caller's main module, which a library cannot ask of every script.)
    executor = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"),
                                   initializer=_start_worker)
    results = executor.map(_prepare, [p for p, _, _ in items], [r for _, r, _ in items],
                           [root] * len(items), [d for _, _, d in items], chunksize=32)

    def drain() -> Iterator[_Prepared]:
        try:
            yield from results
        finally:
            executor.shutdown(wait=True, cancel_futures=True)

    return drain()


_SENT_WORDS: set[str] | None = None
"""In a worker process: the words it has already passed on (each is sent once)."""


def _start_worker() -> None:
    """Set up a forked worker process for a stream of `_prepare` calls."""
    import gc

    global _SENT_WORDS
    _SENT_WORDS = set()
    # Parsing allocates many short-lived objects and few cycles: collecting every 700
    # allocations, and walking what the worker inherited, cost about 4% of its time.
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)


def _prepare(path: Path, rel: str, root: Path, known_digest: str = "") -> _Prepared:
    """Read, parse and tokenise one file (no database access: runs in a worker).

    A file whose bytes hash to `known_digest` was only touched: it is not parsed.
    """
    from ..parsing.parse import folder_kind, parse_text
    from .search_text import field_words
    from .tokenize import stem

    text, digest, error = _read(path)
    if known_digest and digest == known_digest:
        return _Prepared(digest, "unchanged")
    doc: Document | None = None
    if error is None:
        try:
            doc = parse_text(text, Path(rel), default_kind=folder_kind(path, root), content_hash=digest)
        except ParseError as exc:
            error = exc
    if error is not None:
        return _Prepared(digest, "error", [_problem_json(error.to_problem(), rel)])
    if doc is None:
        return _Prepared(digest, "page")
    data = doc.to_dict()
    del data["text"]  # the sections' text joined: rebuilt on reading, not stored twice
    ready = _Prepared(
        digest, "document", doc_id=doc.id, id_line=doc.line_of("id"),
        document=(doc.id, data["path"], doc.kind.value, doc.title, data["date"], doc.status.value,
                  doc.severity, doc.organization, doc.summary, json.dumps(data, ensure_ascii=False)),
        sections=[(s.name, s.heading, s.line, s.text) for s in doc.sections],
        labels=sorted({("cause", v) for v in doc.causes} | {("tag", v) for v in doc.tags}
                      | {("service", v) for v in doc.services}),
        action_items=[(a.line, a.text, a.done, a.owner, a.due.isoformat() if a.due else None)
                      for a in doc.action_items],
        timeline=[(e.line, e.at.isoformat() if e.at else None, e.text) for e in doc.timeline],
    )
    lengths = []
    per_stem: dict[str, list[int]] = {}
    sent = _SENT_WORDS if _SENT_WORDS is not None else ()
    for code, words in enumerate(field_words(doc)):
        lengths.append(len(words))
        for s, n in Counter(map(stem, words)).items():
            per_stem.setdefault(s, [0, 0, 0, 0])[code] = n
        for word in words:
            if word not in ready.words and word not in sent:
                ready.words[word] = stem(word)
    if _SENT_WORDS is not None:
        _SENT_WORDS.update(ready.words)
    ready.stems = list(per_stem)
    ready.counts = _pack_counts([n for counts in per_stem.values() for n in counts])
    ready.lengths = (lengths[0], lengths[1], lengths[2], lengths[3])
    return ready


BLOCK_BITS = 10
"""Postings are packed per stem and block of ``2**BLOCK_BITS`` document keys."""
FLUSH_EVERY = 1 << BLOCK_BITS


class _Writer:
    """Writes one sync's changes inside the caller's transaction.

    Rows are gathered and written in batches; postings are packed per (stem, block):
    a flush groups the new documents' stems with numpy, removes the keys of dropped
    documents from their blocks, and merges the new keys into rows already stored.
    Keys are handed out here, from the highest key in use, so one sync never gives a
    dropped document's key to a new one.
    """

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.next_key = int(conn.execute("SELECT COALESCE(MAX(key), 0) FROM documents").fetchone()[0]) + 1
        stored = conn.execute("SELECT 1 FROM postings LIMIT 1").fetchone() is not None
        self.fresh_block = (self.next_key >> BLOCK_BITS) + 1 if stored else 0
        """Blocks from this one up hold no stored row: their postings are inserted, not merged.

        Postings only ever hold keys of stored documents, and keys only grow, so every
        block above the one of the highest key written so far is empty. Each flush moves
        the mark past the blocks it wrote; a block a flush shares with an earlier one
        (key 1024 written by the first flush, 1025 by the second) is merged.
        """
        self.known_words: set[str] = set()
        self.pending_ids: dict[str, str] = {}
        self.rows: dict[str, list[tuple[object, ...]]] = {table: [] for table in _INSERTS}
        self.added: list[tuple[int, list[str], bytes]] = []
        self.dropped: dict[int, list[str]] = {}
        self.touched: set[str] = set()
        """Stems whose document frequency changed."""

    def store(self, rel: str, st: os.stat_result, ready: _Prepared) -> None:
        """Queue one prepared file."""
        if ready.role != "document":
            self._file(rel, st, ready.digest, ready.role, None, ready.problems)
            return
        # The vocabulary, even of a document refused below: a worker sends each word once.
        known = self.known_words
        for word, word_stem in ready.words.items():
            if word not in known:
                known.add(word)
                self.rows["words"].append((word, word_stem))
        clash = self.pending_ids.get(ready.doc_id)
        if clash is None:
            row = self.conn.execute("SELECT path FROM documents WHERE id=?", (ready.doc_id,)).fetchone()
            clash = row[0] if row else None
        if clash:
            problem = Problem(Path(rel), ready.id_line, "duplicate-id",
                              f"id {ready.doc_id!r} is already used by {clash}")
            # No hash: the file is parsed again on every sync until the clash is gone.
            self._file(rel, st, "", "error", None, [_problem_json(problem, rel)])
            return
        key = self.next_key
        self.next_key += 1
        self.pending_ids[ready.doc_id] = str(ready.document[1])
        rows = self.rows
        rows["documents"].append((key, *ready.document[:9], *ready.lengths, ready.document[9]))
        rows["sections"].extend((key, *row) for row in ready.sections)
        rows["labels"].extend((key, *row) for row in ready.labels)
        rows["action_items"].extend((key, *row) for row in ready.action_items)
        rows["timeline_events"].extend((key, *row) for row in ready.timeline)
        rows["terms"].append((key, " ".join(ready.stems), ready.counts))
        self.added.append((key, ready.stems, ready.counts))
        self.touched.update(ready.stems)
        self._file(rel, st, ready.digest, "document", key, [])
        if len(self.added) >= FLUSH_EVERY:
            self.flush()

    def drop(self, rel: str) -> None:
        """Remove a file and what it became (its postings go at the next flush)."""
        c = self.conn
        row = c.execute("SELECT doc_key FROM files WHERE path=?", (rel,)).fetchone()
        c.execute("DELETE FROM files WHERE path=?", (rel,))
        if not row or row[0] is None:
            return
        key = row[0]
        found = c.execute("SELECT stems FROM terms WHERE doc_key=?", (key,)).fetchone()
        stems = found[0].split(" ") if found and found[0] else []
        self.dropped[key] = stems
        self.touched.update(stems)
        for table in ("sections", "labels", "action_items", "timeline_events", "terms"):
            c.execute(f"DELETE FROM {table} WHERE doc_key=?", (key,))
        c.execute("DELETE FROM documents WHERE key=?", (key,))
        # A duplicate of this document's id may now be the one to keep: parse it again.
        c.execute("UPDATE files SET sha256='' WHERE role='error' AND problems LIKE '%duplicate-id%'")

    def flush(self) -> None:
        """Write everything queued."""
        for table, rows in self.rows.items():
            if rows:
                self.conn.executemany(_INSERTS[table], rows)
                rows.clear()
        self.pending_ids.clear()
        if self.dropped:
            self._remove_postings()
        if self.added:
            self._add_postings()

    def _add_postings(self) -> None:
        import numpy as np

        stems: list[str] = []
        sizes: list[int] = []
        for _, doc_stems, _ in self.added:
            stems.extend(doc_stems)
            sizes.append(len(doc_stems))
        if not stems:  # documents without a single word (a title of stopwords, no body)
            self.added.clear()
            return
        number = {s: i for i, s in enumerate(dict.fromkeys(stems))}
        ids = np.fromiter(map(number.__getitem__, stems), dtype=np.int64, count=len(stems))
        keys = np.repeat(np.fromiter((key for key, _, _ in self.added), dtype=np.int64), sizes)
        counts = np.frombuffer(b"".join(c for _, _, c in self.added), dtype="<u2").reshape(-1, 4)
        self.added.clear()
        blocks = keys >> BLOCK_BITS
        width = int(blocks.max()) + 1
        group = ids * width + blocks
        order = np.argsort(group, kind="stable")  # stable: keys stay in ascending order
        group = group[order]
        keys = keys[order].astype("<i4")
        counts = np.ascontiguousarray(counts[order])
        starts = np.flatnonzero(np.r_[True, group[1:] != group[:-1]]).tolist()
        ends = [*starts[1:], len(group)]
        names = list(number)
        fresh: list[tuple[str, int, bytes, bytes]] = []
        merged: list[tuple[bytes, bytes, str, int]] = []
        select = "SELECT doc_keys, counts FROM postings WHERE stem=? AND block=?"
        for start, end in zip(starts, ends, strict=True):
            stem_id, block = divmod(int(group[start]), width)
            stem, new_keys, new_counts = names[stem_id], keys[start:end].tobytes(), counts[start:end].tobytes()
            if block >= self.fresh_block:
                fresh.append((stem, block, new_keys, new_counts))
                continue
            stored = self.conn.execute(select, (stem, block)).fetchone()
            if stored:  # stored keys are all lower than new ones: appending keeps key order
                merged.append((stored[0] + new_keys, stored[1] + new_counts, stem, block))
            else:
                fresh.append((stem, block, new_keys, new_counts))
        self.fresh_block = width  # width is one past the highest block just written
        # A plain INSERT: should a fresh row ever exist already, this fails loudly (and
        # the sync rolls back) instead of replacing another flush's postings.
        self.conn.executemany("INSERT INTO postings(stem, block, doc_keys, counts) VALUES (?,?,?,?)", fresh)
        self.conn.executemany("UPDATE postings SET doc_keys=?, counts=? WHERE stem=? AND block=?", merged)

    def _remove_postings(self) -> None:
        import numpy as np

        gone: dict[tuple[str, int], list[int]] = {}
        for key, stems in self.dropped.items():
            for s in stems:
                gone.setdefault((s, key >> BLOCK_BITS), []).append(key)
        self.dropped.clear()
        c = self.conn
        for (s, block), doomed in gone.items():
            stored = c.execute("SELECT doc_keys, counts FROM postings WHERE stem=? AND block=?",
                               (s, block)).fetchone()
            if not stored:
                continue
            keys = np.frombuffer(stored[0], dtype="<i4")
            keep = ~np.isin(keys, doomed)
            if keep.all():
                continue
            if not keep.any():
                c.execute("DELETE FROM postings WHERE stem=? AND block=?", (s, block))
                continue
            counts = np.frombuffer(stored[1], dtype="<u2").reshape(-1, 4)
            c.execute("UPDATE postings SET doc_keys=?, counts=? WHERE stem=? AND block=?",
                      (keys[keep].tobytes(), np.ascontiguousarray(counts[keep]).tobytes(), s, block))

    def _file(self, rel: str, st: os.stat_result, digest: str, role: str, key: int | None,
              problems: list[dict[str, object]]) -> None:
        self.rows["files"].append((rel, st.st_size, st.st_mtime_ns, digest, role, key, json.dumps(problems)))


_INSERTS = {
    # Documents first: the other tables refer to them.
    "documents": "INSERT INTO documents(key, id, path, kind, title, date, status, severity, organization, "
                 "summary, len_title, len_summary, len_labels, len_text, data) "
                 "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
    "sections": "INSERT INTO sections(doc_key, name, heading, line, text) VALUES (?,?,?,?,?)",
    "labels": "INSERT OR IGNORE INTO labels(doc_key, field, value) VALUES (?,?,?)",
    "action_items": "INSERT INTO action_items(doc_key, line, text, done, owner, due) VALUES (?,?,?,?,?,?)",
    "timeline_events": "INSERT INTO timeline_events(doc_key, line, at, text) VALUES (?,?,?,?)",
    "terms": "INSERT INTO terms(doc_key, stems, counts) VALUES (?,?,?)",
    "words": "INSERT OR IGNORE INTO words(word, stem) VALUES (?,?)",
    "files": "INSERT OR REPLACE INTO files(path, size, mtime_ns, sha256, role, doc_key, problems) "
             "VALUES (?,?,?,?,?,?,?)",
}


def _pack_counts(counts: list[int]) -> bytes:
    """Occurrence counts as little-endian uint16 (a count above 65,535 is stored as 65,535)."""
    import sys

    packed = array("H", counts if max(counts, default=0) <= 0xFFFF else [min(n, 0xFFFF) for n in counts])
    if sys.byteorder == "big":
        packed.byteswap()
    return packed.tobytes()


def _unpack_counts(data: bytes) -> array[int]:
    import sys

    counts = array("H")
    counts.frombytes(data)
    if sys.byteorder == "big":
        counts.byteswap()
    return counts


def _problem_json(problem: Problem, rel: str) -> dict[str, object]:
    return {"path": rel, "line": problem.line, "column": problem.column, "code": problem.code,
            "message": problem.message, "level": problem.level.value}


def _refresh_stems(conn: sqlite3.Connection, stems: set[str], *, full: bool) -> None:
    # Each posting is one int32 key: a stem's document frequency is its keys' bytes / 4.
    if full:
        conn.execute("DELETE FROM stems")
        conn.execute("INSERT INTO stems(stem, df) SELECT stem, SUM(length(doc_keys)) / 4 FROM postings "
                     "GROUP BY stem")
        return
    for chunk in _chunks(sorted(stems), 500):
        marks = ",".join("?" * len(chunk))
        conn.execute(f"DELETE FROM stems WHERE stem IN ({marks})", chunk)
        conn.execute(f"INSERT INTO stems(stem, df) SELECT stem, SUM(length(doc_keys)) / 4 FROM postings "
                     f"WHERE stem IN ({marks}) GROUP BY stem", chunk)


def _chunks(items: list, size: int) -> Iterator[list]:  # type: ignore[type-arg]
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _prepare_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        ignore = folder / ".gitignore"
        if folder.name == INDEX_DIR and not ignore.exists():
            ignore.write_text("# The lessons index: a cache, rebuilt from content.\n*\n", encoding="utf-8")
    except OSError as exc:
        raise LessonsError(f"cannot create the index folder {folder}: {exc.strerror or exc}") from None


def delete_database(path: Path) -> None:
    """Remove an index file and its SQLite side files (it is a cache: content rebuilds it)."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def is_damage(exc: sqlite3.DatabaseError) -> bool:
    """True when an error means the index file is damaged (rebuild it), not merely busy.

    `sqlite3.OperationalError` ("database is locked", "disk I/O error") is about the
    moment, not the file: another process is writing it, and deleting it would pull the
    floor from under that process.
    """
    return not isinstance(exc, sqlite3.OperationalError)


def _connect_patiently(where: Path | str, *, patience: float = 60.0) -> tuple[sqlite3.Connection, bool]:
    # Switching a new database to WAL needs a moment alone with it; when another process
    # is doing the same, SQLite answers "locked" at once instead of waiting.
    import time

    deadline = time.monotonic() + patience
    while True:
        try:
            return _connect(where)
        except sqlite3.OperationalError as exc:
            if ("locked" not in str(exc) and "busy" not in str(exc)) or time.monotonic() > deadline:
                raise LessonsError(f"cannot open the index {where}: {exc} (is another process "
                                   "holding it? it is a cache: deleting it is always safe)") from None
            time.sleep(0.05)


def _connect(where: Path | str) -> tuple[sqlite3.Connection, bool]:
    conn = sqlite3.connect(str(where), timeout=60, isolation_level=None, check_same_thread=False)
    try:
        if where != MEMORY and conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        # A flush reads and rewrites the postings rows of whole blocks: a larger page
        # cache keeps them in memory (64 MB, allocated only as used).
        conn.execute("PRAGMA cache_size=-65536")
        conn.execute("PRAGMA busy_timeout=60000")
        if where != MEMORY:
            # Reads every page once (tens of milliseconds for thousands of documents), so a
            # file damaged anywhere is rebuilt now instead of failing in the middle of a search.
            verdict = conn.execute("PRAGMA quick_check(1)").fetchone()
            if not verdict or verdict[0] != "ok":
                raise sqlite3.DatabaseError(f"index failed its integrity check: {verdict}")
        conn.execute("BEGIN IMMEDIATE")
        try:
            rebuilt = _ensure_schema(conn)
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
    except BaseException:
        conn.close()
        raise
    return conn, rebuilt


_READERS = ("parsing/actions", "store/discover", "parsing/fields", "parsing/frontmatter", "store/index", "model",
            "parsing/parse", "store/search_text", "parsing/sections", "store/tables", "parsing/timeline",
            "store/tokenize")
"""The modules whose code decides what a file becomes in the index."""


def reader_fingerprint(package: Path | None = None) -> str:
    """The lessons version and a hash of the code that reads files into the index.

    An index made by other reading code is rebuilt: a newer parser may read the same
    file differently, and a sync only re-reads files whose bytes changed. The hash
    catches what the version misses (an install from a branch, a working copy).
    """
    from .. import __version__

    folder = package or Path(__file__).parent.parent
    digest = hashlib.sha256()
    for name in _READERS:
        try:
            digest.update((folder / f"{name}.py").read_bytes())
        except OSError:  # installed without sources: the version alone decides
            digest.update(name.encode())
    return f"{__version__}+{digest.hexdigest()[:12]}"


def _ensure_schema(conn: sqlite3.Connection) -> bool:
    """Create the tables, or empty them when another schema or reading code made them."""
    reader = _reader()
    has_meta = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type='table' AND name='meta'").fetchone()
    if has_meta:
        stored = dict(conn.execute(
            "SELECT key, value FROM meta WHERE key IN ('schema_version', 'lessons_version')").fetchall())
        if stored == {"schema_version": SCHEMA_VERSION, "lessons_version": reader}:
            return False
    for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'").fetchall():
        conn.execute(f'DROP TABLE "{name}"')
    for statement in _schema_statements():
        conn.execute(statement)
    conn.executemany("INSERT INTO meta(key, value) VALUES (?, ?)",
                     [("schema_version", SCHEMA_VERSION), ("lessons_version", reader)])
    return True


_reader = lru_cache(maxsize=1)(reader_fingerprint)


def _schema_statements() -> list[str]:
    from sqlalchemy.dialects import sqlite
    from sqlalchemy.schema import CreateIndex, CreateTable
    from sqlmodel import SQLModel

    from . import tables  # noqa: F401  (registers the tables on SQLModel.metadata)

    dialect = sqlite.dialect()
    statements = []
    for table in SQLModel.metadata.sorted_tables:
        if table.name not in _TABLE_NAMES:
            continue
        create = str(CreateTable(table, if_not_exists=True).compile(dialect=dialect)).rstrip()
        if table.name in _CLUSTERED:
            # Stored in primary-key order: a stem's postings sit together on disk, and
            # the table needs no second copy of its key as an index.
            create += " WITHOUT ROWID"
        statements.append(create)
        statements.extend(str(CreateIndex(index, if_not_exists=True).compile(dialect=dialect))
                          for index in table.indexes)
    return statements


_CLUSTERED = {"postings", "labels"}
_TABLE_NAMES = {"meta", "files", "documents", "sections", "labels", "action_items",
                "timeline_events", "postings", "terms", "stems", "words"}
