"""The passage of a document that best shows why it matched."""

from __future__ import annotations

import re

from ..model import Document
from ..store.tokenize import stem as stem_of

_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_WORD = re.compile(r"[^\W_]+(?:[-_./:'’][^\W_]+)*")


def snippet(doc: Document, stems: set[str], *, width: int = 220) -> str:
    """The passage of the document with the most matched words, marked ``**so**``."""

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
