"""The action items reader: task lists, bullets and table rows that are follow-up work."""

from __future__ import annotations

import re

from ...model import ActionItem, Kind
from ..actions import ParsedItem, find_tracker, read_item, read_row
from ..blocks import ListItem, Outline, Paragraph, Table, strip_inline
from ..builder import DocumentBuilder
from ..lexicon import alias_form, lexicon


def read_action_items(outline: Outline, doc: DocumentBuilder) -> None:
    """Action items, with owner and due date; a due date that cannot be read is a warning.

    Under an Action items section: every task-list item and top-level bullet, and the rows
    of a table with a header. Elsewhere only task-list items of a post-mortem, and only
    when there is no Action items section: a responder's checklist under Resolution
    ("- [x] Stop all writers") is not follow-up work. Without such a section, the bullets
    of a list that a paragraph leads into ("To reduce the chance of a repeat, we are:")
    are action items too.
    """
    has_section = any(section.name == "action-items" for section in outline.sections)
    led = False
    # With an Action items section, no other block is read: only its blocks are walked.
    parts = [(section, block) for section in outline.sections if section.name == "action-items"
             for block in section.blocks] if has_section else outline.parts()
    for section, block in parts:
        in_section = section is not None and section.name == "action-items"
        if isinstance(block, Paragraph):
            led = not has_section and _leads_into_actions(block.text)
        elif not isinstance(block, ListItem):
            led = False
        if led and isinstance(block, ListItem):
            if block.depth == 1:
                _add(doc, read_item(block.source), block.line, block.source)
            continue
        if isinstance(block, Table):
            if not in_section or block.header is None or not block.header.cells:
                continue
            for row in block.rows:
                _add(doc, read_row(block.header.cells, row.cells), row.line, " | ".join(row.cells))
        elif isinstance(block, ListItem):
            parsed = read_item(block.source)
            if not in_section and not (parsed.checkbox and doc.kind is Kind.POSTMORTEM):
                continue
            if in_section and block.depth > 1 and not parsed.checkbox:
                continue  # notes under an item, not items
            _add(doc, parsed, block.line, block.source)


def _leads_into_actions(text: str) -> bool:
    """A paragraph that ends in a colon and says what will be done: "To reduce … we are:"."""
    return text.rstrip().endswith(":") and lexicon().actions.lead_in.search(alias_form(text)) is not None


def _add(doc: DocumentBuilder, parsed: ParsedItem | None, line: int, source: str) -> None:
    if parsed is None or _PLACEHOLDER.match(parsed.text):
        return  # "- [ ] TODO" or "- [ ] <!-- add more -->" left from the template
    doc.problems.extend(parsed.due_problems(doc.path, line))
    doc.action_items.append(ActionItem(strip_inline(parsed.text), line, parsed.done, parsed.owner, parsed.due,
                                       doc.id, find_tracker(source)))


# One \s* per run of blanks (\s*\.?\s* tried every split of a run, cubic on a long one).
_PLACEHOLDER = re.compile(rf"^\s*(?:(?:<!--.*?-->|{lexicon().actions.placeholder}|\.\.\.|…|-+|—)\s*)?(?:\.\s*)?$",
                          re.IGNORECASE | re.DOTALL)
"""What template leftovers say: nothing, a comment, TODO, TBD, an ellipsis, a dash."""
