"""The fast front-matter reader gives exactly the YAML path's entries, or declines.

`lessons.parsing.frontfast` reads the common subset of YAML front matter (``key: value``
lines, quoted scalars, flow and block lists of scalars, comments) without composing a
YAML node tree. Whatever it reads must come out as `frontmatter.load_yaml_front_matter`
reads it, with both YAML loaders (libyaml's and PyYAML's own): the same keys in the same
order, values of the same types, the text as written, lines, columns and findings. These
tests compare the two on every Markdown file in the repository, on both generated corpora
of the benchmarks, on random front matter made of the subset's lines and their
neighbours, and with hypothesis; and check that the fast path is really taken for the
common cases, so a reader that always declined would fail.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
import yaml
from hypothesis import example, given
from hypothesis import strategies as st

from lessons.errors import ParseError
from lessons.parsing import entries, frontmatter
from lessons.parsing.frontfast import read_common_subset
from lessons.parsing.markdown import markdown
from test_fastblock import MARKDOWN_FILES, ROOT, SETTINGS, load_benchmark  # tests/ is on the path


def yaml_outcome(text: str, loader: type[yaml.SafeLoader] = yaml.CSafeLoader) -> str:
    """What the YAML path reads, as text that tells every value's type (NaN equals NaN), or where it stopped."""
    saved = frontmatter._Loader
    frontmatter._Loader = loader
    try:
        return repr(frontmatter.load_yaml_front_matter(text, Path("doc.md"), 2))
    except ParseError as exc:
        problem = exc.to_problem()
        return repr((problem.code, problem.line, problem.column))  # the loaders word some apart
    finally:
        frontmatter._Loader = saved


def assert_same_entries(text: str) -> bool:
    """Both readers agree on `text`; whether the fast one read it (rather than declining)."""
    fast = read_common_subset(text, 1)
    if fast is None:
        return False
    assert repr(fast) == yaml_outcome(text), text
    assert repr(fast) == yaml_outcome(text, yaml.SafeLoader), text
    assert repr(frontmatter.load_front_matter(text, Path("doc.md"), 2)) == repr(fast)
    return True


def front_matter_of(document: str) -> str | None:
    """The front matter as `parse_text` hands it over: markdown-it's front-matter token."""
    tokens = markdown().parse(document.replace("\r\n", "\n").replace("\r", "\n"))
    return tokens[0].content if tokens and tokens[0].type == "front_matter" else None


@pytest.mark.parametrize("path", MARKDOWN_FILES)
def test_every_markdown_file_here_reads_alike(path):
    text = front_matter_of((ROOT / path).read_text(encoding="utf-8", errors="replace"))
    if text is not None:
        assert_same_entries(text)


def test_the_fast_path_reads_nearly_all_front_matter_of_content():
    texts = [front_matter_of(path.read_text(encoding="utf-8")) for path in sorted(ROOT.glob("content/**/*.md"))]
    found = [text for text in texts if text is not None]
    read = [text for text in found if assert_same_entries(text)]
    assert len(found) >= 40
    assert len(read) >= 0.95 * len(found), [text for text in found if text not in read]


def test_the_generated_corpora_read_alike_all_by_the_fast_path():
    corpus, bench = load_benchmark("corpus"), load_benchmark("bench_parse")
    rng = random.Random(5)
    documents = [text for _, text in corpus.documents(300, seed=11)]
    documents += [bench.postmortem(number, rng)[1] for number in range(200)]
    for document in documents:
        text = front_matter_of(document)
        assert text is not None and assert_same_entries(text), text


# Keys and values of the subset and of its neighbours, which random front matter is made of.
KEYS = ["title", "date", "tags", "severity", "a", "A_b", "start time", "x-y", "k.v", "_p", "on", "yes", "No",
        "null", "y", "n", "True", "2024", "a b c", "a -b", "é", "a:b", "[a]", "'q'", "? x", "a #b", "key "]
