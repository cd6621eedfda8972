"""Front-matter fields: what each key means, and turning written values into typed ones.

Every problem found here is a `Problem` tied to the key's line; a bad optional
field is dropped and reported, so one typo never hides the rest of a document.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from pathlib import Path
from typing import Any

from .errors import Level, Problem
from .frontmatter import Entry
from .model import Kind, Status

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

_KIND_WORDS = {
    "postmortem": Kind.POSTMORTEM, "post-mortem": Kind.POSTMORTEM, "post mortem": Kind.POSTMORTEM,
    "postmortems": Kind.POSTMORTEM, "incident": Kind.POSTMORTEM, "incident-report": Kind.POSTMORTEM,
    "retrospective": Kind.POSTMORTEM, "practice": Kind.PRACTICE, "practices": Kind.PRACTICE,
    "best-practice": Kind.PRACTICE, "guide": Kind.PRACTICE,
}
_STATUS_WORDS = {
    "draft": Status.DRAFT, "wip": Status.DRAFT, "in-review": Status.IN_REVIEW,
    "in review": Status.IN_REVIEW, "review": Status.IN_REVIEW, "published": Status.PUBLISHED,
    "final": Status.PUBLISHED, "done": Status.PUBLISHED, "complete": Status.PUBLISHED,
}
_SEVERITY_WORDS = {"critical": 1, "high": 2, "major": 2, "medium": 3, "moderate": 3, "minor": 4, "low": 4}
_SEVERITY_RE = re.compile(r"^\s*(?:sev(?:erity)?|p|s)?[\s._-]*([0-9])\s*$", re.IGNORECASE)
ID_RE = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
_DATE_RE = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")
_DATETIME_RE = re.compile(
    r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?"
    r"\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2})?\s*$",
    re.IGNORECASE,
)


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
    """Validate and type the front-matter entries of one file."""
    from .suggest import closest

    values: dict[str, Any] = {}
    lines: dict[str, int] = {}
    extra: dict[str, Any] = {}
    problems: list[Problem] = []
    day_only: list[str] = []
    written: dict[str, Entry] = {}  # known key -> where it was first written, in whatever spelling

    def report(entry: Entry, code: str, message: str, level: Level = Level.ERROR) -> None:
        problems.append(Problem(path, entry.line, code, message, level, entry.column))

    for written_key, entry in entries.items():
        key = FIELD_ALIASES.get(written_key.lower(), written_key.lower())
        if key not in KNOWN_FIELDS:
            extra[written_key] = entry.value
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
            values[key] = reader(entry)
            if key in TIME_FIELDS and _DATE_RE.match(entry.raw or str(entry.value)):
                day_only.append(key)
            for item in entry.items:
                if item.raw is not None:
                    # Where each list item was written, so a finding can point at it.
                    lines[f"{key}[{_normal_id(item.raw) if key in _ID_LISTS else item.raw.strip()}]"] = item.line
        except _Invalid as exc:
            report(entry, exc.code, f"{key}: {exc}")
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


def _date(entry: Entry) -> date:
    value = entry.value
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    parsed = parse_date(str(entry.raw if entry.raw is not None else value))
    if parsed is None:
        raise _Invalid(f"expected a date like 2024-03-16, got {entry.raw or value!r}", "invalid-date")
    return parsed


def _datetime(entry: Entry) -> datetime:
    raw = entry.raw if entry.raw is not None else str(entry.value)
    parsed = parse_datetime(raw)
    if parsed is None:
        raise _Invalid(
            f"expected a date-time like 2024-03-16T07:00Z or 2024-03-16 07:00, got {raw!r}",
            "invalid-date",
        )
    return parsed


def _kind(entry: Entry) -> Kind:
    return Kind(_choice(entry, {k: v.value for k, v in _KIND_WORDS.items()}, "postmortem, practice"))


def _status(entry: Entry) -> Status:
    return Status(_choice(entry, {k: v.value for k, v in _STATUS_WORDS.items()},
                          "draft, in-review, published"))


def _choice(entry: Entry, words: dict[str, str], expected: str) -> str:
    from .suggest import closest

    written = str(entry.value).strip().lower()
    if written in words:
        return words[written]
    guess = closest(written, list(words))
    hint = f"; did you mean {guess!r}?" if guess else ""
    raise _Invalid(f"expected one of {expected}, got {entry.value!r}{hint}")


def _severity(entry: Entry) -> int:
    value = entry.value
    if isinstance(value, bool):
        raise _Invalid("expected a number from 1 (worst) to 5")
    if isinstance(value, int):
        number = value
    else:
        written = str(value).strip().lower()
        if written in _SEVERITY_WORDS:
            return _SEVERITY_WORDS[written]
        match = _SEVERITY_RE.match(written)
        if not match:
            raise _Invalid(f"expected a number from 1 (worst) to 5 (or SEV1, P2 …), got {value!r}")
        number = int(match.group(1))
    if not 1 <= number <= 5:
        raise _Invalid(f"expected a number from 1 (worst) to 5, got {number}")
    return number


def _id(entry: Entry) -> str:
    written = str(entry.value).strip()
    if not ID_RE.match(written):
        raise _Invalid(
            f"expected lower-case letters, digits and hyphens (like 2024-03-16-payments-outage), "
            f"got {written!r}",
            "invalid-id",
        )
    return written


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
    **{name: _ids for name in ("causes", "related", "prevents")},
}


def parse_date(text: str) -> date | None:
    """Read ``YYYY-MM-DD`` (with one-digit month or day allowed); None if it is not one."""
    match = _DATE_RE.match(text)
    if not match:
        parsed = parse_datetime(text)
        return parsed.date() if parsed else None
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def parse_datetime(text: str) -> datetime | None:
    """Read an ISO-like date-time as UTC; a date alone is midnight, no zone means UTC."""
    match = _DATETIME_RE.match(text)
    if not match:
        return None
    year, month, day, hour, minute, second, zone = match.groups()
    try:
        moment = datetime.combine(
            date(int(year), int(month), int(day)),
            time(int(hour or 0), int(minute or 0), int(second or 0)),
        )
    except ValueError:
        return None
    tz = timezone.utc
    if zone and zone[0] in "+-":
        digits = zone[1:].replace(":", "")
        hours, minutes = int(digits[:2]), int(digits[2:])
        if hours > 23 or minutes > 59:
            return None
        from datetime import timedelta

        delta = timedelta(hours=hours, minutes=minutes)
        tz = timezone(delta if zone[0] == "+" else -delta)
    try:
        return moment.replace(tzinfo=tz).astimezone(timezone.utc)
    except OverflowError:  # 9999-12-31T23:00-05:00 is past the last day Python knows
        return None
