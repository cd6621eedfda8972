"""One command, one state of the index, while other processes change the folder and the index.

`lessons check` reads the documents, then builds a searcher, then asks for the
look-alikes of every post-mortem: when another process synced in between, keys and
documents came from two versions of the index and the duplicate pass crashed. A sync
that waited for another one listed the folder before its turn and then read files that
were gone.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import lessons
import lessons.store.discover
import lessons.store.sync
import lessons.store.prepare
from lessons.checks.rules import CheckOptions, check
from lessons.store.index import Index, SyncStats

CONTACTLESS = "2024-03-16-contactless-payments-update"


def write_postmortem(content: Path, name: str, words: str) -> Path:
    path = content / "postmortems" / f"{name}.md"
    path.write_text(f"---\ntitle: {words.capitalize()}\ndate: 2024-05-01\nservices: [payments]\n---\n\n"
                    f"## Summary\n\nPayments declined at the tills: {words}.\n", encoding="utf-8")
    return path


def change_everything(content: Path) -> None:
    """Another process's edit and sync: one document deleted, twelve added (higher keys)."""
    (content / "postmortems" / f"{CONTACTLESS}.md").unlink()
    for n in range(12):
        write_postmortem(content, f"2024-05-01-card-outage-{n}", f"card payments declined again {n}")
    other = lessons.load(content)
    assert len(other) == 17
    other.close()


def test_a_knowledge_base_keeps_reading_the_index_it_opened_while_another_process_syncs(content_dir):
    kb = lessons.load(content_dir)
    ids = kb.ids
    before = [hit.document.id for hit in kb.search("payments declined", limit=20)]
    change_everything(content_dir)

    assert kb.ids == ids and len(kb) == 6
    assert CONTACTLESS in kb and kb.get(CONTACTLESS).id == CONTACTLESS
    assert [hit.document.id for hit in kb.search("payments declined", limit=20)] == before
    for doc_id in ids:
        assert {hit.document.id for hit in kb.similar(doc_id, kind=None)} <= set(ids)
    assert {doc.id for doc in kb} == set(ids)

    kb.refresh()
    assert len(kb) == 17 and CONTACTLESS not in kb
    assert "2024-05-01-card-outage-3" in [hit.document.id for hit in kb.search("card outage 3")]


def test_check_with_its_duplicate_pass_reads_one_state_of_the_index(content_dir):
    kb = lessons.load(content_dir)
    kb.search("payments")  # the searcher now holds the index's document keys and lengths
    change_everything(content_dir)
    problems = check(kb, CheckOptions(duplicate_threshold=0.1))
    assert {p.path.name for p in problems} <= {path.name for path in content_dir.rglob("*.md")} | {
        f"{CONTACTLESS}.md"}
    assert all("card-outage" not in str(p.path) for p in problems)


def test_a_file_deleted_while_a_sync_waits_for_its_turn_counts_as_removed(content_dir):
    lessons.load(content_dir).close()
    doomed = write_postmortem(content_dir, "2024-05-02-short-lived", "short lived outage")
    lessons.load(content_dir).close()
    index = Index.open(content_dir)
    blocker = sqlite3.connect(index.location, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")  # another process is writing the index
    outcome: dict[str, object] = {}

    def sync() -> None:
        try:
            outcome["stats"] = index.sync()
        except Exception as exc:  # reported by the assertion below
            outcome["error"] = exc

    waiting = threading.Thread(target=sync)
    waiting.start()
    time.sleep(1.0)  # the sync is now waiting for the write lock
    doomed.unlink()
    blocker.execute("COMMIT")
    waiting.join(timeout=60)
    assert "error" not in outcome, repr(outcome.get("error"))
    stats = outcome["stats"]
    assert isinstance(stats, SyncStats)
    assert (stats.added, stats.removed, stats.unchanged) == (0, 1, 6)
    assert index.key_of("2024-05-02-short-lived") is None and index.count() == 6


def test_a_file_deleted_between_listing_and_looking_at_it_counts_as_removed(content_dir, monkeypatch):
    lessons.load(content_dir).close()
    doomed = content_dir / "postmortems" / f"{CONTACTLESS}.md"
    real = lessons.store.sync.markdown_files

    def listing_then_delete(root: Path, problems: list[lessons.Problem]) -> Iterator[Path]:
        listed = list(real(root, problems))
        doomed.unlink()
        yield from listed

    monkeypatch.setattr(lessons.store.sync, "markdown_files", listing_then_delete)  # as the sync calls it
    kb = lessons.load(content_dir)
    assert (kb.last_sync.removed, kb.last_sync.unchanged) == (1, 5)
    assert CONTACTLESS not in kb


def test_a_file_deleted_between_listing_and_reading_counts_as_removed(content_dir, monkeypatch):
    kb = lessons.load(content_dir)
    edited = content_dir / "postmortems" / f"{CONTACTLESS}.md"
    edited.write_text(edited.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    new = write_postmortem(content_dir, "2024-05-03-brief", "brief outage")
    real = lessons.store.prepare.read_file

    def deleted_first(path: Path) -> object:
        path.unlink()  # another process deletes it just as it is about to be read
        return real(path)

    monkeypatch.setattr(lessons.store.prepare, "read_file", deleted_first)
    stats = kb.refresh()
    assert (stats.added, stats.updated, stats.removed) == (0, 0, 1)
    assert not new.exists() and CONTACTLESS not in kb and len(kb) == 5
    assert not [p for p in kb.problems if p.path.name in (edited.name, new.name)]


@pytest.mark.parametrize("rounds", [3])
def test_refreshing_after_each_change_sees_each_change(content_dir, rounds):
    kb = lessons.load(content_dir)
    for n in range(rounds):
        write_postmortem(content_dir, f"2024-06-0{n + 1}-round", f"round {n} zebra{n}")
        other = lessons.load(content_dir)
        other.close()
        assert f"2024-06-0{n + 1}-round" not in kb
        kb.refresh()
        assert [hit.document.id for hit in kb.search(f"zebra{n}")] == [f"2024-06-0{n + 1}-round"]
