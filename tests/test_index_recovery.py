"""The index recovers from what happens to caches: kills, full disks, damaged tables.

A rebuild killed half-way leaves the previous index; a full disk is one clear error
line; tables damaged by hand are rebuilt quietly from the content; forked parse
workers die with the process that started them.
"""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import lessons
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
