"""Opening a knowledge base: from a folder (`load`), a shared index (`connect`), or in one call (`search`).

These are the library's front door; `lessons.load` and friends resolve here.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from .errors import LessonsError
from .kb import KnowledgeBase
from .query.results import SearchResult
from .store.discover import find_content, site_url_near
from .store.index import Index, Progress, SyncStats, synced
from .taxonomy import load_taxonomy, stored_taxonomy


def load(path: str | Path | None = None, *, index: str | Path | None = None, database: str | None = None,
         source: str | None = None, site_url: str | None = None,
         progress: Progress | None = None) -> KnowledgeBase:
    """Open a folder of Markdown documents as a `KnowledgeBase`, indexing what changed.

    Args:
        path: the content folder; None finds it from ``LESSONS_PATH`` or the
            nearest ``mkdocs.yml``/``content/`` above the working directory.
        index: where the index lives: a file path, ``":memory:"``, or None for the
            default (``<content>/.lessons/index.db``, or the user cache directory
            when the content folder is read-only; ``LESSONS_INDEX`` overrides).
        database: a shared index on a server (``postgresql://user@host/db``; default
            ``LESSONS_DATABASE``), which wins over `index`. Credentials come from the
            URL, the ``PG*`` variables or ``~/.pgpass``.
        source: the name the folder is indexed under (default: the git remote's
            repository, else the folder's name); ids are unique within a source.
            The knowledge base lists, checks and builds this source's documents; its
            searches span every source of the index (``source=`` narrows them).
        site_url: the address of the folder's site, so that results link to its pages
            (default: ``site_url`` of the ``mkdocs.yml`` beside the folder).
        progress: called as ``progress(done, total)`` while files are (re)indexed.

    Raises:
        LessonsError: the folder does not exist, the index cannot be created, or the
            server cannot be reached (one line naming it, never the password).
    """
    root = Path(path) if path is not None else find_content()
    if not root.is_dir():
        raise LessonsError(f"{root} is not a folder")
    database = database or os.environ.get("LESSONS_DATABASE") or None
    where = database if database else index
    url = site_url or site_url_near(root)
    taxonomy = load_taxonomy(root)
    idx, stats = synced(Index.open(root, where, source=source, url=url), progress, taxonomy=taxonomy.to_json())
    return KnowledgeBase(root, idx, taxonomy, stats)


def connect(database: str | None = None, *, source: list[str] | str | None = None) -> KnowledgeBase:
    """Open a shared index to read it only, with no content folder (a chat bot, a dashboard)::

        kb = lessons.connect("postgresql://bot@db.internal/lessons")
        for hit in kb.search("card payments declined after release"):
            print(hit.source, hit.document.title, hit.url)

    Args:
        database: a ``postgresql://`` URL or a SQLite index file (default ``LESSONS_DATABASE``).
        source: read only these sources (default: all of them).

    The knowledge base sees the index as it was when it was opened; `refresh()` reads it
    again as the sources' syncs have left it. Its taxonomy is the causes each source's last
    sync stored (a cause two sources define is taken from the first by name).
    """
    database = database or os.environ.get("LESSONS_DATABASE")
    if not database:
        raise LessonsError("lessons.connect needs a database: a postgresql:// URL or an index file "
                           "(or set LESSONS_DATABASE)")
    scope = tuple(sorted({source} if isinstance(source, str) else set(source or ())))
    idx = Index.connect(database, scope=scope)
    return KnowledgeBase(Path(), idx, stored_taxonomy(idx.taxonomies()), SyncStats())


def search(query: str, *, path: str | Path | None = None, limit: int = 10, **filters: Any) -> list[SearchResult]:
    """Search the knowledge base at `path` (default: found from LESSONS_PATH or the working directory).

    A one-call convenience for other tools::

        for hit in lessons.search("leap second"):
            print(hit.document.title, hit.reason)
    """
    return load(path).search(query, limit=limit, **filters)
