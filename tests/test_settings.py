"""A team's settings for `lessons check`: lessons.toml, [tool.lessons], overrides, inline comments."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from click.testing import Result

import lessons
from lessons.checks.rules import CheckOptions, check
from lessons.checks.settings import find_settings, glob_pattern, load_settings
from lessons.errors import Problem

TODAY = date(2026, 11, 26)
NUMBERED = Path(__file__).parent / "data" / "foreign" / "numbered-folder"

# A post-mortem whose action item has no owner and which lacks an Impact section.
OWNERLESS = """---
title: Queue consumers stall after a broker upgrade
date: 2024-05-01
---

## Summary

Consumers stopped.

## Root cause

An untested upgrade.

## Resolution

The upgrade was rolled back.

## Action items

- [ ] Test broker upgrades in staging
"""


def run(content: Path, **options: object) -> list[Problem]:
    return check(lessons.load(content), CheckOptions(today=TODAY, duplicate_threshold=None, **options))  # type: ignore[arg-type]


def codes(problems: list[Problem], name: str | None = None) -> list[tuple[str, str]]:
    return [(p.code, p.level.value) for p in problems if name is None or p.path.name == name]


@pytest.fixture
def repo(tmp_path: Path, content_dir: Path) -> Path:
    """A repository: .git, the content folder as content/, one post-mortem with two findings."""
    root = tmp_path / "repo"
    root.mkdir()
    (root / ".git").mkdir()
    shutil.move(content_dir, root / "content")
    (root / "content" / "postmortems" / "2024-05-01-queue.md").write_text(OWNERLESS, encoding="utf-8")
    return root


def test_without_settings_the_default_levels_apply(repo: Path) -> None:
    assert codes(run(repo / "content"), "2024-05-01-queue.md") == [("missing-section", "warning"),
                                                                   ("action-item-owner", "warning")]


def test_lessons_toml_at_the_repository_root_switches_rules_off_and_changes_levels(repo: Path) -> None:
    (repo / "lessons.toml").write_text('[rules]\naction-item-owner = "off"\nmissing-section = "error"\n',
                                       encoding="utf-8")
    assert find_settings(repo / "content") == repo / "lessons.toml"
    assert codes(run(repo / "content"), "2024-05-01-queue.md") == [("missing-section", "error")]


def test_pyproject_tool_lessons_is_read_and_a_pyproject_without_it_is_passed_over(repo: Path) -> None:
    (repo / "content" / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    (repo / "pyproject.toml").write_text('[project]\nname = "kb"\n\n[tool.lessons.rules]\n'
                                         'action-item-owner = "info"\n', encoding="utf-8")
    assert find_settings(repo / "content") == repo / "pyproject.toml"
    assert ("action-item-owner", "info") in codes(run(repo / "content"), "2024-05-01-queue.md")


def test_settings_above_the_repository_are_not_used(tmp_path: Path, repo: Path) -> None:
    (tmp_path / "lessons.toml").write_text('[rules]\naction-item-owner = "off"\n', encoding="utf-8")
    assert find_settings(repo / "content") is None
    shutil.rmtree(repo / ".git")
    assert find_settings(repo / "content") == tmp_path / "lessons.toml"


def test_required_sections_are_the_teams_choice(repo: Path) -> None:
    (repo / "lessons.toml").write_text(
        '[rules]\nmissing-section = { level = "warning", sections = ["summary", "timeline", "Action items"] }\n',
        encoding="utf-8")
    found = [p for p in run(repo / "content") if p.path.name == "2024-05-01-queue.md" and p.code == "missing-section"]
    assert [p.message for p in found] == ["published post-mortem has no Timeline section (add it, or set "
                                          "`status: draft`)"]


def test_overrides_apply_to_matching_paths_only(repo: Path) -> None:
    legacy = repo / "content" / "postmortems" / "legacy"
    legacy.mkdir()
    (legacy / "2019-01-02-old.md").write_text(OWNERLESS, encoding="utf-8")
    (repo / "lessons.toml").write_text(
        '[rules]\naction-item-owner = "info"\n\n[[overrides]]\npaths = ["postmortems/legacy/**"]\n'
        'rules = { missing-section = "off", action-item-owner = "off" }\n', encoding="utf-8")
    problems = run(repo / "content")
    assert codes(problems, "2019-01-02-old.md") == []
    assert codes(problems, "2024-05-01-queue.md") == [("missing-section", "warning"), ("action-item-owner", "info")]


def test_globs_match_names_and_folders() -> None:
    assert glob_pattern("legacy/**").fullmatch("legacy/a/b.md")
    assert glob_pattern("**/PM2019-*").fullmatch("content/postmortems/PM2019-001 - x.md")
    assert glob_pattern("**/PM2019-*").fullmatch("PM2019-001.md")
    assert not glob_pattern("postmortems/*.md").fullmatch("postmortems/old/a.md")


def test_an_inline_comment_silences_one_rule_in_one_file(repo: Path) -> None:
    text = OWNERLESS.replace("## Summary", "<!-- lessons-disable missing-section -->\n\n## Summary")
    (repo / "content" / "postmortems" / "2024-05-01-queue.md").write_text(text, encoding="utf-8")
    (repo / "content" / "postmortems" / "2024-05-02-other.md").write_text(
        OWNERLESS.replace("2024-05-01", "2024-05-02"), encoding="utf-8")
    problems = run(repo / "content")
    assert codes(problems, "2024-05-01-queue.md") == [("action-item-owner", "warning")]
    assert ("missing-section", "warning") in codes(problems, "2024-05-02-other.md")


def test_an_unknown_rule_in_a_comment_is_a_finding_with_the_closest_rule(repo: Path) -> None:
    text = OWNERLESS.replace("## Summary", "<!-- lessons-disable missing-sections -->\n\n## Summary")
    (repo / "content" / "postmortems" / "2024-05-01-queue.md").write_text(text, encoding="utf-8")
    found = [p for p in run(repo / "content") if p.code == "settings"]
    assert [(p.path.name, p.line, p.message) for p in found] == [
        ("2024-05-01-queue.md", 6, "unknown rule 'missing-sections' in lessons-disable — did you mean "
         "'missing-section'?")]


def test_mistakes_in_the_settings_are_errors_naming_file_line_and_the_closest_name(repo: Path) -> None:
    (repo / "lessons.toml").write_text(
        '# our rules\n[rules]\naction-item-owners = "off"\nmissing-section = "warn"\nduplicate-id = "off"\n\n'
        '[[overrides]]\npaths = ["legacy/**"]\nrules = { file-name-idd = "off" }\n\n[rulez]\n',
        encoding="utf-8")
    found = [(p.path.name, p.line, p.level.value, p.message) for p in run(repo / "content") if p.code == "settings"]
    assert sorted(found) == [
        ("lessons.toml", 3, "error", "unknown rule 'action-item-owners' — did you mean 'action-item-owner'?"),
        ("lessons.toml", 4, "error", "missing-section: expected one of off, info, warning, error, got 'warn' — "
         "did you mean 'warning'?"),
        ("lessons.toml", 5, "error", "rule 'duplicate-id' cannot be changed: it means content would be left "
         "out or unsafe"),
        ("lessons.toml", 9, "error", "unknown rule 'file-name-idd' — did you mean 'file-name-id'?"),
        ("lessons.toml", 11, "error", "unknown key 'rulez' — did you mean 'rules'?"),
    ]


def test_settings_that_are_not_toml_are_one_error_and_the_defaults_apply(repo: Path) -> None:
    (repo / "lessons.toml").write_text('[rules]\naction-item-owner = off\n', encoding="utf-8")
    settings = load_settings(repo / "lessons.toml")
    assert [(p.line, p.code) for p in settings.problems] == [(2, "settings")]
    assert "not valid TOML" in settings.problems[0].message
    assert ("action-item-owner", "warning") in codes(run(repo / "content"), "2024-05-01-queue.md")


def test_an_unknown_section_name_is_an_error_with_the_closest(repo: Path) -> None:
    (repo / "lessons.toml").write_text('[rules.missing-section]\nsections = ["sumary", "impact"]\n',
                                       encoding="utf-8")
    found = [(p.line, p.message) for p in run(repo / "content") if p.code == "settings"]
    assert found == [(2, "missing-section: unknown section 'sumary' — did you mean 'summary'? (sections are "
                         "summary, impact, timeline, causes, detection, resolution, lessons, action-items)")]


def test_the_cli_reads_a_named_settings_file_and_explains_rules(
        repo: Path, tmp_path: Path, cli: Callable[..., Result]) -> None:
    elsewhere = tmp_path / "team.toml"
    elsewhere.write_text('[rules]\naction-item-owner = "error"\n', encoding="utf-8")
    result = cli("check", "--content", repo / "content", "--settings", elsewhere, "--today", "2026-11-26",
                 "--duplicate-threshold", "1")
    assert result.exit_code == 1
    assert "error action-item-owner action item has no owner" in result.output
    explained = cli("check", "--explain", "missing-section")
    assert explained.exit_code == 0
    assert explained.output.startswith("missing-section (warning)\n")
    assert "[rules.missing-section] sections" in explained.output
    wrong = cli("check", "--explain", "missing-sections")
    assert wrong.exit_code == 2
    assert "did you mean 'missing-section'?" in wrong.stderr


def test_the_site_build_uses_the_settings(repo: Path) -> None:
    from lessons.mkdocs.site import ContentInvalid, Site

    (repo / "lessons.toml").write_text('[rules]\naction-item-owner = "error"\n', encoding="utf-8")
    with pytest.raises(ContentInvalid, match="action item has no owner"):
        Site.load(repo / "content", today=TODAY)


def test_a_disable_comment_shown_as_an_example_switches_nothing_off(repo: Path) -> None:
    # A post-mortem that quotes the comment (in a fence and in backticks) still gets its finding.
    example = ("Silence a rule with `<!-- lessons-disable missing-section -->`, for instance:\n\n"
               "```markdown\n<!-- lessons-disable missing-section -->\n```\n\n## Summary")
    (repo / "content" / "postmortems" / "2024-05-01-queue.md").write_text(
        OWNERLESS.replace("## Summary", example), encoding="utf-8")
    problems = run(repo / "content")
    assert ("missing-section", "warning") in codes(problems, "2024-05-01-queue.md")
