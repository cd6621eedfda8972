"""`lessons check` on the command line: output formats, exit codes, --fail-on, PATHS."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

import lessons

Cli = Callable[..., Result]
TODAY = ("--today", "2026-11-26")

# An error (unknown cause, line 5) and a warning (unknown key, line 6).
BROKEN = """\
---
title: Elevator firmware reboots every lift in the head office
date: 2025-02-03
id: 2025-02-03-elevator-firmware
causes: [hardwre-failure]
flavour: vanilla
---

## Summary

Lift controllers restarted in a loop after the vendor's firmware arrived.

## Impact

Staff climbed stairs for most of a Monday.

## Contributing factors

The vendor shipped firmware that watchdog timers misread.

## Resolution

Technicians flashed the earlier firmware by hand.
"""
ERROR_LINE = ("postmortems/2025-02-03-elevator-firmware.md:5:1: error unknown-cause "
              "unknown cause 'hardwre-failure'")
WARNING_LINE = ("postmortems/2025-02-03-elevator-firmware.md:6:1: warning unknown-key "
                "unknown front-matter key 'flavour'")


@pytest.fixture
def inside(content_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Work from inside the content folder, so reported paths are relative to it."""
    monkeypatch.chdir(content_dir)
    monkeypatch.delenv("LESSONS_PATH", raising=False)
    return content_dir


def write_broken(content_dir: Path, text: str = BROKEN) -> Path:
    path = content_dir / "postmortems" / "2025-02-03-elevator-firmware.md"
    path.write_text(text, encoding="utf-8")
    return path


def test_clean_knowledge_base_exits_0(cli: Cli, inside: Path) -> None:
    result = cli("check", "--content", ".", *TODAY)
    assert (result.exit_code, result.output) == (0, "6 files checked, no problems\n")


def test_text_format_names_file_line_column_level_code_and_message(cli: Cli, inside: Path) -> None:
    write_broken(inside)
    result = cli("check", "--content", ".", *TODAY)
    assert result.exit_code == 1
    assert result.output.splitlines() == [ERROR_LINE, WARNING_LINE, "7 files checked, 1 error, 1 warning"]


def test_json_format(cli: Cli, inside: Path) -> None:
    write_broken(inside)
    result = cli("check", "--content", ".", "--format", "json", *TODAY)
    assert result.exit_code == 1
    assert json.loads(result.output) == [
        {"path": "postmortems/2025-02-03-elevator-firmware.md", "line": 5, "column": 1,
         "level": "error", "code": "unknown-cause", "message": "unknown cause 'hardwre-failure'"},
        {"path": "postmortems/2025-02-03-elevator-firmware.md", "line": 6, "column": 1,
         "level": "warning", "code": "unknown-key", "message": "unknown front-matter key 'flavour'"},
    ]


def test_json_format_of_a_clean_knowledge_base_is_an_empty_list(cli: Cli, inside: Path) -> None:
    result = cli("check", "--content", ".", "--format", "json", *TODAY)
    assert result.exit_code == 0
    assert json.loads(result.output) == []


def test_github_annotations(cli: Cli, inside: Path) -> None:
    write_broken(inside)
    result = cli("check", "--content", ".", "--format", "github", *TODAY)
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "::error file=postmortems/2025-02-03-elevator-firmware.md,line=5,col=1,title=unknown-cause::"
        "unknown cause 'hardwre-failure'",
        "::warning file=postmortems/2025-02-03-elevator-firmware.md,line=6,col=1,title=unknown-key::"
        "unknown front-matter key 'flavour'",
    ]


@pytest.mark.parametrize(
    ("fail_on", "with_error", "exit_code"),
    [
        ("error", True, 1), ("error", False, 0),
        ("warning", True, 1), ("warning", False, 1),
        ("info", False, 1),
        ("never", True, 0),
    ],
)
def test_fail_on(cli: Cli, inside: Path, fail_on: str, with_error: bool, exit_code: int) -> None:
    write_broken(inside, BROKEN if with_error else BROKEN.replace("hardwre-failure", "dependency-problem"))
    result = cli("check", "--content", ".", "--fail-on", fail_on, *TODAY)
    assert result.exit_code == exit_code
    assert (ERROR_LINE in result.output) is with_error
    assert WARNING_LINE in result.output


def test_default_fail_on_is_error(cli: Cli, inside: Path) -> None:
    write_broken(inside, BROKEN.replace("hardwre-failure", "dependency-problem"))
    assert cli("check", "--content", ".", *TODAY).exit_code == 0


def test_overdue_is_judged_against_today(cli: Cli, inside: Path) -> None:
    item = "\n## Action items\n\n- [ ] Test firmware on one lift first — owner: facilities, due: 2025-06-01\n"
    write_broken(inside, BROKEN.replace("hardwre-failure", "dependency-problem").replace("flavour: vanilla\n", "")
                 + item)
    overdue = ("postmortems/2025-02-03-elevator-firmware.md:26:1: warning overdue-action action item was "
               "due 2025-06-01 and is still open: 'Test firmware on one lift first'")
    assert overdue in cli("check", "--content", ".", "--today", "2025-06-02").output
    assert overdue not in cli("check", "--content", ".", "--today", "2025-06-01").output


