"""The block rules that hold no other blocks, ported from markdown-it: token makers.

Front matter, paragraphs, ATX headings, fenced code and HTML comments, each pushing the
tokens markdown-it's rule pushes (same maps, markup, info, levels, hidden flags). The
rules for blocks that hold blocks (lists, tables) and the block loop are in `blocks`.
"""

from __future__ import annotations

from abc import abstractmethod
from typing import TYPE_CHECKING, Generic, Literal, Protocol, TypeVar

from lessons.parsing.fastblock.lines import Lines

if TYPE_CHECKING:
    from markdown_it.token import Token


class Pushed(Protocol):
    """What the block rules read and set on a token they made: markdown-it's ``Token``, or a lighter record."""

    type: str
    map: list[int] | None
    content: str
    info: str
    children: list[Token] | None
    hidden: bool
    attrs: dict[str, str | int | float]
    level: int


T = TypeVar("T", bound=Pushed)


class Leaves(Lines, Generic[T]):
    """The block tokens of one source, read the way markdown-it's block parser reads them.

    The rules only decide which tokens to push; `make` (and `push_text`) say what a token
    is, so that the same rules make markdown-it's tokens or the outline's records.

    Attributes:
        tokens: the tokens made so far.
        level: the nesting level of the next token (markdown-it's ``state.level``).
        line: the line the last rule stopped at (``state.line``).
        tight: whether no blank line came before the last block (``state.tight``).
        nesting_limit: the level at which the parser's nesting guard would take over.
    """

    def __init__(self, src: str, nesting_limit: int) -> None:
        from markdown_it.common.utils import MD_TRIM_CHARS
        from markdown_it.rules_block.table import escapedSplit

        super().__init__(src, MD_TRIM_CHARS, escapedSplit)
        self.tokens: list[T] = []
        self.level = 0
        self.line = 0
        self.tight = False
        self.nesting_limit = nesting_limit

    def push(self, kind: str, tag: str, nesting: Literal[-1, 0, 1], lines: list[int] | None = None, *,
             content: str = "", markup: str = "", info: str = "") -> T:
        """A block token, as ``StateBlock.push`` makes it, with its level."""
        if nesting < 0:
            self.level -= 1
        token = self.make(kind, tag, nesting, lines, self.level, markup)
        token.content, token.info = content, info
        if nesting > 0:
            self.level += 1
        self.tokens.append(token)
        return token

    def push_inline(self, content: str, lines: list[int]) -> None:
        """An ``inline`` token for the core inline rule to fill."""
        self.push("inline", "", 0, lines, content=content).children = []

    def push_text(self, kind: str, tag: str, lines: list[int], content: str, markup: str = "",
                  inline_lines: list[int] | None = None) -> None:
        """A paragraph or heading: its opening, its inline text, its closing (one call, not three)."""
        opening = self.make(f"{kind}_open", tag, 1, lines, self.level, markup)
        inline = self.make("inline", "", 0, list(inline_lines or lines), self.level + 1, "")
        inline.content = content
        inline.children = []
        self.tokens += (opening, inline, self.make(f"{kind}_close", tag, -1, None, self.level, markup))

    @abstractmethod
    def make(self, kind: str, tag: str, nesting: Literal[-1, 0, 1], lines: list[int] | None, level: int,
             markup: str) -> T:
        """A block token with an empty content and info, not yet among `tokens`."""

    def front_matter(self, stop: int) -> bool:
        """mdit_py_plugins' front matter: from ``---`` on the first line to a closing one.

        The rule looks at the source's first character but counts the dashes from where
        line 0's content starts, which inside a list item is after the marker.
        """
        src = self.src
        start = self.begin[0] + self.indent[0]
        dashes = start + 1
        while dashes < self.end[0] and src[dashes] == "-":
            dashes += 1
        dashes -= start
        if dashes < 3:
            return False
        after = 0
        closed = True
        while True:
            after += 1
            if after >= stop:
                return False  # never closed: not front matter
            pos = self.begin[after] + self.indent[after]
            limit = self.end[after]
            if self.indent[after] == 0 and src.startswith("...", pos) and self.skip_spaces(pos + 3) >= limit:
                break
            if pos < limit and self.indent[after] < self.blk:
                closed = False  # outdented past the list item: it ends here, unclosed
                break
            if src[pos] != "-" or self.indent[after] - self.blk >= 4:
                continue
            run = pos + 1
            while run < limit and src[run] == "-":
                run += 1
            if run - pos >= dashes and self.skip_spaces(run) >= limit:
                break
        self.line = after + 1 if closed else after
        token = self.push("front_matter", "", 0, [0, self.line], markup="---",
                          content=src[self.begin[1]:self.end[after - 1]])
        token.hidden = True
        return True

    def paragraph(self, line: int) -> None:
        """A paragraph: lines up to a blank one or a block that may interrupt it.

        Or a setext heading, when an underline (``===``, ``---``) comes first: markdown-it
        tries that rule first, over the same lines.
        """
        blank, indent, blk = self.blank, self.indent, self.blk
        after = line + 1
        while after < self.count and not blank[after]:
            shift = indent[after] - blk
            if shift <= 3:  # deeper lines continue the paragraph, whatever they hold
                if shift >= 0 and self.is_underline(after):
                    self.setext_heading(line, after)
                    return
                if self.ends_paragraph(after):
                    break
            after += 1
        if after == line + 1:
            content = self.text(line).strip(self.trim)
        else:
            content = self.lines(line, after, blk, False).strip(self.trim)
        self.line = after
        self.push_text("paragraph", "p", [line, after], content)

    def setext_heading(self, line: int, underline: int) -> None:
        """The lines from `line` as a heading underlined on line `underline`."""
        marker = self.text(underline)[0]
        tag = "h1" if marker == "=" else "h2"
        self.line = underline + 1
        content = self.lines(line, underline, self.blk, False).strip(self.trim)
        self.push_text("heading", tag, [line, underline + 1], content, marker, [line, underline])

    def code(self, line: int, stop: int) -> None:
        """Indented code: lines indented four past the block, and blank lines between them."""
        last = after = line + 1
        while after < stop:
            if self.blank[after]:
                after += 1
            elif self.indent[after] - self.blk >= 4:
                after += 1
                last = after
            else:
                break
        self.line = last
        self.push("code_block", "code", 0, [line, last], content=self.lines(line, last, 4 + self.blk, False) + "\n")

    def heading(self, line: int, level: int) -> None:
        """An ATX heading, without its closing ``#`` run."""
        src = self.src
        pos = self.begin[line] + self.indent[line] + level
        stop = self.end[line]
        while stop > pos and src[stop - 1] == " ":
            stop -= 1
        hashes = stop
        while hashes > pos and src[hashes - 1] == "#":
            hashes -= 1
        if hashes > pos and src[hashes - 1] == " ":
            stop = hashes
        self.line = line + 1
        self.push_text("heading", f"h{level}", [line, line + 1], src[pos:stop].strip(self.trim), "#" * level)

    def fence(self, line: int, stop: int, marker: str, length: int, info: str) -> None:
        """Fenced code, up to a closing fence at least as long, or the end of its parent."""
        src, begin, end, indent, blk = self.src, self.begin, self.end, self.indent, self.blk
        after = line
        closed = False
        while True:
            after += 1
            if after >= stop:
                break
            pos = begin[after] + indent[after]
            if pos < end[after] and indent[after] < blk:
                break
            if not src.startswith(marker, pos) or indent[after] - blk >= 4:
                continue
            run = pos
            while run < end[after] and src[run] == marker:
                run += 1
            if run - pos >= length and self.skip_spaces(run) >= end[after]:
                closed = True
                break
        self.line = after + 1 if closed else after
        self.push("fence", "code", 0, [line, self.line], content=self.lines(line + 1, after, indent[line], True),
                  markup=marker * length, info=info)

    def comment(self, line: int, stop: int) -> None:
        """An HTML comment block: to the line holding ``-->``, blank lines and all."""
        after = line + 1
        if "-->" not in self.text(line):
            while after < stop:
                if self.indent[after] < self.blk and not self.blank[after]:
                    break
                after += 1
                if "-->" in self.text(after - 1):
                    break
        self.line = after
        self.push("html_block", "", 0, [line, after], content=self.lines(line, after, self.blk, True))

    def skip_spaces(self, pos: int) -> int:
        """The offset of the first character from `pos` on that is not a space."""
        src = self.src
        while pos < len(src) and src[pos] == " ":
            pos += 1
        return pos
