"""The knowledge base as one build of the site sees it.

`Site` is loaded once per build. It checks the content, knows which source file
is which document, and hands out the generated pages; both the MkDocs plugin
and `export` use it, so the two can never drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..errors import LessonsError, Level, Problem
from ..checks.rules import CheckOptions
from ..checks.rules import check as run_check
from ..kb import KnowledgeBase
from ..opening import load
from ..model import Document
from . import pages
from .sanitize import safe_title


class ContentInvalid(LessonsError):
    """The content has errors; `problems` says where and what."""

    def __init__(self, problems: list[Problem], root: Path) -> None:
        self.problems = problems
        count = f"{len(problems)} error{'s' if len(problems) != 1 else ''}"
        super().__init__(f"the knowledge base has {count} (run `lessons check` for details):\n  "
                         + "\n  ".join(content_error_lines(problems, root)))


def content_error_lines(problems: list[Problem], root: Path, *, limit: int = 50) -> list[str]:
    """``file:line: message [code]`` for the first `limit` problems, then how many more."""
    lines = [f"{_where(p, root)}: {p.message} [{p.code}]" for p in problems[:limit]]
    if len(problems) > limit:
        lines.append(f"… and {len(problems) - limit} more")
    return lines


def _where(problem: Problem, root: Path) -> str:
    path = problem.path
    for base in (Path.cwd(), root.parent):
        try:
            path = problem.path.resolve().relative_to(base.resolve())
            break
        except ValueError:
            continue
    return f"{path}:{problem.line}"


@dataclass(slots=True)
class Site:
    """A loaded knowledge base, its documents by source path, and the build's options."""

    kb: KnowledgeBase
    today: date
    title: str = "Lessons learned"
    search_url: str | None = "search.html"
    warnings: list[Problem] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    """Content errors a lenient build went on with (a strict one raises `ContentInvalid`)."""
    by_uri: dict[str, Document] = field(default_factory=dict)

    @classmethod
    def load(cls, root: str | Path, *, today: date | None = None, check: bool = True,
             strict: bool = True, title: str = "Lessons learned",
             search_url: str | None = "search.html") -> Site:
        """Read and check a content folder.

        Args:
            check: run `lessons check`'s rules (else only what reading the files found).
            strict: refuse content with errors; else build it and keep them in `errors`.

        Raises:
            ContentInvalid: `check` and `strict` are on and the content has errors.
        """
        today = today or date.today()
        kb = load(Path(root))
        # The build stops on errors only; the look-alike rule (warnings, one `similar()`
        # per post-mortem) is for `lessons check`, and would double the build's cost.
        options = CheckOptions(today=today, duplicate_threshold=None, suggest_causes=False)
        problems = run_check(kb, options) if check else list(kb.problems)
        errors = [p for p in problems if p.level is Level.ERROR]
        if check and strict and errors:
            raise ContentInvalid(errors, kb.root)
        site = cls(kb, today, title, search_url, [p for p in problems if p.level is Level.WARNING],
                   errors if check else [])
        site.by_uri = {pages.source_uri(doc, kb): doc for doc in kb}
        return site

    def generated(self, *, with_home: bool = True, url_of: dict[str, str] | None = None) -> dict[str, str]:
        """The generated Markdown pages by their path in the docs tree.

        Args:
            url_of: each document's address from the site's root, by id, where the
                builder has its own (the charts link to incidents from inline SVG,
                which no builder rewrites).
        """
        return pages.generated_pages(self.kb, today=self.today, search_url=self.search_url,
                                     title=self.title, with_home=with_home, url_of=url_of)

    def page_markdown(self, uri: str, markdown: str) -> str | None:
        """The Markdown of a document's page, or None when `uri` is not a document."""
        doc = self.by_uri.get(uri)
        return None if doc is None else pages.document_page(doc, self.kb, markdown)

    def nav(self, extra: list[str]) -> list[object]:
        entries = pages.nav(self.kb, extra=extra)
        return _safe_nav(entries)


def _safe_nav(entries: list[object]) -> list[object]:
    safe: list[object] = []
    for entry in entries:
        if isinstance(entry, dict):
            safe.append({safe_title(str(k)): _safe_nav(v) if isinstance(v, list) else v
                         for k, v in entry.items()})
        else:
            safe.append(entry)
    return safe
