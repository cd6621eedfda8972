"""The line table and the checks that read one line, as markdown-it's block rules read it.

Each check is the "silent" half of a markdown-it block rule (does this line open a fence,
a list item, a table, a heading?), ported for a source without tabs, where a line's
indent in columns and in characters are the same number. They read the same state
markdown-it's rules read: the block indent (`blk`), the indent of the enclosing list
(`list_indent`), and the indents of lines, which a list item shifts on its first line.
"""

from __future__ import annotations

import re
from itertools import accumulate, repeat
from operator import add, not_, sub
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

_ORDERED = re.compile(r"[0-9]{1,9}[.)]")
_DELIMITER_ROW = re.compile(r"[-:| ]*")
_DELIMITER_CELL = re.compile(r":?-+:?")


class Decline(Exception):  # a signal, not an error: the document leaves the subset
    """The document leaves the subset: markdown-it's own block rules read it instead."""


class Lines:
    """Where each line of the source begins and ends, its indent, and the checks on one line.

    Attributes:
        src: the source, tab-free.
        begin: the offset of each line's first character (one more entry past the end,
            as markdown-it keeps, so that ``begin[count]`` is valid).
        end: the offset of each line's end (its line feed, or the end of the source).
        indent: the spaces before each line's first other character; a list item
            raises it on its first line while its content is read, as markdown-it does.
        blank: whether each line is empty once its indent is skipped.
        count: the number of lines.
        blk: the indent that the blocks being read start at (markdown-it's ``blkIndent``).
        list_indent: the block indent of the enclosing list, -1 outside lists.
        trim: what markdown-it's ``mdTrim`` strips from paragraphs, headings and cells.
        split_row: markdown-it's split of a table row at its unescaped pipes.
    """

    def __init__(self, src: str, trim: str, split_row: Callable[[str], list[str]]) -> None:
        self.src = src
        self.trim = trim
        self.split_row = split_row
        lines = src.split("\n")
        if not lines[-1].strip(" "):
            lines.pop()  # a last line of spaces without a line feed is no line to markdown-it
        lengths = list(map(len, lines))
        content = list(map(len, map(str.lstrip, lines, repeat(" "))))
        # One pass of C-level maps rather than a Python loop per line: this table is
        # the one thing made for every line of every document.
        begin: list[int] = list(accumulate(map(add, lengths, repeat(1)), initial=0))
        self.count = len(lines)
        begin[-1] = len(src)  # the line past the last, as markdown-it keeps it
        self.begin = begin
        self.end: list[int] = [*map(add, begin, lengths), len(src)]
        self.indent: list[int] = [*map(sub, lengths, content), 0]
        self.blank: list[bool] = [*map(not_, content), True]
        self.blk = 0
        self.list_indent = -1

    def text(self, line: int) -> str:
        """The line from its first non-space character to its end."""
        return self.src[self.begin[line] + self.indent[line]:self.end[line]]

    def lines(self, first: int, stop: int, indent: int, keep_last_lf: bool) -> str:
        """Lines `first` to `stop` with up to `indent` leading spaces cut (``getLines``)."""
        src, begin, end, shift = self.src, self.begin, self.end, self.indent
        last = stop - 1
        return "".join(
            src[begin[line] + min(shift[line], indent):end[line] + (1 if line < last or keep_last_lf else 0)]
            for line in range(first, stop)
        )

    def ordered_marker(self, line: int) -> int:
        """The offset after an ordered list marker (``1.``, ``12)``) opening `line`, or -1."""
        start = self.begin[line] + self.indent[line]
        stop = self.end[line]
        found = _ORDERED.match(self.src, start, stop)
        if found is None:
            return -1
        after = found.end()
        if after < stop and self.src[after] != " ":
            return -1
        return after

    def bullet_marker(self, line: int) -> int:
        """The offset after a bullet list marker (``-``, ``*``, ``+``) opening `line`, or -1."""
        pos = self.begin[line] + self.indent[line]
        stop = self.end[line]
        if pos >= stop or self.src[pos] not in "*-+":
            return -1
        if pos + 1 < stop and self.src[pos + 1] != " ":
            return -1
        return pos + 1

    def hr_count(self, line: int) -> int:
        """How many markers make `line` a thematic break (``***``, ``- - -``), or 0."""
        text = self.text(line)
        marker = text[0]
        if text.strip(marker + " "):  # something else than markers and spaces
            return 0
        count = text.count(marker)
        return count if count >= 3 else 0

    def heading_level(self, line: int) -> int:
        """The level of the ATX heading (``## Title``) on `line`, or 0."""
        src = self.src
        pos = self.begin[line] + self.indent[line]
        stop = self.end[line]
        level = 1
        pos += 1
        while pos < stop and src[pos] == "#" and level <= 6:
            level += 1
            pos += 1
        if level > 6 or (pos < stop and src[pos] != " "):
            return 0
        return level

    def fence_opening(self, line: int) -> tuple[str, int, str] | None:
        """The marker, its length and the info string of a fence opening `line`, or None."""
        src = self.src
        pos = self.begin[line] + self.indent[line]
        stop = self.end[line]
        if pos + 3 > stop or self.indent[line] - self.blk >= 4:
            return None
        marker = src[pos]
        if marker not in "`~":
            return None
        after = pos
        while after < stop and src[after] == marker:
            after += 1
        if after - pos < 3:
            return None
        info = src[after:stop]
        if marker == "`" and "`" in info:
            return None
        return marker, after - pos, info

    def is_underline(self, line: int) -> bool:
        """Whether `line` is a setext underline (``===`` or ``---``, spaces allowed after)."""
        text = self.text(line)
        return text[0] in "-=" and not text.rstrip(" ").strip(text[0])

    def may_be_reference(self, line: int) -> bool:
        """Whether `line` (opening with ``[``) may start a link reference definition.

        The label ends at the first unescaped ``]``; only ``]:`` makes a definition. A
        label running past the line end is not followed: the document is declined.
        """
        src = self.src
        pos = self.begin[line] + self.indent[line] + 1
        stop = self.end[line]
        while pos < stop:
            char = src[pos]
            if char == "[":
                return False
            if char == "]":
                return src.startswith(":", pos + 1)
            if char == "\\":
                pos += 1
            pos += 1
        return True

    def table_head(self, line: int) -> tuple[list[str], list[str]] | None:
        """The header cells and alignments if `line` opens a pipe table, else None."""
        below = line + 1
        if below + 1 > self.count:
            return None
        shift = self.indent[below] - self.blk
        if shift < 0 or shift >= 4:
            return None
        src = self.src
        pos = self.begin[below] + self.indent[below]
        stop = self.end[below]
        if pos + 1 >= stop or src[pos] not in "|-:" or src[pos + 1] not in "|-: ":
            return None
        if src[pos] == "-" and src[pos + 1] == " ":
            return None  # a list item, not a delimiter row
        row = src[pos:stop]
        if not _DELIMITER_ROW.fullmatch(row):
            return None
        aligns = _alignments(row, self.trim)
        if aligns is None:
            return None
        head = self.text(line).strip(self.trim)
        if "|" not in head or self.indent[line] - self.blk >= 4:
            return None
        cells = self.cells(head)
        if not cells or len(cells) != len(aligns):
            return None
        return cells, aligns

    def ends_paragraph(self, line: int) -> bool:
        """Whether `line` ends a paragraph: a table, fence, break, list, comment or heading."""
        char = self.src[self.begin[line] + self.indent[line]]
        if char == ">":
            raise Decline  # a block quote
        if char == "<":
            return self._comment_or_decline(line)
        if self.table_head(line) is not None:
            return True
        if char in "`~":
            return self.fence_opening(line) is not None
        if char in "*-_" and self.hr_count(line):
            return True
        if char in "*-+0123456789":
            return self._list_ends_paragraph(line)
        return char == "#" and self.heading_level(line) > 0

    def _list_ends_paragraph(self, line: int) -> bool:
        """markdown-it's list rule as a paragraph terminator (an ordered one starts at 1)."""
        shift = self.indent[line]
        if self.list_indent >= 0 and shift - self.list_indent >= 4 and shift < self.blk:
            return False
        interrupting = shift >= self.blk
        start = self.begin[line] + shift
        if self.src[start] in "*-+":
            after = self.bullet_marker(line)
            if after < 0:
                return False
        else:
            after = self.ordered_marker(line)
            if after < 0 or (interrupting and int(self.src[start:after - 1]) != 1):
                return False
        return not (interrupting and not self.src[after:self.end[line]].strip(" "))

    def ends_list(self, line: int) -> bool:
        """Whether `line`, indented like the list's items, ends it: a fence or a break."""
        char = self.src[self.begin[line] + self.indent[line]]
        if char == ">":
            raise Decline
        if char in "`~":
            return self.fence_opening(line) is not None
        return char in "*-_" and self.hr_count(line) > 0

    def ends_table(self, line: int) -> bool:
        """Whether `line` ends a table's body: a fence, break, list item, comment or heading."""
        if self.indent[line] - self.blk >= 4:
            return False
        char = self.src[self.begin[line] + self.indent[line]]
        if char == ">":
            raise Decline
        if char == "<":
            return self._comment_or_decline(line)
        if char in "`~" and self.fence_opening(line) is not None:
            return True
        if char in "*-_" and self.hr_count(line):
            return True
        if char in "*-+" and self.bullet_marker(line) >= 0:
            return True
        if char in "0123456789" and self.ordered_marker(line) >= 0:
            return True
        return char == "#" and self.heading_level(line) > 0

    def _comment_or_decline(self, line: int) -> bool:
        """An HTML comment ends the block before it; other HTML is declined."""
        if self.src.startswith("<!--", self.begin[line] + self.indent[line]):
            return True
        raise Decline

    def cells(self, row: str) -> list[str]:
        """A table row's cells at unescaped pipes, without an empty first and last."""
        cells = self.split_row(row)
        if cells and not cells[0]:
            cells.pop(0)
        if cells and not cells[-1]:
            cells.pop()
        return cells


def _alignments(row: str, trim: str) -> list[str] | None:
    """The alignment of each column of a delimiter row, or None if it is not one."""
    cells = row.split("|")
    last = len(cells) - 1
    aligns = []
    for number, cell in enumerate(cells):
        cell = cell.strip(trim)
        if not cell:
            if number in (0, last):
                continue
            return None
        if not _DELIMITER_CELL.fullmatch(cell):
            return None
        if cell[-1] == ":":
            aligns.append("center" if cell[0] == ":" else "right")
        else:
            aligns.append("left" if cell[0] == ":" else "")
    return aligns
