"""The MCP server: search, similar, show, actions and advise over one knowledge base, as typed tools.

Each tool brings the index up to date (the files may change while an assistant works),
calls one library method and turns its result into the models of `lessons.mcp.models`. A
mistake in the arguments (an unknown id, a date that is no date) is a tool error with the
library's one-line message; the SDK validates types against the input schemas first. The
SDK and pydantic are imported at the top: only `lessons mcp` imports this module.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Annotated, Literal, TypeVar

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from pydantic import Field

from .. import __version__
from ..advise import Advice, Change
from ..checks.settings import Settings, find_settings, load_settings
from ..cli.actions import action_row
from ..errors import LessonsError, display_path
from ..kb import KnowledgeBase
from ..opening import load
from ..model import ActionItem, Document
from ..query.results import SearchResult
from .models import (
    Action,
    Actions,
    Advised,
    Checklist,
    Event,
    Hit,
    Hits,
    PastIncident,
    Practice,
    Section,
    SharedCause,
    Shown,
)

_T = TypeVar("_T")
Names = Annotated[list[str] | None, Field(description="Any of these (omit for no filter).")]

INSTRUCTIONS = (
    "A team's post-mortems and practice articles. Before a risky change or during an incident, `search` "
    "or `similar` for what went wrong before, `advise` on a planned change for the incidents, causes and "
    "practice checklists that concern it, `show` an id for the whole story and the practices that "
    "address its causes, and `actions` for the work the team promised (open or overdue)."
)


class _Session:
    """The knowledge base, opened once and refreshed before each call; one call at a time."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.kb: KnowledgeBase | None = None
        self.lock = threading.Lock()

    def run(self, work: Callable[[KnowledgeBase], _T]) -> _T:
        # The SDK runs plain functions in worker threads: the index is read by one at a time.
        with self.lock:
            try:
                if self.kb is None:
                    self.kb = load(self.root)
                else:
                    self.kb.refresh()
                return work(self.kb)
            except LessonsError as exc:
                raise ToolError(str(exc)) from None


def build_server(root: Path) -> MCPServer:
    """An MCP server over the knowledge base in `root` (not started: call ``.run()``)."""
    session = _Session(root)
    # Tool errors are answers to the client; the SDK logging each at INFO would only clutter its stderr.
    server = MCPServer("lessons", version=__version__, instructions=INSTRUCTIONS, log_level="WARNING")
    _search_tools(server, session)
    _document_tools(server, session)
    _advise_tool(server, session)
    return server


def _search_tools(server: MCPServer, session: _Session) -> None:
    """`search` and `similar`."""
    @server.tool()
    def search(
        query: Annotated[str, Field(description="Words, an alert, an error message; typos are forgiven.")],
        kind: Literal["postmortem", "practice"] | None = None,
        causes: Names = None,
        tags: Names = None,
        services: Names = None,
        severity: Annotated[list[Annotated[int, Field(ge=0, le=5)]] | None,
                            Field(description="Any of these severities (0 or 1 is the worst).")] = None,
        since: Annotated[date | None, Field(description="Only incidents on or after this day.")] = None,
        until: Annotated[date | None, Field(description="Only incidents on or before this day.")] = None,
        status: list[Literal["draft", "in-review", "published"]] | None = None,
        limit: Annotated[int, Field(ge=1, le=100)] = 10,
    ) -> Hits:
        """Search the post-mortems and practices, best first, each with why it matched."""
        return session.run(lambda kb: _hits(kb.search(
            query, limit=limit, kind=kind, causes=causes, tags=tags, services=services, severity=severity,
            since=since, until=until, status=list(status) if status else None)))

    @server.tool()
    def similar(
        target: Annotated[str, Field(description="A document id, or free text: an alert, a change, a symptom.")],
        kind: Literal["postmortem", "practice", "any"] = "postmortem",
        limit: Annotated[int, Field(ge=1, le=50)] = 5,
    ) -> Hits:
        """Past incidents (or practices) most like a document or a text, scored 0-1, with shared causes and words."""
        return session.run(lambda kb: _hits(kb.similar(target, limit=limit, kind=None if kind == "any" else kind)))


