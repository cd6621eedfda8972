"""Which words of a document go into which search field."""

from __future__ import annotations

from ..model import Document
from .tokenize import surface_words


def field_texts(doc: Document) -> tuple[str, str, str, str]:
    """The text of the title, summary, labels and body of a document, in that order."""
    summary = doc.summary
    if not summary:
        section = doc.section("summary")
        summary = section.text if section else ""
    labels = " ".join([*doc.causes, *doc.tags, *doc.services, doc.organization or ""])
    return doc.title, summary, labels, doc.text


def field_words(doc: Document) -> tuple[list[str], list[str], list[str], list[str]]:
    """The words of the title, summary, labels and body of a document, in that order."""
    title, summary, labels, text = field_texts(doc)
    return surface_words(title), surface_words(summary), surface_words(labels), surface_words(text)
