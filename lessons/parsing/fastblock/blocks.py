"""The block rules that make tokens, ported from markdown-it for the subset `Lines` checks.

`Blocks.tokenize` is markdown-it's ``ParserBlock.tokenize`` and `Blocks.block` its rule
chain for one block, in markdown-it's order (front matter, table, code, fence, quote,
break, list, reference, HTML, heading, setext heading, paragraph). Each rule pushes the
tokens markdown-it's rule pushes, with the same maps, markup, info and levels; a
construct the subset leaves out raises `Decline` where markdown-it's rule would match.
"""

from __future__ import annotations

from lessons.parsing.fastblock.leaves import Leaves, T
from lessons.parsing.fastblock.lines import Decline

_MAY_OPEN_A_BLOCK = frozenset(">`~*-_+0123456789[<#")
"""The first characters of a line that may open a block other than a paragraph."""

MAX_AUTOCOMPLETED_CELLS = 0x10000
"""markdown-it's bound on the empty cells it adds to short table rows (then the table ends)."""


class Blocks(Leaves[T]):
    """The block loop and the rules for blocks that hold blocks: lists and tables."""

    def tokenize(self, start: int, stop: int) -> None:
        """The blocks from `start` to `stop` at the current block indent."""
        if self.level >= self.nesting_limit:
            raise Decline  # the nesting guard reads what is this deep
        blank, indent, count = self.blank, self.indent, self.count
        line = start
        blank_before = False
        while line < stop:
            while line < count and blank[line]:
                line += 1
            self.line = line
            if line >= stop or indent[line] < self.blk:
                break
            self.block(line, stop)
            self.tight = not blank_before
            line = self.line
            if line - 1 < stop and blank[line - 1]:
                blank_before = True
            if line < stop and blank[line]:
                blank_before = True
                line += 1
                self.line = line

    def block(self, line: int, stop: int) -> None:
        """The one block that starts at `line`, by the first rule that matches it."""
        src = self.src
        if line == 0 and src[0] == "-" and self.front_matter(stop):
            return
        head = self.table_head(line)
        if head is not None:
            self.table(line, stop, *head)
            return
        if self.indent[line] - self.blk >= 4:
            self.code(line, stop)
            return
        pos = self.begin[line] + self.indent[line]
        char = src[pos]
        if char == ">":
            raise Decline  # a block quote
        if char in "`~":
            opening = self.fence_opening(line)
            if opening is not None:
                self.fence(line, stop, *opening)
                return
        if char in "*-_":
            count = self.hr_count(line)
            if count:
                self.line = line + 1
                self.push("hr", "hr", 0, [line, line + 1], markup=char * (count + 1))
                return
        if char in "*-+0123456789" and self.list_block(line, stop):
            return
        if char == "[" and self.may_be_reference(line):
            raise Decline
        if char == "<":
            if not src.startswith("<!--", pos):
                raise Decline  # other HTML blocks
            self.comment(line, stop)
        elif char == "#" and self.heading_level(line):
            self.heading(line, self.heading_level(line))
        else:
            self.paragraph(line)


    def list_block(self, line: int, stop: int) -> bool:
        """A bullet or ordered list: items with the same marker, until something else."""
        ordered = self.src[self.begin[line] + self.indent[line]] not in "*-+"
        after = self.ordered_marker(line) if ordered else self.bullet_marker(line)
        if after < 0:
            return False
        src, begin, indent = self.src, self.begin, self.indent
        marker = src[after - 1]
        number = src[begin[line] + indent[line]:after - 1] if ordered else ""
        lines = [line, 0]
        opening = self.push("ordered_list_open" if ordered else "bullet_list_open", "ol" if ordered else "ul", 1,
                            lines, markup=marker)
        if ordered and int(number) != 1:
            opening.attrs = {"start": int(number)}
        first = len(self.tokens) - 1
        tight = True
        blank_after = False
        while line < stop:
            loose, ends_blank = self.item(line, stop, after, marker, number)
            tight = tight and not loose and not blank_after
            blank_after = ends_blank
            line = self.line
            if line >= stop or indent[line] < self.blk or indent[line] - self.blk >= 4 or self.ends_list(line):
                break
            after = self.ordered_marker(line) if ordered else self.bullet_marker(line)
            if after < 0 or src[after - 1] != marker:
                break
            number = src[begin[line] + indent[line]:after - 1] if ordered else ""
        self.push("ordered_list_close" if ordered else "bullet_list_close", "ol" if ordered else "ul", -1,
                  markup=marker)
        lines[1] = self.line = line
        if tight:
            self.hide_paragraphs(first)
        return True

    def item(self, line: int, stop: int, after: int, marker: str, number: str) -> tuple[bool, bool]:
        """One list item; returns whether a blank line stood inside it, and after it."""
        src, begin, end, indent, blank = self.src, self.begin, self.end, self.indent, self.blank
        content = after
        while content < end[line] and src[content] == " ":
            content += 1
        gap = 1 if content >= end[line] or content - after > 4 else content - after
        lines = [line, 0]
        self.push("list_item_open", "li", 1, lines, markup=marker, info=number)
        saved = (self.tight, indent[line], blank[line], self.list_indent)
        # The item's content starts after its marker: its first line is read from there,
        # and the lines after it belong to the item when indented past the marker.
        self.list_indent = self.blk
        self.blk = after - begin[line] + gap
        self.tight = True
        indent[line] = content - begin[line]
        blank[line] = content >= end[line]
        if blank[line] and blank[line + 1]:
            self.line = min(line + 2, stop)  # an empty item ends at the blank line after it
        elif blank[line] or content - after > 4 or not self.one_line_item(line, stop):
            self.tokenize(line, stop)
        loose = not self.tight
        ends_blank = self.line - line > 1 and blank[self.line - 1]
        self.blk = self.list_indent
        self.tight, indent[line], blank[line], self.list_indent = saved
        self.push("list_item_close", "li", -1, markup=marker)
        lines[1] = self.line
        return loose, ends_blank

    def one_line_item(self, line: int, stop: int) -> bool:
        """An item of one line of text, read as `tokenize` would read it, or False to read it so.

        Most items are one line of text followed by the next item or a blank line; this
        saves the block loop's calls for them. The item's text must be a paragraph (it
        starts with no character that may open another block, and no table follows), and
        the line after it must end the paragraph and be outside the item.
        """
        char = self.src[self.begin[line] + self.indent[line]]
        if char in _MAY_OPEN_A_BLOCK and not ((char == "[" and not self.may_be_reference(line))
                                              or (char.isdigit() and self.ordered_marker(line) < 0)):
            return False
        if line == 0 or self.level >= self.nesting_limit or self.table_head(line) is not None:
            return False
        after = line + 1
        if after < self.count and not self.blank[after]:
            if self.indent[after] >= self.blk or not self.ends_paragraph(after):
                return False  # more of the paragraph, or more of the item
        else:
            while after < self.count and self.blank[after]:
                after += 1
            if after < stop and self.indent[after] >= self.blk:
                return False  # the item goes on after the blank lines
        self.push_text("paragraph", "p", [line, line + 1], self.text(line).strip(self.trim))
        self.line = after
        self.tight = True
        return True

    def hide_paragraphs(self, first: int) -> None:
        """A tight list's own paragraphs are hidden (its items render without ``<p>``)."""
        level = self.level + 2
        tokens = self.tokens
        index = first + 2
        last = len(tokens) - 2
        while index < last:
            if tokens[index].level == level and tokens[index].type == "paragraph_open":
                tokens[index].hidden = tokens[index + 2].hidden = True
                index += 2
            index += 1

    def table(self, line: int, stop: int, cells: list[str], aligns: list[str]) -> None:
        """A pipe table: the header, the delimiter row, and rows up to a blank line or a block."""
        lines = [line, 0]
        self.push("table_open", "table", 1, lines)
        self.push("thead_open", "thead", 1, [line, line + 1])
        self.push("tr_open", "tr", 1, [line, line + 1])
        self.cells_row("th", cells, aligns, line)
        self.push("tr_close", "tr", -1)
        self.push("thead_close", "thead", -1)
        body: list[int] = []
        missing = 0
        row = line + 2
        while row < stop:
            if self.indent[row] < self.blk or self.ends_table(row):
                break
            text = self.text(row).strip(self.trim)
            if not text or self.indent[row] - self.blk >= 4:
                break
            values = self.cells(text)
            missing += len(cells) - len(values)
            if missing > MAX_AUTOCOMPLETED_CELLS:
                break
            if not body:
                body = [row, 0]
                self.push("tbody_open", "tbody", 1, body)
            self.push("tr_open", "tr", 1, [row, row + 1])
            self.cells_row("td", values + [""] * (len(cells) - len(values)), aligns, row)
            self.push("tr_close", "tr", -1)
            row += 1
        if body:
            self.push("tbody_close", "tbody", -1)
            body[1] = row
        self.push("table_close", "table", -1)
        lines[1] = self.line = row

    def cells_row(self, tag: str, values: list[str], aligns: list[str], line: int) -> None:
        """One row's cells: an opening with the column's alignment, the inline text, a closing."""
        for value, align in zip(values, aligns, strict=False):  # cells past the header's count are dropped
            cell = self.push(f"{tag}_open", tag, 1)
            if align:
                cell.attrs = {"style": "text-align:" + align}
            self.push_inline(value.strip(self.trim), [line, line + 1])
            self.push(f"{tag}_close", tag, -1)
