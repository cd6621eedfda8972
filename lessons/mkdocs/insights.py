"""The pages that look across incidents: open action items, and insights with charts."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from datetime import date

from ..checks.recurrence import recurrences
from ..checks.settings import Settings, find_settings, load_settings
from ..display import format_duration
from ..kb import KnowledgeBase
from ..checks.publishing import is_not_an_action
from ..model import ActionItem, Document
from . import charts
from .markup import (ACTION_ITEMS, INSIGHTS, date_text, doc_link, escape, facet_link, link, page, page_url,
                     source_uri)


def work_items(doc: Document) -> list[ActionItem]:
    """A post-mortem's action items without the notes written as items ("none were published")."""
    return [item for item in doc.action_items if not is_not_an_action(item.text)]


_FILTER = ('<div class="lessons-filter" role="radiogroup" aria-label="Show action items">\n'
           '<span>Show:</span>\n{buttons}\n</div>')
_STATES = (("open", "Open"), ("done", "Done"), ("all", "All"))


def action_items(kb: KnowledgeBase, *, today: date | None = None) -> str:
    """Every action item by its post-mortem, newest incident first, with a filter by status.

    A due column and the overdue count appear only when some item has a due date
    (without any, "0 overdue" says nothing). Notes written as items are left out.
    """
    today = today or date.today()
    settings = load_settings(find_settings(kb.root))
    groups = [(doc, items) for doc in kb.postmortems if (items := work_items(doc))]
    every = [item for _, items in groups for item in items]
    if not every:
        return page("Action items", "No post-mortem has action items yet.")
    counts = {"open": sum(not item.done for item in every), "done": sum(item.done for item in every),
              "all": len(every)}
    has_due = any(item.due for item in every)
    overdue = sum(item.is_overdue(today) for item in every)
    notes = sum(len(doc.action_items) for doc in kb.postmortems) - len(every)
    intro = (f"{counts['open']} open and {counts['done']} done action item{'s' if len(every) != 1 else ''} "
             f"from {len(groups)} post-mortem{'s' if len(groups) != 1 else ''}, newest incident first"
             + (f"; {overdue} overdue on {today.isoformat()}" if has_due else "") + ". "
             "Close one by ticking its box (`- [x]`) in the post-mortem.")
    if notes:
        intro += (f" {notes} note{'s' if notes != 1 else ''} written as action items (\"no follow-up actions "
                  "have been made public\") {'are' if notes != 1 else 'is'} left out: `lessons check` names them.")
    buttons = "\n".join(
        f'<input type="radio" name="lessons-show" id="lessons-show-{state}"{" checked" if state == "open" else ""}>'
        f'<label for="lessons-show-{state}">{label} ({counts[state]})</label>' for state, label in _STATES)
    sections = [_item_group(doc, items, kb, today, has_due, settings) for doc, items in groups]
    return page("Action items", intro, _FILTER.format(buttons=buttons), *sections)


def _item_group(doc: Document, items: list[ActionItem], kb: KnowledgeBase, today: date, has_due: bool,
                settings: Settings) -> str:
    """One post-mortem's items: a heading that links to it, and a table with the status in words.

    The group says which states it holds, so that the status filter hides a post-mortem whose
    items are all done (or all open) as a whole, heading and table header included.
    """
    header = "| Status | Action | Owner |" + (" Due |" if has_due else "")
    holds = " ".join(f"lessons-has-{state}" for state, present in
                     (("open", any(not i.done for i in items)), ("done", any(i.done for i in items))) if present)
    lines = [f'<div class="lessons-group {holds}" markdown>', "",
             f"## {date_text(doc)} · {doc_link(doc, kb, ACTION_ITEMS)}", "", header,
             "|---|---|---|" + ("---|" if has_due else "")]
    for item in items:
        state = "done" if item.done else "open"
        row = (f'| <span class="lessons-state lessons-state-{state}">{state}</span> | '
               f"{_item_text(item, settings)} | {escape(item.owner or '—')} |")
        if has_due:
            due = item.due.isoformat() if item.due else "—"
            if item.is_overdue(today):
                due = f'**{due}** <span class="lessons-overdue">overdue</span>'
            row += f" {due} |"
        lines.append(row)
    return "\n".join([*lines, "", "</div>"])


def insights(kb: KnowledgeBase, *, today: date | None = None, url_of: dict[str, str] | None = None) -> str:
    """Charts drawn at build time (inline SVG), a few numbers and where the gaps are.

    Args:
        url_of: each document's address from the site's root by id, as the builder
            writes it (default: MkDocs' directory URLs); the charts' links are HTML,
            which no builder rewrites.
    """
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
    for heading, figure in (("Incidents per quarter", charts.per_quarter(postmortems)),
                            ("Incidents by cause", charts.by_cause(postmortems, kb.taxonomy.title_of)),
                            ("Time to resolve over time",
                             charts.time_to_resolve(postmortems, _href_from_insights(kb, url_of)))):
        parts.append(f"## {heading}")
        parts.append(figure or "Not enough data yet.")
    parts += [_cause_coverage(kb), _services_hit(kb), _follow_through(kb, today or date.today()), _recurrences(kb)]
    return page("Insights", *parts)


def _href_from_insights(kb: KnowledgeBase, url_of: dict[str, str] | None) -> Callable[[Document], str]:
    """A document's address relative to the insights page."""
    urls = url_of or {doc.id: page_url(source_uri(doc, kb)) for doc in kb}
    directory_urls = not any(url.endswith(".html") for url in urls.values())
    here = posixpath.dirname(page_url(INSIGHTS, directory_urls=directory_urls).rstrip("/")) \
        if not directory_urls else page_url(INSIGHTS).rstrip("/")
    return lambda doc: posixpath.relpath(urls[doc.id] or ".", here or ".") + ("/" if urls[doc.id].endswith("/") else "")


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
        for item in work_items(doc):
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


def _item_text(item: ActionItem, settings: Settings) -> str:
    """An action item's text with its tracker reference: linked where the text names it, else after it.

    An item written ``Validate the rules (OPS-123)`` keeps its words, with ``OPS-123`` made a link
    when the settings give its key a pattern; only a reference the text does not show (a link's
    address) is added after it, in brackets.
    """
    text = escape(item.text)
    if not item.tracker:
        return text
    reference = _tracker_reference(item.tracker, settings)
    named = re.search(rf"(?<![\w-]){re.escape(escape(item.tracker))}(?![\w-])", text)
    if named is None:
        return f"{text} ({reference})"
    return text[:named.start()] + reference + text[named.end():]


def _tracker_reference(reference: str, settings: Settings) -> str:
    """``OPS-123`` as a link when the reference is a URL or its key has a pattern, else as text."""
    from urllib.parse import quote, urlsplit

    url = settings.tracker_url(reference)
    shown = escape(reference if len(reference) <= 40 else reference[:39] + "…")
    try:
        parts = urlsplit(url) if url else None
    except ValueError:  # an address urlsplit refuses (http://[::1) is shown as text
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.netloc:
        return shown
    # Percent-encoded except the delimiters of a URL: nothing in it can end the link or the attribute.
    return f"[{shown}]({quote(str(url), safe='/:?#@!$&*+,;=%-._~')})"


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
