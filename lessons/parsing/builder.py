"""A document while the readers fill it in."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from pathlib import Path
from typing import Any

from .. import fieldspec
from ..errors import Problem
from ..model import ActionItem, Document, Kind, Link, ParseNotes, RawHtml, Section, TimelineEvent
from .fields import Fields


@dataclass(slots=True)
class DocumentBuilder:
    """What the readers have found so far; `build` makes the `Document`."""

    path: Path
    kind: Kind
    """The kind to read the document as (a post-mortem until it turns out to be a plain page)."""
    fields: Fields
    """The front matter, typed; readers add fields written in the body (``**Date:** …``)."""
    problems: list[Problem]
    body: str
    body_line: int
    content_hash: str
    labelled: dict[str, tuple[str, int]] = field(default_factory=dict)
    """Fields written as labels in the body: field -> (value as written, line); the first wins."""
    title: str = ""
    date: date | None = None
    date_source: str = ""
    """Where the date was found: "front matter", "date line", "file name", "timeline", "summary" …"""
    id: str = ""
    sections: list[Section] = field(default_factory=list)
    summary: str = ""
    timeline: list[TimelineEvent] = field(default_factory=list)
    timeline_moments: dict[str, datetime] = field(default_factory=dict)
    stated_durations: dict[str, int] = field(default_factory=dict)
    """Minutes the text states for ``detect`` and ``resolve``."""
    timeline_posted: bool = False
    """The timeline is a status page's updates: when each was posted, not when things happened."""
    signs: set[str] = field(default_factory=set)
    """What, besides its sections, says a page is a post-mortem ("status updates", "impact span")."""
    kind_settled: bool = True
    """The document is one whatever it reads like (its folder or front matter says so): `signs`
    decide nothing, and a reader may skip work done only for them."""
    action_items: list[ActionItem] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    html: list[RawHtml] = field(default_factory=list)

    def build(self) -> Document:
        """The document, with the front matter's values and what the readers found."""
        values = self.fields.values
        found = {"id": self.id, "title": self.title, "kind": self.kind, "date": self.date, "summary": self.summary}
        typed: dict[str, Any] = {}
        more: dict[str, Any] = {}
        for name, empty, attribute in fieldspec.FIELDS.derived("builder", _plan):
            value = found[name] if name in found else values[name] if name in values else empty()
            (typed if attribute else more)[name] = value
        doc = Document(
            **typed, path=self.path, more_fields=more,
            sections=self.sections, timeline=self.timeline, timeline_moments=self.timeline_moments,
            stated_durations=self.stated_durations, action_items=self.action_items, links=self.links,
            html=self.html, body=self.body, body_line=self.body_line, extra=self.fields.extra,
            content_hash=self.content_hash,
            notes=ParseNotes(self.fields.lines, self.fields.day_only, self.date_source, self.problems),
        )
        doc.text = "\n".join(s.text for s in self.sections if s.text)
        return doc


def _plan(registry: fieldspec.Registry) -> list[tuple[str, Callable[[], Any], bool]]:
    """Each field's name, its value when absent, and whether `Document` has an attribute for it."""
    return [(spec.name, spec.empty, spec.name in _ATTRIBUTES) for spec in registry]


_ATTRIBUTES = frozenset(f.name for f in fields(Document))
"""The registered fields `Document` has attributes for; the others go to `Document.more_fields`."""
