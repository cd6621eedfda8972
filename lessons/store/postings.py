"""Writing a sync's changes: rows in batches, and postings packed per stem and block.

Postings are packed into one row per stem and block of 1,024 document keys: the keys
as int32 and the four field counts as uint16, which numpy reads without a Python loop.
A flush groups the new documents' stems, removes the keys of dropped documents from
their blocks, and merges new keys into the rows already stored.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from itertools import count
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import Problem
from .connection import IndexDamaged
from .prepare import Prepared, document_insert, problem_json

if TYPE_CHECKING:
    from .backends import Connection
    from .sources import Keys

BLOCK_BITS = 10
"""Postings are packed per stem and block of ``2**BLOCK_BITS`` document keys."""
BLOCK_SIZE = 1 << BLOCK_BITS
FLUSH_EVERY = BLOCK_SIZE


def check_row(doc_keys: object, counts: object, stem: str) -> None:
    """Raise `IndexDamaged` unless a postings row holds int32 keys and 4 uint16 counts per key."""
    if type(doc_keys) is not bytes or type(counts) is not bytes or len(doc_keys) % 4 \
            or len(counts) != 2 * len(doc_keys):
        raise IndexDamaged(f"the postings of {stem!r} are damaged (keys and counts do not fit together)")


class Writer:
    """Writes one sync's changes inside the caller's transaction.

    Rows are gathered and written in batches; postings are packed per (stem, block):
    a flush groups the new documents' stems with numpy, removes the keys of dropped
    documents from their blocks, and merges the new keys into rows already stored.
    Keys come from the source's `Keys` (its own blocks), so a key is never given twice
    and a postings row only ever holds the keys of this writer's source. The words are
    written last (`finish`), under the lock every source shares.
    """

    def __init__(self, conn: Connection, source: str, keys: Keys, *, empty: bool = False) -> None:
        self.conn = conn
        self.source = source
        self.keys = keys
        self.empty = empty
        """The source held no documents when the sync began (a first build): ids are only checked
        against this sync's, kept in `pending_ids`, not looked up in the table one by one."""
        self.fresh_block = (keys.next >> BLOCK_BITS) + 1 if keys.next else 0
        """Blocks from this one up hold no stored row of this source: their postings are inserted, not merged.

        Postings only ever hold keys of stored documents, and a source's keys only grow
        (new blocks come from a counter that only grows), so every block above the one
        of its next key is empty or another source's. Each flush moves the mark past the
        blocks it wrote; a block a flush shares with an earlier one (key 1024 written by
        the first flush, 1025 by the second) is merged.
        """
        self.known_words: set[str] = set()
        self.pending_ids: dict[str, str] = {}
        self.rows: dict[str, list[tuple[object, ...]]] = {table: [] for table in INSERTS}
        self.added: list[tuple[int, str, bytes]] = []
        """(key, stems separated by spaces, counts) of each document queued"""
        self.dropped: dict[int, list[str]] = {}
        self.touched: set[str] = set()
        """Stems whose document frequency changed."""

    def store(self, rel: str, st: os.stat_result, ready: Prepared) -> None:
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
        if clash is None and not self.empty:
            row = self.conn.execute("SELECT path FROM documents WHERE source=? AND id=?",
                                    (self.source, ready.doc_id)).fetchone()
            clash = row[0] if row else None
        if clash:
            problem = Problem(Path(rel), ready.id_line, "duplicate-id",
                              f"id {ready.doc_id!r} is already used by {clash}")
            # No hash: the file is parsed again on every sync until the clash is gone.
            self._file(rel, st, "", "error", None, [problem_json(problem, rel)])
            return
        key = self.keys.take()
        self.pending_ids[ready.doc_id] = ready.path
        rows = self.rows
        rows["documents"].append((key, self.source, ready.path, *ready.columns, *ready.lengths, ready.data))
        rows["labels"].extend((key, *row) for row in ready.labels)
        rows["terms"].append((key, ready.stems, ready.counts))
        self.added.append((key, ready.stems, ready.counts))
        if not self.empty and ready.stems:  # a first build recounts every stem (`refresh_stems(full=True)`)
            self.touched.update(ready.stems.split(" "))
        self._file(rel, st, ready.digest, "document", key, [])
        # At the end of a block of keys: a flush then writes whole blocks, and the next one
        # needs no stored row (a first build merges nothing; flushing every 1,024 documents
        # from key 1 had each flush look up the rows of every stem in the block it shared).
        if self.keys.next % BLOCK_SIZE == 0 or len(self.added) >= FLUSH_EVERY:
            self.flush()

    def drop(self, rel: str) -> None:
        """Remove a file and what it became (its postings go at the next flush)."""
        c = self.conn
        row = c.execute("SELECT doc_key FROM files WHERE source=? AND path=?", (self.source, rel)).fetchone()
        c.execute("DELETE FROM files WHERE source=? AND path=?", (self.source, rel))
        if not row or row[0] is None:
            return
        key = row[0]
        found = c.execute("SELECT stems FROM terms WHERE doc_key=?", (key,)).fetchone()
        stems = found[0].split(" ") if found and found[0] else []
        self.dropped[key] = stems
        self.touched.update(stems)
        for table in ("labels", "terms"):
            c.execute(f"DELETE FROM {table} WHERE doc_key=?", (key,))
        c.execute("DELETE FROM documents WHERE key=?", (key,))
        # A duplicate of this document's id may now be the one to keep: parse it again.
        c.execute("UPDATE files SET sha256='' WHERE source=? AND role='error' AND problems LIKE '%duplicate-id%'",
                  (self.source,))

    def flush(self) -> None:
        """Write everything queued but the words (`finish`)."""
        for table, rows in self.rows.items():
            if rows and table != "words":
                self.conn.executemany(INSERTS[table], rows)
                rows.clear()
        if not self.empty:  # the ones written are in the table now
            self.pending_ids.clear()
        if self.dropped:
            self._remove_postings()
        if self.added:
            self._add_postings()

    def finish(self) -> None:
        """Write the last rows and the new words (under `Backend.lock_shared`: every source adds words)."""
        self.flush()
        # In order: two servers' transactions adding the same words lock them in one order.
        self.conn.executemany(INSERTS["words"], sorted(self.rows["words"]))
        self.rows["words"].clear()

    def _add_postings(self) -> None:
        import numpy as np

        added, self.added = self.added, []
        joined = " ".join([doc_stems for _, doc_stems, _ in added if doc_stems])
        if not joined:  # documents without a single word (a title of stopwords, no body)
            return
        stems = joined.split(" ")
        number = dict(zip(dict.fromkeys(stems), count()))
        ids = np.fromiter(map(number.__getitem__, stems), dtype=np.int64, count=len(stems))
        # Each stem has 4 counts of 2 bytes: a document's counts say how many stems it has.
        keys = np.repeat(np.fromiter((key for key, _, _ in added), dtype=np.int64, count=len(added)),
                         [len(counts) // 8 for _, _, counts in added])
        counts = np.frombuffer(b"".join([c for _, _, c in added]), dtype="<u2").reshape(-1, 4)
        blocks = keys >> BLOCK_BITS
        width = int(blocks.max()) + 1
        group = ids * width + blocks
        order = np.argsort(group, kind="stable")  # stable: keys stay in ascending order
        group = group[order]
        key_bytes = keys[order].astype("<i4").tobytes()
        count_bytes = counts[order].tobytes()
        starts = np.flatnonzero(np.r_[True, group[1:] != group[:-1]])
        firsts = group[starts]
        bounds = [*starts.tolist(), len(group)]
        names = list(number)
        rows = [(names[stem_id], block, key_bytes[4 * start:4 * end], count_bytes[8 * start:8 * end])
                for stem_id, block, start, end in zip((firsts // width).tolist(), (firsts % width).tolist(),
                                                      bounds[:-1], bounds[1:], strict=True)]
        fresh = [row for row in rows if row[1] >= self.fresh_block]
        merged: list[tuple[bytes, bytes, str, int]] = []
        select = "SELECT doc_keys, counts FROM postings WHERE stem=? AND block=?"
        for stem, block, new_keys, new_counts in (rows if len(fresh) < len(rows) else ()):
            if block >= self.fresh_block:
                continue
            stored = self.conn.execute(select, (stem, block)).fetchone()
            if stored:  # stored keys are all lower than new ones: appending keeps key order
                check_row(stored[0], stored[1], stem)
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
            check_row(stored[0], stored[1], s)
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
        self.rows["files"].append((self.source, rel, st.st_size, st.st_mtime_ns, digest, role, key,
                                   json.dumps(problems) if problems else "[]"))


INSERTS = {
    # Documents first: the other tables refer to them.
    "documents": document_insert(),
    "labels": "INSERT INTO labels(doc_key, field, value) VALUES (?,?,?) ON CONFLICT DO NOTHING",
    "terms": "INSERT INTO terms(doc_key, stems, counts) VALUES (?,?,?)",
    "words": "INSERT INTO words(word, stem) VALUES (?,?) ON CONFLICT DO NOTHING",
    "files": "INSERT INTO files(source, path, size, mtime_ns, sha256, role, doc_key, problems) "
             "VALUES (?,?,?,?,?,?,?,?) ON CONFLICT(source, path) DO UPDATE SET size=excluded.size, "
             "mtime_ns=excluded.mtime_ns, sha256=excluded.sha256, role=excluded.role, "
             "doc_key=excluded.doc_key, problems=excluded.problems",
}


def refresh_stems(conn: Connection, stems: set[str], *, full: bool) -> None:
    # Each posting is one int32 key: a stem's document frequency is its keys' bytes / 4.
    if full:
        conn.execute("DELETE FROM stems")
        conn.execute("INSERT INTO stems(stem, df) SELECT stem, SUM(length(doc_keys)) / 4 FROM postings "
                     "GROUP BY stem")
        return
    for chunk in chunks(sorted(stems), 500):
        marks = ",".join("?" * len(chunk))
        conn.execute(f"DELETE FROM stems WHERE stem IN ({marks})", chunk)
        conn.execute(f"INSERT INTO stems(stem, df) SELECT stem, SUM(length(doc_keys)) / 4 FROM postings "
                     f"WHERE stem IN ({marks}) GROUP BY stem", chunk)


def chunks(items: list, size: int) -> Iterator[list]:  # type: ignore[type-arg]
    for start in range(0, len(items), size):
        yield items[start:start + size]
