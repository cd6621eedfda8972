"""The readers' fast paths give what the slow paths they stand in front of give.

Each fast path reads a common shape of text more cheaply than the general pattern does
(``2024-03-16 02:00 — text`` in a timeline, ``owner: sre, due: 2024-05-01`` in an action
item); for any other text it declines, and the slow path reads it. Each is compared here
with its slow path on random text built from the pieces that matter, so that a fast path
that reads some text differently fails here rather than changing a document.
"""

from __future__ import annotations

import os
from datetime import date, datetime, timedelta, timezone

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from lessons.parsing import actions, timeline
from lessons.parsing.readers import narrative

SETTINGS = settings(max_examples=int(os.environ.get("LESSONS_HYPOTHESIS_EXAMPLES", "300")), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])

STAMP_PIECES = st.sampled_from([
    "2024-03-16", "2024-3-6", "2024-02-30", "20202-01-16", "1999-12-31", "9999-12-31", "0001-01-01", " ", "  ", "T",
    "02:00", "2:05", "23:59", "24:00", "12:60", "7:05", ":30", "00", "—", "–", "-", " — ", " - ", " – ", "pm", "am",
    "UTC", "PST", "+02:00", "-0500", "(", ")", "14:20", "to", "at", "Mar", "16", "**", "`", "[", "]", "\t", "\n",
    "Alert fires", "a", "A", "5", "٣", "é", "x", ".", ",", "|",
])
ZONES = st.sampled_from([None, timezone.utc, timezone(timedelta(hours=2)), timezone(timedelta(hours=-8)),
                         timezone(timedelta(hours=23, minutes=59))])
PREVIOUS = st.one_of(st.none(), st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30),
                                             timezones=st.just(timezone.utc)))
DAYS = st.one_of(st.none(), st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)))


@SETTINGS
@given(st.lists(STAMP_PIECES, max_size=10).map("".join), PREVIOUS, DAYS, ZONES)
@example("2024-03-16 02:00 — Alert fires", None, None, None)
@example("2024-03-16T02:00 — Alert fires", None, date(2024, 3, 16), timezone(timedelta(hours=2)))
@example("23:59 — x", datetime(2024, 3, 16, 23, 0, tzinfo=timezone.utc), None, None)
@example("00:10 — x", datetime(2024, 3, 16, 23, 0, tzinfo=timezone.utc), None, None)
@example("00:10 — x", datetime(9999, 12, 31, 23, 0, tzinfo=timezone.utc), None, None)
@example("00:10 — x", datetime(9999, 12, 31, 23, 0, tzinfo=timezone.utc), None, timezone(timedelta(hours=2)))
@example("00:10 — x", datetime(1, 1, 1, 0, 5, tzinfo=timezone.utc), None, timezone(timedelta(hours=-8)))
@example("0001-01-01 00:10 — x", None, None, timezone(timedelta(hours=2)))
@example("2024-02-30 02:00 — x", None, None, None)
@example("25:00 — x", None, date(2024, 3, 16), None)
@example("25:00 — x", None, None, None)
@example("2024-03-16 25:00 — x", None, None, None)
@example("02:00 — 14:20 x", None, date(2024, 3, 16), None)
@example("02:00 - 0500 x", None, date(2024, 3, 16), None)
@example("02:00 -  x", None, date(2024, 3, 16), None)
@example("٠٢:٣٠ — x", None, date(2024, 3, 16), None)
def test_plain_stamps_read_as_the_pattern_reads_them(
        text: str, previous: datetime | None, day: date | None, zone: timezone | None) -> None:
    args = (previous, day, zone)
    slow = repr(timeline._stamp_by_pattern(text, *args))  # repr: the zone of each time too, not only the instant
    fast = timeline._plain_stamp(text, *args)
    assert fast is None or repr(fast) == slow
    assert repr(timeline.read_stamp(text, previous=previous, default_date=day, zone=zone)) == slow


def test_plain_stamps_are_taken_by_the_fast_path() -> None:
    # The shapes it is there for: a fast path that declined them all would pass the test above.
    day = date(2024, 3, 16)
    for text in ("2024-03-16 02:00 — Alert fires", "02:00 — Alert fires", "2:05 - paged", "2024-03-16T07:00 – x"):
        assert timeline._plain_stamp(text, None, day, None) is not None, text
    for text in ("02:00 UTC — x", "**02:00** — x", "02:00 — 14:20 x", "7pm — x", "02:00:30 — x"):
        assert timeline._plain_stamp(text, None, day, None) is None, text


