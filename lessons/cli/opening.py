"""Opening the knowledge base for a command: the local index, or a shared one on a server."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from ..store.discover import find_content


def open_with_progress(content: Path | None, database: str | None = None, sources: tuple[str, ...] = (),
                       *, sync_as: str | None = None, write: bool = False) -> Any:
    """Open the knowledge base, with a progress bar when many files need indexing.

    Args:
        content: the content folder (default: found from here).
        database: a shared index (``postgresql://…``). Only `lessons index` (`write`)
            syncs the content folder into it; the other commands read it as every
            source's last sync left it, narrowed to `sources`, checkout or not.
        sync_as: the source name `write` syncs the content folder under.
    """
    from ..opening import connect, load

    if database and not write:
        return connect(database, source=list(sources) or None)
    root = content or find_content()
    bar: Any = None

    def progress(done: int, total: int) -> None:
        nonlocal bar
        if total < 200 or not sys.stderr.isatty():
            return
        if bar is None:
            bar = click.progressbar(length=total, label="Indexing", file=sys.stderr)
            bar.__enter__()
        bar.update(1)
        if done == total:
            bar.__exit__(None, None, None)

    return load(root, progress=progress, database=database, source=sync_as)


def with_database(func: Any) -> Any:
    """``--database URL`` and ``--source NAME`` for a command that reads the index (pass both to `_open`)."""
    func = click.option("--source", "sources", multiple=True, metavar="NAME",
                        help="Index the content as this source (`index`), or read only this source's "
                             "documents (repeatable) in a shared index.")(func)
    return click.option("--database", envvar="LESSONS_DATABASE", metavar="URL",
                        help="A shared index on PostgreSQL (postgresql://user@host/db; password from "
                             "PGPASSWORD or ~/.pgpass) instead of the local file [env: LESSONS_DATABASE].")(func)
