"""Stage one of the parser: markdown-it's token stream becomes an outline of typed blocks.

The outline (`parsing.blocks`) is the document's shape: its title, what stands before
the first section (the preamble) and each section with its blocks: headings below the
section's own, paragraphs, list items, tables, code, and the ``**Label:** value`` lines
of the templates that write one fact or one section per line. Readers
(`parsing.readers`) take what they need from it; none of them sees a markdown-it token.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import Level, Problem
from ..model import Link, RawHtml
from .blocks import (
    Block,
    Code,
    Heading,
    LabelLine,
    Line,
    ListItem,
    Outline,
    Paragraph,
    Row,
    SectionBlocks,
    Table,
    strip_inline,
)
from .dates import MONTH_NAME
from .lexicon import lexicon
from .markdown import NESTING_LIMIT, plain_text
from .sections import SECTION_ALIASES, canonical_section, slugify_heading

if TYPE_CHECKING:
    from collections.abc import Sequence

    from .markdown import BlockToken


def read_outline(tokens: Sequence[BlockToken], path: Path, lines: list[str], body_start: int, *,
                 body: str | None = None) -> Outline:
    """The outline of a body.

    Args:
        tokens: the block tokens of the body (the front matter's token left out):
            markdown-it's, or the records of `markdown.outline_tokens`.
        path: the file, for findings.
        lines: the whole file's lines.
        body_start: the index in `lines` of the body's first line.
        body: ``"\n".join(lines[body_start:])`` when the caller has it already.
    """
    walk = _Walk(tokens, path)
    walk.run()
    # Both line scans below look for characters most bodies do not have: test the body once.
    if body is None:
        body = "\n".join(lines[body_start:])
    if "](" in body:
        for number in range(body_start, len(lines)):
            # markdown-it refuses to make links of javascript: URLs, so they never reach the
            # token stream; look for them in the text so the check can still name them.
            walk.refs.extend(Link(match.group(1), number + 1, "") for match in _SCRIPT_LINK.finditer(lines[number]))
    if "\u00a0" in body or "\u202f" in body:
        walk.problems.extend(
            Problem(path, number + 1, "not-a-heading", "'#' followed by a non-breaking space is not a heading in "
                    "Markdown (GitHub and the site show it as text); use a plain space", Level.WARNING)
            for number in range(body_start, len(lines)) if _NBSP_HEADING.match(lines[number]))
    return Outline(walk.title, walk.preamble, walk.sections, walk.refs, walk.problems, walk.labels)


_BOLD_ONLY = re.compile(r"^\s*(?:\*\*|__)([^*_\n]{2,120}?)(?<!\s)\s*(?::\s*)?(?:\*\*|__)\s*(?::\s*)?$")
"""A line that is one bold phrase: ``**Root cause**`` (a heading, in converted documents)."""
_PLAIN_LABEL = re.compile(r"^\s*([^\W\d_](?:[^\W\d_]|[ '’]){1,24}):\s+(\S.*)$")
"""``Date: 2024-10-02`` at the top of a document (read only for known field names)."""
_BOLD_LABEL = re.compile(r"^\s*(?:\*\*|__)([^*_\n]{2,40}?)\s*(?::\s*(?:\*\*|__)|(?:\*\*|__)\s*:)\s*(.*)$", re.S)
_TAG_LIKE = re.compile(r"<[A-Za-z][^<>]*>")
_MONTH_FIRST = re.compile(rf"{MONTH_NAME}\.?(?!\s*\d{{1,2}}(?!\d|[:.h]\d))", re.IGNORECASE)
"""A month at the start of a list item, not followed by the number of a day: "Februar, 14:05",
"Februar 2024", but not "March 3, 2024" (an English date in a numbered list)."""
_SCRIPT_LINK = re.compile(r"\]\(\s*(?:<\s*)?((?:javascript|vbscript):(?:[^()\s]|\([^()\s]*\))*)", re.IGNORECASE)
_NBSP_HEADING = re.compile("^ {0,3}#{1,6}[\u00a0\u202f]")
_STRUCTURE = frozenset({
    "bullet_list_open", "ordered_list_open", "bullet_list_close", "ordered_list_close", "list_item_open",
    "list_item_close", "thead_open", "thead_close", "table_open", "tr_open", "tr_close", "fence", "code_block",
    "html_block",
})
"""The tokens `_Walk._structure` reads (the others, paragraph_open and td_close among them, say nothing)."""


def label_field(label: str) -> str | None:
    """The front-matter field a label gives (``Incident date`` -> ``date``), or None."""
    return lexicon().labels.get(" ".join(label.lower().split()).rstrip(":"))


def _plain(inline: BlockToken) -> str:
    if inline.children is None:
        return plain_text(inline.content)
    parts: list[str] = []
    for child in inline.children:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "image":
            parts.append(child.content)
    return "".join(parts)


def _line(token: BlockToken) -> int:
    return (token.map[0] if token.map else 0) + 1


class _Walk:
    """One pass over the tokens, keeping the state the blocks depend on."""

    def __init__(self, tokens: Sequence[BlockToken], path: Path) -> None:
        self.tokens = tokens
        self.path = path
        self.title: str | None = None
        self.preamble: list[Block] = []
        self.sections: list[SectionBlocks] = []
        self.refs: list[Link | RawHtml] = []
        self.problems: list[Problem] = []
        self.labels: list[LabelLine] = []
        self.blocks = self.preamble
        """Where the next block goes: the preamble, then the open section's blocks."""
        self.top = ""
        """The section the last top-level heading opened (deeper ones may open others)."""
        self.list_depth = 0
        self.item_line: int | None = None
        """The line of a list item whose first line is still to come."""
        self.item_number = 0
        """The number of that item in an ordered list written ``22.`` (0 for any other)."""
        self.item_nested_on_its_line = False
        """Whether that item's list starts on the line of an item around it (``- 22. Februar``)."""
        self.table: Table | None = None
        self.row: Row | None = None
        self.in_head = False

    def run(self) -> None:
        title_at, bold_title, section_level = self._layout()
        skip_inline = False
        for i, token in enumerate(self.tokens):
            kind = token.type
            if kind == "heading_open":
                skip_inline = True
                if i == title_at:
                    self.title = _plain(self.tokens[i + 1]).strip() or None
                else:
                    self._heading(token, _plain(self.tokens[i + 1]), section_level)
            elif kind == "inline":
                if skip_inline:  # a heading's text, read with its heading
                    skip_inline = False
                elif bold_title and self.title is None:
                    self._references(token)
                    self.title = strip_inline(token.content).strip() or None
                else:
                    self._inline(token, self._references(token))
            elif kind == "paragraph_open" and token.meta.get("too_deep"):
                self._too_deep(token)
            elif kind in _STRUCTURE:
                self._structure(token)

    def _layout(self) -> tuple[int | None, bool, int]:
        """Where the title is (a heading's index, or a bold first line) and the level of sections."""
        tokens = self.tokens
        levels = [(i, int(t.tag[1])) for i, t in enumerate(tokens) if t.type == "heading_open"]
        title_at: int | None = None
        if levels and levels[0][1] == 1 and (
                sum(1 for _, level in levels if level == 1) == 1
                or not canonical_section(_plain(tokens[levels[0][0] + 1]))):
            # The first H1 is the title, also when the sections are H1s too (exports from
            # Confluence and Word), unless it is itself a section ("# Summary").
            title_at = levels[0][0]
        section_level = min((level for i, level in levels if i != title_at), default=2)
        return title_at, title_at is None and self._bold_title(), section_level

    def _bold_title(self) -> bool:
        """True when the document opens with a bold line of its own: its title."""
        tokens = self.tokens
        if len(tokens) < 2 or tokens[0].type != "paragraph_open" or tokens[1].type != "inline":
            return False
        bold = _BOLD_ONLY.match(tokens[1].content)
        return bool(bold and "\n" not in tokens[1].content and not canonical_section(bold.group(1))
                    and not label_field(bold.group(1)))

    def _heading(self, token: BlockToken, heading: str, section_level: int) -> None:
        level, line = int(token.tag[1]), _line(token)
        canonical = canonical_section(heading)
        if level <= section_level or (canonical and self.top not in SECTION_ALIASES):
            # A deeper heading that names a section starts it when the section above is a
            # wrapper ("## Incident review" with "### Impact" below). Under a known section
            # it is part of it: "### Detection" under "## Action items" groups action items,
            # "### What went well" belongs to the lessons.
            self._open(canonical or slugify_heading(heading), heading, line)
            if level <= section_level:
                self.top = self.sections[-1].name
        else:
            self.blocks.append(Heading(level, heading, line))

    def _label(self, label: LabelLine) -> None:
        self.blocks.append(label)
        self.labels.append(label)

    def _open(self, name: str, heading: str, line: int) -> None:
        self.sections.append(SectionBlocks(name, heading, line))
        self.blocks = self.sections[-1].blocks

    def _inline(self, token: BlockToken, plain: str) -> None:
        """An inline token outside headings; `plain` is its text (`_plain`)."""
        line = _line(token)
        if self.row is not None:
            self.row.cells.append(token.content)
            self.row.texts.append(plain)
        elif self.item_line is not None:
            label = _BOLD_LABEL.match(token.content)
            if label and not self.sections and label_field(label.group(1)):
                # "- **Date:** 2024-07-09": the facts block of many templates, as a list.
                self._label(LabelLine(label.group(1).strip(), strip_inline(label.group(2)), line))
            else:
                self.blocks.append(self._list_item(token, plain))
            self.item_line = None
        else:
            self._paragraph(token, plain, line)

    def _list_item(self, token: BlockToken, text: str) -> ListItem:
        source, depth = token.content, self.list_depth
        if 1 <= self.item_number <= 31 and _MONTH_FIRST.match(source):
            # "- 22. Februar, 14:05 — …": Markdown takes "22." for the number of an item in a
            # list of its own, but it is the day of a German date (GitHub shows "22. Februar").
            source, text = f"{self.item_number}. {source}", f"{self.item_number}. {text}"
            depth -= self.item_nested_on_its_line
        return ListItem(depth, source, text, self.item_line or 0)

    def _paragraph(self, token: BlockToken, plain: str, line: int) -> None:
        """A paragraph outside lists and tables: text, or labels, section names and lines.

        Documents converted from Word or Google Docs put each ``**Label:** value`` or
        ``**Root cause**`` heading on a line of its own, often with no blank line between:
        such a paragraph is read line by line.
        """
        lines = token.content.split("\n")
        if not any(_BOLD_LABEL.match(text) or _BOLD_ONLY.match(text) for text in lines) and not (
                not self.sections and any(_PLAIN_LABEL.match(text) for text in lines)):
            self.blocks.append(Paragraph(token.content, plain, line))
            return
        for number, text in enumerate(lines):
            at = line + number
            label = _BOLD_LABEL.match(text) or (_PLAIN_LABEL.match(text) if not self.sections else None)
            heading = _BOLD_ONLY.match(text)
            if heading and canonical_section(heading.group(1)):
                self._open(canonical_section(heading.group(1)) or "", heading.group(1).strip(), at)
            elif label and (label_field(label.group(1))
                            or (label.re is _BOLD_LABEL and canonical_section(label.group(1)))):
                # "**Impact:** 1.2B queries lost" — the one-line-per-section style of many
                # templates (the SRE book's among them): a section or a field.
                value = strip_inline(label.group(2))
                if not value and canonical_section(label.group(1)):
                    self._open(canonical_section(label.group(1)) or "", label.group(1).strip(), at)
                else:
                    self._label(LabelLine(label.group(1).strip(), value, at))
            else:
                self.blocks.append(Line(text, at))

    def _structure(self, token: BlockToken) -> None:  # only tokens of `_STRUCTURE` come here
        """Tokens that open and close lists and tables, and the blocks without inline content."""
        kind = token.type
        if kind in ("bullet_list_open", "ordered_list_open"):
            self.list_depth += 1
        elif kind in ("bullet_list_close", "ordered_list_close"):
            self.list_depth -= 1
        elif kind == "list_item_open":
            self.item_nested_on_its_line = self.item_line == _line(token)
            self.item_number = int(token.info) if token.markup == "." and token.info.isdigit() else 0
            self.item_line = _line(token)
        elif kind == "list_item_close":
            self.item_line = None
        elif kind in ("thead_open", "thead_close"):
            self.in_head = kind == "thead_open"
        elif kind == "table_open":
            self.table = Table(None, [], _line(token))
            self.blocks.append(self.table)
        elif kind == "tr_open":
            self.row = Row([], [], _line(token))
        elif kind == "tr_close" and self.row is not None:
            self._row(self.row)
            self.row = None
        elif kind in ("fence", "code_block"):
            self.blocks.append(Code(token.content, _line(token)))
        elif kind == "html_block":
            self.refs.append(RawHtml(token.content, _line(token)))

    def _row(self, row: Row) -> None:
        if not self.sections and len(row.cells) == 2 and (
                canonical_section(strip_inline(row.cells[0])) or label_field(strip_inline(row.cells[0]))):
            # A two-column "| Incident date | 2024-03-16 |" table before the first heading
            # holds the same facts as front matter or labelled paragraphs.
            self._label(LabelLine(strip_inline(row.cells[0]), strip_inline(row.cells[1]), row.line))
        if self.table is None:
            return
        if self.in_head:
            self.table.header = row
        else:
            self.table.rows.append(row)

    def _references(self, token: BlockToken) -> str:
        """Record the links, images and HTML of an inline token; return its plain text (`_plain`).

        One pass over the children does both: every inline token outside headings needs both.
        Text without inline markup (no children) has neither links nor HTML.
        """
        if token.children is None:
            return plain_text(token.content)
        line = _line(token)
        parts: list[str] = []
        for child in token.children:
            kind = child.type
            if kind == "text":
                parts.append(child.content)
                if "<" in child.content:
                    # CommonMark leaves `<svg/onload=…>` as text, but other Markdown renderers
                    # (Python-Markdown, which MkDocs uses) pass it on as HTML: check it as HTML.
                    self.refs.extend(RawHtml(m.group(0), line) for m in _TAG_LIKE.finditer(child.content))
            elif kind == "code_inline":
                parts.append(child.content)
            elif kind in ("softbreak", "hardbreak"):
                parts.append(" ")
                line += 1
            elif kind == "link_open":
                self.refs.append(Link(str(child.attrGet("href") or ""), line, ""))
            elif kind == "image":
                parts.append(child.content)
                self.refs.append(Link(str(child.attrGet("src") or ""), line, child.content))
            elif kind == "html_inline":
                self.refs.append(RawHtml(child.content, line))
        return "".join(parts)

    def _too_deep(self, token: BlockToken) -> None:
        first, last = (token.map or [0, 1])
        self.problems.append(Problem(
            self.path, first + 1, "nesting-too-deep",
            f"lists or quotes are nested too deep here (at most {NESTING_LIMIT // 2 - 1} lists deep are read); "
            f"lines {first + 1}–{last} are read as one plain paragraph, and GitHub or the site may show them "
            "otherwise: nest them less",
            Level.WARNING,
        ))
