"""Reading days and times as people write them: ``2024-03-16``, ``March 16, 2024``, ``16.03.2024``.

Month and weekday names, ordinals ("22nd", "22.") and the words between day, month and
year ("1st of May", "22 de febrero") come from the language packs (``lexicon/*.toml``).
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache

from ..model import shifted
from .lexicon import lexicon

_DATE_RE = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")
_DATETIME_RE = re.compile(
    r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?"
    r"\s*(?:(Z|UTC|GMT|[+-]\d{2}:?\d{2})\s*)?$",  # one \s* per run of blanks: linear on hostile text
    re.IGNORECASE,
)

# Month names as people write them: in full, abbreviated, or "Sept" (no trailing dot), in every
# language pack; never followed by another letter.
MONTH_NAME = rf"(?:{lexicon().dates.month})(?![^\W\d_])"
MONTHS = lexicon().dates.months
"""Month name or abbreviation (lower case) -> its number."""
WEEKDAY = rf"(?:(?:{lexicon().dates.weekday})\.?,?\s+)?"
ORDINAL = rf"(?:{lexicon().dates.ordinal})?"
"""After a day's number: 22nd, 22. (German), 1er (French)."""
JOINER = rf"(?:\s+(?:{lexicon().dates.joiner}))?"
"""Between day, month and year: "1st of May", "22 de febrero de 2024"."""
# One written day with its year, unanchored so that other patterns can embed it. Slash dates are
# here whether or not they are ambiguous: reading them is `parse_date`'s job.
DATE_TEXT = (
    r"(?:\d{4}-\d{1,2}-\d{1,2}|\d{4}/\d{1,2}/\d{1,2}|\d{1,2}/\d{1,2}/\d{4}"
    rf"|{WEEKDAY}{MONTH_NAME}\.?\s+\d{{1,2}}{ORDINAL},?\s+\d{{4}}"
    rf"|{WEEKDAY}\d{{1,2}}{ORDINAL}{JOINER}[\s-]+{MONTH_NAME}\.?,?{JOINER}[\s-]+\d{{4}})"
)
# "May 1, 2024", "March 22nd, 2024", "Friday, Mar. 22 2024".
_MONTH_DAY_YEAR = re.compile(
    rf"^{WEEKDAY}(?P<month>{MONTH_NAME})\.?\s+(?P<day>\d{{1,2}}){ORDINAL},?\s+(?P<year>\d{{4}})$",
    re.IGNORECASE,
)
# "22 March 2024", "1st of May 2024", "22-Mar-2024".
_DAY_MONTH_YEAR = re.compile(
    rf"^{WEEKDAY}(?P<day>\d{{1,2}}){ORDINAL}{JOINER}[\s-]+(?P<month>{MONTH_NAME})\.?,?{JOINER}[\s-]+"
    r"(?P<year>\d{4})$",
    re.IGNORECASE,
)
# 2024/05/01: with the year first the order is never in doubt.
_YEAR_SLASH = re.compile(r"^(?P<year>\d{4})/(?P<month>\d{1,2})/(?P<day>\d{1,2})$")
# 02.05.2024: dots are written day first wherever they are used.
_DOTTED = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
# 05/01/2024 is 1 May in the US and 5 January in Europe; read only when one order is impossible.
_SLASH_YEAR = re.compile(r"^(?P<first>\d{1,2})/(?P<second>\d{1,2})/(?P<year>\d{4})$")
# A non-ISO day followed by a time of day: "March 4, 2024 10:00 UTC", "2024/03/04 10:00".
_DAY_AND_TIME = re.compile(
    rf"^(?P<day>.{{1,40}}?)(?:(?:\s*,\s*|\s+(?:{lexicon().dates.at})\s+|\s+|T)"
    r"(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.\d+)?)?"
    r"\s*(?P<zone>Z|UTC|GMT|[+-]\d{2}:?\d{2})?)?$",
    re.IGNORECASE,
)
# Text that names a day, so that failing to read it is worth a word: digits in a date's shape
# (2024-13-45, 3/22, 22.03) or a day next to a month name (March 32, 22nd of Mar). "Q3 2024",
# "H2", "2024-05", "March 2024", "TBD" and "next sprint" name no day: they are placeholders.
_NAMES_A_DAY = re.compile(
    r"(?<!\d)\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}(?!\d)"
    r"|(?<![\d/.-])\d{1,2}[/.]\d{1,2}(?![\d/.-])"
    rf"|\b{MONTH_NAME}\.?\s+\d{{1,2}}{ORDINAL}(?!\d)"
    rf"|\b\d{{1,2}}{ORDINAL}{JOINER}[\s-]+{MONTH_NAME}"
    rf"|\b\d{{1,2}}(?:{lexicon().dates.ordinal_word})\b",
    re.IGNORECASE,
)


def parse_date(text: str) -> date | None:
    """The day a text names, or None.

    Read: ``2024-03-16`` (one-digit month or day allowed), ``2024/03/16``, ``March 16, 2024``,
    ``16 March 2024``, ``1st of May 2024``, ``16.03.2024`` (day first), and ``16/03/2024`` or
    ``03/16/2024`` when only one order is a real day. ``03/04/2024`` is None: see
    `ambiguous_day`. A date-time gives its day.
    """
    day = read_day(text)
    if day is not None:
        return day
    parsed = parse_datetime(text)
    return parsed.date() if parsed else None


