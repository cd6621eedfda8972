"""The parser's shortcuts change how fast a document is read, never what is read.

Each cheap test a reader asks before a costly pattern must say "may match" wherever the
pattern matches (checked on random text built from the pieces that matter); work skipped
for a settled question must not be needed by anyone; and the outline's one pass over an
inline token's children gives the same plain text as reading them for it alone.
"""

from __future__ import annotations

import os
import tomllib
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from lessons.model import Kind
from lessons.parsing import actions, fields, outline
from lessons.parsing.markdown import markdown
from lessons.parsing.parse import parse_text
from lessons.parsing.readers import timeline

SETTINGS = settings(max_examples=int(os.environ.get("LESSONS_HYPOTHESIS_EXAMPLES", "300")), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])
LEXICON = Path(actions.__file__).parent / "lexicon"
CLOSING_PIECES = st.sampled_from([
    " ", "  ", "\u00a0", "\u2003", "\n", "\t", "(", ")", "[", "]", ".", "!", ":", "-", "—", "–", "2024-03-18",
    "7", "done", "DONE", "Fixed", "won't fix", "erledigt", "terminée", "résolu", "hecho", "✅", "✔", "☑", "x",
    "Add a canary", "owner: sam", "due:", "é", "İ", "ı", "K", "ſ", "*", "_", "`",
])


@SETTINGS
@given(st.lists(CLOSING_PIECES, max_size=14).map("".join))
@example("Pin the chart version (done)")
@example("Rotate the keys - fixed.\u2003")
@example("Rotate the keys ✅ !")
@example("Rotate the keys [completed] .")
def test_an_item_closed_in_its_text_is_never_skipped(text: str) -> None:
    tail = text[max(0, len(text) - actions._CLOSED_AT_END_REACH):]
    if actions._CLOSED_AT_END.search(tail):
        assert actions._may_end_closed(text)


def test_every_closing_word_ends_in_a_letter() -> None:
    # `_may_end_closed` passes over an item that ends in anything but a letter or a check mark.
    for pack in sorted(LEXICON.glob("*.toml")):
        for phrase in tomllib.loads(pack.read_text(encoding="utf-8"))["actions"]["closed"]:
            assert phrase.rstrip(")?")[-1:].isalpha(), (pack.name, phrase)


def test_an_item_that_ends_in_a_date_is_not_searched_for_closing_words() -> None:
    assert not actions._may_end_closed("Add a canary — owner: sam, due: 2024-03-18")
    assert actions._may_end_closed("Add a canary (done) ")
    assert actions.read_item("Add a canary — due: 2024-03-18").done is False
    assert actions.read_item("Add a canary — done").done is True


ZERO_PIECES = st.sampled_from([" ", "\t", "\u00a0", "\n", "T", "t", "+", "0", "00", "=", ":", "is", "IS", "10:00",
                               "UTC", "(", "Start", "T+", "T + 0", "T0", "ſ", "K", "-"])


@SETTINGS
@given(st.lists(ZERO_PIECES, max_size=16).map("".join))
@example("(T+0 = 10:00 UTC)")
@example("t 0: 09:00")
@example("T\u00a0+\u00a00 is 08:15")
def test_the_start_of_a_relative_timeline_is_never_skipped(text: str) -> None:
    if timeline._T_ZERO.search(text):
        assert timeline._T_ZERO_HINT.search(text)


@SETTINGS
@given(st.lists(st.sampled_from(["draft", "Draft", "DRAFT", " ", "-", "_", "\t", "x", "is", "ſ", "İ"]),
                max_size=6).map("".join))
@example(" Draft ")
def test_a_draft_key_is_never_skipped(key: str) -> None:
    if fields._key_form(key) == "draft":
        assert "draft" in key.lower()


def test_a_draft_key_in_any_spelling_still_makes_a_draft() -> None:
    doc = parse_text("---\ntitle: T\ndate: 2024-01-01\nDRAFT: true\n---\n\n## Summary\n\nText.\n", "a.md")
    assert doc is not None and doc.status.value == "draft"


def _inline_tokens(text: str) -> list[object]:
    return [token for token in markdown().parse(text) if token.type == "inline"]


@pytest.mark.parametrize("text", [
    "Plain text.",
    "A [link](https://example.com) and `code` and ![a chart](chart.png \"t\").",
    "Line one  \nline two\nline three with <b>html</b> and <svg/onload=alert(1)>.",
    "**Bold** _em_ ~~struck~~ &amp; &#58; entities",
    "- item with [a](b)\n- second `x` item\n\n| a | b |\n|---|---|\n| ![i](j) | <i>k</i> |\n",
])
def test_the_outline_reads_each_inline_token_once_for_text_and_links(text: str) -> None:
    walk = outline._Walk([], Path("a.md"))
    for token in _inline_tokens(text):
        assert walk._references(token) == outline._plain(token)  # type: ignore[arg-type]


def test_the_outline_and_its_links_are_read_from_every_real_document() -> None:
    root = Path(__file__).resolve().parent.parent
    files = [*root.glob("content/**/*.md"), *root.glob("tests/cases/*.md")]
    assert len(files) > 50
    for path in files:
        for token in _inline_tokens(path.read_text(encoding="utf-8")):
            assert outline._Walk([], path)._references(token) == outline._plain(token), path  # type: ignore[arg-type]


def test_a_span_of_impact_still_makes_a_page_a_post_mortem() -> None:
    # The narrative reader skips its work when no duration is wanted and the kind is settled;
    # outside a kind folder the span is what says the page is a post-mortem.
    text = ("# Checkout outage\n\n**Date:** 2024-01-01\n\n## Impact\n\nCheckout failed between 09:12 and "
            "11:40 UTC.\n\nTime to detect: 5 minutes\n\nTime to resolve: 148 minutes\n")
    doc = parse_text(text, Path("notes.md"), default_kind=None)
    assert doc is not None and doc.kind is Kind.POSTMORTEM and doc.date == date(2024, 1, 1)
    assert parse_text(text.replace("between 09:12 and 11:40 UTC", "for a while"), Path("notes.md"),
                      default_kind=None) is None


SEPARATOR_PIECES = st.sampled_from([" ", "\u00a0", "\u2003", "\n", "\t", "—", "–", "-", ":", "|", ",", ".", ")",
                                    "(", "*", "alert fires", "x", "é", "10:00"])


@SETTINGS
@given(st.lists(SEPARATOR_PIECES, max_size=12).map("".join))
@example(" — : alert fires ")
@example("\u2003|)\u00a0 done")
def test_the_separator_after_a_time_is_removed_as_the_pattern_says(text: str) -> None:
    from lessons.parsing import timeline as reading

    assert reading.after_separator(text) == reading._SEPARATOR.sub("", text, count=1).strip()


DELAY_PIECES = st.sampled_from([" ", "—", "–", "’", "✅", "\u00a0", "12", "5 ", "minutes", "min", "after", "AFTER",
                                "later", "nach", "Minuten", "traſ", "ſ", "K", "İ", "é", "owner: sre",
                                "due: 2024-03-18"])


@SETTINGS
@given(st.lists(DELAY_PIECES, max_size=14).map("".join))
@example("Paged 12 minutes after the deploy — owner: sre")
@example("— 5 min laterK")
@example("Paged traſ 5 minutos — owner: sre")
def test_a_delay_beside_dashes_and_marks_is_never_skipped(text: str) -> None:
    from lessons.parsing.readers import narrative

    if narrative._DELAY.search(text):
        assert narrative._may_tell_a_delay(text)
