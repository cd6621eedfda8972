"""The timeline reader: the entries of Timeline sections, each with its time when it can be read.

An entry is a list item, a table row, or a paragraph line that starts with a time. A
paragraph without a time of day may set what follows: a day ("2024-03-16 (all times
UTC)", "### Thursday 22 February"), a zone ("All times are CEST."), or what ``T+0``
stands for. How one time is read is `parsing.timeline`'s business.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timezone, tzinfo
from functools import lru_cache

from ...model import TimelineEvent, shifted
from ..blocks import Heading, Line, ListItem, Outline, Paragraph, Row, SectionBlocks, Table, strip_inline
from ..builder import DocumentBuilder
from ..lexicon import lexicon
from ..timeline import Stamp, has_clock_time, read_offset, read_stamp, zone_named_in


@dataclass(slots=True)
class _Entry:
    """One thing in a Timeline section that may be an event."""

    section: SectionBlocks
    text: str
    line: int
    paragraph: bool = False
    """Written as a paragraph or a heading, not as a list item: it may set the day or the zone."""
    depth: int = 0
    """The list depth of an item: nested items without a time are notes on the one above."""
    row: Row | None = None
    header: Row | None = None


def read_timeline(outline: Outline, doc: DocumentBuilder) -> None:
    """The timeline's events, in the order written; times in UTC."""
    reading = _Reading(doc.date, doc.fields.values.get("started"))
    for entry in _oldest_first(_entries(outline)):
        reading.read(entry)
    doc.timeline = sorted(reading.events, key=lambda event: event.line)


def _entries(outline: Outline) -> list[_Entry]:
    entries: list[_Entry] = []
    for section in outline.sections:
        if section.name != "timeline":
            continue
        for block in section.blocks:
            if isinstance(block, Heading):
                entries.append(_Entry(section, block.text, block.line, paragraph=True))
            elif isinstance(block, Paragraph):
                entries.extend(_paragraph_entries(section, block))
            elif isinstance(block, Line):
                entries.append(_Entry(section, block.source, block.line, paragraph=True))
            elif isinstance(block, ListItem):
                entries.append(_Entry(section, block.source, block.line, depth=block.depth))
            elif isinstance(block, Table):
                entries.extend(_Entry(section, "", row.line, row=row, header=block.header) for row in block.rows)
    return entries


def _paragraph_entries(section: SectionBlocks, block: Paragraph) -> list[_Entry]:
    lines = block.source.split("\n")

    def timed(text: str) -> bool:
        stamp = read_stamp(text, previous=None, default_date=None, zone=None)
        return stamp.at is not None or has_clock_time(stamp.text) or read_offset(text) is not None

    if len(lines) > 1 and sum(1 for text in lines if timed(text)) >= 2:
        # One entry per line ("2:00am – Weekly sync starts"), no list markers.
        return [_Entry(section, text, block.line + number, paragraph=number == 0, depth=0 if number == 0 else 1)
                for number, text in enumerate(lines)]
    return [_Entry(section, block.source, block.line, paragraph=True)]


def _oldest_first(entries: list[_Entry]) -> list[_Entry]:
    """The timeline's entries, oldest first.

    A timeline pasted from a status page is often newest first (11:04, 10:48, 10:35):
    read in the order written, each entry would look a day later than the one before.
    """
    events = [entry for entry in entries if not entry.paragraph or entry.row is not None]
    if len(events) < 3:
        return entries
    later = None
    for entry in events:
        # Every event must have a clock, each earlier than the one before: the first that has
        # none, or is not earlier, settles it (most timelines at their second entry).
        clock = _clock_of(entry.row.cells[0] if entry.row and entry.row.cells else entry.text)
        if clock is None or (later is not None and later <= clock):
            return entries
        later = clock
    reordered = set(map(id, events))
    return [entry for entry in entries if id(entry) not in reordered] + events[::-1]


