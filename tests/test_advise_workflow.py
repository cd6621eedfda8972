"""The advise job of the workflow `lessons init` writes: its `run:` steps, executed with a fake `gh`.

The job comments on a pull request that changes code, and on the next push updates that one
comment (found by its hidden marker) instead of adding another. `gh` is replaced by a script
that keeps the comments in a folder, so the steps run offline as they would on a runner.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from lessons.advise.render import MARKER

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.org",
    "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.org",
    "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
}

# A stand-in for the GitHub CLI: `gh api URL --jq …` lists the comments as the real jq
# filter would select them (ids of those starting with the marker); `gh api URL -F body=@f`
# adds one; `gh api -X PATCH …/comments/ID -F body=@f` replaces one.
FAKE_GH = r'''#!/usr/bin/env python3
import json, sys
from pathlib import Path
store = Path(__file__).parent / "comments"
store.mkdir(exist_ok=True)
args = sys.argv[1:]
(store.parent / "calls.log").open("a").write(" ".join(args) + "\n")
assert args[0] == "api"
body = next((a.split("=@", 1)[1] for a in args if a.startswith("body=@")), None)
if "PATCH" in args:
    comment_id = args[args.index("PATCH") + 1].rsplit("/", 1)[1]
    (store / comment_id).write_text(Path(body).read_text())
elif body is not None:
    (store / str(len(list(store.iterdir())) + 1)).write_text(Path(body).read_text())
else:
    for path in sorted(store.iterdir()):
        if path.read_text().startswith("<!-- lessons-advise -->"):
            print(path.name)
'''


def _run(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, encoding="utf-8",
                          env={**os.environ, **GIT_ENV, **(env or {})}, check=False)


def _git(cwd: Path, *args: str) -> None:
    done = _run(["git", *args], cwd)
    assert done.returncode == 0, done.stderr


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "team"
    root.mkdir()
    _git(root, "init", "-q", "-b", "main")
    done = _run([sys.executable, "-c", "from lessons.cli.main import main; main()", "init"], root)
    assert done.returncode == 0, done.stderr
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "lessons init")
    _git(root, "update-ref", "refs/remotes/origin/main", "main")  # what checkout's fetch-depth 0 gives
    _git(root, "switch", "-q", "-c", "renew-certificates")
    return root


def _advise_steps(repo: Path) -> list[tuple[str, str, dict[str, str]]]:
    workflow = yaml.safe_load((repo / ".github/workflows/lessons.yml").read_text(encoding="utf-8"))
    job = workflow["jobs"]["advise"]
    assert job["if"] == "github.event_name == 'pull_request'"
    assert job["permissions"]["pull-requests"] == "write"
    values = {"github.base_ref": "main", "github.token": "token", "github.event.pull_request.number": "7"}
    steps = []
    for step in job["steps"]:
        if "run" not in step or step["name"] == "Install lessons":
            continue  # checkout and setup-python; lessons is installed here already
        env = {key: re.sub(r"\$\{\{\s*([\w.]+)\s*\}\}", lambda m: values[m.group(1)], value)
               for key, value in step.get("env", {}).items()}
        steps.append((step["name"], step["run"], env))
    return steps


def _run_job(repo: Path, tmp_path: Path) -> None:
    fake = tmp_path / "fake-bin"
    fake.mkdir(exist_ok=True)
    gh = fake / "gh"
    gh.write_text(FAKE_GH, encoding="utf-8")
    gh.chmod(0o755)
    path = os.pathsep.join([str(fake), str(Path(sys.executable).parent), os.environ["PATH"]])
    for name, script, env in _advise_steps(repo):
        done = _run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script], repo,
                    {**env, "PATH": path, "GITHUB_REPOSITORY": "team/kb", "GITHUB_ACTIONS": "true"})
        assert done.returncode == 0, f"step {name!r} failed:\n{done.stdout}\n{done.stderr}"


def test_the_advise_job_posts_once_then_updates_its_comment(repo: Path, tmp_path: Path) -> None:
    (repo / "src").mkdir()
    (repo / "src" / "tls.py").write_text("CERTIFICATE = 'api.example.org'\n", encoding="utf-8")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "Renew the expired TLS certificate of the public API")

    _run_job(repo, tmp_path)
    comments = tmp_path / "fake-bin" / "comments"
    first = sorted(comments.iterdir())
    assert [p.name for p in first] == ["1"]
    text = first[0].read_text(encoding="utf-8")
    assert text.startswith(MARKER + "\n### Lessons from past incidents")
    assert "2024-01-15-example-expired-certificate" in text

    (repo / "src" / "tls.py").write_text("CERTIFICATE = 'api.example.org'\nRENEW_DAYS = 30\n", encoding="utf-8")
    _git(repo, "commit", "-q", "-am", "Renew certificates 30 days before they expire")
    _run_job(repo, tmp_path)

    assert [p.name for p in sorted(comments.iterdir())] == ["1"]  # updated, not added
    calls = (tmp_path / "fake-bin" / "calls.log").read_text(encoding="utf-8").splitlines()
    assert any(call.startswith("api -X PATCH repos/team/kb/issues/comments/1 ") for call in calls)
    assert sum("repos/team/kb/issues/7/comments -F body=@advice.md" in call for call in calls) == 1


def test_a_pull_request_that_only_changes_content_gets_no_comment(repo: Path, tmp_path: Path) -> None:
    example = next((repo / "content" / "postmortems").glob("*.md"))
    example.write_text(example.read_text(encoding="utf-8") + "\nOne more note.\n", encoding="utf-8")
    _git(repo, "commit", "-q", "-am", "Add a note to the example")

    _run_job(repo, tmp_path)

    assert not (tmp_path / "fake-bin" / "calls.log").exists()
