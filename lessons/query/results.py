"""What a search returns: the document, a score, a snippet and the reasons."""

from __future__ import annotations

from dataclasses import dataclass, field

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


@dataclass(slots=True)
class SearchResult:
    """One hit, best first in the list a search returns."""

    document: Document
    score: float
    """Higher is better. Comparable within one query; `similar()` scores are 0–1."""
    snippet: str = ""
    """A short passage of the document with the matched words marked ``**like this**``."""
    why: list[Match] = field(default_factory=list)
    """Which query words matched which document words, in which field."""

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
        }
