"""The pages that look across incidents: open action items, and insights with charts."""

from __future__ import annotations

from datetime import date

from ..checks.recurrence import recurrences
from ..checks.settings import Settings, find_settings, load_settings
from ..display import format_duration
from ..kb import KnowledgeBase
from ..model import Document
from . import charts
from .markup import ACTION_ITEMS, INSIGHTS, doc_link, escape, facet_link, link, page


def action_items(kb: KnowledgeBase, *, today: date | None = None) -> str:
    """The open action items of every post-mortem, soonest due first, overdue ones marked."""
    today = today or date.today()
    items = kb.action_items(status="open")
    settings = load_settings(find_settings(kb.root))
    overdue = sum(item.is_overdue(today) for item in items)
    rows = ["| Due | Action | Owner | Incident |", "|---|---|---|---|"]
    for item in items:
        doc = kb.get(item.document_id)
        due = item.due.isoformat() if item.due else "—"
        if item.is_overdue(today):
            due = f'**{due}** <span class="lessons-overdue">overdue</span>'
        tracker = _tracker_link(item.tracker, settings)
        rows.append(f"| {due} | {escape(item.text)}{tracker} | {escape(item.owner or '—')} | "
                    f"{doc_link(doc, kb, ACTION_ITEMS)} |")
    intro = (f"{len(items)} open action item{'s' if len(items) != 1 else ''}, "
             f"{overdue} overdue on {today.isoformat()}. "
             "Close one by ticking its box (`- [x]`) in the post-mortem.")
    return page("Open action items", intro, "\n".join(rows) if items else "Nothing is open.")


def insights(kb: KnowledgeBase, *, today: date | None = None) -> str:
    """Charts drawn at build time (inline SVG), a few numbers and where the gaps are."""
    postmortems = kb.postmortems
    resolved = sorted(d.time_to_resolve for d in postmortems if d.time_to_resolve is not None)
    detected = sorted(d.time_to_detect for d in postmortems if d.time_to_detect is not None)
    numbers = [f"- **{len(postmortems)}** post-mortems"]
    if resolved:
        numbers.append(f"- median time to resolve **{format_duration(resolved[len(resolved) // 2])}** "
                       f"(over {len(resolved)} incidents with known times)")
    if detected:
        numbers.append(f"- median time to detect **{format_duration(detected[len(detected) // 2])}** "
                       f"(over {len(detected)} incidents)")
    parts = ["\n".join(numbers)]
    for heading, svg in (("Incidents per quarter", charts.per_quarter(postmortems)),
                         ("Incidents by cause", charts.by_cause(postmortems, kb.taxonomy.title_of)),
                         ("Time to resolve over time", charts.time_to_resolve(postmortems))):
        parts.append(f"## {heading}")
        parts.append(f'<div class="lessons-chart">\n{svg}\n</div>' if svg
                     else "Not enough data yet.")
    parts += [_cause_coverage(kb), _services_hit(kb), _follow_through(kb, today or date.today()), _recurrences(kb)]
    return page("Insights", *parts)


def _last_seen(docs: list[Document]) -> str:
    days = [d.date for d in docs if d.date]
    return max(days).isoformat() if days else "—"


def _cause_coverage(kb: KnowledgeBase) -> str:
    """Each cause with its incidents and the practices that address it: the gaps show."""
    postmortems = kb.postmortems
    by_cause: dict[str, list[Document]] = {}
    for doc in postmortems:
        for cause in doc.causes:
            by_cause.setdefault(cause, []).append(doc)
    causes = sorted({*kb.taxonomy.causes, *by_cause}, key=lambda c: (-len(by_cause.get(c, [])), c))
    if not causes:
        return ""
    practices = kb.practices
    rows = ["## Causes and the practices that address them", "",
            "| cause | incidents | last seen | practices |", "|---|---|---|---|"]
    gaps = 0
    for cause in causes:
        docs = by_cause.get(cause, [])
        answers = [p for p in practices if cause in p.prevents]
        if docs and not answers:
            gaps += 1
        shown = ", ".join(doc_link(p, kb, INSIGHTS) for p in answers) or (
            "**none yet**" if docs else "none")
        rows.append(f"| {facet_link('cause', cause, INSIGHTS, kb.taxonomy.title_of(cause))} | {len(docs)} "
                    f"| {_last_seen(docs)} | {shown} |")
    if gaps:
        rows += ["", f"{gaps} cause{'s' if gaps > 1 else ''} behind past incidents "
                 f"{'have' if gaps > 1 else 'has'} no practice article yet: `lessons new practice` starts one."]
    return "\n".join(rows)


