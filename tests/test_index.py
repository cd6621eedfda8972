"""The index: a documented SQLite cache of the content folder, kept up to date cheaply.

What a user relies on: the tables can be read with any SQLite tool; a sync re-reads
only what changed; a stale, foreign or damaged index is rebuilt without fuss; the
index never lands in a read-only content folder; and neither two processes at once
nor a process killed half-way leave an index that gives wrong answers.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
import warnings
from pathlib import Path

import pytest

import lessons
import lessons.parsing.parse
import lessons.store.prepare
import lessons.store.tables
from lessons.store.index import SyncStats, default_location
from lessons.store.schema import PARSER_VERSION
from lessons.store.schema import SCHEMA_VERSION

import record_parser_version  # tests/ is on the path: pytest's rootdir conftest

PARSER_RECORD = Path(__file__).parent / "data" / "parser_version.json"

DOCUMENTED_TABLES = {"documents", "sections", "labels", "action_items", "timeline_events",
                     "postings", "terms", "files", "meta"}
CONTACTLESS = "2024-03-16-contactless-payments-update"
CERTIFICATE = "2022-11-02-certificate-expiry"


def postmortem(title: str, day: str, body: str, **fields: str) -> str:
    extra = "".join(f"{key}: {value}\n" for key, value in fields.items())
    return f"---\ntitle: {title}\ndate: {day}\n{extra}---\n\n## Summary\n\n{body}\n"


def tables_of(db: Path) -> set[str]:
    with sqlite3.connect(db) as conn:
        return {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}


def ids_found(kb: lessons.KnowledgeBase, query: str) -> list[str]:
    return [hit.document.id for hit in kb.search(query, limit=100)]


def counting_parser(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record the path of every file the parser is asked to parse."""
    parsed: list[str] = []
    real = lessons.parsing.parse.parse_text

    def spy(text: str, path: Path | str = "<text>", **kwargs: object) -> object:
        parsed.append(Path(path).name)
        return real(text, path, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(lessons.store.prepare, "parse_text", spy)  # where the sync calls it
    return parsed


def counts(stats: SyncStats) -> tuple[int, int, int, int]:
    return stats.added, stats.updated, stats.removed, stats.unchanged


# -- where the index lives, what it holds ------------------------------------------


def test_index_lives_next_to_the_content_and_is_ignored_by_git(kb, content_dir):
    assert Path(kb.index.location) == content_dir / ".lessons" / "index.db"
    assert Path(kb.index.location).is_file()
    ignore = (content_dir / ".lessons" / ".gitignore").read_text(encoding="utf-8")
    assert "*" in ignore.splitlines()


def test_the_index_folder_is_not_read_as_content(content_dir):
    lessons.load(content_dir).close()
    (content_dir / ".lessons" / "notes.md").write_text(postmortem("Hidden", "2020-01-01", "x"))
    kb = lessons.load(content_dir)
    assert "notes" not in kb
    assert len(kb) == 6


def test_memory_index_writes_nothing_to_disk(content_dir):
    kb = lessons.load(content_dir, index=":memory:")
    assert len(kb) == 6
    assert not (content_dir / ".lessons").exists()


def test_explicit_index_path_is_used(content_dir, tmp_path):
    where = tmp_path / "elsewhere" / "my.db"
    kb = lessons.load(content_dir, index=where)
    assert Path(kb.index.location) == where
    assert where.is_file()
    assert not (content_dir / ".lessons").exists()


def test_index_has_the_documented_tables(kb):
    found = tables_of(Path(kb.index.location))
    assert found >= DOCUMENTED_TABLES
    documentation = lessons.store.tables.__doc__ or ""
    for name in found - {"sqlite_sequence"}:
        assert f"``{name}``" in documentation, f"table {name} is not documented in lessons/tables.py"


def test_tables_hold_what_a_sqlite_user_expects(kb):
    with sqlite3.connect(kb.index.location) as conn:
        ids = {doc_id for (doc_id,) in conn.execute("SELECT id FROM documents")}
        assert ids == set(kb.ids)
        key, title, kind, day, severity = conn.execute(
            "SELECT key, title, kind, date, severity FROM documents WHERE id=?", (CONTACTLESS,)).fetchone()
        assert (title, kind, day, severity) == (
            "Overnight update stops contactless payments in stores", "postmortem", "2024-03-16", 2)
        labels = set(conn.execute("SELECT field, value FROM labels WHERE doc_key=?", (key,)))
        assert labels == {("cause", "incomplete-testing"), ("service", "payments"),
                          ("service", "store-tills"), ("tag", "retail"), ("tag", "payments"),
                          ("tag", "deploy")}
        sections = [name for (name,) in conn.execute(
            "SELECT name FROM sections WHERE doc_key=? ORDER BY line", (key,))]
        assert sections == [s.name for s in kb.get(CONTACTLESS).sections]
        assert {"summary", "impact", "timeline", "resolution"} <= set(sections)
        actions = conn.execute("SELECT text, done, owner, due FROM action_items WHERE doc_key=? "
                               "ORDER BY line", (key,)).fetchall()
        assert actions == [
            ("Add a contactless card reader to the test bench", 1, "store-platform", "2024-04-01"),
            ("Roll out till updates to ten pilot stores first", 0, "store-platform", "2031-01-31"),
        ]
        events = conn.execute("SELECT at FROM timeline_events WHERE doc_key=? ORDER BY line",
                              (key,)).fetchall()
        assert [at[:16] for (at,) in events] == ["2024-03-16T02:00", "2024-03-16T07:00",
                                                  "2024-03-16T11:30", "2024-03-16T14:00"]
        files = conn.execute("SELECT COUNT(*) FROM files WHERE role='document'").fetchone()[0]
        assert files == 6
        total_items = conn.execute("SELECT COUNT(*) FROM action_items").fetchone()[0]
        assert total_items == len(kb.action_items(status="all"))


def test_schema_version_is_stored(kb):
    with sqlite3.connect(kb.index.location) as conn:
        (version,) = conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
    assert version == SCHEMA_VERSION


# -- incremental sync ---------------------------------------------------------------


def test_first_load_adds_everything_and_second_load_changes_nothing(content_dir, monkeypatch):
    first = lessons.load(content_dir)
    assert first.last_sync.rebuilt
    assert counts(first.last_sync) == (6, 0, 0, 0)
    first.close()
    parsed = counting_parser(monkeypatch)
    again = lessons.load(content_dir)
    assert not again.last_sync.rebuilt
    assert counts(again.last_sync) == (0, 0, 0, 6)
    assert again.last_sync.changed == 0
    assert parsed == []
    assert len(again) == 6


def test_editing_a_file_reparses_only_that_file(kb, content_dir, monkeypatch):
    path = content_dir / "postmortems" / "2022-11-02-certificate-expiry.md"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "browsers refused to connect", "browsers refused to connect to the zeppelin gateway"),
        encoding="utf-8")
    parsed = counting_parser(monkeypatch)
    stats = kb.refresh()
    assert counts(stats) == (0, 1, 0, 5)
    assert parsed == ["2022-11-02-certificate-expiry.md"]
    assert ids_found(kb, "zeppelin") == [CERTIFICATE]


