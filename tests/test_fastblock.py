"""The fast block tokenizer gives exactly markdown-it's tokens, or declines.

`lessons.parsing.fastblock` reads the blocks of documents in a common subset of Markdown
itself, and hands everything else to markdown-it's block rules. Whatever it reads must
come out token for token as markdown-it's rules make it (types, tags, levels, maps,
content, markup, info, hidden flags, and the inline children made after). These tests
compare the parser with and without the fast path on every Markdown file in the
repository, on both generated corpora of the benchmarks, and on random documents built
from the subset's constructs and their neighbours; and check that the fast path is
really taken where it should be, so a tokenizer that always declined would fail.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import random
import sys
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from mdit_py_plugins.front_matter import front_matter_plugin

from lessons.parsing.fastblock import block_tokens, supports
from lessons.parsing.markdown import NESTING_LIMIT, markdown, nesting_guard

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = settings(max_examples=int(os.environ.get("LESSONS_HYPOTHESIS_EXAMPLES", "300")) * 3, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])
MARKDOWN_FILES = sorted(path.relative_to(ROOT).as_posix() for path in [
    *ROOT.glob("content/**/*.md"), *ROOT.glob("tests/**/*.md"), *ROOT.glob("docs/*.md"), ROOT / "README.md",
    ROOT / "CHANGELOG.md"])


def fast_path_reads(text: str) -> bool:
    """Whether the fast tokenizer reads `text` rather than declining."""
    source = text.replace("\r\n", "\n").replace("\r", "\n").replace("\0", "\ufffd")
    return block_tokens(source, nesting_limit=NESTING_LIMIT) is not None


@functools.cache
def stock() -> MarkdownIt:
    """markdown-it as it comes, with the same plugins: no fast path, no inline shortcut."""
    return MarkdownIt("commonmark").enable("table").use(front_matter_plugin).use(nesting_guard)


def assert_same_tokens(text: str) -> None:
    fast = markdown().parse(text)
    for other in (markdown(fast_blocks=False).parse(text), stock().parse(text)):
        if fast != other:  # the dictionaries show where they differ
            assert [token.as_dict() for token in fast] == [token.as_dict() for token in other]


def load_benchmark(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # its dataclasses look their module up while being made
    spec.loader.exec_module(module)
    return module


def test_the_parser_uses_the_fast_path_and_can_do_without():
    with_it, without = markdown(), markdown(fast_blocks=False)
    assert with_it.core.ruler.getRules("")[1] is not without.core.ruler.getRules("")[1]
    assert fast_path_reads("# Title\n\n- a\n- b\n")


@pytest.mark.parametrize("setup", [
    lambda md: md.disable("table"),  # other block rules than it reproduces
    lambda md: md.block.ruler.before("paragraph", "extra", lambda *args: False),
    lambda md: md.set({**md.options, "html": False}),  # HTML blocks read as paragraphs
    lambda md: md.set({**md.options, "tasklists": True}),  # task items with their own tokens
])
def test_the_fast_path_is_only_used_by_a_parser_set_up_as_it_reads(setup):
    md = MarkdownIt("commonmark").enable("table").use(front_matter_plugin)
    assert supports(md)
    setup(md)
    assert not supports(md)


@pytest.mark.parametrize("path", MARKDOWN_FILES)
def test_every_markdown_file_here_gives_the_same_tokens(path):
    assert_same_tokens((ROOT / path).read_text(encoding="utf-8"))


def test_the_fast_path_reads_nearly_all_of_content():
    paths = sorted(ROOT.glob("content/**/*.md"))
    read = [path for path in paths if fast_path_reads(path.read_text(encoding="utf-8"))]
    assert len(paths) >= 40
    assert len(read) >= 0.95 * len(paths), sorted(set(paths) - set(read))


def test_the_generated_corpus_gives_the_same_tokens_all_by_the_fast_path():
    corpus = load_benchmark("corpus")
    documents = [text for _, text in corpus.documents(400, seed=11)]
    for text in documents:
        assert_same_tokens(text)
    assert all(fast_path_reads(text) for text in documents)


def test_the_parse_benchmark_documents_give_the_same_tokens_all_by_the_fast_path():
    bench = load_benchmark("bench_parse")
    rng = random.Random(5)
    documents = [bench.postmortem(number, rng)[1] for number in range(200)]
    for text in documents:
        assert_same_tokens(text)
    assert all(fast_path_reads(text) for text in documents)


# Lines of the subset, and of its neighbours, which random documents are made of. Each is
# indented by a random number of spaces, so the same line is a list item's continuation,
# a lazy line, indented code or a nested item depending on what stands before it.
SUBSET = [
    "", "", "", "  ", "word", "Two words and more", "text with a | pipe", "a hard break  ", "trailing # hash",
    "*emphasis* and `code`", "plain [x] brackets", "[link](https://example.com) first", "&amp; entity",
    "# Heading", "## Heading ##", "### closed ###   ", "###### six", "####### seven", "#not", "#", "# #",
    "- item", "* star item", "+ plus item", "-", "- ", "-  two spaces", "-     five spaces", "- [x] done task",
    "- [ ] open task", "- - nested on one line", "-item", "* * *", "- # heading in item", "* - +",
    "1. one", "2. two", "2) paren", "10. ten", "0. zero", "1234567890. too long", "1.", "3.x", "1. - mixed",
    "***", "___", "- - -", "--", "...", "* * * *", "_ _ _", "-- -",
    "```", "```python", "~~~", "````", "``` a`b", "~~~ x", "```` ",
    "| a | b |", "|---|---|", "|:--|--:|", "| :-: |", "a | b", "--- | ---", "| c |", "|-|", "| x \\| y |",
    "|---|", "| one | two | three |", ":-:|-", "| |", "|a|b|c|d|", "|--|:-", "-|-",
    "<!-- comment", "-->", "<!-- a -->", "text -->", "[a]", "[x] y", "\u00a0", "\u2003word", "\\# escaped",
]
NEIGHBOURS = [
    "---", "----  ", "===", "= =", "<div>", "<b>bold</b> text", "<https://example.com>", "> quote",
    "[ref]: https://example.com", "[multi", "\tx", "a\tb",
]
INDENTS = [0, 0, 0, 0, 1, 2, 2, 3, 4, 5, 6, 8]


def random_document(rng: random.Random, lines: int) -> str:
    """A document of random lines, sometimes after front matter, sometimes deeply nested."""
    out = []
    if rng.random() < 0.2:
        out += ["---", "title: x", rng.choice(["---", "...", "--- ", "  ---", "----"])]
    for _ in range(lines):
        if rng.random() < 0.02:  # a list nested deeper than the nesting guard allows
            out += [" " * (2 * depth) + "- deep" for depth in range(rng.randint(5, NESTING_LIMIT))]
        line = rng.choice(NEIGHBOURS if rng.random() < 0.02 else SUBSET)
        out.append(" " * (rng.choice(INDENTS) if rng.random() < 0.3 else 0) + line)
    return "\n".join(out) + rng.choice(["", "\n", "\n\n", "  "])


def test_random_documents_give_the_same_tokens_and_most_take_the_fast_path():
    rng = random.Random(2026)
    read = 0
    for _ in range(3000):
        text = random_document(rng, rng.randint(1, 25))
        assert_same_tokens(text)
        read += fast_path_reads(text)
    assert read > 1000  # the neighbours are common here, yet most documents stay in the subset


@SETTINGS
@given(st.lists(st.tuples(st.sampled_from(INDENTS), st.sampled_from(SUBSET + NEIGHBOURS)), max_size=30)
       .map(lambda lines: "\n".join(" " * indent + line for indent, line in lines)))
@example("text\n---\n")  # a setext heading: declined
@example("- a\n\n  b\n- c\n")  # a loose list
@example("- a\n  - b\n    - c\nlazy\n")
@example("1. a\n1) b\n")  # a new list at a new delimiter
@example("- a\n 1. b\n")
@example("| a | b |\n|---|---|\n| c |\n- d\n")
@example("para\n| a |\n|---|\n")
@example("- ```\n  code\n ```\n")
@example("-\n  foo\n")
@example("\n-\n-")  # an empty item before another: no paragraph in it
@example("-\n\n  foo\n")
@example("<!-- a\n\nb -->\nc\n")
@example("---\na: b\n...\n# T\n")
@example("* * *\n- a\n- - -\n")
@example("- ---_\n_")  # front matter counted from line 0's content, inside a list item
@example("[x]: /url\n\n- [x] task\n")  # with references defined, brackets may be links
@example("- [x] task\n- [ ] [b](c) and [d]\n![e] f\n")
def test_random_lines_give_the_same_tokens(text):
    assert_same_tokens(text)


@pytest.mark.parametrize("text", [
    "> a quote\n", "a\tb\n", "<div>\nhtml\n</div>\n", "<b>bold</b> first\n",
    "[ref]: https://example.com\n", "para\n> quote\n",
    "".join(" " * (2 * depth) + "- deep\n" for depth in range(NESTING_LIMIT)),
])
def test_outside_the_subset_the_fast_path_declines_and_markdown_it_reads_it(text):
    assert not fast_path_reads(text)
    assert_same_tokens(text)


@pytest.mark.parametrize("text", [
    "---\ntitle: x\n---\n\n# T\n\n- a\n  - b\n\n1. c\n2. d\n\n| a | b |\n|:-|-:|\n| 1 | 2 |\n\n```py\nx\n```\n\n***\n",
    "<!-- a comment -->\n\n- [x] task — owner: sre\n", "## Timeline\n\n- 10:00 — start\n  continued\nlazy\n",
    "Title\n=====\n\nSection\n---\n", "    indented code\n\n      more\n\ntext\n", "- item\n\n      code in it\n",
])
def test_the_subset_takes_the_fast_path(text):
    assert fast_path_reads(text)
    assert_same_tokens(text)
