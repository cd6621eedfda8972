"""Front-matter fields: what each key means, and turning written values into typed ones.

Every problem found here is a `Problem` tied to the key's line; a bad optional
field is dropped and reported, so one typo never hides the rest of a document.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from functools import cache
from pathlib import Path
from typing import Any

from .. import fieldspec
from ..display import brief
from ..errors import Level, Problem
from ..fieldspec import FieldSpec, Kind, Status, ValueType
from .dates import ambiguous_day, parse_date, parse_datetime, read_day
from .entries import Entry
from .lexicon import lexicon
from .severity import SeverityError, read_severity

# What each field is, its aliases and the keys other tools write for it: `fieldspec.FIELDS`.
# Read through the module (`fieldspec.FIELDS`), so that a registry a test puts there is used.
#
# An alias is a spelling, read as the field without a warning. A stand-in key (`impact_start`
# for `started`) may stand next to the field itself, meaning something a little different:
# then the field is read and the key is kept in `extra` with a warning.
KNOWN_FIELDS = fieldspec.FIELDS.names
"""The names of the front-matter fields, in the registry's order."""


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
DATE_PREFIX = re.compile(r"^(\d{4}-\d{2}-\d{2})")
"""``2024-03-16-checkout.md``: the day a post-mortem's file name gives."""
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
    values: dict[str, Any] = {}
    lines: dict[str, int] = {}
    extra: dict[str, Any] = {}
    problems: list[Problem] = []
    day_only: list[str] = []
    written: dict[str, Entry] = {}  # known key -> where it was first written, in whatever spelling
    direct: dict[str, Entry] = {}  # known key -> where it was written as itself or a spelling alias
    registry = fieldspec.FIELDS
    for written_key, entry in entries.items():
        direct.setdefault(registry.spellings.get(written_key.lower(), written_key.lower()), entry)

    def report(entry: Entry, code: str, message: str, level: Level = Level.ERROR) -> None:
        problems.append(Problem(path, entry.line, code, message, level, entry.column))

    for written_key, entry in entries.items():
        problems.extend(entry.problems)  # the YAML's own oddities: a tag ignored, nesting cut off
        key = registry.spellings.get(written_key.lower(), "")
        if not key:
            stand_in = registry.stand_ins.get(_key_form(written_key))
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
        if not key:
            extra[written_key] = entry.value
            if _key_form(written_key) not in KEPT_KEYS:
                report(entry, "unknown-key", _unknown_key(written_key), Level.WARNING)
            continue
        first = written.get(key)
        if first is not None:
            report(entry, "duplicate-key",
                   f"{written_key!r} repeats {first.key!r} (line {first.line}); keep one of them")
            continue
        written[key] = entry
        if entry.value is None or entry.value == "" or entry.value == []:
            continue  # an empty optional field is the same as an absent one
        lines[key] = entry.line  # even when the value is invalid: the key was written
        try:
            _read_value(registry[key], entry, values, lines, day_only)
        except _Invalid as exc:
            report(entry, exc.code, f"{key}: {exc}")
    # "draft" in the key is a necessary condition of its key form being "draft": most keys skip the split.
    draft = next((entry for k, entry in entries.items() if "draft" in k.lower() and _key_form(k) == "draft"), None)
    if draft is not None:
        _read_draft(draft, "status" in written, values, lines, report)
    return Fields(values, lines, extra, problems, day_only)


def _read_draft(draft: Entry, status_written: bool, values: dict[str, Any], lines: dict[str, int],
                report: Callable[[Entry, str, str], None]) -> None:
    """Jekyll and Hugo mark an unfinished page `draft: true`; it is a draft here too, unless `status:` says."""
    flag = _flag(draft.value)
    if flag is None and draft.value is not None:
        report(draft, "invalid-field", f"draft: expected true or false, got {brief(str(draft.value))}")
    elif flag and not status_written:
        values["status"] = Status.DRAFT
        lines["status"] = draft.line


def _unknown_key(written_key: str) -> str:
    from ..suggest import closest

    guess = closest(written_key, fieldspec.FIELDS.names)
    hint = f"; did you mean {guess!r}?" if guess else ""
    return f"unknown front-matter key {written_key!r}{hint}"