def test_an_edit_replaces_the_old_words(kb, content_dir):
    path = content_dir / "postmortems" / "2024-03-16-contactless-payments-update.md"
    path.write_text(path.read_text(encoding="utf-8").replace("contactless", "wireless"),
                    encoding="utf-8")
    kb.refresh()
    assert CONTACTLESS not in ids_found(kb, "contactless")
    assert ids_found(kb, "wireless")[0] == CONTACTLESS
    assert "wireless" in kb.get(CONTACTLESS).title


def test_touching_a_file_without_changing_it_reparses_nothing(kb, content_dir, monkeypatch):
    path = content_dir / "postmortems" / "2022-11-02-certificate-expiry.md"
    later = time.time() + 3600
    os.utime(path, (later, later))
    parsed = counting_parser(monkeypatch)
    stats = kb.refresh()
    assert counts(stats) == (0, 0, 0, 6)
    assert parsed == []
    # The new modification time is remembered: the next sync does not even hash it.
    monkeypatch.setattr("lessons.store.prepare.read_file", lambda path: pytest.fail(f"{path} was read again"))
    assert counts(kb.refresh()) == (0, 0, 0, 6)


def test_deleting_a_file_removes_it_everywhere(kb, content_dir):
    assert CONTACTLESS in ids_found(kb, "contactless")
    (content_dir / "postmortems" / "2024-03-16-contactless-payments-update.md").unlink()
    stats = kb.refresh()
    assert counts(stats) == (0, 0, 1, 5)
    assert CONTACTLESS not in ids_found(kb, "contactless payments till")
    assert CONTACTLESS not in kb
    with pytest.raises(lessons.DocumentNotFound):
        kb.get(CONTACTLESS)
    assert all(hit.document.id != CONTACTLESS for hit in kb.similar("card payments in stores"))
    with sqlite3.connect(kb.index.location) as conn:
        for table in ("sections", "labels", "action_items", "timeline_events", "terms"):
            orphans = conn.execute(
                f"SELECT COUNT(*) FROM {table} WHERE doc_key NOT IN (SELECT key FROM documents)").fetchone()[0]
            assert orphans == 0, f"{table} keeps rows of the deleted document"
    assert_postings_consistent(kb.index)


