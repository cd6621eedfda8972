"""The markdown-it parser the outline is read from, set up for post-mortems.

CommonMark with tables and front matter, plus three changes: a fast block tokenizer for
the common subset of Markdown (`lessons.parsing.fastblock`: markdown-it's block rules
were most of the parse), a shortcut past the inline rules for plain text (they were a
third of what remained), and a guard against nesting so deep that markdown-it would
silently drop the rest of the document.
"""

from __future__ import annotations

import re
import weakref
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Protocol, cast

from lessons.parsing.fastblock import block_tokens, outline_records, supports

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    from markdown_it import MarkdownIt
    from markdown_it.rules_block import StateBlock
    from markdown_it.rules_core import StateCore
    from markdown_it.token import Token

NESTING_LIMIT = 20
"""How deep blocks may nest (a list is two levels, a quote one): markdown-it's CommonMark limit.

At this depth markdown-it gives up and skips to the end of the enclosing block, which for
a list is the end of the document: a Resolution section or an overdue action item after a
ten-deep list simply vanished. `nesting_guard` reads such a block as one plain paragraph
instead, marked ``meta["too_deep"]``, so the outline can report it and read on."""


@lru_cache(maxsize=2)
def markdown(*, fast_blocks: bool = True) -> MarkdownIt:
    """The parser: CommonMark, tables, front matter, the plain-text shortcut and the nesting guard.

    Args:
        fast_blocks: read the blocks of documents in the common subset with
            `lessons.parsing.fastblock` (the same tokens, several times faster); False
            gives markdown-it's own block rules, which the tests and benchmarks compare with.
    """
    from markdown_it import MarkdownIt
    from markdown_it.rules_core import block
    from mdit_py_plugins.front_matter import front_matter_plugin

    md = MarkdownIt("commonmark").enable("table").use(front_matter_plugin).use(nesting_guard)
    md.core.ruler.at("normalize", _normalize)
    md.core.ruler.at("inline", _inline_rule)
    md.core.ruler.disable("text_join")  # the inline rule joins where it is needed
    if fast_blocks and supports(md):
        md.core.ruler.at("block", _fast_block_rule(block, min(NESTING_LIMIT, md.options.maxNesting)))
        _FAST_PARSERS.add(md)
    return md


_FAST_PARSERS: weakref.WeakSet[MarkdownIt] = weakref.WeakSet()
"""The parsers `markdown` set up with the fast block tokenizer."""


class BlockToken(Protocol):
    """A block token as `parsing.outline` reads it: markdown-it's ``Token`` or a `fastblock.Record`."""

    @property
    def type(self) -> str: ...  # read-only: a Token and a Record both have them
    @property
    def tag(self) -> str: ...
    @property
    def map(self) -> list[int] | None: ...
    @property
    def content(self) -> str: ...
    @property
    def markup(self) -> str: ...
    @property
    def info(self) -> str: ...
    @property
    def meta(self) -> Mapping[Any, Any]: ...
    @property
    def children(self) -> list[Token] | None:
        """The inline tokens; None for inline text without markup (read it with `plain_text`)."""


def outline_tokens(text: str) -> Sequence[BlockToken]:
    """The block tokens `parsing.outline` reads, the cheapest way there is for `text`.

    Where the fast block tokenizer reads `text`, light records (`fastblock.Record`) of the
    tokens the outline reads, markdown-it's inline tokens only for text with inline
    markup; elsewhere ``markdown().parse(text)``. Both give the same outline
    (tests/test_outline_records.py). ``markdown().parse`` itself is unchanged: the site
    renders its tokens.
    """
    md = markdown()
    src = _normalized(text)
    records = outline_records(src, nesting_limit=min(NESTING_LIMIT, md.options.maxNesting)) if (
        md in _FAST_PARSERS) else None
    if records is None:
        return md.parse(text)
    parsed = []
    env: dict[str, Any] = {}
    for record in records:
        if record.type == "inline":
            content = record.content
            # No references in the fast path (it declines their definitions): `[x]` alone is text.
            if _INLINE_MARKUP.search(content) or "](" in content:
                plain = _bold_lead_plain(content)
                if plain is not None:
                    record.children = [_text_token(plain)]
                    continue
                record.children = []
                md.inline.parse(content, md, env, record.children)
                parsed.append(record)
    if parsed:
        from markdown_it.rules_core import StateCore
        from markdown_it.rules_core.text_join import text_join

        # text_join reads only the type and children of what it is given.
        text_join(StateCore("", md, env, cast("list[Token]", parsed)))
    return records


def _fast_block_rule(fallback: Callable[[StateCore], None], nesting_limit: int) -> Callable[[StateCore], None]:
    """markdown-it's core ``block`` rule, reading the blocks with `block_tokens` where it can."""

    def rule(state: StateCore) -> None:
        tokens = None if state.inlineMode else block_tokens(state.src, nesting_limit=nesting_limit)
        if tokens is None:
            fallback(state)  # outside the subset: markdown-it's block rules read it all
        else:
            state.tokens.extend(tokens)

    return rule


def nesting_guard(md: MarkdownIt) -> None:
    """A markdown-it plugin: blocks nested `NESTING_LIMIT` deep become one paragraph, not nothing."""
    tokenize = md.block.tokenize

    def guarded(state: StateBlock, start: int, end: int) -> None:
        # Block rules read nested content (list items, quotes) by calling tokenize again: the
        # one place to catch the depth before markdown-it's own check skips to the end.
        if state.level >= NESTING_LIMIT:
            _too_deep(state, start, end)
        else:
            tokenize(state, start, end)

    md.block.tokenize = guarded  # type: ignore[method-assign,assignment]  # an instance attribute, as rules call it


