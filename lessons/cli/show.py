"""A document as text for a terminal."""

from __future__ import annotations

from .. import fieldspec
from ..display import format_duration, value_text
from ..model import Document, Kind
from ..query.results import SearchResult


def describe(doc: Document) -> str:
    """A readable summary of a document: fields, timeline and action items."""
    lines = [doc.title, "=" * min(len(doc.title), 80)]
    # Fields by their front-matter names, in the registry's order; the path after what it is.
    fields = [(spec.name, value_text(doc.value(spec.name))) for spec in fieldspec.FIELDS if spec.shown]
    at = next((i + 1 for i, (name, _) in enumerate(fields) if name == "kind"), 0)
    fields.insert(at, ("path", str(doc.path)))
    if doc.kind is Kind.POSTMORTEM:
        fields += [("time to detect", _duration(doc, "detected")), ("duration", _duration(doc, "resolved"))]
    lines += [f"{name:>14}: {value}" for name, value in fields if value]
    if doc.summary:
        lines += ["", doc.summary]
    if doc.timeline:
        lines += ["", "Timeline:"]
        lines += [f"  {event.at:%Y-%m-%d %H:%M}Z  {event.text}" if event.at else f"  {event.text}"
                  for event in doc.timeline]
    if doc.action_items:
        lines += ["", "Action items:"]
        for item in doc.action_items:
            extra = ", ".join(part for part in (f"owner: {item.owner}" if item.owner else "",
                                                f"due: {item.due}" if item.due else "") if part)
            lines.append(f"  [{'x' if item.done else ' '}] {item.text}" + (f" ({extra})" if extra else ""))
    if doc.sources:
        lines += ["", "Sources:"] + [f"  {url}" for url in doc.sources]
    return "\n".join(lines)


def results_table(results: list[SearchResult], *, color: bool = False) -> str:
    """Search results for a terminal: score, date, id and title, then snippet and reasons."""
    import re

    lines = []
    # In an index of several sources, each hit says whose it is (and where its page is).
    several = len({hit.source for hit in results}) > 1 or any(hit.url for hit in results)
    for rank, hit in enumerate(results, 1):
        doc = hit.document
        when = doc.date.isoformat() if doc.date and doc.kind is Kind.POSTMORTEM else doc.kind.value
        head = f"{rank:>2}. {hit.score:>7.3f}  {when:<10}  {doc.title}"
        lines.append(f"\x1b[1m{head}\x1b[0m" if color else head)
        lines.append(f"    {doc.id}" + (f"  [{hit.source}]" if several else "") + (f"  {hit.url}" if hit.url else ""))
        if hit.snippet:
            text = hit.snippet
            text = re.sub(r"\*\*(.+?)\*\*", "\x1b[33m\\1\x1b[0m" if color else "[\\1]", text)
            lines.append(f"    {text}")
        if hit.why:
            shared = any(m.how == "shared" for m in hit.why)
            lines.append(f"    why: {hit.reason if shared else '; '.join(str(m) for m in hit.why[:6])}")
    return "\n".join(lines)


def _duration(doc: Document, end: str) -> str:
    span = doc.time_to_detect if end == "detected" else doc.time_to_resolve
    if span is None:
        return ""
    source = doc.duration_source("detect" if end == "detected" else "resolve")
    return format_duration(span) + (f" ({source})" if source in ("as stated", "from the timeline") else "")
