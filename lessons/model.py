"""The plain, typed data that the rest of `lessons` passes around.

These are slotted dataclasses rather than pydantic models: validation happens in
`lessons.parsing.fields`, where every problem can be tied to a line of the source file,
and `import lessons` stays fast.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date, datetime, timedelta, tzinfo
from enum import Enum
from functools import cache
from pathlib import Path
from typing import Any

from . import fieldspec
from .errors import Level, Problem
from .fieldspec import Kind, Status

__all__ = ["CORE_SECTIONS", "SECTION_NAMES", "ActionItem", "Document", "Kind", "Link", "ParseNotes", "RawHtml",
           "Section", "Status", "TimelineEvent", "document_from_dict", "shifted"]


# The canonical section names, in the order a post-mortem usually has them.
SECTION_NAMES: tuple[str, ...] = (
    "summary",
    "impact",
    "timeline",
    "causes",
    "detection",
    "resolution",
    "lessons",
    "action-items",
)

# What a published post-mortem must contain.
CORE_SECTIONS: tuple[str, ...] = ("summary", "impact", "causes", "resolution")


@dataclass(slots=True)
class Section:
    """One `##` section of a document body."""

    name: str
    """Canonical name (``causes``) for a recognised heading, else the heading slugified."""
    heading: str
    """The heading as written (``Root Causes``)."""
    line: int
    """1-based line of the heading."""
    text: str = ""
    """The section's plain text, without Markdown syntax."""


@dataclass(slots=True)
class TimelineEvent:
    """One entry of a timeline (a list item or a table row)."""

    text: str
    """What happened, without the timestamp."""
    line: int
    """1-based line in the source file."""
    at: datetime | None = None
    """When it happened (UTC), if the entry's time could be read."""
    time_text: str = ""
    """The time as written in the source (``07:00 PST``)."""


@dataclass(slots=True)
class ActionItem:
    """A follow-up task: a task-list item, a bullet or a table row under Action items."""

    text: str
    """The task, without owner and due date."""
    line: int
    """1-based line in the source file."""
    done: bool = False
    """Ticked (``- [x]``) or marked done in a status column."""
    owner: str | None = None
    """Who owns it (``owner: payments`` or ``@payments``)."""
    due: date | None = None
    """When it is due (``due: 2024-05-01``)."""
    document_id: str = ""
    """The id of the document the item belongs to."""
    tracker: str | None = None
    """Where the work is tracked: a URL, or an issue key such as ``OPS-123`` (the settings' `trackers` link it)."""

    def is_overdue(self, today: date | None = None) -> bool:
        """True when the item is open and its due date has passed."""
        return not self.done and self.due is not None and self.due < (today or date.today())


@dataclass(slots=True)
class Link:
    """A Markdown link or image in a document body."""

    target: str
    """The URL or relative path as written."""
    line: int
    """1-based line in the source file."""
    text: str = ""
    """The link text."""


@dataclass(slots=True)
class RawHtml:
    """A piece of raw HTML found in a document body."""

    html: str
    line: int


@dataclass(slots=True)
class ParseNotes:
    """What reading a document noted beside its values: where things were written and found."""

    lines: dict[str, int] = field(default_factory=dict)
    """1-based line of each front-matter key (and ``key[item]`` of each list item), so findings
    can point at it; a field read from a body label has the label's line."""
    day_precision: list[str] = field(default_factory=list)
    """Time fields (``started``, ``resolved`` …) written as a date alone: known to the day."""
    date_source: str = ""
    """Where the date was read: ``"front matter"``, ``"date line"``, ``"file name"``,
    ``"timeline"``, ``"summary"``, ``"intro"`` or ``"impact"`` (its first paragraph)."""
    problems: list[Problem] = field(default_factory=list)
    """What reading the document found that did not stop it being read."""


