"""The index recovers from what happens to caches: kills, full disks, damaged tables.

A rebuild killed half-way leaves the previous index; a full disk is one clear error
line; tables damaged by hand are rebuilt quietly from the content; forked parse
workers die with the process that started them.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

import lessons
import lessons.store.connection
from lessons.store.connection import default_location


def write_generated(content: Path, count: int) -> None:
    folder = content / "postmortems"
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        (folder / f"gen-{n:04d}.md").write_text(
            f"---\ntitle: Generated incident {n}\ndate: 2020-01-{n % 28 + 1:02d}\n---\n\n## Summary\n\n"
            f"The queue worker stalled; the alert said marker{n:04d}. "
            + "Retries with backoff filled the disk. " * 10 + "\n", encoding="utf-8")


def documents_in(location: Path) -> int:
    with sqlite3.connect(location) as conn:
        return int(conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0])


# -- lessons index --rebuild ---------------------------------------------------------

KILLED_REBUILD = textwrap.dedent("""
    import os, signal, sys
    import lessons.store.workers as workers

    real, calls = workers.prepare, []

    def prepare_then_die(*args, **kwargs):
        calls.append(1)
        if len(calls) > int(sys.argv[2]):
            os.kill(os.getpid(), signal.SIGKILL)
        return real(*args, **kwargs)

    workers.prepare = prepare_then_die
    from lessons.cli.main import main
    main(["index", "--rebuild", "--content", sys.argv[1]], prog_name="lessons")
""")


def test_a_rebuild_killed_half_way_leaves_the_previous_index(tmp_path):
    content = tmp_path / "kb"
    write_generated(content, 300)
    lessons.load(content).close()
    location = default_location(content)
    assert documents_in(location) == 300

    done = subprocess.run([sys.executable, "-c", KILLED_REBUILD, str(content), "100"], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == -signal.SIGKILL, done.stderr[-2000:]

    assert documents_in(location) == 300, "the killed rebuild left an emptied index behind"
    kb = lessons.load(content)
    assert kb.last_sync.rebuilt, "the rebuild asked for was not finished by the next command"
    assert (kb.last_sync.added, len(kb)) == (300, 300)
    assert [hit.document.id for hit in kb.search("marker0123")] == ["gen-0123"]


def test_a_reader_sees_the_old_index_until_a_rebuild_commits(content_dir):
    reader = lessons.load(content_dir)
    writer = lessons.load(content_dir)
    writer.index.clear()  # what `lessons index --rebuild` does first
    assert len(reader) == 6 and reader.search("contactless")
    assert writer.index.count() == 6, "the tables were emptied before the rebuild refilled them"
    stats = writer.refresh()
    assert stats.rebuilt and stats.added == 6
    reader.refresh()
    assert len(reader) == 6 and reader.search("contactless")


# -- a full disk ------------------------------------------------------------------------


def fill_the_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every index opened from now on may not grow by more than a page (SQLITE_FULL beyond)."""
    real = lessons.store.connection.connect

    def connect_to_a_full_disk(where: Path | str) -> sqlite3.Connection:
        conn = real(where)
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages + 1}")
        return conn

    monkeypatch.setattr(lessons.store.connection, "connect", connect_to_a_full_disk)


def test_a_full_disk_is_one_clear_error_and_the_index_stays_as_it_was(content_dir, monkeypatch):
    lessons.load(content_dir).close()
    write_generated(content_dir, 150)
    fill_the_disk(monkeypatch)
    with pytest.raises(lessons.LessonsError) as raised:
        lessons.load(content_dir)
    location = default_location(content_dir)
    assert str(raised.value).startswith(f"the index at {location} could not be written: the disk is full")
    monkeypatch.undo()
    assert documents_in(location) == 6
    assert len(lessons.load(content_dir)) == 156


def test_a_full_disk_in_a_command_is_an_error_line_not_a_traceback(content_dir, cli, monkeypatch):
    write_generated(content_dir, 150)
    fill_the_disk(monkeypatch)
    for args in (["search", "queue"], ["index"], ["index", "--rebuild"], ["check"]):
        result = cli(*args, "--content", content_dir)
        assert result.exit_code == 2, (args, result.output, result.exception)
        assert isinstance(result.exception, SystemExit), result.exception
        assert result.stderr.startswith("error: the index at "), result.stderr
        assert "could not be written: the disk is full" in result.stderr
        assert "Traceback" not in result.stderr


def test_an_operational_error_that_is_not_a_full_disk_is_not_called_one():
    from lessons.store.connection import is_full

    assert is_full(sqlite3.OperationalError("database or disk is full"))
    assert is_full(OSError(28, "No space left on device"))
    assert not is_full(sqlite3.OperationalError("database is locked"))
    assert not is_full(OSError(13, "Permission denied"))


# -- parse workers ---------------------------------------------------------------------

KILLED_PARALLEL_SYNC = textwrap.dedent("""
    import os, signal, sys
    from pathlib import Path
    import lessons

    def children():
        found = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == os.getpid():
                found.append(stat.parent.name)
        return found

    def progress(done, total):
        if done == 100:  # the workers are busy parsing now
            print(" ".join(children()), flush=True)
            os.kill(os.getpid(), signal.SIGKILL)

    lessons.load(sys.argv[1], progress=progress)
""")


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"  # a zombie has exited; only its parent's reaping is left


@pytest.mark.skipif(not sys.platform.startswith("linux") or (os.cpu_count() or 1) < 2,
                    reason="parsing runs in worker processes on Linux with several cores")
def test_parse_workers_die_with_a_killed_parent(tmp_path):
    content = tmp_path / "kb"
    write_generated(content, 500)
    process = subprocess.Popen([sys.executable, "-c", KILLED_PARALLEL_SYNC, str(content)],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert process.stdout is not None
    workers = [int(pid) for pid in process.stdout.readline().split()]
    assert process.wait(timeout=60) == -signal.SIGKILL
    assert len(workers) >= 2, "the sync did not parse in worker processes"
    deadline = time.monotonic() + 5
    while any(map(alive, workers)) and time.monotonic() < deadline:
        time.sleep(0.05)
    survivors = [pid for pid in workers if alive(pid)]
    for pid in survivors:  # leave nothing behind, whatever the verdict
        os.kill(pid, signal.SIGKILL)
    process.stdout.close()
    assert survivors == [], "parse workers outlived the process that started them"
    kb = lessons.load(content)
    assert len(kb) == 500
