"""Reading the time at the start of a timeline entry.

Timelines are written by hand under pressure, so many shapes are accepted:
``2024-03-16 02:00``, ``2024-03-16T02:00Z``, ``Mar 16, 02:00 PST``,
``16 March 2024 14:05``, ``**07:00**``, ``7:05 pm``, ``[14:45]``, ``14:05–14:20``. A
time without a date takes the date of the entry before it (rolling over midnight when
the clock goes backwards), else the document's date. Times without a zone are UTC
unless the section heading, the table header or a sentence ("All times are CEST")
names one, or an earlier entry was written with one ("10:00 CET").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from functools import lru_cache

from ..model import shifted
from .dates import JOINER, MONTH_NAME, MONTHS, ORDINAL, WEEKDAY, offset_zone
from .lexicon import lexicon

# Zone abbreviations that incident reports use; ambiguous ones (IST, CST in Asia) are read
# the way North American and European reports mean them.
ZONES: dict[str, float] = {
    "UTC": 0, "GMT": 0, "Z": 0, "BST": 1, "CET": 1, "CEST": 2, "EET": 2, "EEST": 3,
    "PST": -8, "PDT": -7, "PT": -8, "MST": -7, "MDT": -6, "MT": -7, "CST": -6, "CDT": -5, "CT": -6, "EST": -5,
    "EDT": -4, "ET": -5, "AEST": 10, "AEDT": 11, "JST": 9, "IST": 5.5, "SGT": 8, "NZST": 12,
    "NZDT": 13,
}
_MONTH = rf"(?P<mon>{MONTH_NAME})\.?"
_ZONE = r"(?P<zone>Z|[A-Z]{2,5}|[+-]\d{2}:?\d{2})"
_DATE = (
    r"(?:(?P<iso>\d{4}-\d{1,2}-\d{1,2})|(?P<dotted>\d{1,2}\.\d{1,2}\.\d{4})"
    rf"|{_MONTH}\s+(?P<mday>\d{{1,2}})(?:{lexicon().dates.ordinal_word})?(?:,?\s+(?P<myear>\d{{4}}))?"
    # "22 March", "22. Februar", "22 de febrero de 2024"; whether the word is a month is checked after.
    rf"|(?P<dday>\d{{1,2}}){ORDINAL}{JOINER}\s+(?P<dmon>[^\W\d_]+)\.?(?:{JOINER},?\s+(?P<dyear>\d{{4}}))?)"
)
_TIME = (
    r"(?:(?P<hour>\d{1,2})(?:[:.h](?P<minute>\d{2})(?::(?P<second>\d{2}))?)?"
    # "2pm" needs its am/pm; "14:05" does not.
    r"(?(minute)(?:\s*(?P<ampm>[ap]\.?m\.?))?|\s*(?P<bare_ampm>[ap]\.?m\.?)(?![a-z]))"
    rf"|(?P<named>{lexicon().dates.named_time})\b)"
)
_RANGE_END = rf"(?:\s*(?:[-–—]|{lexicon().dates.until})\s*\d{{1,2}}[:.]\d{{2}}(?::\d{{2}})?(?:\s*[ap]\.?m\.?)?)?"
"""``14:05–14:20``: an entry about a span is placed at its start."""
_STAMP = re.compile(
    # "Thursday 22 February": the weekday before a date says nothing more.
    rf"^\s*\[?{WEEKDAY}(?:{_DATE})?(?:[,\s]*(?:(?:T|{lexicon().dates.at})\s*)?{_TIME}{_RANGE_END})?(?:\s*\(?{_ZONE}\)?)?\]?"
    # "10:45~": an approximate time is still the time.
    rf"(?=[\s:|\-—–,.)*_`~]|$)",
    re.IGNORECASE,
)
_SEPARATOR = re.compile(r"^\s*[—–\-:|,.)]*\s*")
"""What stands between a time and the entry's text; `after_separator` removes it."""
_SEPARATOR_CHARACTERS = "—–-:|,.)"


def after_separator(text: str) -> str:
    """`text` without the separator at its start, stripped: ``_SEPARATOR.sub("", text, count=1).strip()``.

    Three string methods instead of a substitution: every timeline entry asks it.
    """
    return text.lstrip().lstrip(_SEPARATOR_CHARACTERS).strip()
_EMPHASIS = re.compile(r"^[\s*_`~]+")
_EMPHASIS_CHARACTERS = frozenset("*_`~")
"""With blanks, what `_EMPHASIS` removes: text that starts with neither is left as it is."""
_ZONE_IN_TEXT = re.compile(
    r"\b(?:UTC|GMT)\s*([+-]\d{1,2}(?::?\d{2})?)(?![\d:])"  # UTC+2, GMT-05:00
    r"|(?<![\w-])([+-]\d{2}:?\d{2})(?![\d:])"  # +05:30 (but not the -03 of 2024-03-16)
    r"|\b(UTC|GMT|[PMCE][SD]?T|BST|CES?T|AE[SD]T|JST|IST|SGT)\b"
    rf"|\b({lexicon().zones.name})\b"  # Pacific Time, MEZ: the zone words of the language packs
)


