"""Search results pay only for what is read: ids and scores at once, the rest on demand.

A bot that asks for the best three ids must not pay for ten snippets, reasons and
documents; a reader who does read them gets the same values as before, made once.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

import lessons
import lessons.query.ranking as ranking
from lessons.store.index import Index

CONTACTLESS = "2024-03-16-contactless-payments-update"
QUERIES = ["payments declined", "contactles paymnets", "rollback deploy", "certificate exp"]


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """Counts calls to the snippet maker, the reasons' maker, stored terms and the document reads."""
    calls = {"snippet": 0, "why": 0, "terms": 0, "documents": 0}

    def wrap(name: str, function):  # type: ignore[no-untyped-def]
        def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
            calls[name] += 1
            return function(*args, **kwargs)
        return counting

    monkeypatch.setattr(ranking, "snippet", wrap("snippet", ranking.snippet))
    monkeypatch.setattr(ranking, "_why", wrap("why", ranking._why))
    monkeypatch.setattr(Index, "terms", wrap("terms", Index.terms))
    for reader in ("documents_by_id", "documents_by_key"):
        if hasattr(Index, reader):
            monkeypatch.setattr(Index, reader, wrap("documents", getattr(Index, reader)))
    return calls


def test_asking_for_ids_and_scores_only_never_makes_a_snippet_reason_or_document(kb, counted):
    for query in QUERIES:
        hits = kb.search(query)
        assert hits, query
        assert counted == {"snippet": 0, "why": 0, "terms": 0, "documents": 0}, query
        assert all(hit.id and hit.score > 0 for hit in hits)
    assert counted == {"snippet": 0, "why": 0, "terms": 0, "documents": 0}


def test_what_is_read_is_made_once_and_only_for_that_result(kb, counted):
    hits = kb.search("contactless payments")
    assert len(hits) >= 2
    first = hits[0]
    assert first.id == CONTACTLESS
    assert "**contactless**" in first.snippet and first.snippet is first.snippet
    assert counted["snippet"] == 1 and counted["documents"] == 1  # the list's documents, read together
    assert [str(m) for m in first.why][:1] == ["contactless = contactless (title)"]
    assert first.why is first.why
    assert counted["why"] == 1
    assert hits[1].document.id == hits[1].id
    # The reasons come from the postings the search scored with: no document's terms are read.
    assert counted == {"snippet": 1, "why": 1, "terms": 0, "documents": 1}


def test_lazy_results_equal_what_reading_everything_gives(content_dir: Path):
    lazy = lessons.load(content_dir)
    fresh = lessons.load(content_dir, index=":memory:")
    for query in QUERIES:
        expected = [hit.to_dict() for hit in fresh.search(query)]
        # Read in another order than to_dict does: why first, then the snippet, then the rest.
        hits = lazy.search(query)
        for hit in reversed(hits):
            assert hit.why is not None and hit.snippet is not None
        assert [hit.to_dict() for hit in hits] == expected
        assert hits == fresh.search(query)


def test_a_result_read_after_the_index_was_damaged_is_read_from_the_rebuilt_index(content_dir: Path):
    kb = lessons.load(content_dir)
    hits = kb.search("contactless payments")
    expected_title = lessons.load(content_dir, index=":memory:").get(CONTACTLESS).title
    with sqlite3.connect(kb.index.location) as other:
        other.execute("UPDATE documents SET data='{not json' WHERE id=?", (CONTACTLESS,))
    kb.index.conn.execute("COMMIT")  # end the snapshot, so the damage is seen
    kb.index.conn.execute("BEGIN")
    assert hits[0].document.title == expected_title
    assert "**contactless**" in hits[0].snippet
    assert kb.last_sync.rebuilt
