"""Front-matter fields: what each key means, and turning written values into typed ones.

Every problem found here is a `Problem` tied to the key's line; a bad optional
field is dropped and reported, so one typo never hides the rest of a document.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from .. import fieldspec
from ..display import brief
from ..errors import Level, Problem
from ..fieldspec import Status, ValueType
from ..suggest import closest
from .dates import read_day
from .entries import Entry
from .fieldvalues import ID_RE as ID_RE
from .fieldvalues import READS_LISTS, Invalid, normal_id, reader_of, readers_of
from .fieldvalues import file_id as file_id

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
    fields = Fields({}, {}, {}, [], [])
    problems = fields.problems
    written: dict[str, Entry] = {}  # known key -> where it was first written, in whatever spelling
    registry = fieldspec.FIELDS
    shape = _shape(registry, tuple(entries))
    readings = registry.derived("readings", _readings)
    pairs = list(zip(shape.plans, entries.values(), strict=True))
    direct: dict[str, Entry] = {}  # known key -> where it was written as itself or a spelling alias
    if shape.stand_ins:
        for plan, entry in pairs:
            direct.setdefault(plan.direct, entry)

    def report(entry: Entry, code: str, message: str, level: Level = Level.ERROR) -> None:
        problems.append(Problem(path, entry.line, code, message, level, entry.column))

    for plan, entry in pairs:
        if entry.problems:
            problems.extend(entry.problems)  # the YAML's own oddities: a tag ignored, nesting cut off
        key = plan.field or _unspelled(plan, entry, direct, written, fields.extra, report)
        if not key:
            continue
        first = written.get(key)
        if first is not None:
            report(entry, "duplicate-key",
                   f"{plan.written!r} repeats {first.key!r} (line {first.line}); keep one of them")
            continue
        written[key] = entry
        if entry.value is None or entry.value == "" or entry.value == []:
            continue  # an empty optional field is the same as an absent one
        fields.lines[key] = entry.line  # even when the value is invalid: the key was written
        try:
            _read_value(key, readings[key], entry, fields)
        except Invalid as exc:
            report(entry, exc.code, f"{key}: {exc}")
    if shape.draft >= 0:
        _read_draft(pairs[shape.draft][1], "status" in written, fields.values, fields.lines, report)
    return fields


def _unspelled(plan: _KeyPlan, entry: Entry, direct: dict[str, Entry], written: dict[str, Entry],
               extra: dict[str, Any], report: Callable[..., None]) -> str:
    """The field a key that spells none is read as: the one it stands in for, when that is not written.

    Otherwise "", and the key is kept in `extra` (with a warning unless it is one of `KEPT_KEYS`).
    """
    if plan.stand_in is not None:
        field_entry = direct.get(plan.stand_in) or written.get(plan.stand_in)
        if field_entry is None:
            return plan.stand_in
        extra[plan.written] = entry.value
        report(entry, "ignored-key", f"{plan.written!r} is another name for {plan.stand_in!r}, which is "
               f"written too ({field_entry.key!r}, line {field_entry.line}); {plan.written!r} is not read",
               Level.WARNING)
        return ""
    extra[plan.written] = entry.value
    if not plan.kept:
        report(entry, "unknown-key", _unknown_key(fieldspec.FIELDS, plan.written), Level.WARNING)
    return ""


@dataclass(frozen=True, slots=True)
class _KeyPlan:
    """What a written key means to a registry: the same for every file that writes it."""

    written: str
    field: str
    """The field it spells (`organisation` -> organization), or ""."""
    direct: str
    """The field it spells, or the key in lower case: what `direct` knows it by."""
    stand_in: str | None
    """The field it stands in for when that is not written (`impact_start` -> started)."""
    kept: bool
    """A key of `KEPT_KEYS`: kept in `extra` without a warning."""
    draft: bool
    """Jekyll's and Hugo's `draft:` in some spelling."""


@dataclass(frozen=True, slots=True)
class _Shape:
    """The keys of a front matter, in order, as a registry reads them: files from one template share it."""

    plans: tuple[_KeyPlan, ...]
    stand_ins: bool
    """Whether a key may stand in for a field."""
    draft: int
    """The place of the first `draft:` key, or -1."""


@lru_cache(maxsize=1024)
def _shape(registry: fieldspec.Registry, keys: tuple[str, ...]) -> _Shape:
    plans = tuple(_key_plan(registry, key) for key in keys)
    draft = next((at for at, plan in enumerate(plans) if plan.draft), -1)
    return _Shape(plans, any(plan.stand_in is not None for plan in plans), draft)


def _key_plan(registry: fieldspec.Registry, written_key: str) -> _KeyPlan:
    lower = written_key.lower()
    field = registry.spellings.get(lower, "")
    form = _key_form(written_key)
    # "draft" in the key is a necessary condition of its key form being "draft".
    return _KeyPlan(written_key, field, field or lower, None if field else registry.stand_ins.get(form),
                    form in KEPT_KEYS, "draft" in lower and form == "draft")


def _read_draft(draft: Entry, status_written: bool, values: dict[str, Any], lines: dict[str, int],
                report: Callable[[Entry, str, str], None]) -> None:
    """Jekyll and Hugo mark an unfinished page `draft: true`; it is a draft here too, unless `status:` says."""
    flag = _flag(draft.value)
    if flag is None and draft.value is not None:
        report(draft, "invalid-field", f"draft: expected true or false, got {brief(str(draft.value))}")
    elif flag and not status_written:
        values["status"] = Status.DRAFT
        lines["status"] = draft.line


@lru_cache(maxsize=1024)
def _unknown_key(registry: fieldspec.Registry, written_key: str) -> str:
    guess = closest(written_key, registry.names)
    hint = f"; did you mean {guess!r}?" if guess else ""
    return f"unknown front-matter key {written_key!r}{hint}"


def _read_value(key: str, reading: _Reading, entry: Entry, fields: Fields) -> None:
    """Type one known field's value into `fields` (raises `Invalid`)."""
    reader, timed, ids = reading
    value = entry.value
    if not timed and entry.raw is not None and type(value) in _SCALAR_TYPES and not entry.items:
        # A scalar's reading depends on nothing but what was written: read each once. (Times are
        # read once by `dates` already, and are seldom written alike.)
        typed = _scalar_reading(reader, type(value).__name__, value, entry.raw)
        if isinstance(typed, _Refusal):
            raise Invalid(typed.message, typed.code)
        fields.values[key] = list(typed) if isinstance(typed, list) else typed
        return
    if isinstance(value, list) and reader not in READS_LISTS:
        raise Invalid("expected one value, got a list")
    fields.values[key] = reader(entry)
    if timed and read_day(entry.raw or str(entry.value)) is not None:
        fields.day_only.append(key)
    lines = fields.lines
    for item in entry.items:
        if item.raw is not None:
            # Where each list item was written, so a finding can point at it.
            lines[f"{key}[{normal_id(item.raw) if ids else item.raw.strip()}]"] = item.line


