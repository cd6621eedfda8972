"""The outline read from the fast tokenizer's light records is the outline read from tokens.

`markdown.outline_tokens` gives `parsing.outline` light records (`fastblock.Record`) of
the block tokens it reads, with markdown-it's inline tokens only for text that has inline
markup, wherever the fast block tokenizer reads a document; `parse_text` reads every
document through it. These tests read each document both ways, from the records and from
stock markdown-it's tokens, and compare the whole outline (title, blocks, lines, links and
HTML, problems, labels): on every Markdown file in the repository, both generated corpora
of the benchmarks, seeded random documents and hypothesis' documents. They also check
that the records path is really taken, so that a version always falling back to
markdown-it would fail.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from markdown_it.token import Token

from lessons.parsing.fastblock import Record
from lessons.parsing.markdown import (
    _bold_lead_plain,
    markdown,
    outline_tokens,
    plain_inline_tokens,
    plain_text,
)
from lessons.parsing.outline import _plain, read_outline
from test_fastblock import MARKDOWN_FILES, ROOT, SETTINGS, load_benchmark, stock  # tests/ is on the path


def normalized(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_by_records(text: str) -> bool:
    """Whether `outline_tokens` gives records for `text` (the fast path) rather than markdown-it's tokens."""
    tokens = outline_tokens(normalized(text))
    return bool(tokens) and all(isinstance(token, Record) for token in tokens)


def assert_same_outline(text: str, path: str = "doc.md") -> None:
    """The outline from `outline_tokens` is the outline from stock markdown-it's tokens."""
    text = normalized(text)
    lines = text.split("\n")
    ours = read_outline(outline_tokens(text), Path(path), lines, 0, body=text)
    theirs = read_outline(stock().parse(text), Path(path), lines, 0, body=text)
    assert ours == theirs


def test_records_are_read_where_the_fast_tokenizer_reads_and_tokens_elsewhere():
    assert read_by_records("# Title\n\n## Summary\n\nText with **bold** and [a link](x.md).\n\n- item\n")
    quoted = outline_tokens("# Title\n\n> a block quote\n")  # outside the fast tokenizer's subset
    assert quoted and all(isinstance(token, Token) for token in quoted)
    # markdown().parse itself still gives markdown-it's tokens: the site renders them.
    assert all(isinstance(token, Token) for token in markdown().parse("# Title\n\n- item\n"))


def test_only_text_with_inline_markup_gets_inline_tokens():
    tokens = outline_tokens("plain text\n\nwith **bold**\n")
    inline = [token for token in tokens if token.type == "inline"]
    assert inline[0].children is None
    assert inline[1].children == stock().parse("with **bold**\n")[1].children
    assert "strong_open" in [child.type for child in inline[1].children or []]


@pytest.mark.parametrize("path", MARKDOWN_FILES)
def test_every_markdown_file_here_gives_the_same_outline(path):
    assert_same_outline((ROOT / path).read_text(encoding="utf-8"), path)


def test_the_generated_corpora_give_the_same_outline_all_from_records():
    corpus, bench = load_benchmark("corpus"), load_benchmark("bench_parse")
    rng = random.Random(5)
    documents = [text for _, text in corpus.documents(300, seed=11)]
    documents += [bench.postmortem(number, rng)[1] for number in range(150)]
    for text in documents:
        assert_same_outline(text)
    assert all(read_by_records(text) for text in documents)


def test_content_is_read_from_records_nearly_always():
    texts = [path.read_text(encoding="utf-8") for path in ROOT.glob("content/**/*.md")]
    assert sum(map(read_by_records, texts)) >= 0.9 * len(texts)


LINES = [
    "", "", "", "text", "Two words and more  ", "trailing space ", "# Title", "# Another title", "## Summary",
    "## Timeline", "### Detection", "## Action items", "## Incident review", "### What went well", "#### Deeper",
    "**Date:** 2024-07-09", "**Impact:** 1.2M requests failed", "**Root cause**", "**Summary:**", "__Owner__:",
    "**Not a label:** x", "Date: 2024-10-02", "Severity: SEV2", "Owner: jane", "- **Date:** 2024-07-09",
    "- 22. Februar, 14:05 — alerts fired", "22. Februar 2024", "1. March 3, 2024", "- - nested", "- item",
    "  - nested item", "    - deeper item", "1. first", "2) second", "- [x] done", "- [ ] open",
    "| Incident date | 2024-03-16 |", "|---|---|", "| Severity | SEV1 |", "| a | b | c |", "|:--|--:|",
    "| `code` | [link](x.md) |", "```", "```python", "~~~", "<!-- comment -->", "<!-- open", "-->", "---", "***",
    "text with <b>html</b>", "an <svg/onload=alert(1)> tag", "a [link](https://example.com)", "![alt](img.png)",
    "[bad](javascript:alert(1))", "`code` and *emphasis*", "a_b_c snake", "&amp; entity", "\\* escaped",
    "# \u00a0nbsp heading", "#\u202fnarrow", "plain [x] brackets", "> quote", "[ref]: https://example.com",
    "10:42 UTC — alert fired", "14:05 Rollback started", "    indented code", "Title\n===",
    "**Root cause:**", "**Root cause.** The disk filled", "**Date**: 2024-03-16", "**a**b", "**a.**b", "** a**",
    "**a **", "**é**", "**1.** x", "**[x]** done", "- **Owner:** sre", "**Identified** - We are on it  ",
    "**A** and **B**", "**a:** b *c*", "**a** `c`", "x **a**", "***a***", "**a)** b", "**a?**!",
]


