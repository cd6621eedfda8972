"""The indexed vocabulary, and what a query word stands for in it.

A query word that is not in the vocabulary is matched to the vocabulary words within
one edit (five letters or more) or two edits (nine or more), as Meilisearch and
Typesense do, and scores a little below an exact match. Words with digits (``503``,
``s3``, ``ora-00060``) only match exactly. The last query word may also match as a
prefix, so a search box can search as the user types.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..store.tokenize import is_identifier
from ..store.tokenize import stem as stem_of

if TYPE_CHECKING:
    from ..store.backends import Connection

FUZZY_FACTOR = {1: 0.8, 2: 0.6}
"""A typo match scores this much of an exact one, by edit distance."""
PREFIX_FACTOR = 0.7
MAX_EXPANSIONS = 8
"""How many vocabulary words one typo'd or partial query word may stand for."""


@dataclass(slots=True)
class Term:
    """One vocabulary word a query word stands for, and how much a match on it counts."""

    query: str
    """The query word as typed."""
    stem: str
    word: str
    """The vocabulary word it matched."""
    how: str
    """``exact``, ``fuzzy`` or ``prefix``."""
    factor: float
    """The share of an exact match's score a match on this word gets."""


class Vocabulary:
    """The words and stems of one index with their document frequencies, read on demand."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self._vocab: dict[int, list[str]] | None = None
        self._word_stem: dict[str, str] = {}
        self._df_cache: dict[str, int] = {}
        self._deletions: dict[tuple[int, int], Deletions] = {}
        """Deletion dictionaries by (word length, edits), made for groups asked more than once."""
        self._asked: dict[tuple[int, int], int] = {}

    def df(self, stem: str) -> int:
        """In how many documents a stem occurs (0 for a stem the index does not have)."""
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

    def expand(self, word: str, *, prefix: bool = False) -> list[Term]:
        """The vocabulary terms a query word stands for: itself, typo matches, completions."""
        terms: list[Term] = []
        exact = stem_of(word)
        if self.df(exact):
            terms.append(Term(word, exact, word, "exact", 1.0))
        elif not is_identifier(word) and len(word) >= 5:
            terms.extend(self._fuzzy(word))
        if prefix and len(word) >= 2:
            seen = {t.stem for t in terms}
            completions = self.conn.execute(
                "SELECT w.word, w.stem, s.df FROM words w JOIN stems s ON s.stem = w.stem "
                "WHERE w.word > ? AND w.word < ? ORDER BY s.df DESC, w.word LIMIT 40",
                (word, word + "\U0010ffff")).fetchall()
            for full, full_stem, _ in completions:
                if full_stem not in seen and len(seen) < MAX_EXPANSIONS + 1:
                    seen.add(full_stem)
                    terms.append(Term(word, full_stem, full, "prefix", PREFIX_FACTOR))
        return terms

    def _fuzzy(self, word: str) -> list[Term]:
        max_edits = 2 if len(word) >= 9 else 1
        candidates = []
        for candidate, distance in self._near(word, max_edits):
            candidate_stem = self._word_stem.get(candidate) or stem_of(candidate)
            candidates.append((distance, -self.df(candidate_stem), candidate, candidate_stem))
        best: dict[str, Term] = {}
        for distance, negative_df, candidate, candidate_stem in sorted(candidates):
            if candidate_stem not in best and negative_df:
                best[candidate_stem] = Term(word, candidate_stem, candidate, "fuzzy",
                                            FUZZY_FACTOR[distance])
        return list(best.values())[:MAX_EXPANSIONS]

    def _near(self, word: str, max_edits: int) -> list[tuple[str, int]]:
        """The vocabulary words within `max_edits` (OSA distance) of `word`, with their distance.

        Words are grouped by length, and a query only looks at the lengths within reach.
        The first time a group is asked, it is compared word by word (rapidfuzz, in C): a
        command that searches once pays nothing more. From the second time, the group's
        deletion dictionary answers instead (see `Deletions`), without comparing the query
        with every word of the group.
        """
        from rapidfuzz import process
        from rapidfuzz.distance import OSA

        vocab = self._words_by_length()
        found: list[tuple[str, int]] = []
        for length in range(len(word) - max_edits, len(word) + max_edits + 1):
            group = vocab.get(length)
            if not group:
                continue
            key = (length, max_edits)
            index = self._deletions.get(key)
            if index is None and self._asked.get(key, 0) >= 1:
                index = self._deletions[key] = Deletions(group, max_edits)
            if index is not None:
                found.extend(index.near(word))
                continue
            self._asked[key] = self._asked.get(key, 0) + 1
            # OSA distance counts a swap of two neighbouring letters ("paymnets") as one edit.
            found.extend((candidate, int(distance)) for candidate, distance, _ in process.extract(
                word, group, scorer=OSA.distance, score_cutoff=max_edits, limit=None))
        return found

    def display_words(self, stems: set[str]) -> dict[str, str]:
        """A readable word for each stem: the shortest indexed word with that stem."""
        if not stems:
            return {}
        marks = ",".join("?" * len(stems))
        shown: dict[str, str] = {}
        for word, s in self.conn.execute(
                f"SELECT word, stem FROM words WHERE stem IN ({marks}) ORDER BY length(word), word",
                sorted(stems)):
            shown.setdefault(s, word)
        return {s: shown.get(s, s) for s in stems}


class Deletions:
    """A deletion dictionary (as in SymSpell) of words of one length, for a fixed edit limit.

    Two words within k edits (OSA distance: substitutions, insertions, deletions and
    swaps of neighbours) become the same string when at most k letters are deleted from
    each: a substitution or a swap costs one deletion on each side, an insertion one on
    one side. So every word is filed under each string its deletions of up to k letters
    leave; a query's own deletions then name every word within k edits (and some more,
    which the exact distance removes) with a few dictionary look-ups, however large the
    vocabulary.
    """

    def __init__(self, words: list[str], max_edits: int) -> None:
        self.max_edits = max_edits
        self.by_variant: dict[str, list[str]] = {}
        for word in words:
            for variant in _deletions(word, max_edits):
                self.by_variant.setdefault(variant, []).append(word)

    def near(self, word: str) -> list[tuple[str, int]]:
        """The words within the edit limit of `word`, each once, with their distance."""
        from rapidfuzz.distance import OSA

        seen: set[str] = set()
        out = []
        cutoff = self.max_edits
        for variant in _deletions(word, cutoff):
            for candidate in self.by_variant.get(variant, ()):
                if candidate not in seen:
                    seen.add(candidate)
                    distance = OSA.distance(word, candidate, score_cutoff=cutoff)
                    if distance <= cutoff:
                        out.append((candidate, int(distance)))
        return out


def _deletions(word: str, depth: int) -> set[str]:
    """`word` and every string left by deleting up to `depth` of its letters."""
    found = {word}
    frontier = {word}
    for _ in range(depth):
        frontier = {v[:i] + v[i + 1:] for v in frontier for i in range(len(v))}
        found |= frontier
    return found