def _too_deep(state: StateBlock, start: int, end: int) -> None:
    """The block's own lines, up to the first one indented less than it, as one paragraph."""
    first = state.skipEmptyLines(start)
    last = line = first
    while line < end:
        if not state.isEmpty(line):
            if state.sCount[line] < state.blkIndent:
                break
            last = line
        line += 1
    if first >= end or state.sCount[first] < state.blkIndent:
        state.line = first
        return
    opening = state.push("paragraph_open", "p", 1)
    opening.map = [first, last + 1]
    opening.meta = {"too_deep": True}
    inline = state.push("inline", "", 0)
    inline.content = state.getLines(first, last + 1, state.blkIndent, False).strip()
    inline.map = [first, last + 1]
    inline.children = []
    state.push("paragraph_close", "p", -1)
    state.line = last + 1


_INLINE_MARKUP = re.compile(r"[\\`*_&<]")
"""Where CommonMark inline markup starts (escapes, code, emphasis, entities, autolinks
and HTML); with ``](`` (inline links and images), text without it is plain. Brackets
alone (``[x]`` of a task, ``[sic]``) are plain too unless the document defines link
references."""

_LINE_ENDS = re.compile(r"\r\n?")


def _normalize(state: StateCore) -> None:
    """markdown-it's core ``normalize`` rule, without rewriting a source that needs nothing.

    Its regular expression replaced every line feed by a line feed (5% of the parse).
    """
    state.src = _normalized(state.src)


def _normalized(src: str) -> str:
    if "\r" in src:
        src = _LINE_ENDS.sub("\n", src)
    if "\0" in src:
        src = src.replace("\0", "\ufffd")
    return src


def _inline_rule(state: StateCore) -> None:
    """markdown-it's core ``inline`` and ``text_join`` rules, with a shortcut for plain text.

    Most paragraphs, headings and table cells have no inline markup at all, and running
    the inline rules over them was a third of the parse. Plain text gets the tokens
    markdown-it would give it (text, and a soft or hard break at each line end), which
    ``text_join`` leaves as they are; it runs on the rest only. tests/test_parse_inline.py
    and tests/test_fastblock.py check that the tokens are stock markdown-it's.
    """
    from markdown_it.rules_core import StateCore
    from markdown_it.rules_core.text_join import text_join

    md = state.md
    references = "references" in state.env  # then ``[label]`` alone may be a link
    parsed = []
    for token in state.tokens:
        if token.type != "inline":
            continue
        if token.children is None:
            token.children = []
        content = token.content
        if _INLINE_MARKUP.search(content) or "](" in content or (references and "[" in content):
            md.inline.parse(content, md, state.env, token.children)
            parsed.append(token)
        else:
            token.children.extend(plain_inline_tokens(content))
    if parsed:
        text_join(StateCore("", md, state.env, parsed))


def plain_inline_tokens(content: str) -> list[Token]:
    """The inline tokens of text without markup, as markdown-it's inline rules make them."""
    if "\n" not in content:
        return [_text_token(content)] if content else []
    tokens = []
    pending = ""
    lines = content.split("\n")
    last = len(lines) - 1
    for number, line in enumerate(lines):
        pending += line.lstrip(" \t") if number else line
        if number == last:
            break
        kind = "softbreak"
        if pending.endswith("  "):  # two spaces before the line end: a hard break
            pending, kind = pending.rstrip(" "), "hardbreak"
        elif pending.endswith(" "):
            pending = pending[:-1]
        if pending:
            tokens.append(_text_token(pending))
            pending = ""
        tokens.append(_text_token("", kind, "br"))
    if pending:
        tokens.append(_text_token(pending))
    return tokens


_BOLD_LEAD = re.compile(r"\*\*([^*\n]+)\*\*([^*]*)")
_OTHER_MARKUP = re.compile(r"[\\`_&<]")


def _bold_lead_plain(content: str) -> str | None:
    """The plain text of ``**Label:** text`` (a bold start, no other markup), or None for other text.

    A quarter of the inline text of real post-mortems is a bold label or phrase and plain
    text; markdown-it's inline rules gave it a strong emphasis and text. The outline reads
    only the text, so it gets one text token. Only where CommonMark certainly makes the
    pair strong: the opening ``**`` is followed by a letter or digit, the closing one
    follows a letter or digit, or ``.:!?)`` before a blank or the end.
    """
    bold = _BOLD_LEAD.fullmatch(content)
    if bold is None or "](" in content or _OTHER_MARKUP.search(content):
        return None
    inner, after = bold.groups()
    if not inner[0].isalnum() or not (inner[-1].isalnum() or (
            inner[-1] in ".:!?)" and (not after or after[0] in " \n"))):
        return None
    return inner + plain_text(after)


def plain_text(content: str) -> str:
    """What `parsing.outline` reads from `plain_inline_tokens`: the text, a space at each line end.

    Each line after the first loses its leading spaces and tabs, and each but the last its
    trailing spaces (one, or all when they make a hard break), as the tokens do.
    """
    if "\n" not in content:
        return content
    lines = content.split("\n")
    last = len(lines) - 1
    for number, line in enumerate(lines):
        if number:
            line = line.lstrip(" \t")
        if number != last:
            line = line.rstrip(" ") if line.endswith("  ") else line[:-1] if line.endswith(" ") else line
        lines[number] = line
    return " ".join(lines)


def _text_token(content: str, kind: str = "text", tag: str = "") -> Token:
    """An inline token as ``Token(kind, tag, 0, content=content)`` makes it, at half the cost."""
    from markdown_it.token import Token

    token = Token.__new__(Token)
    token.type, token.tag, token.nesting, token.content = kind, tag, 0, content
    token.attrs, token.map, token.level, token.children = {}, None, 0, None
    token.markup, token.info, token.meta, token.block, token.hidden = "", "", {}, False, False
    return token
