"""`lessons init --with reminders`: the weekly workflow's `run:` steps, executed with a fake `gh`.

The fake `gh` keeps the repository's issues in a JSON file, so the test sees what a week of
runs does on GitHub: the first run opens one labelled issue, later runs edit that issue in
place, and once nothing is overdue the issue is closed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

WORKFLOW = ".github/workflows/lessons-reminders.yml"
LATE = """---
title: Checkout fails after a config push
date: 2024-05-02
services: [checkout]
causes: [configuration-error]
---

## Action items

- [ ] Validate routing rules before a push (OPS-7) — owner: traffic, due: 2024-06-01
- [ ] Roll routing out one region at a time — owner: traffic, due: 2099-01-01
"""

# Just enough of the GitHub CLI for the workflow: issue list/create/edit/close and label create.
FAKE_GH = r'''
import json, os, sys
state_file = os.environ["FAKE_GH_STATE"]
state = json.load(open(state_file)) if os.path.exists(state_file) else {"issues": [], "labels": [], "calls": []}
args = sys.argv[1:]
state["calls"].append(args)
def option(name):
    return args[args.index(name) + 1] if name in args else None
if args[:2] == ["issue", "list"]:
    found = [i for i in state["issues"] if i["state"] == option("--state") and option("--label") in i["labels"]]
    if found:
        print(found[0]["number"])
elif args[:2] == ["label", "create"]:
    state["labels"].append(args[2])
elif args[:2] == ["issue", "create"]:
    if option("--label") not in state["labels"]:
        sys.exit("label not found")
    number = len(state["issues"]) + 1
    state["issues"].append({"number": number, "title": option("--title"), "labels": [option("--label")],
                            "body": open(option("--body-file")).read(), "state": "open", "comments": []})
elif args[:2] == ["issue", "edit"]:
    state["issues"][int(args[2]) - 1]["body"] = open(option("--body-file")).read()
elif args[:2] == ["issue", "close"]:
    issue = state["issues"][int(args[2]) - 1]
    issue["state"] = "closed"
    issue["comments"].append(option("--comment"))
else:
    sys.exit(f"fake gh: unexpected {args}")
json.dump(state, open(state_file, "w"))
'''


def _tools(tmp_path: Path) -> dict[str, str]:
    """PATH with a fake `gh` and this checkout's `lessons` first, and where the fake keeps its state."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "gh").write_text(f"#!{sys.executable}\n{FAKE_GH}", encoding="utf-8")
    (bin_dir / "lessons").write_text(
        f'#!/bin/sh\nexec "{sys.executable}" -c "from lessons.cli.main import main; main()" "$@"\n', encoding="utf-8")
    for tool in ("gh", "lessons"):
        (bin_dir / tool).chmod(0o755)
    return {"PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "FAKE_GH_STATE": str(tmp_path / "gh.json")}


def _steps(repo: Path) -> list[dict[str, Any]]:
    workflow = yaml.safe_load((repo / WORKFLOW).read_text(encoding="utf-8"))
    assert workflow[True]["schedule"][0]["cron"] == "0 7 * * 1"  # YAML 1.1 reads `on:` as true
    assert workflow["permissions"]["issues"] == "write"
    [job] = workflow["jobs"].values()
    return list(job["steps"])


def _run_week(repo: Path, env: dict[str, str]) -> dict[str, Any]:
    """Every `run:` step but the install (this checkout's lessons is on PATH), as GitHub runs them."""
    for step in _steps(repo):
        if "run" not in step or step.get("name") == "Install lessons":
            continue
        done = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]], cwd=repo,
                              env={**os.environ, **env, **{k: str(v) for k, v in step.get("env", {}).items()}},
                              capture_output=True, text=True, check=False)
        assert done.returncode == 0, f"step {step['name']!r} failed:\n{done.stdout}\n{done.stderr}"
    state: dict[str, Any] = json.loads(Path(env["FAKE_GH_STATE"]).read_text(encoding="utf-8"))
    return state


def test_the_reminders_issue_is_opened_updated_in_place_and_closed(tmp_path: Path) -> None:
    repo = tmp_path / "team-kb"
    repo.mkdir()
    env = _tools(tmp_path)
    init = subprocess.run(["lessons", "init", "--with", "reminders"], cwd=repo, env={**os.environ, **env},
                          capture_output=True, text=True, check=False)
    assert init.returncode == 0, init.stderr
    assert f"created {WORKFLOW}" in init.stdout
    late = repo / "content" / "postmortems" / "2024-05-02-checkout-config.md"
    late.write_text(LATE, encoding="utf-8")
    (repo / "lessons.toml").write_text('[trackers]\nOPS = "https://jira.example.com/browse/{key}"\n',
                                       encoding="utf-8")

    state = _run_week(repo, env)
    [issue] = state["issues"]
    assert (issue["state"], issue["labels"], issue["title"]) == ("open", ["lessons-reminders"], "Overdue action items")
    body = issue["body"]
    assert body.startswith("<!-- lessons-reminders:") and "\n1 overdue action items on " in body
    assert ("- [ ] **2024-06-01** Validate routing rules before a push (OPS-7) — owner: traffic — "
            "[OPS-7](https://jira.example.com/browse/OPS-7) "
            "(`content/postmortems/2024-05-02-checkout-config.md:10`)") in body
    assert "Roll routing out" not in body  # due in 2099: not overdue

    # The next week: still overdue, and a second item now too. The same issue is rewritten.
    late.write_text(LATE.replace("2099-01-01", "2024-07-01"), encoding="utf-8")
    state = _run_week(repo, env)
    [issue] = state["issues"]
    assert "\n2 overdue action items on " in issue["body"] and "Roll routing out" in issue["body"]
    assert ["issue", "edit", "1", "--body-file", "body.md"] in state["calls"]

    # Everything is done: the issue is closed, and a later quiet week opens nothing.
    late.write_text(LATE.replace("- [ ]", "- [x]"), encoding="utf-8")
    state = _run_week(repo, env)
    [issue] = state["issues"]
    assert issue["state"] == "closed" and issue["comments"] == ["No action item is overdue any more."]
    state = _run_week(repo, env)
    assert len(state["issues"]) == 1 and sum(call[:2] == ["issue", "create"] for call in state["calls"]) == 1


def test_the_install_step_is_the_one_the_main_workflow_uses(tmp_path: Path) -> None:
    """The main workflow's install step runs for real in tests/test_workflow_e2e.py."""
    env = _tools(tmp_path)
    done = subprocess.run(["lessons", "init", "--with", "reminders"], cwd=tmp_path, env={**os.environ, **env},
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    main = yaml.safe_load((tmp_path / ".github/workflows/lessons.yml").read_text(encoding="utf-8"))
    install = next(step["run"] for job in main["jobs"].values() for step in job["steps"]
                   if step.get("name") == "Install lessons")
    assert next(step["run"] for step in _steps(tmp_path) if step.get("name") == "Install lessons") == install


def test_init_without_with_writes_no_reminders_and_refuses_unknown_extras(tmp_path: Path) -> None:
    env = _tools(tmp_path)
    plain = subprocess.run(["lessons", "init"], cwd=tmp_path, env={**os.environ, **env},
                           capture_output=True, text=True, check=False)
    assert plain.returncode == 0 and not (tmp_path / WORKFLOW).exists()
    wrong = subprocess.run(["lessons", "init", "--with", "reminder"], cwd=tmp_path, env={**os.environ, **env},
                           capture_output=True, text=True, check=False)
    assert wrong.returncode == 2 and "'reminder' is not 'reminders'" in wrong.stderr
