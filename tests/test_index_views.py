"""The index's documented SQL surface: ``sections``, ``action_items`` and ``timeline_events``.

Since schema version 14 they are views over ``documents.data`` instead of tables that
held the same text again. A user querying them with any SQLite tool (or psql) gets the
rows the tables held: the values the writer used to insert, made here from the parsed
documents, on every document the tests and the sample content hold.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

import lessons
from lessons.model import Document
from lessons.store.schema import SCHEMA_VERSION, VIEW_NAMES

from test_index_rows import DOCUMENTS  # tests/ is on the path: pytest's rootdir conftest



def rows_the_tables_held(doc: Document) -> dict[str, list[tuple[Any, ...]]]:
    """What the writer inserted into the three tables for one document (until schema version 14)."""
    return {
        "sections": [(i, s.name, s.heading, s.line, s.text) for i, s in enumerate(doc.sections)],
        "action_items": [(i, a.line, a.text, int(a.done), a.owner, a.due.isoformat() if a.due else None)
                         for i, a in enumerate(doc.action_items)],
        "timeline_events": [(i, e.line, e.at.isoformat() if e.at else None, e.text)
                            for i, e in enumerate(doc.timeline)],
    }


QUERIES = {
    "sections": "SELECT position, name, heading, line, text FROM sections WHERE doc_key=? ORDER BY position",
    "action_items": "SELECT position, line, text, done, owner, due FROM action_items WHERE doc_key=? "
                    "ORDER BY position",
    "timeline_events": "SELECT position, line, at, text FROM timeline_events WHERE doc_key=? ORDER BY position",
}


def views_folder(base: Path) -> tuple[Path, dict[str, Document]]:
    """Every test document with an id of its own, in one content folder under `base` (id -> parsed document)."""
    folder = base / "content"
    kept: dict[str, Document] = {}
    for path, root, doc in DOCUMENTS:
        if doc.id in kept:  # the folders share some ids; the index would keep only one
            continue
        kept[doc.id] = doc
        target = folder / root.name / path.relative_to(root)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(path.read_bytes())
    return folder, kept


@pytest.fixture(scope="module")
def one_folder(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Document]]:
    return views_folder(tmp_path_factory.mktemp("views"))


def assert_views_hold_the_tables_rows(query: Any, keys: dict[str, int], docs: dict[str, Document]) -> None:
    checked = 0
    for doc_id, key in keys.items():
        expected = rows_the_tables_held(docs[doc_id])
        for view, sql in QUERIES.items():
            found = [tuple(row) for row in query(sql, key)]
            assert found == expected[view], (doc_id, view)
            checked += len(found)
    assert checked > 500


def test_the_views_hold_the_rows_the_tables_held(one_folder: tuple[Path, dict[str, Document]],
                                                 tmp_path: Path) -> None:
    folder, docs = one_folder
    lessons.load(folder, index=tmp_path / "index.db").close()
    with sqlite3.connect(tmp_path / "index.db") as conn:
        keys = dict(conn.execute("SELECT id, key FROM documents"))
        assert set(keys) == set(docs)
        assert_views_hold_the_tables_rows(lambda sql, key: conn.execute(sql, (key,)).fetchall(), keys, docs)
        kinds = dict(conn.execute("SELECT name, type FROM sqlite_master WHERE name IN ('sections', 'action_items', "
                                  "'timeline_events')"))
    assert kinds == dict.fromkeys(VIEW_NAMES, "view")


def test_an_index_of_the_earlier_layout_is_rebuilt_with_views(content_dir: Path, tmp_path: Path) -> None:
    """A file of an earlier version, whose three tables carry the views' names, becomes a current one."""
    where = tmp_path / "index.db"
    with sqlite3.connect(where) as conn:
        conn.execute("CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)")
        conn.execute("INSERT INTO meta VALUES ('schema_version', '12')")
        for name in VIEW_NAMES:
            conn.execute(f"CREATE TABLE {name} (rowid INTEGER PRIMARY KEY, doc_key INTEGER, text VARCHAR)")
    conn.close()
    kb = lessons.load(content_dir, index=where)
    kb.close()
    with sqlite3.connect(where) as conn:
        kinds = dict(conn.execute("SELECT name, type FROM sqlite_master WHERE type IN ('table', 'view')"))
        (version,) = conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
        items = conn.execute("SELECT COUNT(*) FROM action_items").fetchone()[0]
    assert version == SCHEMA_VERSION
    assert {kinds[name] for name in VIEW_NAMES} == {"view"}
    assert items == len(lessons.load(content_dir, index=where).action_items(status="all"))
