"""The narrative reader: the times of an incident told in sentences rather than in a timeline.

Status pages, cloud providers' reviews and blog posts say it in prose: "between 09:12 and
11:40 UTC", "from 06:48 to 10:16 Pacific Time", "our monitoring alerted the on-call
engineer at 09:18", "der Fehler wurde nach 25 Minuten … erkannt". Where neither a stated
duration nor the timeline gives the time to detect or to recover, the first span of
impact told in prose does: its two ends give the time to recover, and a sentence of
detection with a time of day (or a delay) in it the time to detect. Such numbers are
stated by the authors, so they are kept with the stated durations. The words are the
``[narrative]`` and ``[moments]`` of the language packs.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..blocks import Heading, LabelLine, Line, ListItem, Outline, Paragraph, strip_inline
from ..builder import DocumentBuilder
from ..lexicon import lexicon
from .stated import minutes_stated

_CLOCK = r"(?:\d{4}-\d{2}-\d{2}\s+)?(\d{1,2})[:.](\d{2})(?:\s*([ap])\.?m\.?)?(?![\d:])"
_WORDS = lexicon().narrative
_SPAN = re.compile(
    # "between 02:14 UTC and 05:03 UTC", "from 06:48 to 10:16", "began at 2023-03-08 06:48 and ended at …"
    rf"\b(?:{_WORDS.span_start})\s+{_CLOCK}(?:\s+(?-i:[A-Z][A-Za-z/]*))?\s+(?:{_WORDS.span_join})\s+{_CLOCK}",
    re.IGNORECASE,
)
_AT_CLOCK = re.compile(rf"\b(?:{lexicon().dates.at})\s+{_CLOCK}", re.IGNORECASE)
_DELAY = re.compile(
    rf"\b(?:{_WORDS.after})\s+(\d+\s*[^\W\d_]+(?:\s+\d+\s*[^\W\d_]+)?)|(?<!\d)(\d+\s*[^\W\d_]+)\s+(?:{_WORDS.after})\b",
    re.IGNORECASE,
)
_DIGIT = re.compile(r"\d")
_CLOCK_HINT = re.compile(r"\d[:.]\d\d")
"""In every clock time of `_CLOCK`: a sentence without it has no span and no time of day."""
_AFTER_DIGIT = re.compile(rf"(?:{_WORDS.after})\s+\d")
_DIGIT_AFTER = re.compile(rf"\d\s*[^\W\d_]+\s+(?:{_WORDS.after})\b", re.IGNORECASE)
"""The two halves of `_DELAY` without their groups and look-behind: both start with a cheap scan."""
_AFTER_WORDS = _WORDS.after_words
_AFTER_WORD_START = re.compile(rf"\b(?:{'|'.join(map(re.escape, _AFTER_WORDS))})") if _AFTER_WORDS else None
"""One of `_AFTER_WORDS` where a word starts, as in every match of `_DELAY`: the phrase starts
at ``\b`` or after blanks, and its word tested stands at the start of a word of it ("bout" of
French "au bout de", which the substring test also finds in every "about")."""
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+|\n")


def read_narrative(outline: Outline, doc: DocumentBuilder) -> None:
    """Times to detect and recover from the prose, where nothing else gives them."""
    moments = doc.timeline_moments
    wanted = [name for name, end in (("detect", "detected"), ("resolve", "resolved"))
              if name not in doc.stated_durations and not ("started" in moments and end in moments)]
    if not wanted and doc.kind_settled:
        return  # the span would only be a sign that the page is a post-mortem, and that is settled
    sentences = list(_sentences(outline))
    span = next((found for found in (_SPAN.search(sentence) for sentence in sentences
                                     if _CLOCK_HINT.search(sentence)) if found), None)
    if span is None:
        if "detect" in wanted:
            _detection(sentences, None, doc)
        return
    start, end = _minute(span, 1), _minute(span, 4)
    doc.signs.add("impact span")
    if "resolve" in wanted:
        doc.stated_durations["resolve"] = (end - start) % 1440
    if "detect" in wanted:
        _detection(sentences, start, doc)


def _detection(sentences: list[str], start: int | None, doc: DocumentBuilder) -> None:
    """The first sentence that tells of a detection, with its time of day or its delay."""
    words = lexicon().moments
    for sentence in sentences:
        # Cheap tests first: only a sentence with a delay or a clock time can give the
        # time to detect; the words of detection (every pack's, one long alternation) are
        # looked for only then.
        delay = _DELAY.search(sentence) if _may_tell_a_delay(sentence) else None
        at = _AT_CLOCK.search(sentence) if start is not None and _CLOCK_HINT.search(sentence) else None
        if (delay is None and at is None) or not words.detected.search(sentence) \
                or words.negated.search(sentence):
            continue
        stated = minutes_stated(delay.group(1) or delay.group(2)) if delay else None
        if stated is not None and not stated[1]:
            doc.stated_durations["detect"] = stated[0]
            return
        if at is not None and start is not None:
            minutes = (_minute(at, 1) - start) % 1440
            if minutes <= doc.stated_durations.get("resolve", 1440):
                doc.stated_durations["detect"] = minutes
            return


def _minute(match: re.Match[str], group: int) -> int:
    """Minutes after midnight of the clock time in groups ``group`` … ``group + 2``."""
    hour, minute, half = int(match.group(group)), int(match.group(group + 1)), (match.group(group + 2) or "").lower()
    if half == "p" and hour < 12:
        hour += 12
    elif half == "a" and hour == 12:
        hour = 0
    return hour * 60 + minute


def _may_tell_a_delay(text: str) -> bool:
    """False when `_DELAY` cannot match `text`; True when it may.

    `_DELAY` is two long alternations tried at every character. In text whose letters are
    ASCII, re's case-insensitive matching is plain lower case, and its halves, looser and
    without groups, are found by faster scans (one on the lower-cased text); other text is
    searched with `_DELAY` itself. Dashes, quotes and check marks have no case: an action
    item "… — owner: sre" is still read by the faster scans.
    """
    if not text.isascii() and any(character.isalpha() for run in _NON_ASCII.findall(text) for character in run):
        return _DELAY.search(text) is not None
    lowered = text.lower()
    if _AFTER_WORDS and not _starts_a_word(lowered, _AFTER_WORDS):
        return False  # none of the words either half needs stands at the start of a word
    return _AFTER_DIGIT.search(lowered) is not None or _DIGIT_AFTER.search(text) is not None


def _starts_a_word(lowered: str, words: tuple[str, ...]) -> bool:
    """Whether one of `words` stands where a word starts: `_AFTER_WORD_START`'s search, by `str.find`.

    A ``\\b`` before a letter is a character before it that is neither alphanumeric nor ``_``
    (re's word characters); most text has none of the words, and the rest one or two.
    """
    for word in words:
        at = lowered.find(word)
        while at != -1:
            if at == 0 or not (lowered[at - 1].isalnum() or lowered[at - 1] == "_"):
                return True
            at = lowered.find(word, at + 1)
    return False


def _sentences(outline: Outline) -> Iterator[str]:
    """The sentences that may tell a time or a delay, in order, from the prose outside the timeline.

    Only a sentence with a clock time or a word of "after" can (and a time or a delay has a
    digit): a block without them is passed over before its text is split into sentences.
    """
    for blocks in [outline.preamble, *(section.blocks for section in outline.sections if section.name != "timeline")]:
        for block in blocks:
            if isinstance(block, (Paragraph, Line)):
                if not _DIGIT.search(block.source):
                    continue
                text = strip_inline(block.source.replace("\n", " \n ")) if isinstance(block, Paragraph) \
                    else block.text
            elif isinstance(block, (ListItem, Heading)):
                text = block.text
            elif isinstance(block, LabelLine):
                text = f"{block.label}: {block.value}"
            else:
                continue
            if not _DIGIT.search(text):
                continue
            clock, delay = _CLOCK_HINT.search(text) is not None, _may_tell_a_delay(text)
            if clock or delay:
                yield from (part for part in _SENTENCE_END.split(text) if _DIGIT.search(part) and (
                    (clock and _CLOCK_HINT.search(part)) or (delay and _may_tell_a_delay(part))))
