"""Advice on a planned change: similar past incidents, the causes they share, the practices
that address them as checklists, and the incidents' open action items.

1. **Incidents**: `similar()` to the change's text, 75% of the score, and the share of the
   change's services an incident names, 25%.
2. **Causes**: each cause weighs the scores of the shown incidents that name it (or, for an
   incident that names none, are suggested it), plus half the score of the cause suggested
   for the change's own text (`query.causes`). Causes under a third of the heaviest are left out.
3. **Practices**: those whose ``prevents:`` names a cause, and those the incidents link to
   (their lessons often do); each with the checklist items that share most words with the change.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import LessonsError
from ..model import Document
from ..query.causes import CauseSuggestion
from ..query.results import Match
from ..store.tokenize import stem, surface_words
from .model import Advice, CauseAdvice, Change, IncidentAdvice, PracticeAdvice
from .sections import checklist, list_items

if TYPE_CHECKING:
    from ..kb import KnowledgeBase

MIN_SCORE = 0.12
"""An incident less similar than this is not shown."""
CHECKLIST_ITEMS = 4
"""At most this many checklist items per practice."""


def advise(kb: KnowledgeBase, change: Change, *, limit: int = 5, practices: int = 4) -> Advice:
    """Advice on `change` from the knowledge base (see the module's description).

    Raises:
        LessonsError: the change says nothing to look advice up by.
    """
    text = change.text
    if not surface_words(text):
        raise LessonsError("nothing to advise on: the change has no description, paths or diff words "
                           "(give a description, `-` for standard input, --title/--body or --base)")
    query = {stem(w) for w in surface_words(text)}
    suggested = {s.cause: s for s in kb.suggest_causes(text, services=change.services, limit=3)}
    incidents = _incidents(kb, change, limit, list(suggested))
    causes = _causes(kb, incidents, suggested)
    chosen = _practices(kb, causes, incidents, query, practices)
    for cause in causes:
        cause.practices = [p.document.id for p in chosen if cause.cause in p.causes]
    actions = [item for i in incidents for item in i.document.action_items if not item.done]
    return Advice(change, incidents, causes, chosen, actions)


def _incidents(kb: KnowledgeBase, change: Change, limit: int, suggested: list[str]) -> list[IncidentAdvice]:
    services = set(change.services)
    # Ids are unique within a source only: a shared index may hold two teams' `incident-001`.
    hits = {(hit.source, hit.id): hit for hit in kb.similar(change.text, limit=max(limit * 4, 20))}
    candidates: dict[tuple[str, str], Document] = {key: hit.document for key, hit in hits.items()}
    if services:
        for doc in kb.postmortems:
            if services.intersection(doc.services):
                candidates.setdefault((kb.index.source, doc.id), doc)
    scored = []
    for key, doc in candidates.items():
        hit = hits.get(key)
        shared = [s for s in change.services if s in doc.services]
        text_score = hit.score if hit else 0.0
        score = 0.75 * text_score + 0.25 * len(shared) / len(services) if services else text_score
        why = [Match("services", s, "services", "shared") for s in shared]
        # A cause the change's own words point to, which this incident names.
        why += [Match("causes", c, "causes", "suggested") for c in suggested if c in doc.causes]
        why += list(hit.why) if hit else []
        scored.append(IncidentAdvice(doc, round(score, 4), why, source=key[0]))
    scored.sort(key=lambda i: (-i.score, i.document.id, i.source))
    kept = [i for i in scored if i.score >= MIN_SCORE][:limit]
    query = {stem(w) for w in surface_words(change.text)}
    for incident in kept:
        incident.lesson = _lesson(incident.document, query)
    return kept


def _lesson(doc: Document, query: set[str]) -> str:
    """The lesson closest to the change, in a sentence or two."""
    items = [item.text for item in list_items(doc, "lessons")]
    if items:
        best = max(items, key=lambda t: (len(query & {stem(w) for w in surface_words(t)}), -items.index(t)))
        return _sentences(best)
    section = doc.section("lessons")
    return _sentences(section.text if section and section.text else doc.summary)


def _sentences(text: str, limit: int = 240) -> str:
    """The first two sentences of a text, cut at a word when longer than `limit`."""
    text = " ".join(text.split())
    ends = [at for at in range(len(text) - 1) if text[at] in ".!?" and text[at + 1] == " "]
    if len(ends) >= 2:
        text = text[: ends[1] + 1]
    if len(text) > limit:
        text = text[: text.rfind(" ", 0, limit)].rstrip(",;:") + " …"
    return text


def _causes(kb: KnowledgeBase, incidents: list[IncidentAdvice],
            suggested: dict[str, CauseSuggestion]) -> list[CauseAdvice]:
    weights: dict[str, float] = {}
    named: dict[str, list[str]] = {}
    for incident in incidents:
        doc = incident.document
        causes = doc.causes or [s.cause for s in kb.suggest_causes(doc, limit=2)]
        for cause in causes:
            weights[cause] = weights.get(cause, 0.0) + incident.score
            named.setdefault(cause, []).append(doc.id)
    for cause, suggestion in suggested.items():
        weights[cause] = weights.get(cause, 0.0) + 0.5 * suggestion.score
    if not weights:
        return []
    heaviest = max(weights.values())
    ranked = sorted((c for c in weights if weights[c] >= heaviest / 3), key=lambda c: (-weights[c], c))[:4]
    return [CauseAdvice(c, kb.taxonomy.title_of(c), named.get(c, []), suggested.get(c)) for c in ranked]


def _practices(kb: KnowledgeBase, causes: list[CauseAdvice], incidents: list[IncidentAdvice],
               query: set[str], limit: int) -> list[PracticeAdvice]:
    weight = {c.cause: 1.0 / (rank + 1) for rank, c in enumerate(causes)}
    linked: dict[str, list[str]] = {}
    for incident in incidents:
        for link in incident.document.links:
            target = link.target.split("#")[0].rsplit("/", 1)[-1].removesuffix(".md")
            if target and target not in linked.get(incident.document.id, []):
                linked.setdefault(target, []).append(incident.document.id)
    scored = []
    for practice in kb.practices:
        addressed = [c.cause for c in causes if c.cause in practice.prevents]
        linked_from = list(dict.fromkeys(linked.get(practice.id, [])))
        if not addressed and not linked_from:
            continue
        score = sum(weight[c] for c in addressed) + 0.5 * len(linked_from)
        scored.append((score, practice, addressed, linked_from))
    scored.sort(key=lambda s: (-s[0], s[1].id))
    return [PracticeAdvice(p, _relevant(checklist(p), query, addressed, kb), addressed, linked_from)
            for _, p, addressed, linked_from in scored[:limit]]


def _relevant(items: list[str], query: set[str], causes: list[str], kb: KnowledgeBase) -> list[str]:
    """The checklist items that share most words with the change and its causes, in the article's order."""
    if len(items) <= CHECKLIST_ITEMS:
        return items
    words = set(query)
    for cause_id in causes:
        cause = kb.taxonomy.cause(cause_id)
        if cause is not None:
            words |= {stem(w) for w in surface_words(f"{cause.title} {' '.join(cause.signals)}")}
    overlap = [(len(words & {stem(w) for w in surface_words(item)}), -at) for at, item in enumerate(items)]
    best = sorted(range(len(items)), key=lambda at: overlap[at], reverse=True)[:CHECKLIST_ITEMS]
    return [items[at] for at in sorted(best)]

