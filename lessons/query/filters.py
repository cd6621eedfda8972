"""Which documents a search may return. Filters never change a score."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from ..errors import LessonsError

if TYPE_CHECKING:
    from ..store.backends import Connection
    from .scoring import Scorer


@dataclass(slots=True)
class Filters:
    """Which documents a search may return. Within one facet any value matches."""

    kind: str | None = None
    causes: frozenset[str] = frozenset()
    tags: frozenset[str] = frozenset()
    services: frozenset[str] = frozenset()
    severity: frozenset[int] = frozenset()
    since: date | None = None
    until: date | None = None
    status: frozenset[str] = frozenset()
    sources: frozenset[str] = frozenset()
    """Only documents of these sources (the repositories a shared index holds)."""

    @classmethod
    def build(cls, *, kind: str | None = None, causes: Iterable[str] | str | None = None,
              tags: Iterable[str] | str | None = None, services: Iterable[str] | str | None = None,
              severity: int | Iterable[int] | None = None, since: date | str | None = None,
              until: date | str | None = None, status: Iterable[str] | str | None = None,
              sources: Iterable[str] | str | None = None) -> Filters:
        if kind is not None and kind not in ("postmortem", "practice"):
            raise LessonsError(f"kind must be 'postmortem' or 'practice', not {kind!r}")
        if isinstance(severity, int):
            severities = frozenset({severity})
        else:
            severities = frozenset(int(s) for s in severity or ())
        return cls(kind, _set(causes), _set(tags), _set(services), severities,
                   _day(since, "since"), _day(until, "until"), _set(status), _set(sources))


def _set(value: Iterable[str] | str | None) -> frozenset[str]:
    if value is None:
        return frozenset()
    if isinstance(value, str):
        value = [v.strip() for v in value.split(",") if v.strip()]  # (a \s*,\s* regex is quadratic)
    return frozenset(value)


def _day(value: date | str | None, name: str) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise LessonsError(f"{name} must be a date like 2020-01-31, not {value!r}") from None


def allowed(filters: Filters, scorer: Scorer, conn: Connection) -> Any:
    """Which document keys a search may return, as a boolean array by key (None: all of them).

    Args:
        scorer: the documents' filter fields (`Scorer.columns`) and which keys exist.
        conn: the index, for the labels (causes, tags, services).
    """
    import numpy as np

    if filters == Filters():
        return None
    size = scorer.size
    mask = scorer.exists.copy()
    if filters.kind or filters.status or filters.severity or filters.since or filters.until:
        columns = scorer.columns()
        if filters.kind:
            mask &= columns["kind"] == filters.kind
        if filters.status:
            mask &= np.isin(columns["status"], sorted(filters.status))
        if filters.severity:
            mask &= np.isin(columns["severity"], sorted(filters.severity))
        if filters.since or filters.until:
            mask &= columns["date"] != ""  # a date range leaves undated documents out
        if filters.since:
            mask &= columns["date"] >= filters.since.isoformat()
        if filters.until:
            mask &= columns["date"] <= filters.until.isoformat()
    for facet, values in (("cause", filters.causes), ("tag", filters.tags),
                          ("service", filters.services)):
        if values:
            having = np.zeros(size, dtype=bool)
            marks = ",".join("?" * len(values))
            # "auth" finds a tag written "Auth": labels are matched without case.
            keys = [k for (k,) in conn.execute(
                f"SELECT DISTINCT doc_key FROM labels WHERE field=? AND lower(value) IN ({marks})",
                (facet, *sorted(v.lower() for v in values)))]
            having[keys] = True
            mask &= having
    if filters.sources:
        having = np.zeros(size, dtype=bool)
        marks = ",".join("?" * len(filters.sources))
        having[[k for (k,) in conn.execute(f"SELECT key FROM documents WHERE source IN ({marks})",
                                           sorted(filters.sources)) if k < size]] = True
        mask &= having
    return mask
