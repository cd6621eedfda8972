"""Which words of a document go into which search field."""

from __future__ import annotations

from ..model import Document
from .tokenize import surface_words


def field_words(doc: Document) -> tuple[list[str], list[str], list[str], list[str]]:
    """The words of the title, summary, labels and body of a document, in that order."""
    summary = doc.summary
    if not summary:
        section = doc.section("summary")
        summary = section.text if section else ""
    labels = " ".join([*doc.causes, *doc.tags, *doc.services, doc.organization or ""])
    return (
        surface_words(doc.title),
        surface_words(summary),
        surface_words(labels),
        surface_words(doc.text),
    )
