"""The readers' cheap tests before costly patterns say "may match" wherever the pattern matches.

Like tests/test_parse_shortcuts.py: each shortcut that skips a regular expression is
checked against that expression itself, on random text built from the pieces that matter.
"""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from lessons.parsing.lexicon.phrases import required_words
from lessons.parsing.readers import narrative

LEXICON = Path(narrative.__file__).parent.parent / "lexicon"
SETTINGS = settings(max_examples=int(os.environ.get("LESSONS_HYPOTHESIS_EXAMPLES", "300")), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])

AFTER_PIECES = st.sampled_from([
    " ", "  ", "\n", "\u00a0", "—", "’", ".", "-", "12", "5 ", "7", "minutes", "min", "Minuten", "minutos", "about",
    "About", "au bout de", "AU BOUT DE", "au  bout\nde", "bout", "debout", "after", "AFTER", "thereafter", "later",
    "nach", "tras", "traß", "après", "apres", "owner: sre", "x",
])


@SETTINGS
@given(st.lists(AFTER_PIECES, max_size=12).map("".join))
@example("detected au bout de 12 minutes")
@example("12 minutes about later")
@example("about 12 minutes after")
@example("after 5 minutes")
@example("Nach 5 Minuten")
@example("—after 5 min")
@example("au bout de 5 minutes")
def test_a_delay_is_never_skipped_by_the_word_start_test(text: str) -> None:
    if narrative._DELAY.search(text):
        assert narrative._may_tell_a_delay(text)


def test_each_word_tested_starts_a_word_of_its_phrase() -> None:
    # What `_AFTER_WORD_START` relies on: in every match, the word it looks for starts a word
    # (each phrase starts with a letter, after `_DELAY`'s \\b or blanks; its other words after blanks).
    phrases = [phrase for pack in sorted(LEXICON.glob("*.toml"))
               for phrase in tomllib.loads(pack.read_text(encoding="utf-8"))["narrative"]["after"]]
    assert len(phrases) >= 4
    for phrase in phrases:
        (word,) = required_words([phrase]) or ("",)
        assert phrase[0].isalpha() and re.search(rf"(?<!\w){re.escape(word)}", phrase.lower()), phrase
        assert word in (narrative._AFTER_WORDS or ())
