"""The README's "Bring your existing post-mortems", followed as a team would.

Runs the section's commands on a folder written in another team's house style
(`tests/data/foreign/numbered-folder`: no front matter, numbered file names, no owners)
with the settings the README gives, taken from the README itself so the two cannot drift.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
FOLDER = ROOT / "tests" / "data" / "foreign" / "numbered-folder"


def readme_section() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index("## Bring your existing post-mortems")
    return text[start:text.index("\n## ", start + 3)]


def readme_settings() -> str:
    return re.search(r"```toml\n(.*?)```", readme_section(), re.S).group(1)  # type: ignore[union-attr]


def lessons(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "lessons", *args], cwd=cwd, capture_output=True,
                          text=True, env=env, timeout=300)


@pytest.fixture
def team(tmp_path: Path) -> Path:
    repo = tmp_path / "team"
    repo.mkdir()
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    shutil.copytree(FOLDER, repo / "old-postmortems", ignore=shutil.ignore_patterns("expected.json"))
    assert lessons(repo, "init").returncode == 0
    for example in (repo / "content" / "postmortems").glob("*example*"):
        example.unlink()  # the team's own post-mortems replace init's example
    return repo


def test_the_readme_commands_bring_a_foreign_folder_in(team: Path) -> None:
    section = readme_section()
    assert "lessons import old-postmortems/ --into content/postmortems --dry-run" in section
    dry = lessons(team, "import", "old-postmortems/", "--into", "content/postmortems", "--dry-run")
    assert dry.returncode == 0, dry.stdout + dry.stderr
    assert "10 files: 10 would import" in dry.stdout
    done = lessons(team, "import", "old-postmortems/", "--into", "content/postmortems")
    assert done.returncode == 0 and "10 files: 10 imported" in done.stdout
    (team / "lessons.toml").write_text(readme_settings(), encoding="utf-8")
    check = lessons(team, "check", "--strict", "--today", "2026-11-30")
    assert check.returncode == 0, check.stdout + check.stderr
    assert "10 files checked" in check.stdout and " error" not in check.stdout and " warning" not in check.stdout
    built = lessons(team, "build", "--strict")
    assert built.returncode == 0, built.stderr
    assert (team / "site" / "postmortems" / "2021-06-22-all-services-returning-503-from-the-ingress"
            / "index.html").is_file()


def test_the_same_folder_kept_as_it_is_passes_with_the_readme_settings(team: Path) -> None:
    for source in (team / "old-postmortems").glob("*.md"):
        shutil.copy(source, team / "content" / "postmortems" / source.name)
    (team / "lessons.toml").write_text(readme_settings(), encoding="utf-8")
    check = lessons(team, "check", "--today", "2026-11-30")
    assert check.returncode == 0, check.stdout + check.stderr
    assert "10 files checked" in check.stdout
    search = lessons(team, "search", "ingress 503")
    assert "pm2021-003-all-services-returning-503-from-the-ingress" in search.stdout
