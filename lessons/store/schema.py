"""The index's versions, its tables' DDL, and the search fields it counts words in.

The version constants are kept apart from the table classes (`tables`), which import
SQLModel: the search path reads them without importing SQLAlchemy. The DDL is compiled
from those classes only when tables have to be created.
"""

from __future__ import annotations

import hashlib
import sqlite3
from functools import lru_cache
from pathlib import Path

SCHEMA_VERSION = "7"
"""Bumped whenever the tables or what goes into them change; an index of another
version is emptied and rebuilt."""
FIELD_NAMES = ("title", "summary", "labels", "text")
"""The fields a stem is counted in: ``postings.tf_title`` … ``postings.tf_text``."""

TABLE_NAMES = frozenset({"meta", "files", "documents", "sections", "labels", "action_items",
                         "timeline_events", "postings", "terms", "stems", "words"})
_CLUSTERED = frozenset({"postings", "labels"})
_READERS = ("parsing/actions", "store/discover", "parsing/fields", "parsing/frontmatter", "store/prepare",
            "model", "parsing/parse", "store/search_text", "parsing/sections", "store/tables",
            "parsing/timeline", "store/tokenize")
"""The modules whose code decides what a file becomes in the index."""


def reader_fingerprint(package: Path | None = None) -> str:
    """The lessons version and a hash of the code that reads files into the index.

    An index made by other reading code is rebuilt: a newer parser may read the same
    file differently, and a sync only re-reads files whose bytes changed. The hash
    catches what the version misses (an install from a branch, a working copy).
    """
    from .. import __version__

    folder = package or Path(__file__).parent.parent
    digest = hashlib.sha256()
    for name in _READERS:
        try:
            digest.update((folder / f"{name}.py").read_bytes())
        except OSError:  # installed without sources: the version alone decides
            digest.update(name.encode())
    return f"{__version__}+{digest.hexdigest()[:12]}"


_reader = lru_cache(maxsize=1)(reader_fingerprint)


def ensure_schema(conn: sqlite3.Connection) -> bool:
    """Create the tables, or empty them when another schema or reading code made them."""
    reader = _reader()
    has_meta = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type='table' AND name='meta'").fetchone()
    if has_meta:
        stored = dict(conn.execute(
            "SELECT key, value FROM meta WHERE key IN ('schema_version', 'lessons_version')").fetchall())
        if stored == {"schema_version": SCHEMA_VERSION, "lessons_version": reader}:
            return False
    for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'").fetchall():
        conn.execute(f'DROP TABLE "{name}"')
    for statement in schema_statements():
        conn.execute(statement)
    conn.executemany("INSERT INTO meta(key, value) VALUES (?, ?)",
                     [("schema_version", SCHEMA_VERSION), ("lessons_version", reader)])
    return True


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
