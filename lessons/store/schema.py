"""The index's versions, its tables' DDL, and the search fields it counts words in.

The version constants are kept apart from the table classes (`tables`), which import
SQLModel: the search path reads them without importing SQLAlchemy. The DDL is compiled
from those classes only when tables have to be created.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import LessonsError
from .views import VIEWS

if TYPE_CHECKING:
    from .backends import Backend

SCHEMA_VERSION = "14"
"""Bumped whenever the tables or what goes into them change; a SQLite index of another
version is emptied and rebuilt, a server's is refused (other teams' lessons wrote it)."""
PARSER_VERSION = "22"
"""Bump when the reading code changes: `lessons/parsing/`, `lessons/model.py`, `lessons/fieldspec.py`,
`store/tokenize.py` or `store/search_text.py`.

A sync re-reads only files whose bytes changed, so an index made by other reading code
would keep documents as that code read them; a source indexed by another parser
version is re-indexed (and only that source). A test fails when those sources change
and this does not: bump it, then re-record their hash with
``python -m tests.record_parser_version``.
"""
FIELD_NAMES = ("title", "summary", "labels", "text")
"""The fields a stem is counted in: ``postings.tf_title`` … ``postings.tf_text``."""

TABLE_NAMES = frozenset({"meta", "sources", "source_blocks", "files", "documents", "labels", "postings", "terms",
                         "stems", "words"})
VIEW_NAMES = frozenset(VIEWS)
"""Views over ``documents.data`` (`lessons.store.views`): a documented SQL surface that stores nothing."""

REBUILD_MARK = "rebuild"
"""Written over a source's ``parser_version`` to have its next sync rebuild it (`Index.clear`)."""


def stored_version(backend: Backend) -> str | None:
    """The schema version of the tables in the database; None when it holds none of ours."""
    found = backend.table_names() & TABLE_NAMES
    if not found:
        return None
    if found != TABLE_NAMES:
        return "incomplete"
    try:
        row = backend.conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
    except Exception as exc:  # a meta table without our columns (sqlite3 or psycopg says so)
        if backend.shared:
            raise LessonsError(f"the index database {backend.where} has a table 'meta' that lessons did not "
                               f"make ({type(exc).__name__}); use a database of its own for lessons") from None
        return "unknown"
    version = str(row[0]) if row else "unknown"
    if version == SCHEMA_VERSION and not backend.view_names() >= VIEW_NAMES:
        return "incomplete"  # a view dropped by hand: the documented SQL surface is rebuilt with the rest
    return version


def ensure_tables(backend: Backend) -> bool:
    """Inside a write transaction: make our tables current. True when they were (re)made empty.

    A SQLite index of another version is dropped and made again in this transaction
    (another process, or this one if it is killed half-way, sees the previous index or
    the complete new one). A server's tables of another version were written by another
    lessons for other teams: they are refused, never dropped.
    """
    version = stored_version(backend)
    if version == SCHEMA_VERSION:
        return False
    if backend.shared:
        backend.lock_schema()  # two first syncs at once: one creates, the other waits and sees it
        version = stored_version(backend)
        if version == SCHEMA_VERSION:
            return False
        if version is not None:
            raise LessonsError(
                f"the index database {backend.where} holds lessons tables of schema version {version}, "
                f"and this lessons writes version {SCHEMA_VERSION}: run one lessons version against it "
                "(upgrading all teams at once, an administrator drops its tables and each team's next "
                "sync fills them again)")
    else:
        backend.drop_tables(backend.table_names() | backend.view_names())
    for statement in backend.schema_statements():
        backend.conn.execute(statement)
    backend.conn.execute("INSERT INTO meta(key, value) VALUES ('schema_version', ?)", (SCHEMA_VERSION,))
    return True


def is_current(backend: Backend) -> bool:
    """True when the database holds all our tables, made by this schema."""
    return stored_version(backend) == SCHEMA_VERSION