SCALARS = [
    "word", "Two words", "yes", "No", "ON", "off", "y", "n", "true", "False", "~", "null", "Null", "NULL", "",
    "0", "1", "-1", "+1", "012", "09", "0o17", "0x1F", "0b101", "1_000", "1__0", "190:20:30", "1:30", "-1:30",
    ".5", "1.5", "1.", "1e3", "1.0e+3", "1.0e3", "-.inf", ".Inf", ".NaN", ".nan", "123456789012345678901",
    "2024-01-02", "2024-1-2", "2024-01-02 10:00:00", "2024-01-02T10:00:00Z", "2024-01-02t10:00:00.5 +01:00",
    "2024-13-45", "2024-02-30", "2024-01-05T11:40Z", "2024-01-05 11:40", "03/04/2024", "=", "<<", "<", "a=b",
    "C#", "a #b", "a#b", "a:b", "http://x.y/z?q=1", "50%", "a, b", "a [b] {c}", "'q'", "'it''s'", '"q"',
    '"esc \\" \\\\"', "[a, b]", "[ a , 'b c' , \"d\" ]", "[]", "[ ]", "[1, yes, ~, 2024-01-02]", "[a b, -1, -x]",
    "-x", "--", "---", "...", "é ü", "\u00a0x", "x\u00a0", "\u2003", "x # comment", "x  ", "'x'  # c", "[a]  # c",
]
"""Values the fast reader reads (alone on a line after a plain key)."""
NEIGHBOURS = [
    "a: b", "a:", "'a' b", "'open", '"tab \\t"', '"uni \\u00e9"', '"open', '"a"b', "[a,]", "[a, [b]]", "[a, {b: c}]",
    "[a:b]", "[-, a]", "[a #b]", "[C#]", "[a?]", "{a: b}", "&x a", "*x", "!!str 1", "!foo x", "|", ">", "%x", "@x",
    "`x`", "- x", "-", "?x", ":x", "? x", "a\tb", "a\u2028b", "a\x85b", "\ufeffx", "[a] b", "[a,\n  b]", "'a\n  b'",
]
"""Values it declines: the YAML path reads them, or says why it cannot."""
ITEMS = ["a", "b c", "'q'", '"d"', "1", "yes", "~", "2024-01-02", "x # c", "-1", "a:b", "C#"]
ITEM_NEIGHBOURS = ["- x", "[a]", "a: b", "", "#c", "&a x", "|", "'a\n  b'"]


def random_front_matter(rng: random.Random, lines: int) -> str:
    """Random front matter: mostly the subset, with a few of its neighbours among the lines."""
    out: list[str] = []
    for _ in range(lines):
        roll = rng.random()
        if roll < 0.08:
            out.append(rng.choice(["", "", "  ", "# comment", "  # indented comment", "#", "---", "...", "\t"]))
            continue
        key = rng.choice(KEYS[:10] if rng.random() < 0.95 else KEYS)
        if rng.random() < 0.9:
            key += str(len(out))  # a key written twice is declined: make most keys unique
        if roll < 0.25:  # a block list
            out.append(f"{key}:" + rng.choice(["", " ", " # c"]))
            indent = rng.choice([0, 0, 2, 2, 4, 1])
            for _ in range(rng.randint(0, 4)):
                shift = indent if rng.random() < 0.9 else rng.choice([0, 1, 2, 3, 6])
                item = rng.choice(ITEMS if rng.random() < 0.95 else ITEM_NEIGHBOURS)
                out.append(" " * shift + rng.choice(["- ", "- ", "-  ", "-"]) + item)
                if rng.random() < 0.05:
                    out.append(rng.choice(["", "  # c", "    more", "  more"]))
            continue
        value = rng.choice(SCALARS if rng.random() < 0.95 else NEIGHBOURS)
        out.append(f"{key}:" + rng.choice([" "] * 10 + ["  ", ""]) + value + rng.choice(["", "", " ", " # c"]))
        if rng.random() < 0.03:
            out.append(rng.choice(["  continued", " - item", "  sub: 1"]))
    return "\n".join(out) + rng.choice(["", "\n"])


def test_random_front_matter_reads_alike_and_most_by_the_fast_path():
    rng = random.Random(2026)
    read = 0
    for _ in range(3000):
        read += assert_same_entries(random_front_matter(rng, rng.randint(0, 8)))
    assert read > 1000  # the neighbours are common here, yet many front matters stay in the subset


