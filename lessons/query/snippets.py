"""The passage of a document that best shows why it matched.

The passage is the first sentence (of the first 400) holding the most distinct matched
stems. Stemming every word of every sentence is what made reading results slow, so a
sentence is stemmed only if it can hold a matched word at all: every word whose Snowball
stem is `s` starts with `needle(s)`, so a sentence in which no word starts with a needle
scores nothing. The search also stops at the first sentence holding every stem (no later
sentence can beat it), and each word as written is stemmed once per process (`_STEMS`).
"""

from __future__ import annotations

import re

from ..model import Document
from ..store.tokenize import stem as stem_of

_SENTENCE_END = re.compile(r"[.!?]\s+")
_WORD = re.compile(r"[^\W_]+(?:[-_./:'’][^\W_]+)*")
MAX_SENTENCES = 400
"""Only the first sentences are looked at (a long body costs no more than a short one)."""
MAX_NEEDLES = 16
"""Beyond this many stems (a `similar()` result's), checking needles costs more than it saves."""
STEM_CHANGE = 3
"""How many trailing letters of a Snowball English stem may differ from its word's.

The algorithm only cuts or rewrites endings
(https://snowballstem.org/algorithms/english/stemmer.html): ``y`` becomes ``i``
(``happy``, ``happi``), ``-biliti`` becomes ``-ble`` (two letters differ), a short or
``-at``/``-bl``/``-iz`` stem gains an ``e`` (``hoping``, ``hope``), and of its exceptional
forms ``dying`` gives ``die`` (two). Three leaves a letter to spare; on the words of content/
and docs/ no stem differs in more than one (``tests/test_snippets.py`` checks them all).
"""


class _Stems(dict[str, str]):
    """The stem of each word as written, worked out once (snippets meet the same words again)."""

    def __missing__(self, word: str) -> str:
        if len(self) > MAX_REMEMBERED:
            self.clear()
        stemmed = self[word] = stem_of(word.lower())
        return stemmed


MAX_REMEMBERED = 200_000
"""Words whose stems `_STEMS` keeps (a few tens of MB at most), emptied when full."""
_STEMS = _Stems()


def needle(stem: str) -> str:
    """The start of every lowercased word with this stem."""
    if not stem.isalpha():
        return stem  # identifiers and numbers are their own stems
    return stem[:max(1, len(stem) - STEM_CHANGE)]


def snippet(doc: Document, stems: set[str], *, width: int = 220) -> str:
    """The passage of the document with the most matched words, marked ``**so**``."""
    sentences = _sentences(" ".join(filter(None, [doc.summary, doc.text])))
    if not sentences:
        return ""
    best = _best_sentence(sentences, stems)
    if len(best) > width:
        first = next((m.start() for m in _WORD.finditer(best) if _STEMS[m.group()] in stems), 0)
        start = max(0, min(first - width // 3, len(best) - width))
        if start:
            space = best.find(" ", start)
            start = space + 1 if 0 <= space < first else start
        end = best.rfind(" ", start, start + width)
        end = end if end > first else start + width
        best = ("…" if start else "") + best[start:end].strip() + ("…" if end < len(best) else "")

    def mark(match: re.Match[str]) -> str:
        word = match.group()
        return f"**{word}**" if _STEMS[word] in stems else word

    return _WORD.sub(mark, best)


def _sentences(text: str) -> list[str]:
    """The first `MAX_SENTENCES` non-empty sentences: the text cut at the spaces after ``.``, ``!``, ``?``."""
    out: list[str] = []
    start = 0
    for end in _SENTENCE_END.finditer(text):
        out.append(text[start:end.start() + 1])  # never empty: it holds the full stop at least
        if len(out) == MAX_SENTENCES:
            return out
        start = end.end()
    if start < len(text):
        out.append(text[start:])
    return out


def _best_sentence(sentences: list[str], stems: set[str]) -> str:
    """The first sentence with the most distinct matched stems (the first one when none has any)."""
    # A word starts where no letter or digit comes before it, and it starts with its needle.
    starts = re.compile(r"(?<![^\W_])(?:" + "|".join(sorted(map(re.escape, {needle(s) for s in stems}))) + ")") \
        if stems and len(stems) <= MAX_NEEDLES else None
    best, most = sentences[0], 0
    stem_each = _STEMS.__getitem__
    for sentence in sentences:
        # Python lowercases letter by letter, one letter for one, but for the capital sigma
        # (final or not depends on its neighbours) and the dotted capital I (two letters): only
        # then may a word of the lowercased sentence differ from the word lowercased alone.
        if starts is not None and "Σ" not in sentence and "İ" not in sentence \
                and starts.search(sentence.lower()) is None:
            continue
        hits = len(set(map(stem_each, _WORD.findall(sentence))) & stems)
        if hits > most:
            best, most = sentence, hits
            if most == len(stems):
                break
    return best
