"""Reading action items: task-list items, plain bullets and table rows."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_CHECKBOX = re.compile(r"^\s*\[(?P<mark>[ xX✓✔-])\]\s*")
# A value runs to the next comma, bracket or dash separator ("owner: ops — due: …").
_VALUE_END = r"(?=\s*(?:[,;)\]—–]|\s-\s|$))"
_OWNER = re.compile(r"\b(?:owner|owners|assignee|assigned to|owned by)\s*[:=]\s*"
                    rf"(?P<owner>[^,;)\]—–]+?){_VALUE_END}", re.IGNORECASE)
_DUE = re.compile(rf"\b(?:due|deadline|by)\s*[:=]\s*(?P<due>[^,;)\]—–]+?){_VALUE_END}", re.IGNORECASE)
_MENTION = re.compile(r"(?<![\w.])@(?P<owner>[A-Za-z0-9][\w.-]*[\w])")
_TRAILER = re.compile(r"\s*(?:[—–]|\s-\s|\()\s*(?=(?:owner|owners|assignee|due|deadline|by)\s*[:=])", re.IGNORECASE)
_DONE_MARK = re.compile(r"\bDONE\b|✅|✔|\[x\]")
_DONE_WORDS = {"done", "complete", "completed", "closed", "fixed", "resolved", "yes", "x", "✓", "✔"}


@dataclass(slots=True)
class ParsedItem:
    text: str
    done: bool
    checkbox: bool
    owner: str | None
    due: date | None
    due_text: str | None


def clean_owner(written: str) -> str | None:
    """An owner as written, without markup or the ``@`` of a mention (``**@sre**`` -> ``sre``)."""
    owner = written.strip(" .*_`").lstrip("@").strip()
    return owner or None


def read_item(content: str) -> ParsedItem:
    """Split ``[ ] Add a canary — owner: payments, due: 2024-05-01`` into its parts."""
    from .fields import parse_date

    checkbox = _CHECKBOX.match(content)
    done = bool(checkbox and checkbox.group("mark") not in " -")
    text = content[checkbox.end():] if checkbox else content
    owner_match = _OWNER.search(text)
    due_match = _DUE.search(text)
    owner = clean_owner(owner_match.group("owner")) if owner_match else None
    due_text = due_match.group("due").strip(" .*_`") if due_match else None
    if owner is None:
        mention = _MENTION.search(text)
        owner = mention.group("owner") if mention else None
    trailer = _TRAILER.search(text)
    if trailer:
        text = text[: trailer.start()]
    elif owner_match or due_match:
        first = min(m.start() for m in (owner_match, due_match) if m)
        text = text[:first]
    if text.count("(") > text.count(")"):
        text = text[: text.rfind("(")]
    text = text.strip(" —–-,;(").strip()
    due = parse_date(due_text) if due_text else None
    return ParsedItem(text or content.strip(), done, bool(checkbox), owner or None, due, due_text)


def read_row(header: list[str], cells: list[str]) -> ParsedItem | None:
    """An action item from a table row, using the header to find the columns."""
    from .fields import parse_date

    columns = {name.strip().lower(): i for i, name in enumerate(header)}

    def cell(*names: str) -> str | None:
        for name in columns:
            if any(word in name for word in names):
                index = columns[name]
                return cells[index].strip() if index < len(cells) else None
        return None

    owner = clean_owner(cell("owner", "assignee", "who", "team") or "")
    due_text = cell("due", "deadline", "date", "when")
    status = (cell("status", "done", "state") or "").lower()
    text = cell("action", "item", "task", "description", "what", "title") or (cells[0] if cells else "")
    parsed = read_item(text)
    if not parsed.text:
        return None
    # Templates without a status column mark done items in the text ("n/a **DONE**").
    marked = any(_DONE_MARK.search(c) for c in cells)
    done = parsed.done or status.strip(" *_`") in _DONE_WORDS or marked
    due = parse_date(due_text) if due_text else parsed.due
    return ParsedItem(
        parsed.text, done, parsed.checkbox, owner or parsed.owner or None, due, due_text or parsed.due_text
    )
