"""Causes suggested from text, their use in `similar()` and `lessons check`, and practice checklists."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest

import lessons
from lessons.checks.advice import checklist_problems
from lessons.checks.rules import CheckOptions, check
from lessons.checks.settings import load_settings

ROOT = Path(__file__).resolve().parent.parent
SAINSBURYS = "2024-03-16-sainsburys-overnight-update"


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory) -> lessons.KnowledgeBase:
    return lessons.load(ROOT / "content", index=tmp_path_factory.mktemp("index") / "index.db")


def test_a_dependency_change_suggests_dependency_problem_with_why(kb: lessons.KnowledgeBase) -> None:
    first, *_ = kb.suggest_causes("bump the base image and unpin the library versions in the build")

    assert first.cause == "dependency-problem" and first.title == "Dependency problem"
    assert {"image", "library"} <= set(first.words)  # from the taxonomy's description and signals
    assert first.incidents and all(
        "dependency-problem" in kb.get(doc_id).causes for doc_id in first.incidents)
    assert first.reason.startswith("words: ") and "like: " in first.reason
    assert first.to_dict()["cause"] == "dependency-problem"


def test_a_post_mortem_s_own_causes_are_never_used(kb: lessons.KnowledgeBase) -> None:
    doc = kb.get("2021-12-09-log4shell")
    relabelled = replace(doc, causes=["human-error"])

    assert kb.suggest_causes(relabelled) == kb.suggest_causes(replace(doc, causes=[]))
    assert doc.id not in {i for s in kb.suggest_causes(doc) for i in s.incidents}  # never its own neighbour
    assert "security-vulnerability" in [s.cause for s in kb.suggest_causes(doc)]


def test_scores_are_ranked_and_deterministic(kb: lessons.KnowledgeBase) -> None:
    text = "a config flag pushed to every region at once"
    found = kb.suggest_causes(text, limit=5)

    assert found == kb.suggest_causes(text, limit=5)
    assert [s.score for s in found] == sorted((s.score for s in found), reverse=True)
    assert found[0].cause == "configuration-error"
    assert all(0 < s.score <= 1 for s in found)


def _unlabelled_copy(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content, ignore=shutil.ignore_patterns(".lessons"))
    target = content / "postmortems" / "2021-12-09-log4shell.md"
    text = target.read_text(encoding="utf-8")
    target.write_text(text.replace("causes: [security-vulnerability, dependency-problem]\n", ""), encoding="utf-8")
    return target


def test_similar_uses_suggested_causes_for_a_post_mortem_without_them(tmp_path: Path) -> None:
    target = _unlabelled_copy(tmp_path)
    kb = lessons.load(target.parent.parent)
    doc = kb.get("2021-12-09-log4shell")
    assert doc.causes == []

    hits = kb.similar(doc, limit=5)

    suggested = [m for hit in hits for m in hit.why if m.how == "suggested"]
    assert suggested, [hit.reason for hit in hits]
    assert {m.term for m in suggested} <= {s.cause for s in kb.suggest_causes(doc, limit=2)}
    assert any("suggested cause: " in hit.reason for hit in hits)
    assert str(suggested[0]) == f"suggested cause: {suggested[0].term}"


def test_check_offers_suggested_causes_as_information(tmp_path: Path) -> None:
    target = _unlabelled_copy(tmp_path)
    kb = lessons.load(target.parent.parent)

    problems = check(kb, CheckOptions(duplicate_threshold=None))

    offered = [p for p in problems if p.code == "suggested-causes"]
    assert [(p.path.name, p.line, p.level.value) for p in offered] == [(target.name, 2, "info")]
    assert "security-vulnerability (" in offered[0].message and "like: " in offered[0].message
    quiet = check(kb, CheckOptions(duplicate_threshold=None, suggest_causes=False))
    assert all(p.code != "suggested-causes" for p in quiet)


def test_no_suggestions_from_a_knowledge_base_too_small_to_learn_from(content_dir: Path) -> None:
    (content_dir / "postmortems" / "2024-05-01-new.md").write_text(
        "---\ntitle: Queue stalls\ndate: 2024-05-01\nstatus: draft\n---\n\nThe queue stalled after a deploy.\n",
        encoding="utf-8")
    problems = check(lessons.load(content_dir), CheckOptions(duplicate_threshold=None))
    assert [p for p in problems if p.code == "suggested-causes"] == []  # four labelled post-mortems only


PRACTICE = ("---\ntitle: Feature flags\nkind: practice\nprevents: [incomplete-testing]\n---\n\n"
            "## What it is\n\nShip dark.\n")


def _practice(tmp_path: Path, body: str) -> lessons.Document:
    (tmp_path / "practices").mkdir(exist_ok=True)
    (tmp_path / "practices" / "flags.md").write_text(PRACTICE + body, encoding="utf-8")
    return lessons.load(tmp_path).get("flags")


def test_checklist_rule(tmp_path: Path) -> None:
    missing = _practice(tmp_path, "")
    assert [(p.code, p.level.value, p.line) for p in checklist_problems(missing)] == [
        ("missing-checklist", "info", 6)]
    good = _practice(tmp_path, "\n## Checklist\n\n- [ ] Flags have owners.\n- New code ships off.\n"
                     "  With a kill switch.\n")
    assert checklist_problems(good) == []
    prose = _practice(tmp_path, "\n## Checklist\n\n- Flags have owners.\n\nAlso think about removal.\n")
    assert [(p.code, p.level.value, p.line) for p in checklist_problems(prose)] == [("checklist-item", "warning", 15)]
    empty = _practice(tmp_path, "\n## Checklist\n\nNothing yet.\n")
    assert [p.code for p in checklist_problems(empty)] == ["checklist-item", "checklist-item"]
    draft = _practice(tmp_path, "").path
    draft.write_text(draft.read_text(encoding="utf-8").replace("kind: practice", "kind: practice\nstatus: draft"),
                     encoding="utf-8")
    assert checklist_problems(lessons.load(tmp_path).get("flags")) == []  # a draft may lack one


def test_checklist_items_are_what_advice_quotes(tmp_path: Path) -> None:
    from lessons.advise.sections import checklist

    doc = _practice(tmp_path, "\n## Checklist\n\n- [ ] Flags have owners.\n- [x] New code ships off.\n")
    assert checklist(doc) == ["Flags have owners.", "New code ships off."]


def test_every_practice_of_this_repository_has_a_checklist(kb: lessons.KnowledgeBase) -> None:
    for practice in kb.practices:
        assert checklist_problems(practice) == [], practice.id


def test_services_settings(tmp_path: Path) -> None:
    path = tmp_path / "lessons.toml"
    path.write_text('[services]\npayments = ["src/payments/**", "lib/pay*.py"]\nsearch = "src/search/**"\n'
                    "broken = 3\n", encoding="utf-8")

    settings = load_settings(path)

    assert settings.services_for(["src/payments/api/v1.py"]) == ["payments"]
    assert settings.services_for(["lib/payout.py", "src/search/index.py"]) == ["payments", "search"]
    assert settings.services_for(["README.md"]) == []
    assert [(p.line, p.message) for p in settings.problems] == [
        (4, "services: 'broken' needs a list of path globs (e.g. [\"src/payments/**\"])")]


@pytest.mark.parametrize("heading", ["Checklist", "Checkliste", "Lista de verificación", "Liste de contrôle"])
def test_the_checklist_heading_in_every_language(tmp_path: Path, heading: str) -> None:
    from lessons.advise.sections import checklist

    doc = _practice(tmp_path, f"\n## {heading}\n\n- Flags have owners.\n")
    assert checklist(doc) == ["Flags have owners."] and checklist_problems(doc) == []
