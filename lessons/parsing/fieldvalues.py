"""How a front-matter field's written value becomes its typed value: one reader per kind of field.

`fields.read_fields` picks the reader of each field (`reader_of`); a reader raises `Invalid`
with the message a finding shows when the value does not read.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import date, datetime
from enum import Enum
from functools import cache, lru_cache
from typing import Any

from .. import fieldspec
from ..display import brief
from ..fieldspec import FieldSpec, Kind, Status, ValueType
from ..suggest import closest
from .dates import ambiguous_day, parse_date, parse_datetime
from .entries import Entry
from .lexicon import lexicon
from .severity import SeverityError, read_severity

_KIND_WORDS = {
    "postmortem": Kind.POSTMORTEM, "post-mortem": Kind.POSTMORTEM, "post mortem": Kind.POSTMORTEM,
    "postmortems": Kind.POSTMORTEM, "incident": Kind.POSTMORTEM, "incident-report": Kind.POSTMORTEM,
    "retrospective": Kind.POSTMORTEM, "practice": Kind.PRACTICE, "practices": Kind.PRACTICE,
    "best-practice": Kind.PRACTICE, "guide": Kind.PRACTICE,
}
# Teams often write the state of the incident, not of the document, in `status:`. A closed
# incident's write-up is taken as published; one still being worked on as a draft. The words
# of every language are in lexicon/*.toml.
_STATUS_WORDS = {word: Status(value) for word, value in lexicon().statuses.items()}
ID_RE = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
# A run of characters an id cannot hold (hyphens in it included: " - " is one hyphen).
# Hyphens, then one other such character, as often as there are, then hyphens: each step is
# unambiguous, and a run is read only from its start, so a long run of hyphens stays linear.
_NOT_IN_ID = re.compile(r"(?<![^a-z0-9._])(?:-*[^a-z0-9._-])+-*")


def file_id(stem: str) -> str:
    """The id a file name makes (``PM2021-005 - All services`` -> ``pm2021-005-all-services``).

    Lower case, and each run of other characters one hyphen, so that a team's files keep
    their names and still get plain ids; a name that is an id already is kept as it is.
    """
    if ID_RE.match(stem):
        return stem
    # Accents go rather than the letters they sit on: "Störung" -> "storung", not "st-rung".
    plain = unicodedata.normalize("NFKD", stem.casefold()).encode("ascii", "ignore").decode("ascii")
    return _NOT_IN_ID.sub("-", plain).strip("-._") or stem


class Invalid(ValueError):
    def __init__(self, message: str, code: str = "invalid-field") -> None:
        super().__init__(message)
        self.code = code


def _text(entry: Entry) -> str:
    value = entry.value
    if isinstance(value, (list, dict)):
        raise Invalid(f"expected text, got a {'list' if isinstance(value, list) else 'mapping'}")
    text = entry.raw if entry.raw is not None and not isinstance(value, str) else str(value)
    text = " ".join(text.split()) if "\n" not in text.strip() else text.strip()
    if not text:
        raise Invalid("expected text, got nothing")
    return text


def _list(entry: Entry) -> list[str]:
    value = entry.value
    if isinstance(value, dict):
        raise Invalid("expected a list like [a, b], got a mapping")
    if isinstance(value, list):
        out = []
        for item in entry.items:
            if isinstance(item.value, (list, dict)):
                raise Invalid(f"item on line {item.line} is a nested list or mapping; expected text")
            if item.value is None:
                continue
            out.append(item.raw if item.raw is not None else str(item.value))
    else:
        out = str(entry.raw or value).split(",")  # each part is stripped below (a \s*,\s* regex is quadratic)
    seen: dict[str, None] = {}
    for text in out:
        text = text.strip()
        if text:
            seen.setdefault(text, None)
    return list(seen)


@lru_cache(maxsize=4096)
def normal_id(text: str) -> str:
    # Ids are compared as written in the taxonomy: lower case, hyphens for spaces.
    return re.sub(r"[\s_]+", "-", text.strip().lower())


def _ids(entry: Entry) -> list[str]:
    return list(dict.fromkeys(normal_id(item) for item in _list(entry)))


def _related_ids(entry: Entry) -> list[str]:
    # `related: [../postmortems/2024-05-02-edge.md]`: a file is named by its id.
    def as_id(item: str) -> str:
        name = item.strip().rstrip("/").rsplit("/", 1)[-1]
        return name[:-3] if name.lower().endswith(".md") else name

    def normal(name: str) -> str:
        # A related file named as it is ("PM2021-005 - All services.md") means the id it makes.
        return normal_id(name) if ID_RE.match(name.strip().lower()) else file_id(name.strip())

    return list(dict.fromkeys(normal(as_id(item)) for item in _list(entry)))


def _date(entry: Entry) -> date:
    value = entry.value
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    written = str(entry.raw if entry.raw is not None else value)
    parsed = parse_date(written)
    if parsed is None:
        raise Invalid(_ambiguity(written) or f"expected a date like 2024-03-16, got {written!r}", "invalid-date")
    return parsed


def _datetime(entry: Entry) -> datetime:
    raw = entry.raw if entry.raw is not None else str(entry.value)
    parsed = parse_datetime(raw)
    if parsed is None:
        raise Invalid(
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


@cache
def _enumreader_of(values: type[Enum]) -> Callable[[Entry], Enum]:
    """The reader of a field whose values are `values`: their own words and, for kind and status,
    the words teams write for them."""
    words: dict[str, Any] = _ENUM_WORDS.get(values) or {member.value: member for member in values}
    # "In Review", "in-review" and "in_review" are one word to a reader.
    spelled = {_word_form(word): member.value for word, member in words.items()}
    expected = ", ".join(member.value for member in values)

    def read(entry: Entry) -> Enum:
        return values(_choice(entry, spelled, expected))

    return read


def _choice(entry: Entry, spelled: dict[str, str], expected: str) -> str:
    written = str(entry.value).strip().lower()
    found = spelled.get(_word_form(written))
    if found is not None:
        return found
    guess = closest(written, list(spelled))
    hint = f"; did you mean {guess!r}?" if guess else ""
    shown = repr(entry.value) if len(written) <= 40 else brief(str(entry.value))
    raise Invalid(f"expected one of {expected}, got {shown}{hint}")


_WORD_GAPS = re.compile(r"[\s_-]+")


def _word_form(text: str) -> str:
    return " ".join(_WORD_GAPS.split(text.strip().lower()))


def _severity(entry: Entry) -> int:
    try:
        return read_severity(entry.value, entry.raw)
    except SeverityError as exc:
        raise Invalid(str(exc)) from None


def _id(entry: Entry) -> str:
    # An incident tool's key (`INC-2291`) is taken in lower case, the way `related:` lists are
    # compared; anything else that is not a plain slug is refused.
    written = str(entry.value).strip()
    if ID_RE.match(written.lower()):
        return written.lower()
    if not ID_RE.match(written):
        raise Invalid(
            f"expected lower-case letters, digits and hyphens (like 2024-03-16-payments-outage), "
            f"got {written!r}",
            "invalid-id",
        )
    return written


def readers_of(registry: fieldspec.Registry) -> dict[str, Callable[[Entry], Any]]:
    return {spec.name: reader_of(spec) for spec in registry}


def reader_of(spec: FieldSpec) -> Callable[[Entry], Any]:
    """How a field's written value becomes its typed value."""
    if spec.reading:
        return _BY_READING[spec.reading]
    if spec.enum is not None:
        return _enumreader_of(spec.enum)
    return _BY_TYPE[spec.value_type]


def _int(entry: Entry) -> int:
    value = entry.value
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    written = str(value).strip()
    if not _WHOLE_NUMBER.match(written):  # a 64-bit number at most: longer text is not a count
        raise Invalid(f"expected a whole number, got {brief(written)}")
    return int(written)


_WHOLE_NUMBER = re.compile(r"-?[0-9]{1,18}\Z")


_BY_TYPE: dict[ValueType, Callable[[Entry], Any]] = {
    ValueType.TEXT: _text, ValueType.ID: _id, ValueType.INT: _int, ValueType.DATE: _date,
    ValueType.DATETIME: _datetime, ValueType.TEXT_LIST: _list, ValueType.ID_LIST: _ids,
}
_BY_READING: dict[str, Callable[[Entry], Any]] = {"severity": _severity, "document ids": _related_ids}
"""Readings beyond the type's (`FieldSpec.reading`)."""
READS_LISTS = (_text, _list, _ids, _related_ids)
"""Readers that judge a list themselves; for any other field a list is one value too many."""
_ENUM_WORDS: dict[type[Enum], dict[str, Any]] = {Kind: _KIND_WORDS, Status: _STATUS_WORDS}
"""Besides their values, the words written for kind and status."""
