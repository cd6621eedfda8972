"""Where the index lives, and opening it: WAL, patience with other processes, damage.

The index is a cache of the content folder, so a damaged file is deleted and built
again, while a busy one ("database is locked") is waited for and never deleted: another
process is writing it. The integrity check that finds a damaged file reads every page;
it runs only when the file is not as this library last vouched for it (`is_verified`).
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from ..errors import LessonsError

INDEX_DIR = ".lessons"
MEMORY = ":memory:"
VERIFIED_SUFFIX = "-verified"
"""Beside the index file: its state (`file_state`) when it last passed the integrity check."""


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
    for suffix in ("", "-wal", "-shm", "-journal", VERIFIED_SUFFIX):
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

    The check reads every page, so it is skipped for a file this library vouched for
    (`is_verified`): damage it did not see then is met on reading, and rebuilt there
    (`is_damage`). The connection is in autocommit mode: transactions are explicit.
    Whether the tables are ours and current is for the sync to decide, inside its write
    transaction (`schema.is_current`).
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
        if where != MEMORY and not is_verified(where):
            full_check(conn)
            record_verified(where)
    except BaseException:
        conn.close()
        raise
    return conn


def full_check(conn: sqlite3.Connection) -> None:
    """Raise `sqlite3.DatabaseError` unless SQLite finds the file sound (it reads every page).

    About 0.07 s at 10,000 documents and 0.65 s at 100,000: run only on a file that is not
    as this library last vouched for it (`is_verified`).
    """
    verdict = conn.execute("PRAGMA quick_check(1)").fetchone()
    if not verdict or verdict[0] != "ok":
        raise sqlite3.DatabaseError(f"index failed its integrity check: {verdict}")


def file_state(where: Path | str) -> tuple[int, ...] | None:
    """What an integrity check vouches for: the file's device, inode, size, modification and
    change times, then its WAL's size and modification time ((0, 0) for none or an empty one).
    None when there is no file.

    The file's change time (``st_ctime``) moves with every write and every `os.utime`: a
    tool that puts the modification time back does not hide its write. (Not the WAL's:
    SQLite sets its owner and mode, and so its change time, whenever it opens it.)
    """
    try:
        db = os.stat(where)
    except OSError:
        return None
    try:
        wal = os.stat(f"{where}-wal")
    except OSError:
        wal = None
    # An empty WAL adds nothing to the database; SQLite deletes it on the last close.
    log = (wal.st_size, wal.st_mtime_ns) if wal is not None and wal.st_size else (0, 0)
    return db.st_dev, db.st_ino, db.st_size, db.st_mtime_ns, db.st_ctime_ns, *log


_FILE, _WAL = slice(0, 5), slice(5, 7)
"""The parts of a `file_state`: the file's, its WAL's."""


def _latest(state: tuple[int, ...]) -> int:
    """The latest time a `file_state` records."""
    return max(state[3], state[4], state[6])


def is_verified(where: Path | str) -> bool:
    """True when the index file is as it was when it passed its check (or this library last wrote it).

    Anything else that writes the file (a copy, a truncation, another program) changes its
    size or its times. A stamp whose recorded times are not older than the stamp itself is
    not trusted: a write in the same clock tick as the one recorded would not change them
    (git's "racily clean" entries). Damage below the file system, which changes no time,
    is met where SQLite reads it (`is_damage`).
    """
    try:
        with open(f"{where}{VERIFIED_SUFFIX}", "rb") as stamp:
            written = os.fstat(stamp.fileno()).st_mtime_ns
            recorded = json.loads(stamp.read(4096))
        state = tuple(int(value) for value in recorded["state"])
        backfilled = recorded["backfilled"] is True
    except (OSError, ValueError, TypeError, KeyError):
        return False
    now = file_state(where)
    if now is None or len(state) != len(now) or _latest(state) >= written:
        return False
    # A WAL whose every frame was already copied into the file may since have been deleted.
    return now == state or (backfilled and now[_FILE] == state[_FILE] and now[_WAL] == (0, 0))


def record_verified(where: Path | str, *, backfilled: bool = False) -> bool:
    """Vouch for the index file as it is now (it just passed its check, or this library wrote it).

    Args:
        backfilled: every frame of the WAL is in the file too, so losing the WAL loses nothing.

    Returns:
        Whether the stamp was written (never where the folder is read-only, nor on a file
        system whose clock ticks too coarsely to tell a later write apart).
    """
    state = file_state(where)
    path = f"{where}{VERIFIED_SUFFIX}"
    temporary = f"{path}.{os.getpid()}"
    try:
        Path(path).unlink(missing_ok=True)  # the old stamp no longer tells the truth
        if state is None:
            return False
        text = json.dumps({"state": state, "backfilled": backfilled})
        for _ in range(25):  # wait out the clock tick of the last write, a few ms at most
            with open(temporary, "w", encoding="utf-8") as out:
                out.write(text)
            if os.stat(temporary).st_mtime_ns > _latest(state):
                os.replace(temporary, path)
                return True
            time.sleep(0.002)
        os.unlink(temporary)
    except OSError:  # a read-only folder: the next opening checks the file again
        with suppress(OSError):
            os.unlink(temporary)
    return False


def checkpoint_and_record(conn: sqlite3.Connection, where: Path | str) -> bool:
    """After this library wrote the index: copy the WAL into the file and vouch for the result.

    Only for a file that was vouched for before the write (`is_verified`): what this
    library writes through SQLite is as sound as what it found. Copying the WAL now (it
    never waits for readers) means SQLite's own copy when the last connection closes has
    nothing left to write, so the file keeps the state recorded here.
    """
    try:
        busy, frames, copied = conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
    except sqlite3.OperationalError:  # another process's checkpoint, say: the next opening checks
        return False
    return record_verified(where, backfilled=not busy and frames == copied)
