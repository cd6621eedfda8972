"""Timeline entries and action items, written the many ways people write them."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from lessons.parsing.actions import read_item, read_row
from lessons.model import ActionItem, Document
from lessons.parsing.parse import parse_text
from lessons.parsing.timeline import read_stamp, zone_named_in

UTC = timezone.utc
DAY = date(2024, 3, 16)


def at(hour: int, minute: int = 0, day: int = 16, month: int = 3, year: int = 2024) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


@pytest.mark.parametrize(
    ("written", "when", "time_text", "rest"),
    [
        ("2024-03-16 02:00 — The update is rolled out", at(2), "2024-03-16 02:00", "The update is rolled out"),
        ("2024-03-16T02:00Z deploy starts", at(2), "2024-03-16T02:00Z", "deploy starts"),
        ("07:00 — Stores report failures", at(7), "07:00", "Stores report failures"),
        ("07:00 PST — Stores report failures", at(15), "07:00 PST", "Stores report failures"),
        ("07:00 Stores report failures", at(7), "07:00", "Stores report failures"),
        ("Mar 16, 02:00 PST: paged", at(10), "Mar 16, 02:00 PST", "paged"),
        ("16 March 2024 14:05 - rollback", at(14, 5), "16 March 2024 14:05", "rollback"),
        ("**07:00** — bold time", at(7), "07:00", "bold time"),
        ("7:05 pm – evening", at(19, 5), "7:05 pm", "evening"),
        ("12:30 a.m. | just after midnight", at(0, 30), "12:30 a.m.", "just after midnight"),
        ("10.30 — dotted time", at(10, 30), "10.30", "dotted time"),
        ("2024-03-17 — Service is back", at(0, day=17), "2024-03-17", "Service is back"),
    ],
)
def test_read_stamp(written: str, when: datetime, time_text: str, rest: str) -> None:
    stamp = read_stamp(written, previous=None, default_date=DAY, zone=None)
    assert (stamp.at, stamp.text, stamp.rest) == (when, time_text, rest)


@pytest.mark.parametrize("written", ["No time here", "25:00 — not a time", "Later that day — x"])
def test_an_entry_without_a_readable_time_keeps_its_text(written: str) -> None:
    stamp = read_stamp(written, previous=None, default_date=DAY, zone=None)
    assert stamp.at is None
    assert stamp.rest == written


def test_a_bare_time_takes_the_previous_entrys_date_and_rolls_past_midnight() -> None:
    stamp = read_stamp("00:40 — finished", previous=at(23, 50, day=20), default_date=DAY, zone=None)
    assert stamp.at == at(0, 40, day=21)


def test_a_zone_in_the_heading_applies_to_times_without_one() -> None:
    zone = zone_named_in("Timeline (all times PDT)")
    stamp = read_stamp("09:58 — primary down", previous=None, default_date=DAY, zone=zone)
    assert stamp.at == at(16, 58)


@pytest.mark.parametrize(
    ("heading", "offset_hours"),
    [("Timeline (all times PDT)", -7), ("Time (UTC+02:00)", 2), ("Time (UTC-7)", -7),
     ("Time +05:30", 5.5), ("Time (UTC)", 0), ("Times in GMT+1", 1)],
)
def test_zone_named_in_a_heading(heading: str, offset_hours: float) -> None:
    assert zone_named_in(heading) == timezone(timedelta(hours=offset_hours))


@pytest.mark.parametrize("heading", ["Timeline", "Timeline 2024-03-16", "Top-10 events", "Time (UTC+99:00)"])
def test_no_zone_in_a_heading(heading: str) -> None:
    assert zone_named_in(heading) is None


def test_an_offset_beyond_a_day_is_not_a_zone() -> None:
    stamp = read_stamp("07:00 +99:99 — x", previous=None, default_date=DAY, zone=None)
    assert stamp.at == at(7)


@pytest.mark.parametrize(
    ("written", "text", "done", "owner", "due"),
    [
        ("[ ] Stage updates behind a canary — owner: retail-platform, due: 2024-05-01",
         "Stage updates behind a canary", False, "retail-platform", date(2024, 5, 1)),
        ("[x] Add a tested rollback — owner: payments", "Add a tested rollback", True, "payments", None),
        ("[X] Upper-case tick", "Upper-case tick", True, None, None),
        ("Fix the alert (owner: sre, due: 2024-01-02)", "Fix the alert", False, "sre", date(2024, 1, 2)),
        ("[ ] Load-test the reload path @sre-oncall", "Load-test the reload path @sre-oncall", False,
         "sre-oncall", None),
        ("[ ] Email jane@example.com about it", "Email jane@example.com about it", False, None, None),
        ("[ ] Review the runbook - assignee: ops - deadline: 2024-02-02", "Review the runbook", False,
         "ops", date(2024, 2, 2)),
    ],
)
def test_read_item(written: str, text: str, done: bool, owner: str | None, due: date | None) -> None:
    item = read_item(written)
    assert (item.text, item.done, item.owner, item.due) == (text, done, owner, due)


def test_read_row_uses_the_header_to_find_columns() -> None:
    item = read_row(["#", "Action", "Owner", "Due", "Status"], ["1", "Rebuild the index", "search",
                                                                "2024-03-01", "Done"])
    assert item is not None
    assert (item.text, item.done, item.owner, item.due) == ("Rebuild the index", True, "search",
                                                            date(2024, 3, 1))


def test_read_row_with_other_column_names() -> None:
    item = read_row(["Task", "Assignee", "Deadline", "State"], ["Add alerts", "sre", "2024-04-01", "open"])
    assert item is not None
    assert (item.text, item.done, item.owner, item.due) == ("Add alerts", False, "sre", date(2024, 4, 1))


def test_an_empty_row_is_no_action_item() -> None:
    assert read_row(["Action", "Owner"], ["", ""]) is None


def document(body: str, front_matter: str = "title: T\ndate: 2024-03-16") -> Document:
    doc = parse_text(f"---\n{front_matter}\n---\n{body}", "2024-03-16-x.md")
    assert doc is not None
    return doc


def test_timeline_list_in_a_document() -> None:
    doc = document(
        "\n## Timeline\n\n"
        "- 2024-03-16 02:00 — The update is rolled out.\n"
        "- 07:00 — Stores report card payments failing.\n"
        "  - a nested note without a time is not an event\n"
        "- Some time later — Someone notices.\n"
    )
    assert [(e.line, e.at, e.text) for e in doc.timeline] == [
        (8, at(2), "The update is rolled out."),
        (9, at(7), "Stores report card payments failing."),
        (11, None, "Some time later — Someone notices."),
    ]


def test_a_list_outside_the_timeline_section_is_no_timeline() -> None:
    doc = document("\n## Impact\n\n- 07:00 — stores could not take cards\n")
    assert doc.timeline == []


def test_timeline_table_with_a_zone_in_the_header() -> None:
    doc = document(
        "\n## Timeline\n\n| Time (CET) | Event |\n|---|---|\n| 2024-03-16 10:00 | Deploy |\n| 11:30 | Rollback |\n"
    )
    assert [(e.line, e.at, e.text, e.time_text) for e in doc.timeline] == [
        (10, at(9), "Deploy", "2024-03-16 10:00"),
        (11, at(10, 30), "Rollback", "11:30"),
    ]


def test_a_time_alone_takes_the_documents_date() -> None:
    doc = document("\n## Timeline\n\n- 13:42 — The rule is deployed.\n", "title: T\ndate: 2019-07-02")
    assert doc.timeline[0].at == at(13, 42, day=2, month=7, year=2019)


def test_action_items_under_any_follow_up_heading() -> None:
    doc = document(
        "\n## Follow-up actions\n\n"
        "- [ ] Stage updates — owner: retail-platform, due: 2024-05-01\n"
        "- Plain bullets count here too (owner: payments)\n"
        "  - but a nested note does not\n"
    )
    assert [(a.line, a.text, a.done, a.owner, a.due, a.document_id) for a in doc.action_items] == [
        (8, "Stage updates", False, "retail-platform", date(2024, 5, 1), "2024-03-16-x"),
        (9, "Plain bullets count here too", False, "payments", None, "2024-03-16-x"),
    ]


def test_task_list_items_elsewhere_in_a_postmortem_are_action_items() -> None:
    doc = document("\n## Lessons learned\n\n- [x] Add a canary — owner: payments\n- A plain lesson\n")
    assert [(a.text, a.done) for a in doc.action_items] == [("Add a canary", True)]


def test_a_practice_has_no_action_items_outside_the_section() -> None:
    doc = document("\n## How to start\n\n- [ ] Pick a pilot group\n", "title: Canaries\nkind: practice")
    assert doc.action_items == []


@pytest.mark.parametrize(
    ("due", "done", "today", "overdue"),
    [(date(2024, 5, 1), False, date(2024, 5, 2), True), (date(2024, 5, 1), False, date(2024, 5, 1), False),
     (date(2024, 5, 1), True, date(2030, 1, 1), False), (None, False, date(2030, 1, 1), False)],
)
def test_is_overdue(due: date | None, done: bool, today: date, overdue: bool) -> None:
    assert ActionItem("x", 1, done=done, due=due).is_overdue(today) is overdue


# --- time to detect and to resolve, from the front matter or the timeline ---------------

TIMED = """---
title: Checkout errors
date: 2024-03-16
{front}---

