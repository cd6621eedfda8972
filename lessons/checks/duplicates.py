"""The duplicate rule: a new post-mortem that looks like one the knowledge base already has."""

from __future__ import annotations

from collections.abc import Iterable

from ..errors import Level, Problem
from ..kb import KnowledgeBase
from ..model import Document, Kind
from ..query.results import SearchResult

DEFAULT_THRESHOLD = 0.8
"""`similar()` score (0-1) from which two post-mortems are reported as possible duplicates."""

CODE = "possible-duplicate"

_SHARED_FIELDS = ("causes", "services", "tags")


def duplicate_problems(
    kb: KnowledgeBase, docs: Iterable[Document], *, threshold: float = DEFAULT_THRESHOLD
) -> list[Problem]:
    """Warnings for the post-mortems in `docs` that look like another one in `kb`.

    A pair is never reported when either document lists the other in ``related:``:
    that link is how an author says "yes, I know, this is a different incident".

    Args:
        kb: the whole knowledge base (what `docs` are compared against).
        docs: the documents to judge, e.g. the new or changed ones; practices are ignored.
        threshold: the lowest `KnowledgeBase.similar` score (0-1) that is reported.

    Returns:
        One warning per (document, look-alike) pair, on the document's ``title`` line,
        e.g. "looks like 2021-10-04-facebook-bgp (0.87): same causes, same services;
        link it with `related:` or merge".
    """
    problems: list[Problem] = []
    for doc in docs:
        if doc.kind is not Kind.POSTMORTEM:
            continue
        for hit in kb.similar(doc, limit=5, kind=Kind.POSTMORTEM.value):
            other = hit.document
            if hit.score < threshold or other.id == doc.id or _linked(doc, other):
                continue
            problems.append(Problem(
                doc.path, doc.line_of("title"), CODE,
                f"looks like {other.id} ({hit.score:.2f}): {_because(hit)}; "
                "link it with `related:` or merge",
                Level.WARNING,
            ))
    return problems


def _linked(doc: Document, other: Document) -> bool:
    return other.id in doc.related or doc.id in other.related


def _because(hit: SearchResult) -> str:
    """"same causes, same services" — which labels the two share, or that the words do."""
    shared = {match.field for match in hit.why if match.how == "shared"}
    parts = [f"same {name}" for name in _SHARED_FIELDS if name in shared]
    if any(match.how != "shared" for match in hit.why) or not parts:
        parts.append("similar wording")
    return ", ".join(parts)
