"""The shortcuts that make snippets cheap never change which passage is shown.

A sentence is skipped unless a word in it starts with a stem's `needle`; the sentences are
cut by a scan for full stops rather than a look-behind split; the search stops at the first
sentence holding every stem. Each is checked here against what it replaces.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

import lessons
from lessons.fieldspec import Kind
from lessons.model import Document
from lessons.query.snippets import _WORD, MAX_SENTENCES, _sentences, needle, snippet
from lessons.store.tokenize import stem as stem_of

ROOT = Path(__file__).resolve().parent.parent
SNOWBALL_CHANGES = ["dying", "lying", "tying", "skies", "skis", "idly", "gently", "ugly", "early", "only",
                    "singly", "happy", "relational", "possibility", "possibly", "sensibility", "luxuriating",
                    "hoping", "generously", "hopefulness", "conditional", "valency", "digitizer",
                    "normalization", "operator", "feudalism", "decisiveness", "analogies", "Payments"]


def _words() -> set[str]:
    """Every word of content/ and docs/, and the words Snowball rewrites most."""
    words = set(SNOWBALL_CHANGES)
    for path in [*(ROOT / "content").rglob("*.md"), *(ROOT / "docs").rglob("*.md")]:
        words.update(_WORD.findall(path.read_text(encoding="utf-8")))
    return words


def test_every_word_starts_with_the_needle_of_its_stem() -> None:
    words = _words()
    assert len(words) > 5000
    missed = [(w, stem_of(w.lower())) for w in words if not w.lower().startswith(needle(stem_of(w.lower())))]
    assert missed == []


def _doc(text: str, summary: str = "") -> Document:
    return Document(id="x", title="X", kind=Kind.POSTMORTEM, path=Path("x.md"), date=date(2024, 1, 1),
                    summary=summary, text=text)


def _slow(doc: Document, stems: set[str]) -> str:
    """The passage chosen the way it was before the shortcuts: every sentence stemmed."""
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", " ".join(filter(None, [doc.summary, doc.text]))) if s]
    return max(sentences[:400], key=lambda s: len({stem_of(w.lower()) for w in _WORD.findall(s)} & stems)) \
        if sentences else ""


@pytest.mark.parametrize("text", ["a.. b", "a. . b", " . x", "x.\n\n y!? z", ". ", "", "a.  ", "...   ...",
                                  "  lead. Then more", "One. " * (MAX_SENTENCES + 5)])
def test_sentences_are_cut_as_the_look_behind_split_cut_them(text: str) -> None:
    assert all(text[start:start + len(sentence)] == sentence for start, sentence in _sentences(text))
    expected = [s for s in re.split(r"(?<=[.!?])\s+", text) if s][:MAX_SENTENCES]
    assert [sentence for _, sentence in _sentences(text)] == expected


@pytest.mark.parametrize(("text", "query"), [
    # The word is only found through its stem: the stem is not a piece of the word.
    ("The cluster was fine. Nobody saw the disk. Two replicas were dying at once.", "died"),
    ("Skies were clear. The skis broke.", "sky"),
    # The first sentence with every stem wins, even when a later one has them too.
    ("Payments failed. Card payments failed at checkout. Payments failed at checkout again.",
     "payments checkout"),
    # Letters that lowercase by context or into two letters: such a sentence is always stemmed.
    ("ΟΔΟΣ ΠΑΡΑΔΟΣΗΣ failed. The deploy failed.", "οδος"),
    ("İstanbul region lost power. Other regions were fine.", "i̇stanbul"),
    # Identifiers are their own stems, marked whole.
    ("Calls to us-east-1 timed out. HTTP 503 from s3.", "us-east-1 503"),
    ("Nothing matches here. Nor here.", "zebra"),
])
def test_the_passage_is_the_one_every_sentence_stemmed_would_pick(text: str, query: str) -> None:
    doc = _doc(text)
    stems = {stem_of(w.lower()) for w in _WORD.findall(query)}
    chosen = snippet(doc, stems).replace("**", "")
    assert chosen == _slow(doc, stems)


def test_snippets_on_content_match_the_passages_of_every_sentence_stemmed() -> None:
    kb = lessons.load(ROOT / "content", index=":memory:")
    queries = ["payments declined", "certificate expired", "database deleted backup", "dns", "regex cpu",
               "leap second", "migration customers locked out", "config push outage"]
    for doc in kb.documents():
        for query in queries:
            stems = {stem_of(w.lower()) for w in _WORD.findall(query)}
            passage = _slow(doc, stems)
            shown = snippet(doc, stems, width=10**6).replace("**", "")
            assert shown == passage, (doc.id, query)
