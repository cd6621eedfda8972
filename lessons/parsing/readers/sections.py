"""The sections reader: each section's plain text, and the summary."""

from __future__ import annotations

from ...model import Section
from ..blocks import Block, LabelLine, Outline, Table
from ..builder import DocumentBuilder
from ..sections import canonical_section


def read_sections(outline: Outline, doc: DocumentBuilder) -> None:
    """Sections with their text, also those written as ``**Impact:** …`` labels.

    The text before the first heading is a section named ``intro`` when there is any.
    Labels that name a section add their value to it, or make it.
    """
    intro = _text(outline.preamble)
    kept = [Section("intro", "", 1, intro)] if intro else []
    for section in outline.sections:
        text = _text(section.blocks)
        if section.heading or text:
            kept.append(Section(section.name, section.heading, section.line, text))
    for label in outline.labels:
        name = canonical_section(label.label)
        if not name or not label.value:
            continue
        found = next((s for s in kept if s.name == name), None)
        if found is None:
            kept.append(Section(name, label.label, label.line, label.value))
        else:
            found.text = f"{found.text} {label.value}".strip()
    doc.sections = sorted(kept, key=lambda s: s.line)
    summary = next((s.text for s in doc.sections if s.name == "summary"), "")
    doc.summary = doc.fields.values.get("summary") or _lead(summary)


def _text(blocks: list[Block]) -> str:
    """The plain text of blocks, as search and snippets use it (labels left out)."""
    parts: list[str] = []
    for block in blocks:
        if isinstance(block, Table):
            for row in ([block.header] if block.header else []) + block.rows:
                parts.extend(row.texts)
        elif not isinstance(block, LabelLine):
            parts.append(block.text)
    return " ".join(" ".join(parts).split())


def _lead(text: str, limit: int = 300) -> str:
    """The first sentences of a Summary section, as the summary when the front matter has none."""
    if len(text) <= limit:
        return text
    cut = max(text.rfind(". ", 0, limit), text.rfind("? ", 0, limit), text.rfind("! ", 0, limit))
    return text[: cut + 1] if cut > limit // 3 else text[: text.rfind(" ", 0, limit)].rstrip(",;:") + " …"
