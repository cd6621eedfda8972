"""What the MCP tools return: typed results (pydantic models) with ids, titles, paths and why.

The SDK derives each tool's output schema from these, and sends both the structured result
and its JSON text, so a client that reads either gets the same answer.
"""

from __future__ import annotations

from pydantic import BaseModel, Field


class Hit(BaseModel):
    """One document a search or `similar` found."""

    id: str = Field(description="The document id: pass it to `show`.")
    title: str
    kind: str = Field(description="postmortem or practice")
    date: str | None = Field(description="The day the incident began (YYYY-MM-DD).")
    path: str = Field(description="The Markdown file, relative to the working directory when it is below it.")
    score: float = Field(description="Higher is better; comparable within one call (similar: 0-1).")
    snippet: str = Field(description="A passage with the matched words marked **like this**.")
    why: list[str] = Field(description="Why it matched: query word ~ document word (field), or a shared label.")


class Hits(BaseModel):
    """Results, best first."""

    results: list[Hit]


class Action(BaseModel):
    """One action item of a post-mortem."""

    text: str
    done: bool
    owner: str | None
    due: str | None = Field(description="YYYY-MM-DD")
    overdue: bool
    tracker: str | None = Field(description="Where the work is tracked: a URL or an issue key (OPS-123).")
    tracker_url: str | None = Field(description="The tracker reference as a link, when one is known.")
    document_id: str
    document_title: str
    path: str
    line: int


class Actions(BaseModel):
    """Action items, open ones soonest due first."""

    items: list[Action]


class Section(BaseModel):
    name: str = Field(description="Canonical name (summary, impact, causes …) or the heading slugified.")
    heading: str
    text: str


class Event(BaseModel):
    at: str | None = Field(description="When (ISO 8601, UTC), if the entry's time could be read.")
    text: str


class Practice(BaseModel):
    id: str
    title: str
    path: str
    addresses: list[str] = Field(description="The causes of the document that this practice addresses.")


class Shown(BaseModel):
    """One document in full: its fields, sections, timeline, action items and the practices for its causes."""

    id: str
    title: str
    kind: str
    path: str
    date: str | None
    status: str
    severity: int | None
    organization: str | None
    services: list[str]
    causes: list[str]
    tags: list[str]
    summary: str
    sources: list[str]
    related: list[str]
    prevents: list[str]
    time_to_detect_minutes: int | None
    time_to_resolve_minutes: int | None
    sections: list[Section]
    timeline: list[Event]
    action_items: list[Action]
    practices: list[Practice] = Field(description="Practice articles that address this post-mortem's causes.")


class PastIncident(BaseModel):
    """A past incident like the planned change, with why and its lesson."""

    id: str
    title: str
    date: str | None
    path: str
    score: float = Field(description="0-1, most similar first.")
    why: list[str] = Field(description="Shared words, services and causes.")
    reason: str = Field(description="The reasons in one line.")
    services: list[str]
    causes: list[str]
    lesson: str = Field(description="What it taught, in a sentence or two.")


class SharedCause(BaseModel):
    """A cause the similar incidents share (or the change's text suggests)."""

    cause: str
    title: str
    incidents: list[str] = Field(description="Ids of the similar incidents that name it.")
    practices: list[str] = Field(description="Ids of the practices below that address it.")
    reason: str


class Checklist(BaseModel):
    """A practice that addresses those causes, as a short checklist."""

    id: str
    title: str
    path: str
    checklist: list[str]
    causes: list[str] = Field(description="The causes of the advice it addresses.")
    reason: str


class Advised(BaseModel):
    """What has gone wrong before with changes like this one, and what to do about it."""

    incidents: list[PastIncident]
    causes: list[SharedCause]
    practices: list[Checklist]
    actions: list[Action] = Field(description="Open action items of those incidents: work promised, not done.")
