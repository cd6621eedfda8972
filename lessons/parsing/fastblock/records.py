"""What the block rules make: markdown-it's tokens, or the outline's lighter records.

`TokenBlocks` makes markdown-it's ``Token`` objects, exactly as its block rules do (for
``markdown().parse``: the site renders them, the checks read them). `OutlineBlocks`
makes a `Record` only for the tokens `parsing.outline` reads, with only the attributes
it reads: building ~105 full tokens a document, and their inline children, was a
fifth of the parse, and the outline reads fewer than half of them.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal

from lessons.parsing.fastblock.blocks import Blocks

if TYPE_CHECKING:
    from collections.abc import Mapping

    from markdown_it.token import Token


class TokenBlocks(Blocks["Token"]):
    """The block rules making markdown-it's tokens."""

    def make(self, kind: str, tag: str, nesting: Literal[-1, 0, 1], lines: list[int] | None, level: int,
             markup: str) -> Token:
        """A block token (filled in directly: twice as fast as its constructor)."""
        from markdown_it.token import Token

        token = Token.__new__(Token)
        token.type, token.tag, token.nesting, token.level = kind, tag, nesting, level
        token.attrs, token.map, token.children = {}, lines, None
        token.content, token.markup, token.info = "", markup, ""
        token.meta, token.block, token.hidden = {}, True, False
        return token


_NO_META: Mapping[Any, Any] = MappingProxyType({})


class Record:
    """A block token as the outline reads it: its type, tag, lines, content, markup and info.

    ``children`` is None for inline text without markup (the outline reads its plain text
    from the content, `markdown.plain_text`) and markdown-it's inline tokens otherwise.
    ``attrs``, ``hidden`` and ``level`` are set only by the rules that set them, and read by
    nothing. ``meta`` is always empty: only the nesting guard, which the fast path never
    reaches, marks a token.
    """

    __slots__ = ("type", "tag", "map", "content", "markup", "info", "children", "attrs", "hidden", "level")
    meta: Mapping[Any, Any] = _NO_META

    type: str
    tag: str
    map: list[int] | None
    content: str
    markup: str
    info: str
    children: list[Token] | None
    attrs: dict[str, str | int | float]
    hidden: bool
    level: int

    def __init__(self, kind: str, tag: str, lines: list[int] | None, content: str = "", markup: str = "",
                 info: str = "") -> None:
        self.type, self.tag, self.map, self.content, self.markup, self.info = kind, tag, lines, content, markup, info
        self.children = None


_UNREAD = frozenset({"paragraph_close", "heading_close", "th_open", "th_close", "td_open", "td_close",
                     "tbody_open", "tbody_close", "table_close"})
"""Tokens the outline does not read (`outline._STRUCTURE`, headings, paragraphs' openings and
inline text are what it reads): closings whose openings say it all, and cells' wrappers.
They never stand first in a document, where the outline looks for a bold title."""

_UNKEPT = Record("", "", None)
"""What `OutlineBlocks.push` returns for them: the rules may set its ``attrs``, nothing reads it."""


class OutlineBlocks(Blocks[Record]):
    """The block rules making the records the outline reads, in the order markdown-it makes tokens."""

    def make(self, kind: str, tag: str, nesting: Literal[-1, 0, 1], lines: list[int] | None, level: int,
             markup: str) -> Record:
        """A record (the level is kept by `push` only, to know when the nesting guard would apply)."""
        return Record(kind, tag, lines, "", markup)

    def push(self, kind: str, tag: str, nesting: Literal[-1, 0, 1], lines: list[int] | None = None, *,
             content: str = "", markup: str = "", info: str = "") -> Record:
        """A record among `tokens`, unless the outline does not read its kind (then a loose one)."""
        self.level += nesting
        if kind in _UNREAD:
            return _UNKEPT
        record = Record(kind, tag, lines, content, markup, info)
        self.tokens.append(record)
        return record

    def push_inline(self, content: str, lines: list[int]) -> None:
        """Inline text, its children left to `markdown.outline_tokens` (None for plain text)."""
        self.tokens.append(Record("inline", "", lines, content))

    def push_text(self, kind: str, tag: str, lines: list[int], content: str, markup: str = "",
                  inline_lines: list[int] | None = None) -> None:
        """A paragraph or heading: its opening and its inline text (the closing says nothing more)."""
        self.tokens += (Record(kind + "_open", tag, lines, "", markup), Record("inline", "", inline_lines or lines,
                                                                                content))

    def hide_paragraphs(self, first: int) -> None:
        """Nothing: whether a paragraph shows ``<p>`` is the renderer's business, not the outline's."""