def _document_tools(server: MCPServer, session: _Session) -> None:
    """`show` and `actions`."""
    @server.tool()
    def show(doc_id: Annotated[str, Field(description="The id of a post-mortem or practice.")]) -> Shown:
        """One document in full: fields, sections, timeline, action items and the practices for its causes."""
        return session.run(lambda kb: _shown(kb, kb.get(doc_id)))

    @server.tool()
    def actions(
        open: Annotated[bool, Field(description="Only items not done.")] = False,
        overdue: Annotated[bool, Field(description="Only open items past their due date.")] = False,
        owner: Annotated[str | None, Field(description="Only this owner (case-insensitive).")] = None,
        service: Annotated[str | None, Field(description="Only incidents about this service.")] = None,
        since: Annotated[date | None, Field(description="Only incidents on or after this day.")] = None,
        limit: Annotated[int, Field(ge=1, le=1000)] = 100,
    ) -> Actions:
        """Action items of every post-mortem, open ones soonest due first, with tracker links."""
        def listed(kb: KnowledgeBase) -> Actions:
            today = date.today()
            items = kb.action_items(status="open" if open or overdue else "all", owner=owner,
                                    overdue=True if overdue else None, today=today, service=service, since=since)
            settings = _settings(kb)
            return Actions(items=[_action(kb, item, settings, today) for item in items[:limit]])

        return session.run(listed)


def _advise_tool(server: MCPServer, session: _Session) -> None:
    """`advise`: what went wrong before with changes like a planned one."""
    @server.tool()
    def advise(
        change: Annotated[str, Field(description="The planned change: a description, a pull request's title "
                                                 "and body, commit messages.")],
        services: Annotated[list[str] | None, Field(description="Services the change touches.")] = None,
        paths: Annotated[list[str] | None, Field(description="Files the change touches (their words count; "
                                                            "`[services]` in the settings maps them).")] = None,
        limit: Annotated[int, Field(ge=1, le=20)] = 5,
    ) -> Advised:
        """What has gone wrong before with changes like this: similar incidents with why and their lesson,
        the causes they share, the practices that address them as checklists, and their open action items."""
        def advised(kb: KnowledgeBase) -> Advised:
            settings = _settings(kb)
            touched = list(dict.fromkeys([*(services or []), *settings.services_for(paths or [])]))
            return _advised(kb, kb.advise(Change(description=change, paths=list(paths or []), services=touched),
                                          limit=limit), settings)

        return session.run(advised)


def _advised(kb: KnowledgeBase, advice: Advice, settings: Settings) -> Advised:
    today = date.today()
    return Advised(
        incidents=[PastIncident(id=i.document.id, title=i.document.title,
                                date=i.document.date.isoformat() if i.document.date else None,
                                path=display_path(i.document.path), score=round(i.score, 4),
                                why=[str(m) for m in i.why], reason=i.reason, services=i.document.services,
                                causes=i.document.causes, lesson=i.lesson) for i in advice.incidents],
        causes=[SharedCause(cause=c.cause, title=c.title, incidents=c.incidents, practices=c.practices,
                            reason=c.reason) for c in advice.causes],
        practices=[Checklist(id=p.document.id, title=p.document.title, path=display_path(p.document.path),
                             checklist=p.checklist, causes=p.causes, reason=p.reason) for p in advice.practices],
        actions=[_action(kb, item, settings, today) for item in advice.actions],
    )


def _hits(results: list[SearchResult]) -> Hits:
    return Hits(results=[Hit(id=hit.document.id, title=hit.document.title, kind=hit.document.kind.value,
                             date=hit.document.date.isoformat() if hit.document.date else None,
                             path=display_path(hit.document.path), score=round(hit.score, 4),
                             snippet=hit.snippet, why=[str(match) for match in hit.why]) for hit in results])


def _settings(kb: KnowledgeBase) -> Settings:
    return load_settings(find_settings(kb.root))


def _action(kb: KnowledgeBase, item: ActionItem, settings: Settings, today: date) -> Action:
    return Action(**action_row(item, kb.get(item.document_id), settings.tracker_url(item.tracker), today))


def _minutes(doc: Document, which: str) -> int | None:
    span = doc.time_to_detect if which == "detect" else doc.time_to_resolve
    return None if span is None else round(span.total_seconds() / 60)


def _shown(kb: KnowledgeBase, doc: Document) -> Shown:
    settings, today = _settings(kb), date.today()
    practices = [Practice(id=p.id, title=p.title, path=display_path(p.path),
                          addresses=[c for c in doc.causes if c in p.prevents]) for p in kb.practices_for(doc)]
    return Shown(
        id=doc.id, title=doc.title, kind=doc.kind.value, path=display_path(doc.path),
        date=doc.date.isoformat() if doc.date else None, status=doc.status.value, severity=doc.severity,
        organization=doc.organization, services=doc.services, causes=doc.causes, tags=doc.tags,
        summary=doc.summary, sources=doc.sources, related=doc.related, prevents=doc.prevents,
        time_to_detect_minutes=_minutes(doc, "detect"), time_to_resolve_minutes=_minutes(doc, "resolve"),
        sections=[Section(name=s.name, heading=s.heading, text=s.text) for s in doc.sections],
        timeline=[Event(at=e.at.isoformat() if e.at else None, text=e.text) for e in doc.timeline],
        action_items=[_action(kb, item, settings, today) for item in doc.action_items],
        practices=practices,
    )
