"""Where the index lives, and opening it: WAL, patience with other processes, damage.

The index is a cache of the content folder, so a damaged file is deleted and built
again, while a busy one ("database is locked") is waited for and never deleted: another
process is writing it.
"""

from __future__ import annotations

import errno
import hashlib
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import LessonsError

INDEX_DIR = ".lessons"
MEMORY = ":memory:"


def default_location(root: Path) -> Path:
    """Where the index of a content folder lives.

    ``LESSONS_INDEX`` wins; else ``<content>/.lessons/index.db`` (git-ignored by the
    ``.gitignore`` written beside it); else, when the content folder is read-only,
    the user cache directory.
    """
    env = os.environ.get("LESSONS_INDEX")
    if env:
        return Path(env)
    local = root / INDEX_DIR
    if _writable(local) or (not local.exists() and _writable(root)):
        return local / "index.db"
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "lessons"
    digest = hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:16]
    return cache / digest / "index.db"


def _writable(path: Path) -> bool:
    return path.is_dir() and os.access(path, os.W_OK | os.X_OK)


def prepare_folder(folder: Path) -> None:
    """Create the index's folder, with a ``.gitignore`` when it is ``.lessons/``."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        ignore = folder / ".gitignore"
        if folder.name == INDEX_DIR and not ignore.exists():
            ignore.write_text("# The lessons index: a cache, rebuilt from content.\n*\n", encoding="utf-8")
    except OSError as exc:
        raise LessonsError(f"cannot create the index folder {folder}: {exc.strerror or exc}") from None


def delete_database(path: Path) -> None:
    """Remove an index file and its SQLite side files (it is a cache: content rebuilds it)."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


class IndexDamaged(sqlite3.DatabaseError):
    """The index's tables hold what this code never writes: they are rebuilt from the content."""


_MISSING = ("no such table", "no such column", "could not decode")
"""How SQLite says a table or column is gone or holds bytes where text belongs."""


def is_damage(exc: sqlite3.DatabaseError) -> bool:
    """True when an error means the index is damaged (rebuild it), not merely busy.

    `sqlite3.OperationalError` ("database is locked", "disk I/O error") is about the
    moment, not the file: another process is writing it, and deleting it would pull the
    floor from under that process. A table or column that is missing is damage, though.
    """
    if isinstance(exc, sqlite3.OperationalError):
        return str(exc).lower().startswith(_MISSING)
    return True


def is_file_damage(exc: sqlite3.DatabaseError) -> bool:
    """True when the file itself is damaged ("not a database", "malformed"): only a new file helps.

    Other damage is in the tables' contents, and is rebuilt in place, in one
    transaction, so that other processes reading the index are not disturbed.
    """
    return type(exc) is sqlite3.DatabaseError


def is_full(exc: BaseException) -> bool:
    """True when an error says the disk (or the database's size limit) is full."""
    if isinstance(exc, sqlite3.OperationalError):
        return getattr(exc, "sqlite_errorname", "") == "SQLITE_FULL" or "is full" in str(exc)
    return isinstance(exc, OSError) and exc.errno == errno.ENOSPC


@contextmanager
def disk_full_as_error(where: Path | str) -> Iterator[None]:
    """Turn a full disk met while writing the index into one `LessonsError` line."""
    try:
        yield
    except (sqlite3.OperationalError, OSError) as exc:
        if not is_full(exc):
            raise
        raise LessonsError(f"the index at {where} could not be written: the disk is full (free some space, "
                           "or set LESSONS_INDEX to a file on another disk; the index is only a cache)") from None


def connect_patiently(where: Path | str, *, patience: float = 60.0) -> sqlite3.Connection:
    """`connect`, waiting while another process holds the file; a clear error after `patience` s."""
    # Switching a new database to WAL needs a moment alone with it; when another process
    # is doing the same, SQLite answers "locked" at once instead of waiting.
    import time

    deadline = time.monotonic() + patience
    while True:
        try:
            return connect(where)
        except sqlite3.OperationalError as exc:
            if is_full(exc):
                raise
            if ("locked" not in str(exc) and "busy" not in str(exc)) or time.monotonic() > deadline:
                raise LessonsError(f"cannot open the index {where}: {exc} (is another process "
                                   "holding it? it is a cache: deleting it is always safe)") from None
            time.sleep(0.05)


def connect(where: Path | str) -> sqlite3.Connection:
    """Open the database in WAL mode and check that the file is sound.

    The connection is in autocommit mode: transactions are explicit. Whether the tables
    are ours and current is for the sync to decide, inside its write transaction
    (`schema.is_current`).
    """
    conn = sqlite3.connect(str(where), timeout=60, isolation_level=None, check_same_thread=False)
    try:
        # Pages of 16 KB (SQLite's default is 4 KB) for a new file; a no-op on one that has
        # pages. A document row (~7 KB of JSON) then fits on its page instead of running on
        # into overflow pages: a 10,000-document first build spent a fifth less CPU in the
        # writer, and reading documents back is no slower. (Set before WAL: once a file is
        # in WAL mode its page size is fixed.)
        conn.execute("PRAGMA page_size=16384")
        if where != MEMORY and conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        # A flush reads and rewrites the postings rows of whole blocks: a larger page
        # cache keeps them in memory (64 MB, allocated only as used).
        conn.execute("PRAGMA cache_size=-65536")
        conn.execute("PRAGMA busy_timeout=60000")
        if where != MEMORY:
            # Reads every page once (tens of milliseconds for thousands of documents), so a
            # file damaged anywhere is rebuilt now instead of failing in the middle of a search.
            verdict = conn.execute("PRAGMA quick_check(1)").fetchone()
            if not verdict or verdict[0] != "ok":
                raise sqlite3.DatabaseError(f"index failed its integrity check: {verdict}")
    except BaseException:
        conn.close()
        raise
    return conn
