"""Ranking: "have we seen this before?"

A field-weighted BM25 (BM25F, `scoring`) over stemmed words, with typo tolerance
and search-as-you-type at the vocabulary level (`vocabulary`). Documents that match
more of the query's words rank first. Filters (`filters`) only decide which
documents may appear; they never change a score. `similar()` is in `similarity`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from ..model import Document
from ..store.connection import IndexDamaged
from ..store.schema import FIELD_NAMES
from ..store.tokenize import surface_words
from .filters import Filters, allowed
from .results import Match, SearchResult
from .scoring import FIELD_BITS, Scorer, top
from .similarity import Similarity
from .snippets import snippet
from .vocabulary import Term, Vocabulary

if TYPE_CHECKING:
    from ..store.index import Index

MAX_QUERY_WORDS = 32
_T = TypeVar("_T")


class Reader(Protocol):
    """Runs a read of the index and returns what it read."""

    def __call__(self, read: Callable[[Index], _T], /) -> _T: ...


class _Direct:
    """A `Reader` that reads one index as it is."""

    def __init__(self, index: Index) -> None:
        self.index = index

    def __call__(self, read: Callable[[Index], _T], /) -> _T:
        return read(self.index)


class Searcher:
    """Search and similarity over one `Index`.

    Scores are computed with numpy over dense per-document arrays: each stem's
    postings are read from SQLite once, folded into one weighted term frequency per
    document (BM25F), and kept in memory for the next query.
    """

    def __init__(self, index: Index, read: Reader | None = None) -> None:
        self.index = index
        self.read: Reader = read or _Direct(index)
        """How results read the index later, when their document, snippet or reasons are asked
        for (`KnowledgeBase` passes one that rebuilds a damaged index and reads again)."""
        self.vocabulary = Vocabulary(index.conn)
        self.scorer = Scorer(index, self.vocabulary)
        self.similarity = Similarity(self.scorer, self.vocabulary)
        self.similarity.read = self.read

    def search(self, query: str, *, limit: int = 10, filters: Filters | None = None) -> list[SearchResult]:
        """The documents best matching a query, best first, each with a snippet and reasons."""
        import numpy as np

        size = self.scorer.size
        if limit <= 0 or not self.scorer.n:
            return []
        words = list(dict.fromkeys(surface_words(query[:10_000])))[:MAX_QUERY_WORDS]
        if not words:
            return []
        typed_last = bool(re.search(r"\w$", query))
        totals = np.zeros(size)
        matched = np.zeros(size)
        terms_used: list[Term] = []
        for position, word in enumerate(words):
            terms = self.vocabulary.expand(word, prefix=typed_last and position == len(words) - 1)
            if not terms:
                continue
            # A word that stands for several vocabulary words counts once, by its best match.
            best = np.zeros(size)
            for term in terms:
                keys, scores = self.scorer.bm25(term.stem, term.factor)
                if len(keys):
                    best[keys] = np.maximum(best[keys], scores)
            terms_used.extend(terms)
            totals += best
            matched += best > 0
        # Documents that match more of the query's words rank above those that match
        # one word many times. Filters only remove documents; they never change a score.
        final = totals * (matched / len(words)) ** 2
        mask = allowed(filters or Filters(), self.scorer, self.index.conn)
        if mask is not None:
            final[~mask] = 0.0
        ranked = [(round(score, 4), key) for score, key in top(final, limit)]
        return self._results(ranked, terms_used)

    def _results(self, ranked: list[tuple[float, int]], terms: list[Term]) -> list[SearchResult]:
        """Results that carry their score and id; the rest is made when first read."""
        by_stem: dict[str, list[Term]] = {}
        for term in terms:
            by_stem.setdefault(term.stem, []).append(term)
        stems = set(by_stem)
        # The postings the scores came from say which fields hold each stem: the reasons are
        # read from them (already in memory) rather than from each document's stored terms.
        found = [(key, self.scorer.ids[key]) for _, key in ranked]
        batch = _Batch(found, self.read)
        reasons = _Fields([key for key, _ in found], {stem: self.scorer.fields(stem) for stem in by_stem})
        return [SearchResult.deferred(
            doc_id, score, document=partial(batch.get, key),
            snippet=lambda doc: snippet(doc, stems),
            why=partial(_why, reasons, key, by_stem)) for (key, doc_id), (score, _) in zip(found, ranked, strict=True)]

    def similar_to_document(self, doc: Document, *, limit: int, filters: Filters) -> list[SearchResult]:
        """Documents like `doc`, most similar first (see `Similarity`)."""
        return self.similarity.to_document(doc, limit=limit, filters=filters)

    def similar_to_text(self, text: str, *, limit: int, filters: Filters) -> list[SearchResult]:
        """Documents like a free text, most similar first (see `Similarity`)."""
        return self.similarity.to_text(text, limit=limit, filters=filters)


class _Fields:
    """Which fields of each result hold which matched stems, worked out for the whole list
    when the reasons of one result are first read.

    `fields` holds, per stem, the keys of the documents holding it (ascending) and the fields
    they hold it in, one bit each (`Scorer.fields`): the postings the scores came from.
    """

    def __init__(self, keys: list[int], fields: dict[str, tuple[Any, Any]]) -> None:
        self.keys = keys
        self.fields = fields
        self.found: dict[int, list[tuple[int, str]]] | None = None

    def of(self, key: int) -> list[tuple[int, str]]:
        """``(field code, stem)`` of each field of the document `key` that holds a matched stem."""
        if self.found is None:
            self.found = self._find()
        return self.found[key]

    def _find(self) -> dict[int, list[tuple[int, str]]]:
        import numpy as np

        found: dict[int, list[tuple[int, str]]] = {key: [] for key in self.keys}
        wanted = np.array(self.keys, dtype=np.int64)
        for stem, (keys, bits) in self.fields.items():
            if not len(keys):
                continue
            at = np.minimum(np.searchsorted(keys, wanted), len(keys) - 1)
            for key, held, mask in zip(self.keys, (keys[at] == wanted).tolist(), bits[at].tolist(), strict=True):
                if held:
                    found[key] += [(code, stem) for code, bit in enumerate(FIELD_BITS) if mask & bit]
        return found


def _why(fields: _Fields, key: int, by_stem: dict[str, list[Term]]) -> list[Match]:
    """One reason per query word and document word, in the most important field it is in."""
    found = fields.of(key)
    why: dict[tuple[str, str, str], Match] = {}
    for code, stem in sorted(found):
        for term in by_stem[stem]:
            match = Match(term.query, term.word, FIELD_NAMES[code], term.how)
            why.setdefault((term.query, term.word, match.field), match)
    # One line per query word and document word, in the most important field; the
    # parts of a matched identifier (us, east, 1 of us-east-1) go without saying.
    whole = {m.query for m in why.values() if any(c in m.query for c in "-_./:")}
    parts = {p for w in whole for p in re.split(r"[-_./:]", w)}
    seen: set[tuple[str, str]] = set()
    out = []
    for (query, word, _), match in why.items():
        if query in parts and query not in whole:
            continue
        if (query, word) not in seen:
            seen.add((query, word))
            out.append(match)
    return out


class _Batch:
    """The documents of one list of results, read together when the first one is asked for.

    Read by key (ids are unique only within a source of a shared index); when the keys no
    longer name the same documents (the index was rebuilt since the search), by id.
    """

    def __init__(self, found: list[tuple[int, str]], read: Reader) -> None:
        self.found = found
        self.read = read
        self.documents: dict[int, Document] | None = None

    def get(self, key: int) -> Document:
        if self.documents is None:
            self.documents = self.read(self._load)
        return self.documents[key]

    def _load(self, index: Index) -> dict[int, Document]:
        try:
            docs = index.documents_by_key(key for key, _ in self.found)
        except IndexDamaged:
            docs = {}
        if all(key in docs and docs[key].id == doc_id for key, doc_id in self.found):
            return docs
        by_id = index.documents_by_id([doc_id for _, doc_id in self.found])
        return {key: by_id[doc_id] for key, doc_id in self.found}
