"""The index's versions, its tables' DDL, and the search fields it counts words in.

The version constants are kept apart from the table classes (`tables`), which import
SQLModel: the search path reads them without importing SQLAlchemy. The DDL is compiled
from those classes only when tables have to be created.
"""

from __future__ import annotations

import sqlite3

SCHEMA_VERSION = "11"
"""Bumped whenever the tables or what goes into them change; an index of another
version is emptied and rebuilt."""
PARSER_VERSION = "11"
"""Bump when the reading code changes: `lessons/parsing/`, `lessons/model.py`, `lessons/fieldspec.py`,
`store/tokenize.py` or `store/search_text.py`.

A sync re-reads only files whose bytes changed, so an index made by other reading code
would keep documents as that code read them; an index of another parser version is
rebuilt. A test fails when those sources change and this does not: bump it, then
re-record their hash with ``python -m tests.record_parser_version``.
"""
FIELD_NAMES = ("title", "summary", "labels", "text")
"""The fields a stem is counted in: ``postings.tf_title`` … ``postings.tf_text``."""

TABLE_NAMES = frozenset({"meta", "files", "documents", "sections", "labels", "action_items",
                         "timeline_events", "postings", "terms", "stems", "words"})
_CLUSTERED = frozenset({"postings", "labels"})
VERSIONS = {"schema_version": SCHEMA_VERSION, "parser_version": PARSER_VERSION}
"""What `meta` must hold for an index to be used as it is."""


REBUILD_MARK = "rebuild"
"""Written over ``schema_version`` to have the next sync rebuild the index (`Index.clear`)."""


def is_current(conn: sqlite3.Connection) -> bool:
    """True when the database holds all our tables, made by this schema and this reading code."""
    marks = ",".join("?" * len(TABLE_NAMES))
    try:
        found = conn.execute(f"SELECT COUNT(*) FROM sqlite_master WHERE type='table' AND name IN ({marks})",
                             sorted(TABLE_NAMES)).fetchone()[0]
        if found != len(TABLE_NAMES):
            return False
        marks = ",".join("?" * len(VERSIONS))
        stored = dict(conn.execute(f"SELECT key, value FROM meta WHERE key IN ({marks})",
                                   list(VERSIONS)).fetchall())
    except sqlite3.OperationalError:  # a meta table without our columns
        return False
    return stored == VERSIONS


def create_tables(conn: sqlite3.Connection) -> None:
    """Drop every table and create ours, empty, inside the caller's transaction.

    The caller refills them in the same transaction: another process, or this one if
    it is killed half-way, sees the previous index or the complete new one, never an
    empty one.
    """
    for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'").fetchall():
        conn.execute(f'DROP TABLE "{name}"')
    for statement in schema_statements():
        conn.execute(statement)
    conn.executemany("INSERT INTO meta(key, value) VALUES (?, ?)", list(VERSIONS.items()))


def schema_statements() -> list[str]:
    """CREATE TABLE and CREATE INDEX statements compiled from the SQLModel classes."""
    from sqlalchemy.dialects import sqlite
    from sqlalchemy.schema import CreateIndex, CreateTable
    from sqlmodel import SQLModel

    from . import tables  # noqa: F401  (registers the tables on SQLModel.metadata)

    dialect = sqlite.dialect()
    statements = []
    for table in SQLModel.metadata.sorted_tables:
        if table.name not in TABLE_NAMES:
            continue
        create = str(CreateTable(table, if_not_exists=True).compile(dialect=dialect)).rstrip()
        if table.name in _CLUSTERED:
            # Stored in primary-key order: a stem's postings sit together on disk, and
            # the table needs no second copy of its key as an index.
            create += " WITHOUT ROWID"
        statements.append(create)
        statements.extend(str(CreateIndex(index, if_not_exists=True).compile(dialect=dialect))
                          for index in table.indexes)
    return statements
