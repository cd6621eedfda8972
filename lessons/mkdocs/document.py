"""What the site adds to a document's own page: the card, related incidents, practices.

`document_page` wraps the Markdown body as written with a metadata card at the
top and, at the bottom, the closest past incidents and the practices that
address the document's causes (or, on a practice, the incidents it addresses).
"""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import quote, unquote, urlsplit

from .. import fieldspec
from ..display import format_duration
from ..kb import KnowledgeBase
from ..model import Document, Kind
from .markup import (causes_of, date_text, doc_link, escape, facet_link, severity_badge, severity_label, short,
                     source_uri)

RELATED_LIMIT = 5


def card(doc: Document, kb: KnowledgeBase) -> str:
    """The metadata card at the top of a post-mortem page."""
    here = source_uri(doc, kb)
    label = fieldspec.FIELDS.label
    rows: list[tuple[str, str]] = []
    if doc.date:
        rows.append((label("date"), facet_link("year", str(doc.date.year), here, doc.date.isoformat())))
    rows.append((label("severity"), severity_badge(doc, here)))
    started, resolved = doc.moment("started"), doc.moment("resolved")
    if doc.time_to_resolve is not None:
        stated = doc.duration_source("resolve") == "as stated"
        span = f" ({started:%Y-%m-%d %H:%M} → {resolved:%Y-%m-%d %H:%M} UTC)" if started and resolved and not stated \
            else ""
        rows.append(("Duration", f"{format_duration(doc.time_to_resolve)}{span}{_derived(doc, 'resolve')}"))
    if doc.time_to_detect is not None:
        rows.append(("Time to detect", format_duration(doc.time_to_detect) + _derived(doc, "detect")))
    mitigate = _time_to_mitigate(doc)
    if mitigate is not None:
        rows.append(("Time to mitigate", format_duration(mitigate)))
    if doc.organization:
        rows.append((label("organization"), escape(doc.organization)))
    if doc.services:
        rows.append((label("services"), ", ".join(facet_link("service", s, here) for s in doc.services)))
    if doc.causes:
        rows.append((label("causes"), causes_of(doc.causes, kb, here)))
    if doc.tags:
        rows.append((label("tags"), ", ".join(facet_link("tag", t, here) for t in doc.tags)))
    rows.append((label("status"), doc.status.value.replace("-", " ")))
    sources = [_source_link(url) for url in doc.sources]
    if sources:
        rows.append((label("sources"), ", ".join(sources)))
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


def _derived(doc: Document, name: str) -> str:
    """A note when a span was stated in the text or read off the timeline, not given in the front matter."""
    source = doc.duration_source(name)
    if source in ("as stated", "from the timeline"):
        return f" <small>({source})</small>"
    return ""


# What a link target may keep as it is: the URL's own delimiters and "%" (so a URL that is
# already encoded stays as it was); everything else, including quotes, brackets, spaces,
# backslashes and backticks, is percent-encoded and can end neither the link nor the attribute.
_URL_SAFE = "/:?#@!$&'*+,;=%-._~"


def _source_link(url: str) -> str:
    """A source as a link when it is a web page or a mail address; anything else as text."""
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:  # http://[::1 (unclosed IPv6 host), or a host that NFKC changes: shown as text
        return escape(url)
    if parts.scheme in ("http", "https") and parts.netloc:
        # The host and path, not the host alone: three sources on one site stay apart.
        text = short_address(parts.netloc.removeprefix("www.") + _shown_path(parts.path))
    elif parts.scheme == "mailto" and parts.path and not parts.netloc:
        text = parts.path
    else:
        return escape(url)
    return f"[{escape(text)}]({quote(url, safe=_URL_SAFE)})"


_PATH_MARKS = re.compile(r"[^\w/.~-]+")


def _shown_path(path: str) -> str:
    """A URL's path as words: decoded, with anything but letters, digits and ``/.~-_`` as a space."""
    return " ".join(_PATH_MARKS.sub(" ", unquote(path)).split()).rstrip("/")


def short_address(text: str, limit: int = 60) -> str:
    """A host and path cut in its middle to `limit` characters (``host/a/…/page``)."""
    if len(text) <= limit:
        return text
    head, tail = text[: limit // 2], text[-(limit // 2 - 1):]
    return f"{head}…{tail}"


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
        lines.append(f"- {doc_link(other, kb, here)} ({date_text(other)}){reason}")
    listed = [kb.get(i) for i in doc.related if i in kb and i not in {h.document.id for h in hits}]
    if listed:
        links = ", ".join(doc_link(other, kb, here) for other in listed if other.id != doc.id)
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
        summary = f": {escape(short(practice.summary, 160))}" if practice.summary else ""
        lines.append(f"- {doc_link(practice, kb, here)} — *{what}*{summary}")
    return "\n".join(lines)


MOST_RELEVANT = 5
"""How many incidents a practice page shows first; the others are behind a disclosure."""


def addressed_incidents(practice: Document, kb: KnowledgeBase) -> str:
    """On a practice page: the few incidents it most clearly addresses, with why; then all of them.

    Most relevant first: the incidents that share the most of the practice's causes,
    then the most severe, then the newest.
    """
    here = source_uri(practice, kb)
    incidents = kb.addressed_by(practice)
    lines = ["## Incidents this practice addresses {#incidents}", ""]
    if not incidents:
        lines.append("No post-mortem in the knowledge base names the causes this practice prevents.")
        return "\n".join(lines)

    def shared(doc: Document) -> list[str]:
        return [c for c in doc.causes if c in practice.prevents]

    ranked = sorted(incidents, key=lambda d: (-len(shared(d)), d.severity if d.severity is not None else 9,
                                              -(d.date.toordinal() if d.date else 0), d.id))
    for doc in ranked[:MOST_RELEVANT]:
        causes = shared(doc)
        lines.append(f"- {doc_link(doc, kb, here)} ({date_text(doc)}, {severity_label(doc.severity)}) — "
                     f"shares the cause{'s' if len(causes) > 1 else ''} {causes_of(causes, kb, here)}")
    if len(incidents) > MOST_RELEVANT:
        lines += ["", '<details class="lessons-more" markdown="1">',
                  f"<summary>All {len(incidents)} incidents with these causes</summary>", ""]
        lines += [f"- {date_text(doc)} {doc_link(doc, kb, here)} — {causes_of(shared(doc), kb, here)}"
                  for doc in incidents]
        lines += ["", "</details>"]
    return "\n".join(lines)


def _has_h1(markdown: str) -> bool:
    for line in markdown.lstrip().splitlines()[:1]:
        return line.startswith("# ")
    return False


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