@SETTINGS
@given(st.lists(st.one_of(
    st.tuples(st.sampled_from(KEYS), st.sampled_from(["", " ", "  "]), st.sampled_from(SCALARS + NEIGHBOURS))
    .map(lambda parts: f"{parts[0]}:{parts[1]}{parts[2]}"),
    st.tuples(st.sampled_from([0, 1, 2, 4]), st.sampled_from(["- ", "-", "# "]),
              st.sampled_from(ITEMS + ITEM_NEIGHBOURS)).map(lambda parts: " " * parts[0] + parts[1] + parts[2]),
    st.text(alphabet="ab: #-[]'\",\n\t~0", max_size=12),
), max_size=12).map("\n".join))
@example("a: [b, c]\nd:\n- e\n- f\n")
@example("a:\n  - b\n - c\n")  # an item out of line
@example("a: b\n  # a comment indented\nc: d\n")
@example("a:\n# between\n  - b\n")
@example("a: 'b'#c\n")
@example("a: -\n")
def test_random_lines_read_alike(text):
    assert_same_entries(text)


@pytest.mark.parametrize("text", [
    "title: x\ntitle: y\n", "on: yes\n", "a: &x 1\nb: *x\n", "a: !!binary aGk=\n", "a: |\n  one\n", "a: >\n  b\n",
    "a:\n  b: 1\n", "a: {b: 1}\n", "a: [b,\n  c]\n", "a: 'open\n  closed'\n", "a: b\n  continued\n", "\ta: 1\n",
    "a: one\u2028two\n", "a: \"\\n\"\n", "a: [b, [c]]\n", "- a\n- b\n", "just text\n", "a: b: c\n", "a: [b,]\n",
    "a: x\r\nb: y\r\n", "? a\n: b\n", "a:\n  - b\n  -\n    c: 1\n",
])
def test_outside_the_subset_the_fast_path_declines(text):
    assert read_common_subset(text, 1) is None
    assert yaml_outcome(text) == yaml_outcome(text, yaml.SafeLoader)


@pytest.mark.parametrize("text", [
    "title: \"Outage: payments\"\ndate: 2024-03-16\nseverity: 2\ntags: [db, 'cache']\n",
    "causes:\n  - config-error\n  - 'bad deploy'\n# a note\nstarted: 2024-03-16T07:00Z\n",
    "services:\n- a\n- b\nstatus: published  # for now\ndraft: no\nempty:\nnothing: ~\n",
    "summary: It's down; 50% of it [mostly] — for C# users\nid: 'it''s'\nn: 0x1F\nt: 1:30\nf: .5\n", "",
])
def test_the_subset_takes_the_fast_path(text):
    assert assert_same_entries(text)


@SETTINGS
@given(st.one_of(st.sampled_from(SCALARS + NEIGHBOURS + KEYS + ITEMS),
                 st.text(alphabet="0123456789-+._:eExXoObBaAfFtTZ nNuUlL~yYsS", max_size=14), st.text(max_size=8)))
@example("2024-01-02 10:00:00 +01:00")
@example("1_2:3_4")
def test_unquoted_scalars_are_typed_as_pyyaml_resolves_them(text):
    # `plain_tag` tries PyYAML's patterns as one pattern per first character.
    expected = yaml.resolver.Resolver().resolve(yaml.ScalarNode, text, (True, False))
    assert entries.plain_tag(text) == expected


def test_a_loader_given_resolvers_of_its_own_is_read_by_yaml(monkeypatch):
    text = "title: x\nlevel: high\n"
    assert read_common_subset(text, 1) is not None
    resolvers = {first: list(pairs) for first, pairs in entries.LOADER.yaml_implicit_resolvers.items()}
    resolvers["h"] = [("tag:yaml.org,2002:int", re.compile("^high$"))]
    monkeypatch.setattr(entries.LOADER, "yaml_implicit_resolvers", resolvers)
    assert read_common_subset(text, 1) is None
