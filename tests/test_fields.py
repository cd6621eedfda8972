"""Front-matter fields: each mistake is named with its line, and values are typed."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from lessons.model import Document, Kind, Status
from lessons.parsing.parse import parse_text


def parse(front_matter: str, body: str = "") -> Document:
    doc = parse_text(f"---\n{front_matter}\n---\n{body}", "notes/x.md")
    assert doc is not None
    return doc


def findings(doc: Document) -> list[tuple[int, str, str, str]]:
    return [(p.line, p.level.value, p.code, p.message) for p in doc.problems]


BASE = "title: Payments outage\ndate: 2024-03-16\n"  # lines 2 and 3; the next key is on line 4


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        pytest.param("severty: 2", (4, "warning", "unknown-key",
                     "unknown front-matter key 'severty'; did you mean 'severity'?"), id="unknown-key-typo"),
        pytest.param("flavour: vanilla", (4, "warning", "unknown-key",
                     "unknown front-matter key 'flavour'"), id="unknown-key-no-guess"),
        pytest.param("organisation: A\norganization: B", (5, "error", "duplicate-key",
                     "'organization' repeats 'organisation' (line 4); keep one of them"),
                     id="alias-and-key-both-written"),
        pytest.param("status: publishd", (4, "error", "invalid-field",
                     "status: expected one of draft, in-review, published, got 'publishd'; "
                     "did you mean 'published'?"), id="status-typo"),
        pytest.param("kind: practise", (4, "error", "invalid-field",
                     "kind: expected one of postmortem, practice, got 'practise'; "
                     "did you mean 'practice'?"), id="kind-typo"),
        pytest.param("severity: 9", (4, "error", "invalid-field",
                     "severity: expected a number from 0 (worst) to 5, got 9"), id="severity-range"),
        pytest.param("severity: true", (4, "error", "invalid-field",
                     "severity: expected a number from 0 (worst) to 5"), id="severity-bool"),
        pytest.param("severity: catastrophic", (4, "error", "invalid-field",
                     "severity: expected a number from 0 (worst) to 5 (or SEV0, SEV1, P2 …), "
                     "got 'catastrophic'"), id="severity-word"),
        pytest.param("id: Payments Outage", (4, "error", "invalid-id",
                     "id: expected lower-case letters, digits and hyphens "
                     "(like 2024-03-16-payments-outage), got 'Payments Outage'"), id="id-not-a-slug"),
        pytest.param("started: 2024-03-16T25:00Z", (4, "error", "invalid-date",
                     "started: expected a date-time like 2024-03-16T07:00Z or 2024-03-16 07:00, "
                     "got '2024-03-16T25:00Z'"), id="impossible-time"),
        pytest.param("resolved: after lunch", (4, "error", "invalid-date",
                     "resolved: expected a date-time like 2024-03-16T07:00Z or 2024-03-16 07:00, "
                     "got 'after lunch'"), id="time-not-a-time"),
        pytest.param("services:\n  name: payments", (4, "error", "invalid-field",
                     "services: expected a list like [a, b], got a mapping"), id="list-given-mapping"),
        pytest.param("tags:\n  - retail\n  - [a, b]", (4, "error", "invalid-field",
                     "tags: item on line 6 is a nested list or mapping; expected text"),
                     id="nested-list-item"),
        pytest.param("summary: [one, two]", (4, "error", "invalid-field",
                     "summary: expected text, got a list"), id="text-given-list"),
        pytest.param("organization: {name: A}", (4, "error", "invalid-field",
                     "organization: expected text, got a mapping"), id="text-given-mapping"),
    ],
)
def test_a_bad_field_is_one_finding_on_its_line(extra: str, expected: tuple[int, str, str, str]) -> None:
    doc = parse(BASE + extra)
    assert findings(doc) == [expected]


def test_an_impossible_date_is_reported_once_not_also_as_missing() -> None:
    doc = parse("title: T\ndate: 2024-13-45")
    assert findings(doc) == [
        (3, "error", "invalid-date", "date: expected a date like 2024-03-16, got '2024-13-45'")
    ]
    assert doc.date is None


def test_a_title_that_is_not_text_is_reported_once() -> None:
    doc = parse("title: [a, b]\ndate: 2024-01-01")
    assert findings(doc) == [(2, "error", "invalid-field", "title: expected text, got a list")]


def test_missing_title_and_date() -> None:
    doc = parse("services: [queue]", "\nThe queue stopped.\n")
    assert findings(doc) == [
        (1, "error", "missing-field",
         "missing required field 'title' (front matter `title:` or a `# Heading` at the top)"),
        (1, "error", "missing-field",
         "missing required field 'date' (the day the incident began, YYYY-MM-DD; "
         "or name the file YYYY-MM-DD-….md)"),
    ]


def test_a_practice_needs_no_date() -> None:
    doc = parse("title: Canary releases\nkind: practice\nprevents: [incomplete-testing]")
    assert doc.problems == []
    assert (doc.kind, doc.date, doc.prevents) == (Kind.PRACTICE, None, ["incomplete-testing"])


def test_a_bad_optional_field_is_dropped_and_the_rest_still_read() -> None:
    doc = parse(BASE + "severity: 9\nservices: [payments]\ncauses: [configuration-error]")
    assert doc.severity is None
    assert doc.services == ["payments"]
    assert doc.causes == ["configuration-error"]
    assert doc.title == "Payments outage"


def test_common_spellings_are_read_without_a_warning() -> None:
    doc = parse(BASE + "organisation: Example Retail\nsev: P1\ntype: post-mortem\nstatus: In Review\n"
                "service: payments\ntag: retail")
    assert doc.problems == []
    assert doc.organization == "Example Retail"
    assert doc.severity == 1
    assert doc.kind is Kind.POSTMORTEM
    assert doc.status is Status.IN_REVIEW
    assert (doc.services, doc.tags) == (["payments"], ["retail"])


@pytest.mark.parametrize("written", ["SEV2", "sev-2", "P2", "2", "high", "Severity 2"])
def test_severity_spellings(written: str) -> None:
    assert parse(BASE + f"severity: {written}").severity == 2


def test_keys_are_case_insensitive() -> None:
    doc = parse("Title: Payments outage\nDATE: 2024-03-16")
    assert (doc.title, doc.date, doc.problems) == ("Payments outage", date(2024, 3, 16), [])


def test_a_list_may_be_a_comma_separated_string_and_repeats_are_dropped() -> None:
    doc = parse(BASE + "tags: retail, payments ,, retail")
    assert doc.tags == ["retail", "payments"]


def test_cause_ids_are_normalised_and_each_item_keeps_its_line() -> None:
    doc = parse(BASE + "causes:\n  - Configuration Error\n  - human_error\n  - configuration-error")
    assert doc.causes == ["configuration-error", "human-error"]
    assert doc.line_of("causes", "configuration-error") == 7
    assert doc.line_of("causes", "human-error") == 6
    assert doc.line_of("causes") == 4


def test_empty_optional_fields_are_the_same_as_absent_ones() -> None:
    doc = parse(BASE + "summary:\nservices: []\nseverity:")
    assert doc.problems == []
    assert (doc.summary, doc.services, doc.severity) == ("", [], None)


def test_times_are_read_as_utc_and_durations_derived() -> None:
    doc = parse(BASE + "started: 2024-03-16 02:00\ndetected: 2024-03-16T09:00+02:00\n"
                "resolved: 2024-03-16T14:30Z")
    utc = timezone.utc
    assert doc.started == datetime(2024, 3, 16, 2, 0, tzinfo=utc)
    assert doc.detected == datetime(2024, 3, 16, 7, 0, tzinfo=utc)
    assert doc.time_to_detect == timedelta(hours=5)
    assert doc.time_to_resolve == timedelta(hours=12, minutes=30)


def test_a_time_known_only_to_the_day_gives_no_duration() -> None:
    doc = parse(BASE + "started: 2024-03-16T02:00Z\nresolved: 2024-03-17")
    assert doc.day_precision == ["resolved"]
    assert doc.resolved == datetime(2024, 3, 17, tzinfo=timezone.utc)
    assert doc.time_to_resolve is None


def test_unknown_keys_are_kept_for_tools_that_want_them() -> None:
    doc = parse(BASE + "jira: OPS-123")
    assert doc.extra == {"jira": "OPS-123"}


def test_an_action_item_due_date_that_is_not_a_date() -> None:
    # A date that cannot be: a warning (the item is still worth having), not an error.
    doc = parse(BASE, "\n## Action items\n\n- [ ] Add a canary — owner: payments, due: March 32, 2024\n")
    assert findings(doc) == [
        (9, "warning", "invalid-date", "action item due date 'March 32, 2024' is not a date; write it like 2024-05-01")
    ]
    assert doc.action_items[0].owner == "payments"
    assert doc.action_items[0].due is None


def test_an_action_item_due_placeholder_is_no_due_date_and_no_finding() -> None:
    doc = parse(BASE, "\n## Action items\n\n- [ ] Add a canary — owner: payments, due: next week\n"
                      "- [ ] Add a dashboard — owner: sre, due: TBD\n")
    assert findings(doc) == []
    assert [(a.owner, a.due) for a in doc.action_items] == [("payments", None), ("sre", None)]