def ambiguous_day(text: str) -> tuple[date, date] | None:
    """For a day like ``03/04/2024`` (time of day allowed), its US and its European reading.

    None when the text is not such a day, or when only one reading is a real day or both
    readings are the same day (``05/05/2024``).
    """
    match = _DAY_AND_TIME.match(text.strip())
    slash = _SLASH_YEAR.match(match.group("day").strip()) if match else None
    if slash is None:
        return None
    first, second, year = (int(slash.group(name)) for name in ("first", "second", "year"))
    us, european = _day(year, first, second), _day(year, second, first)
    if us is None or european is None or us == european:
        return None
    return us, european


def date_problem(text: str) -> str | None:
    """Why text meant as a date cannot be read, to follow the quoted text in a message.

    None when it reads as a date, and when it names no day at all: ``TBD``, ``ongoing``,
    ``Q3 2024``, ``H2``, ``next sprint`` are placeholders, not mistakes.
    """
    if parse_date(text) is not None:
        return None
    readings = ambiguous_day(text)
    if readings is not None:
        us, european = readings
        return f"is ambiguous (US vs European order); write it as YYYY-MM-DD: {us} or {european}"
    if _NAMES_A_DAY.search(text):
        if not re.search(r"\d{4}", text):
            return "has no year; write it like 2024-05-01"
        return "is not a date; write it like 2024-05-01"
    return None


@lru_cache(maxsize=4096)
def parse_datetime(text: str) -> datetime | None:
    """Read a date-time as UTC; a date alone is midnight, no zone means UTC.

    The day may be written in any way `parse_date` reads: ``2024-03-16T07:00Z``,
    ``2024-03-16 07:00 +02:00``, ``March 16, 2024 07:00 UTC``.
    """
    match = _DATETIME_RE.match(text)
    if match:
        year, month, day, hour, minute, second, zone = match.groups()
        moment_day = _day(int(year), int(month), int(day))
    else:
        written = _DAY_AND_TIME.match(text.strip())
        if written is None:
            return None
        hour, minute, second, zone = written.group("hour", "minute", "second", "zone")
        moment_day = read_day(written.group("day"))
    if moment_day is None:
        return None
    try:
        moment = datetime.combine(moment_day, time(int(hour or 0), int(minute or 0), int(second or 0)))
    except ValueError:
        return None
    tz = _zone(zone)
    if tz is None:
        return None
    return shifted(moment.replace(tzinfo=tz), zone=timezone.utc)  # None past the last day Python knows


def _zone(written: str | None) -> timezone | None:
    """The zone of ``Z``, ``UTC``, ``+02:00`` or nothing (UTC); None for an offset past a day."""
    if not written or written[0] not in "+-":
        return timezone.utc
    return offset_zone(written)


def offset_zone(written: str) -> timezone | None:
    """The fixed zone of an offset: ``+02:00``, ``-0500``, ``+2``; None past 23 hours or 59 minutes.

    The one reading of a written offset, for front-matter times and timeline entries alike.
    """
    digits = written[1:].replace(":", "")
    hours, minutes = (int(digits[:-2]), int(digits[-2:])) if len(digits) > 2 else (int(digits), 0)
    if hours > 23 or minutes > 59:
        return None
    delta = timedelta(hours=hours, minutes=minutes)
    return timezone(delta if written[0] == "+" else -delta)


@lru_cache(maxsize=4096)
def read_day(text: str) -> date | None:
    """A day written without a time of day, or None.

    Cached, as `parse_datetime` is: due dates and days repeat within a document and across many.
    """
    text = text.strip()
    for pattern in (_DATE_RE, _YEAR_SLASH):
        match = pattern.match(text)
        if match:
            return _day(*(int(group) for group in match.groups()))
    for pattern in (_MONTH_DAY_YEAR, _DAY_MONTH_YEAR):
        match = pattern.match(text)
        if match:
            month = MONTHS[match.group("month").lower()]
            return _day(int(match.group("year")), month, int(match.group("day")))
    dotted = _DOTTED.match(text)
    if dotted:  # 02.05.2024: day first wherever dots are written (Germany, Russia, …)
        return _day(int(dotted.group(3)), int(dotted.group(2)), int(dotted.group(1)))
    slash = _SLASH_YEAR.match(text)
    if slash:
        first, second, year = (int(slash.group(name)) for name in ("first", "second", "year"))
        readings = {day for day in (_day(year, first, second), _day(year, second, first)) if day}
        return readings.pop() if len(readings) == 1 else None
    return None


def _day(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


_DATE_IN_TEXT = re.compile(rf"(?<![\w/.-]){DATE_TEXT}(?![\w/-]|\.\d)", re.IGNORECASE)
"""A day with its year inside prose: "On Tuesday 22nd June 2021, between …", "le 3 mars 2023"."""


def first_date_in(text: str) -> tuple[date, str] | None:
    """The first day written with its year in a text, and how it was written; None when there is none."""
    for match in _DATE_IN_TEXT.finditer(text):
        found = read_day(match.group(0).rstrip(",. "))
        if found is not None:
            return found, match.group(0)
    return None
