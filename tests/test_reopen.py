"""Reopening an index: the check that reads every page runs only on a file it has not vouched for.

`PRAGMA quick_check` reads the whole file (0.6 s at 100,000 documents), and every
`lessons search` opens the index anew. It runs when the file is not as this library last
left it (size, modification time, inode, WAL); a file damaged after that is still rebuilt,
on the next opening or where its damage is met, and the answers are a fresh index's.
"""

from __future__ import annotations

import os
import sqlite3
import warnings
from pathlib import Path

import pytest

import lessons
from lessons.store import connection
from lessons.store.connection import VERIFIED_SUFFIX, file_state, is_verified

from test_index import DAMAGE  # tests/ is on the path: the damaged files the index already survives

CONTACTLESS = "2024-03-16-contactless-payments-update"
CERTIFICATE = "2022-11-02-certificate-expiry"


@pytest.fixture
def full_checks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files the whole-file check read, in order (a spy around `connection.full_check`)."""
    checked: list[str] = []
    real = connection.full_check

    def spy(conn: sqlite3.Connection) -> None:
        checked.append(conn.execute("PRAGMA database_list").fetchone()[2])
        real(conn)

    monkeypatch.setattr(connection, "full_check", spy)
    return checked


def answers(kb: lessons.KnowledgeBase) -> dict[str, object]:
    return {
        "search": [(hit.id, hit.score, hit.snippet, [str(m) for m in hit.why])
                   for hit in kb.search("payments declined at the tills")],
        "similar": [(hit.id, hit.score) for hit in kb.similar(CONTACTLESS)],
        "documents": sorted(doc.id for doc in kb),
        "get": kb.get(CERTIFICATE).title,
    }


def built(content_dir: Path) -> Path:
    """The index of `content_dir`, built and closed."""
    kb = lessons.load(content_dir)
    location = Path(kb.index.location)
    kb.close()
    return location


def test_an_unchanged_index_is_not_read_whole_on_reopening(content_dir, full_checks):
    location = built(content_dir)
    assert full_checks == [str(location)]  # the new file, when it was made
    for _ in range(3):  # each opening syncs (and records when), closes, and vouches again
        kb = lessons.load(content_dir)
        assert kb.last_sync.unchanged == 6 and not kb.last_sync.rebuilt
        assert kb.search("payments")[0].id
        kb.close()
    assert full_checks == [str(location)]
    assert is_verified(location)


def test_a_command_run_after_another_does_not_check_the_index_again(content_dir, cli, full_checks):
    for _ in range(3):
        result = cli("search", "payments", "--content", content_dir)
        assert result.exit_code == 0 and CONTACTLESS in result.output
    assert len(full_checks) == 1


def test_an_index_another_program_wrote_is_checked_again(content_dir, full_checks):
    location = built(content_dir)
    conn = sqlite3.connect(location)  # SQLite, but not through lessons
    with conn:
        conn.execute("UPDATE sources SET synced_at='2000-01-01T00:00:00+00:00'")
    conn.close()
    assert not is_verified(location)
    lessons.load(content_dir).close()
    assert len(full_checks) == 2
    lessons.load(content_dir).close()
    assert len(full_checks) == 2


@pytest.mark.parametrize("damage", list(DAMAGE), ids=list(DAMAGE))
def test_a_file_damaged_after_it_was_vouched_for_is_rebuilt_on_the_next_opening(content_dir, full_checks,
                                                                                  capsys, damage):
    expected = answers(lessons.load(content_dir, index=":memory:"))
    location = built(content_dir)
    assert is_verified(location)
    location.write_bytes(DAMAGE[damage](location.read_bytes()))
    assert not is_verified(location)
    rebuilt_quietly(content_dir, expected, capsys)
    assert is_verified(location)


def rebuilt_quietly(content_dir: Path, expected: object, capsys: pytest.CaptureFixture[str]) -> None:
    """Opening the damaged index rebuilds it, gives a fresh index's answers, warns and prints nothing."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        kb = lessons.load(content_dir)
        assert kb.last_sync.rebuilt
        assert answers(kb) == expected
    assert capsys.readouterr() == ("", "")
    kb.close()


