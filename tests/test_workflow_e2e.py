"""Contributing by pull request, end to end, in a temporary git repository.

Everything goes through the ``lessons`` command as a contributor would type it:
`init`, `new postmortem`, fill the file in, `check`; then the mistakes reviewers
see most, a near-copy of an existing incident, `--changed`, SARIF; and finally
the `run:` steps of the GitHub Actions workflow that `init` hands to teams.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

import lessons
from lessons.errors import LessonsError
from lessons.checks.gitdiff import changed_files

CHECKOUT = Path(lessons.__file__).resolve().parents[1]
EXAMPLE = "2024-01-15-example-expired-certificate"
NEW = "content/postmortems/2024-05-02-checkout-api-fails-after-a-routing-config-push.md"
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.org",
    "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.org",
    "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
}

FILLED_IN = """\
---
title: Checkout API fails after a routing config push
date: 2024-05-02
status: published
severity: 2
services: [checkout, payments]
started: 2024-05-02T14:00Z
detected: 2024-05-02T14:06Z
resolved: 2024-05-02T14:50Z
causes: [configuration-error]
tags: [routing, config]
summary: A routing rule pushed to every region at once sent checkout requests to a pool that did not exist.
---

## Summary

A routing rule was pushed to every region at once and sent checkout requests to a
backend pool that had been renamed the week before. Checkout failed for 50 minutes.

## Impact

Most checkout requests failed with HTTP 502 for 50 minutes.

## Timeline

- 2024-05-02 14:00 — The routing change is pushed to all regions.
- 14:06 — The checkout error-rate alert fires.
- 14:50 — The previous routing rule is restored.

## Contributing factors

Nothing validated routing rules against the live list of backend pools, and
routing changes went to every region at once.

## Resolution

The previous rule was restored from version control.

## Action items

- [ ] Validate routing rules before a push — owner: traffic
- [ ] Roll routing changes out one region at a time — owner: traffic
"""


def _run(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, encoding="utf-8",
                          env={**os.environ, **GIT_ENV, **(env or {})}, check=False)


def lessons_cmd(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``lessons ARGS`` in `cwd`, as typed in a terminal (with this interpreter)."""
    return _run([sys.executable, "-c", "from lessons.cli.main import main; main()", *args], cwd)


