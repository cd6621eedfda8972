"""Values real teams write in their post-mortems: read them, or say clearly why not.

Every case here comes from a template or an export found in the wild. A post-mortem
that is fine to a human reader must not fail a team's CI.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path

import pytest

import lessons
from lessons.parsing.actions import read_item, read_row
from lessons.errors import Level
from lessons.parsing.dates import ambiguous_day, parse_date
from lessons.mkdocs import pages
from lessons.model import Document, Status
from lessons.parsing.parse import parse_text

BASE = "title: Payments outage\ndate: 2024-03-16\n"  # lines 2 and 3; the next key is on line 4
TODAY = date(2026, 1, 1)  # every due date below has passed


def parse(front_matter: str, body: str = "") -> Document:
    doc = parse_text(f"---\n{front_matter}\n---\n{body}", "notes/x.md")
    assert doc is not None
    return doc


def findings(doc: Document) -> list[tuple[int, str, str, str]]:
    return [(p.line, p.level.value, p.code, p.message) for p in doc.problems]


# -- dates written in words and with slashes --------------------------------------------

@pytest.mark.parametrize(
    ("written", "day"),
    [
        ("2024-05-01", date(2024, 5, 1)),
        ("2024/05/01", date(2024, 5, 1)),
        ("May 1, 2024", date(2024, 5, 1)),
        ("March 22nd, 2024", date(2024, 3, 22)),
        ("Mar. 22 2024", date(2024, 3, 22)),
        ("Friday, March 22, 2024", date(2024, 3, 22)),
        ("22 March 2024", date(2024, 3, 22)),
        ("1st of May 2024", date(2024, 5, 1)),
        ("22-Mar-2024", date(2024, 3, 22)),
        ("Sept 3 2024", date(2024, 9, 3)),
        ("25/03/2024", date(2024, 3, 25)),  # only the European order is a real day
        ("03/25/2024", date(2024, 3, 25)),  # only the US order is a real day
        ("05/05/2024", date(2024, 5, 5)),  # both orders give the same day
    ],
)
def test_a_day_written_any_common_way_is_read(written: str, day: date) -> None:
    assert parse_date(written) == day


@pytest.mark.parametrize("written", ["05/01/2024", "03/04/2024", "12/11/2024"])
def test_a_slash_date_that_reads_both_ways_is_not_guessed(written: str) -> None:
    assert parse_date(written) is None
    us, european = ambiguous_day(written) or (None, None)
    assert us is not None and european is not None and us != european


@pytest.mark.parametrize("written", ["March 32, 2024", "31 June 2024", "2024/02/30", "13/13/2024"])
def test_an_impossible_day_is_not_read(written: str) -> None:
    assert parse_date(written) is None


@pytest.mark.parametrize(
    ("written", "day"),
    [("March 4, 2024", date(2024, 3, 4)), ("4 March 2024", date(2024, 3, 4)), ("2024/03/04", date(2024, 3, 4))],
)
def test_front_matter_date_in_words_or_with_slashes(written: str, day: date) -> None:
    doc = parse(f"title: T\ndate: {written}")
    assert (doc.date, doc.problems) == (day, [])


def test_an_ambiguous_front_matter_date_names_both_readings() -> None:
    doc = parse("title: T\ndate: 03/04/2024")
    assert findings(doc) == [(3, "error", "invalid-date", "date: '03/04/2024' is ambiguous (US vs European "
                              "order); write 2024-03-04 or 2024-04-03")]
    assert doc.date is None


def test_an_ambiguous_time_field_is_reported_the_same_way() -> None:
    doc = parse(BASE + "started: 03/04/2024 10:00")
    assert findings(doc) == [(4, "error", "invalid-date", "started: '03/04/2024 10:00' is ambiguous (US vs "
                              "European order); write 2024-03-04 or 2024-04-03")]


@pytest.mark.parametrize(
    ("written", "moment", "day_only"),
    [
        ("March 16, 2024 07:00 UTC", datetime(2024, 3, 16, 7, 0, tzinfo=timezone.utc), False),
        ("16 March 2024 09:00 +02:00", datetime(2024, 3, 16, 7, 0, tzinfo=timezone.utc), False),
        ("2024/03/16 07:00", datetime(2024, 3, 16, 7, 0, tzinfo=timezone.utc), False),
        ("March 16, 2024", datetime(2024, 3, 16, tzinfo=timezone.utc), True),
    ],
)
def test_time_fields_take_a_day_in_words_with_or_without_a_time(written: str, moment: datetime,
                                                                 day_only: bool) -> None:
    doc = parse(BASE + f"started: {written}")
    assert (doc.started, doc.problems) == (moment, [])
    assert ("started" in doc.day_precision) is day_only


# -- status: the incident's state, as teams write it ---------------------------------------

@pytest.mark.parametrize(
    ("written", "status"),
    [
        *[(word, Status.PUBLISHED) for word in ("resolved", "Closed", "complete", "Completed", "Final", "done",
                                                "Approved", "published")],
        *[(word, Status.IN_REVIEW) for word in ("review", "In Review", "Under review", "reviewing", "in-review",
                                                "in_review")],
        *[(word, Status.DRAFT) for word in ("draft", "WIP", "Work in progress", "In progress", "investigating",
                                            "Identified", "monitoring", "Mitigated", "open", "ongoing")],
    ],
)
def test_status_words_teams_use_are_read_without_a_finding(written: str, status: Status) -> None:
    doc = parse(BASE + f"status: {written}")
    assert (doc.status, doc.problems) == (status, [])


@pytest.mark.parametrize(("written", "hint"), [("publishd", "published"), ("aproved", "approved"),
                                               ("in progres", "in progress"), ("finished", None)])
def test_an_unknown_status_suggests_only_a_value_that_is_accepted(written: str, hint: str | None) -> None:
    (line, level, code, message), = findings(parse(BASE + f"status: {written}"))
    assert (line, level, code) == (4, "error", "invalid-field")
    assert message.startswith(f"status: expected one of draft, in-review, published, got {written!r}")
    if hint is None:
        assert "did you mean" not in message
    else:
        assert message.endswith(f"; did you mean {hint!r}?")
        assert parse(BASE + f"status: {hint}").problems == []


# -- severity: 0 (worst) … 5, in the spellings of incident tools -----------------------------

@pytest.mark.parametrize(
    ("written", "severity"),
    [
        ("SEV0", 0), ("SEV-0", 0), ("Sev 0", 0), ("P0", 0), ("0", 0), ('"0"', 0),
        ("2 - High", 2), ("P2 (High)", 2), ("Sev2 / Major", 2), ("Severity 2", 2), ("Level 3", 3),
        ("🔴 Critical", 1), ("Critical 🔴", 1), ("High", 2), ("low", 4), ("S1", 1), ("5", 5),
        ("Alta", 2), ("hoch", 2), ("Crítica", 1), ("niedrig", 4),
        ("{id: 01HTQ3X8KPZ, name: Minor, rank: 3}", 4), ("{id: 01HTQ, name: SEV2}", 2),
    ],
)
def test_severity_spellings_of_incident_tools(written: str, severity: int) -> None:
    doc = parse(BASE + f"severity: {written}")
    assert (doc.severity, doc.problems) == (severity, [])


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("SEV9", "severity: expected a number from 0 (worst) to 5, got 'SEV9'"),
        ("Sev 7", "severity: expected a number from 0 (worst) to 5, got 'Sev 7'"),
        ("6", "severity: expected a number from 0 (worst) to 5, got 6"),
        ("-1", "severity: expected a number from 0 (worst) to 5 (or SEV0, SEV1, P2 …), got -1"),
        ("2.5", "severity: expected a number from 0 (worst) to 5 (or SEV0, SEV1, P2 …), got 2.5"),
        ("Blocker", "severity: expected a number from 0 (worst) to 5 (or SEV0, SEV1, P2 …), got 'Blocker'"),
    ],
)
def test_an_unreadable_severity_is_shown_as_written(written: str, message: str) -> None:
    doc = parse(BASE + f"severity: {written}")
    assert findings(doc) == [(4, "error", "invalid-field", message)]
    assert doc.severity is None


def test_sev0_is_shown_on_the_site_and_can_be_searched_for(content_dir: Path) -> None:
    (content_dir / "postmortems" / "2024-06-01-region-down.md").write_text(
        "---\ntitle: Whole region down\ndate: 2024-06-01\nseverity: SEV0\n---\n\n"
        "## Summary\n\nEvery zone of the region lost power at once.\n", encoding="utf-8")
    kb = lessons.load(content_dir)
    doc = kb.get("2024-06-01-region-down")
    assert doc.severity == 0
    assert pages.severity_label(0) == "SEV0"
    assert "SEV0 (emergency)" in pages.browse(kb, "severity")
    assert ".lessons-sev-0" in pages.card(doc, kb)
    assert [hit.document.id for hit in kb.search("region power", severity=0)] == [doc.id]


# -- front-matter keys of other tools ----------------------------------------------------------

@pytest.mark.parametrize(
    ("key", "field"),
    [
        ("impact_start", "started"), ("start", "started"), ("start_time", "started"), ("started_at", "started"),
        ("begin", "started"), ("Start-Time", "started"),
        ("impact_end", "resolved"), ("end", "resolved"), ("end_time", "resolved"), ("resolved_at", "resolved"),
        ("detected_at", "detected"), ("detection_time", "detected"), ("mitigated_at", "mitigated"),
    ],
)
def test_time_keys_of_other_tools_fill_the_field(key: str, field: str) -> None:
    doc = parse(BASE + f"{key}: 2024-03-16 08:00")
    assert getattr(doc, field) == datetime(2024, 3, 16, 8, 0, tzinfo=timezone.utc)
    assert doc.problems == []
    assert doc.line_of(field) == 4


def test_incident_date_is_the_date_when_there_is_none() -> None:
    doc = parse("title: T\nincident_date: 2024-03-16")
    assert (doc.date, doc.problems) == (date(2024, 3, 16), [])


@pytest.mark.parametrize(
    ("front_matter", "field", "value", "ignored"),
    [
        ("started: 2024-03-16 07:00\nimpact_start: 2024-03-16 06:30", "started",
         datetime(2024, 3, 16, 7, 0, tzinfo=timezone.utc), (5, "impact_start", "started", 4)),
        ("impact_start: 2024-03-16 06:30\nstarted: 2024-03-16 07:00", "started",
         datetime(2024, 3, 16, 7, 0, tzinfo=timezone.utc), (4, "impact_start", "started", 5)),
        ("incident_date: 2024-03-15", "date", date(2024, 3, 16), (4, "incident_date", "date", 3)),
        ("start: 2024-03-16 06:00\nbegin: 2024-03-16 06:30", "started",
         datetime(2024, 3, 16, 6, 0, tzinfo=timezone.utc), (5, "begin", "started", 4)),
    ],
    ids=["field-first", "alias-first", "incident-date-beside-date", "two-aliases"],
)
def test_the_field_wins_over_another_tools_key_which_is_warned_about(
    front_matter: str, field: str, value: object, ignored: tuple[int, str, str, int]
) -> None:
    doc = parse(BASE + front_matter)
    line, key, named, field_line = ignored
    assert getattr(doc, field) == value
    ((found_line, level, code, message),) = findings(doc)
    assert (found_line, level, code) == (line, "warning", "ignored-key")
    assert message.startswith(f"{key!r} is another name for {named!r}, which is written too (")
    assert f"line {field_line}" in message
    assert key in doc.extra  # still there for tools that want it


@pytest.mark.parametrize(
    "key",
    ["layout", "permalink", "categories", "category", "excerpt", "comments", "toc", "weight", "slug", "aliases",
     "menu", "sidebar", "nav_order", "published", "duration", "incident_id", "owner", "ticket"],
)  # `draft` is kept too, but its value is read: see test_draft_true_makes_a_draft_unless_status_says_otherwise
def test_static_site_and_template_keys_are_kept_without_a_warning(key: str) -> None:
    doc = parse(BASE + f"{key}: some value")
    assert doc.problems == []
    assert doc.extra == {key: "some value"}


@pytest.mark.parametrize(
    ("front_matter", "status"),
    [("draft: true", Status.DRAFT), ("draft: false", Status.PUBLISHED),
     ("draft: true\nstatus: published", Status.PUBLISHED), ("status: in-review\ndraft: true", Status.IN_REVIEW)],
)
def test_draft_true_makes_a_draft_unless_status_says_otherwise(front_matter: str, status: Status) -> None:
    doc = parse(BASE + front_matter)
    assert (doc.status, doc.problems) == (status, [])


# -- action items: due dates -------------------------------------------------------------------

PLACEHOLDERS = ["—", "–", "-", "TBD", "TBC", "N/A", "n/a", "none", "ongoing", "Ongoing", "?", "Q2", "Q3 2024",
                "H2", "next sprint", "next week", "end of Q2", "2024-05", "March 2024", "EOW"]


@pytest.mark.parametrize("written", PLACEHOLDERS)
def test_a_placeholder_due_date_is_no_due_date_and_no_finding(written: str) -> None:
    item = read_item(f"[ ] Add a canary (owner: payments, due: {written})")
    assert (item.text, item.owner, item.due, item.due_text) == ("Add a canary", "payments", None, written)
    assert item.due_problems(Path("x.md"), 9) == []


@pytest.mark.parametrize("written", [*PLACEHOLDERS, ""])
def test_a_placeholder_in_a_due_column_is_no_due_date_and_no_finding(written: str) -> None:
    item = read_row(["Action", "Owner", "Due", "Status"], ["Add a canary", "payments", written, "Open"])
    assert item is not None
    assert (item.text, item.due) == ("Add a canary", None)
    assert item.due_problems(Path("x.md"), 9) == []


@pytest.mark.parametrize(
    ("written", "text", "owner", "due"),
    [
        ("[ ] Require dry-run (Owner: R. Okafor, Due: March 22nd, 2024)", "Require dry-run", "R. Okafor",
         date(2024, 3, 22)),
        ("[ ] Add alert — owner: sam, due: 22/03/2024", "Add alert", "sam", date(2024, 3, 22)),
        ("[ ] Add alert — owner: sam, due: May 1, 2024", "Add alert", "sam", date(2024, 5, 1)),
        ("[ ] Add alert — owner: sam, due: 1st of May 2024", "Add alert", "sam", date(2024, 5, 1)),
        ("[ ] Add alert — owner: sam, due: 2024/05/01", "Add alert", "sam", date(2024, 5, 1)),
        ("[ ] Checklist a — @karim — due 2024-03-18", "Checklist a", "karim", date(2024, 3, 18)),
        ("[ ] Rotate keys — due 2024-03-18", "Rotate keys", None, date(2024, 3, 18)),
        ("[ ] Checklist b @billing by 2024-03-25", "Checklist b", "billing", date(2024, 3, 25)),
        ("[ ] Ship the runbook @jonas.becker by 2024-04-16", "Ship the runbook", "jonas.becker",
         date(2024, 4, 16)),
        ("[ ] Page the DBA — @sam, ETA 2024-05-01", "Page the DBA", "sam", date(2024, 5, 1)),
        ("[ ] Checklist m owner: sam due: Q2", "Checklist m", "sam", None),
        ("[ ] Checklist g [owner: sam] [due: 2024-05-01]", "Checklist g", "sam", date(2024, 5, 1)),
        ("[ ] Hand the pager over by the platform team", "Hand the pager over by the platform team", None, None),
        ("[ ] Fix the retry loop due to timeouts", "Fix the retry loop due to timeouts", None, None),
        ("[ ] Load-test the reload path @sre-oncall", "Load-test the reload path @sre-oncall", "sre-oncall", None),
    ],
)
def test_owner_and_due_as_teams_write_them(written: str, text: str, owner: str | None, due: date | None) -> None:
    item = read_item(written)
    assert (item.text, item.owner, item.due) == (text, owner, due)
    assert item.due_problems(Path("x.md"), 9) == []


def test_a_due_date_inside_the_sentence_is_read_and_the_sentence_kept() -> None:
    item = read_item("[ ] Ship the fix by 2024-03-25 and tell support")
    assert (item.text, item.due) == ("Ship the fix by 2024-03-25 and tell support", date(2024, 3, 25))


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("05/01/2024", "action item due date '05/01/2024' is ambiguous (US vs European order); write it as "
         "YYYY-MM-DD: 2024-05-01 or 2024-01-05"),
        ("2024-13-45", "action item due date '2024-13-45' is not a date; write it like 2024-05-01"),
        ("March 32, 2024", "action item due date 'March 32, 2024' is not a date; write it like 2024-05-01"),
        ("March 22", "action item due date 'March 22' has no year; write it like 2024-05-01"),
        ("22/03", "action item due date '22/03' has no year; write it like 2024-05-01"),
    ],
)
def test_a_due_date_that_cannot_be_read_is_a_warning_naming_it(written: str, message: str) -> None:
    for item in (read_item(f"[ ] Add a canary — owner: payments, due: {written}"),
                 read_row(["Action", "Owner", "Due"], ["Add a canary", "payments", written])):
        assert item is not None
        assert item.due is None
        ((problem),) = item.due_problems(Path("x.md"), 9)
        assert (problem.path, problem.line, problem.level, problem.code, problem.message) == (
            Path("x.md"), 9, Level.WARNING, "invalid-date", message)


@pytest.mark.parametrize(("written", "due"), [("May 1, 2024", date(2024, 5, 1)), ("25/03/2024", date(2024, 3, 25)),
                                              ("03/25/2024", date(2024, 3, 25)), ("2024/05/01", date(2024, 5, 1))])
def test_a_due_column_in_words_or_with_slashes_is_read(written: str, due: date) -> None:
    item = read_row(["Action", "Owner", "Due", "Status"], ["Add a canary", "payments", written, "Open"])
    assert item is not None
    assert (item.due, item.due_text) == (due, written)


# -- action items: what closes them ------------------------------------------------------------

CLOSED = ["Done", "Won't fix", "Won’t fix", "Wont fix", "wontfix", "Won't do", "Cancelled", "Canceled",
          "Duplicate", "Obsolete", "Merged", "Done (PR #123)", "Completed ✅", "Complete", "Fixed", "Resolved",
          "Closed", "~~Open~~ Done", "☑", "[x]", "x", "**Done**"]
OPEN = ["Open", "In progress", "Not started", "Doing", "Not done", "Unresolved", "Blocked", "X-ray pending", ""]


def action_table(statuses: list[str]) -> Document:
    rows = "".join(f"| Item {n} | payments | 2024-05-01 | {status} |\n" for n, status in enumerate(statuses))
    return parse(BASE, "\n## Action items\n\n| Action | Owner | Due | Status |\n|---|---|---|---|\n" + rows)


@pytest.mark.parametrize("status", CLOSED)
def test_a_closed_status_is_never_overdue(status: str) -> None:
    (item,) = action_table([status]).action_items
    assert item.done and not item.is_overdue(TODAY)


@pytest.mark.parametrize("status", OPEN)
def test_an_open_status_past_its_due_date_is_overdue(status: str) -> None:
    (item,) = action_table([status]).action_items
    assert not item.done and item.is_overdue(TODAY)


def test_a_jira_export_reads_the_summary_and_the_resolution() -> None:
    header = ["Jira", "Summary", "Assignee", "Due", "Resolution"]
    fixed = read_row(header, ["OPS-1", "Add a canary stage", "Dana", "2024-05-01", "Fixed"])
    unresolved = read_row(header, ["OPS-2", "Alert on card declines", "Lee", "2024-05-01", "Unresolved"])
    assert fixed is not None and unresolved is not None
    assert (fixed.text, fixed.owner, fixed.due, fixed.done) == ("Add a canary stage", "Dana", date(2024, 5, 1), True)
    assert (unresolved.text, unresolved.done) == ("Alert on card declines", False)


def test_an_incident_key_as_id_is_taken_in_lower_case_and_matches_related() -> None:
    doc = parse(BASE + "id: INC-2291\nrelated: [INC-1000]")
    assert (doc.id, doc.related, doc.problems) == ("inc-2291", ["inc-1000"], [])
    assert [p.code for p in parse(BASE + "id: INC 2291").problems] == ["invalid-id"]
