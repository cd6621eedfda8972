"""The stated durations reader: "Time to detection: 8 minutes", written anywhere in the document.

Many teams close a post-mortem with its numbers (a "Stats" list, a key-value table at the
top, a Question | Answer table). A number the authors worked out wins over the guess the
timeline allows (`readers.durations`), except an approximate one ("~2 days", "ca. 3
Stunden") when the timeline gives the minute. "???", "N/A" and "TBD" are no value. The
labels and units are the ``[durations]`` of the language packs.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta

from ..blocks import Block, LabelLine, Line, ListItem, Outline, Paragraph, Table, strip_inline
from ..builder import DocumentBuilder
from ..lexicon import alias_form, lexicon

_AMOUNT = re.compile(r"(\d+(?:[.,]\d+)?)\s*([^\W\d_]+)?\.?", re.UNICODE)
_DIGIT = re.compile(r"\d")
_APPROXIMATE_SIGNS = ("~", "≈", "<", ">", "+/-")


def read_stated_durations(outline: Outline, doc: DocumentBuilder) -> None:
    """``doc.stated_durations``: minutes by ``detect`` and ``resolve``, the first statement of each."""
    words = lexicon().durations
    moments = doc.timeline_moments
    for label, value in _pairs(outline):
        if not _DIGIT.search(value):
            continue  # every duration is written with a number; look the label up only then
        name = words.labels.get(alias_form(label))
        if name is None or name in doc.stated_durations:
            continue
        read = minutes_stated(value, minutes_only=_names_minutes(label))
        if read is None:
            continue
        minutes, approximate = read
        end = "detected" if name == "detect" else "resolved"
        if approximate and "started" in moments and end in moments:
            continue  # "~2 days" gives way to the minute the timeline gives
        doc.stated_durations[name] = minutes


def minutes_stated(value: str, *, minutes_only: bool = False) -> tuple[int, bool] | None:
    """``"1 Std. 10 Min."`` -> (70, False); ``"~2 days"`` -> (2880, True); None for "???", "N/A", prose.

    A bare number is read only where the label says it counts minutes ("Minutes downtime: 42").
    """
    words = lexicon().durations
    text = value.strip().lower()
    approximate = text.startswith(_APPROXIMATE_SIGNS)
    text = text.lstrip("~≈<>+/- ")
    first = re.match(r"[^\W\d_]+\.?\s*", text)
    if first and alias_form(first.group(0)) in words.approximate:
        approximate, text = True, text[first.end():]
    total, at = 0.0, 0
    while True:
        amount = _AMOUNT.match(text, at)
        if amount is None:
            break
        unit = alias_form(amount.group(2) or "")
        if unit and unit not in words.units:
            return None  # "3 services", "12 alerts": not a duration
        if not unit and not (minutes_only and at == 0):
            break
        total += float(amount.group(1).replace(",", ".")) * (words.units[unit] if unit else 1)
        at = amount.end()
        while at < len(text) and text[at] in " ,":
            at += 1
        if not unit:
            break
    if at == 0 or not total <= _MOST_MINUTES:
        return None  # nothing read; or more minutes than a time can span (inf for 400 digits)
    return round(total), approximate


_MOST_MINUTES = timedelta.max // timedelta(minutes=1)
"""The longest duration Python holds, in minutes: every stated number is one of these."""


def _names_minutes(label: str) -> bool:
    units = lexicon().durations.units
    return any(units.get(word) == 1 and len(word) > 3 for word in alias_form(label).split())


def _pairs(outline: Outline) -> Iterator[tuple[str, str]]:
    """Every ``label: value`` of the document that has a digit: label lines, list items, lines, two-column rows.

    A paragraph, item or line written without a digit and a colon has no such pair: it is
    passed over before its lines are made plain.
    """
    for blocks in [outline.preamble, *(section.blocks for section in outline.sections)]:
        for block in blocks:
            if isinstance(block, (ListItem, Line, Paragraph)):
                # A list item's text is read (entities decoded: "&#58;" is a colon), the others' source.
                written = block.text if isinstance(block, ListItem) else block.source
                if ":" not in written or not _DIGIT.search(written):
                    continue
            yield from _block_pairs(block)


def _block_pairs(block: Block) -> Iterator[tuple[str, str]]:
    if isinstance(block, LabelLine):
        yield block.label, block.value
    elif isinstance(block, Table):
        for row in block.rows:
            if len(row.texts) >= 2:
                yield row.texts[0], row.texts[1]
    elif isinstance(block, (ListItem, Line, Paragraph)):
        for line in [strip_inline(part) for part in block.source.split("\n") if ":" in part] \
                if isinstance(block, Paragraph) else [block.text]:
            label, colon, value = line.partition(":")
            if colon and len(label) <= 80:
                yield label, value
