"""The parser's shortcut for plain inline text gives exactly markdown-it's tokens.

`lessons.parsing.markdown` skips markdown-it's inline rules for text without inline markup
(it is most of a post-mortem, and the rules were a third of the parse). These tests
compare its token stream with stock markdown-it's, on random text made of the
characters that matter (markup, spaces, tabs, line ends) and on every Markdown file
in the repository.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from mdit_py_plugins.front_matter import front_matter_plugin

from lessons.parsing.markdown import markdown, nesting_guard

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = settings(max_examples=int(os.environ.get("LESSONS_HYPOTHESIS_EXAMPLES", "300")) * 3, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


def stock() -> MarkdownIt:
    # The same block rules (the nesting guard among them), but markdown-it's own inline rules.
    return MarkdownIt("commonmark").enable("table").use(front_matter_plugin).use(nesting_guard)


def tokens(md: MarkdownIt, text: str) -> list[dict[str, object]]:
    return [token.as_dict() for token in md.parse(text)]


def test_the_shortcut_is_in_use():
    plain = markdown().parse("A plain paragraph\nover two lines.\n")[1]
    assert plain.type == "inline"
    assert [child.type for child in plain.children or []] == ["text", "softbreak", "text"]
    assert markdown().core.ruler.getRules("") != stock().core.ruler.getRules("")


PIECES = st.sampled_from([" ", "  ", "   ", "\t", "\n", "\n\n", "word", "Two words", "*", "**", "_", "`", "\\",
                          "&amp;", "&", "<", ">", "[", "]", "(", ")", "!", "#", "- ", "1. ", "|", "---", ":",
                          "~", "é", "\u00a0", "https://example.com", "<b>", "[x]"])


@SETTINGS
@given(st.lists(PIECES, max_size=40).map("".join))
@example("trailing two spaces  \nnext line")
@example("one space \n   indented next line\t\nthird")
@example("a tab starts\n\tthe next line")
@example("a space \n\t then a tab")
@example("| a | b |\n|---|---|\n| c  | d |\n")
@example("# Heading  \n\nText\\\nmore")
@example("   \n  a  \n")
def test_plain_text_gives_the_tokens_markdown_it_gives(text):
    assert tokens(markdown(), text) == tokens(stock(), text)


@pytest.mark.parametrize("path", sorted(p.relative_to(ROOT).as_posix() for p in [
    *ROOT.glob("content/**/*.md"), *ROOT.glob("tests/cases/*.md"), *ROOT.glob("docs/*.md"), ROOT / "README.md"]))
def test_every_markdown_file_here_gives_the_same_tokens(path):
    text = (ROOT / path).read_text(encoding="utf-8")
    assert tokens(markdown(), text) == tokens(stock(), text)
