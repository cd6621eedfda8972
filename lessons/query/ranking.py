"""Ranking: "have we seen this before?"

A field-weighted BM25 (BM25F) over stemmed words, with typo tolerance at the
vocabulary level: a query word that is not in the vocabulary is matched to the
vocabulary words within one edit (five letters or more) or two edits (nine or
more), as Meilisearch and Typesense do, and scores a little below an exact
match. Words with digits (``503``, ``s3``, ``ora-00060``) only match exactly.
The last query word also matches as a prefix, so a search box can search as
the user types. Filters only decide which documents may appear; they never
change a score.
"""

from __future__ import annotations

import heapq
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from ..errors import LessonsError
from ..model import Document
from .results import Match, SearchResult
from ..store.schema import FIELD_NAMES

if TYPE_CHECKING:
    from ..store.index import Index

WEIGHTS = (4.0, 2.0, 2.5, 1.0)
"""Ranking weight of a match in the title, summary, labels and body."""
K1, B = 1.2, 0.75
FUZZY_FACTOR = {1: 0.8, 2: 0.6}
"""A typo match scores this much of an exact one, by edit distance."""
PREFIX_FACTOR = 0.7
MAX_QUERY_WORDS = 32
LABEL_WEIGHTS = {"cause": 0.5, "service": 0.3, "tag": 0.2}
"""How much a shared cause, service or tag counts in `similar()`, before its rarity."""
VECTOR_CACHE_ENTRIES = 20_000_000
"""How many (document, weight) pairs of stem vectors a searcher keeps in memory (~240 MB)."""
MAX_EXPANSIONS = 8
"""How many vocabulary words one typo'd or partial query word may stand for."""


@dataclass(slots=True)
class _Term:
    query: str
    """The query word as typed."""
    stem: str
    word: str
    """The vocabulary word it matched."""
    how: str
    factor: float


@dataclass(slots=True)
class Filters:
    """Which documents a search may return. Within one facet any value matches."""

    kind: str | None = None
    causes: frozenset[str] = frozenset()
    tags: frozenset[str] = frozenset()
    services: frozenset[str] = frozenset()
    severity: frozenset[int] = frozenset()
    since: date | None = None
    until: date | None = None
    status: frozenset[str] = frozenset()

    @classmethod
    def build(cls, *, kind: str | None = None, causes: Iterable[str] | str | None = None,
              tags: Iterable[str] | str | None = None, services: Iterable[str] | str | None = None,
              severity: int | Iterable[int] | None = None, since: date | str | None = None,
              until: date | str | None = None, status: Iterable[str] | str | None = None) -> Filters:
        if kind is not None and kind not in ("postmortem", "practice"):
            raise LessonsError(f"kind must be 'postmortem' or 'practice', not {kind!r}")
        if isinstance(severity, int):
            severities = frozenset({severity})
        else:
            severities = frozenset(int(s) for s in severity or ())
        return cls(kind, _set(causes), _set(tags), _set(services), severities,
                   _day(since, "since"), _day(until, "until"), _set(status))


def _set(value: Iterable[str] | str | None) -> frozenset[str]:
    if value is None:
        return frozenset()
    if isinstance(value, str):
        value = [v for v in re.split(r"\s*,\s*", value) if v]
    return frozenset(value)


def _day(value: date | str | None, name: str) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise LessonsError(f"{name} must be a date like 2020-01-31, not {value!r}") from None


