"""What a search returns: the document, a score, a snippet and the reasons."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..model import Document


@dataclass(frozen=True, slots=True)
class Match:
    """One reason a document matched: a query word, the document word, the field."""

    query: str
    """The query word as typed (``contactles``), or the label kind for `similar()`."""
    term: str
    """The word in the document it matched (``contactless``)."""
    field: str
    """Where: ``title``, ``summary``, ``labels`` (causes, tags, services, organisation),
    ``text`` (the body), or ``causes``/``services``/``tags`` for shared labels."""
    how: str = "exact"
    """``exact``, ``prefix`` (search as you type), ``fuzzy`` (a typo), ``shared`` (a label) or
    ``suggested`` (a cause the other document names and this one is suggested, `query.causes`)."""

    def __str__(self) -> str:
        if self.how == "suggested":
            return f"suggested cause: {self.term}"
        if self.how == "shared":
            return f"same {self.field[:-1] if self.field.endswith('s') else self.field}: {self.term}"
        sign = {"exact": "=", "prefix": "…", "fuzzy": "~"}.get(self.how, "=")
        return f"{self.query} {sign} {self.term} ({self.field})"


class SearchResult:
    """One hit, best first in the list a search returns.

    The score and the document's id are there at once; the document, the snippet and
    the reasons (`why`) are worked out when first read, then kept: a tool that only
    wants the best ids never pays for a snippet.
    """

    __slots__ = ("id", "score", "source", "url", "_document", "_snippet", "_why", "_load", "_make_snippet",
                 "_make_why")

    def __init__(self, document: Document, score: float, snippet: str | Callable[[Document], str] = "",
                 why: list[Match] | None = None, source: str = "", url: str | None = None) -> None:
        """A result with its document at hand; `snippet` may be a function that makes it."""
        self.id: str = document.id
        """The document's id."""
        self.score = score
        """Higher is better. Comparable within one query; `similar()` scores are 0–1."""
        self.source = source
        """The source (repository) the document belongs to, in an index that holds several."""
        self.url = url
        """The document's page on its source's site, when the source gave its site's address."""
        self._document: Document | None = document
        self._snippet: str | None = snippet if isinstance(snippet, str) else None
        self._why: list[Match] | None = [] if why is None else why
        self._load: Callable[[], Document] | None = None
        self._make_snippet: Callable[[Document], str] | None = None if isinstance(snippet, str) else snippet
        self._make_why: Callable[[], list[Match]] | None = None

    @classmethod
    def deferred(cls, doc_id: str, score: float, *, document: Callable[[], Document],
                 snippet: Callable[[Document], str], why: Callable[[], list[Match]]) -> SearchResult:
        """A result whose document, snippet and reasons are made by these functions when read."""
        result = cls.__new__(cls)
        result.id, result.score = doc_id, score
        result.source, result.url = "", None
        result._document = result._snippet = result._why = None
        result._load, result._make_snippet, result._make_why = document, snippet, why
        return result

    @property
    def document(self) -> Document:
        """The document that matched."""
        if self._document is None:
            assert self._load is not None
            self._document = self._load()
        return self._document

    @document.setter
    def document(self, value: Document) -> None:
        self._document = value

    @property
    def snippet(self) -> str:
        """A short passage of the document with the matched words marked ``**like this**``."""
        if self._snippet is None:
            assert self._make_snippet is not None
            self._snippet = self._make_snippet(self.document)
        return self._snippet

    @snippet.setter
    def snippet(self, value: str) -> None:
        self._snippet = value

    @property
    def why(self) -> list[Match]:
        """Which query words matched which document words, in which field."""
        if self._why is None:
            assert self._make_why is not None
            self._why = self._make_why()
        return self._why

    @why.setter
    def why(self, value: list[Match]) -> None:
        self._why = value

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, SearchResult):
            return NotImplemented
        return (self.id, self.score, self.document, self.snippet, self.why) == \
            (other.id, other.score, other.document, other.snippet, other.why)

    __hash__ = None  # type: ignore[assignment]  # mutable, as the dataclass it replaces

    def __repr__(self) -> str:
        return f"SearchResult(id={self.id!r}, score={self.score!r})"

    @property
    def reason(self) -> str:
        """The reasons in one line, for a list of results."""
        shared: dict[str, list[str]] = {}
        for m in self.why:
            if m.how == "shared":
                shared.setdefault(m.field, []).append(m.term)
        parts = [f"same {name if len(values) > 1 else name.rstrip('s')}: {', '.join(values)}"
                 for name, values in shared.items()]
        suggested = [m.term for m in self.why if m.how == "suggested"]
        if suggested:
            parts.append("suggested cause: " + ", ".join(suggested))
        words = list(dict.fromkeys(m.term for m in self.why if m.how not in ("shared", "suggested")))
        if words:
            parts.append("shared words: " + ", ".join(words[:6]))
        return "; ".join(parts)

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready dict (the document's main fields, not its whole body)."""
        doc = self.document
        return {
            "id": doc.id,
            "title": doc.title,
            "kind": doc.kind.value,
            "date": doc.date.isoformat() if doc.date else None,
            "path": str(doc.path),
            "score": round(self.score, 4),
            "snippet": self.snippet,
            "why": [str(m) for m in self.why],
            "source": self.source,
            "url": self.url,
        }