def test_a_deleted_file_stays_gone_after_reopening(content_dir):
    lessons.load(content_dir).close()
    (content_dir / "postmortems" / "2022-11-02-certificate-expiry.md").unlink()
    kb = lessons.load(content_dir)
    assert counts(kb.last_sync) == (0, 0, 1, 5)
    assert CERTIFICATE not in ids_found(kb, "certificate expired")
    assert CERTIFICATE not in kb


def test_adding_a_file_makes_it_searchable(kb, content_dir, monkeypatch):
    (content_dir / "postmortems" / "2025-01-10-kafka-lag.md").write_text(
        postmortem("Kafka consumer lag delays order emails", "2025-01-10",
                   "Consumers fell behind after a partition rebalance."), encoding="utf-8")
    parsed = counting_parser(monkeypatch)
    stats = kb.refresh()
    assert counts(stats) == (1, 0, 0, 6)
    assert parsed == ["2025-01-10-kafka-lag.md"]
    assert ids_found(kb, "kafka rebalance")[0] == "2025-01-10-kafka-lag"
    assert len(kb) == 7


def test_renaming_a_file_is_a_removal_and_an_addition(kb, content_dir):
    old = content_dir / "postmortems" / "2022-11-02-certificate-expiry.md"
    old.rename(content_dir / "postmortems" / "2022-11-02-tls-expiry.md")
    stats = kb.refresh()
    assert counts(stats) == (1, 0, 1, 5)
    assert ids_found(kb, "certificate")[0] == "2022-11-02-tls-expiry"
    assert CERTIFICATE not in kb


def test_progress_reports_each_file_that_is_indexed(content_dir):
    calls: list[tuple[int, int]] = []
    lessons.load(content_dir, progress=lambda done, total: calls.append((done, total))).close()
    assert calls == [(n, 6) for n in range(1, 7)]
    calls.clear()
    lessons.load(content_dir, progress=lambda done, total: calls.append((done, total))).close()
    assert calls == []


# -- rebuilding a stale or damaged index ---------------------------------------------


def built_index(content_dir: Path) -> Path:
    kb = lessons.load(content_dir)
    location = Path(kb.index.location)
    kb.close()
    return location