def test_paths_limit_what_is_reported_but_ids_are_checked_against_everything(cli: Cli, inside: Path) -> None:
    write_broken(inside)
    other = inside / "postmortems" / "2025-03-01-badge-readers.md"
    other.write_text(
        "---\ntitle: Badge readers reject every card after a certificate rotation\ndate: 2025-03-01\n"
        "related: [2025-02-03-elevator-firmware, 2022-11-02-certificate-expiry]\n---\n\n## Summary\n\n"
        "Doors stayed locked.\n\n## Impact\n\nVisitors waited outside.\n\n## Root cause\n\n"
        "An intermediate certificate was missing.\n\n## Resolution\n\nThe chain was reinstalled.\n"
    )
    result = cli("check", "--content", ".", *TODAY, "postmortems/2025-03-01-badge-readers.md")
    assert (result.exit_code, result.output) == (0, "8 files checked, no problems\n")
    result = cli("check", "--content", ".", *TODAY, "postmortems/")
    assert result.output.splitlines()[:2] == [ERROR_LINE, WARNING_LINE]
    result = cli("check", "--content", ".", *TODAY, "practices")
    assert (result.exit_code, result.output) == (0, "8 files checked, no problems\n")


def test_summary_counts_findings_the_settings_switched_off(cli: Cli, inside: Path) -> None:
    # "no problems" after a team switched rules off would read as if nothing had been found.
    write_broken(inside)
    (inside / "lessons.toml").write_text('[rules]\nunknown-key = "off"\n', encoding="utf-8")
    result = cli("check", "--content", ".", *TODAY)
    assert result.output.splitlines()[-2:] == [ERROR_LINE, "7 files checked, 1 error (1 more switched off by settings)"]
    (inside / "lessons.toml").unlink()
    write_broken(inside, BROKEN.replace("hardwre-failure", "configuration-error")
                 + "\n<!-- lessons-disable unknown-key -->\n")
    result = cli("check", "--content", ".", *TODAY)
    assert result.output.splitlines() == ["7 files checked, no problems (1 finding switched off by settings)"]
    # Only the files reported on count.
    result = cli("check", "--content", ".", *TODAY, "practices")
    assert (result.exit_code, result.output) == (0, "7 files checked, no problems\n")
    assert json.loads(cli("check", "--content", ".", *TODAY, "--format", "json").output) == []


def test_paths_find_the_content_folder_of_the_project(
    cli: Cli, content_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = content_dir.parent / "project"
    project.mkdir()
    content_dir.rename(project / "content")
    write_broken(project / "content")
    monkeypatch.chdir(project)
    monkeypatch.delenv("LESSONS_PATH", raising=False)
    result = cli("check", *TODAY, "content/postmortems/2025-02-03-elevator-firmware.md")
    assert result.exit_code == 1
    assert result.output.splitlines() == [f"content/{ERROR_LINE}", f"content/{WARNING_LINE}",
                                          "7 files checked, 1 error, 1 warning"]


def test_lessons_path_names_the_content_folder(cli: Cli, content_dir: Path, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("LESSONS_PATH", str(content_dir))
    result = cli("check", *TODAY)
    assert (result.exit_code, result.output) == (0, "6 files checked, no problems\n")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--content", "no-such-folder"), "error: no-such-folder is not a folder"),
        (("--format", "xml"), "Invalid value for '--format'"),
        (("--fail-on", "sometimes"), "Invalid value for '--fail-on'"),
        (("--today", "26/11/2026"), "Invalid value for '--today'"),
        (("no-such-file.md",), "Invalid value for '[PATHS]...': Path 'no-such-file.md' does not exist."),
    ],
)
def test_usage_and_runtime_errors_exit_2(cli: Cli, inside: Path, args: tuple[str, ...], message: str) -> None:
    result = cli("check", *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr + result.output


def test_no_knowledge_base_found_exits_2(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("LESSONS_PATH", raising=False)
    result = cli("check")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: no knowledge base found at or above {tmp_path.resolve()}")


def test_check_has_help_with_an_example(cli: Cli) -> None:
    result = cli("check", "--help")
    assert result.exit_code == 0
    assert "Example:" in result.output
    for option in ("--format", "--fail-on", "--today", "--content"):
        assert option in result.output


FOREIGN = """# Postmortem: Search results empty for EU customers

**Date:** 2023-10-04

**Summary:** Search returned no results after an index alias was swapped to an empty index.

**Impact:** About 38% of EU search queries returned nothing.

## Root cause

The reindex job swapped the alias before the new index was built.

## Action items

| Action | Owner |
|---|---|
| Check the target cluster before swapping | omar |
"""


def test_a_folder_of_someone_elses_post_mortems_is_checked_as_it_is(tmp_path, cli, monkeypatch) -> None:
    # No taxonomy.yml, mkdocs.yml or content/ anywhere: the folder named is the knowledge base.
    monkeypatch.delenv("LESSONS_PATH", raising=False)
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "their-postmortems"
    folder.mkdir()
    (folder / "search-outage.md").write_text(FOREIGN, encoding="utf-8")
    (folder / "README.md").write_text("# Our post-mortems\n\nOne file per incident.\n", encoding="utf-8")
    (folder / "broken.md").write_text(FOREIGN.replace("2023-10-04", "2023-13-45"), encoding="utf-8")
    result = cli("check", folder, "--format", "json", "--fail-on", "never")
    assert result.exit_code == 0, result.output
    assert "reading" in result.stderr and str(folder) in result.stderr
    found = {(Path(p["path"]).name, p["line"], p["code"]) for p in json.loads(result.stdout)}
    assert ("broken.md", 3, "invalid-date") in found, found
    assert not any(name == "README.md" for name, _, _ in found)
    kb = lessons.load(folder)
    assert sorted(kb.ids) == ["broken", "search-outage"]  # README.md stays a page
    assert kb.get("search-outage").title == "Postmortem: Search results empty for EU customers"
