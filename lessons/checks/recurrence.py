"""Recurrence: a post-mortem that shares a cause and a service with an earlier one.

When the same cause hits the same service again within a year, the earlier incident's
action items either were not done or did not hold. The rule says so on the later
post-mortem only, once, naming the most recent earlier incident and its action items,
so a team that adopts lessons with fifty old incidents sees one line per recurrence, not
one per pair. A recurrence whose later incident is itself older than the window is
history: it is reported as information, and the insights page lists every recurrence.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from ..errors import Level, Problem
from ..kb import KnowledgeBase
from ..model import ActionItem, Document, Kind
from .settings import RECURRENCE_DAYS

CODE = "recurrence"
_ITEMS_SHOWN = 3


@dataclass(frozen=True, slots=True)
class Recurrence:
    """A post-mortem and the earlier ones it repeats."""

    later: Document
    """The post-mortem the recurrence is reported on."""
    earlier: tuple[Document, ...]
    """The earlier post-mortems within the window that share a cause and a service, most recent first
    (earlier: found before the later incident began)."""
    causes: tuple[str, ...]
    """The causes `later` shares with the most recent earlier one."""
    services: tuple[str, ...]
    """The services `later` shares with the most recent earlier one."""

    @property
    def previous(self) -> Document:
        """The most recent earlier post-mortem."""
        return self.earlier[0]

    @property
    def days_between(self) -> int:
        """Days from the previous incident to this one."""
        assert self.later.date is not None and self.previous.date is not None
        return (self.later.date - self.previous.date).days


def recurrences(kb: KnowledgeBase, docs: Iterable[Document] | None = None, *,
                days: int = RECURRENCE_DAYS) -> list[Recurrence]:
    """The recurrences among `docs` (default: every post-mortem), newest first.

    Args:
        kb: the knowledge base the earlier incidents are looked for in.
        docs: the post-mortems to judge (e.g. the new or changed ones); others are ignored.
        days: how many days before a post-mortem an earlier one still counts.
    """
    dated = [doc for doc in kb.postmortems if doc.date is not None and doc.causes and doc.services]
    by_service = _by_service(dated)
    found: list[Recurrence] = []
    for doc in (dated if docs is None else docs):
        if doc.kind is not Kind.POSTMORTEM or doc.date is None:
            continue
        earlier = [other for other in _within(by_service, doc, days)
                   if other.id != doc.id and _known_on(other) < doc.date and _same_team(doc, other)
                   and _shared(doc.causes, other.causes)]
        if earlier:
            earlier.sort(key=lambda other: (other.date, other.id), reverse=True)
            previous = earlier[0]
            found.append(Recurrence(doc, tuple(earlier), _shared(doc.causes, previous.causes),
                                    _shared(doc.services, previous.services)))
    return sorted(found, key=lambda r: (r.later.date, r.later.id), reverse=True)


_Dated = tuple[list[int], list[Document]]
"""Day ordinals, ascending, and the post-mortems of those days."""


def _by_service(docs: list[Document]) -> dict[str, _Dated]:
    # Looked up by service and day range: comparing every pair took minutes at 10,000 post-mortems.
    grouped: dict[str, list[Document]] = {}
    for doc in docs:
        for service in {s.lower() for s in doc.services}:
            grouped.setdefault(service, []).append(doc)
    index: dict[str, _Dated] = {}
    for service, members in grouped.items():
        members.sort(key=lambda d: d.date or date.min)
        index[service] = ([(d.date or date.min).toordinal() for d in members], members)
    return index


def _within(index: dict[str, _Dated], doc: Document, days: int) -> list[Document]:
    """The post-mortems dated in the `days` before `doc` (not on its day or later) that share a service."""
    assert doc.date is not None
    end = doc.date.toordinal()
    seen: dict[str, Document] = {}
    for service in {s.lower() for s in doc.services}:
        ordinals, members = index.get(service, ([], []))
        for other in members[bisect_left(ordinals, end - days):bisect_left(ordinals, end)]:
            seen.setdefault(other.id, other)
    return list(seen.values())


def recurrence_problems(kb: KnowledgeBase, docs: Iterable[Document], *, today: date,
                        days: int = RECURRENCE_DAYS) -> list[Problem]:
    """One finding per post-mortem in `docs` that repeats an earlier one, on its ``causes`` line.

    A warning when the post-mortem is within `days` of `today` (news the team should act on),
    information when it is older (history: reported, never failing a `--strict` check).
    """
    problems: list[Problem] = []
    for found in recurrences(kb, docs, days=days):
        doc, previous = found.later, found.previous
        assert doc.date is not None
        more = len(found.earlier) - 1
        also = f" (and {more} more within {days} days)" if more else ""
        message = (f"shares cause {_listed(found.causes)} and service {_listed(found.services)} with "
                   f"{previous.id}, {found.days_between} days earlier{also}; {action_summary(previous)}")
        level = Level.WARNING if (today - doc.date).days <= days else Level.INFO
        problems.append(Problem(doc.path, doc.line_of("causes"), CODE, message, level))
    return problems


def action_summary(doc: Document) -> str:
    """What became of an incident's action items, for the reader to judge: "done: Add a canary — did it hold?"."""
    items = doc.action_items
    if not items:
        return "it has no action items: were any agreed?"
    shown = "; ".join(_item(item) for item in items[:_ITEMS_SHOWN])
    rest = len(items) - _ITEMS_SHOWN
    return f"its action items: {shown}" + (f"; and {rest} more" if rest > 0 else "")


def _item(item: ActionItem) -> str:
    text = item.text if len(item.text) <= 70 else item.text[:69].rstrip() + "…"
    if item.done:
        return f"done: {text} — did it hold?"
    return f"open: {text}" + (f" (due {item.due})" if item.due else "")


def _shared(ours: list[str], theirs: list[str]) -> tuple[str, ...]:
    wanted = {value.lower() for value in theirs}
    return tuple(value for value in ours if value.lower() in wanted)


def _known_on(doc: Document) -> date:
    """The day an incident was known: detected (else resolved) if the front matter says, else its date.

    A leak that began in September and was found in February cannot have taught anything to an
    incident in January: its action items did not exist yet.
    """
    found = doc.detected or doc.resolved
    return found.date() if found is not None else doc.date or date.min


def _same_team(doc: Document, other: Document) -> bool:
    # Two organisations' "api" are not the same service (a knowledge base of public incidents).
    return not (doc.organization and other.organization) or doc.organization.lower() == other.organization.lower()


def _listed(values: tuple[str, ...]) -> str:
    return ", ".join(values)
