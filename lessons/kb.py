"""`KnowledgeBase`: a content folder, its taxonomy and its index, ready to query."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Literal, TypeVar

from .advise import Advice, Change
from .advise import advise as advise_change
from .errors import DocumentNotFound, LessonsError, Problem
from .model import ActionItem, Document, Kind
from .query.causes import CauseProfile, CauseSuggester, CauseSuggestion
from .query.filters import Filters
from .query.ranking import Searcher
from .query.results import SearchResult
from .query.similarity import Similarity
from .store.index import Index, Progress, SyncStats, is_damage, is_file_damage, synced
from .suggest import closest
from .taxonomy import Taxonomy, load_taxonomy, stored_taxonomy

_T = TypeVar("_T")

SUGGESTED_CAUSE_SCORE = 0.3
"""The lowest suggestion score at which `similar()` counts a suggested cause (at most two) for a
post-mortem that names none."""


class KnowledgeBase:
    """The documents of one content folder, ready to browse and query.

    Build one with `lessons.load(path)`. Iterating yields every document, newest
    first; `problems` holds what reading the folder found (files that could not
    be parsed, field errors, duplicate ids), for `lessons check` to report.
    """

    def __init__(self, root: Path, index: Index, taxonomy: Taxonomy, stats: SyncStats) -> None:
        self.root = root
        self.index = index
        """The index behind this knowledge base (a cache of `root`, in a SQLite file or on a server)."""
        self.taxonomy = taxonomy
        self.last_sync = stats
        """What opening the knowledge base had to re-index."""
        self._loaded: tuple[dict[str, Document], list[Document]] | None = None
        self._searcher: Searcher | None = None
        self._problems: list[Problem] | None = None
        self._suggester: CauseSuggester | None = None

    def _guard(self, action: Callable[[], _T]) -> _T:
        """Run an index read; if the index turns out damaged, rebuild it and retry.

        `action` must reach the index through ``self`` (a lambda), not a bound method of
        the index: a damaged file is replaced by a new `Index`.
        """
        try:
            return action()
        except sqlite3.DatabaseError as exc:
            if not is_damage(exc):
                raise LessonsError(f"the index {self.index.location} could not be read: {exc}") from None
            file_damage = is_file_damage(exc)
        # Out of the except block, the failed read's frames are gone and its statement with
        # them: SQLite refuses to drop a table that a statement is still reading.
        self.index, self.last_sync = synced(self.index.recovered(file_damage=file_damage),
                                            taxonomy=self.taxonomy.to_json())
        self._loaded = self._searcher = self._problems = None
        return action()

    @property
    def _by_id(self) -> dict[str, Document]:
        return self._documents()[0]

    @property
    def _ordered(self) -> list[Document]:
        return self._documents()[1]

    def _documents(self) -> tuple[dict[str, Document], list[Document]]:
        # Documents are read from the index on first use: opening a large knowledge
        # base to search it never pays for rebuilding every document.
        if self._loaded is None:
            docs = sorted(self._guard(lambda: self.index.documents()), key=_newest_first)
            self._loaded = ({doc.id: doc for doc in docs}, docs)
        return self._loaded

    @property
    def problems(self) -> list[Problem]:
        """What reading the folder found: parse errors, field problems, duplicates, symlinks."""
        if self._problems is None:
            found = list(self.taxonomy.problems) + list(self.last_sync.problems)
            found += self._guard(lambda: self.index.file_problems())
            for doc in self._ordered:
                found.extend(doc.problems)
            self._problems = found
        return self._problems

    @property
    def pages(self) -> list[Path]:
        """Markdown files in the folder that are plain pages, not documents."""
        return self._guard(lambda: self.index.pages())

    def refresh(self, *, progress: Progress | None = None) -> SyncStats:
        """Re-read what changed in the content folder since the knowledge base was opened.

        A knowledge base opened with `connect` has no folder: it reads the index as the
        sources' syncs have left it by now.
        """
        if self.index.root is None:
            self.index.refresh()
            self.taxonomy = stored_taxonomy(self.index.taxonomies())
            self._loaded = self._searcher = self._problems = None
            return self.last_sync
        self.taxonomy = load_taxonomy(self.root)
        self.index, stats = synced(self.index, progress, taxonomy=self.taxonomy.to_json())
        self.last_sync = stats
        self._loaded = self._searcher = self._problems = None
        return stats

    def close(self) -> None:
        """Close the index (the knowledge base cannot be used afterwards)."""
        self.index.close()

    def __enter__(self) -> KnowledgeBase:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __iter__(self) -> Iterator[Document]:
        return iter(self._ordered)

    def __len__(self) -> int:
        if self._loaded is not None:
            return len(self._loaded[1])
        return self._guard(lambda: self.index.count())

    def __contains__(self, doc_id: object) -> bool:
        if self._loaded is not None:
            return doc_id in self._loaded[0]
        return isinstance(doc_id, str) and self._guard(lambda: self.index.key_of(doc_id)) is not None

    # Looking one document up never reads them all: a tool that opens a knowledge base of
    # 100,000 documents to ask for one, or for what is similar to it, stays small and fast.
    def _lookup(self, doc_id: str) -> Document | None:
        if self._loaded is not None:
            return self._loaded[0].get(doc_id)

        def read() -> Document | None:
            key = self.index.key_of(doc_id)
            return None if key is None else self.index.documents_by_key([key]).get(key)

        return self._guard(read)

    # -- search -------------------------------------------------------------------

    @property
    def searcher(self) -> Searcher:
        if self._searcher is None:
            self._searcher = Searcher(self.index, self._read)
            similarity = self._searcher.similarity
            # The suggester (the taxonomy's descriptions, stemmed) is made when a post-mortem
            # without causes is first compared: a search never needs it.
            similarity.suggest_causes = lambda doc: [
                s.cause for s in self._suggester_for(similarity).for_document(doc, limit=2)
                if s.score >= SUGGESTED_CAUSE_SCORE]
        return self._searcher

    def suggest_causes(self, target: str | Document, *, services: list[str] | None = None,
                       limit: int = 3) -> list[CauseSuggestion]:
        """The taxonomy causes a text or a post-mortem points to, best first, each with why.

        From the taxonomy's descriptions and signals and from the causes of the most similar
        labelled post-mortems (a document's own `causes:` are never used).

        Args:
            target: a change or incident description, or a `Document`.
            services: services the text is about (they help find similar incidents).
            limit: at most this many.
        """
        if isinstance(target, Document):
            doc = target
            return self._guard(lambda: self._cause_suggester().for_document(doc, limit=limit))
        text = str(target)
        return self._guard(lambda: self._cause_suggester().for_text(text, services=services or [], limit=limit))

    def _cause_suggester(self) -> CauseSuggester:
        return self._suggester_for(self.searcher.similarity)

    def _suggester_for(self, similarity: Similarity) -> CauseSuggester:
        """The cause suggester over `similarity` (the current searcher's; a new one after a rebuild)."""
        if self._suggester is None or self._suggester.similarity is not similarity:
            self._suggester = CauseSuggester(similarity, [
                CauseProfile(c.id, c.title, " ".join([c.description, *c.signals]))
                for c in self.taxonomy.causes.values()])
        return self._suggester

    def _read(self, read: Callable[[Index], _T]) -> _T:
        """A read of the current index for a search result's document, snippet or reasons.

        Results read those when first asked for, after `search` returned: the read goes
        through the same damage guard as the search itself, and to the index as it is then
        (a new one, should the old one have been damaged and rebuilt meanwhile).
        """
        return self._guard(lambda: read(self.index))

    def search(
        self,
        query: str,
        *,
        limit: int = 10,
        kind: str | None = None,
        causes: list[str] | str | None = None,
        tags: list[str] | str | None = None,
        services: list[str] | str | None = None,
        severity: int | list[int] | None = None,
        since: date | str | None = None,
        until: date | str | None = None,
        status: list[str] | str | None = None,
        source: list[str] | str | None = None,
    ) -> list[SearchResult]:
        """Documents matching a query, best first.

        Typos are tolerated, the last word also matches as a prefix, and each
        result says why it matched. Filters narrow the results without changing
        their scores; within one filter any of the given values matches.

        Args:
            query: words, an alert text, an error message.
            limit: at most this many results.
            kind: ``postmortem`` or ``practice``.
            causes, tags, services: documents with any of these.
            severity: one severity, or several.
            since, until: incident date range (inclusive), dates or ``YYYY-MM-DD``.
            status: ``draft``, ``in-review``, ``published`` (one or several).
            source: only documents of these sources (an index that holds several
                repositories); each result names its `source`.
        """
        filters = Filters.build(kind=kind, causes=causes, tags=tags, services=services,
                                severity=severity, since=since, until=until, status=status, sources=source)
        return self._named(self._guard(lambda: self.searcher.search(str(query), limit=limit, filters=filters)))

    def _named(self, results: list[SearchResult]) -> list[SearchResult]:
        """Results with their source and their page on its site (an index of many sources).

        With one source and no site address that is known without reading the results'
        documents, which a caller asking only for ids never pays for.
        """
        sources = self.index.sources()
        if set(sources) <= {self.index.source} and not self.index.url and not any(sources.values()):
            for result in results:
                result.source = self.index.source
            return results
        for result in results:
            result.source, result.url = self.index.source_of(result.document)
        return results

    def similar(
        self, target: str | Document, *, limit: int = 5, kind: str | None = "postmortem",
        source: list[str] | str | None = None,
    ) -> list[SearchResult]:
        """Past documents most like a document or a text, most similar first.

        Args:
            target: a document id, a `Document`, or free text (an alert, a description).
            limit: at most this many results.
            kind: only documents of this kind (default post-mortems; None for any).
            source: only documents of these sources.

        Returns:
            Results scored 0–1 (1 would be the same document), each with the shared
            causes, services, tags and distinctive words in `why`.
        """
        filters = Filters.build(kind=kind, sources=source)
        if isinstance(target, Document):
            doc: Document = target
            return self._named(self._guard(
                lambda: self.searcher.similar_to_document(doc, limit=limit, filters=filters)))
        found = self._lookup(target)
        if found is not None:
            doc = found
            return self._named(self._guard(
                lambda: self.searcher.similar_to_document(doc, limit=limit, filters=filters)))
        text = str(target)
        return self._named(self._guard(lambda: self.searcher.similar_to_text(text, limit=limit, filters=filters)))

    def advise(self, change: str | Change, *, services: list[str] | None = None, limit: int = 5) -> Advice:
        """What has gone wrong before with changes like this one, and what to do about it.

        Args:
            change: a description of the planned change, or a `Change` (description, changed
                paths, diff words, services).
            services: services the change touches (added to the `Change`'s).
            limit: at most this many past incidents.

        Returns:
            The most similar past incidents with why and their lesson, the causes they share,
            the practices that address those causes (each with a short checklist) and the
            incidents' open action items (`Advice`, with `to_dict()` for JSON).

        Raises:
            LessonsError: the change is empty.
        """
        planned = Change(description=change) if isinstance(change, str) else replace(change)
        if services:
            planned.services = list(dict.fromkeys([*planned.services, *services]))
        return self._guard(lambda: advise_change(self, planned, limit=limit))

    def __repr__(self) -> str:
        return f"<KnowledgeBase {str(self.root)!r}: {len(self)} documents>"

    def get(self, doc_id: str) -> Document:
        """The document with this id.

        Raises:
            DocumentNotFound: no such id (the message suggests the closest one).
        """
        found = self._lookup(doc_id) if isinstance(doc_id, str) else None
        if found is None:
            raise DocumentNotFound(str(doc_id), closest(str(doc_id), self.ids))
        return found

    @property
    def ids(self) -> list[str]:
        """Every document id, in the order iteration yields the documents."""
        if self._loaded is not None:
            return list(self._loaded[0])
        return self._guard(lambda: self.index.ids())

    def documents(self, *, kind: Kind | str | None = None) -> list[Document]:
        """Every document, newest first, optionally of one kind."""
        if kind is None:
            return list(self._ordered)
        wanted = Kind(kind)
        return [doc for doc in self._ordered if doc.kind is wanted]

    @property
    def postmortems(self) -> list[Document]:
        return self.documents(kind=Kind.POSTMORTEM)

    @property
    def practices(self) -> list[Document]:
        return self.documents(kind=Kind.PRACTICE)

    def practices_for(self, doc: Document) -> list[Document]:
        """The practices that address the causes of a post-mortem."""
        return self.taxonomy.practices_for(doc.causes, self._ordered)

    def addressed_by(self, practice: Document) -> list[Document]:
        """The post-mortems whose causes a practice addresses, newest first."""
        wanted = set(practice.prevents)
        return [doc for doc in self.postmortems if wanted.intersection(doc.causes)]

    def action_items(
        self,
        *,
        status: Literal["open", "done", "all"] = "all",
        owner: str | None = None,
        overdue: bool | None = None,
        today: date | None = None,
        service: str | None = None,
        since: date | str | None = None,
    ) -> list[ActionItem]:
        """Action items across all post-mortems: open ones soonest due first.

        Args:
            status: ``open``, ``done`` or ``all``.
            owner: only items with this owner (case-insensitive).
            overdue: True for only overdue items, False for only items not overdue.
            today: the day "overdue" is measured against (default today).
            service: only items of post-mortems about this service (case-insensitive).
            since: only items of incidents on or after this day (a date or ``YYYY-MM-DD``).
        """
        if status not in ("open", "done", "all"):
            raise LessonsError(f"status must be 'open', 'done' or 'all', not {status!r}")
        first = Filters.build(since=since).since if since is not None else None
        wanted = service.lower() if service is not None else None
        docs = [doc for doc in self.postmortems
                if (first is None or (doc.date is not None and doc.date >= first))
                and (wanted is None or wanted in (s.lower() for s in doc.services))]
        items = [item for doc in docs for item in doc.action_items]
        if status != "all":
            items = [item for item in items if item.done == (status == "done")]
        if owner is not None:
            items = [item for item in items if (item.owner or "").lower() == owner.lower()]
        if overdue is not None:
            items = [item for item in items if item.is_overdue(today) == overdue]
        return sorted(items, key=lambda i: (i.done, i.due or date.max, i.document_id, i.line))


def _newest_first(doc: Document) -> tuple[int, int, str]:
    return (0 if doc.kind is Kind.POSTMORTEM else 1, -(doc.date or date.min).toordinal(), doc.id)

