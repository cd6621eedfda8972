"""`KnowledgeBase.similar`: past incidents like this one, from an id, a document or a text."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lessons
from lessons.parsing.parse import parse_file
from lessons.query.results import SearchResult

CONTACTLESS = "2024-03-16-contactless-payments-update"
CERTIFICATE = "2022-11-02-certificate-expiry"
BUILD = "2021-06-14-build-dependency-removed"
DNS = "2023-09-05-dns-configuration-push"
CANARY = "canary-releases"
PINNING = "dependency-pinning"
POSTMORTEMS = {CONTACTLESS, CERTIFICATE, BUILD, DNS}

NEW_INCIDENT = """---
title: Card payments declined in stores after a till software update
date: 2025-02-01
services: [payments, store-tills]
causes: [incomplete-testing]
tags: [retail, payments]
---

## Summary

A till software update went out overnight to every store. Contactless card payments
failed until the update was rolled back.
"""


def ids(hits: list[SearchResult]) -> list[str]:
    return [hit.document.id for hit in hits]


def assert_well_formed(hits: list[SearchResult]) -> None:
    scores = [hit.score for hit in hits]
    assert all(0.0 <= score <= 1.0 for score in scores), scores
    assert scores == sorted(scores, reverse=True)
    assert len(set(ids(hits))) == len(hits)


def test_similar_by_id_finds_incidents_sharing_a_cause(kb):
    hits = kb.similar(DNS)
    assert_well_formed(hits)
    assert CERTIFICATE in ids(hits)
    certificate = hits[ids(hits).index(CERTIFICATE)]
    assert "same cause: insufficient-monitoring" in [str(m) for m in certificate.why]
    assert "same cause: insufficient-monitoring" in certificate.reason


def test_similar_never_returns_the_document_itself(kb):
    for doc in kb:
        hits = kb.similar(doc.id, limit=20, kind=None)
        assert doc.id not in ids(hits)
        assert_well_formed(hits)


def test_similar_by_document_equals_similar_by_id(kb):
    by_id = kb.similar(CONTACTLESS)
    by_doc = kb.similar(kb.get(CONTACTLESS))
    assert [(h.document.id, h.score) for h in by_doc] == [(h.document.id, h.score) for h in by_id]
    assert by_id


def test_similar_to_a_new_document_not_in_the_knowledge_base(kb, tmp_path):
    draft = tmp_path / "draft.md"
    draft.write_text(NEW_INCIDENT, encoding="utf-8")
    doc = parse_file(draft)
    hits = kb.similar(doc)
    assert_well_formed(hits)
    assert ids(hits)[0] == CONTACTLESS
    reasons = [str(m) for m in hits[0].why]
    assert "same cause: incomplete-testing" in reasons
    assert "same service: payments" in reasons


def test_similar_to_free_text(kb):
    hits = kb.similar("card payments declined in the stores after the till update", kind=None)
    assert_well_formed(hits)
    assert ids(hits)[0] == CONTACTLESS
    assert {"payments"} <= {m.term for m in hits[0].why}
    assert "payments" in hits[0].reason


def test_similar_to_an_alert_text(kb):
    hits = kb.similar("ALERT: TLS certificate for login.example.com expires in 2 days")
    assert ids(hits)[0] == CERTIFICATE


def test_the_most_similar_document_comes_first(kb):
    hits = kb.similar(BUILD, kind=None)
    # The practice that prevents its cause and shares its tags is the best match.
    assert ids(hits)[0] == PINNING


def test_default_kind_is_postmortems(kb):
    hits = kb.similar(CONTACTLESS, limit=20)
    assert set(ids(hits)) <= POSTMORTEMS
    assert hits


def test_kind_practice_returns_only_practices(kb):
    hits = kb.similar(CONTACTLESS, kind="practice")
    assert ids(hits)
    assert set(ids(hits)) <= {CANARY, PINNING}
    assert ids(hits)[0] == CANARY


def test_kind_none_returns_both_kinds(kb):
    hits = kb.similar("payments deploy rollback builds", limit=20, kind=None)
    kinds = {hit.document.kind.value for hit in hits}
    assert kinds == {"postmortem", "practice"}


def test_limit_caps_the_results(kb):
    assert len(kb.similar(CONTACTLESS, limit=1, kind=None)) == 1
    assert len(kb.similar(CONTACTLESS, limit=2, kind=None)) == 2


def test_shared_labels_are_explained(kb):
    hits = kb.similar(CONTACTLESS, limit=10)
    build = hits[ids(hits).index(BUILD)]
    reasons = [str(m) for m in build.why]
    assert "same service: payments" in reasons
    assert "same tag: deploy" in reasons
    assert build.snippet


def test_text_with_nothing_in_common_finds_nothing(kb):
    assert kb.similar("zebra giraffe hippopotamus") == []
    assert kb.similar("") == []


def test_an_invalid_kind_is_a_clear_error(kb):
    with pytest.raises(lessons.LessonsError):
        kb.similar(CONTACTLESS, kind="incident")


@pytest.fixture(scope="module")
def shared_kb(tmp_path_factory: pytest.TempPathFactory) -> lessons.KnowledgeBase:
    """One knowledge base for the property test (hypothesis calls it many times)."""
    target = tmp_path_factory.mktemp("similar") / "kb"
    shutil.copytree(Path(__file__).parent / "data" / "kb", target)
    return lessons.load(target, index=":memory:")


@settings(max_examples=60, deadline=None)
@given(text=st.text(max_size=2000))
def test_any_text_gives_well_formed_results(shared_kb, text):
    assert_well_formed(shared_kb.similar(text, kind=None, limit=10))


def test_weekdays_months_and_time_zones_do_not_make_incidents_alike(tmp_path):
    folder = tmp_path / "postmortems"
    folder.mkdir()
    stories = {
        "2024-03-04-ledger": ("Ledger writes queue", "the ledger database ran out of connections"),
        "2024-03-11-banner": ("Wrong banner", "the marketing banner image came from the wrong bucket"),
        "2024-03-18-ledger-again": ("Ledger writes queue again", "the ledger database ran out of connections"),
    }
    for doc_id, (title, story) in stories.items():
        (folder / f"{doc_id}.md").write_text(
            f"---\ntitle: {title}\ndate: {doc_id[:10]}\n---\n\n## Summary\n\n"
            f"On Monday 4 March 2024, at 09:00 CEST (07:00 UTC), {story}.\n", encoding="utf-8")
    kb = lessons.load(tmp_path)
    hits = kb.similar("2024-03-04-ledger")
    assert ids(hits)[0] == "2024-03-18-ledger-again"
    assert "2024-03-11-banner" not in ids(hits)
    words = {m.term for hit in hits for m in hit.why}
    assert not words & {"monday", "march", "cest", "utc", "2024", "09:00"}
