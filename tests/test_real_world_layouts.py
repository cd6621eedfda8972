"""Post-mortems laid out the way other teams' tools and habits lay them out.

Whole documents of those shapes (exported from Word, Google Docs, Confluence or Notion,
sections wrapped in one heading, timelines as paragraphs, newest first or in offsets,
action items under sub-headings) are parser cases in ``tests/cases/``. Here are the
short ones: a heading, a few timeline lines, a front-matter value.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

from lessons.model import Document
from lessons.parsing.parse import parse_text
from lessons.parsing.sections import canonical_section

UTC = timezone.utc


def parse(text: str, name: str = "2024-03-03-incident.md", **options: object) -> Document:
    doc = parse_text(text, Path(name), **options)  # type: ignore[arg-type]
    assert doc is not None
    return doc


def at(day: int, hour: int, minute: int = 0, month: int = 3) -> datetime:
    return datetime(2024, month, day, hour, minute, tzinfo=UTC)


@pytest.mark.parametrize(("heading", "name"), [
    ("Impcat", "impact"), ("Imapct", "impact"), ("Acton items", "action-items"), ("Timelien", "timeline"),
    ("Why did it happen?", "causes"), ("How did we fix it?", "resolution"), ("Who was impacted?", "impact"),
    ("What we're doing to prevent it happening again", "action-items"), ("Appendix", None), ("Contacts", None),
])
def test_headings_with_swapped_letters_and_questions_are_recognised(heading: str, name: str | None) -> None:
    assert canonical_section(heading) == name


TIMELINE = "---\ntitle: T\ndate: 2024-03-03\n---\n\n## Timeline\n\n{body}\n"


@pytest.mark.parametrize(("body", "expected"), [
    # The zone in a sentence under the heading.
    ("All times CEST.\n\n- 01:00 Export starts\n- 01:30 Alert fires", [at(2, 23), at(2, 23, 30)]),
    ("_All times are in Pacific Time (PT)._\n\n- 09:00 Export starts", [at(3, 17)]),
    # A zone written on the first entry holds for the ones after it.
    ("- 10:00 CET Deploy starts\n- 10:30 Alert fires", [at(3, 9), at(3, 9, 30)]),
    # A span is placed at its start; a bracketed time is a time.
    ("- 14:05–14:20 — Replica lag climbs\n- [14:45] Lag back to normal", [at(3, 14, 5), at(3, 14, 45)]),
    # Date and Time in columns of their own, or the time in a column after a number.
    ("| Date | Time | Event |\n|---|---|---|\n| 2024-03-03 | 23:50 | Deploy |\n| 2024-03-04 | 00:20 | Alert |",
     [at(3, 23, 50), at(4, 0, 20)]),
    ("| # | Time (UTC) | Event |\n|---|---|---|\n| 1 | 09:00 | Deploy |\n| 2 | 09:07 | Alert |",
     [at(3, 9), at(3, 9, 7)]),
])
def test_timelines_as_teams_write_them(body: str, expected: list[datetime]) -> None:
    doc = parse(TIMELINE.format(body=body))
    assert [e.at for e in doc.timeline] == expected
    assert all(e.text and not e.text[0].isdigit() for e in doc.timeline), [e.text for e in doc.timeline]


def test_times_out_of_order_give_no_duration_rather_than_a_negative_one() -> None:
    doc = parse("---\ntitle: T\ndate: 2024-03-03\nstarted: 2024-03-03T10:00Z\nresolved: 2024-03-03T09:00Z\n---\n")
    assert doc.time_to_resolve is None


def test_an_ambiguous_front_matter_date_is_settled_by_the_file_name() -> None:
    text = "---\ntitle: T\ndate: 03/04/2024\n---\n"
    settled = parse(text, "2024-03-04-replica-lag.md")
    assert str(settled.date) == "2024-03-04" and settled.problems == []
    unsettled = parse(text, "replica-lag.md")
    assert [(p.line, p.code) for p in unsettled.problems] == [(3, "invalid-date")]
    assert "ambiguous" in unsettled.problems[0].message


def test_related_may_name_files() -> None:
    doc = parse("---\ntitle: T\ndate: 2024-03-03\n"
                "related: [2024-05-02-edge.md, ../postmortems/2023-01-09-dns.md]\n---\n")
    assert doc.related == ["2024-05-02-edge", "2023-01-09-dns"]


@pytest.mark.parametrize(("heading", "name"), [
    ("What went wrong and why?", "causes"), ("How did we respond?", "timeline"),
    ("How are we making incidents like this less likely or less impactful?", "action-items"),
    ("How can customers make incidents like this less impactful?", None),
    ("Cost analysis", None), ("Communication during the incident", None), ("Customer-facing root cause", "causes"),
])
def test_azure_style_questions_and_headings_that_only_end_like_a_section(heading: str, name: str | None) -> None:
    assert canonical_section(heading) == name


@pytest.mark.parametrize(("day", "utc_hour"), [("2024-07-10", 16), ("2024-01-10", 17)])
def test_pacific_time_follows_summer_time(day: str, utc_hour: int) -> None:
    doc = parse(f"---\ntitle: T\ndate: {day}\n---\n\n## Timeline (all times Pacific Time)\n\n- 09:00 Errors start\n")
    assert doc.timeline[0].at is not None and doc.timeline[0].at.hour == utc_hour