ITEM_PIECES = st.sampled_from([
    "[x] ", "[ ] ", "[X]", "[-] ", "[✓] ", "~~", " ", "  ", "\n", "Add a canary", "fix", "(", ")", "[", "]", "done",
    "Done", "fixed", " — ", " – ", " - ", "—", "owner: ", "owner:", "Owner: ", "owners: ", "due: ", "by ", "by: ",
    "sre", "web-team", "платформа", "a_b", ", ", ",", "due: ", "2024-05-01", "2024-13-45", "March 22", "12", "@sre",
    "=", ".", "✅", "(done)", "TODO", "é", "ſ",
])


TASKS = st.lists(st.sampled_from(["Add a canary", "fix", " ", "(", ")", "[", "~~", "done", "Done", "fixed", "12",
                                  "2024-05-01", " by ", "by: ", "@sre", "é", "ſ", "-", ",", ".", "✅", "\n", "—"]),
                 min_size=1, max_size=5).map("".join)
OWNERS = st.lists(st.sampled_from(["sre", "web-team", "a_b", "_", "платформа", "done", "Fixed", "x", " ", ".", "@"]),
                  min_size=1, max_size=3).map("".join)
HOUSE_SHAPED = st.tuples(st.sampled_from(["", "[x] ", "[ ] ", "[X]  ", "[x]", "[-] ", " "]), TASKS,
                         st.sampled_from([" — owner: ", " — owner: ", " — owner:  ", " — Owner: ", " – owner: "]),
                         OWNERS, st.sampled_from(["", ", due: 2024-05-01", ", due: 2024-02-30", ", due: 2024-5-1"]),
                         st.sampled_from(["", "", " ", ".", "\n"])).map("".join)
"""Items near the house shape, and in it: random text tried there would rarely be in it."""


@SETTINGS
@given(st.one_of(st.lists(ITEM_PIECES, max_size=12).map("".join), HOUSE_SHAPED))
@example("[x] Add a fallback email provider — owner: sre, due: 2015-01-17")
@example("[ ] Cap webhook retries — owner: web-team")
@example("Renew the certificate — owner: done")
@example("Migrate by 2024-03-22 — owner: sre")
@example("[x]Add — owner: sre, due: 2015-01-17")
@example("[-] Add — owner: sre, due: 2015-01-17")
@example("Fix it ( — owner: sre, due: 2015-01-17")
@example("Fix (it — owner: sre, due: 2015-13-45")
@example("x — owner: _sre_, due: 2015-01-17")
def test_house_items_read_as_the_patterns_read_them(content: str) -> None:
    fast = actions._house_item(content)
    slow = actions._item_by_patterns(content)
    assert fast is None or fast == slow
    assert actions.read_item(content) == slow


def test_house_items_are_taken_by_the_fast_path() -> None:
    for content in ("[x] Add a fallback email provider — owner: sre, due: 2015-01-17",
                    "[ ] Cap webhook retries — owner: web-team", "Alert on delay — owner: sre, due: 2024-05-01"):
        assert actions._house_item(content) is not None, content
    for content in ("Renew — owner: done", "Renew in 30 days — owner: sre", "Renew — owner: sre @ops",
                    "Renew — owner: platform team, due: 2024-05-01", "~~Renew~~ — owner: sre"):
        assert actions._house_item(content) is None, content


@SETTINGS
@given(st.lists(STAMP_PIECES, max_size=6).map("".join))
@example("2024-03-16 02:00")
@example("2024-03-16T99:99")
@example("٠٢:٣٠")
def test_plain_times_have_a_clock_as_the_pattern_reads_them(text: str) -> None:
    if timeline._PLAIN_TIME.match(text):
        match = timeline._STAMP.match(timeline._EMPHASIS.sub("", text))
        assert match is not None and match.group("hour")


WORD_PIECES = st.sampled_from([
    " ", "\n", "-", "_", "1", "a", "é", "İ", "ı", "K", "ſ", "’", "after", "later", "nach", "después", "tras", "après",
    "bout", "about", "debout", "thereafter", "x_after", "2after", "ßnach", "—",
])


@SETTINGS
@given(st.lists(WORD_PIECES, max_size=12).map("".join))
@example("about 106 minutes")
@example("_after")
def test_a_word_start_is_found_as_the_pattern_finds_it(text: str) -> None:
    lowered = text.lower()
    words = narrative._AFTER_WORDS or ()
    expected = narrative._AFTER_WORD_START.search(lowered) is not None if narrative._AFTER_WORD_START else False
    assert narrative._starts_a_word(lowered, words) == expected
