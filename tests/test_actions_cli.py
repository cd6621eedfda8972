"""`lessons actions`, `KnowledgeBase.action_items` filters and tracker references."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from click.testing import Result

import lessons
from lessons.checks.rules import CheckOptions, check
from lessons.mkdocs.insights import action_items as action_items_page
from lessons.parsing.parse import parse_text

TRACKED = """---
title: Checkout fails after a config push
date: 2025-02-03
services: [checkout]
causes: [configuration-error]
---

## Action items

- [ ] Validate routing rules before a push (OPS-123) — owner: traffic, due: 2025-03-01
- [ ] Roll routing out one region at a time [PLAT-7](https://linear.example.com/team/issue/PLAT-7) — owner: traffic
- [x] Restore the old rule from version control — owner: sre, https://github.com/example/infra/issues/42.
- [ ] Move to SHA-256 checksums for the rule files — owner: sre, due: 2031-01-01

| Action | Owner | Due | Ticket |
|---|---|---|---|
| Page the traffic team on 5xx | traffic | 2025-02-20 | OPS-9 |
"""


@pytest.fixture
def tracked_dir(content_dir: Path) -> Path:
    (content_dir / "postmortems" / "2025-02-03-checkout-config.md").write_text(TRACKED, encoding="utf-8")
    return content_dir


def test_tracker_references_are_read_from_items_and_rows() -> None:
    doc = parse_text(TRACKED, Path("content/postmortems/2025-02-03-checkout-config.md"))
    assert doc is not None
    assert [(item.text, item.tracker) for item in doc.action_items] == [
        ("Validate routing rules before a push (OPS-123)", "OPS-123"),
        ("Roll routing out one region at a time PLAT-7", "https://linear.example.com/team/issue/PLAT-7"),
        ("Restore the old rule from version control", "https://github.com/example/infra/issues/42"),
        ("Move to SHA-256 checksums for the rule files", None),  # a standard, not an issue key
        ("Page the traffic team on 5xx", "OPS-9"),
    ]


def test_the_tracker_survives_the_index(tracked_dir: Path) -> None:
    lessons.load(tracked_dir).close()
    reopened = lessons.load(tracked_dir)  # documents now come from the index, not the parser
    doc = reopened.get("2025-02-03-checkout-config")
    assert doc.action_items[0].tracker == "OPS-123"


def test_action_items_filters(tracked_dir: Path) -> None:
    kb = lessons.load(tracked_dir)
    today = date(2025, 6, 1)
    assert [i.text for i in kb.action_items(status="open", overdue=True, today=today)] == [
        "Page the traffic team on 5xx", "Validate routing rules before a push (OPS-123)"]
    assert {i.document_id for i in kb.action_items(service="Checkout")} == {"2025-02-03-checkout-config"}
    assert [i.owner for i in kb.action_items(owner="SRE")] == ["sre", "sre"]
    since = kb.action_items(since="2024-01-01")
    assert {i.document_id for i in since} == {"2025-02-03-checkout-config", "2024-03-16-contactless-payments-update"}
    assert kb.action_items(since=date(2026, 1, 1)) == []
    with pytest.raises(lessons.LessonsError, match="since must be a date"):
        kb.action_items(since="last year")


def test_actions_json_with_tracker_links_from_the_settings(tracked_dir: Path, cli: Callable[..., Result]) -> None:
    (tracked_dir / "lessons.toml").write_text(
        '[trackers]\nOPS = "https://jira.example.com/browse/{key}"\n', encoding="utf-8")
    result = cli("actions", "--open", "--service", "checkout", "--json", "--today", "2025-06-01",
                 "--content", tracked_dir)
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [(r["text"], r["overdue"], r["tracker"], r["tracker_url"]) for r in rows] == [
        ("Page the traffic team on 5xx", True, "OPS-9", "https://jira.example.com/browse/OPS-9"),
        ("Validate routing rules before a push (OPS-123)", True, "OPS-123", "https://jira.example.com/browse/OPS-123"),
        ("Move to SHA-256 checksums for the rule files", False, None, None),
        ("Roll routing out one region at a time PLAT-7", False, "https://linear.example.com/team/issue/PLAT-7",
         "https://linear.example.com/team/issue/PLAT-7"),
    ]
    assert rows[0]["document_id"] == "2025-02-03-checkout-config" and rows[0]["line"] == 17
    assert rows[0]["path"].endswith("postmortems/2025-02-03-checkout-config.md")


def test_actions_table_overdue_owner(tracked_dir: Path, cli: Callable[..., Result]) -> None:
    result = cli("actions", "--overdue", "--owner", "traffic", "--today", "2025-06-01", "--content", tracked_dir)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 4  # two items, two lines each
    assert lines[0].split() == ["2025-02-20", "OVERDUE", "traffic", "Page", "the", "traffic", "team", "on", "5xx"]
    assert "2025-02-03-checkout-config" in lines[1] and lines[1].rstrip().endswith("OPS-9")
    assert cli("actions", "--owner", "nobody", "--content", tracked_dir).stdout.strip() == "No action items match."


def test_actions_bad_since_is_one_line(tracked_dir: Path, cli: Callable[..., Result]) -> None:
    result = cli("actions", "--since", "yesterday", "--content", tracked_dir)
    assert result.exit_code == 2
    assert result.stderr.strip() == "error: since must be a date like 2020-01-31, not 'yesterday'"


def test_bad_tracker_settings_are_findings(tracked_dir: Path) -> None:
    (tracked_dir / "lessons.toml").write_text(
        '[trackers]\nOPS = "jira.example.com/browse/OPS"\nops = "https://x.example/{key}"\n', encoding="utf-8")
    found = [p for p in check(lessons.load(tracked_dir), CheckOptions(today=date(2025, 6, 1)))
             if p.code == "settings"]
    assert [(p.line, p.message.split(":")[1].split()[0]) for p in found] == [(2, "OPS"), (3, "'ops'")]


def test_the_site_links_tracked_items(tracked_dir: Path) -> None:
    (tracked_dir / "lessons.toml").write_text(
        '[trackers]\nOPS = "https://jira.example.com/browse/{key}"\n', encoding="utf-8")
    page = action_items_page(lessons.load(tracked_dir), today=date(2025, 6, 1))
    # The key the item's text names becomes the link, in place: it is not shown a second time.
    assert "before a push &#40;[OPS-123](https://jira.example.com/browse/OPS-123)&#41; |" in page
    assert page.count("OPS-123") == 2  # the link's text and its address
    # A key from a table's ticket column, which the text does not name, follows the text.
    assert "Page the traffic team on 5xx ([OPS-9](https://jira.example.com/browse/OPS-9)) |" in page
    # A key without a pattern is shown once, not linked.
    (tracked_dir / "lessons.toml").unlink()
    page = action_items_page(lessons.load(tracked_dir), today=date(2025, 6, 1))
    assert "browse/OPS-123" not in page and page.count("OPS-123") == 1
    assert "Page the traffic team on 5xx (OPS-9) |" in page