def _read_value(spec: FieldSpec, entry: Entry, values: dict[str, Any], lines: dict[str, int],
                day_only: list[str]) -> None:
    """Type one known field's value into `values` (raises `_Invalid`)."""
    key = spec.name
    reader = fieldspec.FIELDS.derived("readers", _readers)[key]
    if isinstance(entry.value, list) and reader not in _READS_LISTS:
        raise _Invalid("expected one value, got a list")
    values[key] = reader(entry)
    if spec.value_type is ValueType.DATETIME and read_day(entry.raw or str(entry.value)) is not None:
        day_only.append(key)
    ids = spec.value_type is ValueType.ID_LIST
    for item in entry.items:
        if item.raw is not None:
            # Where each list item was written, so a finding can point at it.
            lines[f"{key}[{_normal_id(item.raw) if ids else item.raw.strip()}]"] = item.line


def read_field(key: str, text: str) -> Any | None:
    """A field's value read from text as front matter's would be; None when it does not read."""
    spec = fieldspec.FIELDS.by_name.get(key)
    if spec is None:
        return None
    try:
        return _reader(spec)(Entry(key, text, 0, 1, text))
    except _Invalid:
        return None


def _flag(value: Any) -> bool | None:
    """True or false as YAML or a person writes it (``true``, ``"yes"``); None for anything else."""
    if isinstance(value, bool):
        return value
    return _FLAG_WORDS.get(value.strip().lower()) if isinstance(value, str) else None


_FLAG_WORDS = {"true": True, "yes": True, "on": True, "false": False, "no": False, "off": False}


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
        out = str(entry.raw or value).split(",")  # each part is stripped below (a \s*,\s* regex is quadratic)
    seen: dict[str, None] = {}
    for text in out:
        text = text.strip()
        if text:
            seen.setdefault(text, None)
    return list(seen)


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

    def normal(name: str) -> str:
        # A related file named as it is ("PM2021-005 - All services.md") means the id it makes.
        return _normal_id(name) if ID_RE.match(name.strip().lower()) else file_id(name.strip())

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


@cache
def _enum_reader(values: type[Enum]) -> Callable[[Entry], Enum]:
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
    from ..suggest import closest

    written = str(entry.value).strip().lower()
    found = spelled.get(_word_form(written))
    if found is not None:
        return found
    guess = closest(written, list(spelled))
    hint = f"; did you mean {guess!r}?" if guess else ""
    shown = repr(entry.value) if len(written) <= 40 else brief(str(entry.value))
    raise _Invalid(f"expected one of {expected}, got {shown}{hint}")


_WORD_GAPS = re.compile(r"[\s_-]+")
_KEY_GAPS = re.compile(r"[\s-]+")


def _word_form(text: str) -> str:
    return " ".join(_WORD_GAPS.split(text.strip().lower()))


def _key_form(key: str) -> str:
    # `Start-Time`, `start time` and `start_time` are one key.
    return "_".join(_KEY_GAPS.split(key.strip().lower()))


def _severity(entry: Entry) -> int:
    try:
        return read_severity(entry.value, entry.raw)
    except SeverityError as exc:
        raise _Invalid(str(exc)) from None


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


def _readers(registry: fieldspec.Registry) -> dict[str, Callable[[Entry], Any]]:
    return {spec.name: _reader(spec) for spec in registry}


def _reader(spec: FieldSpec) -> Callable[[Entry], Any]:
    """How a field's written value becomes its typed value."""
    if spec.reading:
        return _BY_READING[spec.reading]
    if spec.enum is not None:
        return _enum_reader(spec.enum)
    return _BY_TYPE[spec.value_type]


def _int(entry: Entry) -> int:
    value = entry.value
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    written = str(value).strip()
    if not _WHOLE_NUMBER.match(written):  # a 64-bit number at most: longer text is not a count
        raise _Invalid(f"expected a whole number, got {brief(written)}")
    return int(written)


_WHOLE_NUMBER = re.compile(r"-?[0-9]{1,18}\Z")


_BY_TYPE: dict[ValueType, Callable[[Entry], Any]] = {
    ValueType.TEXT: _text, ValueType.ID: _id, ValueType.INT: _int, ValueType.DATE: _date,
    ValueType.DATETIME: _datetime, ValueType.TEXT_LIST: _list, ValueType.ID_LIST: _ids,
}
_BY_READING: dict[str, Callable[[Entry], Any]] = {"severity": _severity, "document ids": _related_ids}
"""Readings beyond the type's (`FieldSpec.reading`)."""
_READS_LISTS = (_text, _list, _ids, _related_ids)
"""Readers that judge a list themselves; for any other field a list is one value too many."""
_ENUM_WORDS: dict[type[Enum], dict[str, Any]] = {Kind: _KIND_WORDS, Status: _STATUS_WORDS}
"""Besides their values, the words written for kind and status."""