class Searcher:
    """Search and similarity over one `Index`.

    Scores are computed with numpy over dense per-document arrays: each stem's
    postings are read from SQLite once, folded into one weighted term frequency per
    document (BM25F), and kept in memory for the next query.
    """

    def __init__(self, index: Index) -> None:
        import numpy as np

        self.index = index
        self.conn = index.conn
        rows = self.conn.execute(
            "SELECT key, kind, date, status, severity, len_title, len_summary, len_labels, "
            "len_text FROM documents").fetchall()
        self.n = len(rows)
        size = max((row[0] for row in rows), default=0) + 1
        self._size = size
        self._lens = np.zeros((4, size), dtype=np.float64)
        self._exists = np.zeros(size, dtype=bool)
        self._meta: dict[int, tuple[str, str | None, str, int | None]] = {}
        for key, kind, day, status, severity, l0, l1, l2, l3 in rows:
            self._meta[key] = (kind, day, status, severity)
            self._lens[:, key] = (l0, l1, l2, l3)
            self._exists[key] = True
        sums = self._lens.sum(axis=1)
        self._avg = np.maximum(sums / self.n, 1.0) if self.n else np.ones(4)
        self._vocab: dict[int, list[str]] | None = None
        self._word_stem: dict[str, str] = {}
        self._df_cache: dict[str, int] = {}
        self._vectors: dict[str, tuple[Any, Any]] = {}
        self._vector_entries = 0
        self._labels: dict[tuple[str, str], Any] | None = None
        self._label_mass: Any = None

    # -- vocabulary ---------------------------------------------------------------

    def _df(self, stem: str) -> int:
        if stem not in self._df_cache:
            row = self.conn.execute("SELECT df FROM stems WHERE stem=?", (stem,)).fetchone()
            self._df_cache[stem] = row[0] if row else 0
        return self._df_cache[stem]

    def _words_by_length(self) -> dict[int, list[str]]:
        if self._vocab is None:
            self._vocab = {}
            for word, stem in self.conn.execute("SELECT word, stem FROM words"):
                self._word_stem[word] = stem
                if word.isalpha():
                    self._vocab.setdefault(len(word), []).append(word)
        return self._vocab

    def expand(self, word: str, *, prefix: bool = False) -> list[_Term]:
        """The vocabulary terms a query word stands for: itself, typo matches, completions."""
        from ..store.tokenize import is_identifier, stem

        terms: list[_Term] = []
        exact = stem(word)
        if self._df(exact):
            terms.append(_Term(word, exact, word, "exact", 1.0))
        elif not is_identifier(word) and len(word) >= 5:
            terms.extend(self._fuzzy(word))
        if prefix and len(word) >= 2:
            seen = {t.stem for t in terms}
            completions = self.conn.execute(
                "SELECT w.word, w.stem, s.df FROM words w JOIN stems s ON s.stem = w.stem "
                "WHERE w.word > ? AND w.word < ? ORDER BY s.df DESC LIMIT 40",
                (word, word + "\U0010ffff")).fetchall()
            for full, full_stem, _ in completions:
                if full_stem not in seen and len(seen) < MAX_EXPANSIONS + 1:
                    seen.add(full_stem)
                    terms.append(_Term(word, full_stem, full, "prefix", PREFIX_FACTOR))
        return terms

    def _fuzzy(self, word: str) -> list[_Term]:
        from rapidfuzz import process
        from rapidfuzz.distance import OSA

        from ..store.tokenize import stem

        max_edits = 2 if len(word) >= 9 else 1
        vocab = self._words_by_length()
        choices = [w for n in range(len(word) - max_edits, len(word) + max_edits + 1)
                   for w in vocab.get(n, ())]
        # OSA distance counts a swap of two neighbouring letters ("paymnets") as one edit.
        found = process.extract(word, choices, scorer=OSA.distance,
                                score_cutoff=max_edits, limit=None)
        candidates = []
        for candidate, distance, _ in found:
            candidate_stem = self._word_stem.get(candidate) or stem(candidate)
            candidates.append((int(distance), -self._df(candidate_stem), candidate, candidate_stem))
        best: dict[str, _Term] = {}
        for distance, negative_df, candidate, candidate_stem in sorted(candidates):
            if candidate_stem not in best and negative_df:
                best[candidate_stem] = _Term(word, candidate_stem, candidate, "fuzzy",
                                             FUZZY_FACTOR[distance])
        return list(best.values())[:MAX_EXPANSIONS]

    # -- vectors ------------------------------------------------------------------

    def _vector(self, stem: str) -> tuple[Any, Any]:
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
            self._vector_entries = 0
        self._vectors[stem] = vector
        self._vector_entries += len(vector[0])
        return vector

    def _bm25(self, stem: str, factor: float) -> tuple[Any, Any]:
        """(document keys, BM25 scores) of one stem."""
        keys, weighted = self._vector(stem)
        df = self._df(stem)
        if not df or not len(keys):
            return keys, weighted
        idf = math.log(1 + (self.n - df + 0.5) / (df + 0.5))
        return keys, (idf * factor * (K1 + 1)) * weighted / (weighted + K1)

    def _mask(self, filters: Filters) -> Any:
        """Which document keys a search may return (None: all of them)."""
        import numpy as np

        if filters == Filters():
            return None
        mask = np.zeros(self._size, dtype=bool)
        for key, (kind, day, status, severity) in self._meta.items():
            if filters.kind and kind != filters.kind:
                continue
            if filters.status and status not in filters.status:
                continue
            if filters.severity and severity not in filters.severity:
                continue
            if (filters.since or filters.until) and day is None:
                continue
            if filters.since and day and day < filters.since.isoformat():
                continue
            if filters.until and day and day > filters.until.isoformat():
                continue
            mask[key] = True
        for facet, values in (("cause", filters.causes), ("tag", filters.tags),
                              ("service", filters.services)):
            if values:
                having = np.zeros(self._size, dtype=bool)
                marks = ",".join("?" * len(values))
                # "auth" finds a tag written "Auth": labels are matched without case.
                keys = [k for (k,) in self.conn.execute(
                    f"SELECT DISTINCT doc_key FROM labels WHERE field=? AND lower(value) IN ({marks})",
                    (facet, *sorted(v.lower() for v in values)))]
                having[keys] = True
                mask &= having
        return mask

    @staticmethod
    def _top(scores: Any, limit: int) -> list[tuple[float, int]]:
        import numpy as np

        candidates = np.flatnonzero(scores > 0)
        if len(candidates) > limit:
            part = np.argpartition(-scores[candidates], limit - 1)[:limit]
            candidates = candidates[part]
        ranked = sorted(((float(scores[k]), int(k)) for k in candidates), key=lambda x: (-x[0], x[1]))
        return ranked[:limit]

    # -- search -------------------------------------------------------------------

    def search(self, query: str, *, limit: int = 10, filters: Filters | None = None) -> list[SearchResult]:
        import numpy as np

        from ..store.tokenize import surface_words

        if limit <= 0 or not self.n:
            return []
        words = list(dict.fromkeys(surface_words(query[:10_000])))[:MAX_QUERY_WORDS]
        if not words:
            return []
        typed_last = bool(re.search(r"\w$", query))
        totals = np.zeros(self._size)
        matched = np.zeros(self._size)
        terms_used: list[_Term] = []
        for position, word in enumerate(words):
            terms = self.expand(word, prefix=typed_last and position == len(words) - 1)
            if not terms:
                continue
            # A word that stands for several vocabulary words counts once, by its best match.
            best = np.zeros(self._size)
            for term in terms:
                keys, scores = self._bm25(term.stem, term.factor)
                if len(keys):
                    best[keys] = np.maximum(best[keys], scores)
            terms_used.extend(terms)
            totals += best
            matched += best > 0
        # Documents that match more of the query's words rank above those that match
        # one word many times. Filters only remove documents; they never change a score.
        final = totals * (matched / len(words)) ** 2
        mask = self._mask(filters or Filters())
        if mask is not None:
            final[~mask] = 0.0
        ranked = [(round(score, 4), key) for score, key in self._top(final, limit)]
        return self._results(ranked, terms_used)

    def _results(self, ranked: list[tuple[float, int]], terms: list[_Term]) -> list[SearchResult]:
        docs = self.index.documents_by_key(key for _, key in ranked)
        by_stem: dict[str, list[_Term]] = {}
        for term in terms:
            by_stem.setdefault(term.stem, []).append(term)
        results = []
        for score, key in ranked:
            why = self._why(key, by_stem)
            results.append(SearchResult(docs[key], score, snippet(docs[key], set(by_stem)), why))
        return results

    def _why(self, key: int, by_stem: dict[str, list[_Term]]) -> list[Match]:
        if not by_stem:
            return []
        terms = self.index.terms(key)
        why: dict[tuple[str, str, str], Match] = {}
        found = [(code, stem) for stem in by_stem if stem in terms
                 for code, tf in enumerate(terms[stem]) if tf]
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

    # -- similarity ---------------------------------------------------------------

    def similar_to_document(self, doc: Document, *, limit: int, filters: Filters) -> list[SearchResult]:
        key = self.index.key_of(doc.id)
        if key is None:
            weights = self._text_weights(_document_words(doc))
        else:
            weights = self._document_weights(key)
        return self._similar(weights, doc, key, limit, filters)

    def similar_to_text(self, text: str, *, limit: int, filters: Filters) -> list[SearchResult]:
        from ..store.tokenize import surface_words

        return self._similar(self._text_weights(surface_words(text[:200_000])), None, None, limit, filters)

    def _document_weights(self, key: int) -> dict[str, float]:
        weighted: dict[str, float] = {}
        for stem, tfs in self.index.terms(key).items():
            weighted[stem] = sum(w * tf for w, tf in zip(WEIGHTS, tfs, strict=True))
        return self._distinctive(weighted, indexed=True)

    def _text_weights(self, words: list[str]) -> dict[str, float]:
        from ..store.tokenize import stem

        weighted: dict[str, float] = {}
        for word in words:
            s = stem(word)
            weighted[s] = weighted.get(s, 0.0) + 1.0
        return self._distinctive(weighted)

    def _distinctive(self, weighted: dict[str, float], *, indexed: bool = False,
                     top: int = 30) -> dict[str, float]:
        """The `top` most distinctive stems (tf-idf), weights summing to 1 (or less).

        For a document in the index, words no other document has cannot make it like
        another, so they are not among the `top`; but they still count: their share of
        the document's tf-idf mass lowers the weights by up to half. A short document that
        is mostly its own words is then never "the same" as another by accident.
        """
        shareable: dict[str, float] = {}
        own_mass = 0.0
        for stem, tf in weighted.items():
            df = self._df(stem)
            # Very common words, clock times and calendar words say little about what an
            # incident was: two outages on a Monday in CEST are not alike for that.
            if (not df or (self.n >= 20 and df >= self.n * 0.5) or (stem.isdigit() and len(stem) < 3)
                    or stem in _CALENDAR or _CLOCK.match(stem)):
                continue
            score = (1 + math.log(tf)) * math.log(1 + self.n / df)
            if indexed and df == 1:
                own_mass += score
            else:
                shareable[stem] = score
        best = heapq.nlargest(top, shareable.items(), key=lambda item: item[1])
        total = sum(w for _, w in best) or 1.0
        scale = 1.0 - 0.5 * own_mass / (own_mass + sum(shareable.values()) or 1.0)
        return {stem: scale * w / total for stem, w in best}

    def _similar(self, weights: dict[str, float], doc: Document | None, own_key: int | None,
                 limit: int, filters: Filters) -> list[SearchResult]:
        import numpy as np

        # Each distinctive word contributes its weight times how well another document
        # matches it, relative to the document itself (or, for a text, to the best match):
        # the sum is 1 only for a document with all the same words as strongly.
        text = np.zeros(self._size)
        for stem, weight in weights.items():
            keys, scores = self._bm25(stem, 1.0)
            if not len(keys):
                continue
            ref = 0.0
            if own_key is not None:
                at = np.searchsorted(keys, own_key)
                if at < len(keys) and keys[at] == own_key:
                    ref = float(scores[at])
            ref = ref or float(scores.max())
            text[keys] += weight * np.minimum(scores / ref, 1.0)
        sim = np.minimum(text, 1.0)
        own = _label_sets(doc) if doc is not None else None
        if own and any(own.values()):
            sim = 0.6 * sim + 0.4 * self._label_similarity(own)
        if own_key is not None and own_key < self._size:
            sim[own_key] = 0.0
        sim[~self._exists] = 0.0
        mask = self._mask(filters)
        if mask is not None:
            sim[~mask] = 0.0
        sim[sim <= 0.01] = 0.0
        ranked = [(round(score, 4), key) for score, key in self._top(sim, limit)]
        docs = self.index.documents_by_key(key for _, key in ranked)
        results = []
        for score, key in ranked:
            other = docs[key]
            why = _shared_labels(doc, other) if doc is not None else []
            why += self._shared_words(key, weights)
            results.append(SearchResult(other, score, snippet(other, set(weights)), why))
        return results

    def _label_similarity(self, mine: dict[str, set[str]]) -> Any:
        """Every document's label overlap with `mine`, 0–1: a Jaccard index in which each
        cause, service and tag weighs its facet's weight times its rarity (idf).

        Sharing a cause half the knowledge base has says less than sharing a rare tag, and
        a document's own unique labels count against it as its unique words do.
        """
        import numpy as np

        labels = self._label_index()
        shared = np.zeros(self._size)
        mine_mass = 0.0
        for facet, values in mine.items():
            for value in values:
                keys = labels.get((facet, value))
                # A label no indexed document has yet (a new post-mortem's) is as rare as can be.
                weight = self._label_weight(facet, 1 if keys is None else len(keys))
                mine_mass += weight
                if keys is not None:
                    shared[keys] += weight
        union = mine_mass + self._label_mass - shared
        return np.where(union > 0, shared / np.maximum(union, 1e-9), 0.0)

    def _label_weight(self, facet: str, df: int) -> float:
        return LABEL_WEIGHTS.get(facet, 0.2) * math.log(1 + self.n / max(df, 1))

    def _label_index(self) -> dict[tuple[str, str], Any]:
        import numpy as np

        if self._labels is None:
            grouped: dict[tuple[str, str], list[int]] = {}
            for key, facet, value in self.conn.execute("SELECT doc_key, field, value FROM labels"):
                if key < self._size:
                    grouped.setdefault((facet, value), []).append(key)
            self._labels = {k: np.array(v, dtype=np.int64) for k, v in grouped.items()}
            mass = np.zeros(self._size)
            for (facet, _), keys in self._labels.items():
                mass[keys] += self._label_weight(facet, len(keys))
            self._label_mass = mass
        return self._labels

    def _shared_words(self, key: int, weights: dict[str, float]) -> list[Match]:
        stems = sorted(weights, key=lambda s: -weights[s])[:12]
        if not stems:
            return []
        present = set(stems) & self.index.terms(key).keys()
        words = self._display_words(present)
        return [Match(words[s], words[s], "text", "exact") for s in stems if s in present][:6]

    def _display_words(self, stems: set[str]) -> dict[str, str]:
        if not stems:
            return {}
        marks = ",".join("?" * len(stems))
        shown: dict[str, str] = {}
        for word, s in self.conn.execute(
                f"SELECT word, stem FROM words WHERE stem IN ({marks}) ORDER BY length(word)",
                sorted(stems)):
            shown.setdefault(s, word)
        return {s: shown.get(s, s) for s in stems}


