"""The index on a PostgreSQL server: one knowledge base for many teams (psycopg 3).

Every sync is one ``READ COMMITTED`` transaction. Syncs of the same source take turns
on a transaction-level advisory lock named after the source; syncs of different
sources run side by side and meet only at their last step, when each takes the
shared lock to add its words and recount document frequencies (see `Backend.lock_shared`).
A killed sync's transaction is rolled back by the server with its locks. Readers hold
a ``REPEATABLE READ`` snapshot, so a search never mixes two states of a source.

Credentials come from the URL, the ``PG*`` environment variables or ``~/.pgpass``
(libpq reads them); messages name the user, host and database, never the password.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from ...errors import LessonsError
from . import Backend, Connection, compile_schema

_LOCK_CLASS = 0x1E55
"""The first key of the advisory locks lessons takes (the second names what is locked)."""
_SHARED, _SCHEMA = 1, 2


class DatabaseUnavailable(LessonsError):
    """The server cannot be reached, refused the login, or dropped the connection."""


@functools.lru_cache(maxsize=512)
def to_psycopg(sql: str) -> str:
    """The store's ``?`` parameters as psycopg's ``%s`` (a literal ``%`` doubled)."""
    return sql.replace("%", "%%").replace("?", "%s")


def redact(url: str) -> str:
    """A database URL without its password (``postgresql://user@host:port/db``)."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = (f"{parts.username}@" if parts.username else "") + host + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def _one_line(exc: BaseException) -> str:
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return lines[0] if lines else type(exc).__name__


class PgConnection:
    """A psycopg connection that speaks the store's SQL (``?`` parameters).

    A lost connection becomes one `DatabaseUnavailable` line. The connection is in
    autocommit mode: transactions are explicit, as with SQLite.
    """

    def __init__(self, raw: Any, where: str) -> None:
        self.raw = raw
        self.where = where

    def execute(self, sql: str, parameters: Sequence[Any] = (), /) -> Any:
        import psycopg

        try:
            return self.raw.execute(to_psycopg(sql), parameters or None)
        except psycopg.OperationalError as exc:
            if self.raw.closed or self.raw.broken:
                raise DatabaseUnavailable(f"the index database {self.where}: {_one_line(exc)}") from None
            raise

    def executemany(self, sql: str, rows: Any, /) -> None:
        import psycopg

        rows = list(rows)
        if not rows:
            return
        try:
            with self.raw.cursor() as cursor:
                cursor.executemany(to_psycopg(sql), rows)
        except psycopg.OperationalError as exc:
            if self.raw.closed or self.raw.broken:
                raise DatabaseUnavailable(f"the index database {self.where}: {_one_line(exc)}") from None
            raise

    @property
    def in_transaction(self) -> bool:
        from psycopg.pq import TransactionStatus

        return bool(self.raw.info.transaction_status != TransactionStatus.IDLE)

    def close(self) -> None:
        self.raw.close()


class PostgresBackend(Backend):
    kind = "postgresql"
    shared = True

    def __init__(self, conn: PgConnection) -> None:
        super().__init__(conn, conn.where)
        self.pg = conn

    @classmethod
    def connect(cls, url: str, *, connect_timeout: int = 10) -> PostgresBackend:
        """Connect to the server at `url`; one clear line when that fails."""
        try:
            import psycopg
        except ImportError:
            raise LessonsError("a PostgreSQL index needs psycopg: pip install 'lessons[postgres]'") from None
        where = redact(url.replace("postgresql+psycopg://", "postgresql://"))
        try:
            raw = psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True,
                                  connect_timeout=connect_timeout, application_name="lessons")
        except psycopg.Error as exc:
            raise DatabaseUnavailable(f"cannot connect to the index database {where}: {_one_line(exc)}") from None
        return cls(PgConnection(raw, where))

    @contextmanager
    def write_transaction(self) -> Iterator[Connection]:
        self.release_snapshot()
        self.conn.execute("BEGIN ISOLATION LEVEL READ COMMITTED")
        try:
            yield self.conn
            self.conn.execute("COMMIT")
        except BaseException:
            if not self.pg.raw.closed and self.pg.in_transaction:
                with contextlib.suppress(LessonsError):  # the connection is gone; so is the transaction
                    self.conn.execute("ROLLBACK")
            raise

    def hold_snapshot(self) -> None:
        self.release_snapshot()
        self.conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        self.conn.execute("SELECT 1").fetchone()  # the first statement fixes the snapshot

    def release_snapshot(self) -> None:
        if self.pg.in_transaction:
            self.conn.execute("COMMIT")

    def table_names(self) -> set[str]:
        return {name for (name,) in self.conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")}

    def view_names(self) -> set[str]:
        return {name for (name,) in self.conn.execute(
            "SELECT viewname FROM pg_views WHERE schemaname = current_schema()")}

    def drop_tables(self, names: set[str]) -> None:
        super().drop_tables(names)
        self.conn.execute("DROP SEQUENCE IF EXISTS lessons_blocks")

    def schema_statements(self) -> list[str]:
        from sqlalchemy.dialects import postgresql

        # Byte order, as SQLite compares: prefix searches and orderings agree on both.
        statements = compile_schema(postgresql.dialect(), text_type='VARCHAR COLLATE "C"')  # type: ignore[no-untyped-call]
        return [*statements, "CREATE SEQUENCE IF NOT EXISTS lessons_blocks MINVALUE 0 START 0"]

    def lock_source(self, name: str) -> None:
        self.conn.execute("SELECT pg_advisory_xact_lock(?, hashtext(?))", (_LOCK_CLASS, name)).fetchone()

    def lock_shared(self) -> None:
        self.conn.execute("SELECT pg_advisory_xact_lock(?, ?)", (_LOCK_CLASS + 1, _SHARED)).fetchone()

    def lock_schema(self) -> None:
        self.conn.execute("SELECT pg_advisory_xact_lock(?, ?)", (_LOCK_CLASS + 1, _SCHEMA)).fetchone()

    def reserve_block(self) -> int:
        # A sequence never hands out a number twice, whatever the transactions do.
        return int(self.conn.execute("SELECT nextval('lessons_blocks')").fetchone()[0])