class _Reading:
    """What the entries read so far say about the ones to come: day, zone, last time, T+0."""

    def __init__(self, day: date | None, started: datetime | None) -> None:
        self.events: list[TimelineEvent] = []
        self.day = day
        self.previous: datetime | None = None
        self.day_zone: tzinfo | None = None
        """A zone a paragraph named ("All times CEST"): it holds for every entry after it."""
        self.written_zone: tzinfo | None = None
        """The zone written on an entry ("10:00 CET"): it holds until another is written."""
        self.zero = started
        """What "T+0" stands for in "T+4m — alert fires"."""

    def read(self, entry: _Entry) -> None:
        zone = self.day_zone or zone_named_in(entry.section.heading) or self.written_zone
        if entry.row is None and self._offset(entry, zone):
            return
        if entry.paragraph and self._sets_the_scene(entry, zone):
            return
        if entry.row is not None:
            if not entry.row.cells:
                return
            stamp, text, time_text = self._row(entry.row, entry.header, zone)
        else:
            stamp = read_stamp(entry.text, previous=self.previous, default_date=self.day, zone=zone)
            if entry.depth > 1 and stamp.at is None:
                return
            text, time_text = stamp.rest, stamp.text
        if stamp.at is not None and not has_clock_time(stamp.text):
            # "2021-03-31" in a CET timeline is that day, not 23:00 UTC the day before.
            # (None where that zone's day is past the calendar: 0001-01-01T00:00Z in New York.)
            local = shifted(stamp.at, zone=stamp.zone or zone)
            stamp.at = datetime.combine(local.date(), time(0), timezone.utc) if local is not None else None
        if stamp.at is not None:
            self.previous = stamp.at
            if stamp.zone is not None and self.day_zone is None:
                self.written_zone = stamp.zone
        self.events.append(TimelineEvent(strip_inline(text), entry.line, stamp.at, time_text))

    def _offset(self, entry: _Entry, zone: tzinfo | None) -> bool:
        """``T+0 = 10:00 UTC`` defines the start; ``T+4m — alert fires`` is an event after it."""
        # "T+0" has a "t" and a 0 with only blanks or "+" between: a cheap scan before the real one.
        text = entry.text
        defined = _T_ZERO.search(text) if "0" in text and _T_ZERO_HINT.search(text) else None
        if defined:
            stamp = read_stamp(defined.group(1), previous=None, default_date=self.day, zone=zone)
            self.zero = stamp.at or self.zero
        offset = read_offset(entry.text)
        if offset is None or (entry.paragraph and defined):
            return False
        moment = shifted(self.zero, offset.delta)  # None past year 9999 or for T+1000000000d
        self.events.append(TimelineEvent(strip_inline(offset.rest), entry.line, moment, offset.text))
        self.previous = moment or self.previous
        return True

    def _sets_the_scene(self, entry: _Entry, zone: tzinfo | None) -> bool:
        """A paragraph without a time of day: the day or zone of what follows, or nothing at all.

        "2015-10-21 (all times UTC)" sets the day (and zone) of the entries after it; "All
        times are CEST." the zone. A paragraph that starts with a time is an entry
        ("2:00am – Sync starts"): False.
        """
        stamp = read_stamp(entry.text, previous=None, default_date=self.day, zone=zone)
        if stamp.at is not None and not has_clock_time(stamp.text) and len(stamp.rest) <= 40:
            self.day, self.previous = stamp.at.date(), None
            self.day_zone = zone_named_in(entry.text) or self.day_zone
            return True
        if has_clock_time(stamp.text):
            return False
        if _ZONE_SENTENCE.search(entry.text):
            self.day_zone = zone_named_in(entry.text) or self.day_zone
        return True

    def _row(self, row: Row, header_row: Row | None, zone: tzinfo | None) -> tuple[Stamp, str, str]:
        """A table row's time (from its time column, or Date and Time columns) and the rest of it."""
        header = header_row.cells if header_row else []
        if header:
            zone = zone_named_in(" ".join(header[:2])) or zone
        date_at, time_at, counters = _header_columns(tuple(header))
        at_column = sorted(i for i in (date_at, time_at) if i is not None and i < len(row.cells)) or [0]
        first = " ".join(row.cells[i] for i in at_column)
        rest = " ".join(cell for i, cell in enumerate(row.cells)
                        if i not in at_column and cell.strip() and i not in counters)
        stamp = read_stamp(first, previous=self.previous, default_date=self.day, zone=zone)
        text = " ".join(part for part in (stamp.rest if stamp.at else first, rest) if part)
        return stamp, text, stamp.text if stamp.at else ""


_ZONE_SENTENCE = lexicon().zones.sentence
"""``All times CEST.``, ``All times are in Pacific Time (PT)``, ``Timezone: UTC+2``."""
_T_ZERO = re.compile(r"\bT\s*(?:\+\s*)?0\s*(?:=|is\b|:)\s*(.+)", re.IGNORECASE)
"""``(T+0 = 10:00 UTC)``: what the offsets of a relative timeline count from."""
_T_ZERO_HINT = re.compile(r"[Tt][\s+]*0")
"""In every match of `_T_ZERO`; without IGNORECASE and alternations, a faster scan."""
_CLOCK_START = re.compile(r"^[\s*_`\[]*(\d{4}-\d{2}-\d{2}[ T])?(\d{1,2})[:.h](\d{2})\b")


def _clock_of(text: str) -> str | None:
    """``2024-08-03 11:04`` or ``11:04`` at the start of an entry, comparable as text."""
    match = _CLOCK_START.match(text)
    if not match:
        return None
    return f"{match.group(1) or ''}{int(match.group(2)):02d}:{match.group(3)}"


_WORDS = lexicon().timeline
"""The column names of timeline tables, in every language pack."""


@lru_cache(maxsize=256)
def _header_columns(header: tuple[str, ...]) -> tuple[int | None, int | None, frozenset[int]]:
    """A timeline table's Date column, Time column and counter columns, read once per header."""
    words = _WORDS
    names = [strip_inline(h).strip().lower() for h in header]
    date_at = next((i for i, n in enumerate(names) if n in words.date_columns), None)
    time_at = next((i for i, n in enumerate(names) if n.startswith(words.time_columns)), None)
    return date_at, time_at, frozenset(i for i, n in enumerate(names) if n in words.counter_columns)
