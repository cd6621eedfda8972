"""This repository's own knowledge base: the coverage issue #5 asks for, kept true."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

import lessons
from lessons.checks.rules import CheckOptions, check

CONTENT = Path(__file__).resolve().parent.parent / "content"


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory) -> lessons.KnowledgeBase:
    return lessons.load(CONTENT, index=tmp_path_factory.mktemp("index") / "index.db")


def test_at_least_forty_postmortems_from_many_organisations(kb: lessons.KnowledgeBase) -> None:
    postmortems = kb.postmortems
    assert len(postmortems) >= 40
    assert len({doc.organization for doc in postmortems}) >= 20
    assert len({doc.date.year for doc in postmortems if doc.date}) >= 10


def test_every_cause_has_at_least_three_incidents(kb: lessons.KnowledgeBase) -> None:
    counts = Counter(cause for doc in kb.postmortems for cause in doc.causes)
    assert set(kb.taxonomy.causes) == {
        "incomplete-testing", "configuration-error", "dependency-problem", "infrastructure-issue",
        "human-error", "rollback-failure", "concurrency-problem", "insufficient-monitoring",
        "inadequate-planning", "security-vulnerability",
    }
    thin = {cause: counts[cause] for cause in kb.taxonomy.causes if counts[cause] < 3}
    assert not thin, f"causes with fewer than three incidents: {thin}"


def test_every_postmortem_cites_a_public_source(kb: lessons.KnowledgeBase) -> None:
    missing = [doc.id for doc in kb.postmortems if not doc.sources]
    assert not missing
    assert all(url.startswith("https://") or url.startswith("http://")
               for doc in kb.postmortems for url in doc.sources)


def test_every_cause_has_a_practice_that_addresses_it(kb: lessons.KnowledgeBase) -> None:
    addressed = {cause for doc in kb.practices for cause in doc.prevents}
    assert addressed >= set(kb.taxonomy.causes)


def test_the_seed_incident_is_included(kb: lessons.KnowledgeBase) -> None:
    doc = kb.get("2024-03-16-sainsburys-overnight-update")
    assert doc.organization and "Sainsbury" in doc.organization
    assert str(doc.date) == "2024-03-16"
    assert any("payment" in service for service in doc.services), doc.services
    assert doc.sources


def test_the_knowledge_base_passes_its_own_check_without_warnings(kb: lessons.KnowledgeBase) -> None:
    problems = check(kb, CheckOptions())
    assert problems == []