def assert_rebuilt_correctly(content_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        kb = lessons.load(content_dir)
        assert kb.last_sync.rebuilt
        assert counts(kb.last_sync) == (6, 0, 0, 0)
        assert sorted(kb.ids) == sorted(p.stem for p in content_dir.rglob("*.md")
                                        if ".lessons" not in p.parts)
        assert ids_found(kb, "contactless payments")[0] == CONTACTLESS
        assert kb.similar(CONTACTLESS)
        assert len(kb.action_items(status="open")) == 2
        kb.close()
    assert [str(w.message) for w in caught] == []
    out, err = capsys.readouterr()
    assert (out, err) == ("", "")
    with sqlite3.connect(built_index(content_dir)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone() == (SCHEMA_VERSION,)


def test_an_index_from_another_schema_version_is_rebuilt_quietly(content_dir, capsys):
    location = built_index(content_dir)
    with sqlite3.connect(location) as conn:
        conn.execute("UPDATE meta SET value='0' WHERE key='schema_version'")
    assert_rebuilt_correctly(content_dir, capsys)


def test_an_index_made_by_other_reading_code_is_rebuilt_quietly(content_dir, capsys):
    location = built_index(content_dir)
    with sqlite3.connect(location) as conn:
        conn.execute("UPDATE sources SET parser_version='0'")
    assert_rebuilt_correctly(content_dir, capsys)
    with sqlite3.connect(location) as conn:
        assert conn.execute("SELECT parser_version FROM sources").fetchall() == [(PARSER_VERSION,)]


def parser_version_verdict(recorded: dict[str, str], version: str, digest: str) -> str | None:
    """Why the recorded reading-code hash and PARSER_VERSION disagree, or None when they agree."""
    if version != recorded["parser_version"]:
        return (f"PARSER_VERSION is {version}, the record says {recorded['parser_version']}: "
                "run `python -m tests.record_parser_version` to record the new version")
    if digest != recorded["sources_sha256"]:
        return ("the reading code (lessons/parsing/, model.py, store/tokenize.py, store/search_text.py) "
                "changed: bump PARSER_VERSION in lessons/store/schema.py so old indexes are rebuilt, "
                "then run `python -m tests.record_parser_version`")
    return None


def test_parser_version_is_bumped_whenever_the_reading_code_changes():
    recorded = json.loads(PARSER_RECORD.read_text(encoding="utf-8"))
    verdict = parser_version_verdict(recorded, PARSER_VERSION, record_parser_version.sources_sha256())
    assert verdict is None, verdict


def test_the_reading_code_hash_follows_the_parsing_code_only(tmp_path):
    package = Path(lessons.__file__).parent
    copy = tmp_path / "lessons"
    shutil.copytree(package, copy, ignore=shutil.ignore_patterns("__pycache__"))
    here = record_parser_version.sources_sha256(package)
    recorded = {"parser_version": PARSER_VERSION, "sources_sha256": here}
    assert record_parser_version.sources_sha256(copy) == here
    (copy / "cli" / "main.py").write_text("# the command line does not decide what is indexed\n", encoding="utf-8")
    assert record_parser_version.sources_sha256(copy) == here
    for changed in ("parsing/parse.py", "model.py", "store/tokenize.py", "store/search_text.py"):
        with (copy / changed).open("a", encoding="utf-8") as out:
            out.write("\n# a change to what a file becomes\n")
        digest = record_parser_version.sources_sha256(copy)
        assert digest != here, changed
        assert "bump PARSER_VERSION" in (parser_version_verdict(recorded, PARSER_VERSION, digest) or ""), changed
        here = digest
    (copy / "parsing" / "words.txt").write_text("a data file read by the parser\n", encoding="utf-8")
    assert record_parser_version.sources_sha256(copy) != here
    bumped = parser_version_verdict(recorded, PARSER_VERSION + "1", here)
    assert bumped is not None and "record_parser_version" in bumped


def test_an_index_with_an_old_layout_is_rebuilt_quietly(content_dir, capsys):
    location = built_index(content_dir)
    location.unlink()
    with sqlite3.connect(location) as conn:
        conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
        conn.execute("INSERT INTO meta VALUES ('schema_version', '1')")
        conn.execute("CREATE TABLE documents (id TEXT, body TEXT)")
        conn.execute("INSERT INTO documents VALUES ('ghost', 'an old document')")
    assert_rebuilt_correctly(content_dir, capsys)
    assert "ghost" not in lessons.load(content_dir)


def test_a_sqlite_file_that_is_not_ours_is_rebuilt(content_dir, capsys):
    location = built_index(content_dir)
    location.unlink()
    with sqlite3.connect(location) as conn:
        conn.execute("CREATE TABLE documents (whatever INTEGER)")
    assert_rebuilt_correctly(content_dir, capsys)


def _garbage(size: int) -> bytes:
    return (b"\xde\xad\xbe\xef garbage " * (size // 16 + 1))[:size]


DAMAGE = {
    "all garbage": lambda data: _garbage(len(data)),
    "empty file": lambda data: b"",
    "valid header, garbage after": lambda data: data[:100] + _garbage(len(data) - 100),
    "first page intact, garbage after": lambda data: data[:4096] + _garbage(len(data) - 4096),
    "truncated to half": lambda data: data[: len(data) // 2],
    "second half garbage": lambda data: data[: len(data) // 2] + _garbage(len(data) - len(data) // 2),
    "last quarter garbage": lambda data: data[: len(data) * 3 // 4] + _garbage(len(data) - len(data) * 3 // 4),
    "second half zeroed": lambda data: data[: len(data) // 2] + bytes(len(data) - len(data) // 2),
    "last quarter zeroed": lambda data: data[: len(data) * 3 // 4] + bytes(len(data) - len(data) * 3 // 4),
}


@pytest.mark.parametrize("damage", list(DAMAGE), ids=list(DAMAGE))
def test_a_damaged_index_file_is_rebuilt_quietly_and_correctly(content_dir, capsys, damage):
    location = built_index(content_dir)
    data = location.read_bytes()
    location.write_bytes(DAMAGE[damage](data))
    assert_rebuilt_correctly(content_dir, capsys)


def test_an_index_path_that_is_a_folder_gives_an_error_a_person_can_act_on(content_dir, tmp_path):
    where = tmp_path / "taken"
    where.mkdir()
    with pytest.raises(lessons.LessonsError):
        lessons.load(content_dir, index=where)


# -- where the index goes when the content folder is read-only -----------------------


@pytest.fixture
def read_only(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Pretend every folder is read-only (chmod has no effect for root) and use a private cache."""
    cache = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    monkeypatch.delenv("LESSONS_INDEX", raising=False)
    real_access = os.access

    def no_write(path: object, mode: int, *args: object, **kwargs: object) -> bool:
        if mode & os.W_OK and not str(path).startswith(str(cache)):
            return False
        return real_access(path, mode, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "access", no_write)
    return cache


def test_read_only_content_puts_the_index_in_the_user_cache(content_dir, read_only):
    location = default_location(content_dir)
    assert read_only in location.parents
    assert location.name == "index.db"
    kb = lessons.load(content_dir)
    assert Path(kb.index.location) == location
    assert location.is_file()
    assert not (content_dir / ".lessons").exists()
    assert ids_found(kb, "contactless")[0] == CONTACTLESS
    kb.close()
    assert counts(lessons.load(content_dir).last_sync) == (0, 0, 0, 6)


def test_each_read_only_folder_gets_its_own_cached_index(content_dir, tmp_path, read_only):
    other = tmp_path / "other-kb"
    other.mkdir()
    assert default_location(content_dir) != default_location(other)
    assert default_location(content_dir) == default_location(content_dir)


def test_a_read_only_existing_index_folder_is_not_used(content_dir, read_only):
    (content_dir / ".lessons").mkdir()
    assert read_only in default_location(content_dir).parents


def test_lessons_index_overrides_the_location(content_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("LESSONS_INDEX", str(tmp_path / "override.db"))
    assert default_location(content_dir) == tmp_path / "override.db"
    kb = lessons.load(content_dir)
    assert Path(kb.index.location) == tmp_path / "override.db"
    assert not (content_dir / ".lessons").exists()


# -- several processes ---------------------------------------------------------------

SYNC_SCRIPT = textwrap.dedent("""
    import json, os, signal, sys, time
    import lessons

    content, kill_after, pause = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])

    def progress(done, total):
        if kill_after and done >= kill_after:
            os.kill(os.getpid(), signal.SIGKILL)
        time.sleep(pause)

    kb = lessons.load(content, progress=progress)
    s = kb.last_sync
    print(json.dumps({"added": s.added, "updated": s.updated, "removed": s.removed,
                      "unchanged": s.unchanged, "documents": len(kb)}))
""")


def sync_process(content: Path, *, kill_after: int = 0, pause: float = 0.0) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("LESSONS_INDEX", "LESSONS_PATH")}
    return subprocess.Popen([sys.executable, "-c", SYNC_SCRIPT, str(content), str(kill_after), str(pause)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def marker(n: int, generation: int = 0) -> str:
    return f"marker{generation}x{n:04d}"


def write_generated(content: Path, numbers: range, generation: int = 0) -> None:
    folder = content / "postmortems"
    folder.mkdir(parents=True, exist_ok=True)
    for n in numbers:
        body = (f"The queue worker stalled; the alert said {marker(n, generation)}. "
                + "Retries with backoff filled the disk and the consumers fell behind. " * 20)
        (folder / f"gen-{n:04d}.md").write_text(
            postmortem(f"Generated incident {n} in the queue service", f"2020-01-{n % 28 + 1:02d}",
                       body, services="[queue]"), encoding="utf-8")


def assert_postings_consistent(index) -> None:
    """Postings (by stem), terms (by document) and document frequencies tell one story."""
    conn = index.conn
    documents = {key for (key,) in conn.execute("SELECT key FROM documents")}
    by_stem: dict[str, dict[int, tuple[int, ...]]] = {}
    for (stem,) in conn.execute("SELECT DISTINCT stem FROM postings").fetchall():
        keys, counts = index.postings(stem)
        assert len(set(keys.tolist())) == len(keys), f"{stem!r} lists a document twice"
        assert keys.tolist() == sorted(keys.tolist()), f"{stem!r}: keys out of order"
        by_stem[stem] = {int(k): tuple(int(n) for n in row) for k, row in zip(keys, counts, strict=True)}
        assert set(by_stem[stem]) <= documents, f"{stem!r} points at deleted documents"
    df = dict(conn.execute("SELECT stem, df FROM stems").fetchall())
    assert df == {stem: len(docs) for stem, docs in by_stem.items()}, "document frequencies disagree"
    forward = {(stem, key): counts for key in documents for stem, counts in index.terms(key).items()}
    assert forward == {(stem, key): counts for stem, docs in by_stem.items() for key, counts in docs.items()}


def assert_index_matches(content: Path, expected: dict[str, str]) -> None:
    """The index answers exactly as a fresh parse of `content` would: `expected` is id -> marker."""
    location = default_location(content)
    with sqlite3.connect(location) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("SELECT COUNT(*) FROM files").fetchone()[0] == len(expected)
    kb = lessons.load(content)
    assert_postings_consistent(kb.index)
    assert kb.last_sync.changed == 0, "a second sync still found work left over"
    assert sorted(kb.ids) == sorted(expected)
    for doc_id, word in list(expected.items())[:: max(1, len(expected) // 25)]:
        assert [hit.document.id for hit in kb.search(word)] == [doc_id]
    kb.close()


def test_two_processes_syncing_at_once_both_succeed_and_agree(tmp_path):
    content = tmp_path / "big"
    write_generated(content, range(300))
    first, second = sync_process(content, pause=0.002), sync_process(content, pause=0.002)
    outputs = [process.communicate(timeout=120) for process in (first, second)]
    for process, (_, err) in zip((first, second), outputs, strict=True):
        assert process.returncode == 0, err
    stats = [json.loads(out) for out, _ in outputs]
    assert [s["documents"] for s in stats] == [300, 300]
    # They took turns: one indexed everything, the other found nothing left to do.
    assert sorted(s["added"] for s in stats) == [0, 300]
    assert sorted(s["unchanged"] for s in stats) == [0, 300]
    assert_index_matches(content, {f"gen-{n:04d}": marker(n) for n in range(300)})


def test_two_processes_syncing_an_edited_folder_at_once(tmp_path):
    content = tmp_path / "big"
    write_generated(content, range(200))
    lessons.load(content).close()
    write_generated(content, range(0, 100), generation=1)
    for n in range(150, 200):
        (content / "postmortems" / f"gen-{n:04d}.md").unlink()
    processes = [sync_process(content, pause=0.002) for _ in range(2)]
    results = [process.communicate(timeout=120) for process in processes]
    assert [process.returncode for process in processes] == [0, 0], [err for _, err in results]
    stats = [json.loads(out) for out, _ in results]
    assert sorted(s["updated"] for s in stats) == [0, 100]
    assert sorted(s["removed"] for s in stats) == [0, 50]
    expected = {f"gen-{n:04d}": marker(n, 1) for n in range(100)}
    expected |= {f"gen-{n:04d}": marker(n) for n in range(100, 150)}
    assert_index_matches(content, expected)


def test_a_process_killed_during_the_first_build_leaves_a_usable_index(tmp_path):
    content = tmp_path / "big"
    write_generated(content, range(300))
    process = sync_process(content, kill_after=120)
    _, err = process.communicate(timeout=120)
    assert process.returncode == -signal.SIGKILL, err
    kb = lessons.load(content)
    assert counts(kb.last_sync) == (300, 0, 0, 0)
    kb.close()
    assert_index_matches(content, {f"gen-{n:04d}": marker(n) for n in range(300)})


def test_a_process_killed_during_an_update_leaves_the_previous_index_then_catches_up(tmp_path):
    content = tmp_path / "big"
    write_generated(content, range(300))
    lessons.load(content).close()
    write_generated(content, range(0, 120), generation=1)
    write_generated(content, range(300, 340), generation=1)
    for n in range(250, 300):
        (content / "postmortems" / f"gen-{n:04d}.md").unlink()

    process = sync_process(content, kill_after=60)
    _, err = process.communicate(timeout=120)
    assert process.returncode == -signal.SIGKILL, err

    # Nothing of the interrupted sync is visible: the index is the previous, complete one.
    with sqlite3.connect(default_location(content)) as conn:
        assert conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == 300
        assert conn.execute("SELECT COUNT(*) FROM postings WHERE stem=?", (marker(5, 1),)).fetchone()[0] == 0
        assert conn.execute("SELECT COUNT(*) FROM words WHERE word=?", (marker(5),)).fetchone()[0] == 1

    kb = lessons.load(content)
    assert counts(kb.last_sync) == (40, 120, 50, 130)
    kb.close()
    expected = {f"gen-{n:04d}": marker(n, 1) for n in [*range(120), *range(300, 340)]}
    expected |= {f"gen-{n:04d}": marker(n) for n in range(120, 250)}
    assert_index_matches(content, expected)


def test_a_busy_index_is_never_mistaken_for_a_damaged_one():
    # "database is locked" means another process is writing the index right now: deleting
    # the file then would pull it from under that process. Only real damage rebuilds.
    from lessons.store.connection import is_damage

    assert not is_damage(sqlite3.OperationalError("database is locked"))
    assert is_damage(sqlite3.DatabaseError("file is not a database"))
    assert is_damage(sqlite3.DatabaseError("database disk image is malformed"))


def test_postings_come_back_in_key_order_with_their_counts(kb):
    import numpy as np

    stem = "payment"  # in four of the test documents
    keys, counts = kb.index.postings(stem)
    assert len(keys) == 4
    # Rewrite the stem's rows with the documents in reverse order, as another writer might.
    conn = kb.index.conn
    conn.execute("DELETE FROM postings WHERE stem=?", (stem,))
    conn.execute("INSERT INTO postings(stem, block, doc_keys, counts) VALUES (?,?,?,?)",
                 (stem, 0, keys[::-1].astype("<i4").tobytes(), counts[::-1].astype("<u2").tobytes()))
    again, again_counts = kb.index.postings(stem)
    assert again.tolist() == keys.tolist()
    assert np.array_equal(again_counts, counts)


def test_searching_a_built_index_does_not_import_sqlalchemy(content_dir):
    # The table classes (SQLModel) are only needed to create the tables: a search on a
    # built index starts in a fifth of the time without them.
    built_index(content_dir)
    code = ("import sys, lessons; kb = lessons.load(sys.argv[1]); assert kb.search('payments'); "
            "print(sorted(m for m in ('sqlalchemy', 'sqlmodel') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code, str(content_dir)], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "[]"
