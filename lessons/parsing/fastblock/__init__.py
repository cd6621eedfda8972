"""A fast block tokenizer for the Markdown that post-mortems are written in.

markdown-it finds blocks by trying each of its block rules on every line, each a Python
call that reads the line again; that was most of the parse. `block_tokens` reads the
common subset of CommonMark in one pass over a table of line offsets and indents, and
makes exactly the tokens markdown-it makes: the same rules in the same order with the
same quirks, only without trying the rules that cannot match.

The subset: front matter, blank lines, ATX headings, paragraphs, bullet and ordered
lists (tight and loose, nested, with continuation and lazy lines), pipe tables, fenced
code, thematic breaks and HTML comments. Anything else where a block may start raises
`Decline`, and `block_tokens` returns None: tabs, block quotes, other HTML blocks, link
reference definitions, indented code, setext headings, and lists nested so deep that
`markdown.NESTING_LIMIT` applies. The caller then runs markdown-it's own block rules on
the whole document, so a declined document reads exactly as before.

- `lines`: the line table and the checks on one line (markdown-it's rules in silent
  mode: does this line open a list item, a fence, a table; does it end a paragraph).
- `leaves`: the rules for blocks holding no blocks, and the token maker.
- `blocks`: the block loop, and the rules for lists and tables.
- `records`: what the rules make: markdown-it's tokens (`block_tokens`), or the light
  records `parsing.outline` reads (`outline_records`, for `markdown.outline_tokens`).

tests/test_fastblock.py compares the two token streams on every Markdown file in the
repository, on generated corpora and on random documents of the subset and its
neighbours. docs/DESIGN.md says how to widen the subset.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lessons.parsing.fastblock.blocks import Blocks
from lessons.parsing.fastblock.leaves import T
from lessons.parsing.fastblock.lines import Decline
from lessons.parsing.fastblock.records import OutlineBlocks, Record, TokenBlocks

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

BLOCK_RULES = ("front_matter", "table", "code", "fence", "blockquote", "hr", "list", "reference",
               "html_block", "heading", "lheading", "paragraph")
"""The block rules, in order, that this tokenizer reproduces (or declines for)."""


def supports(md: MarkdownIt) -> bool:
    """Whether `md` is set up the way `block_tokens` reads: its rules, HTML on, no task lists."""
    return (tuple(md.block.ruler.get_active_rules()) == BLOCK_RULES and bool(md.options.get("html"))
            and not md.options.get("tasklists", False))


def block_tokens(src: str, *, nesting_limit: int) -> list[Token] | None:
    """markdown-it's block tokens for `src`, or None where `src` leaves the subset.

    Args:
        src: the source as markdown-it's core ``normalize`` rule leaves it.
        nesting_limit: the level at which a nested block is no longer read as usual
            (markdown-it's ``maxNesting``, or the parser's nesting guard).
    """
    return _read(TokenBlocks(src, nesting_limit)) if _may_read(src) else None


def outline_records(src: str, *, nesting_limit: int) -> list[Record] | None:
    """The records of the tokens `parsing.outline` reads, as `block_tokens` would make them, or None.

    The same rules as `block_tokens`, in the same order: the records are markdown-it's
    tokens without the closings and cell wrappers the outline skips, and without the
    attributes it does not read (`records.Record`).
    """
    return _read(OutlineBlocks(src, nesting_limit)) if _may_read(src) else None


def _may_read(src: str) -> bool:
    # A tab's width depends on the column it stands at: not modelled.
    return bool(src) and "\t" not in src


def _read(blocks: Blocks[T]) -> list[T] | None:
    try:
        blocks.tokenize(0, blocks.count)
    except Decline:
        return None
    return blocks.tokens
