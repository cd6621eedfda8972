"""`lessons check`: notes written as action items, and the placeholder site address."""

from __future__ import annotations

from pathlib import Path

import pytest

import lessons
from lessons.checks.publishing import is_not_an_action
from lessons.checks.rules import check


@pytest.mark.parametrize("text", [
    "No engineering follow-up actions have been made public",
    "Action items were not published",
    "No remediation steps were disclosed publicly",
    "None",
    "N/A",
    "No further action required.",
    "Es wurden keine Maßnahmen veröffentlicht",
    "No se han publicado acciones",
    "Aucune action n'a été publiée",
])
def test_notes_about_unpublished_or_absent_actions_are_not_actions(text: str) -> None:
    assert is_not_an_action(text)


@pytest.mark.parametrize("text", [
    "Add a canary stage to the rollout",
    "Do not publish internal host names in status updates",
    "Analyse the issue and push for accountability (no outcome has been published)",
    "Ensure no secrets leak into logs",
    "Publish the post-mortem on the status page",
])
def test_real_actions_are_left_alone(text: str) -> None:
    assert not is_not_an_action(text)


def test_check_warns_at_the_line_of_the_note(tmp_path: Path) -> None:
    folder = tmp_path / "kb" / "postmortems"
    folder.mkdir(parents=True)
    (folder / "a.md").write_text(
        "---\ntitle: A\ndate: 2024-01-02\nstatus: draft\n---\n# A\n\n## Action items\n\n"
        "- [ ] Add an alert — owner: sre\n"
        "- [ ] No engineering follow-up actions have been made public — owner: Example Ltd\n",
        encoding="utf-8")
    found = [p for p in check(lessons.load(tmp_path / "kb")) if p.code == "not-an-action"]
    assert [(p.path.name, p.line, p.level.value) for p in found] == [("a.md", 11, "warning")]
    assert "made public" in found[0].message
