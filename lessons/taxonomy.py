"""The causes a post-mortem can name, and the practices that address them.

Causes live in ``taxonomy.yml`` at the top of the content folder. Which practice
addresses which cause lives in one place only: each practice's ``prevents:``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .errors import Level, ParseError, Problem
from .model import Document, Kind
from .parsing.frontmatter import load_front_matter
from .parsing.parse import read_source

TAXONOMY_FILE = "taxonomy.yml"


@dataclass(slots=True)
class Cause:
    """One cause of incidents, from the taxonomy."""

    id: str
    title: str
    description: str = ""
    signals: list[str] = field(default_factory=list)
    """Observable signs in an incident that point to this cause."""
    line: int = 0
    """1-based line in taxonomy.yml."""


@dataclass(slots=True)
class Taxonomy:
    """The causes, and the cause -> practices map built from practice documents."""

    causes: dict[str, Cause] = field(default_factory=dict)
    path: Path | None = None
    problems: list[Problem] = field(default_factory=list)

    def cause(self, cause_id: str) -> Cause | None:
        return self.causes.get(cause_id)

    def title_of(self, cause_id: str) -> str:
        """The cause's title, or its id when the taxonomy does not know it."""
        cause = self.causes.get(cause_id)
        return cause.title if cause else cause_id

    def practices_for(self, cause_ids: Iterable[str], documents: Iterable[Document]) -> list[Document]:
        """The practices whose ``prevents:`` names any of these causes, best covering first."""
        wanted = set(cause_ids)
        scored = [
            (len(wanted.intersection(doc.prevents)), doc)
            for doc in documents
            if doc.kind is Kind.PRACTICE and wanted.intersection(doc.prevents)
        ]
        scored.sort(key=lambda pair: (-pair[0], pair[1].title.lower()))
        return [doc for _, doc in scored]


    def to_json(self) -> str:
        """The causes as the index stores them with their source ("" when there are none)."""
        if not self.causes:
            return ""
        return json.dumps([[c.id, c.title, c.description, c.signals, c.line] for c in self.causes.values()],
                          ensure_ascii=False)


def stored_taxonomy(stored: Mapping[str, str]) -> Taxonomy:
    """One taxonomy from those the sources of an index stored (`Taxonomy.to_json`), by source name.

    For a knowledge base with no folder (`lessons.connect`). A cause two sources both
    define is taken from the first source by name; a value that is not such JSON (an index
    written by hand) is left out.
    """
    taxonomy = Taxonomy(path=None)
    for name in sorted(stored):
        try:
            causes = json.loads(stored[name]) if stored[name] else []
            for cause_id, title, description, signals, line in causes:
                taxonomy.causes.setdefault(cause_id, Cause(str(cause_id), str(title), str(description),
                                                           [str(s) for s in signals], int(line)))
        except (ValueError, TypeError):
            continue
    return taxonomy


def load_taxonomy(root: Path) -> Taxonomy:
    """Read ``taxonomy.yml`` from a content folder; an absent file is an empty taxonomy."""
    path = root / TAXONOMY_FILE
    if not path.is_file():
        return Taxonomy(path=None)
    taxonomy = Taxonomy(path=path)
    try:
        _read(path, taxonomy)
    except ParseError as exc:
        taxonomy.problems.append(exc.to_problem())
    return taxonomy


def _read(path: Path, taxonomy: Taxonomy) -> None:
    text, _ = read_source(path)
    entries = load_front_matter(text, path, 1)
    causes = entries.get("causes")
    if causes is None:
        raise ParseError(path, 1, "taxonomy.yml needs a top-level `causes:` list", code="taxonomy")
    if not isinstance(causes.value, list):
        raise ParseError(path, causes.line, "`causes:` must be a list of {id, title, description}",
                         code="taxonomy")
    for item in causes.items:
        value = item.value
        if not isinstance(value, dict) or not isinstance(value.get("id"), str):
            taxonomy.problems.append(Problem(path, item.line, "taxonomy",
                                             "each cause needs at least `id:` (and a `title:`)"))
            continue
        cause_id = value["id"].strip()
        if cause_id in taxonomy.causes:
            taxonomy.problems.append(Problem(path, item.line, "duplicate-id",
                                             f"cause {cause_id!r} is listed twice "
                                             f"(first on line {taxonomy.causes[cause_id].line})"))
            continue
        signals = value.get("signals") or []
        if not isinstance(signals, list):
            taxonomy.problems.append(Problem(path, item.line, "taxonomy",
                                             f"cause {cause_id!r}: `signals:` must be a list",
                                             Level.WARNING))
            signals = []
        title = str(value.get("title") or cause_id.replace("-", " ").capitalize())
        taxonomy.causes[cause_id] = Cause(
            cause_id, title, " ".join(str(value.get("description") or "").split()),
            [str(s) for s in signals], item.line,
        )
