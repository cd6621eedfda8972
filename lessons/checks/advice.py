"""The rules behind `lessons advise`: causes suggested for a post-mortem that names none, and
practice checklists (the short list of checks advice quotes from each practice).
"""

from __future__ import annotations

from collections.abc import Iterable

from ..advise.sections import CHECKLIST, section_blocks
from ..errors import Level, Problem
from ..kb import KnowledgeBase
from ..model import Document, Kind, Status
from ..parsing.blocks import Code, Heading, LabelLine, Line, ListItem, Paragraph, Table

MIN_LABELLED = 5
"""Causes are suggested only when at least this many other post-mortems name theirs: with
fewer, the neighbours say little."""
MIN_SCORE = 0.3
"""A suggestion below this score is not offered."""


def cause_suggestions(kb: KnowledgeBase, docs: Iterable[Document]) -> list[Problem]:
    """Information for each post-mortem in `docs` without `causes:`: the causes its text suggests.

    Never a warning: a post-mortem may leave its causes open while they are being worked out.
    """
    todo = [doc for doc in docs if doc.kind is Kind.POSTMORTEM and not doc.causes]
    if not todo or not kb.taxonomy.causes:
        return []
    if sum(1 for doc in kb.postmortems if doc.causes) < MIN_LABELLED:
        return []
    problems = []
    for doc in todo:
        found = [s for s in kb.suggest_causes(doc, limit=3) if s.score >= MIN_SCORE]
        if not found:
            continue
        listed = "; ".join(f"{s.cause} ({s.score:.2f}: {s.reason})" for s in found)
        problems.append(Problem(doc.path, doc.line_of("title"), "suggested-causes",
                                f"no `causes:`; the text suggests {listed}", Level.INFO))
    return problems


def checklist_problems(doc: Document) -> list[Problem]:
    """A published practice needs a Checklist section whose checks are list items."""
    if doc.kind is not Kind.PRACTICE or doc.status is not Status.PUBLISHED:
        return []
    found = section_blocks(doc, CHECKLIST)
    if found is None:
        if not doc.prevents:
            return []  # advice never shows a practice that addresses no cause
        return [Problem(doc.path, doc.body_line, "missing-checklist",
                        "practice has no Checklist section (a list of checks `lessons advise` quotes "
                        "on pull requests: `## Checklist` then `- …` items)", Level.INFO)]
    line, blocks = found
    items = [b for b in blocks if isinstance(b, ListItem) and b.depth == 1]
    problems = []
    if not items:
        problems.append(Problem(doc.path, line, "checklist-item",
                                "the Checklist section has no list items: write each check as `- …`",
                                Level.WARNING))
    lines = doc.body.split("\n")
    for block in blocks:
        if isinstance(block, Paragraph | Line | LabelLine | Table | Code) and not _continues_item(
                block.line, items, lines, doc.body_line):
            problems.append(Problem(doc.path, block.line, "checklist-item",
                                    "text in the Checklist section that is not a list item: write each check "
                                    "as `- …` (or move the text to another section)", Level.WARNING))
        elif isinstance(block, Heading):
            break  # a subsection under the checklist is the author's own
    return problems


def _continues_item(line: int, items: list[ListItem], lines: list[str], body_line: int) -> bool:
    """Whether the block on `line` is a later, indented paragraph of a list item: that is allowed."""
    at = line - body_line
    indented = 0 <= at < len(lines) and lines[at][:1] in (" ", "\t")
    return indented and any(item.line < line for item in items)
