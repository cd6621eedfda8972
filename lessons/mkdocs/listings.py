"""The pages that list documents: home, all incidents, incidents by facet, practices."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date

from ..display import format_duration
from ..kb import KnowledgeBase
from ..model import Document
from .insights import work_items
from .markup import (ACTION_ITEMS, BROWSE, FEED, HOME, INCIDENTS, INSIGHTS, PRACTICES, SEVERITY_NAMES,
                     anchor, causes_of, date_text, doc_link, escape, link, page, severity_badge, short)

LATEST_LIMIT = 8


def home(kb: KnowledgeBase, *, today: date | None = None, search_url: str | None = "search.html",
         title: str = "Lessons learned") -> str:
    """The home page: counts, a search box, the latest post-mortems and where to go next.

    `search_url` is where the box sends its ``?q=``; None for a theme that has nowhere
    to show results from a link (the box is then replaced by a pointer to the header's).
    """
    today = today or date.today()
    postmortems = kb.postmortems
    items = [item for doc in postmortems for item in work_items(doc)]
    open_items = [item for item in items if not item.done]
    overdue = [item for item in open_items if item.is_overdue(today)]
    stats = [
        (len(postmortems), "post-mortems", INCIDENTS),
        (len(kb.practices), "practices", PRACTICES),
        (len({c for d in postmortems for c in d.causes}), "causes seen", BROWSE["cause"]),
        (len(open_items), "open action items", ACTION_ITEMS),
        # Without any due date "0 overdue" says nothing.
        *([(len(overdue), "overdue", ACTION_ITEMS)] if any(item.due for item in items) else []),
    ]
    stat_html = "\n".join(f"[**{n}** {label}]({target})" for n, label, target in stats)
    if search_url is None:
        search = ("Have we seen this before? Use **Search** at the top of the page, or from a "
                  'terminal: `lessons search "what you see"`.')
    else:
        search = (f'<form class="lessons-search" action="{search_url}" method="get" role="search">\n'
                  '<input type="search" name="q" placeholder="Have we seen this before? '
                  'Search post-mortems…" aria-label="Search the knowledge base" required>\n'
                  '<button type="submit">Search</button>\n</form>')
    latest = ["## Latest post-mortems", ""]
    for doc in postmortems[:LATEST_LIMIT]:
        summary = f"  \n  {escape(short(doc.summary, 200))}" if doc.summary else ""
        latest.append(f"- **{doc_link(doc, kb, HOME)}** · {date_text(doc)} · "
                      f"{severity_badge(doc, HOME)}{summary}")
    if not postmortems:
        latest.append("No post-mortems yet: add a Markdown file to `postmortems/`.")
    latest += ["", f"[All {len(postmortems)} incidents]({INCIDENTS}) · "
               f"[Atom feed]({FEED}){{ .lessons-feed }}"]
    browse = ["## Browse", "",
              "Incidents " + " · ".join(f"[by {facet}]({uri})" for facet, uri in BROWSE.items()),
              "", f"[All practices]({PRACTICES})",
              "", f"[Open action items]({ACTION_ITEMS}) · [Insights and charts]({INSIGHTS})"]
    intro = ("Post-mortems of real incidents and the practices that prevent them, "
             "searchable so that the next incident starts with *have we seen this before?*")
    return page(title, intro, f'<div class="lessons-stats" markdown="span">\n{stat_html}\n</div>', search,
                "\n".join(latest), "\n".join(browse))


def practices(kb: KnowledgeBase) -> str:
    """Every practice, with the causes it addresses and how many incidents had them."""
    lines = []
    for practice in sorted(kb.practices, key=lambda d: d.title.lower()):
        count = len(kb.addressed_by(practice))
        causes = causes_of(practice.prevents, kb, PRACTICES) or "no causes named yet"
        summary = f"  \n  {escape(short(practice.summary, 240))}" if practice.summary else ""
        lines.append(f"- **{doc_link(practice, kb, PRACTICES)}** — addresses {causes} "
                     f"({count} incident{'s' if count != 1 else ''}){summary}")
    intro = ("What teams do so that the causes behind these incidents do not strike again. "
             "Each post-mortem links to the practices that address its causes.")
    return page("Practices", intro, "\n".join(lines) or "No practice articles yet.")


def incidents(kb: KnowledgeBase) -> str:
    """All post-mortems as one table, newest first."""
    rows = ["| Date | Incident | Severity | Causes | Duration |", "|---|---|---|---|---|"]
    for doc in kb.postmortems:
        duration = format_duration(doc.time_to_resolve) if doc.time_to_resolve else "—"
        rows.append(f"| {date_text(doc)} | {doc_link(doc, kb, INCIDENTS)} | "
                    f"{severity_badge(doc, INCIDENTS)} | {causes_of(doc.causes, kb, INCIDENTS) or '—'} | "
                    f"{duration} |")
    count = len(kb.postmortems)
    intro = (f"{count} post-mortem{'s' if count != 1 else ''}, newest first. Browse them "
             + ", ".join(f"[by {facet}]({link(uri, INCIDENTS)})" for facet, uri in BROWSE.items()) + ".")
    return page("All incidents", intro, "\n".join(rows))


_FACETS: dict[str, Callable[[Document], list[str]]] = {
    "cause": lambda d: d.causes,
    "service": lambda d: d.services,
    "tag": lambda d: d.tags,
    "year": lambda d: [str(d.date.year)] if d.date else [],
    "severity": lambda d: [str(d.severity) if d.severity is not None else "unrated"],
}


def browse(kb: KnowledgeBase, facet: str) -> str:
    """Incidents grouped by one facet: ``cause``, ``service``, ``tag``, ``year`` or ``severity``."""
    here = BROWSE[facet]
    groups: dict[str, list[Document]] = defaultdict(list)
    spellings: dict[str, str] = {}
    for doc in kb.postmortems:
        for value in dict.fromkeys(_FACETS[facet](doc)):
            key = f"sev-{value}" if facet == "severity" else anchor(value)
            spellings.setdefault(key, value)
            groups[key].append(doc)
    if facet == "cause":
        order = [anchor(c) for c in kb.taxonomy.causes] + sorted(set(groups) - {
            anchor(c) for c in kb.taxonomy.causes})
        for cause in kb.taxonomy.causes:
            spellings.setdefault(anchor(cause), cause)
    elif facet in ("year",):
        order = sorted(groups, key=lambda k: spellings[k], reverse=True)
    elif facet == "severity":
        order = sorted(groups, key=lambda k: (spellings[k] == "unrated", spellings[k]))
    else:
        order = sorted(groups, key=lambda k: (-len(groups[k]), spellings[k].lower()))
    sections = []
    for key in order:
        docs = groups.get(key, [])
        value = spellings[key]
        heading = _facet_heading(facet, value, kb)
        lines = [f"## {heading} {{#{key}}}", ""]
        if facet == "cause" and kb.taxonomy.cause(value) and kb.taxonomy.causes[value].description:
            lines += [escape(kb.taxonomy.causes[value].description), ""]
            addressed_by = kb.taxonomy.practices_for([value], kb.practices)
            if addressed_by:
                lines += ["Addressed by " + ", ".join(doc_link(p, kb, here) for p in addressed_by)
                          + ".", ""]
        lines += [f"- {date_text(d)} {doc_link(d, kb, here)}" for d in docs] or [
            "No post-mortem names this cause yet."]
        sections.append("\n".join(lines))
    summary = (" · ".join(f"[{_facet_heading(facet, spellings[k], kb)}](#{k}) "
                          f"({len(groups.get(k, []))})" for k in order))
    others = " · ".join(f"[by {name}]({link(uri, here)})" for name, uri in BROWSE.items() if name != facet)
    return page(f"Incidents by {facet}", summary, *sections, f"Browse also {others}.")


def _facet_heading(facet: str, value: str, kb: KnowledgeBase) -> str:
    if facet == "cause":
        return escape(kb.taxonomy.title_of(value))
    if facet == "severity":
        return "Unrated" if value == "unrated" else (
            f"SEV{value} ({SEVERITY_NAMES.get(int(value), '')})" if value.isdigit() else escape(value))
    return escape(value)
