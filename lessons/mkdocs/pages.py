"""The site's pages as plain Markdown, written from a `KnowledgeBase`.

Every function here returns a Markdown string and knows nothing about MkDocs, so
the same pages can be injected by the plugin, written to a folder by `export`,
or tested without a build. Links are relative Markdown links between source
files (``../browse/causes.md#incomplete-testing``), which any MkDocs-compatible
builder turns into URLs and checks.

Text that comes from content (titles, services, owners …) is escaped before it
is put into Markdown: a title cannot add HTML or links to a generated page.

The Markdown needs the ``tables``, ``attr_list``, ``md_in_html`` and ``toc``
extensions (`MARKDOWN_EXTENSIONS`); the plugin switches them on.
"""

from __future__ import annotations

import posixpath
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import quote, urlsplit

from ..kb import KnowledgeBase
from ..model import Document, Kind
from ..display import format_duration

HOME = "index.md"
INCIDENTS = "incidents.md"
ACTION_ITEMS = "action-items.md"
PRACTICES = "browse/practices.md"
INSIGHTS = "insights.md"
FEED = "feed.xml"
STYLESHEET = "assets/lessons.css"
BROWSE = {
    "cause": "browse/causes.md",
    "service": "browse/services.md",
    "tag": "browse/tags.md",
    "year": "browse/years.md",
    "severity": "browse/severity.md",
}
"""Facet -> the page that lists incidents by it."""

MARKDOWN_EXTENSIONS = ("tables", "attr_list", "md_in_html", "toc")
"""Python-Markdown extensions the generated Markdown relies on."""

SEVERITY_NAMES = {0: "emergency", 1: "critical", 2: "major", 3: "moderate", 4: "minor", 5: "low"}
RELATED_LIMIT = 5
LATEST_LIMIT = 8

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~])")
_NON_WORD = re.compile(r"[^\w]+")


# --- small pieces -----------------------------------------------------------------


def escape(text: str) -> str:
    """Content text made literal in Markdown: no HTML, links or emphasis."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", text)
    return " ".join(text.split())


def anchor(value: str) -> str:
    """A stable HTML id for a facet value: ``Sainsbury's`` -> ``sainsbury-s``."""
    slug = _NON_WORD.sub("-", value.lower()).strip("-_")
    if not slug or slug[0].isdigit():
        slug = f"v-{slug}" if slug else f"v-{sum(map(ord, value)):x}"
    return slug


def source_uri(doc: Document, kb: KnowledgeBase) -> str:
    """The document's path inside the content folder, as MkDocs names it (``postmortems/x.md``)."""
    try:
        return doc.path.resolve().relative_to(kb.root.resolve()).as_posix()
    except ValueError:
        return Path(doc.path).name


_UNSAFE_IN_ADDRESS = re.compile(r"[^a-z0-9._~]+")


def clean_address(uri: str) -> str | None:
    """A source path whose file name is fit for a site address, or None when it already is.

    ``postmortems/PM2021-005 - All services returning 503.md`` ->
    ``postmortems/pm2021-005-all-services-returning-503.md``: lower case, no spaces,
    nothing that needs escaping in a URL or in HTML. The file itself is never renamed.
    """
    folder, _, name = uri.rpartition("/")
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, ""
    clean = _UNSAFE_IN_ADDRESS.sub("-", stem.lower()).strip("-.") or "page"
    if clean == stem:
        return None
    return f"{folder}/{clean}.{suffix}" if folder else f"{clean}.{suffix}"


def link(target: str, from_uri: str) -> str:
    """The relative Markdown link target from one page to another source file.

    Percent-encoded, so a file name cannot end the link or carry markup (a newline,
    ``)``, ``<`` or a space); MkDocs decodes the target before it resolves it.
    """
    return quote(posixpath.relpath(target, posixpath.dirname(from_uri) or "."), safe="/")