@dataclass(slots=True)
class Stamp:
    """A time read from the start of a timeline entry."""

    at: datetime | None
    text: str
    """The time as written."""
    rest: str
    """The entry's text after the time."""
    zone: tzinfo | None = None
    """The zone written with the time, if any (later entries without one keep it)."""


@lru_cache(maxsize=1024)
def zone_named_in(text: str) -> tzinfo | None:
    """The time zone a heading or table header names, e.g. "Time (PDT)"."""
    match = _ZONE_IN_TEXT.search(text)
    if not match:
        return None
    return _tz(match.group(1) or match.group(2) or match.group(3) or match.group(4))


@dataclass(slots=True)
class Offset:
    """A time written relative to the start: ``T+1h05m — recovered``."""

    delta: timedelta | None
    """None when the offset is too large to be a time (``T+1000000000d``)."""
    text: str
    """The offset as written (``T+1h05m``)."""
    rest: str
    """The entry's text after it."""


_OFFSET = re.compile(
    r"^\s*[*_`]*T\s*(?P<sign>[+-])\s*(?P<zero>0(?![\d.]|:\d))?(?:(?P<d>\d+)\s*d)?\s*(?:(?P<h>\d+)\s*h)?\s*(?:(?P<m>\d+)\s*m(?:in)?)?"
    r"[*_`]*(?=[\s—–:|-]|$)", re.IGNORECASE)


def read_offset(text: str) -> Offset | None:
    """``T+4m — alert fires`` -> 4 minutes after the start, and the rest; None for other text."""
    match = _OFFSET.match(text)
    if not match:
        return None
    if not (match.group("zero") or match.group("d") or match.group("h") or match.group("m")):
        return None
    delta: timedelta | None
    try:  # int() of more than 4,300 digits raises ValueError; timedelta past 999,999,999 days OverflowError
        delta = timedelta(**{unit: int(match.group(g) or 0) for unit, g in _UNITS})
    except (OverflowError, ValueError):
        delta = None
    written = match.group(0).strip(" *_`")
    rest = after_separator(text[match.end():].lstrip("*_` "))
    return Offset(-delta if delta is not None and match.group("sign") == "-" else delta, written, rest)


_UNITS = (("days", "d"), ("hours", "h"), ("minutes", "m"))


_PLAIN_TIME = re.compile(r"(?:\d{4}-\d{1,2}-\d{1,2}[ T])?\d{1,2}:\d{2}\Z")


@lru_cache(maxsize=4096)
def has_clock_time(time_text: str) -> bool:
    """True when a timeline time as written gives the hour (or an offset: ``T+4m``), not only the day.

    Cached: several readers ask it of each entry's time, and times of day repeat across documents.
    """
    if _PLAIN_TIME.match(time_text):
        return True  # the time `_plain_stamp` writes: `_STAMP` reads its hour (tests/test_readers_fast.py)
    match = _STAMP.match(_EMPHASIS.sub("", time_text))
    return bool(match and (match.group("hour") or match.group("named"))) or read_offset(time_text) is not None


def read_stamp(
    text: str, *, previous: datetime | None, default_date: date | None, zone: tzinfo | None
) -> Stamp:
    """Split ``"07:00 PST — stores report …"`` into a UTC time and the rest."""
    return (_plain_stamp(text, previous, default_date, zone)
            or _stamp_by_pattern(text, previous, default_date, zone))


_PLAIN_STAMP = re.compile(r"^(?:(\d{4})-(\d{1,2})-(\d{1,2})[ T])?(\d{1,2}):(\d{2})(?=\s+[—–-]\s+[^\d\s])")
"""``2024-03-16 02:00 — text`` and ``02:00 — text``: the shape most entries have, which `_STAMP`
reads the same way (no seconds, am/pm, end of a span or zone can follow a dash and a letter)."""


def _plain_stamp(text: str, previous: datetime | None, default_date: date | None,
                 zone: tzinfo | None) -> Stamp | None:
    """`read_stamp` of an entry in `_PLAIN_STAMP`'s shape; None for any other entry.

    Gives what `_stamp_by_pattern` gives (tests/test_readers_fast.py compares them) for a
    fifth of its cost: one short pattern and no look at the groups it cannot have.
    """
    match = _PLAIN_STAMP.match(text)
    if match is None:
        return None
    year, month, mday, hour, minute = match.groups()
    end = match.end()
    written, rest = text[:end], after_separator(text[end:].lstrip("*_` "))
    if year is not None:
        try:
            day: date | None = date(int(year), int(month), int(mday))
        except ValueError:
            day = None
    else:  # a bare time: the previous entry's day where it is written, else the document's
        seen = shifted(previous, zone=zone or timezone.utc)
        day = seen.date() if seen is not None else default_date if previous is None else None
    if day is None:
        return Stamp(None, written, rest or text.strip())
    clock = time(int(hour), int(minute)) if int(hour) <= 23 and int(minute) <= 59 else None
    if clock is None and year is None:
        return Stamp(None, "", text.strip())
    local = datetime.combine(day, clock or time(0, 0), tzinfo=zone or timezone.utc)
    moment = local if local.tzinfo is timezone.utc else shifted(local, zone=timezone.utc)
    if moment is not None and previous is not None and year is None and moment < previous:
        moment = shifted(moment, timedelta(days=1))  # the timeline crossed midnight
    return Stamp(moment, written, rest)


