"""Recurrence: a post-mortem that shares a cause and a service with an earlier one in the window."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from click.testing import Result

import lessons
from lessons.checks.recurrence import recurrences
from lessons.checks.rules import CheckOptions, check
from lessons.errors import Level
from lessons.mkdocs.insights import insights

EARLIER = "2024-03-16-contactless-payments-update"  # tests/data/kb: incomplete-testing, payments + store-tills


def _postmortem(content: Path, name: str, day: str, *, services: str = "store-tills",
                causes: str = "incomplete-testing", organization: str = "Example Retail") -> Path:
    path = content / "postmortems" / f"{name}.md"
    path.write_text(f"""---
title: Till update breaks card payments again ({name})
date: {day}
organization: {organization}
services: [{services}]
causes: [{causes}]
---

## Summary

A till update reached every store and card payments failed until it was rolled back.

## Action items

- [ ] Test till updates with every card reader model — owner: store-platform
""", encoding="utf-8")
    return path


def _recurrence_findings(kb: lessons.KnowledgeBase, today: str = "2024-12-01", **options: object) -> list:
    found = check(kb, CheckOptions(today=date.fromisoformat(today), **options))  # type: ignore[arg-type]
    return [p for p in found if p.code == "recurrence"]


def test_a_repeat_within_the_window_names_the_earlier_incident_and_its_action_items(content_dir: Path) -> None:
    again = _postmortem(content_dir, "2024-09-10-tills-again", "2024-09-10")
    [finding] = _recurrence_findings(lessons.load(content_dir))
    assert finding.path == again and finding.line == 6  # the `causes:` line
    assert finding.level is Level.WARNING
    assert finding.message.startswith(
        f"shares cause incomplete-testing and service store-tills with {EARLIER}, 178 days earlier; ")
    assert "done: Add a contactless card reader to the test bench — did it hold?" in finding.message
    assert "open: Roll out till updates to ten pilot stores first (due 2031-01-31)" in finding.message


def test_a_third_time_is_one_finding_naming_the_latest_and_counting_the_rest(content_dir: Path) -> None:
    _postmortem(content_dir, "2024-09-10-tills-again", "2024-09-10")
    third = _postmortem(content_dir, "2024-10-01-tills-third", "2024-10-01")
    findings = _recurrence_findings(lessons.load(content_dir))
    # One per later post-mortem, never one per pair: the first repeat, and the third time.
    assert len(findings) == 2
    [on_third] = [f for f in findings if f.path == third]
    assert "with 2024-09-10-tills-again, 21 days earlier (and 1 more within 365 days);" in on_third.message
    assert "open: Test till updates with every card reader model" in on_third.message


def test_no_recurrence_outside_the_window_for_another_service_cause_or_organisation(content_dir: Path) -> None:
    _postmortem(content_dir, "2025-06-01-tills-much-later", "2025-06-01")  # 442 days after
    _postmortem(content_dir, "2024-05-01-other-service", "2024-05-01", services="loyalty")
    _postmortem(content_dir, "2024-05-02-other-cause", "2024-05-02", causes="dependency-problem")
    _postmortem(content_dir, "2024-05-03-other-company", "2024-05-03", organization="Another Shop")
    assert _recurrence_findings(lessons.load(content_dir), today="2025-07-01") == []


def test_an_incident_found_only_later_is_not_an_earlier_one(content_dir: Path) -> None:
    """Cloudbleed began in September and was found in February: it taught nothing to January."""
    found_late = _postmortem(content_dir, "2024-01-10-latent-till-fault", "2024-01-10")
    found_late.write_text(found_late.read_text(encoding="utf-8").replace(
        "causes:", "detected: 2024-05-01T09:00Z\ncauses:"), encoding="utf-8")
    findings = _recurrence_findings(lessons.load(content_dir))
    # The March incident does not repeat a fault nobody knew of until May.
    assert [f.path.name for f in findings] == []


def test_the_window_comes_from_the_settings(content_dir: Path) -> None:
    _postmortem(content_dir, "2024-09-10-tills-again", "2024-09-10")
    (content_dir / "lessons.toml").write_text("[rules]\nrecurrence = { days = 100 }\n", encoding="utf-8")
    assert _recurrence_findings(lessons.load(content_dir)) == []
    (content_dir / "lessons.toml").write_text("[rules]\nrecurrence = { days = 200 }\n", encoding="utf-8")
    assert len(_recurrence_findings(lessons.load(content_dir))) == 1


def test_a_wrong_window_is_a_settings_finding(content_dir: Path) -> None:
    (content_dir / "lessons.toml").write_text('[rules]\nrecurrence = { days = "a year" }\n', encoding="utf-8")
    found = check(lessons.load(content_dir), CheckOptions(today=date(2024, 12, 1)))
    [problem] = [p for p in found if p.code == "settings"]
    assert problem.line == 2 and "`days` must be a whole number of days" in problem.message


def test_an_old_recurrence_is_history_reported_as_information(content_dir: Path) -> None:
    """A team adopting lessons with years of incidents is not handed a wall of warnings."""
    _postmortem(content_dir, "2024-09-10-tills-again", "2024-09-10")
    [finding] = _recurrence_findings(lessons.load(content_dir), today="2026-11-26")
    assert finding.level is Level.INFO


def test_only_the_files_asked_about_are_judged(content_dir: Path, cli: Callable[..., Result]) -> None:
    again = _postmortem(content_dir, "2024-09-10-tills-again", "2024-09-10")
    third = _postmortem(content_dir, "2024-10-01-tills-third", "2024-10-01")
    result = cli("check", third, "--content", content_dir, "--today", "2024-12-01")
    lines = [line for line in result.stdout.splitlines() if " recurrence " in line]
    assert len(lines) == 1 and lines[0].startswith(f"{third}:6:1: warning recurrence shares cause")
    assert str(again) not in result.stdout
    assert result.exit_code == 0  # a warning: fails only with --strict
    assert cli("check", third, "--content", content_dir, "--today", "2024-12-01", "--strict").exit_code == 1


def test_the_insights_page_lists_recurrences(content_dir: Path) -> None:
    _postmortem(content_dir, "2024-09-10-tills-again", "2024-09-10")
    kb = lessons.load(content_dir)
    [found] = recurrences(kb)
    assert (found.later.id, found.previous.id, found.days_between) == ("2024-09-10-tills-again", EARLIER, 178)
    page = insights(kb, today=date(2024, 12, 1))
    section = page[page.index("## Recurrences"):]
    row = next(line for line in section.splitlines() if "2024-09-10-tills-again" in line)
    assert EARLIER in row and "| 178 |" in row and "Incomplete testing, store-tills" in row and "1 of 2" in row


def test_the_recurrence_code_is_explained(cli: Callable[..., Result]) -> None:
    result = cli("check", "--explain", "recurrence")
    assert result.exit_code == 0 and "did they hold?" in result.stdout
