"""`similar()`: the documents most like a document or a text, scored 0–1.

60% of the score is text: the document's most distinctive stems, each scoring
another document by how well it matches that stem compared with the document
itself. 40% is the overlap of causes, services and tags, weighted by rarity.
"""

from __future__ import annotations

import heapq
import math
import re
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING, Any

from ..model import Document, Kind
from ..store.search_text import field_words
from ..store.tokenize import stem as stem_of
from ..store.tokenize import surface_words
from .filters import Filters, allowed
from .results import Match, SearchResult
from .scoring import WEIGHTS, Scorer, top
from .snippets import snippet
from .vocabulary import Vocabulary

if TYPE_CHECKING:
    from ..store.index import Index

LABEL_WEIGHTS = {"cause": 0.5, "service": 0.3, "tag": 0.2}
"""How much a shared cause, service or tag counts in `similar()`, before its rarity."""


class Similarity:
    """Similarity over the documents a `Scorer` scores."""

    def __init__(self, scorer: Scorer, vocabulary: Vocabulary) -> None:
        self.scorer = scorer
        self.vocabulary = vocabulary
        self.index = scorer.index
        self.conn = scorer.index.conn
        self._labels: dict[tuple[str, str], Any] | None = None
        self._label_mass: Any = None
        self._labelled: Any = None
        """Which documents name causes (those `neighbours` may return)."""
        self.suggest_causes: Callable[[Document], list[str]] | None = None
        """Set by the knowledge base: the causes suggested for a post-mortem that names none
        (`query.causes`), which then count in the label overlap as if it named them."""
        self.read: Callable[[Callable[[Index], list[Match]]], list[Match]] = lambda read: read(self.index)
        """How a result's reasons read the index when first asked for, after `similar()` returned
        (the `Searcher` passes its `Reader`: a damaged index is rebuilt and read again)."""

    def to_document(self, doc: Document, *, limit: int, filters: Filters) -> list[SearchResult]:
        """Documents like `doc` (indexed or not), most similar first, without `doc` itself."""
        key = self.index.key_of(doc.id)
        if key is None:
            weights = self._text_weights(_document_words(doc))
        else:
            weights = self._document_weights(key)
        labels = _label_sets(doc)
        suggested: list[str] = []
        if not doc.causes and doc.kind is Kind.POSTMORTEM and self.suggest_causes is not None:
            suggested = self.suggest_causes(doc)
            labels["cause"] = set(suggested)
        return self._similar(weights, doc, key, limit, filters, labels, suggested)

    def to_text(self, text: str, *, limit: int, filters: Filters) -> list[SearchResult]:
        """Documents like a free text (an alert, a description), most similar first."""
        return self._similar(self._text_weights(surface_words(text[:200_000])), None, None, limit, filters)

    def neighbours(self, doc: Document, *, exclude: int | None, limit: int) -> list[tuple[int, float]]:
        """(key, score) of the labelled documents most like `doc`, judged without its causes.

        What cause suggestions start from: the words (body, title, summary, services and
        tags, never the causes, which are what is being guessed) and the label overlap of
        services and tags. Only documents that name causes are returned, `exclude` never.
        """
        import numpy as np

        unlabelled = replace(doc, causes=[])
        weights = self._text_weights(_document_words(unlabelled))
        labels = _label_sets(unlabelled)
        sim = self._scores(weights, labels if any(labels.values()) else None, exclude)
        if self._labelled is None:
            self._labelled = np.zeros(self.scorer.size, dtype=bool)
            for (facet, _), keys in self._label_index().items():
                if facet == "cause":
                    self._labelled[keys] = True
        sim[~self._labelled] = 0.0
        return [(key, score) for score, key in top(sim, limit)]

    def _document_weights(self, key: int) -> dict[str, float]:
        weighted: dict[str, float] = {}
        for stem, tfs in self.index.terms(key).items():
            weighted[stem] = sum(w * tf for w, tf in zip(WEIGHTS, tfs, strict=True))
        return self._distinctive(weighted, indexed=True)

    def _text_weights(self, words: list[str]) -> dict[str, float]:
        weighted: dict[str, float] = {}
        for word in words:
            s = stem_of(word)
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
        n = self.scorer.n
        shareable: dict[str, float] = {}
        own_mass = 0.0
        for stem, tf in weighted.items():
            df = self.vocabulary.df(stem)
            # Very common words, clock times and calendar words say little about what an
            # incident was: two outages on a Monday in CEST are not alike for that.
            if (not df or (n >= 20 and df >= n * 0.5) or (stem.isdigit() and len(stem) < 3)
                    or stem in _CALENDAR or _CLOCK.match(stem)):
                continue
            score = (1 + math.log(tf)) * math.log(1 + n / df)
            if indexed and df == 1:
                own_mass += score
            else:
                shareable[stem] = score
        best = heapq.nlargest(top, shareable.items(), key=lambda item: item[1])
        total = sum(w for _, w in best) or 1.0
        scale = 1.0 - 0.5 * own_mass / (own_mass + sum(shareable.values()) or 1.0)
        return {stem: scale * w / total for stem, w in best}

    def _text_similarity(self, weights: dict[str, float], own_key: int | None) -> Any:
        import numpy as np

        # Each distinctive word contributes its weight times how well another document
        # matches it, relative to the document itself (or, for a text, to the best match):
        # the sum is 1 only for a document with all the same words as strongly.
        text = np.zeros(self.scorer.size)
        for stem, weight in weights.items():
            keys, scores = self.scorer.bm25(stem, 1.0)
            if not len(keys):
                continue
            ref = 0.0
            if own_key is not None:
                at = np.searchsorted(keys, own_key)
                if at < len(keys) and keys[at] == own_key:
                    ref = float(scores[at])
            ref = ref or float(scores.max())
            text[keys] += weight * np.minimum(scores / ref, 1.0)
        return np.minimum(text, 1.0)

    def _scores(self, weights: dict[str, float], labels: dict[str, set[str]] | None,
                own_key: int | None) -> Any:
        """Every document's similarity, 0–1: 60% words, 40% labels (when there are any)."""
        sim = self._text_similarity(weights, own_key)
        if labels and any(labels.values()):
            sim = 0.6 * sim + 0.4 * self._label_similarity(labels)
        if own_key is not None and own_key < self.scorer.size:
            sim[own_key] = 0.0
        sim[~self.scorer.exists] = 0.0
        return sim

    def _similar(self, weights: dict[str, float], doc: Document | None, own_key: int | None,
                 limit: int, filters: Filters, labels: dict[str, set[str]] | None = None,
                 suggested: list[str] | None = None) -> list[SearchResult]:
        if labels is None and doc is not None:
            labels = _label_sets(doc)
        sim = self._scores(weights, labels, own_key)
        mask = allowed(filters, self.scorer, self.conn)
        if mask is not None:
            sim[~mask] = 0.0
        sim[sim <= 0.01] = 0.0
        ranked = [(round(score, 4), key) for score, key in top(sim, limit)]
        docs = self.index.documents_by_key((key for _, key in ranked), with_terms=True)
        # The snippet and the reasons are made if they are read (the site's related incidents
        # read neither; a tool asking for ids reads no document's terms).
        return [SearchResult.deferred(docs[key].id, score, document=partial(_itself, docs[key]),
                                      snippet=partial(snippet, stems=set(weights)),
                                      why=partial(self._why, doc, docs[key], key, weights, suggested or []))
                for score, key in ranked]

    def _why(self, doc: Document | None, other: Document, key: int, weights: dict[str, float],
             suggested: list[str]) -> list[Match]:
        """What `other` shares with `doc`: labels, suggested causes, then its most distinctive words."""
        why = _shared_labels(doc, other) if doc is not None else []
        why += [Match("causes", cause, "causes", "suggested") for cause in suggested if cause in other.causes]
        return why + self.read(partial(self._shared_words, key=key, doc_id=other.id, weights=weights))

    def _label_similarity(self, mine: dict[str, set[str]]) -> Any:
        """Every document's label overlap with `mine`, 0–1: a Jaccard index in which each
        cause, service and tag weighs its facet's weight times its rarity (idf).

        Sharing a cause half the knowledge base has says less than sharing a rare tag, and
        a document's own unique labels count against it as its unique words do.
        """
        import numpy as np

        labels = self._label_index()
        shared = np.zeros(self.scorer.size)
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
        return LABEL_WEIGHTS.get(facet, 0.2) * math.log(1 + self.scorer.n / max(df, 1))

    def _label_index(self) -> dict[tuple[str, str], Any]:
        import numpy as np

        if self._labels is None:
            size = self.scorer.size
            grouped: dict[tuple[str, str], list[int]] = {}
            for key, facet, value in self.conn.execute("SELECT doc_key, field, value FROM labels"):
                if key < size:
                    grouped.setdefault((facet, value), []).append(key)
            self._labels = {k: np.array(v, dtype=np.int64) for k, v in grouped.items()}
            mass = np.zeros(size)
            for (facet, _), keys in self._labels.items():
                mass[keys] += self._label_weight(facet, len(keys))
            self._label_mass = mass
        return self._labels

    def _shared_words(self, index: Index, *, key: int, doc_id: str, weights: dict[str, float]) -> list[Match]:
        stems = sorted(weights, key=lambda s: -weights[s])[:12]
        if not stems:
            return []
        vocabulary = self.vocabulary
        if index is not self.index:  # rebuilt since (a damaged index): its keys were handed out anew
            found = index.key_of(doc_id)
            if found is None:
                return []
            key, vocabulary = found, Vocabulary(index.conn)
        present = set(stems) & index.terms(key).keys()
        words = vocabulary.display_words(present)
        return [Match(words[s], words[s], "text", "exact") for s in stems if s in present][:6]


_CLOCK = re.compile(r"^(?:\d{1,2}[:.h]\d{2}(?:[:.]\d{2})?|(?:19|20)\d{2})$")
"""``09:00`` (a time of day, kept whole as an identifier) or a year."""
_CALENDAR = frozenset({
    "aedt", "aest", "am", "april", "august", "bst", "cdt", "cest", "cet", "cst", "decemb", "edt",
    "eest", "eet", "est", "et", "februari", "friday", "gmt", "ist", "januari", "jst", "juli",
    "june", "march", "may", "mdt", "monday", "mst", "novemb", "octob", "pdt", "pm", "pst", "pt",
    "saturday", "septemb", "sunday", "thursday", "tuesday", "utc", "wednesday",
})
"""Stems of weekdays, months, time zones and am/pm."""


def _itself(doc: Document) -> Document:
    return doc


def _document_words(doc: Document) -> list[str]:
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
