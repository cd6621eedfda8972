"""Property tests: any text given to the parser gives a `Document` or a `ParseError`.

Random text alone rarely gets past the front matter, so most examples are built
from the pieces real post-mortems are made of — front-matter keys and values
(valid, mistyped and hostile), section headings, timeline entries, task-list
items, tables and raw HTML — shuffled and combined.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lessons.errors import ParseError
from lessons.parsing.fields import KNOWN_FIELDS
from lessons.model import Document, Kind
from lessons.parsing.parse import parse_text
from lessons.parsing.sections import SECTION_ALIASES

LINE_ENDINGS = re.compile(r"\r\n?|\n")  # where Markdown ends a line
# LESSONS_HYPOTHESIS_EXAMPLES=3000 for a longer hunt than CI's.
SETTINGS = settings(max_examples=int(os.environ.get("LESSONS_HYPOTHESIS_EXAMPLES", "300")), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])
KINDS = st.sampled_from([Kind.POSTMORTEM, Kind.PRACTICE, None])


def parse_or_error(text: str, default_kind: Kind | None) -> Document | None:
    """Parse; a ParseError is an accepted outcome and must say where."""
    try:
        doc = parse_text(text, Path("postmortems/2024-03-16-x.md"), default_kind=default_kind)
    except ParseError as exc:
        assert exc.line >= 0 and exc.column >= 1
        assert exc.message and exc.code
        return None
    if doc is None:
        assert default_kind is None
        return None
    assert isinstance(doc, Document)
    assert doc.title and doc.id
    for problem in doc.problems:
        assert problem.line >= 0 and problem.message
    for item in doc.action_items + doc.timeline:  # type: ignore[operator]
        assert 1 <= item.line <= len(LINE_ENDINGS.split(text))
    doc.to_dict()  # everything on a document is JSON-ready
    return doc


@SETTINGS
@given(st.text(), KINDS)
def test_any_text_gives_a_document_or_a_parse_error(text: str, kind: Kind | None) -> None:
    parse_or_error(text, kind)


@SETTINGS
@given(st.text(alphabet=st.sampled_from(list("-:#|[]{}&*!>@`'\"\n\t xX0123456789aTZ+.,()<>/=")), max_size=200),
       KINDS)
def test_any_punctuation_soup_gives_a_document_or_a_parse_error(text: str, kind: Kind | None) -> None:
    parse_or_error(text, kind)


@SETTINGS
@given(st.text(), KINDS)
def test_any_text_after_front_matter(text: str, kind: Kind | None) -> None:
    parse_or_error(f"---\ntitle: T\ndate: 2024-03-16\n---\n{text}", kind)


@SETTINGS
@given(st.binary(max_size=300))
def test_any_bytes_read_as_a_file(data: bytes) -> None:
    from lessons.parsing.parse import decode

    try:
        text = decode(data, Path("x.md"))
    except ParseError:
        return
    parse_or_error(text, Kind.POSTMORTEM)


# --- structured-ish documents ---------------------------------------------------------

WORDS = st.sampled_from(["payments", "deploy", "rollback", "dns", "on", "yes", "null", "~", "SEV1", "P2",
                         "2024-03-16", "2024-13-45", "07:00", "owner", "due", "é", "日本", ""])
SCALARS = st.one_of(
    WORDS,
    st.integers(min_value=-10**20, max_value=10**20).map(str),
    st.dates().map(str),
    st.datetimes().map(lambda d: d.isoformat()),
    st.sampled_from(["2024-03-16T07:00Z", "2024-03-16 07:00 +99:99", "9999-12-31T23:00-05:00",
                     "0001-01-01T00:00+05:00", "true", "1e400", ".nan", "-.inf", "0x1F", "0o17",
                     "&anchor x", "*alias", "!!python/object:os.system x", "!!binary aGVsbG8=",
                     "'unclosed", '"also unclosed', "[a, b", "{a: 1}", "[[1, 2], {a: b}]",
                     "|\n  block\n  text", ">-\n  folded", "- a\n  - b", "a: b: c", "%TAG ! x",
                     "\t tabbed", "---", "...", "? complex", "<<: *x"]),
    st.text(max_size=30),
)
KEYS = st.one_of(
    st.sampled_from(KNOWN_FIELDS),
    st.sampled_from(["on", "off", "yes", "2024", "<<", "? x", "[a]", "Title", "DATE", "organisation",
                     "severty", "serivces", "sev", "type", "cause", "'quoted'", '"on"', "x y", ""]),
    st.from_regex(r"[a-z_][a-z0-9_-]{0,12}", fullmatch=True),
)
VALUES = st.one_of(
    SCALARS,
    st.lists(SCALARS, max_size=4).map(lambda items: "[" + ", ".join(items) + "]"),
    st.lists(SCALARS, max_size=3).map(lambda items: "".join(f"\n  - {item}" for item in items)),
    st.dictionaries(st.from_regex(r"[a-z]{1,5}", fullmatch=True), SCALARS, max_size=2).map(
        lambda d: "".join(f"\n  {k}: {v}" for k, v in d.items())),
)
FRONT_MATTER = st.lists(st.tuples(KEYS, VALUES), max_size=10).map(
    lambda pairs: "".join(f"{key}: {value}\n" for key, value in pairs))

HEADINGS = st.one_of(
    st.sampled_from([alias for aliases in SECTION_ALIASES.values() for alias in aliases]),
    st.sampled_from(["1. Root Causes", "What went wrong", "Follow-ups", "Timeline (all times PDT)",
                     "Time (UTC+99:00)", "Timline", "Appendix", ""]),
    st.text(max_size=20),
).map(lambda text: text.replace("\n", " "))
STAMPS = st.sampled_from(["2024-03-16 02:00", "07:00", "07:00 PST", "Mar 16, 02:00", "16 March 2024 14:05",
                          "**07:00**", "7:05 pm", "25:61", "2024-02-30", "Feb 30", "0000-01-01",
                          "9999-12-31 23:59 -05:00", "07:00 +99:99", "12:00 a.m.", "", "T", "at 10:00"])
ITEMS = st.one_of(
    st.tuples(STAMPS, st.sampled_from([" — ", " - ", ": ", " | ", " "]), st.text(max_size=20)).map("".join),
    st.tuples(st.sampled_from(["[ ] ", "[x] ", "[X] ", "[-] ", "[✓] ", ""]), st.text(max_size=20),
              st.sampled_from(["", " — owner: payments", " (owner: a, due: 2024-05-01)", ", due: soon",
                               " @sre", " — owner: , due: ", " due: 9999-99-99", " by: 2024-1-2"])).map("".join),
    st.text(max_size=30),
)
LIST_BLOCK = st.lists(st.tuples(st.sampled_from(["- ", "* ", "1. ", "  - ", "    - "]), ITEMS),
                      min_size=1, max_size=5).map(
    lambda rows: "\n".join(prefix + item.replace("\n", " ") for prefix, item in rows))
CELLS = st.one_of(STAMPS, WORDS, st.text(alphabet=st.characters(blacklist_characters="|\n"), max_size=12))
TABLE_BLOCK = st.tuples(
    st.lists(st.sampled_from(["Time (UTC)", "Time (PDT)", "Event", "Action", "Owner", "Due", "Status", "#",
                              "Who", ""]), min_size=1, max_size=5),
    st.lists(st.lists(CELLS, min_size=0, max_size=6), max_size=4),
).map(lambda t: "\n".join(["| " + " | ".join(t[0]) + " |", "|" + "---|" * len(t[0])]
                          + ["| " + " | ".join(row) + " |" for row in t[1]]))
HTML_BLOCK = st.sampled_from(['<script>alert(1)</script>', '<img src=x onerror="alert(1)">',
                              '<a href="javascript:alert(1)">x</a>', "<iframe src=x></iframe>",
                              "<div>\n\n*md*\n\n</div>", "<!-- comment", "[x](javascript:alert(1))",
                              "[x](../postmortems/nope.md)", "![img](<a b.png>)", "```\n---\ntitle: x\n```"])
BLOCKS = st.one_of(
    HEADINGS.flatmap(lambda h: st.sampled_from(["# ", "## ", "### ", "#### "]).map(lambda m: m + h)),
    LIST_BLOCK, TABLE_BLOCK, HTML_BLOCK, st.text(max_size=80),
)
BODY = st.lists(BLOCKS, max_size=12).map("\n\n".join)


@SETTINGS
@given(FRONT_MATTER, BODY, KINDS, st.sampled_from(["---\n", "---\r\n", "--- \n", ""]),
       st.sampled_from(["---\n", "...\n", "", "--\n"]))
def test_structured_documents_give_a_document_or_a_parse_error(
    front_matter: str, body: str, kind: Kind | None, opening: str, closing: str
) -> None:
    parse_or_error(f"{opening}{front_matter}{closing}\n{body}\n", kind)


@SETTINGS
@given(BODY)
def test_a_valid_front_matter_with_any_body_is_always_a_document(body: str) -> None:
    body = body.replace("\x00", "")  # NUL means binary: the one body that is refused
    doc = parse_or_error(f"---\ntitle: Payments outage\ndate: 2024-03-16\n---\n\n{body}\n", Kind.POSTMORTEM)
    assert doc is not None
    assert doc.title == "Payments outage"