def _stamp_by_pattern(
    text: str, previous: datetime | None, default_date: date | None, zone: tzinfo | None
) -> Stamp:
    """`read_stamp` of any entry, with `_STAMP`."""
    stripped = _EMPHASIS.sub("", text) if text[:1].isspace() or text[:1] in _EMPHASIS_CHARACTERS else text
    match = _STAMP.match(stripped)
    if not match or not (match.group("hour") or match.group("named") or _has_date(match)):
        return Stamp(None, "", text.strip())
    zone_text = match.group("zone")
    tz = _tz(zone_text) if zone_text and (zone_text.isupper() or zone_text[0] in "+-") else None
    # The day of a bare time is the previous entry's day where the entry is written:
    # 18:05 PDT after 17:05 PDT is the same evening, though it is the next day in UTC.
    seen = shifted(previous, zone=tz or zone or timezone.utc)
    # Where the previous entry's day is past the calendar in this zone, so is a bare time after it.
    day = _match_date(match, seen, default_date if previous is None or seen is not None else None)
    if zone_text and tz is None:
        # A capitalised word after the time ("07:00 Stores report …") is no zone.
        end = match.start("zone")
    else:
        end = match.end()
    written = stripped[:end].strip(" *_`[]")
    rest = after_separator(stripped[end:].lstrip("*_` "))
    if day is None:
        return Stamp(None, written, rest or text.strip())
    clock = _match_time(match)
    if clock is None and not _has_date(match):
        return Stamp(None, "", text.strip())
    local = datetime.combine(day, clock or time(0, 0), tzinfo=tz or zone or timezone.utc)
    # In UTC already (the usual case), there is nothing to move.
    moment = local if local.tzinfo is timezone.utc else shifted(local, zone=timezone.utc)
    if moment is not None and previous is not None and not _has_date(match) and moment < previous:
        # A bare time earlier than the last entry: the timeline crossed midnight.
        moment = shifted(moment, timedelta(days=1))
    return Stamp(moment, written, rest, tz if moment is not None else None)


def _has_date(match: re.Match[str]) -> bool:
    return bool(match.group("iso") or match.group("dotted") or match.group("mon")
                or (match.group("dmon") and _month(match.group("dmon"))))


def _month(name: str) -> int | None:
    return MONTHS.get(name.lower().rstrip("."))


def _match_date(match: re.Match[str], previous: datetime | None, default: date | None) -> date | None:
    fallback_year = (previous.date() if previous else default or date.today()).year
    try:
        if match.group("iso"):
            year, month, day = map(int, match.group("iso").split("-"))
            return date(year, month, day)
        if match.group("dotted"):  # 02.05.2024 is the 2nd of May
            day, month, year = (int(part) for part in match.group("dotted").split("."))
            return date(year, month, day)
        if match.group("mon"):
            named = _month(match.group("mon"))
            if named:
                return date(int(match.group("myear") or fallback_year), named, int(match.group("mday")))
        if match.group("dmon") and _month(match.group("dmon")):
            month = _month(match.group("dmon")) or 1
            return date(int(match.group("dyear") or fallback_year), month, int(match.group("dday")))
    except ValueError:
        return None
    if previous is not None:
        return previous.date()
    return default


def _match_time(match: re.Match[str]) -> time | None:
    if match.group("named"):
        return time(0, 0) if match.group("named").lower() in lexicon().dates.midnight else time(12, 0)
    if not match.group("hour"):
        return None
    hour, minute = int(match.group("hour")), int(match.group("minute") or 0)
    second = int(match.group("second") or 0)
    ampm = (match.group("ampm") or match.group("bare_ampm") or "").lower().replace(".", "")
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    if hour > 23 or minute > 59 or second > 59:
        return None
    return time(hour, minute, second)


_REGIONS = {"PT": "America/Los_Angeles", "MT": "America/Denver", "CT": "America/Chicago",
            "ET": "America/New_York"}
"""Zones written without saying summer or winter ("PT", "Pacific Time"): the region's rules say
which, for the day in question (PDT in July, PST in January)."""


def _tz(name: str) -> tzinfo | None:
    word = lexicon().zones.names.get(" ".join(name.lower().split()))
    if word is not None:  # "MEZ", "Pacific Time": a zone word of a language pack
        name = word
    region = name if "/" in name else _REGIONS.get(name.upper())
    if region is not None:
        try:
            from zoneinfo import ZoneInfo

            return ZoneInfo(region)
        except (ImportError, KeyError, OSError, ValueError):  # no time-zone database here
            pass
    if name[0] in "+-":
        return offset_zone(name)
    offset = ZONES.get(name.upper())
    return None if offset is None else timezone(timedelta(hours=offset))
