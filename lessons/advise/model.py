"""What `KnowledgeBase.advise` takes and returns: a planned change, and advice on it.

Plain typed data; every result has `to_dict()` for JSON (the CLI's ``--format json`` and
tools that call lessons, such as an MCP server). The keys of `to_dict()` are stable.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model import ActionItem, Document
from ..query.causes import CauseSuggestion
from ..query.results import Match


@dataclass(slots=True)
class Change:
    """A planned change: a description, a pull request, or what a git range holds."""

    description: str = ""
    """Free text: what the change does (a PR's title and body, commit messages)."""
    paths: list[str] = field(default_factory=list)
    """Files the change touches, relative to the repository (their words count too)."""
    diff: str = ""
    """Words the change adds or removes (a diff's ``+``/``-`` lines), weighed less than the description."""
    services: list[str] = field(default_factory=list)
    """Services the change touches (given, or mapped from `paths` by the settings)."""

    @property
    def text(self) -> str:
        """Everything advice is looked up by, as one text."""
        paths = " ".join(p.replace("/", " ") for p in self.paths)
        return "\n".join(part for part in (self.description, " ".join(self.services), paths,
                                           self.diff[:20_000]) if part.strip())


@dataclass(slots=True)
class IncidentAdvice:
    """A past incident like the change, with why and what it taught."""

    document: Document
    score: float
    """0–1, most similar first."""
    why: list[Match] = field(default_factory=list)
    """Shared words, services and causes."""
    lesson: str = ""
    """Its lesson in a sentence or two: the item of "Lessons learned" closest to the change,
    else the start of that section, else the summary."""
    source: str = ""
    """The source (repository) it belongs to, in an index that holds several teams'."""

    @property
    def reason(self) -> str:
        """The reasons in one line."""
        shared: dict[str, list[str]] = {}
        for m in self.why:
            if m.how in ("shared", "suggested"):
                name = "same " + m.field.rstrip("s") if m.how == "shared" else "suggested cause"
                shared.setdefault(name, []).append(m.term)
        parts = [f"{name}: {', '.join(values)}" for name, values in shared.items()]
        words = list(dict.fromkeys(m.term for m in self.why if m.how not in ("shared", "suggested")))
        if words:
            parts.append("shared words: " + ", ".join(words[:6]))
        return "; ".join(parts)

    def to_dict(self) -> dict[str, object]:
        doc = self.document
        return {"id": doc.id, "source": self.source, "title": doc.title,
                "date": doc.date.isoformat() if doc.date else None, "path": str(doc.path),
                "score": round(self.score, 4), "why": [str(m) for m in self.why],
                "reason": self.reason, "services": list(doc.services), "causes": list(doc.causes),
                "lesson": self.lesson}


@dataclass(slots=True)
class PracticeAdvice:
    """A practice that addresses the causes the similar incidents share, as a short checklist."""

    document: Document
    checklist: list[str] = field(default_factory=list)
    """The items of its Checklist section most relevant to the change, in the article's order."""
    causes: list[str] = field(default_factory=list)
    """The causes of the advice it addresses (its ``prevents:``)."""
    linked_from: list[str] = field(default_factory=list)
    """Ids of the similar incidents whose text links to it."""

    @property
    def reason(self) -> str:
        parts = []
        if self.causes:
            parts.append("addresses " + ", ".join(self.causes))
        if self.linked_from:
            parts.append("recommended by " + ", ".join(self.linked_from))
        return "; ".join(parts)

    def to_dict(self) -> dict[str, object]:
        doc = self.document
        return {"id": doc.id, "title": doc.title, "path": str(doc.path), "checklist": list(self.checklist),
                "causes": list(self.causes), "linked_from": list(self.linked_from), "reason": self.reason}


@dataclass(slots=True)
class CauseAdvice:
    """A cause the similar incidents share (or the change's text suggests), and what addresses it."""

    cause: str
    """The cause id."""
    title: str
    incidents: list[str] = field(default_factory=list)
    """Ids of the similar incidents that name it (or are suggested it)."""
    suggestion: CauseSuggestion | None = None
    """Set when the change's own text points to the cause."""
    practices: list[str] = field(default_factory=list)
    """Ids of the practices in `Advice.practices` that address it."""

    @property
    def reason(self) -> str:
        parts = []
        if self.incidents:
            parts.append("in " + ", ".join(self.incidents))
        if self.suggestion is not None:
            words = self.suggestion.words
            parts.append("suggested by the change" + (f" (words: {', '.join(words)})" if words else ""))
        return "; ".join(parts)

    def to_dict(self) -> dict[str, object]:
        return {"cause": self.cause, "title": self.title, "incidents": list(self.incidents),
                "suggestion": self.suggestion.to_dict() if self.suggestion else None,
                "practices": list(self.practices), "reason": self.reason}


@dataclass(slots=True)
class Advice:
    """What has gone wrong before with changes like this, and what to do about it."""

    change: Change
    incidents: list[IncidentAdvice] = field(default_factory=list)
    """The most similar past incidents, most similar first."""
    causes: list[CauseAdvice] = field(default_factory=list)
    """The causes they share, most weighty first."""
    practices: list[PracticeAdvice] = field(default_factory=list)
    """The practices that address those causes, each with a short checklist."""
    actions: list[ActionItem] = field(default_factory=list)
    """Open action items of those incidents: work promised and not done."""

    def to_dict(self) -> dict[str, object]:
        return {
            "change": {"services": list(self.change.services), "paths": list(self.change.paths)},
            "incidents": [i.to_dict() for i in self.incidents],
            "causes": [c.to_dict() for c in self.causes],
            "practices": [p.to_dict() for p in self.practices],
            "actions": [{"document": a.document_id, "text": a.text, "owner": a.owner,
                         "due": a.due.isoformat() if a.due else None, "line": a.line} for a in self.actions],
        }
