"""`lessons check` on a team's existing folder: never silent, and clean with the team's settings."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path

from click.testing import Result

import lessons
from lessons.checks.rules import CheckOptions, check

TODAY = date(2026, 11, 26)
NUMBERED = Path(__file__).parent / "data" / "foreign" / "numbered-folder"

TEAM_SETTINGS = """\
# lessons.toml: this team writes no owners on action items, no Impact or Resolution
# sections, and keeps its file names (PM2021-005 - All services returning 503.md).
[rules]
action-item-owner = "off"
file-name-id = "off"
missing-section = { level = "warning", sections = ["summary", "timeline", "causes", "action-items"] }
"""


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "our-postmortems"
    shutil.copytree(NUMBERED, folder, ignore=shutil.ignore_patterns("expected.json"))
    return folder


def test_a_folder_of_plain_pages_is_an_error_saying_why_for_example_files(
        tmp_path: Path, cli: Callable[..., Result]) -> None:
    # A team's notes with no date anywhere: nothing tells lessons they are post-mortems.
    folder = tmp_path / "our-postmortems"
    folder.mkdir()
    for number in range(10):
        (folder / f"PM-{number:03d} Outage notes.md").write_text(
            f"# Outage notes {number}\n\n## Summary\n\nThe queue backed up.\n\n## Action items\n\n- Add an alert\n",
            encoding="utf-8")
    result = cli("check", folder, "--format", "json")
    assert result.exit_code == 1, result.output
    found = json.loads(result.stdout)
    assert [(p["code"], p["level"]) for p in found] == [("no-documents", "error")]
    message = found[0]["message"]
    assert message.startswith("10 Markdown files were found and not one is read as a post-mortem or practice: ")
    assert "PM-000 Outage notes.md" in message
    assert "no date (add `date:` front matter" in message and "(and 7 more)" in message
    assert "postmortems/ folder" in message


def test_more_plain_pages_than_documents_is_a_warning(content_dir: Path) -> None:
    for number in range(8):
        (content_dir / f"note-{number}.md").write_text(f"# Note {number}\n\nSome text.\n", encoding="utf-8")
    (content_dir / "README.md").write_text("# About\n", encoding="utf-8")
    found = [p for p in check(lessons.load(content_dir), CheckOptions(today=TODAY)) if p.code == "few-documents"]
    assert len(found) == 1 and found[0].level.value == "warning"
    assert found[0].message.startswith("8 Markdown files are read as plain pages and only 6 as post-mortems")
    assert "note-0.md, note-1.md, note-2.md: no date" in found[0].message
    assert "README" not in found[0].message


def test_a_few_pages_beside_the_documents_are_no_finding(kb: lessons.KnowledgeBase, content_dir: Path) -> None:
    (content_dir / "about.md").write_text("# About\n\nWho we are.\n", encoding="utf-8")
    (content_dir / "index.md").write_text("# Home\n", encoding="utf-8")
    codes = {p.code for p in check(lessons.load(content_dir), CheckOptions(today=TODAY))}
    assert not codes & {"few-documents", "no-documents"}


def test_files_lessons_does_not_read_are_named(content_dir: Path) -> None:
    folder = content_dir / "postmortems"
    for name in ("Payroll export.docx", "search-stale.html", "notes.txt", "PM2021-005 - v1.2 rollout",
                 "diagram.png", "LICENSE"):
        (folder / name).write_bytes(b"x")
    found = {p.path.name: p.message for p in check(lessons.load(content_dir), CheckOptions(today=TODAY))
             if p.code == "unread-file"}
    assert found == {
        "Payroll export.docx": "not read: lessons reads Markdown only; convert this .docx file with "
                               "`lessons import Payroll export.docx`",
        "search-stale.html": "not read: lessons reads Markdown only; convert this .html file with "
                             "`lessons import search-stale.html`",
        "notes.txt": "not read: a .txt file; lessons reads only .md files (rename it to .md if it is "
                     "Markdown or plain text)",
        "PM2021-005 - v1.2 rollout": "not read: a file without an extension; lessons reads only .md files "
                                     "(rename it to .md if it is Markdown or plain text)",
    }


def _knowledge_base(tmp_path: Path, cli: Callable[..., Result]) -> Path:
    root = tmp_path / "kb"
    assert cli("init", root).exit_code == 0
    into = root / "content" / "postmortems"
    for source in NUMBERED.glob("*.md"):
        shutil.copy(source, into / source.name)
    return root


def test_the_team_without_settings_gets_its_own_conventions_reported(
        tmp_path: Path, cli: Callable[..., Result]) -> None:
    root = _knowledge_base(tmp_path, cli)
    found = json.loads(cli("check", "--content", root / "content", "--format", "json",
                           "--today", "2026-11-26").stdout)
    codes = {p["code"] for p in found if "PM20" in p["path"]}
    assert {"action-item-owner", "file-name-id", "missing-section"} <= codes


def test_the_team_with_its_settings_passes_check(tmp_path: Path, cli: Callable[..., Result]) -> None:
    root = _knowledge_base(tmp_path, cli)
    (root / "lessons.toml").write_text(TEAM_SETTINGS, encoding="utf-8")
    result = cli("check", "--content", root / "content", "--today", "2026-11-26")
    assert result.exit_code == 0, result.output
    assert "error" not in result.output
    kb = lessons.load(root / "content")
    assert "pm2021-003-all-services-returning-503-from-the-ingress" in kb


def test_a_folder_inside_another_project_is_read_as_itself(
        tmp_path: Path, cli: Callable[..., Result], monkeypatch) -> None:
    # A monorepo with its own MkDocs site (docs/) and the team's post-mortems elsewhere in it:
    # `lessons check ops/postmortems` reads that folder, not the site's docs it finds above.
    repo = tmp_path / "monorepo"
    (repo / "docs").mkdir(parents=True)
    (repo / "mkdocs.yml").write_text("site_name: Product docs\ndocs_dir: docs\n", encoding="utf-8")
    (repo / "docs" / "index.md").write_text("# Product docs\n", encoding="utf-8")
    folder = _folder(repo / "ops")
    monkeypatch.chdir(repo)
    result = cli("check", folder)
    pages = len(list(folder.glob("*.md")))
    assert f"{pages} files checked" in result.stdout, result.output
    assert f"reading {folder.resolve()} as the knowledge base" in " ".join(result.stderr.split())


def test_the_project_root_still_means_its_knowledge_base(
        tmp_path: Path, cli: Callable[..., Result], monkeypatch) -> None:
    # `lessons check .` at the top of a repository is that repository's knowledge base.
    repo = tmp_path / "repo"
    (repo / "docs").mkdir(parents=True)
    (repo / "mkdocs.yml").write_text("site_name: Ours\ndocs_dir: docs\n", encoding="utf-8")
    shutil.copytree(NUMBERED, repo / "docs" / "postmortems", ignore=shutil.ignore_patterns("expected.json"))
    monkeypatch.chdir(repo)
    result = cli("check", repo)
    assert "reading" not in result.stderr, result.stderr
    assert f"{len(list(NUMBERED.glob('*.md')))} files checked" in result.stdout, result.output
