"""Front-matter fields: what each key means, and turning written values into typed ones.

Every problem found here is a `Problem` tied to the key's line; a bad optional
field is dropped and reported, so one typo never hides the rest of a document.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from functools import cache
from pathlib import Path
from typing import Any

from ..errors import Level, Problem
from .frontmatter import Entry
from ..model import Kind, Status, shifted

LIST_FIELDS = ("services", "causes", "tags", "sources", "related", "prevents", "authors")
TIME_FIELDS = ("started", "detected", "mitigated", "resolved")
TEXT_FIELDS = ("title", "organization", "summary")
KNOWN_FIELDS: tuple[str, ...] = (
    "title", "date", "kind", "id", "status", "severity", *TEXT_FIELDS[1:],
    *TIME_FIELDS, *LIST_FIELDS,
)

# Spellings people use for a known key; read as the key, without a warning.
FIELD_ALIASES = {
    "organisation": "organization",
    "org": "organization",
    "company": "organization",
    "service": "services",
    "cause": "causes",
    "tag": "tags",
    "source": "sources",
    "references": "sources",
    "author": "authors",
    "sev": "severity",
    "type": "kind",
}

# Keys incident tools and templates write for one of our fields. Unlike a spelling, such a key
# may stand next to the field itself (`impact_start` beside `started`, meaning something a little
# different): then the field is read and the key is kept in `extra` with a warning.
STAND_IN_KEYS = {
    "impact_start": "started", "start": "started", "start_time": "started", "started_at": "started",
    "begin": "started",
    "impact_end": "resolved", "end": "resolved", "end_time": "resolved", "resolved_at": "resolved",
    "detected_at": "detected", "detection_time": "detected",
    "mitigated_at": "mitigated",
    "incident_date": "date",
}

# Keys that static-site generators (Jekyll, Hugo, MkDocs themes) and post-mortem templates put in
# front matter. `lessons` does not use them, but they are not mistakes: they are kept in `extra`
# without an unknown-key warning.
KEPT_KEYS = frozenset({
    "layout", "permalink", "categories", "category", "excerpt", "comments", "toc", "weight", "slug",
    "aliases", "menu", "sidebar", "nav_order", "published", "draft",
    "duration", "incident_id", "owner", "ticket",
})

_KIND_WORDS = {
    "postmortem": Kind.POSTMORTEM, "post-mortem": Kind.POSTMORTEM, "post mortem": Kind.POSTMORTEM,
    "postmortems": Kind.POSTMORTEM, "incident": Kind.POSTMORTEM, "incident-report": Kind.POSTMORTEM,
    "retrospective": Kind.POSTMORTEM, "practice": Kind.PRACTICE, "practices": Kind.PRACTICE,
    "best-practice": Kind.PRACTICE, "guide": Kind.PRACTICE,
}
# Teams often write the state of the incident, not of the document, in `status:`. A closed
# incident's write-up is taken as published; one still being worked on as a draft.
_STATUS_WORDS = {
    **dict.fromkeys(("published", "resolved", "closed", "complete", "completed", "final", "done", "approved"),
                    Status.PUBLISHED),
    **dict.fromkeys(("in-review", "in review", "review", "under review", "reviewing"), Status.IN_REVIEW),
    **dict.fromkeys(("draft", "wip", "work in progress", "in progress", "investigating", "identified",
                     "monitoring", "mitigated", "open", "ongoing"), Status.DRAFT),
}
_SEVERITY_WORDS = {
    "critical": 1, "high": 2, "major": 2, "medium": 3, "moderate": 3, "minor": 4, "low": 4,
    # German and Spanish, as the section headings are.
    "kritisch": 1, "hoch": 2, "mittel": 3, "niedrig": 4, "gering": 4,
    "crítica": 1, "critica": 1, "crítico": 1, "alta": 2, "alto": 2, "media": 3, "medio": 3, "baja": 4, "bajo": 4,
}
# The first whole number is the level: "SEV-0", "P2 (High)", "2 - High", "Sev2 / Major". A decimal
# such as 2.5 is no level at all, so a digit next to a dot does not count.
_SEVERITY_NUMBER = re.compile(r"(?<![\d.])\d+(?![\d.])")
# "-1" is a negative number, not level 1 behind a dash.
_NEGATIVE = re.compile(r"^\s*-\s*\d")
# Emoji, brackets and punctuation around a severity word carry no meaning ("🔴 Critical").
_SEVERITY_DECORATION = re.compile(r"^[\W_]+|[\W_]+$")
ID_RE = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
_DATE_RE = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")
_DATETIME_RE = re.compile(
    r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?"
    r"\s*(?:(Z|UTC|GMT|[+-]\d{2}:?\d{2})\s*)?$",  # one \s* per run of blanks: linear on hostile text
    re.IGNORECASE,
)

# Month names as people write them: in full, in three letters, or "Sept" (no trailing dot).
MONTH_NAME = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
              r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)(?![a-z])")
WEEKDAY = r"(?:(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:[a-z]*day)?\.?,?\s+)?"
_ORDINAL = r"(?:st|nd|rd|th)?"
# One written day with its year, unanchored so that other patterns can embed it. Slash dates are
# here whether or not they are ambiguous: reading them is `parse_date`'s job.
DATE_TEXT = (
    r"(?:\d{4}-\d{1,2}-\d{1,2}|\d{4}/\d{1,2}/\d{1,2}|\d{1,2}/\d{1,2}/\d{4}"
    rf"|{WEEKDAY}{MONTH_NAME}\.?\s+\d{{1,2}}{_ORDINAL},?\s+\d{{4}}"
    rf"|{WEEKDAY}\d{{1,2}}{_ORDINAL}(?:\s+of)?[\s-]+{MONTH_NAME}\.?,?[\s-]+\d{{4}})"
)
# "May 1, 2024", "March 22nd, 2024", "Friday, Mar. 22 2024".
_MONTH_DAY_YEAR = re.compile(
    rf"^{WEEKDAY}(?P<month>{MONTH_NAME})\.?\s+(?P<day>\d{{1,2}}){_ORDINAL},?\s+(?P<year>\d{{4}})$",
    re.IGNORECASE,
)
# "22 March 2024", "1st of May 2024", "22-Mar-2024".
_DAY_MONTH_YEAR = re.compile(
    rf"^{WEEKDAY}(?P<day>\d{{1,2}}){_ORDINAL}(?:\s+of)?[\s-]+(?P<month>{MONTH_NAME})\.?,?[\s-]+"
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
    r"^(?P<day>.{1,40}?)(?:(?:\s*,\s*|\s+at\s+|\s+|T)"
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
    rf"|\b{MONTH_NAME}\.?\s+\d{{1,2}}{_ORDINAL}(?!\d)"
    rf"|\b\d{{1,2}}{_ORDINAL}(?:\s+of)?[\s-]+{MONTH_NAME}"
    r"|\b\d{1,2}(?:st|nd|rd|th)\b",
    re.IGNORECASE,
)
MONTHS = {name: number for number, name in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1)}


@dataclass(slots=True)
class Fields:
    """The typed front matter of one document, with the problems found reading it."""

    values: dict[str, Any]
    lines: dict[str, int]
    extra: dict[str, Any]
    problems: list[Problem]
    day_only: list[str]
    """Time fields written as a date alone, so known only to the day."""


def read_fields(entries: dict[str, Entry], path: Path) -> Fields:
    """Validate and type the front-matter entries of one file.

    Keys are case-insensitive. Spelling aliases (`organisation`, `sev`) are read as the field;
    stand-in keys (`impact_start`, `incident_date`) are read when the field itself is absent.
    Keys in `KEPT_KEYS` and unknown keys end up in `extra`; only unknown keys are warned about.
    """
    from ..suggest import closest

    values: dict[str, Any] = {}
    lines: dict[str, int] = {}
    extra: dict[str, Any] = {}
    problems: list[Problem] = []
    day_only: list[str] = []
    written: dict[str, Entry] = {}  # known key -> where it was first written, in whatever spelling
    direct: dict[str, Entry] = {}  # known key -> where it was written as itself or a spelling alias
    for written_key, entry in entries.items():
        direct.setdefault(FIELD_ALIASES.get(written_key.lower(), written_key.lower()), entry)

    def report(entry: Entry, code: str, message: str, level: Level = Level.ERROR) -> None:
        problems.append(Problem(path, entry.line, code, message, level, entry.column))

    for written_key, entry in entries.items():
        problems.extend(entry.problems)  # the YAML's own oddities: a tag ignored, nesting cut off
        key = FIELD_ALIASES.get(written_key.lower(), written_key.lower())
        if key not in KNOWN_FIELDS:
            stand_in = STAND_IN_KEYS.get(_key_form(written_key))
            if stand_in is not None:
                field_entry = direct.get(stand_in) or written.get(stand_in)
                if field_entry is None:
                    key = stand_in
                else:
                    extra[written_key] = entry.value
                    report(entry, "ignored-key", f"{written_key!r} is another name for {stand_in!r}, which is "
                           f"written too ({field_entry.key!r}, line {field_entry.line}); {written_key!r} is "
                           "not read", Level.WARNING)
                    continue
        if key not in KNOWN_FIELDS:
            extra[written_key] = entry.value
            if _key_form(written_key) not in KEPT_KEYS:
                guess = closest(written_key, KNOWN_FIELDS)
                hint = f"; did you mean {guess!r}?" if guess else ""
                report(entry, "unknown-key", f"unknown front-matter key {written_key!r}{hint}", Level.WARNING)
            continue
        first = written.get(key)
        if first is not None:
            report(entry, "duplicate-key",
                   f"{written_key!r} repeats {first.key!r} (line {first.line}); keep one of them")
            continue
        written[key] = entry
        if entry.value is None or entry.value == "" or entry.value == []:
            continue  # an empty optional field is the same as an absent one
        reader = _READERS[key]
        lines[key] = entry.line  # even when the value is invalid: the key was written
        try:
            if isinstance(entry.value, list) and reader not in _READS_LISTS:
                raise _Invalid("expected one value, got a list")
            values[key] = reader(entry)
            if key in TIME_FIELDS and _read_day(entry.raw or str(entry.value)) is not None:
                day_only.append(key)
            for item in entry.items:
                if item.raw is not None:
                    # Where each list item was written, so a finding can point at it.
                    lines[f"{key}[{_normal_id(item.raw) if key in _ID_LISTS else item.raw.strip()}]"] = item.line
        except _Invalid as exc:
            report(entry, exc.code, f"{key}: {exc}")
    draft = next((entry for k, entry in entries.items() if _key_form(k) == "draft"), None)
    if draft is not None and draft.value is not None and _flag(draft.value) is None:
        report(draft, "invalid-field", f"draft: expected true or false, got {_brief(str(draft.value))}")
    elif draft is not None and _flag(draft.value) and "status" not in written:
        # Jekyll and Hugo mark an unfinished page `draft: true`; it is a draft here too.
        values["status"] = Status.DRAFT
        lines["status"] = draft.line
    return Fields(values, lines, extra, problems, day_only)


def read_informal(key: str, text: str) -> Any | None:
    """A field written in the body (``**Date:** 21 October 2015``): its value, or None.

    Prose is not front matter: a value that does not read cleanly is ignored rather
    than reported, and for a status only the first word counts ("Complete, action
    items in progress").
    """
    from .timeline import read_stamp

    text = text.strip().rstrip(".")
    if key == "date":
        stamp = read_stamp(text, previous=None, default_date=None, zone=None)
        return parse_date(text) or (stamp.at.date() if stamp.at else None)
    if key in TIME_FIELDS:
        stamp = read_stamp(text, previous=None, default_date=None, zone=None)
        return parse_datetime(text) or stamp.at
    candidates = [text]
    if key == "status" and text:
        candidates.append(re.split(r"[\s,;(]+", text)[0])
    for candidate in candidates:
        entry = Entry(key, candidate, 0, 1, candidate)
        try:
            return _READERS[key](entry)
        except (_Invalid, KeyError):
            continue
    return None


def _flag(value: Any) -> bool | None:
    """True or false as YAML or a person writes it (``true``, ``"yes"``); None for anything else."""
    if isinstance(value, bool):
        return value
    return _FLAG_WORDS.get(value.strip().lower()) if isinstance(value, str) else None


_FLAG_WORDS = {"true": True, "yes": True, "on": True, "false": False, "no": False, "off": False}


def _brief(text: str, width: int = 40) -> str:
    """`text` quoted for a message, cut when long: a pasted log must not become the message."""
    if len(text) <= width:
        return repr(text)
    return f"{text[:width]!r}… ({len(text):,} characters)"


class _Invalid(ValueError):
    def __init__(self, message: str, code: str = "invalid-field") -> None:
        super().__init__(message)
        self.code = code


def _text(entry: Entry) -> str:
    value = entry.value
    if isinstance(value, (list, dict)):
        raise _Invalid(f"expected text, got a {'list' if isinstance(value, list) else 'mapping'}")
    text = entry.raw if entry.raw is not None and not isinstance(value, str) else str(value)
    text = " ".join(text.split()) if "\n" not in text.strip() else text.strip()
    if not text:
        raise _Invalid("expected text, got nothing")
    return text


def _list(entry: Entry) -> list[str]:
    value = entry.value
    if isinstance(value, dict):
        raise _Invalid("expected a list like [a, b], got a mapping")
    if isinstance(value, list):
        out = []
        for item in entry.items:
            if isinstance(item.value, (list, dict)):
                raise _Invalid(f"item on line {item.line} is a nested list or mapping; expected text")
            if item.value is None:
                continue
            out.append(item.raw if item.raw is not None else str(item.value))
    else:
        out = [part for part in re.split(r"\s*,\s*", str(entry.raw or value))]
    seen: dict[str, None] = {}
    for text in out:
        text = text.strip()
        if text:
            seen.setdefault(text, None)
    return list(seen)


_ID_LISTS = ("causes", "related", "prevents")


def _normal_id(text: str) -> str:
    # Ids are compared as written in the taxonomy: lower case, hyphens for spaces.
    return re.sub(r"[\s_]+", "-", text.strip().lower())


def _ids(entry: Entry) -> list[str]:
    return list(dict.fromkeys(_normal_id(item) for item in _list(entry)))


def _related_ids(entry: Entry) -> list[str]:
    # `related: [../postmortems/2024-05-02-edge.md]`: a file is named by its id.
    def as_id(item: str) -> str:
        name = item.strip().rstrip("/").rsplit("/", 1)[-1]
        return name[:-3] if name.lower().endswith(".md") else name

    return list(dict.fromkeys(_normal_id(as_id(item)) for item in _list(entry)))


def _date(entry: Entry) -> date:
    value = entry.value
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    written = str(entry.raw if entry.raw is not None else value)
    parsed = parse_date(written)
    if parsed is None:
        raise _Invalid(_ambiguity(written) or f"expected a date like 2024-03-16, got {written!r}", "invalid-date")
    return parsed


def _datetime(entry: Entry) -> datetime:
    raw = entry.raw if entry.raw is not None else str(entry.value)
    parsed = parse_datetime(raw)
    if parsed is None:
        raise _Invalid(
            _ambiguity(raw) or f"expected a date-time like 2024-03-16T07:00Z or 2024-03-16 07:00, got {raw!r}",
            "invalid-date",
        )
    return parsed


def _ambiguity(written: str) -> str | None:
    readings = ambiguous_day(written)
    if readings is None:
        return None
    us, european = readings
    return f"{written.strip()!r} is ambiguous (US vs European order); write {us} or {european}"


def _kind(entry: Entry) -> Kind:
    return Kind(_choice(entry, _spelled(_KIND_WORDS), "postmortem, practice"))


def _status(entry: Entry) -> Status:
    return Status(_choice(entry, _spelled(_STATUS_WORDS), "draft, in-review, published"))


@cache
def _spelled_cached(words: tuple[tuple[str, str], ...]) -> dict[str, str]:
    return {_word_form(word): value for word, value in words}


def _spelled(words: dict[str, Kind] | dict[str, Status]) -> dict[str, str]:
    # "In Review", "in-review" and "in_review" are one word to a reader.
    return _spelled_cached(tuple((k, v.value) for k, v in words.items()))


def _choice(entry: Entry, spelled: dict[str, str], expected: str) -> str:
    from ..suggest import closest

    written = str(entry.value).strip().lower()
    found = spelled.get(_word_form(written))
    if found is not None:
        return found
    guess = closest(written, list(spelled))
    hint = f"; did you mean {guess!r}?" if guess else ""
    shown = repr(entry.value) if len(written) <= 40 else _brief(str(entry.value))
    raise _Invalid(f"expected one of {expected}, got {shown}{hint}")


_WORD_GAPS = re.compile(r"[\s_-]+")
_KEY_GAPS = re.compile(r"[\s-]+")


def _word_form(text: str) -> str:
    return " ".join(_WORD_GAPS.split(text.strip().lower()))


def _key_form(key: str) -> str:
    # `Start-Time`, `start time` and `start_time` are one key.
    return "_".join(_KEY_GAPS.split(key.strip().lower()))


def _severity(entry: Entry) -> int:
    """0 (worst) … 5, from a number, a level such as SEV-0, P2 (High), "2 - High", or a word."""
    value = entry.value
    if isinstance(value, dict):
        # Incident tools export `severity: {id: 01HTQ…, name: Minor, rank: 3}`: the name says
        # it (the id's digits do not).
        named = next((value[k] for k in ("name", "label", "level", "value") if isinstance(value.get(k), (str, int))),
                     None)
        if named is None:
            raise _Invalid("expected a number from 0 (worst) to 5, or a mapping with a `name`")
        return _severity(Entry(entry.key, named, entry.line, entry.column, str(named)))
    # Messages teach the 1 … 5 scale most templates use; SEV0, the rare level above it, is read too.
    if isinstance(value, bool):
        raise _Invalid("expected a number from 0 (worst) to 5")
    number_written = isinstance(value, (int, float))
    written = str(entry.raw if entry.raw is not None and not number_written else value).strip()
    # The value is shown as written: a number bare, text quoted, so "SEV9" is not mistaken for 9.
    shown = written if number_written and len(written) <= 40 else _brief(written)
    number = _SEVERITY_NUMBER.search(written)
    # 2.5, -1 or 1e999 is a number, but no level: its digits are not one either.
    plain_number = not _NUMBER_LITERAL.fullmatch(written) or (written.isascii() and written.isdigit())
    if number is not None and plain_number and not _NEGATIVE.match(written):
        digits = number.group()
        if len(digits) > 2 or not 0 <= int(digits) <= 5:  # int() of 5,000 digits raises
            raise _Invalid(f"expected a number from 0 (worst) to 5, got {shown}")
        return int(digits)
    word = _SEVERITY_DECORATION.sub("", written).lower()
    if word in _SEVERITY_WORDS:
        return _SEVERITY_WORDS[word]
    raise _Invalid(f"expected a number from 0 (worst) to 5 (or SEV0, SEV1, P2 …), got {shown}")


def _id(entry: Entry) -> str:
    # An incident tool's key (`INC-2291`) is taken in lower case, the way `related:` lists are
    # compared; anything else that is not a plain slug is refused.
    written = str(entry.value).strip()
    if ID_RE.match(written.lower()):
        return written.lower()
    if not ID_RE.match(written):
        raise _Invalid(
            f"expected lower-case letters, digits and hyphens (like 2024-03-16-payments-outage), "
            f"got {written!r}",
            "invalid-id",
        )
    return written


_NUMBER_LITERAL = re.compile(
    r"[-+]?(?:0[xob][\da-f_]+|\d[\d_]*(?:\.[\d_]*)?(?:e[-+]?\d+)?|\.\d[\d_]*(?:e[-+]?\d+)?|\.?inf|\.?nan)",
    re.IGNORECASE)
"""A number as YAML or Python writes one: 2.5, -1, 1e999, 0x1F, .inf (each part unambiguous, so linear)."""

_READERS: dict[str, Callable[[Entry], Any]] = {
    "title": _text,
    "organization": _text,
    "summary": _text,
    "date": _date,
    "kind": _kind,
    "status": _status,
    "severity": _severity,
    "id": _id,
    **{name: _datetime for name in TIME_FIELDS},
    **{name: _list for name in ("services", "tags", "sources", "authors")},
    **{name: _ids for name in ("causes", "prevents")},
    "related": _related_ids,
}
_READS_LISTS = (_text, _list, _ids, _related_ids)
"""Readers that judge a list themselves; for any other field a list is one value too many."""


def parse_date(text: str) -> date | None:
    """The day a text names, or None.

    Read: ``2024-03-16`` (one-digit month or day allowed), ``2024/03/16``, ``March 16, 2024``,
    ``16 March 2024``, ``1st of May 2024``, ``16.03.2024`` (day first), and ``16/03/2024`` or
    ``03/16/2024`` when only one order is a real day. ``03/04/2024`` is None: see
    `ambiguous_day`. A date-time gives its day.
    """
    day = _read_day(text)
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
        moment_day = _read_day(written.group("day"))
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
    digits = written[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:])
    if hours > 23 or minutes > 59:
        return None
    delta = timedelta(hours=hours, minutes=minutes)
    return timezone(delta if written[0] == "+" else -delta)


def _read_day(text: str) -> date | None:
    """A day written without a time of day, or None."""
    text = text.strip()
    for pattern in (_DATE_RE, _YEAR_SLASH):
        match = pattern.match(text)
        if match:
            return _day(*(int(group) for group in match.groups()))
    for pattern in (_MONTH_DAY_YEAR, _DAY_MONTH_YEAR):
        match = pattern.match(text)
        if match:
            month = MONTHS[match.group("month").lower()[:3]]
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
