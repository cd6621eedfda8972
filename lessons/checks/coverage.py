"""Never silent about what is not read: files that are not Markdown, folders of plain pages.

A team's own post-mortems may be read as plain pages (no date lessons can find, no
postmortems/ folder) or not read at all (Word, HTML, text files). Both are findings
that say why, for a few example files, and what to do.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from ..adopt.convert import HTML_SUFFIXES, WORD_SUFFIXES
from ..errors import Level, ParseError, Problem
from ..kb import KnowledgeBase
from ..model import Kind
from ..parsing.parse import parse_text, read_source
from ..store.discover import MARKDOWN_SUFFIXES

_IMPORTABLE = HTML_SUFFIXES | WORD_SUFFIXES
_DOCUMENT_LIKE = frozenset({"", ".txt", ".text", ".rst", ".adoc", ".asciidoc", ".org", ".doc", ".odt", ".rtf",
                            ".pdf", ".pages", ".mdx", ".wiki"})
"""Suffixes of files that are probably someone's write-up (images, data and config are not)."""
_NOT_WRITE_UPS = frozenset({"license", "licence", "makefile", "codeowners", "dockerfile", "notice", "authors"})
_SKIP_DIRS = {"node_modules", "site", "__pycache__", "venv"}
_SECTIONS = frozenset({"summary", "impact", "timeline", "causes", "resolution", "action-items"})
_EXAMPLES = 3
_EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,5}")


def folder_problems(kb: KnowledgeBase) -> list[Problem]:
    """Findings about the content folder as a whole: unread files, too few documents."""
    return [*unread_files(kb.root), *_plain_pages(kb)]


def unread_files(root: Path) -> list[Problem]:
    """Files in the content folder that look like write-ups but are not Markdown."""
    found: list[Problem] = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in _SKIP_DIRS)
        for name in sorted(files):
            path = Path(folder) / name
            # "PM2021-005 - v1.2 rollout" has no extension, whatever `Path.suffix` says.
            suffix = path.suffix.lower() if _EXTENSION.fullmatch(path.suffix) else ""
            if name.startswith(".") or suffix in MARKDOWN_SUFFIXES or path.stem.lower() in _NOT_WRITE_UPS:
                continue
            if suffix in _IMPORTABLE:
                found.append(Problem(path, 0, "unread-file", f"not read: lessons reads Markdown only; convert this "
                                     f"{suffix} file with `lessons import {name}`", Level.WARNING))
            elif suffix in _DOCUMENT_LIKE:
                what = "a file without an extension" if not suffix else f"a {suffix} file"
                fix = ("rename it to .md if it is Markdown or plain text" if suffix in ("", ".txt", ".text")
                       else "convert it to Markdown, or move it out of the content folder")
                found.append(Problem(path, 0, "unread-file", f"not read: {what}; lessons reads only .md files "
                                     f"({fix})", Level.WARNING))
    return found


def _plain_pages(kb: KnowledgeBase) -> list[Problem]:
    # A README or index.md is about its folder, and `_template.md` is a template: pages on purpose.
    pages = [p for p in kb.pages if p.stem.lower() not in ("readme", "index") and not p.name.startswith("_")]
    documents = len(kb)
    if not pages or (documents and (len(pages) < 3 or len(pages) <= documents)):
        return []
    by_reason: dict[str, list[str]] = {}
    for path in pages[:_EXAMPLES]:
        by_reason.setdefault(why_not_a_document(path), []).append(_shown(path, kb.root))
    examples = "; ".join(f"{', '.join(names)}: {reason}" for reason, names in by_reason.items())
    more = f" (and {len(pages) - _EXAMPLES} more)" if len(pages) > _EXAMPLES else ""
    fix = ("Post-mortems in a postmortems/ folder (practices in practices/) are always read as such; "
           "elsewhere a file needs a title, a date and two of the usual sections.")
    if not documents:
        return [Problem(kb.root, 0, "no-documents",
                        f"{len(pages)} Markdown file{'s were' if len(pages) != 1 else ' was'} found and not one "
                        f"is read as a post-mortem or practice: {examples}{more}. {fix}")]
    return [Problem(kb.root, 0, "few-documents",
                    f"{len(pages)} Markdown files are read as plain pages and only {documents} as post-mortems "
                    f"or practices: {examples}{more}. {fix}", Level.WARNING)]


def why_not_a_document(path: Path) -> str:
    """Why a Markdown file is read as a plain page rather than a post-mortem, with what would change that."""
    try:
        text, _ = read_source(path)
        doc = parse_text(text, path, default_kind=Kind.POSTMORTEM)
    except ParseError as exc:
        return exc.message
    if doc is None:
        return "it is empty"
    reasons = []
    if any(p.code == "missing-field" and "'title'" in p.message for p in doc.problems):
        reasons.append("no title (add `title:` front matter or a `# Title` heading)")
    if doc.date is None:
        reasons.append("no date (add `date:` front matter, a `**Date:**` line, or name the file "
                       "YYYY-MM-DD-….md)")
    found = {section.name for section in doc.sections} & _SECTIONS
    if len(found) < 2:
        reasons.append("fewer than two of the sections Summary, Impact, Timeline, Root cause, Resolution, "
                       "Action items")
    return ", ".join(reasons) or "it reads like a post-mortem only in a postmortems/ folder"


def _shown(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.name