def severity_label(severity: int | None) -> str:
    return f"SEV{severity}" if severity is not None else "unrated"


def _facet_link(facet: str, value: str, from_uri: str, text: str | None = None) -> str:
    return f"[{escape(text or value)}]({link(BROWSE[facet], from_uri)}#{anchor(value)})"


def _doc_link(doc: Document, kb: KnowledgeBase, from_uri: str) -> str:
    return f"[{escape(doc.title)}]({link(source_uri(doc, kb), from_uri)})"


def _severity_badge(doc: Document, from_uri: str) -> str:
    key = str(doc.severity) if doc.severity is not None else "unrated"
    text = severity_label(doc.severity)
    return f"[{text}]({link(BROWSE['severity'], from_uri)}#sev-{key}){{ .lessons-sev .lessons-sev-{key} }}"


def _causes(doc: Document, kb: KnowledgeBase, from_uri: str) -> str:
    return ", ".join(_facet_link("cause", cause, from_uri, kb.taxonomy.title_of(cause))
                     for cause in doc.causes)


def _date(doc: Document) -> str:
    return doc.date.isoformat() if doc.date else "undated"


def _short(text: str, limit: int = 220) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[: text.rfind(" ", 0, limit)].rstrip(",;:") + " …"


def _page(title: str, *parts: str) -> str:
    """A page: front-matter-free Markdown with an H1 title (MkDocs' default theme needs it)."""
    return "\n\n".join([f"# {escape(title)}", *[part for part in parts if part]]) + "\n"


def _has_h1(markdown: str) -> bool:
    for line in markdown.lstrip().splitlines()[:1]:
        return line.startswith("# ")
    return False


# --- the document pages -----------------------------------------------------------


def card(doc: Document, kb: KnowledgeBase) -> str:
    """The metadata card at the top of a post-mortem page."""
    here = source_uri(doc, kb)
    rows: list[tuple[str, str]] = []
    if doc.date:
        rows.append(("Date", _facet_link("year", str(doc.date.year), here, doc.date.isoformat())))
    rows.append(("Severity", _severity_badge(doc, here)))
    started, resolved = doc.moment("started"), doc.moment("resolved")
    if doc.time_to_resolve is not None and started and resolved:
        span = f"{started:%Y-%m-%d %H:%M} → {resolved:%Y-%m-%d %H:%M} UTC"
        rows.append(("Duration", f"{format_duration(doc.time_to_resolve)} ({span}){_derived(doc, 'resolved')}"))
    if doc.time_to_detect is not None:
        rows.append(("Time to detect", format_duration(doc.time_to_detect) + _derived(doc, "detected")))
    mitigate = _time_to_mitigate(doc)
    if mitigate is not None:
        rows.append(("Time to mitigate", format_duration(mitigate)))
    if doc.organization:
        rows.append(("Organisation", escape(doc.organization)))
    if doc.services:
        rows.append(("Services", ", ".join(_facet_link("service", s, here) for s in doc.services)))
    if doc.causes:
        rows.append(("Causes", _causes(doc, kb, here)))
    if doc.tags:
        rows.append(("Tags", " ".join(_facet_link("tag", t, here) for t in doc.tags)))
    rows.append(("Status", doc.status.value.replace("-", " ")))
    sources = [_source_link(url) for url in doc.sources]
    if sources:
        rows.append(("Sources", ", ".join(sources)))
    lines = ['<dl class="lessons-card" markdown>']
    for name, value in rows:
        lines += [f"<dt>{name}</dt>", f'<dd markdown="span">{value}</dd>']
    lines.append("</dl>")
    return "\n".join(lines)


def _time_to_mitigate(doc: Document) -> timedelta | None:
    started = doc.moment("started")
    if started is None or doc.mitigated is None or "mitigated" in doc.day_precision:
        return None
    return doc.mitigated - started


