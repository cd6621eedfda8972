"""Post-mortems laid out the way other teams' tools and habits lay them out.

Documents exported from Word, Google Docs, Confluence or Notion, templates that wrap
every section in one heading, timelines written as paragraphs or with the zone in a
sentence: each test is a small document of that shape and what a reader takes from it.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
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


CONVERTED = """**Post-Incident Report: SSO logins failing after an LDAP sync change**

**Incident date:** 2024-03-03
**Severity:** 2
**Prepared by:** IT Infrastructure

**Summary**
A change to the nightly LDAP sync marked every account as disabled.

**Impact**
Nobody could sign in to internal tools for six hours.

**Root cause**
The sync read an empty group because a filter was renamed.

**Timeline**
2:00am – Weekly full sync starts
2:14am – Sync finishes; all accounts marked disabled
6:05am – First user reports being unable to log in
8:32am – Logins working again for all users

**Resolution**
The previous filter was restored and the sync run again.
"""


def test_a_document_converted_from_word_keeps_its_title_fields_sections_and_timeline() -> None:
    doc = parse(CONVERTED, "ldap-sync.md", default_kind=None)
    assert doc.title == "Post-Incident Report: SSO logins failing after an LDAP sync change"
    assert str(doc.date) == "2024-03-03" and doc.severity == 2
    assert [(s.name, s.heading) for s in doc.sections] == [
        ("summary", "Summary"), ("impact", "Impact"), ("causes", "Root cause"),
        ("timeline", "Timeline"), ("resolution", "Resolution")]
    assert doc.section("impact").text == "Nobody could sign in to internal tools for six hours."  # type: ignore[union-attr]
    assert [(e.at, e.text) for e in doc.timeline] == [
        (at(3, 2), "Weekly full sync starts"),
        (at(3, 2, 14), "Sync finishes; all accounts marked disabled"),
        (at(3, 6, 5), "First user reports being unable to log in"),
        (at(3, 8, 32), "Logins working again for all users")]
    assert doc.time_to_detect == timedelta(hours=4, minutes=5)
    assert doc.time_to_resolve == timedelta(hours=6, minutes=32)
    assert doc.summary == "A change to the nightly LDAP sync marked every account as disabled."
    assert [p.code for p in doc.problems] == []


def test_a_facts_list_at_the_top_is_read_like_front_matter() -> None:
    doc = parse("# Login limiter blocked whole offices\n\n- **Date:** 2024-07-09\n- **Severity:** P2\n"
                "- **Status:** published\n\n## Summary\n\nThe rate limiter keyed on IP.\n\n"
                "## Impact\n\nOffices behind one NAT were locked out.\n", "login.md", default_kind=None)
    assert (str(doc.date), doc.severity, doc.title) == ("2024-07-09", 2, "Login limiter blocked whole offices")
    assert doc.action_items == []


def test_plain_label_lines_at_the_top_are_fields_but_not_further_down() -> None:
    doc = parse("# Payroll ran twice\n\nDate: 2024-10-02\nSeverity: 2\n\n## Summary\n\n"
                "The scheduler ran the job twice.\n\nStatus: the team was paged twice.\n")
    assert (str(doc.date), doc.severity) == ("2024-10-02", 2)
    assert "Status: the team was paged twice." in doc.text


def test_sections_wrapped_in_one_heading_are_still_sections() -> None:
    doc = parse("# Runner disks filled up\n\n## Incident review\n\n### Summary\n\nCI runners filled their disks.\n\n"
                "### Customer impact\n\nPipelines failed for two hours.\n\n### Root cause analysis\n\n"
                "A cache was never pruned.\n\n## Lessons learned\n\n### What went well\n\nThe alert fired.\n\n"
                "### What went wrong\n\nNobody owned the cache.\n")
    assert [s.name for s in doc.sections] == ["incident-review", "summary", "impact", "causes", "lessons"]
    # Sub-headings of the same kind stay inside their section.
    assert doc.section("lessons").text == "What went well The alert fired. What went wrong Nobody owned the cache."  # type: ignore[union-attr]


def test_an_export_with_h1_sections_keeps_its_first_h1_as_the_title() -> None:
    doc = parse("# Payment outage\n\n# Summary\n\nPayments failed.\n\n# Impact\n\nNo card payments.\n")
    assert doc.title == "Payment outage"
    assert [s.name for s in doc.sections] == ["summary", "impact"]
    assert not [p for p in doc.problems if p.code == "missing-field"]


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


def test_an_outage_marker_starts_the_incident_instead_of_the_lead_up() -> None:
    doc = parse(TIMELINE.format(body=(
        "- 08:30 Nightly reindex starts\n- 09:14 Search returns nothing — **OUTAGE BEGINS**\n"
        "- 09:40 On-call engineer paged\n- 12:21 Old index restored — **OUTAGE ENDS**\n- 12:40 Incident closed")))
    assert doc.moment("started") == at(3, 9, 14)
    assert doc.time_to_detect == timedelta(minutes=26)
    assert doc.time_to_resolve == timedelta(hours=3, minutes=7)


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


def test_the_first_entry_that_tells_of_failure_starts_the_incident() -> None:
    doc = parse(TIMELINE.format(body=(
        "| Time (UTC) | Event |\n|---|---|\n| 08:30 | Reindex job starts |\n"
        "| 09:14 | Alias swapped; searches begin returning empty results |\n"
        "| 10:02 | Support escalates to on-call |\n| 12:21 | Reindex completes, incident resolved |")))
    assert (doc.moment("started"), doc.time_to_detect, doc.time_to_resolve) == (
        at(3, 9, 14), timedelta(minutes=48), timedelta(hours=3, minutes=7))


@pytest.mark.parametrize("front", ["", "started: 2024-03-03T10:00Z\n"])
def test_a_timeline_of_offsets_from_the_start(front: str) -> None:
    definition = "" if front else "Times relative to the config push (T+0 = 10:00 UTC).\n\n"
    doc = parse(f"---\ntitle: T\ndate: 2024-03-03\n{front}---\n\n## Timeline\n\n{definition}"
                "- T+0 — Flag turned on\n- T+4m — Crash alert fires\n- T+1h05m — Crash rate back to normal\n")
    assert [(e.at, e.time_text, e.text) for e in doc.timeline] == [
        (at(3, 10), "T+0", "Flag turned on"), (at(3, 10, 4), "T+4m", "Crash alert fires"),
        (at(3, 11, 5), "T+1h05m", "Crash rate back to normal")]
    assert (doc.time_to_detect, doc.time_to_resolve) == (timedelta(minutes=4), timedelta(hours=1, minutes=5))


def test_offsets_with_nothing_to_count_from_keep_their_text_and_no_time() -> None:
    doc = parse(TIMELINE.format(body="- T+0 — Flag turned on\n- T+4m — Crash alert fires"))
    assert [(e.at, e.text) for e in doc.timeline] == [(None, "Flag turned on"), (None, "Crash alert fires")]


def test_a_timeline_paragraph_with_one_entry_per_line() -> None:
    body = "14:05 - Replica lag starts to climb\n14:11 - Lag alert fires\n14:30 - Lag back to normal"
    doc = parse(TIMELINE.format(body=body))
    assert [(e.at, e.text) for e in doc.timeline] == [
        (at(3, 14, 5), "Replica lag starts to climb"), (at(3, 14, 11), "Lag alert fires"),
        (at(3, 14, 30), "Lag back to normal")]


ACTIONS = "---\ntitle: T\ndate: 2024-03-03\n---\n\n## Resolution\n\n{resolution}\n\n## Action items\n\n{actions}\n"


def test_action_items_grouped_under_detection_and_mitigation_headings_stay_action_items() -> None:
    doc = parse(ACTIONS.format(resolution="Restarted.", actions=(
        "### Detection\n\n- Alert on evaluation errors — owner: flags-team\n\n"
        "### Mitigation\n\n- Add jitter to cache expiry — owner: sdk-team\n")))
    assert [s.name for s in doc.sections] == ["resolution", "action-items"]
    assert [(a.text, a.owner) for a in doc.action_items] == [
        ("Alert on evaluation errors", "flags-team"), ("Add jitter to cache expiry", "sdk-team")]


def test_a_responders_checklist_is_not_action_items_when_there_is_an_action_items_section() -> None:
    doc = parse(ACTIONS.format(resolution="- [x] Stop all writers\n- [x] Fail over the primary",
                               actions="- [ ] Set the quorum to a majority — owner: search"))
    assert [a.text for a in doc.action_items] == ["Set the quorum to a majority"]


def test_owner_and_due_on_lines_of_their_own_and_struck_through_items() -> None:
    doc = parse(ACTIONS.format(resolution="Restarted.", actions=(
        "1. Sync runner secrets after every rotation.\n   **Owner:** Ana Lima\n   **Due:** 2024-07-26\n"
        "2. Document the secret cache. **Owner:** Kenji Sato. **Due:** 2024-07-22.\n"
        "3. ~~Rotate credentials by hand~~ — owner: security\n")))
    assert [(a.text, a.owner, str(a.due), a.done) for a in doc.action_items] == [
        ("Sync runner secrets after every rotation.", "Ana Lima", "2024-07-26", False),
        ("Document the secret cache.", "Kenji Sato", "2024-07-22", False),
        ("Rotate credentials by hand", "security", "None", True)]


def test_an_action_table_reads_the_due_column_and_a_metrics_table_is_no_action_items() -> None:
    doc = parse(ACTIONS.format(resolution="Restarted.", actions=(
        "| # | Action | Owner | Start date | Due date | Status |\n|---|---|---|---|---|---|\n"
        "| 1 | Add a lint for the quorum | search | 2024-03-01 | 2024-03-29 | In progress |\n\n"
        "### Success metrics\n\n| Metric | Target | Current |\n|---|---|---|\n| Time to detect | 5 min | 39 min |\n")))
    assert [(a.text, a.owner, str(a.due)) for a in doc.action_items] == [
        ("Add a lint for the quorum", "search", "2024-03-29")]


def test_related_may_name_files() -> None:
    doc = parse("---\ntitle: T\ndate: 2024-03-03\n"
                "related: [2024-05-02-edge.md, ../postmortems/2023-01-09-dns.md]\n---\n")
    assert doc.related == ["2024-05-02-edge", "2023-01-09-dns"]


def test_an_alert_that_did_not_fire_is_not_the_detection_and_impact_markers_count() -> None:
    doc = parse(TIMELINE.format(body=(
        "- 09:02 IMPACT START — error rate climbs\n- 09:10 Latency climbs; no alert fires\n"
        "- 09:41 Customers report failures to support\n- 11:00 IMPACT STOP\n- 11:30 Incident closed")))
    assert (doc.time_to_detect, doc.time_to_resolve) == (timedelta(minutes=39), timedelta(hours=1, minutes=58))


@pytest.mark.parametrize(("heading", "name"), [
    ("What went wrong and why?", "causes"), ("How did we respond?", "timeline"),
    ("How are we making incidents like this less likely or less impactful?", "action-items"),
    ("How can customers make incidents like this less impactful?", None),
    ("Cost analysis", None), ("Communication during the incident", None), ("Customer-facing root cause", "causes"),
])
def test_azure_style_questions_and_headings_that_only_end_like_a_section(heading: str, name: str | None) -> None:
    assert canonical_section(heading) == name


def test_dotted_dates_are_day_first() -> None:
    doc = parse("---\ntitle: T\ndate: 02.05.2024\n---\n\n## Timeline\n\n"
                "- 02.05.2024 09:05 Key rotation starts\n- 02.05.2024 09:35 Alert fires\n", "zahlung.md")
    assert str(doc.date) == "2024-05-02"
    assert [e.at for e in doc.timeline] == [datetime(2024, 5, 2, 9, 5, tzinfo=UTC),
                                            datetime(2024, 5, 2, 9, 35, tzinfo=UTC)]


def test_day_headings_inside_a_timeline_set_the_day() -> None:
    doc = parse(TIMELINE.format(body=(
        "### Tuesday 5 March\n\n- 09:00 Writes start failing\n- 16:28 Writes restored\n\n"
        "### Thursday 7 March\n\n- 10:00 Writes fail again\n- 10:30 Writes restored for good")))
    assert [e.at for e in doc.timeline] == [at(5, 9), at(5, 16, 28), at(7, 10), at(7, 10, 30)]


def test_template_leftovers_are_not_action_items() -> None:
    doc = parse(ACTIONS.format(resolution="Restarted.", actions=(
        "- [ ] Make consumers idempotent — owner: payments\n- [ ] TODO\n- [ ] <!-- add more -->\n")))
    assert [a.text for a in doc.action_items] == ["Make consumers idempotent"]


def test_german_and_spanish_headings_and_date_lines() -> None:
    german = parse("# Störung der Zahlungs-API\n\n**Datum:** 02.05.2024\n\n## Zusammenfassung\n\nZahlungen schlugen "
                   "fehl.\n\n## Auswirkungen\n\n75 Minuten.\n\n## Ursache\n\nEin Zertifikat.\n\n## Maßnahmen\n\n"
                   "- [ ] Kette prüfen — owner: plattform\n", "zahlung.md", default_kind=None)
    assert str(german.date) == "2024-05-02"
    assert [s.name for s in german.sections] == ["summary", "impact", "causes", "action-items"]
    spanish = parse("---\ntitle: T\ndate: 2024-05-02\n---\n\n## Resumen\n\nx\n\n## Causa raíz\n\ny\n\n"
                    "## Cronología\n\n- 09:00 Empieza\n")
    assert [s.name for s in spanish.sections] == ["summary", "causes", "timeline"]


@pytest.mark.parametrize(("day", "utc_hour"), [("2024-07-10", 16), ("2024-01-10", 17)])
def test_pacific_time_follows_summer_time(day: str, utc_hour: int) -> None:
    doc = parse(f"---\ntitle: T\ndate: {day}\n---\n\n## Timeline (all times Pacific Time)\n\n- 09:00 Errors start\n")
    assert doc.timeline[0].at is not None and doc.timeline[0].at.hour == utc_hour


def test_a_newest_first_timeline_keeps_its_day() -> None:
    doc = parse(TIMELINE.format(body=(
        "- 11:04 Resolved — service restored\n- 10:48 Monitoring — a fix is out\n"
        "- 10:35 Identified — a bad config\n- 10:20 Investigating — alerts fire for login errors")))
    assert [e.at for e in doc.timeline] == [at(3, 11, 4), at(3, 10, 48), at(3, 10, 35), at(3, 10, 20)]
    assert (doc.time_to_detect, doc.time_to_resolve) == (None, timedelta(minutes=44))


def test_a_heading_with_a_non_breaking_space_is_named_and_a_due_date_without_year_says_so() -> None:
    doc = parse("---\ntitle: T\ndate: 2024-01-01\n---\n\n##\u00a0Impact\n\nSlow.\n\n## Action items\n\n"
                "- [ ] Fix it — owner: sre, due: May 31st\n")
    assert [(p.line, p.level.value, p.code) for p in doc.problems] == [
        (6, "warning", "not-a-heading"), (12, "warning", "invalid-date")]
    assert "has no year" in doc.problems[1].message
    assert doc.section("impact") is None  # as GitHub and the site read it


def test_hours_without_minutes_and_noon_and_midnight() -> None:
    doc = parse(TIMELINE.format(body=(
        "- 11:40 Deploy starts\n- noon — Errors start\n- 2pm – Alert fires\n- 11:30 pm Fix deployed\n"
        "- midnight — Service restored\n- 3 PMs join the call later")))
    assert [e.at for e in doc.timeline[:5]] == [at(3, 11, 40), at(3, 12), at(3, 14), at(3, 23, 30), at(4, 0)]
    assert doc.timeline[5].at is None and doc.timeline[5].text == "3 PMs join the call later"
