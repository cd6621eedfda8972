"""The pieces every generated page is made of: addresses, links and escaped text.

Each function returns a Markdown fragment and knows nothing about MkDocs. Text
that comes from content (titles, services, owners …) goes through `escape`
before it is put into Markdown, and every link target through `link`: a file
name or a field cannot add HTML, links or emphasis to a page.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

from ..kb import KnowledgeBase
from ..model import Document

HOME = "index.md"
INCIDENTS = "incidents.md"
ACTION_ITEMS = "action-items.md"
PRACTICES = "browse/practices.md"
INSIGHTS = "insights.md"
FEED = "feed.xml"
STYLESHEET = "assets/lessons.css"
BROWSE = {
    "cause": "browse/causes.md",
    "service": "browse/services.md",
    "tag": "browse/tags.md",
    "year": "browse/years.md",
    "severity": "browse/severity.md",
}
"""Facet -> the page that lists incidents by it."""

MARKDOWN_EXTENSIONS = ("tables", "attr_list", "md_in_html", "toc")
"""Python-Markdown extensions the generated Markdown relies on."""

SEVERITY_NAMES = {0: "emergency", 1: "critical", 2: "major", 3: "moderate", 4: "minor", 5: "low"}

# Characters that begin inline syntax in Python-Markdown or in an extension a site may
# switch on (pymdownx tilde, caret, mark, arithmatex, keys, critic …). As numeric
# character references they are plain characters to every one of them, where a
# backslash escape is not (``\~`` stays visible, ``\(`` opens arithmatex's maths).
_INLINE_SYNTAX = re.compile(r"[\\`*_{}\[\]()#+!|~^=$]")
# What opens a block at the start of a line: a list, a definition, pymdownx.details'
# ``???``, pymdownx.blocks' ``///``, an ordered list ``1.``.
_BLOCK_START = re.compile(r"^(?:[-?:/%]|\d+[.)])")
# Python-Markdown keeps raw HTML behind STX…ETX placeholders: content must not hold them.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1b\x7f]")
_NON_WORD = re.compile(r"[^\w]+")
_UNSAFE_IN_ADDRESS = re.compile(r"[^a-z0-9._~]+")


def escape(text: str) -> str:
    """Content text made literal Markdown on one line: no HTML, links, emphasis or blocks.

    The result reads as the text itself (its whitespace collapsed, control
    characters dropped) wherever Markdown puts inline text: a paragraph, a table
    cell, a heading, link text.
    """
    text = " ".join(_CONTROL.sub("", text).split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _INLINE_SYNTAX.sub(_reference, text)
    return _BLOCK_START.sub(lambda m: m.group(0)[:-1] + _reference(m.group(0)[-1]), text)


def _reference(char: str | re.Match[str]) -> str:
    """The numeric character reference of a character (``(`` -> ``&#40;``)."""
    return f"&#{ord(char if isinstance(char, str) else char.group(0))};"


def anchor(value: str) -> str:
    """A stable HTML id for a facet value: ``Sainsbury's`` -> ``sainsbury-s``."""
    slug = _NON_WORD.sub("-", value.lower()).strip("-_")
    if not slug or slug[0].isdigit():
        slug = f"v-{slug}" if slug else f"v-{sum(map(ord, value)):x}"
    return slug


def source_uri(doc: Document, kb: KnowledgeBase) -> str:
    """The document's path inside the content folder, as MkDocs names it (``postmortems/x.md``)."""
    return _relative(str(doc.path), str(kb.root))


@lru_cache(maxsize=1 << 16)
def _relative(path: str, root: str) -> str:
    # Remembered: a page links to dozens of documents, and resolving a path asks the file
    # system once per folder on the way (7 of 180 s in a profile of a 300-page build).
    try:
        return Path(path).resolve().relative_to(Path(root).resolve()).as_posix()
    except ValueError:
        return Path(path).name


def clean_address(uri: str) -> str | None:
    """A source path whose file name is fit for a site address, or None when it already is.

    ``postmortems/PM2021-005 - All services returning 503.md`` ->
    ``postmortems/pm2021-005-all-services-returning-503.md``: lower case, no spaces,
    nothing that needs escaping in a URL or in HTML. The file itself is never renamed.
    """
    folder, _, name = uri.rpartition("/")
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, ""
    clean = _UNSAFE_IN_ADDRESS.sub("-", stem.lower()).strip("-.") or "page"
    if clean == stem:
        return None
    return f"{folder}/{clean}.{suffix}" if folder else f"{clean}.{suffix}"


def link(target: str, from_uri: str) -> str:
    """The relative Markdown link target from one page to another source file.

    Percent-encoded, so a file name cannot end the link or carry markup (a newline,
    ``)``, ``<`` or a space); MkDocs decodes the target before it resolves it.
    """
    return quote(posixpath.relpath(target, posixpath.dirname(from_uri) or "."), safe="/")


def page_url(uri: str, *, directory_urls: bool = True) -> str:
    """The address MkDocs gives a source file, relative to the site root and percent-encoded.

    ``postmortems/x.md`` -> ``postmortems/x/``; ``index.md`` -> ``""``.
    """
    stem = uri.rsplit(".", 1)[0]
    if stem == "index" or stem.endswith("/index"):
        return quote(stem[: -len("index")])
    return quote(f"{stem}/" if directory_urls else f"{stem}.html")


def severity_label(severity: int | None) -> str:
    """``SEV2``, or ``unrated``."""
    return f"SEV{severity}" if severity is not None else "unrated"


def facet_link(facet: str, value: str, from_uri: str, text: str | None = None) -> str:
    """A link to `value`'s section of the browse page of `facet`, shown as `text` (or the value)."""
    return f"[{escape(text or value)}]({link(BROWSE[facet], from_uri)}#{anchor(value)})"


def doc_link(doc: Document, kb: KnowledgeBase, from_uri: str) -> str:
    """A link to a document's page, shown as its title."""
    return f"[{escape(doc.title)}]({link(source_uri(doc, kb), from_uri)})"


def severity_badge(doc: Document, from_uri: str) -> str:
    """The coloured ``SEV2`` badge, linking to the incidents of that severity."""
    key = str(doc.severity) if doc.severity is not None else "unrated"
    text = severity_label(doc.severity)
    return f"[{text}]({link(BROWSE['severity'], from_uri)}#sev-{key}){{ .lessons-sev .lessons-sev-{key} }}"


def causes_of(causes: Iterable[str], kb: KnowledgeBase, from_uri: str) -> str:
    """Links to the browse sections of `causes`, shown by their taxonomy titles."""
    return ", ".join(facet_link("cause", c, from_uri, kb.taxonomy.title_of(c)) for c in causes)


def date_text(doc: Document) -> str:
    """The document's date as ``2024-03-16``, or ``undated``."""
    return doc.date.isoformat() if doc.date else "undated"


def short(text: str, limit: int = 220) -> str:
    """`text` on one line, cut at a word boundary before `limit` characters."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit - 1)
    return text[: cut if cut > 0 else limit - 2].rstrip(",;:") + " …"


def page(title: str, *parts: str) -> str:
    """A page: front-matter-free Markdown with an H1 title (MkDocs' default theme needs it)."""
    return "\n\n".join([f"# {escape(title)}", *[part for part in parts if part]]) + "\n"
