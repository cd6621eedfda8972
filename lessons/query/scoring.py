"""BM25F: field-weighted BM25 scores of stems, as numpy vectors over the documents.

Each stem's postings are read from SQLite once, folded into one weighted term
frequency per document and kept in memory for the next query; a query is then a
few vector operations over dense per-document arrays.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from .vocabulary import Vocabulary

if TYPE_CHECKING:
    from ..store.index import Index

WEIGHTS = (4.0, 2.0, 2.5, 1.0)
"""Ranking weight of a match in the title, summary, labels and body."""
FIELD_BITS = (1, 2, 4, 8)
"""The bit of each field (in the order of `WEIGHTS`) in the masks of `Scorer.fields`."""
K1, B = 1.2, 0.75
VECTOR_CACHE_ENTRIES = 20_000_000
"""How many (document, weight) pairs of stem vectors a scorer keeps in memory (~240 MB)."""

DocumentMeta = tuple[str, str | None, str, int | None]
"""What filters look at: kind, date (ISO), status and severity of one document."""


class Scorer:
    """BM25F scores over the documents of one `Index`, by document key."""

    def __init__(self, index: Index, vocabulary: Vocabulary) -> None:
        import numpy as np

        self.index = index
        self.vocabulary = vocabulary
        rows = index.conn.execute(
            "SELECT key, kind, date, status, severity, len_title, len_summary, len_labels, "
            "len_text, id FROM documents").fetchall()
        self.n = len(rows)
        """How many documents there are."""
        self.size = max((row[0] for row in rows), default=0) + 1
        """The length of a per-document array: the largest key + 1."""
        self._lens = np.zeros((4, self.size), dtype=np.float64)
        self.exists = np.zeros(self.size, dtype=bool)
        """Which keys belong to a document (keys of removed documents are not reused)."""
        self.meta: dict[int, DocumentMeta] = {}
        self.ids: dict[int, str] = {}
        """Each document's id by key: a search names its results without reading them."""
        for key, kind, day, status, severity, l0, l1, l2, l3, doc_id in rows:
            self.meta[key] = (kind, day, status, severity)
            self.ids[key] = doc_id
            self._lens[:, key] = (l0, l1, l2, l3)
            self.exists[key] = True
        sums = self._lens.sum(axis=1)
        self._avg = np.maximum(sums / self.n, 1.0) if self.n else np.ones(4)
        self._vectors: dict[str, tuple[Any, Any]] = {}
        self._fields: dict[str, Any] = {}
        self._vector_entries = 0
        self._columns: dict[str, Any] | None = None

    def columns(self) -> dict[str, Any]:
        """What filters look at as arrays by key: ``kind``, ``date`` (ISO, "" for none), ``status``
        and ``severity`` (-1 for none); made when a filter first asks."""
        import numpy as np

        if self._columns is None:
            keys = np.fromiter(self.meta, dtype=np.int64, count=len(self.meta))
            kind, day, status, severity = zip(*self.meta.values(), strict=True) if self.meta else ((),) * 4
            columns = {"kind": np.full(self.size, "", dtype="U10"), "date": np.full(self.size, "", dtype="U10"),
                       "status": np.full(self.size, "", dtype=object), "severity": np.full(self.size, -1)}
            columns["kind"][keys] = kind
            columns["date"][keys] = [value or "" for value in day]
            columns["status"][keys] = status
            columns["severity"][keys] = [-1 if value is None else value for value in severity]
            self._columns = columns
        return self._columns

    def vector(self, stem: str) -> tuple[Any, Any]:
        """(document keys, BM25F-weighted term frequency) of one stem, cached."""
        import numpy as np

        cached = self._vectors.get(stem)
        if cached is not None:
            return cached
        keys, tfs = self.index.postings(stem)
        vector: tuple[Any, Any]
        if not len(keys):
            vector = (keys, np.zeros(0))
        else:
            # BM25F: each field's count, normalised by that field's length, then weighted.
            norm = 1 - B + B * self._lens[:, keys].T / self._avg
            vector = (keys, (tfs / norm) @ np.asarray(WEIGHTS))
        if self._vector_entries > VECTOR_CACHE_ENTRIES:
            self._vectors.clear()
            self._fields.clear()
            self._vector_entries = 0
        self._vectors[stem] = vector
        # Which fields hold the stem, one bit each: a result's reasons without reading its terms.
        self._fields[stem] = (tfs > 0).astype(np.uint8) @ np.array(FIELD_BITS, dtype=np.uint8)
        self._vector_entries += len(vector[0])
        return vector

    def fields(self, stem: str) -> tuple[Any, Any]:
        """(document keys, fields as bits: title 1, summary 2, labels 4, body 8) of one stem.

        The keys are those of `vector`, in ascending order.
        """
        keys, _ = self.vector(stem)
        return keys, self._fields[stem]  # kept and emptied together with the vectors

    def bm25(self, stem: str, factor: float) -> tuple[Any, Any]:
        """(document keys, BM25 scores) of one stem, scaled by `factor`."""
        keys, weighted = self.vector(stem)
        df = self.vocabulary.df(stem)
        if not df or not len(keys):
            return keys, weighted
        idf = math.log(1 + (self.n - df + 0.5) / (df + 0.5))
        return keys, (idf * factor * (K1 + 1)) * weighted / (weighted + K1)


def top(scores: Any, limit: int) -> list[tuple[float, int]]:
    """The `limit` best (score, key) pairs with a positive score, best first, ties by key."""
    import numpy as np

    candidates = np.flatnonzero(scores > 0)
    if len(candidates) > limit:
        part = np.argpartition(-scores[candidates], limit - 1)[:limit]
        candidates = candidates[part]
    ranked = sorted(((float(scores[k]), int(k)) for k in candidates), key=lambda x: (-x[0], x[1]))
    return ranked[:limit]