def git(cwd: Path, *args: str) -> str:
    done = _run(["git", *args], cwd)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository on `main` with `lessons init` committed, on a topic branch."""
    root = tmp_path / "team-kb"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    done = lessons_cmd(root, "init")
    assert done.returncode == 0, done.stderr
    assert f"created content/postmortems/{EXAMPLE}.md" in done.stdout
    # The team writes where its site lives (until then `lessons check` names the placeholder).
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "https://lessons.example.com/", "https://incidents.team.test/"), encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "lessons init")
    git(root, "switch", "-q", "-c", "checkout-incident")
    return root


def _line(path: Path, text: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if text in line)


def test_contributor_flow_and_exact_annotations(repo: Path) -> None:
    created = lessons_cmd(repo, "new", "postmortem", "Checkout API fails after a routing config push",
                          "--date", "2024-05-02", "--services", "checkout,payments", "--severity", "2")
    assert created.returncode == 0, created.stderr
    assert created.stdout.strip() == NEW
    path = repo / NEW

    fresh = lessons_cmd(repo, "check")
    assert (fresh.returncode, fresh.stdout.strip()) == (0, "2 files checked, no problems")

    path.write_text(FILLED_IN, encoding="utf-8")
    filled = lessons_cmd(repo, "check", "--format", "github")
    assert (filled.returncode, filled.stdout.strip()) == (0, "")

    # Three kinds of mistake: a misspelt cause (front matter), a link to a file that
    # does not exist (body), an action item nobody owns (a section rule).
    broken = (FILLED_IN
              .replace("causes: [configuration-error]", "causes: [configuration-eror]")
              .replace("routing changes went to every region at once.",
                       "routing changes went to every region at once (see [canary "
                       "releases](../practices/canary-releases.md)).")
              .replace("before a push — owner: traffic", "before a push"))
    path.write_text(broken, encoding="utf-8")
    result = lessons_cmd(repo, "check", "--format", "github")

    assert result.returncode == 1
    file = NEW
    assert result.stdout.strip().splitlines() == [
        f"::error file={file},line={_line(path, 'causes:')},col=1,title=unknown-cause::"
        "unknown cause 'configuration-eror' — did you mean 'configuration-error'?",
        f"::error file={file},line={_line(path, 'canary-releases.md')},col=1,title=broken-link::"
        "link to '../practices/canary-releases.md': no such file content/practices/canary-releases.md",
        f"::warning file={file},line={_line(path, 'before a push')},col=1,title=action-item-owner::"
        "action item has no owner: 'Validate routing rules before a push' "
        "(add `— owner: team`)",
    ]


def test_near_copy_of_an_existing_incident_is_flagged_until_linked(repo: Path) -> None:
    original = (repo / "content/postmortems" / f"{EXAMPLE}.md").read_text(encoding="utf-8")
    copy = repo / "content/postmortems/2024-01-16-public-api-certificate-expired.md"
    copy.write_text(original.replace(
        'title: "Example: an expired TLS certificate takes the public API offline"',
        "title: Public API offline because its TLS certificate expired"), encoding="utf-8")

    result = lessons_cmd(repo, "check", "--format", "github")

    assert result.returncode == 0  # a warning, not an error
    pattern = (rf"::warning file=content/postmortems/{copy.name},line=2,col=1,"
               rf"title=possible-duplicate::looks like {EXAMPLE} \((0\.[89]\d|1\.00)\): same causes, "
               r"same services, same tags, similar wording; link it with `related:` or merge")
    assert any(re.fullmatch(pattern, line) for line in result.stdout.splitlines()), result.stdout

    copy.write_text(copy.read_text(encoding="utf-8").replace(
        "tags: [example", f"related: [{EXAMPLE}]\ntags: [example"), encoding="utf-8")
    linked = lessons_cmd(repo, "check", "--format", "github")
    assert (linked.returncode, linked.stdout.strip()) == (0, "")


def test_duplicates_threshold_option(repo: Path) -> None:
    original = (repo / "content/postmortems" / f"{EXAMPLE}.md").read_text(encoding="utf-8")
    (repo / "content/postmortems/2024-01-16-copy.md").write_text(original, encoding="utf-8")
    off = lessons_cmd(repo, "check", "--format", "json", "--duplicate-threshold", "1")
    loose = lessons_cmd(repo, "check", "--format", "json", "--duplicate-threshold", "0.5")
    assert off.returncode == 0 and loose.returncode == 0, off.stderr + loose.stderr
    assert [p["code"] for p in json.loads(off.stdout)] == []  # 1 turns the rule off
    assert "possible-duplicate" in [p["code"] for p in json.loads(loose.stdout)]


def test_check_changed_reports_only_what_the_branch_touched(repo: Path) -> None:
    example = repo / "content/postmortems" / f"{EXAMPLE}.md"
    example.write_text(example.read_text(encoding="utf-8").replace(
        "causes: [insufficient-monitoring", "causes: [monitoring-gap"), encoding="utf-8")
    git(repo, "commit", "-q", "-am", "break the example on purpose")
    git(repo, "switch", "-q", "-c", "another-incident")
    new = repo / "content/postmortems/2024-06-01-new.md"
    new.write_text("---\ntitle: New\ndate: 2024-06-01\ncauses: [human-eror]\n---\n", encoding="utf-8")

    everything = lessons_cmd(repo, "check", "--format", "json")
    changed = lessons_cmd(repo, "check", "--format", "json", "--changed", "--base", "checkout-incident")
    unknown = lessons_cmd(repo, "check", "--changed", "--base", "no-such-branch")

    assert {p["path"] for p in json.loads(everything.stdout)} == {
        "content/postmortems/2024-06-01-new.md", f"content/postmortems/{EXAMPLE}.md"}
    assert {p["path"] for p in json.loads(changed.stdout)} == {"content/postmortems/2024-06-01-new.md"}
    assert changed.returncode == 1
    assert unknown.returncode == 2 and "unknown git ref 'no-such-branch'" in unknown.stderr


def test_sarif_output_has_the_2_1_0_shape(repo: Path) -> None:
    bad = repo / "content/postmortems/2024-06-01-bad.md"
    bad.write_text("---\ntitle: Bad\ndate: 2024-06-01\ncauses: [human-eror]\n---\n", encoding="utf-8")

    result = lessons_cmd(repo, "check", "--format", "sarif")

    assert result.returncode == 1
    log = json.loads(result.stdout)
    assert log["version"] == "2.1.0" and "sarif" in log["$schema"]
    run = log["runs"][0]
    assert run["tool"]["driver"]["name"] == "lessons"
    rules = run["tool"]["driver"]["rules"]
    assert [(r["ruleId"], r["level"]) for r in run["results"]] == [
        ("unknown-cause", "error"), ("missing-section", "warning")]
    for result_ in run["results"]:
        assert rules[result_["ruleIndex"]]["id"] == result_["ruleId"]
        assert result_["message"]["text"]
        (location,) = result_["locations"]
        physical = location["physicalLocation"]
        assert physical["artifactLocation"]["uri"] == "content/postmortems/2024-06-01-bad.md"
        assert isinstance(physical["region"]["startLine"], int)
    assert "did you mean 'human-error'?" in run["results"][0]["message"]["text"]
    assert run["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] == 4


def test_changed_files_sees_committed_staged_unstaged_and_untracked(repo: Path) -> None:
    content = repo / "content"
    posts = content / "postmortems"
    (posts / "committed.md").write_text("a", encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "committed")
    (posts / "staged.md").write_text("b", encoding="utf-8")
    git(repo, "add", "content/postmortems/staged.md")
    example = posts / f"{EXAMPLE}.md"
    example.write_text(example.read_text(encoding="utf-8") + "\nunstaged\n", encoding="utf-8")
    (posts / "untracked file é.md").write_text("c", encoding="utf-8")
    (repo / "README.md").write_text("outside the content folder", encoding="utf-8")
    (repo / "site").mkdir()
    (repo / "site" / "ignored.md").write_text("ignored by .gitignore", encoding="utf-8")
    git(repo, "rm", "-q", "content/taxonomy.yml")

    found = changed_files(content, "main")

    assert [p.relative_to(repo.resolve()).as_posix() for p in found] == [
        "content/postmortems/2024-01-15-example-expired-certificate.md",
        "content/postmortems/committed.md", "content/postmortems/staged.md",
        "content/postmortems/untracked file é.md",
    ]
    assert changed_files(content, "HEAD~0") != []  # uncommitted changes count against HEAD too
    git(repo, "switch", "-q", "main")
    git(repo, "reset", "-q", "--hard")
    git(repo, "clean", "-qfd")
    assert changed_files(content, "main") == []


def test_changed_files_errors_say_what_to_do(repo: Path, tmp_path: Path) -> None:
    with pytest.raises(LessonsError, match=r"unknown git ref 'origin/main'.*git fetch origin main"):
        changed_files(repo / "content", "origin/main")
    plain = tmp_path / "not-a-repo"
    plain.mkdir()
    with pytest.raises(LessonsError, match="is not inside a git repository"):
        changed_files(plain, "main")


def _workflow_steps(repo: Path) -> list[dict[str, str]]:
    """The steps of the generated workflow, job by job in `needs:` order."""
    workflow = yaml.safe_load((repo / ".github/workflows/lessons.yml").read_text(encoding="utf-8"))
    jobs: dict[str, dict[str, Any]] = workflow["jobs"]
    ordered: list[str] = []
    for _ in jobs:  # one pass per job is enough for any order `needs:` allows
        for name, job in jobs.items():
            needs = job.get("needs", [])
            needs = [needs] if isinstance(needs, str) else needs
            if name not in ordered and all(n in ordered for n in needs):
                ordered.append(name)
    assert sorted(ordered) == sorted(jobs), "a job `needs:` a job that does not exist"
    steps: list[dict[str, str]] = []
    for name in ordered:
        job = jobs[name]
        for step in job["steps"]:
            steps.append({**step, "job": name,
                          "if": " && ".join(str(c) for c in (job.get("if"), step.get("if")) if c)})
    return steps


def _publishes(step: dict[str, str]) -> bool:
    """A step the workflow runs only for the main branch: the ones that publish."""
    return "refs/heads/main" in step.get("if", "")


def test_generated_workflow_runs_in_order(repo: Path, tmp_path: Path) -> None:
    (repo / NEW).parent.mkdir(parents=True, exist_ok=True)
    (repo / NEW).write_text(FILLED_IN, encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "post-mortem: checkout routing")

    # The runner's Python: a fresh virtual environment that sees the already installed
    # dependencies (this machine is offline) but gets `lessons` only from the install step.
    venv = tmp_path / "runner-venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], check=True)
    env = {"PATH": f"{venv / 'bin'}{os.pathsep}{os.environ['PATH']}", "GITHUB_ACTIONS": "true",
           "GITHUB_EVENT_NAME": "pull_request", "VIRTUAL_ENV": str(venv), "PYTHONPATH": ""}

    steps = _workflow_steps(repo)
    ran, skipped = [], []
    for step in steps:
        if "run" not in step or step["job"] == "advise":
            # `uses:` actions (checkout, setup-python): the repository and Python are here. The
            # advise job (a comment on the pull request) is run by tests/test_advise_workflow.py.
            continue
        if _publishes(step):
            skipped.append(step["run"])
            continue
        script = step["run"]
        pinned = f'"lessons[site]=={lessons.__version__}"'
        if pinned in script:
            # The one line the test changes: install this checkout instead of the release
            # from PyPI (offline here), so the workflow is tested against this code.
            script = script.replace(pinned, f'-e "{CHECKOUT}[site]"')
        # GitHub's default shell for `run:` on Linux.
        done = _run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script], repo, env)
        assert done.returncode == 0, f"step {step.get('name')!r} failed:\n{done.stdout}\n{done.stderr}"
        ran.append(step.get("name", script))

    assert ran == ["Install lessons", "Check the knowledge base", "Build the site"]
    assert len(skipped) == 1 and "mkdocs gh-deploy" in skipped[0]
    installed = _run(["python", "-c", "import importlib.metadata as m, lessons; "
                      "print(m.distribution('lessons').locate_file('')); print(lessons.__file__)"],
                     tmp_path, env)
    where, module = installed.stdout.split()
    assert Path(where).is_relative_to(venv), "the install step did not install into the runner"
    assert module == str(CHECKOUT / "lessons" / "__init__.py")
    assert (repo / "site" / "postmortems" / EXAMPLE / "index.html").is_file()
    assert "site/" not in git(repo, "status", "--porcelain")  # .gitignore keeps the build out

    # The same check step fails the pull request when a post-mortem is wrong.
    (repo / NEW).write_text(FILLED_IN.replace("[configuration-error]", "[config-eror]"), encoding="utf-8")
    check_step = next(s["run"] for s in steps if s.get("name") == "Check the knowledge base")
    failed = _run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", check_step], repo, env)
    assert failed.returncode == 1
    assert failed.stdout.startswith(f"::error file={NEW},line=10,col=1,title=unknown-cause::")