def _derived(doc: Document, end: str) -> str:
    """A note when a span was read off the timeline rather than given in the front matter."""
    if "timeline" in (doc.moment_source("started"), doc.moment_source(end)):
        return " <small>(from the timeline)</small>"
    return ""


def _source_link(url: str) -> str:
    try:
        parts = urlsplit(url)
    except ValueError:  # http://[::1 (unclosed IPv6 host), or a host that NFKC changes: shown as text
        return escape(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return escape(url)
    host = parts.netloc.removeprefix("www.")
    safe = url.replace(" ", "%20").replace("(", "%28").replace(")", "%29").replace("<", "%3C")
    return f"[{escape(host)}]({safe.replace('>', '%3E')})"


def related_incidents(doc: Document, kb: KnowledgeBase) -> str:
    """"Related incidents": the closest post-mortems from `kb.similar()`, each with its reason."""
    here = source_uri(doc, kb)
    hits = [hit for hit in kb.similar(doc, limit=RELATED_LIMIT + 1, kind=Kind.POSTMORTEM.value)
            if hit.document.id != doc.id][:RELATED_LIMIT]
    lines = ["## Related incidents {#related-incidents}", ""]
    if not hits:
        lines.append("No other post-mortem in the knowledge base looks like this one yet.")
    for hit in hits:
        other = hit.document
        reason = f" — {escape(hit.reason)}" if hit.reason else ""
        lines.append(f"- {_doc_link(other, kb, here)} ({_date(other)}){reason}")
    listed = [kb.get(i) for i in doc.related if i in kb and i not in {h.document.id for h in hits}]
    if listed:
        links = ", ".join(_doc_link(other, kb, here) for other in listed if other.id != doc.id)
        if links:
            lines += ["", f"Also linked by the authors: {links}"]
    return "\n".join(lines)


def practices_section(doc: Document, kb: KnowledgeBase) -> str:
    """"Practices that address these causes", from the practices' ``prevents:``."""
    here = source_uri(doc, kb)
    practices = kb.practices_for(doc)
    lines = ["## Practices that address these causes {#practices}", ""]
    if not practices:
        lines.append("No practice article addresses these causes yet."
                     if doc.causes else "This post-mortem names no causes yet.")
    for practice in practices:
        shared = [c for c in doc.causes if c in practice.prevents]
        what = ", ".join(escape(kb.taxonomy.title_of(c)) for c in shared)
        summary = f": {escape(_short(practice.summary, 160))}" if practice.summary else ""
        lines.append(f"- {_doc_link(practice, kb, here)} — *{what}*{summary}")
    return "\n".join(lines)


def addressed_incidents(practice: Document, kb: KnowledgeBase) -> str:
    """On a practice page: the post-mortems whose causes the practice addresses."""
    here = source_uri(practice, kb)
    incidents = kb.addressed_by(practice)
    lines = ["## Incidents this practice addresses {#incidents}", ""]
    if not incidents:
        lines.append("No post-mortem in the knowledge base names the causes this practice prevents.")
    for doc in incidents:
        shared = [c for c in doc.causes if c in practice.prevents]
        lines.append(f"- {_date(doc)} {_doc_link(doc, kb, here)} — {_causes_of(shared, kb, here)}")
    return "\n".join(lines)


def _causes_of(causes: Iterable[str], kb: KnowledgeBase, here: str) -> str:
    return ", ".join(_facet_link("cause", c, here, kb.taxonomy.title_of(c)) for c in causes)


def document_page(doc: Document, kb: KnowledgeBase, body: str) -> str:
    """A document's page: title, card, the body as written, related incidents and practices.

    Args:
        body: the Markdown after the front matter (as MkDocs hands it over).
    """
    head = "" if _has_h1(body) else f"# {escape(doc.title)}\n\n"
    if doc.kind is Kind.PRACTICE:
        return f"{head}{body.rstrip()}\n\n{addressed_incidents(doc, kb)}\n"
    summary = f"\n\n> {escape(doc.summary)}" if doc.summary and not doc.section("summary") else ""
    return (f"{head}{card(doc, kb)}{summary}\n\n{body.rstrip()}\n\n{related_incidents(doc, kb)}\n\n"
            f"{practices_section(doc, kb)}\n")


# --- generated pages --------------------------------------------------------------


def home(kb: KnowledgeBase, *, today: date | None = None, search_url: str | None = "search.html",
         title: str = "Lessons learned") -> str:
    """The home page: counts, a search box, the latest post-mortems and where to go next.

    `search_url` is where the box sends its ``?q=``; None for a theme that has nowhere
    to show results from a link (the box is then replaced by a pointer to the header's).
    """
    today = today or date.today()
    postmortems = kb.postmortems
    open_items = kb.action_items(status="open")
    overdue = [item for item in open_items if item.is_overdue(today)]
    stats = [
        (len(postmortems), "post-mortems", INCIDENTS),
        (len(kb.practices), "practices", PRACTICES),
        (len({c for d in postmortems for c in d.causes}), "causes seen", BROWSE["cause"]),
        (len(open_items), "open action items", ACTION_ITEMS),
        (len(overdue), "overdue", ACTION_ITEMS),
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
        summary = f"  \n  {escape(_short(doc.summary, 200))}" if doc.summary else ""
        latest.append(f"- **{_doc_link(doc, kb, HOME)}** · {_date(doc)} · "
                      f"{_severity_badge(doc, HOME)}{summary}")
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
    return _page(title, intro, f'<div class="lessons-stats" markdown="span">\n{stat_html}\n</div>', search,
                 "\n".join(latest), "\n".join(browse))


def practices(kb: KnowledgeBase) -> str:
    """Every practice, with the causes it addresses and how many incidents had them."""
    lines = []
    for practice in sorted(kb.practices, key=lambda d: d.title.lower()):
        count = len(kb.addressed_by(practice))
        causes = _causes_of(practice.prevents, kb, PRACTICES) or "no causes named yet"
        summary = f"  \n  {escape(_short(practice.summary, 240))}" if practice.summary else ""
        lines.append(f"- **{_doc_link(practice, kb, PRACTICES)}** — addresses {causes} "
                     f"({count} incident{'s' if count != 1 else ''}){summary}")
    intro = ("What teams do so that the causes behind these incidents do not strike again. "
             "Each post-mortem links to the practices that address its causes.")
    return _page("Practices", intro, "\n".join(lines) or "No practice articles yet.")


def incidents(kb: KnowledgeBase) -> str:
    """All post-mortems as one table, newest first."""
    rows = ["| Date | Incident | Severity | Causes | Duration |", "|---|---|---|---|---|"]
    for doc in kb.postmortems:
        duration = format_duration(doc.time_to_resolve) if doc.time_to_resolve else "—"
        rows.append(f"| {_date(doc)} | {_doc_link(doc, kb, INCIDENTS)} | "
                    f"{_severity_badge(doc, INCIDENTS)} | {_causes(doc, kb, INCIDENTS) or '—'} | "
                    f"{duration} |")
    count = len(kb.postmortems)
    intro = (f"{count} post-mortem{'s' if count != 1 else ''}, newest first. Browse them "
             + ", ".join(f"[by {facet}]({link(uri, INCIDENTS)})" for facet, uri in BROWSE.items()) + ".")
    return _page("All incidents", intro, "\n".join(rows))


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
            practices = kb.taxonomy.practices_for([value], kb.practices)
            if practices:
                lines += ["Addressed by " + ", ".join(_doc_link(p, kb, here) for p in practices)
                          + ".", ""]
        lines += [f"- {_date(d)} {_doc_link(d, kb, here)}" for d in docs] or [
            "No post-mortem names this cause yet."]
        sections.append("\n".join(lines))
    summary = (" · ".join(f"[{escape(_facet_heading(facet, spellings[k], kb))}](#{k}) "
                          f"({len(groups.get(k, []))})" for k in order))
    others = " · ".join(f"[by {name}]({link(uri, here)})" for name, uri in BROWSE.items() if name != facet)
    return _page(f"Incidents by {facet}", summary, *sections, f"Browse also {others}.")


def _facet_heading(facet: str, value: str, kb: KnowledgeBase) -> str:
    if facet == "cause":
        return escape(kb.taxonomy.title_of(value))
    if facet == "severity":
        return "Unrated" if value == "unrated" else (
            f"SEV{value} ({SEVERITY_NAMES.get(int(value), '')})" if value.isdigit() else escape(value))
    return escape(value)


def action_items(kb: KnowledgeBase, *, today: date | None = None) -> str:
    """The open action items of every post-mortem, soonest due first, overdue ones marked."""
    today = today or date.today()
    items = kb.action_items(status="open")
    overdue = sum(item.is_overdue(today) for item in items)
    rows = ["| Due | Action | Owner | Incident |", "|---|---|---|---|"]
    for item in items:
        doc = kb.get(item.document_id)
        due = item.due.isoformat() if item.due else "—"
        if item.is_overdue(today):
            due = f'**{due}** <span class="lessons-overdue">overdue</span>'
        rows.append(f"| {due} | {escape(item.text)} | {escape(item.owner or '—')} | "
                    f"{_doc_link(doc, kb, ACTION_ITEMS)} |")
    intro = (f"{len(items)} open action item{'s' if len(items) != 1 else ''}, "
             f"{overdue} overdue on {today.isoformat()}. "
             "Close one by ticking its box (`- [x]`) in the post-mortem.")
    return _page("Open action items", intro, "\n".join(rows) if items else "Nothing is open.")


def insights(kb: KnowledgeBase, *, today: date | None = None) -> str:
    """Charts drawn at build time (inline SVG), a few numbers and where the gaps are."""
    from . import charts

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
    parts += [_cause_coverage(kb), _services_hit(kb), _follow_through(kb, today or date.today())]
    return _page("Insights", *parts)


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
        shown = ", ".join(_doc_link(p, kb, INSIGHTS) for p in answers) or (
            "**none yet**" if docs else "none")
        rows.append(f"| {_facet_link('cause', cause, INSIGHTS, kb.taxonomy.title_of(cause))} | {len(docs)} "
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
    rows += [f"| {_facet_link('service', service, INSIGHTS)} | {len(docs)} | {_last_seen(docs)} |"
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


def generated_pages(kb: KnowledgeBase, *, today: date | None = None, search_url: str | None = "search.html",
                    title: str = "Lessons learned", with_home: bool = True) -> dict[str, str]:
    """Every generated Markdown page, by its path in the docs tree."""
    pages = {INCIDENTS: incidents(kb), PRACTICES: practices(kb),
             ACTION_ITEMS: action_items(kb, today=today),
             INSIGHTS: insights(kb, today=today)}
    if with_home:
        pages[HOME] = home(kb, today=today, search_url=search_url, title=title)
    for facet, uri in BROWSE.items():
        pages[uri] = browse(kb, facet)
    return pages


def nav(kb: KnowledgeBase, *, extra: Iterable[str] = ()) -> list[object]:
    """A navigation for ``mkdocs.yml``: the generated pages, then the practices."""
    articles = sorted(kb.practices, key=lambda d: d.title.lower())
    return [
        {"Home": HOME},
        {"Incidents": [{"All incidents": INCIDENTS},
                       *({f"By {facet}": uri} for facet, uri in BROWSE.items())]},
        {"Practices": [{"All practices": PRACTICES},
                       *({p.title: source_uri(p, kb)} for p in articles)]},
        {"Action items": ACTION_ITEMS},
        {"Insights": INSIGHTS},
        *extra,
    ]
