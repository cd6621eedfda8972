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
from bisect import bisect_right
from functools import lru_cache

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
    text = " ".join(filter(None, [doc.summary, doc.text]))
    sentences = _sentences(text)
    if not sentences:
        return ""
    best = _best_sentence(text, sentences, stems)
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


def _sentences(text: str) -> list[tuple[int, str]]:
    """The first `MAX_SENTENCES` non-empty sentences, each with where it starts: the text cut
    at the spaces after ``.``, ``!`` and ``?``."""
    out: list[tuple[int, str]] = []
    start = 0
    for end in _SENTENCE_END.finditer(text):
        out.append((start, text[start:end.start() + 1]))  # never empty: it holds the full stop at least
        if len(out) == MAX_SENTENCES:
            return out
        start = end.end()
    if start < len(text):
        out.append((start, text[start:]))
    return out


def _best_sentence(text: str, sentences: list[tuple[int, str]], stems: set[str]) -> str:
    """The first sentence with the most distinct matched stems (the first one when none has any)."""
    best, most = sentences[0][1], 0
    stem_each = _STEMS.__getitem__
    for _, sentence in _candidates(text, sentences, stems):
        hits = len(set(map(stem_each, _WORD.findall(sentence))) & stems)
        if hits > most:
            best, most = sentence, hits
            if most == len(stems):
                break
    return best


def _candidates(text: str, sentences: list[tuple[int, str]], stems: set[str]) -> list[tuple[int, str]]:
    """The sentences that may hold a matched word: those in which a word starts with a needle."""
    # Python lowercases letter by letter, one letter for one, but for the capital sigma
    # (final or not depends on its neighbours) and the dotted capital I (two letters): only
    # then may a word of the lowercased text differ from the word lowercased alone.
    if not stems or len(stems) > MAX_NEEDLES or "Σ" in text or "İ" in text:
        return sentences
    last_start, last = sentences[-1]
    offsets = [start for start, _ in sentences]
    out: list[tuple[int, str]] = []
    needles, lowered, at = _needles(frozenset(stems)), text[:last_start + len(last)].lower(), 0
    # Needles start with a letter or digit, so a match is inside a sentence, never between
    # two; the next match looked for is after the sentence (the look-behind still sees before).
    while (match := needles.search(lowered, at)) is not None:
        sentence = sentences[bisect_right(offsets, match.start()) - 1]
        out.append(sentence)
        at = sentence[0] + len(sentence[1])
    return out


@lru_cache(maxsize=256)
def _needles(stems: frozenset[str]) -> re.Pattern[str]:
    """Where a word starts (no letter or digit before it) with the needle of one of the stems."""
    return re.compile(r"(?<![^\W_])(?:" + "|".join(sorted(map(re.escape, {needle(s) for s in stems}))) + ")")