def _services_hit(kb: KnowledgeBase, limit: int = 10) -> str:
    by_service: dict[str, list[Document]] = {}
    for doc in kb.postmortems:
        for service in doc.services:
            by_service.setdefault(service, []).append(doc)
    if not by_service:
        return ""
    top = sorted(by_service.items(), key=lambda item: (-len(item[1]), item[0]))[:limit]
    rows = ["## Services most often affected", "", "| service | incidents | last seen |", "|---|---|---|"]
    rows += [f"| {facet_link('service', service, INSIGHTS)} | {len(docs)} | {_last_seen(docs)} |"
             for service, docs in top]
    return "\n".join(rows)


def _follow_through(kb: KnowledgeBase, today: date) -> str:
    """Action items by the year of their incident: how many were done."""
    by_year: dict[str, list[tuple[bool, bool]]] = {}
    for doc in kb.postmortems:
        year = str(doc.date.year) if doc.date else "undated"
        for item in doc.action_items:
            by_year.setdefault(year, []).append((item.done, item.is_overdue(today)))
    if not by_year:
        return ""
    items = [state for states in by_year.values() for state in states]
    done = sum(1 for is_done, _ in items if is_done)
    overdue = sum(1 for _, is_overdue in items if is_overdue)
    rows = ["## Action items followed through", "",
            f"{done} of {len(items)} action items are done ({100 * done // len(items)}%); "
            f"{len(items) - done} are open, {overdue} of them overdue ([open items]({link(ACTION_ITEMS, INSIGHTS)})).",
            "", "| incidents of | action items | done | open | overdue |", "|---|---|---|---|---|"]
    for year in sorted(by_year, reverse=True):
        states = by_year[year]
        closed = sum(1 for is_done, _ in states if is_done)
        late = sum(1 for _, is_overdue in states if is_overdue)
        rows.append(f"| {year} | {len(states)} | {closed} | {len(states) - closed} | {late} |")
    return "\n".join(rows)


def _tracker_link(reference: str | None, settings: Settings) -> str:
    """`` (OPS-123)`` after an action item, a link when the reference is a URL or its key has a pattern."""
    if not reference:
        return ""
    from urllib.parse import quote, urlsplit

    url = settings.tracker_url(reference)
    shown = escape(reference if len(reference) <= 40 else reference[:39] + "…")
    try:
        parts = urlsplit(url) if url else None
    except ValueError:  # an address urlsplit refuses (http://[::1) is shown as text
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.netloc:
        return f" ({shown})"
    # Percent-encoded except the delimiters of a URL: nothing in it can end the link or the attribute.
    return f" ([{shown}]({quote(str(url), safe='/:?#@!$&*+,;=%-._~')}))"


def _recurrences(kb: KnowledgeBase) -> str:
    """Post-mortems that repeat an earlier one's cause and service within the settings' window."""
    days = load_settings(find_settings(kb.root)).recurrence_days
    found = recurrences(kb, days=days)
    if not found:
        return ""
    rows = ["## Recurrences", "",
            f"Incidents that share a cause and a service with an earlier one at most {days} days before: "
            "did the earlier action items hold?", "",
            "| incident | repeats | days later | shared | earlier action items done |", "|---|---|---|---|---|"]
    for item in found:
        earlier = item.previous
        done = sum(1 for action in earlier.action_items if action.done)
        shared = ", ".join([*(kb.taxonomy.title_of(c) for c in item.causes), *item.services])
        rows.append(f"| {doc_link(item.later, kb, INSIGHTS)} | {doc_link(earlier, kb, INSIGHTS)} | "
                    f"{item.days_between} | {escape(shared)} | {done} of {len(earlier.action_items)} |")
    return "\n".join(rows)
