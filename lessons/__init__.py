"""lessons: a lessons-learned knowledge base for software teams.

Post-mortems and practice articles in Markdown, validated, indexed and searchable::

    import lessons

    kb = lessons.load("content")
    for hit in kb.search("contactless payments down after overnight update", limit=5):
        print(hit.score, hit.document.title, hit.why)

Everything not in ``__all__`` is internal and may change.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = [
    "ActionItem",
    "Document",
    "DocumentNotFound",
    "KnowledgeBase",
    "Kind",
    "LessonsError",
    "ParseError",
    "Problem",
    "SearchResult",
    "TimelineEvent",
    "connect",
    "load",
    "search",
]

if TYPE_CHECKING:
    from .errors import DocumentNotFound, LessonsError, ParseError, Problem
    from .kb import KnowledgeBase
    from .opening import connect, load, search
    from .model import ActionItem, Document, Kind, TimelineEvent
    from .query.results import SearchResult

# Names resolve on first use so that `import lessons` stays fast (no SQLAlchemy,
# no Markdown parser until something needs them).
_LAZY = {
    "ActionItem": "model", "Document": "model", "Kind": "model", "TimelineEvent": "model",
    "DocumentNotFound": "errors", "LessonsError": "errors", "ParseError": "errors",
    "Problem": "errors", "KnowledgeBase": "kb", "connect": "opening", "load": "opening", "search": "opening",
    "SearchResult": "query.results",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'lessons' has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
