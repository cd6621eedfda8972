"""The readers' cheap tests never skip text their full pattern would match.

Before searching a paragraph with the language packs' long alternations, the readers ask
a cheaper question whose "no" proves the pattern cannot match (a clock's ``\\d[:.]\\d\\d``,
the words a delay needs, five digits before a dash). A "no" where the pattern matches
would silently lose a duration or a finding, so each is checked against its pattern on
random text built from the characters and words that matter, casing and non-ASCII
letters that case-insensitive matching pairs with ASCII ones among them.
"""

from __future__ import annotations

import os
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from lessons.parsing.blocks import _EMPHASIS, _LINK_SYNTAX, strip_inline
from lessons.parsing.lexicon import lexicon
from lessons.parsing.lexicon.phrases import required_words
from lessons.parsing.readers import narrative, years

SETTINGS = settings(max_examples=int(os.environ.get("LESSONS_HYPOTHESIS_EXAMPLES", "300")), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])
PIECES = st.sampled_from([
    " ", "  ", "\n", "12", "5", "0", ":", ".", "-", "09:12", "1.30", "20202", "-01-16", "minutes", "min", "Minuten",
    "after", "AFTER", "later", "Later", "nach", "después de", "tras", "traſ", "après", "au bout de", "bout",
    "between", "and", "at", "to", "—", "é", "İ", "ı", "K", "**", "`", "[", "](x)", "_", "detected", "alert",
])
TEXT = st.lists(PIECES, max_size=30).map("".join)


@SETTINGS
@given(TEXT)
@example("The alert fired 12 minutes after the deploy.")
@example("Detected 5 min LATER — paged at 09:18")
@example("Se detectó después de 7 minutos.")
@example("traſ 5 minutos")
def test_a_delay_is_never_skipped(text: str) -> None:
    if narrative._DELAY.search(text):
        assert narrative._may_tell_a_delay(text)


@SETTINGS
@given(TEXT)
@example("between 09:12 and 11:40 UTC")
def test_a_clock_time_is_never_skipped(text: str) -> None:
    if narrative._SPAN.search(text) or narrative._AT_CLOCK.search(text):
        assert narrative._CLOCK_HINT.search(text)


@SETTINGS
@given(TEXT)
@example("on 20202-01-16 at noon")
def test_a_long_year_is_never_skipped(text: str) -> None:
    if years._LONG_YEAR.search(text):
        assert years._five_digits_then_dash(text)


@SETTINGS
@given(TEXT)
def test_strip_inline_is_the_two_substitutions(text: str) -> None:
    assert strip_inline(text) == " ".join(_EMPHASIS.sub("", _LINK_SYNTAX.sub(r"\1", text)).split())


def test_required_words_are_in_every_match_of_the_phrases() -> None:
    assert required_words(["au bout de", "fail* hard"]) == ("bout", "fail")
    assert required_words(["to (reduce|prevent) *", "(we are|we re)? changing"]) == ("to", "changing")
    assert required_words(["(a|b) *"]) is None
    # The packs' words of "after": English, German, Spanish, French ("au bout de" by its longest word).
    assert {"after", "later", "nach", "después", "après", "bout"} <= set(lexicon().narrative.after_words or ())
