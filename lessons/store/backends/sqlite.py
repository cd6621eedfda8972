"""The index in a SQLite file: one team's cache of its content folder.

Opening, WAL and damage are in `lessons.store.connection`; this is the `Backend` over
it. A sync is one ``BEGIN IMMEDIATE`` transaction, so SQLite's own lock makes syncs
take turns and the per-source locks are not needed.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import cast

from . import Backend, Connection, compile_schema
from .sqlite_schema import STATEMENTS

_CLUSTERED = frozenset({"postings", "labels"})
"""Tables stored in primary-key order (``WITHOUT ROWID``)."""


class SqliteBackend(Backend):
    kind = "sqlite"

    def __init__(self, conn: sqlite3.Connection, where: str) -> None:
        super().__init__(cast(Connection, conn), where)
        self.raw = conn

    @contextmanager
    def write_transaction(self) -> Iterator[Connection]:
        with write_transaction(self.raw):
            yield self.conn

    def hold_snapshot(self) -> None:
        hold_snapshot(self.raw)

    def release_snapshot(self) -> None:
        release_snapshot(self.raw)

    def table_names(self) -> set[str]:
        return {name for (name,) in self.raw.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")}

    def view_names(self) -> set[str]:
        return {name for (name,) in self.raw.execute("SELECT name FROM sqlite_master WHERE type='view'")}

    def schema_statements(self) -> list[str]:
        # Recorded from the SQLModel classes (`compiled_schema`): importing SQLAlchemy and
        # SQLModel to compile them took a third of a second at the start of every first
        # build, before the first file was parsed. A test compares the two.
        return list(STATEMENTS)

    def reserve_block(self) -> int:
        # The write transaction is exclusive: the counter in `meta` needs no other lock.
        row = self.raw.execute("SELECT value FROM meta WHERE key='next_block'").fetchone()
        block = int(row[0]) if row else 0
        self.raw.execute("INSERT INTO meta(key, value) VALUES ('next_block', ?) "
                         "ON CONFLICT(key) DO UPDATE SET value=excluded.value", (str(block + 1),))
        return block


@contextmanager
def write_transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """``BEGIN IMMEDIATE`` … ``COMMIT``, rolled back on any exception.

    A read snapshot the connection holds (`hold_snapshot`) ends first: SQLite has no
    nested transactions, and a writer must see the latest index anyway.
    """
    release_snapshot(conn)
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:  # SQLite may have rolled back already (a full disk, say)
            conn.execute("ROLLBACK")
        raise


def hold_snapshot(conn: sqlite3.Connection) -> None:
    """Make every read on `conn` see the index as it is now, until `release_snapshot`.

    In WAL mode a read transaction keeps the state of its first read while other
    processes write: a command that reads the index many times (the documents, then
    postings, then documents by key) never mixes two versions of it.
    """
    release_snapshot(conn)
    conn.execute("BEGIN DEFERRED")
    conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchone()  # the first read fixes the snapshot


def release_snapshot(conn: sqlite3.Connection) -> None:
    """End the read transaction `hold_snapshot` began, if one is open."""
    if conn.in_transaction:
        conn.execute("COMMIT")


def compiled_schema() -> list[str]:
    """The CREATE statements of the tables, compiled from the SQLModel classes for SQLite."""
    from sqlalchemy.dialects import sqlite

    return compile_schema(sqlite.dialect(), suffix={name: " WITHOUT ROWID" for name in _CLUSTERED})
