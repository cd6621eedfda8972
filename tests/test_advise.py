"""`lessons advise` and `KnowledgeBase.advise`: advice on a planned change from this repository's content."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import lessons
from lessons.advise import Change
from lessons.advise.render import MARKER, render_advice
from lessons.errors import LessonsError

ROOT = Path(__file__).resolve().parent.parent
SAINSBURYS = "2024-03-16-sainsburys-overnight-update"
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.org",
    "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.org",
    "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
}


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory) -> lessons.KnowledgeBase:
    return lessons.load(ROOT / "content", index=tmp_path_factory.mktemp("index") / "index.db")


def _run(args: list[str], cwd: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", "from lessons.cli.main import main; main()", *args],
                          cwd=cwd, input=stdin, capture_output=True, text=True, encoding="utf-8",
                          env={**os.environ, **GIT_ENV, "LESSONS_INDEX": str(cwd / "index.db")}, check=False)


def test_overnight_terminal_update_names_sainsburys_and_rollout_and_rollback_practices(tmp_path: Path) -> None:
    done = _run(["advise", "-", "--content", str(ROOT / "content"), "--format", "json"], tmp_path,
                "overnight update to the store payment terminals\n")

    assert done.returncode == 0, done.stderr
    advice = json.loads(done.stdout)
    first = advice["incidents"][0]
    assert first["id"] == SAINSBURYS
    assert "suggested cause: incomplete-testing" in first["reason"]  # the change's words point to it
    assert {"overnight", "update", "payment"} <= set(first["reason"].split("shared words: ")[1].split(", "))
    assert first["lesson"].startswith("Overnight changes to shared retail systems need a staged rollout.")
    practices = {p["id"]: p for p in advice["practices"]}
    rollout, rollback = practices["incremental-deployments"], practices["rollback-and-recovery"]
    # Each with why: the cause it addresses, or the incident whose lessons recommend it.
    assert "incomplete-testing" in rollout["causes"] and SAINSBURYS in rollout["linked_from"]
    assert SAINSBURYS in rollback["linked_from"] and rollback["reason"].startswith("recommended by")
    assert "Every change reaches a canary or first ring before the whole fleet." in rollout["checklist"]
    assert 1 <= len(rollback["checklist"]) <= 4
    testing = next(c for c in advice["causes"] if c["cause"] == "incomplete-testing")
    assert SAINSBURYS in testing["incidents"] and "incremental-deployments" in testing["practices"]


def test_dns_automation_change_names_the_dynamodb_race_and_concurrency(kb: lessons.KnowledgeBase) -> None:
    advice = kb.advise("automation that cleans up old DNS records for the load balancers")

    assert advice.incidents[0].document.id == "2025-10-20-aws-dynamodb-dns-race"
    assert "dns" in advice.incidents[0].reason
    concurrency = next(c for c in advice.causes if c.cause == "concurrency-problem")
    assert concurrency.incidents[0] == "2025-10-20-aws-dynamodb-dns-race"
    testing = next(p for p in advice.practices if p.document.id == "comprehensive-testing")
    assert "concurrency-problem" in testing.causes and testing.checklist


def test_open_action_items_come_from_the_incidents_shown(kb: lessons.KnowledgeBase) -> None:
    advice = kb.advise("regular expression in a WAF rule pushed to every server")
    shown = {i.document.id for i in advice.incidents}

    assert "2019-07-02-cloudflare-waf-regex" in shown
    assert advice.actions and all(not a.done and a.document_id in shown for a in advice.actions)
    assert "Add performance profiling of every rule to the WAF test suite" in [a.text for a in advice.actions]


def test_advise_leaves_the_callers_change_as_it_was(kb: lessons.KnowledgeBase) -> None:
    change = Change(description="overnight update to the store payment terminals", services=["payments"])
    advice = kb.advise(change, services=["contactless-payments"])

    assert change.services == ["payments"]
    assert advice.change.services == ["payments", "contactless-payments"]


def test_services_raise_incidents_that_name_them(kb: lessons.KnowledgeBase) -> None:
    plain = kb.advise("rotate the credentials of the build system")
    with_service = kb.advise("rotate the credentials of the build system", services=["ci-cd"])

    assert with_service.incidents[0].document.id == "2022-12-16-circleci-security-incident"
    assert "same service: ci-cd" in with_service.incidents[0].reason
    assert with_service.incidents[0].score > next(
        (i.score for i in plain.incidents if i.document.id == "2022-12-16-circleci-security-incident"), 0.0)


def test_markdown_is_a_pull_request_comment_with_its_marker(kb: lessons.KnowledgeBase) -> None:
    text = render_advice(kb.advise("overnight update to the store payment terminals"), "markdown")

    assert text.splitlines()[0] == MARKER
    assert "**Faulty overnight software update stops Sainsbury's contactless payments" in text
    assert "  - [ ] Every change reaches a canary or first ring before the whole fleet." in text
    assert "<script" not in text


def test_github_format_is_one_notice_per_incident_and_practice(kb: lessons.KnowledgeBase) -> None:
    advice = kb.advise("overnight update to the store payment terminals")
    lines = render_advice(advice, "github").splitlines()

    assert len(lines) == len(advice.incidents) + len(advice.practices)
    assert all(line.startswith("::notice file=") for line in lines)
    assert f"title=Like past incident {SAINSBURYS}::" in lines[0]


def test_empty_or_unknown_input_is_one_clear_line(tmp_path: Path, kb: lessons.KnowledgeBase) -> None:
    content = ["--content", str(ROOT / "content")]
    empty = _run(["advise", "-", *content], tmp_path, "   \n")
    nothing = _run(["advise", *content], tmp_path)
    git = subprocess.run(["git", "init", "-q", "-b", "main", str(tmp_path / "repo")], check=True)
    assert git.returncode == 0
    unknown = _run(["advise", "--base", "no-such-ref", *content], tmp_path / "repo")

    for done in (empty, nothing):
        assert done.returncode == 2 and done.stdout == ""
        assert done.stderr.strip().splitlines() == [
            "error: nothing to advise on: give a description (or `-` for standard input), "
            "--title/--body, or --base REF"]
    twice = _run(["advise", "-", "--body", "-", *content], tmp_path, "overnight terminal update\n")
    assert twice.returncode == 2 and twice.stdout == ""
    assert twice.stderr.strip().splitlines() == [
        "error: standard input can be read once: give `-` as the description or as --body, not both"]
    assert unknown.returncode == 2 and len(unknown.stderr.strip().splitlines()) == 1
    assert "unknown git ref 'no-such-ref'" in unknown.stderr
    with pytest.raises(LessonsError, match="nothing to advise on"):
        kb.advise(Change(description=" ... "))


def _git(cwd: Path, *args: str) -> None:
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, **GIT_ENV}, check=False)
    assert done.returncode == 0, done.stderr


def test_base_range_maps_paths_to_services_and_finds_the_incidents(tmp_path: Path) -> None:
    repo = tmp_path / "shop"
    shutil.copytree(ROOT / "content", repo / "content", ignore=shutil.ignore_patterns(".lessons"))
    (repo / "lessons.toml").write_text('[services]\ncontactless-payments = ["src/terminals/**"]\n'
                                       'groceries-online = ["src/delivery/*.py"]\n', encoding="utf-8")
    (repo / "src" / "terminals").mkdir(parents=True)
    firmware = repo / "src" / "terminals" / "firmware.py"
    firmware.write_text("VERSION = '4.1'\n", encoding="utf-8")
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "Start")
    _git(repo, "switch", "-q", "-c", "terminal-update")
    firmware.write_text("VERSION = '4.2'\nSCHEDULE = 'overnight'  # push the update to every store at 02:00\n",
                        encoding="utf-8")
    _git(repo, "commit", "-q", "-am", "Schedule the overnight terminal update for all stores")

    done = _run(["advise", "--base", "main", "--format", "json"], repo)

    assert done.returncode == 0, done.stderr
    advice = json.loads(done.stdout)
    assert advice["change"] == {"services": ["contactless-payments"], "paths": ["src/terminals/firmware.py"]}
    first = advice["incidents"][0]
    assert first["id"] == SAINSBURYS
    assert "same service: contactless-payments" in first["reason"]
    assert "incremental-deployments" in {p["id"] for p in advice["practices"]}
