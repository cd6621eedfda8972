"""Typo expansion through the deletion dictionary finds exactly what a scan of the vocabulary finds.

The oracle below is the expansion as it was before the dictionary: every vocabulary
word of a length within reach compared with the query word (rapidfuzz, OSA distance).
Both run on one fixed vocabulary and one fixed list of query words: real words, every
kind of typo at one and two edits, swaps, words near nothing and words near many.
"""

from __future__ import annotations

import random
import re
import sqlite3

import pytest

from lessons.query.vocabulary import FUZZY_FACTOR, MAX_EXPANSIONS, Deletions, Term, Vocabulary
from lessons.store.tokenize import stem as stem_of

BASE = tuple(re.findall(r"\w+", "payment payments paymnet contactless contact contacts certificate "
        "certificates certified "
        "deployment deploy deployed deploys rollback rollbacks database databases latency latent "
        "patent potency failover failure failures failing batch patch match watch latch catch "
        "configuration configured configure reconfigured replication replica replicas primary "
        "promotion promotions kubernetes elasticsearch postgresql timeout timeouts deadlock deadlocks "
        "connection connections collection corrections exhausted exhaust exhausting scheduler schedule "
        "monitoring monitor monitored throttling throttled bottleneck capacity capacities"))


def vocabulary_words() -> list[str]:
    """The base words and, for many of them, near neighbours (so that queries meet many)."""
    rng = random.Random(3)
    words = set(BASE)
    for word in BASE:
        for _ in range(3):
            words.add(_edit(word, rng))
    return sorted(w for w in words if w.isalpha())


def _edit(word: str, rng: random.Random) -> str:
    i = rng.randrange(1, len(word))
    kind = rng.randrange(4)
    letter = rng.choice("abcdefghijklmnopqrstuvwxyz")
    if kind == 0:
        return word[:i] + letter + word[i + 1:]
    if kind == 1:
        return word[:i] + word[i + 1:]
    if kind == 2:
        return word[:i] + letter + word[i:]
    return word[:i - 1] + word[i] + word[i - 1] + word[i + 1:]


def query_words() -> list[str]:
    rng = random.Random(5)
    out = ["zzzzzzz", "qqqqqqqqqqqq", "paymnets", "contactles", "certifcate", "kubernets", "dtabase",
           "abcde", "xyzzyplugh"]
    for word in BASE:
        once = _edit(word, rng)
        out += [once, _edit(once, rng), _edit(_edit(once, rng), rng)]
    return [w for w in out if len(w) >= 5]


def connect(words: list[str]) -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE words (word TEXT PRIMARY KEY, stem TEXT)")
    conn.execute("CREATE TABLE stems (stem TEXT PRIMARY KEY, df INTEGER)")
    conn.executemany("INSERT INTO words VALUES (?, ?)", [(w, stem_of(w)) for w in words])
    stems = sorted({stem_of(w) for w in words})
    # Document frequencies that differ, and some stems in no document any more (df 0).
    conn.executemany("INSERT INTO stems VALUES (?, ?)", [(s, (sum(map(ord, s)) % 40)) for s in stems])
    return conn


def oracle(vocabulary: Vocabulary, word: str) -> list[Term]:
    """The expansion before the deletion dictionary: a scan of the lengths within reach."""
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    max_edits = 2 if len(word) >= 9 else 1
    vocab = vocabulary._words_by_length()
    choices = [w for n in range(len(word) - max_edits, len(word) + max_edits + 1) for w in vocab.get(n, ())]
    found = process.extract(word, choices, scorer=OSA.distance, score_cutoff=max_edits, limit=None)
    candidates = []
    for candidate, distance, _ in found:
        candidate_stem = vocabulary._word_stem.get(candidate) or stem_of(candidate)
        candidates.append((int(distance), -vocabulary.df(candidate_stem), candidate, candidate_stem))
    best: dict[str, Term] = {}
    for distance, negative_df, candidate, candidate_stem in sorted(candidates):
        if candidate_stem not in best and negative_df:
            best[candidate_stem] = Term(word, candidate_stem, candidate, "fuzzy", FUZZY_FACTOR[distance])
    return list(best.values())[:MAX_EXPANSIONS]


def test_expansion_through_the_dictionary_equals_the_scan_of_the_vocabulary():
    words = vocabulary_words()
    vocabulary = Vocabulary(connect(words))
    # `expand` looks for typo matches of the words whose own stem no document has.
    queries = [q for q in query_words() if not vocabulary.df(stem_of(q))]
    assert len(words) > 200 and len(queries) > 150
    expected = {q: oracle(vocabulary, q) for q in queries}
    assert sum(1 for terms in expected.values() if len(terms) > 1) > 20, "too few queries near many words"
    assert any(t.factor == FUZZY_FACTOR[2] for terms in expected.values() for t in terms)
    first = {q: vocabulary._fuzzy(q) for q in queries}  # a length's first query scans it
    assert vocabulary._deletions, "no length was asked twice: the dictionary was never used"
    again = {q: vocabulary._fuzzy(q) for q in queries}  # now every length has its dictionary
    assert first == expected
    assert again == expected


@pytest.mark.parametrize("edits", [1, 2])
def test_the_dictionary_finds_every_word_within_the_edit_limit_and_no_other(edits):
    from rapidfuzz.distance import OSA

    words = vocabulary_words()
    for query in query_words():
        group = [w for w in words if abs(len(w) - len(query)) <= edits]
        expected = sorted((w, OSA.distance(query, w)) for w in group if OSA.distance(query, w) <= edits)
        assert sorted(Deletions(group, edits).near(query)) == expected, query
