"""The blocks of one section of a document: a practice's checklist, an incident's lessons.

A `Document` keeps each section's text flattened for search; advice needs the items one by
one, so the body is read again into an outline (only for the few documents advice shows).
"""

from __future__ import annotations

from ..model import Document
from ..parsing.blocks import Block, ListItem
from ..parsing.markdown import markdown

CHECKLIST = "checklist"
"""The canonical name of a practice's Checklist section."""


def section_blocks(doc: Document, name: str) -> tuple[int, list[Block]] | None:
    """(line of the heading, blocks) of the first section with this canonical name, or None.

    Lines are the file's (1-based), not the body's.
    """
    # The outline brings the language packs and the date readers (about 50 ms to import):
    # `import lessons; lessons.search` loads this module through `kb`, and must not pay that.
    from ..parsing.outline import read_outline

    lines = doc.body.split("\n")
    outline = read_outline(markdown().parse(doc.body), doc.path, lines, 0)
    shift = doc.body_line - 1
    for section in outline.sections:
        if section.name == name:
            blocks = list(section.blocks)
            for block in blocks:
                block.line += shift
            return section.line + shift, blocks
    return None


def list_items(doc: Document, name: str) -> list[ListItem]:
    """The top-level list items of a section (none when the section is missing)."""
    found = section_blocks(doc, name)
    if found is None:
        return []
    return [block for block in found[1] if isinstance(block, ListItem) and block.depth == 1]


def checklist(doc: Document) -> list[str]:
    """A practice's checklist: the items of its Checklist section, without task-list boxes."""
    return [_unboxed(item.text) for item in list_items(doc, CHECKLIST) if _unboxed(item.text)]


def _unboxed(text: str) -> str:
    for box in ("[ ] ", "[x] ", "[X] "):
        if text.startswith(box):
            return text[len(box):].strip()
    return text.strip()
