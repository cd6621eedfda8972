"""Sources: the repositories whose documents share one index, and their document keys.

Each indexed content folder is a named source; ids need only be unique within one. A
sync works on one source and touches only that source's rows, so several sources can
be synced at once on a server. Document keys are handed out by blocks of 1,024
(`postings.BLOCK_BITS`): a block belongs to one source, so a postings row (one stem,
one block) only ever holds one source's documents and two syncs never write one row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import LessonsError
from .postings import BLOCK_BITS
from .schema import PARSER_VERSION, TABLE_NAMES

if TYPE_CHECKING:
    from .backends import Backend

_GENERIC = frozenset({"content", "docs", "doc", "postmortems", "post-mortems", "lessons", "kb"})
"""Folder names that say nothing about whose documents they hold."""


def default_name(root: Path) -> str:
    """A source's name when none is given: the git remote's repository, else the folder's name.

    ``git@example.com:payments/incidents.git`` -> ``incidents``. A folder called
    ``content`` or ``docs`` is named after the folder it is in.
    """
    import subprocess  # here: only a source without a name asks git (a twentieth of opening an index)

    try:
        found = subprocess.run(["git", "-C", str(root), "remote", "get-url", "origin"], capture_output=True,
                               text=True, timeout=10, check=False)
        url = found.stdout.strip() if found.returncode == 0 else ""
    except (OSError, subprocess.SubprocessError):
        url = ""
    name = re.sub(r"\.git$", "", re.split(r"[/:]", url.rstrip("/"))[-1]) if url else ""
    if not name:
        here = root.resolve()
        name = here.parent.name if here.name.lower() in _GENERIC and here.parent.name else here.name
    return name or "default"


def check_name(name: str) -> str:
    """`name` if it can name a source (one line of printable text, at most 100 characters)."""
    if not name or len(name) > 100 or not name.isprintable() or name != name.strip():
        raise LessonsError(f"a source name is 1 to 100 printable characters without surrounding spaces, "
                           f"not {name!r}")
    return name


def page_url(site: str | None, rel: str) -> str | None:
    """The address of a document's page on its source's site (MkDocs' directory URLs)."""
    if not site:
        return None
    from urllib.parse import quote

    stem = rel.rsplit(".", 1)[0]
    return site.rstrip("/") + "/" + quote(stem[:-len("index")] if stem.endswith("index") else stem + "/")


@dataclass(slots=True)
class Keys:
    """The keys of one source's sync: from its open block, then from new blocks."""

    backend: Backend
    source: str
    next: int
    """The next key to give; a multiple of the block size means a block must be reserved."""

    def take(self) -> int:
        if self.next % (1 << BLOCK_BITS) == 0:
            block = self.backend.reserve_block()
            self.backend.conn.execute("INSERT INTO source_blocks(block, source) VALUES (?, ?)",
                                      (block, self.source))
            self.next = max(block << BLOCK_BITS, 1)  # key 0 is never used
        key = self.next
        self.next += 1
        return key


def open_source(backend: Backend, name: str, *, url: str | None) -> tuple[Keys, bool]:
    """Inside the write transaction, after `lock_source`: the source's keys, and whether it is new.

    A source indexed by another parser version, or marked by `Index.clear`, is emptied
    here first (and reported new): its files are all read again. Other sources keep
    their rows.
    """
    conn = backend.conn
    row = conn.execute("SELECT parser_version, next_key FROM sources WHERE name=?", (name,)).fetchone()
    fresh = row is None or row[0] != PARSER_VERSION
    if row is None:
        conn.execute("INSERT INTO sources(name, parser_version, next_key, url, synced_at, taxonomy) "
                     "VALUES (?,?,?,?,?,?)", (name, PARSER_VERSION, 0, url, "", ""))
        next_key = 0
    else:
        next_key = int(row[1])
        if fresh:
            drop_rows(backend, name)
            next_key = 0  # its blocks went with its rows
    return Keys(backend, name, next_key), fresh


def drop_rows(backend: Backend, name: str) -> None:
    """Delete every row of one source (its documents, files, postings and blocks)."""
    conn = backend.conn
    others = conn.execute("SELECT COUNT(*) FROM sources WHERE name != ?", (name,)).fetchone()[0]
    if not others:
        # The only source: emptying the tables is much faster than deleting row by row.
        for table in sorted(TABLE_NAMES - {"meta", "sources", "words"}):
            conn.execute(f"DELETE FROM {table}")
        if not backend.shared:  # alone with the file: keys start again from 1
            conn.execute("DELETE FROM meta WHERE key='next_block'")
        return
    mine = "SELECT key FROM documents WHERE source=?"
    for table in ("sections", "labels", "action_items", "timeline_events", "terms"):
        conn.execute(f"DELETE FROM {table} WHERE doc_key IN ({mine})", (name,))
    conn.execute("DELETE FROM postings WHERE block IN (SELECT block FROM source_blocks WHERE source=?)", (name,))
    for table in ("documents", "files", "source_blocks"):
        conn.execute(f"DELETE FROM {table} WHERE source=?", (name,))


def close_source(backend: Backend, keys: Keys, *, url: str | None, taxonomy: str | None = None) -> None:
    """Record where the source's keys stand, when it was synced and its taxonomy (end of the transaction).

    Args:
        taxonomy: the source's causes as JSON ("" for none); None keeps what is stored.
    """
    now = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
    backend.conn.execute("UPDATE sources SET parser_version=?, next_key=?, url=COALESCE(?, url), synced_at=?, "
                         "taxonomy=COALESCE(?, taxonomy) WHERE name=?",
                         (PARSER_VERSION, keys.next, url, now, taxonomy, keys.source))


def names(backend: Backend) -> list[str]:
    return [name for (name,) in backend.conn.execute("SELECT name FROM sources ORDER BY name")]
