"""Where the index lives: a SQLite file (one team) or a PostgreSQL server (many teams).

A `Backend` owns what differs between the two: connecting, the transactions, the
locks that let syncs take turns, the DDL and handing out blocks of document keys.
Everything else (`sync`, `postings`, `index`, the query layer) talks to the
connection it gives with the same portable SQL: ``?`` parameters, ``INSERT … ON
CONFLICT``, ``length(blob)``, no ``sqlite_master``. The PostgreSQL connection turns
``?`` into psycopg's ``%s``; nothing else is rewritten.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from typing import Any, Protocol

from ..schema import TABLE_NAMES, VIEW_NAMES
from ..views import view_statements


class Cursor(Protocol):
    """What the store and the query layer use of a cursor (sqlite3's and psycopg's agree)."""

    def fetchone(self) -> Any: ...
    def fetchall(self) -> list[Any]: ...
    def __iter__(self) -> Iterator[Any]: ...


class Connection(Protocol):
    """What the store and the query layer use of a connection."""

    def execute(self, sql: str, parameters: Sequence[Any] = ..., /) -> Any: ...
    def executemany(self, sql: str, rows: Any, /) -> Any: ...
    def close(self) -> None: ...


class Backend(ABC):
    """The database behind an `Index`: one connection and what differs between servers.

    `SqliteBackend` and `PostgresBackend` implement the abstract methods; the locks are
    no-ops unless a server has other writers to wait for.
    """

    kind = ""
    """``sqlite`` or ``postgresql``."""
    shared = False
    """True for a server many teams write: another schema version is refused, not dropped."""

    def __init__(self, conn: Connection, where: str) -> None:
        self.conn = conn
        self.where = where
        """How messages name the database (never with a password)."""

    @abstractmethod
    def write_transaction(self) -> AbstractContextManager[Connection]:
        """A transaction the sync writes in: committed on success, rolled back on an exception."""

    @abstractmethod
    def hold_snapshot(self) -> None:
        """Make every read see the index as it is now, until the next write or `release_snapshot`."""

    @abstractmethod
    def release_snapshot(self) -> None:
        """End the snapshot `hold_snapshot` began: reads see later syncs again."""

    @abstractmethod
    def table_names(self) -> set[str]:
        """The names of the tables in the database (ours or not)."""

    @abstractmethod
    def view_names(self) -> set[str]:
        """The names of the views in the database (ours or not)."""

    def drop_tables(self, names: set[str]) -> None:
        """Drop these tables and views, and our views (they stand on our tables).

        A table of an earlier layout may have a view's name (``sections`` was a table): it goes too.
        """
        views = self.view_names()
        for name in sorted(views & (names | VIEW_NAMES)):
            self.conn.execute(f'DROP VIEW IF EXISTS "{name}"')
        for name in sorted((names | VIEW_NAMES) - views):
            self.conn.execute(f'DROP TABLE IF EXISTS "{name}"')

    @abstractmethod
    def schema_statements(self) -> list[str]:
        """The DDL that creates our tables and indexes, in this database's dialect."""

    def lock_source(self, name: str) -> None:
        """Inside a write transaction: wait until no other sync of source `name` runs."""
        return  # SQLite lets one writer in at a time: nothing more to wait for (a server overrides this)

    def lock_shared(self) -> None:
        """Inside a write transaction: wait for the vocabulary and document frequencies.

        They are shared by every source; the sync takes this lock only for its last step,
        so that syncs of different sources parse and write their documents side by side.
        """
        return  # SQLite lets one writer in at a time: nothing more to wait for (a server overrides this)

    def lock_schema(self) -> None:
        """Inside a write transaction: wait until no other process creates the tables."""
        return  # SQLite lets one writer in at a time: nothing more to wait for (a server overrides this)

    @abstractmethod
    def reserve_block(self) -> int:
        """A block of document keys no source has had (inside the caller's transaction)."""

    def close(self) -> None:
        self.conn.close()


def is_server_url(database: str) -> bool:
    """True for a PostgreSQL URL (``postgresql://…``, ``postgres://…``)."""
    return database.startswith(("postgresql://", "postgres://", "postgresql+psycopg://"))


def compile_schema(dialect: Any, *, suffix: dict[str, str] | None = None,
                   text_type: str | None = None) -> list[str]:
    """CREATE TABLE and CREATE INDEX statements compiled from the SQLModel classes, then the views.

    Args:
        suffix: what to append to a table's CREATE TABLE (``WITHOUT ROWID``).
        text_type: what to write instead of ``VARCHAR`` (a collation, for a server).
    """
    from sqlalchemy.schema import CreateIndex, CreateTable
    from sqlmodel import SQLModel

    from .. import tables  # noqa: F401  (registers the tables on SQLModel.metadata)

    statements = []
    for table in SQLModel.metadata.sorted_tables:
        if table.name not in TABLE_NAMES:
            continue
        create = str(CreateTable(table, if_not_exists=True).compile(dialect=dialect)).rstrip()
        if text_type:
            create = create.replace(" VARCHAR", " " + text_type)
        statements.append(create + (suffix or {}).get(table.name, ""))
        statements.extend(str(CreateIndex(index, if_not_exists=True).compile(dialect=dialect))
                          for index in table.indexes)
    return [*statements, *view_statements(dialect.name)]