_CLOCK = re.compile(r"^(?:\d{1,2}[:.h]\d{2}(?:[:.]\d{2})?|(?:19|20)\d{2})$")
"""``09:00`` (a time of day, kept whole as an identifier) or a year."""
_CALENDAR = frozenset({
    "aedt", "aest", "am", "april", "august", "bst", "cdt", "cest", "cet", "cst", "decemb", "edt",
    "eest", "eet", "est", "et", "februari", "friday", "gmt", "ist", "januari", "jst", "juli",
    "june", "march", "may", "mdt", "monday", "mst", "novemb", "octob", "pdt", "pm", "pst", "pt",
    "saturday", "septemb", "sunday", "thursday", "tuesday", "utc", "wednesday",
})
"""Stems of weekdays, months, time zones and am/pm."""


def _document_words(doc: Document) -> list[str]:
    from ..store.search_text import field_words

    return [w for words in field_words(doc) for w in words]


def _label_sets(doc: Document) -> dict[str, set[str]]:
    return {"cause": set(doc.causes), "service": set(doc.services), "tag": set(doc.tags)}


def _shared_labels(doc: Document, other: Document) -> list[Match]:
    out = []
    for field_name, mine, theirs in (("causes", doc.causes, other.causes),
                                     ("services", doc.services, other.services),
                                     ("tags", doc.tags, other.tags)):
        for value in mine:
            if value in theirs:
                out.append(Match(field_name, value, field_name, "shared"))
    return out


_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_WORD = re.compile(r"[^\W_]+(?:[-_./:'’][^\W_]+)*")


def snippet(doc: Document, stems: set[str], *, width: int = 220) -> str:
    """The passage of the document with the most matched words, marked ``**so**``."""
    from ..store.tokenize import stem as stem_of

    def hits(text: str) -> int:
        return len({stem_of(w.lower()) for w in _WORD.findall(text)} & stems)

    sentences = [s for s in _SENTENCE.split(" ".join(filter(None, [doc.summary, doc.text]))) if s]
    if not sentences:
        return ""
    best = max(sentences[:400], key=hits)
    if len(best) > width:
        first = next((m.start() for m in _WORD.finditer(best) if stem_of(m.group().lower()) in stems), 0)
        start = max(0, min(first - width // 3, len(best) - width))
        if start:
            space = best.find(" ", start)
            start = space + 1 if 0 <= space < first else start
        end = best.rfind(" ", start, start + width)
        end = end if end > first else start + width
        best = ("…" if start else "") + best[start:end].strip() + ("…" if end < len(best) else "")

    def mark(match: re.Match[str]) -> str:
        word = match.group()
        return f"**{word}**" if stem_of(word.lower()) in stems else word

    return _WORD.sub(mark, best)