_Reading = tuple[Callable[[Entry], Any], bool, bool]
"""A field's reader, whether it is a time (a date alone is noted), whether its items are ids."""


def _readings(registry: fieldspec.Registry) -> dict[str, _Reading]:
    readers = registry.derived("readers", readers_of)
    return {spec.name: (readers[spec.name], spec.value_type is ValueType.DATETIME,
                        spec.value_type is ValueType.ID_LIST) for spec in registry}


_SCALAR_TYPES = frozenset({str, int, float, bool, type(None), date, datetime})
"""What YAML makes of a scalar (never with items): immutable, each type with a name of its own.
With the text as written and its type, the value is the one YAML makes of that text."""


@dataclass(frozen=True, slots=True)
class _Refusal:
    message: str
    code: str


@lru_cache(maxsize=4096)
def _scalar_reading(reader: Callable[[Entry], Any], kind: str, value: Any, raw: str) -> Any:
    """A field's reading of a scalar, or why it refuses it (a `_Refusal`).

    Keyed by the name of the value's type too: ``1``, ``1.0`` and ``true`` are equal keys to Python.
    """
    try:
        return reader(Entry("", value, 0, 1, raw))
    except Invalid as exc:
        return _Refusal(str(exc), exc.code)


def read_field(key: str, text: str) -> Any | None:
    """A field's value read from text as front matter's would be; None when it does not read."""
    spec = fieldspec.FIELDS.by_name.get(key)
    if spec is None:
        return None
    try:
        return reader_of(spec)(Entry(key, text, 0, 1, text))
    except Invalid:
        return None


def _flag(value: Any) -> bool | None:
    """True or false as YAML or a person writes it (``true``, ``"yes"``); None for anything else."""
    if isinstance(value, bool):
        return value
    return _FLAG_WORDS.get(value.strip().lower()) if isinstance(value, str) else None


_FLAG_WORDS = {"true": True, "yes": True, "on": True, "false": False, "no": False, "off": False}



_KEY_GAPS = re.compile(r"[\s-]+")


def _key_form(key: str) -> str:
    # `Start-Time`, `start time` and `start_time` are one key.
    return "_".join(_KEY_GAPS.split(key.strip().lower()))
