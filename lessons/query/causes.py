"""Causes suggested from text: which taxonomy causes a description or an unlabelled post-mortem points to.

Three things vote, each 0–1, for every cause of the taxonomy:

- **neighbours** (weight `NEIGHBOURS`): the labelled post-mortems most like the text
  (`Similarity.neighbours`: words, services and tags, never causes); each cause gets the
  similarity of the neighbours that name it, as a share of theirs all together;
- **the taxonomy's words** (`WORDS`): the distinctive words the text shares with the cause's
  title, description and signals, weighted by how rare each is among the causes and in
  the knowledge base, relative to the best cause;
- **how common the cause is** among the labelled post-mortems (`PRIOR`): a tie-breaker
  when the text says little.

Deterministic and offline. `benchmarks/bench_causes.py` measures it (leave-one-out over
the labelled post-mortems) against always suggesting the most common causes.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from ..model import Document, Kind
from ..store.tokenize import stem as stem_of
from ..store.tokenize import surface_words
from .similarity import Similarity

NEIGHBOURS, WORDS, PRIOR = 0.6, 0.3, 0.1
"""How much each kind of evidence weighs in a suggestion's score."""
NEIGHBOUR_COUNT = 8
"""How many labelled post-mortems vote."""


@dataclass(frozen=True, slots=True)
class CauseProfile:
    """What the suggestions know of one cause: its id, title and the text that describes it."""

    id: str
    title: str
    text: str
    """The description and the signals of the cause (taxonomy.yml)."""


@dataclass(frozen=True, slots=True)
class CauseSuggestion:
    """One cause suggested for a text, with why."""

    cause: str
    """The cause id (``incomplete-testing``)."""
    title: str
    """The cause's title in the taxonomy."""
    score: float
    """0–1: comparable within one list of suggestions."""
    words: tuple[str, ...] = ()
    """Words the text shares with the cause's description and signals, most telling first."""
    incidents: tuple[str, ...] = ()
    """Ids of the most similar labelled post-mortems that name this cause, most similar first."""

    @property
    def reason(self) -> str:
        """Why, in one line: ``words: rollout, canary; like: 2019-07-02-cloudflare-waf-regex``."""
        parts = []
        if self.words:
            parts.append("words: " + ", ".join(self.words))
        if self.incidents:
            parts.append("like: " + ", ".join(self.incidents))
        return "; ".join(parts) or "a common cause"

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready dict."""
        return {"cause": self.cause, "title": self.title, "score": round(self.score, 4),
                "words": list(self.words), "incidents": list(self.incidents), "reason": self.reason}


class CauseSuggester:
    """Suggests causes over the documents a `Similarity` sees, from a taxonomy's profiles."""

    def __init__(self, similarity: Similarity, profiles: Sequence[CauseProfile]) -> None:
        self.similarity = similarity
        self.profiles = list(profiles)
        self._stems = [Counter(stem_of(w) for w in surface_words(f"{p.title} {p.title} {p.text}"))
                       for p in self.profiles]
        spread = Counter(s for stems in self._stems for s in stems)
        # A word in every cause's description ("change", "production") tells them apart not at all.
        self._rarity = {s: math.log(1 + len(self.profiles) / count) for s, count in spread.items()}

    def for_text(self, text: str, *, services: Iterable[str] = (), limit: int = 3,
                 exclude: str | None = None) -> list[CauseSuggestion]:
        """The causes a free text (a change or incident description) points to, best first.

        Args:
            text: the description.
            services: services it touches (they count in finding the neighbours).
            limit: at most this many.
            exclude: a document id to leave out of the neighbours and counts (leave-one-out).
        """
        doc = Document("<text>", "", Kind.POSTMORTEM, path=Path("<text>"), text=text[:200_000],
                       services=list(services))
        return self._suggest(doc, limit, exclude)

    def for_document(self, doc: Document, *, limit: int = 3) -> list[CauseSuggestion]:
        """The causes a post-mortem's words point to, best first (its own `causes:` ignored)."""
        return self._suggest(doc, limit, doc.id)

    def _suggest(self, doc: Document, limit: int, exclude: str | None) -> list[CauseSuggestion]:
        if not self.profiles or limit <= 0:
            return []
        doc = replace(doc, causes=[])
        key = self.similarity.index.key_of(exclude) if exclude else None
        votes, voters = self._neighbour_votes(doc, key)
        words = self._word_scores(doc)
        prior = self._prior(key)
        best_words = max((score for score, _ in words.values()), default=0.0) or 1.0
        suggestions = []
        for profile in self.profiles:
            score, shared = words.get(profile.id, (0.0, []))
            total = (NEIGHBOURS * votes.get(profile.id, 0.0) + WORDS * score / best_words
                     + PRIOR * prior.get(profile.id, 0.0))
            if total > 0:
                suggestions.append(CauseSuggestion(profile.id, profile.title, round(total, 4),
                                                   tuple(shared[:4]), tuple(voters.get(profile.id, [])[:3])))
        suggestions.sort(key=lambda s: (-s.score, s.cause))
        return suggestions[:limit]

    def _neighbour_votes(self, doc: Document, exclude: int | None) -> tuple[dict[str, float], dict[str, list[str]]]:
        found = self.similarity.neighbours(doc, exclude=exclude, limit=NEIGHBOUR_COUNT)
        docs = self.similarity.index.documents_by_key(key for key, _ in found)
        total = sum(score for _, score in found) or 1.0
        votes: dict[str, float] = {}
        voters: dict[str, list[str]] = {}
        for key, score in found:
            for cause in docs[key].causes:
                votes[cause] = votes.get(cause, 0.0) + score / total
                voters.setdefault(cause, []).append(docs[key].id)
        return votes, voters

    def _word_scores(self, doc: Document) -> dict[str, tuple[float, list[str]]]:
        text = " ".join([doc.title, doc.summary, doc.text])
        counts: Counter[str] = Counter()
        shown: dict[str, str] = {}
        for word in surface_words(text):
            s = stem_of(word)
            counts[s] += 1
            shown.setdefault(s, word)
        n = max(self.similarity.scorer.n, 1)
        vocabulary = self.similarity.vocabulary
        scores: dict[str, tuple[float, list[str]]] = {}
        for profile, stems in zip(self.profiles, self._stems, strict=True):
            contributions = []
            for s in stems.keys() & counts.keys():
                # Rare among the causes, rare in the knowledge base, and said more than once.
                weight = (self._rarity[s] * math.log(1 + n / (vocabulary.df(s) + 1))
                          * (1 + math.log(counts[s])))
                contributions.append((weight, s))
            if contributions:
                contributions.sort(key=lambda c: (-c[0], c[1]))
                scores[profile.id] = (sum(w for w, _ in contributions), [shown[s] for _, s in contributions])
        return scores

    def _prior(self, exclude: int | None) -> dict[str, float]:
        labelled: dict[int, list[str]] = {}
        for key, value in self.similarity.conn.execute(
                "SELECT doc_key, value FROM labels WHERE field = 'cause'"):
            if key != exclude:
                labelled.setdefault(key, []).append(value)
        counts = Counter(cause for causes in labelled.values() for cause in causes)
        total = max(len(labelled), 1)
        return {cause: count / total for cause, count in counts.items()}


def most_common_causes(documents: Iterable[Document], *, limit: int = 3) -> list[str]:
    """The causes the documents name most often, most first (ties by id): the baseline."""
    counts = Counter(cause for doc in documents for cause in doc.causes)
    return [cause for cause, _ in sorted(counts.items(), key=lambda c: (-c[1], c[0]))[:limit]]

