"""The outline of a document: typed blocks, grouped into sections.

`parsing.outline` makes an `Outline` from markdown-it's tokens; readers take their
meaning from it. Nothing here knows about tokens.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from ..errors import Problem
from ..model import Link, RawHtml


_LINK_SYNTAX = re.compile(r"!?\[([^\][]*)\]\((?:[^()]|\([^()]*\))*\)")
"""``[text](url)`` and ``![alt](src)``, one level of parentheses in the url. No part reads past
the next ``[`` or ``(``: text full of them costs linear time (reading to the next ``]`` from
every ``[`` did not: 100 KB of ``[`` took 32 s)."""
_EMPHASIS = re.compile(r"\*\*|__|`")


def strip_inline(text: str) -> str:
    """Inline Markdown -> readable text (emphasis and link syntax removed)."""
    # Most text has neither: a substring test costs far less than a regex scan finding nothing.
    if "[" in text:
        text = _LINK_SYNTAX.sub(r"\1", text)
    if "*" in text or "_" in text or "`" in text:
        text = _EMPHASIS.sub("", text)
    return " ".join(text.split())


@dataclass(slots=True)
class Heading:
    """A heading inside a section that does not start a section of its own (``### What went well``)."""

    level: int
    text: str
    """Plain text."""
    line: int


@dataclass(slots=True)
class Paragraph:
    """A paragraph (also one inside a list item, after the item's first line)."""

    source: str
    """As written, inline Markdown and line ends kept."""
    text: str
    """Plain text."""
    line: int


@dataclass(slots=True)
class Line:
    """One line of a paragraph read line by line, because other lines of it are labels."""

    source: str
    line: int

    @property
    def text(self) -> str:
        """Plain text."""
        return strip_inline(self.source)


@dataclass(slots=True)
class LabelLine:
    """A fact or a section written as a label: ``**Impact:** 1.2M requests failed``, ``Date: 2024-07-09``.

    Only labels that name a field or a section are labels; any other is a `Line`.
    """

    label: str
    value: str
    """Plain text after the label; empty for a label that only opens a section."""
    line: int


@dataclass(slots=True)
class ListItem:
    """The first line of a list item (later paragraphs of the item are `Paragraph` blocks)."""

    depth: int
    """1 for a top-level item, 2 for an item in a nested list …"""
    source: str
    text: str
    line: int


@dataclass(slots=True)
class Row:
    """A row of a table, its cells as written and as plain text."""

    cells: list[str]
    texts: list[str]
    line: int


@dataclass(slots=True)
class Table:
    """A table: its header row and its body rows."""

    header: Row | None
    rows: list[Row]
    line: int


@dataclass(slots=True)
class Code:
    """A fenced or indented code block."""

    text: str
    line: int


Block = Heading | Paragraph | Line | LabelLine | ListItem | Table | Code


@dataclass(slots=True)
class SectionBlocks:
    """A section: the heading (or label) that opens it and the blocks up to the next one."""

    name: str
    """Canonical name (``causes``) for a recognised heading, else the heading slugified."""
    heading: str
    line: int
    blocks: list[Block] = field(default_factory=list)


@dataclass(slots=True)
class Outline:
    """A document body as blocks, before any reader has taken meaning from it."""

    title: str | None
    """The first ``#`` heading, or a bold first line; None when there is neither."""
    preamble: list[Block]
    """Everything before the first section: often the facts of converted documents."""
    sections: list[SectionBlocks]
    refs: list[Link | RawHtml]
    """Links, images and raw HTML (blocks and inline), in the order written."""
    problems: list[Problem]
    """What the Markdown itself got wrong: nesting too deep to read, a heading that is none."""
    labels: list[LabelLine] = field(default_factory=list)
    """Every label line, in the order written (each is also among its section's blocks)."""

    def parts(self) -> Iterator[tuple[SectionBlocks | None, Block]]:
        """Every block in order, with its section (None in the preamble)."""
        for block in self.preamble:
            yield None, block
        for section in self.sections:
            for block in section.blocks:
                yield section, block