def random_document(rng: random.Random, lines: int) -> str:
    """A document of random lines, sometimes after front matter, sometimes deeply nested."""
    out = []
    if rng.random() < 0.2:
        out += ["---", "title: x", "---"]
    for _ in range(lines):
        if rng.random() < 0.02:  # deeper than the nesting guard: markdown-it reads it
            out += [" " * (2 * depth) + "- deep" for depth in range(rng.randint(5, 20))]
        out.append(" " * (rng.choice([0, 0, 0, 2, 3, 4]) if rng.random() < 0.2 else 0) + rng.choice(LINES))
    return "\n".join(out) + rng.choice(["", "\n", "\n\n"])


def test_random_documents_give_the_same_outline_and_most_come_from_records():
    rng = random.Random(2026)
    read = 0
    for _ in range(3000):
        text = random_document(rng, rng.randint(1, 25))
        assert_same_outline(text)
        read += read_by_records(text)
    assert read > 1000


@SETTINGS
@given(st.lists(st.tuples(st.sampled_from([0, 0, 0, 1, 2, 3, 4, 6]), st.sampled_from(LINES)), max_size=30)
       .map(lambda lines: "\n".join(" " * indent + line for indent, line in lines)))
@example("**Title of the doc**\n\n## Summary\ntext\n")  # a bold first line is the title
@example("***\n**Title**\n")  # not when a break stands first
@example("| Incident date | 2024-03-16 |\n|---|---|\n| Severity | SEV1 |\n\n# T\n")
@example("- 22. Februar, 14:05 — a\n- 23. Februar\n")
@example("line one  \nline two \n   line three\n\n# T\n")
def test_random_lines_give_the_same_outline(text):
    assert_same_outline(text)


@SETTINGS
@given(st.text(st.sampled_from(" \tab\n"), max_size=30).map(lambda text: text.strip(" \t\n")))
@example("a  \n  b \nc")
@example("a \t\n\tb")
def test_plain_text_is_what_the_outline_reads_from_the_plain_inline_tokens(content):
    token = Token("inline", "", 0, content=content, children=plain_inline_tokens(content))
    assert plain_text(content) == _plain(token)


BOLD_PIECES = st.sampled_from(["**", "**", "*", "a", "Date", ":", ".", "!", ")", "?", " ", "  ", "\n", "\n ", "é",
                               "1", "[x]", "-", "—", "_", "&", "(", ",", "\u00a0", "\u2003", "`", "#", "<b>"])


@SETTINGS
@given(st.lists(BOLD_PIECES, max_size=14).map("".join).map(lambda text: text.strip(" \n")))
@example("**Date:** 2024-03-16")
@example("**a:**b")
@example("**a**  \nb")
@example("**a**\n\u2003b")
@example("**a:**\u00a0b")
@example("**a!**:b")
@example("**é**\u00a0")
def test_a_bold_start_reads_as_markdown_it_reads_it(content):
    """The bold-label shortcut gives the text markdown-it's inline rules give, or steps aside."""
    # The shortcut only ever sees inline content as the block rules hand it over: stripped
    # with str.strip, so without a no-break space at either end (the whole outline below
    # is compared from the text as written).
    block = content.strip()
    tokens = stock().parse(block)
    inline = [token for token in tokens if token.type == "inline"]
    plain = _bold_lead_plain(block)
    if plain is not None:
        assert [token.type for token in tokens] == ["paragraph_open", "inline", "paragraph_close"]
        assert plain == _plain(inline[0])
        assert [child.type for child in inline[0].children or []][:3] == ["text", "strong_open", "text"]
    assert_same_outline(content)


def test_the_bold_start_shortcut_is_taken_for_labels():
    assert _bold_lead_plain("**Root cause:** the disk filled up") == "Root cause: the disk filled up"
    assert _bold_lead_plain("**Date**: 2024-03-16") == "Date: 2024-03-16"
    assert _bold_lead_plain("**Identified** - We are\non it") == "Identified - We are on it"
    assert _bold_lead_plain("**a** and *b*") is None  # more emphasis: markdown-it reads it
