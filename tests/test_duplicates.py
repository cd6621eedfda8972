"""The duplicate rule: "this looks like an incident we already have"."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import lessons
from lessons.checks.duplicates import CODE, duplicate_problems
from lessons.errors import Level
from lessons.kb import KnowledgeBase

ORIGINAL = "2022-11-02-certificate-expiry"


def _near_copy(content_dir: Path, *, related: str = "", name: str = "2024-02-01-login-cert.md") -> Path:
    """The certificate post-mortem again, reworded a little, as a second author would write it."""
    text = (content_dir / "postmortems" / f"{ORIGINAL}.md").read_text(encoding="utf-8")
    text = text.replace("title: An expired TLS certificate takes the login page down",
                        "title: Login page down because its TLS certificate expired")
    text = text.replace("date: 2022-11-02", "date: 2024-02-01")
    if related:
        text = text.replace("\n---\n", f"\nrelated: [{related}]\n---\n", 1)
    path = content_dir / "postmortems" / name
    path.write_text(text, encoding="utf-8")
    return path


def test_near_copy_is_reported_on_its_title_line(content_dir: Path) -> None:
    path = _near_copy(content_dir)
    kb = lessons.load(content_dir)
    copy = kb.get(path.stem)

    problems = duplicate_problems(kb, [copy])

    assert [(p.path, p.line, p.code, p.level) for p in problems] == [
        (path, 2, CODE, Level.WARNING)]
    assert re.fullmatch(
        rf"looks like {ORIGINAL} \((0\.[89]\d|1\.00)\): same causes, same services, same tags, "
        r"similar wording; link it with `related:` or merge",
        problems[0].message,
    ), problems[0].message


@pytest.mark.parametrize("direction", ["copy names the original", "original names the copy"])
def test_no_warning_when_linked_by_related(content_dir: Path, direction: str) -> None:
    if direction == "copy names the original":
        path = _near_copy(content_dir, related=ORIGINAL)
    else:
        path = _near_copy(content_dir)
        original = content_dir / "postmortems" / f"{ORIGINAL}.md"
        text = original.read_text(encoding="utf-8")
        original.write_text(text.replace("\n---\n", f"\nrelated: [{path.stem}]\n---\n", 1),
                            encoding="utf-8")
    kb = lessons.load(content_dir)
    assert kb.get(path.stem).related or kb.get(ORIGINAL).related
    assert duplicate_problems(kb, list(kb)) == []


def test_distinct_incidents_are_not_duplicates(kb: KnowledgeBase) -> None:
    assert len(kb.postmortems) == 4
    assert duplicate_problems(kb, list(kb)) == []


def test_threshold_is_configurable(content_dir: Path) -> None:
    path = _near_copy(content_dir)
    kb = lessons.load(content_dir)
    copy = kb.get(path.stem)
    score = kb.similar(copy, limit=1)[0].score

    assert duplicate_problems(kb, [copy], threshold=min(score + 0.001, 1.001)) == []
    assert len(duplicate_problems(kb, [copy], threshold=score)) == 1
    # With a very low threshold, the loosely similar incidents show up too.
    assert len(duplicate_problems(kb, [copy], threshold=0.01)) > 1


def test_only_the_documents_asked_about_are_judged(content_dir: Path) -> None:
    path = _near_copy(content_dir)
    kb = lessons.load(content_dir)

    both = duplicate_problems(kb, list(kb))

    assert sorted(p.path.name for p in both) == sorted([path.name, f"{ORIGINAL}.md"])
    assert duplicate_problems(kb, [kb.get("2021-06-14-build-dependency-removed")]) == []


def test_practices_are_not_judged(kb: KnowledgeBase) -> None:
    assert kb.practices
    assert duplicate_problems(kb, kb.practices, threshold=0.0) == []