@dataclass(slots=True)
class Document:
    """A validated post-mortem or practice article."""

    id: str
    """Front-matter ``id``, else the file stem."""
    title: str
    kind: Kind
    path: Path
    """Where the document was read from."""
    date: date | None = None
    """The day the incident began (required for post-mortems)."""
    status: Status = Status.PUBLISHED
    severity: int | None = None
    """0 or 1 (the worst) … 5: teams that use SEV0 keep it."""
    organization: str | None = None
    services: list[str] = field(default_factory=list)
    started: datetime | None = None
    detected: datetime | None = None
    mitigated: datetime | None = None
    resolved: datetime | None = None
    causes: list[str] = field(default_factory=list)
    """Cause ids from the taxonomy."""
    tags: list[str] = field(default_factory=list)
    summary: str = ""
    sources: list[str] = field(default_factory=list)
    related: list[str] = field(default_factory=list)
    """Ids of related documents."""
    prevents: list[str] = field(default_factory=list)
    """Practices only: the cause ids the practice addresses."""
    authors: list[str] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    timeline: list[TimelineEvent] = field(default_factory=list)
    timeline_moments: dict[str, datetime] = field(default_factory=dict)
    """``started``, ``detected`` and ``resolved`` as the timeline tells them, read when the
    document was parsed (unless the front matter gives all three); `moment` decides
    between them and the front matter."""
    stated_durations: dict[str, int] = field(default_factory=dict)
    """Minutes the document states outright, by ``"detect"`` and ``"resolve"`` ("Time to
    detection: 8 minutes", "Duration: 2 days"): they win over the timeline's guess."""
    action_items: list[ActionItem] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    html: list[RawHtml] = field(default_factory=list)
    body: str = ""
    """The Markdown after the front matter, as written."""
    body_line: int = 1
    """1-based line in the file where `body` starts."""
    text: str = ""
    """The whole body as plain text, for search."""
    extra: dict[str, Any] = field(default_factory=dict)
    """Front-matter keys that `lessons` does not know (kept, reported as warnings)."""
    more_fields: dict[str, Any] = field(default_factory=dict)
    """Values of registered fields (`fieldspec.FIELDS`) that have no attribute here, by name."""
    content_hash: str = ""
    """SHA-256 of the file's bytes, for incremental indexing."""
    notes: ParseNotes = field(default_factory=ParseNotes)
    """Lines, precision, where derived values came from, and the findings of reading."""

    @property
    def field_lines(self) -> dict[str, int]:
        """`ParseNotes.lines` (kept for code written before the notes moved)."""
        return self.notes.lines

    @property
    def day_precision(self) -> list[str]:
        """`ParseNotes.day_precision`."""
        return self.notes.day_precision

    @property
    def date_source(self) -> str:
        """`ParseNotes.date_source`."""
        return self.notes.date_source

    @property
    def problems(self) -> list[Problem]:
        """`ParseNotes.problems`."""
        return self.notes.problems

    def value(self, name: str) -> Any:
        """The value of any registered field by name, whether or not it has an attribute."""
        if name in _ATTRIBUTES:
            return getattr(self, name)
        return self.more_fields.get(name, fieldspec.FIELDS[name].empty())

    def section(self, name: str) -> Section | None:
        """The first section with this canonical name, or None."""
        for section in self.sections:
            if section.name == name:
                return section
        return None

    @property
    def time_to_detect(self) -> timedelta | None:
        """``detected - started`` (see `duration_source` for which of three sources says so)."""
        return self._duration("detect", "detected")

    @property
    def time_to_resolve(self) -> timedelta | None:
        """``resolved - started``, the incident's duration (see `duration_source`)."""
        return self._duration("resolve", "resolved")

    def duration_source(self, name: str) -> str | None:
        """Where the time to ``"detect"`` or ``"resolve"`` comes from, or None when it is unknown.

        ``"front matter"`` when its fields give both moments to the minute; else ``"as stated"``
        when the text states the duration ("Time to detection: 8 minutes"); else ``"from the
        timeline"`` or ``"front matter"``, as `moment_source` says of the end.
        """
        end = "detected" if name == "detect" else "resolved"
        sources = (self.moment_source("started"), self.moment_source(end))
        if sources == ("front matter", "front matter") and self._duration(name, end) is not None:
            return "front matter"
        if name in self.stated_durations:
            return "as stated"
        if self._duration(name, end) is None:
            return None
        return "from the timeline" if "timeline" in sources else "front matter"

    def _duration(self, name: str, end: str) -> timedelta | None:
        span = _span(self.moment("started"), self.moment(end))
        if span is not None and (self.moment_source("started"), self.moment_source(end)) == (
                "front matter", "front matter"):
            return span
        stated = self.stated_durations.get(name)
        return timedelta(minutes=stated) if stated is not None else span

    def moment(self, name: str) -> datetime | None:
        """When the incident ``started``, was ``detected`` or ``resolved``, to the minute.

        The front-matter field when it gives a time (None when it gives only the day);
        when the front matter does not have the field, read off the timeline (see
        `moment_source`); else None.
        """
        value: datetime | None = getattr(self, name)
        if value is not None:  # known to the minute, or only to the day: the timeline may not overrule it
            return None if name in self.notes.day_precision else value
        derived = self.timeline_moments.get(name)
        if derived is None or name == "started":
            return derived
        # An alert or a recovery the timeline tells of before the start (or, for an
        # alert, after the recovery) is about something else: a later report, a retro.
        started = self.moment("started")
        resolved = self.moment("resolved") if name == "detected" else None
        if (started is not None and _comparable(started, derived) and derived < started) or (
                resolved is not None and _comparable(derived, resolved) and derived > resolved):
            return None
        return derived

    def moment_source(self, name: str) -> str | None:
        """Where `moment` found its answer: ``"front matter"``, ``"timeline"`` or None.

        From the timeline, ``started`` is its first timed entry, ``detected`` the first
        entry after it that tells of an alert, a page or a report, and ``resolved`` the
        last that tells of a recovery ("resolved", "restored", "back to normal" …).
        """
        if getattr(self, name) is not None:
            return None if name in self.notes.day_precision else "front matter"
        return "timeline" if self.moment(name) is not None else None

    def line_of(self, key: str, item: str | None = None) -> int:
        """The line of a front-matter key (or of one item of a list), else 1."""
        lines = self.notes.lines
        if item is not None and f"{key}[{item}]" in lines:
            return lines[f"{key}[{item}]"]
        return lines.get(key, 1)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict of the document (dates as ISO strings)."""
        return {name: jsonable(getattr(self, name)) for name in _field_names(Document)}


def shifted(moment: datetime | None, delta: timedelta | None = timedelta(0), *,
            zone: tzinfo | None = None) -> datetime | None:
    """``moment + delta``, seen in `zone` when one is given; None when either is unknown.

    Also None when the result falls outside the years 1–9999 that `datetime` can hold
    (``T+1d`` after 9999-12-31T23:00Z, or 0001-01-01T00:10+05:00 moved to UTC): such a
    time is unreadable, never an exception. Every sum or change of zone of a time read
    from a document goes through here.
    """
    if moment is None or delta is None:
        return None
    try:
        moment = moment + delta
        return moment.astimezone(zone) if zone is not None else moment
    except (OverflowError, ValueError):
        return None


def _comparable(one: datetime, other: datetime) -> bool:
    return (one.tzinfo is None) == (other.tzinfo is None)


def _span(start: datetime | None, end: datetime | None) -> timedelta | None:
    if start is None or end is None or not _comparable(start, end) or end < start:
        return None  # an end before its start is a mistake `lessons check` reports, not a duration
    return end - start


def jsonable(value: Any) -> Any:
    """A value as `to_dict` writes it: dates, enums, paths and dataclasses made plain (not deep-copied)."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Path):
        return str(value)
    if hasattr(value, "__dataclass_fields__"):
        return {name: jsonable(getattr(value, name)) for name in _field_names(value.__class__)}
    return value


@cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))


def document_from_dict(data: dict[str, Any]) -> Document:
    """Rebuild a `Document` from `Document.to_dict()` output (as the index stores it).

    The fields are decoded as `fieldspec.FIELDS` says; a required one missing is a KeyError.
    """
    values: dict[str, Any] = {}
    more: dict[str, Any] = {}
    stored_more = data.get("more_fields") or {}
    plan = fieldspec.FIELDS.derived("model", lambda fields: [
        (name, required, decode, name in _ATTRIBUTES) for name, required, decode in fields.decoders])
    for name, required, decode, attribute in plan:
        if attribute:
            values[name] = decode(data[name] if required else data.get(name))
        else:
            more[name] = decode(stored_more[name] if required else stored_more.get(name))
    # Notes were top-level keys before `ParseNotes`: such JSON still reads.
    notes = data.get("notes") or {**data, "lines": data.get("field_lines", {})}
    return Document(
        **values, path=Path(data["path"]), more_fields=more,
        sections=[Section(**s) for s in data.get("sections", [])],
        timeline=[TimelineEvent(e["text"], e["line"], _moment(e.get("at")), e.get("time_text", ""))
                  for e in data.get("timeline", [])],
        timeline_moments={name: datetime.fromisoformat(at) for name, at in data.get("timeline_moments", {}).items()},
        stated_durations=dict(data.get("stated_durations", {})),
        action_items=[ActionItem(a["text"], a["line"], a.get("done", False), a.get("owner"), _day(a.get("due")),
                                 a.get("document_id", ""), a.get("tracker"))
                      for a in data.get("action_items", [])],
        links=[Link(**link) for link in data.get("links", [])],
        html=[RawHtml(**raw) for raw in data.get("html", [])],
        body=data.get("body", ""), body_line=data.get("body_line", 1),
        text=data.get("text") or "\n".join(s["text"] for s in data.get("sections", []) if s["text"]),
        extra=dict(data.get("extra", {})), content_hash=data.get("content_hash", ""),
        notes=ParseNotes(dict(notes.get("lines", {})), list(notes.get("day_precision", [])),
                         notes.get("date_source", ""), [Problem(Path(p["path"]), p["line"], p["code"], p["message"],
                         Level(p["level"]), p.get("column", 1)) for p in notes.get("problems", [])]),
    )


def _moment(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


_ATTRIBUTES = frozenset(_field_names(Document))
"""The registered fields `Document` has attributes for; the others go to `more_fields`."""
