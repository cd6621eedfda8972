"""`KnowledgeBase`: a content folder, its documents, taxonomy and (soon) index."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Literal

from .errors import DocumentNotFound, LessonsError, ParseError, Problem
from .model import ActionItem, Document, Kind
from .taxonomy import Taxonomy, load_taxonomy


class KnowledgeBase:
    """The documents of one content folder, ready to browse and query.

    Build one with `lessons.load(path)`. Iterating yields every document, newest
    first; `problems` holds what reading the folder found (files that could not
    be parsed, field errors, duplicate ids), for `lessons check` to report.
    """

    def __init__(self, root: Path, documents: list[Document], taxonomy: Taxonomy,
                 problems: list[Problem], pages: list[Path]) -> None:
        self.root = root
        self.taxonomy = taxonomy
        self.problems = problems
        self.pages = pages
        """Markdown files in the folder that are plain pages, not documents."""
        self._by_id: dict[str, Document] = {}
        for doc in documents:
            first = self._by_id.get(doc.id)
            if first is not None:
                problems.append(Problem(doc.path, doc.line_of("id"), "duplicate-id",
                                        f"id {doc.id!r} is already used by {first.path}"))
                continue
            self._by_id[doc.id] = doc
        self._ordered = sorted(self._by_id.values(), key=_newest_first)

    def __iter__(self) -> Iterator[Document]:
        return iter(self._ordered)

    def __len__(self) -> int:
        return len(self._ordered)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._by_id

    def __repr__(self) -> str:
        return f"<KnowledgeBase {str(self.root)!r}: {len(self)} documents>"

    def get(self, doc_id: str) -> Document:
        """The document with this id.

        Raises:
            DocumentNotFound: no such id (the message suggests the closest one).
        """
        try:
            return self._by_id[doc_id]
        except KeyError:
            from .suggest import closest

            raise DocumentNotFound(doc_id, closest(doc_id, self._by_id)) from None

    @property
    def ids(self) -> list[str]:
        return list(self._by_id)

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
    ) -> list[ActionItem]:
        """Action items across all post-mortems: open ones soonest due first.

        Args:
            status: ``open``, ``done`` or ``all``.
            owner: only items with this owner (case-insensitive).
            overdue: True for only overdue items, False for only items not overdue.
        """
        if status not in ("open", "done", "all"):
            raise LessonsError(f"status must be 'open', 'done' or 'all', not {status!r}")
        items = [item for doc in self.postmortems for item in doc.action_items]
        if status != "all":
            items = [item for item in items if item.done == (status == "done")]
        if owner is not None:
            items = [item for item in items if (item.owner or "").lower() == owner.lower()]
        if overdue is not None:
            items = [item for item in items if item.is_overdue(today) == overdue]
        return sorted(items, key=lambda i: (i.done, i.due or date.max, i.document_id, i.line))


def _newest_first(doc: Document) -> tuple[int, int, str]:
    return (0 if doc.kind is Kind.POSTMORTEM else 1, -(doc.date or date.min).toordinal(), doc.id)


def load(path: str | Path | None = None) -> KnowledgeBase:
    """Read a folder of Markdown documents into a `KnowledgeBase`.

    Args:
        path: the content folder; None finds it from ``LESSONS_PATH`` or the
            nearest ``mkdocs.yml``/``content/`` above the working directory.

    Raises:
        LessonsError: the folder does not exist.
    """
    from .discover import find_content, markdown_files
    from .parse import folder_kind, parse_text, read_source

    root = Path(path) if path is not None else find_content()
    if not root.is_dir():
        raise LessonsError(f"{root} is not a folder")
    problems: list[Problem] = []
    taxonomy = load_taxonomy(root)
    problems.extend(taxonomy.problems)
    documents: list[Document] = []
    pages: list[Path] = []
    for file in markdown_files(root, problems):
        try:
            text, digest = read_source(file)
            doc = parse_text(text, file, default_kind=folder_kind(file, root), content_hash=digest)
        except ParseError as exc:
            problems.append(exc.to_problem())
            continue
        if doc is None:
            pages.append(file)
            continue
        documents.append(doc)
        problems.extend(doc.problems)
    return KnowledgeBase(root, documents, taxonomy, problems, pages)

