"""The language packs: data the parser reads its words from (``lessons/parsing/lexicon/*.toml``)."""

from __future__ import annotations

import re

import pytest

from lessons.parsing.lexicon import LexiconError, check_packs, lexicon, pack_keys, read_packs
from lessons.parsing.lexicon.phrases import PhraseError, phrase_pattern, phrases_pattern, words_pattern

PACKS = read_packs()


def test_english_german_spanish_and_french_are_shipped() -> None:
    assert {"en", "de", "es", "fr"} <= set(PACKS)
    assert next(iter(PACKS)) == "en"  # English words come first in every list


@pytest.mark.parametrize("name", sorted(PACKS))
def test_every_pack_has_the_same_keys(name: str) -> None:
    assert pack_keys(PACKS[name]) == pack_keys(PACKS["en"])


@pytest.mark.parametrize("name", sorted(PACKS))
def test_every_pack_names_twelve_months_and_every_section(name: str) -> None:
    pack = PACKS[name]
    assert len(pack["dates"]["months"]) == 12 and all(pack["dates"]["months"])
    assert all(pack["sections"][section] for section in PACKS["en"]["sections"] if section != "wrappers")


def test_a_month_name_means_one_month_and_no_weekday_is_a_month() -> None:
    # "mar" is March in English and Spanish; as Tuesday (martes, mardi) it would be read as March.
    months: dict[str, set[int]] = {}
    for pack in PACKS.values():
        for number, names in enumerate(pack["dates"]["months"], start=1):
            for name in names:
                months.setdefault(name.lower(), set()).add(number)
    assert {name: numbers for name, numbers in months.items() if len(numbers) > 1} == {}
    weekdays = {day.lower() for pack in PACKS.values() for day in pack["dates"]["weekdays"]}
    assert weekdays.isdisjoint(months)


def test_every_packs_words_are_joined() -> None:
    words = lexicon()
    assert words.languages[0] == "English" and len(words.languages) == len(PACKS)
    assert (words.dates.months["february"], words.dates.months["februar"], words.dates.months["febrero"]) == (2, 2, 2)
    assert "zusammenfassung" in words.sections.aliases["summary"]
    assert words.statuses["wip"] == "draft" and words.severities["hoch"] == 2
    assert words.labels["datum"] == "date"


@pytest.mark.parametrize(("phrase", "matches", "misses"), [
    ("all clear", ["all clear", "All   clear"], ["allclear", "all clearly"]),
    ("(page|pages) (is|was)? (sent|fired)", ["page sent", "pages was fired"], ["page is", "paged sent"]),
    ("(customer|customers) * report", ["customers report", "customers begin report"], ["customers did begin report"]),
    ("(begin|starts) (to)? (fail*|time out*)", ["starts to fail", "begin failing", "starts time outs"],
     ["starts to", "start to fail"]),
    ("won't fix", ["won't fix"], ["wont fix"]),
    ("n/a", ["N/A"], ["na"]),
])
def test_the_phrase_notation(phrase: str, matches: list[str], misses: list[str]) -> None:
    pattern = re.compile(rf"^(?:{phrase_pattern(phrase)})$", re.IGNORECASE)
    assert [text for text in matches if not pattern.match(text)] == []
    assert [text for text in misses if pattern.match(text)] == []


@pytest.mark.parametrize("phrase", ["(a|b", "a)", "(a)?", "*", "a | b", ""])
def test_a_phrase_that_cannot_be_read_is_refused(phrase: str) -> None:
    with pytest.raises(PhraseError):
        phrase_pattern(phrase)


def test_longer_words_are_tried_first() -> None:
    pattern = words_pattern(["sep", "september", "sept", "set up", "s.e."])
    assert [re.match(pattern, text).group(0) for text in ("september", "sept.", "sep 3", "set   up", "s.e.")] == [  # type: ignore[union-attr]
        "september", "sept", "sep", "set   up", "s.e."]
    assert re.match(pattern, "s-e-") is None
    assert re.match(f"(?:{words_pattern([])})", "") is None  # no words: nothing matches
    assert re.match(rf"(?:{phrases_pattern(['due', 'due date'])})", "due date").group(0) == "due date"  # type: ignore[union-attr]


def test_a_pack_missing_a_key_is_a_packaging_error() -> None:
    broken = {name: dict(pack) for name, pack in PACKS.items()}
    del broken["de"]["moments"]
    broken["de"]["colours"] = {}
    with pytest.raises(LexiconError, match=r"de\.toml: missing keys \['moments', .*unknown keys \['colours'\]"):
        check_packs(broken)