def _noise(size: int) -> bytes:
    return (b"\xde\xad\xbe\xef noise " * (size // 10 + 1))[:size]


SAME_SIZE = {
    "all noise": lambda data: _noise(len(data)),
    "valid header, noise after": lambda data: data[:100] + _noise(len(data) - 100),
    "first page intact, noise after": lambda data: data[:16384] + _noise(len(data) - 16384),
    "second half noise": lambda data: data[:len(data) // 2] + _noise(len(data) - len(data) // 2),
    "last quarter noise": lambda data: data[:len(data) * 3 // 4] + _noise(len(data) - len(data) * 3 // 4),
    "second half zeroed": DAMAGE["second half zeroed"],
    "last quarter zeroed": DAMAGE["last quarter zeroed"],
    "half a page zeroed": lambda data: data[:len(data) // 2] + bytes(8192) + data[len(data) // 2 + 8192:],
}


def damaged_in_place(location: Path, damage: str) -> None:
    """Damage the file without changing its size; put its modification time back as it was."""
    before = os.stat(location)
    data = location.read_bytes()
    location.write_bytes(SAME_SIZE[damage](data))
    assert location.stat().st_size == len(data)
    os.utime(location, ns=(before.st_atime_ns, before.st_mtime_ns))


@pytest.mark.parametrize("damage", list(SAME_SIZE), ids=list(SAME_SIZE))
def test_damage_that_keeps_the_size_and_puts_the_time_back_is_still_seen(content_dir, full_checks, capsys, damage):
    expected = answers(lessons.load(content_dir, index=":memory:"))
    location = built(content_dir)
    damaged_in_place(location, damage)
    assert not is_verified(location)  # the change time moved
    rebuilt_quietly(content_dir, expected, capsys)


# Damage the file's times cannot show (a disk's own fault): here the stamp is made to vouch
# for the damaged file. What SQLite meets as damage while syncing or reading is rebuilt
# there. (Half a page of zeros in the postings reads as rows of NULLs, without an error:
# only the whole-file check finds that one, which is why it runs on every unknown file.)
MET_WHEN_READ = [name for name in SAME_SIZE if name != "half a page zeroed"]


@pytest.mark.parametrize("damage", MET_WHEN_READ, ids=MET_WHEN_READ)
def test_damage_the_stamp_cannot_see_is_rebuilt_where_it_is_met(content_dir, full_checks, capsys, damage):
    expected = answers(lessons.load(content_dir, index=":memory:"))
    location = built(content_dir)
    damaged_in_place(location, damage)
    assert connection.record_verified(location)
    checked = len(full_checks)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        kb = lessons.load(content_dir)
        assert answers(kb) == expected
        assert kb.last_sync.rebuilt
    assert capsys.readouterr() == ("", "")
    assert len(full_checks) == checked + 1  # only the new file's, once the damage was met
    kb.close()


def test_a_stamp_in_the_same_clock_tick_as_the_write_it_records_is_not_trusted(content_dir):
    location = built(content_dir)
    state = file_state(location)
    assert state is not None and is_verified(location)
    stamp = Path(f"{location}{VERIFIED_SUFFIX}")
    # A write in the tick the stamp was made in would leave the recorded time unchanged.
    os.utime(stamp, ns=(state[4], state[4]))
    assert not is_verified(location)


@pytest.mark.parametrize("stamp", ["", "not json", "{}", '{"state": [1, 2], "backfilled": true}',
                                   '{"state": "abc", "backfilled": false}'])
def test_a_stamp_that_makes_no_sense_means_checking_the_file(content_dir, full_checks, stamp):
    location = built(content_dir)
    Path(f"{location}{VERIFIED_SUFFIX}").write_text(stamp, encoding="utf-8")
    assert not is_verified(location)
    kb = lessons.load(content_dir)
    assert kb.search("payments")
    kb.close()
    assert len(full_checks) == 2 and is_verified(location)


def test_a_deleted_index_takes_its_stamp_with_it(content_dir):
    location = built(content_dir)
    stamp = Path(f"{location}{VERIFIED_SUFFIX}")
    assert stamp.is_file()
    connection.delete_database(location)
    assert not stamp.exists() and not location.exists()


def test_similar_for_ids_only_reads_no_reasons_and_makes_no_snippet(kb, monkeypatch):
    from lessons.query import similarity

    made: list[str] = []
    real_words, real_snippet = similarity.Similarity._shared_words, similarity.snippet

    def words(self: similarity.Similarity, *args: object, **kwargs: object) -> object:
        made.append("why")
        return real_words(self, *args, **kwargs)  # type: ignore[arg-type]

    def snippet(*args: object, **kwargs: object) -> str:
        made.append("snippet")
        return real_snippet(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(similarity.Similarity, "_shared_words", words)
    monkeypatch.setattr(similarity, "snippet", snippet)
    found = [hit.id for hit in kb.similar(CONTACTLESS, kind=None)]
    assert len(found) >= 2 and made == []
    hits = kb.similar(CONTACTLESS, kind=None)
    assert hits[0].why and made == ["why"]  # what is read is made, once
    assert hits[0].why and hits[0].snippet and made == ["why", "snippet"]