## Timeline

- 2024-03-15 — The pool change is merged.
- 2024-03-16 09:47 — The orders database fails over.
- 09:52 — The error-rate alert pages on-call.
- 10:05 — Engineers report that restarts help.
- 10:20 — Checkout is restarted; errors stop.
- 10:28 — Service restored for every region.
"""


def timed(front: str = "") -> Document:
    doc = parse_text(TIMED.format(front=front), "timed.md")
    assert doc is not None
    return doc


def test_durations_are_read_off_the_timeline_when_the_front_matter_has_no_times() -> None:
    doc = timed()
    # The date-only entry is not "to the minute": the first timed entry starts the incident.
    assert doc.moment("started") == at(9, 47)
    assert doc.time_to_detect == timedelta(minutes=5)  # the first alert, not the later report
    assert doc.time_to_resolve == timedelta(minutes=41)  # the last recovery entry
    assert [doc.moment_source(name) for name in ("started", "detected", "resolved")] == ["timeline"] * 3


def test_front_matter_times_win_and_a_date_alone_is_not_overruled() -> None:
    doc = timed("started: 2024-03-16T09:40Z\n")
    assert doc.moment_source("started") == "front matter"
    assert doc.time_to_detect == timedelta(minutes=12)
    assert doc.time_to_resolve == timedelta(minutes=48)
    # The author knew only the day the incident was resolved: no time is made up for it.
    doc = timed("started: 2024-03-16T09:40Z\nresolved: 2024-03-16\n")
    assert doc.moment_source("resolved") is None
    assert doc.time_to_resolve is None


def test_an_alert_after_the_recovery_is_not_the_detection() -> None:
    doc = parse_text("---\ntitle: T\ndate: 2024-03-16\n---\n\n## Timeline\n\n"
                     "- 09:47 — Errors start.\n- 10:10 — Service restored.\n"
                     "- 11:30 — Customers report slow pages in the retro survey.\n", "late.md")
    assert doc is not None
    assert doc.time_to_resolve == timedelta(minutes=23)
    assert doc.time_to_detect is None


def test_a_timeline_without_words_of_detection_or_recovery_gives_no_durations() -> None:
    doc = parse_text("---\ntitle: T\ndate: 2024-03-16\n---\n\n## Timeline\n\n"
                     "- 09:47 — The change is deployed.\n- 10:30 — The team meets.\n", "quiet.md")
    assert doc is not None
    assert doc.moment("started") == at(9, 47)
    assert (doc.time_to_detect, doc.time_to_resolve) == (None, None)
    assert doc.moment_source("resolved") is None
    single = parse_text("---\ntitle: T\ndate: 2024-03-16\n---\n\n## Timeline\n\n- 09:47 — Alert fires.\n", "one.md")
    assert single is not None and single.time_to_detect is None


def test_the_moments_read_off_the_timeline_travel_with_the_document_through_the_index() -> None:
    import json

    from lessons.model import document_from_dict

    doc = timed()
    assert doc.timeline_moments == {"started": at(9, 47), "detected": at(9, 52), "resolved": at(10, 28)}
    again = document_from_dict(json.loads(json.dumps(doc.to_dict())))
    assert again.timeline_moments == doc.timeline_moments
    assert (again.time_to_detect, again.time_to_resolve) == (timedelta(minutes=5), timedelta(minutes=41))
    assert [again.moment_source(name) for name in ("started", "detected", "resolved")] == ["timeline"] * 3


def test_the_model_reads_no_text_and_imports_nothing_from_the_parser() -> None:
    import subprocess
    import sys

    code = ("import sys, datetime as d\nfrom lessons.model import document_from_dict\n"
            "doc = document_from_dict({'id': 'x', 'title': 'T', 'kind': 'postmortem', 'path': 'x.md',\n"
            "    'timeline_moments': {'started': '2024-03-16T09:47:00+00:00',\n"
            "                         'resolved': '2024-03-16T10:28:00+00:00'}})\n"
            "assert doc.time_to_resolve == d.timedelta(minutes=41), doc.time_to_resolve\n"
            "print(sorted(m for m in sys.modules if m.startswith('lessons.parsing')))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
