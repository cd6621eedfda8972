"""Source files -> Markdown text, with well-kept converters rather than our own.

HTML goes through markdownify (tables, headings as ``#``, lists as ``-``); Word
documents through mammoth (``.docx`` -> semantic HTML, dropping the styling) and then
markdownify. Both are imported only when such a file is converted, and both belong to
the ``import`` extra: a missing one is named in the error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import LessonsError, ParseError
from ..parsing.parse import decode

MARKDOWN_SUFFIXES = frozenset({".md", ".markdown", ".mdown", ".txt"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
WORD_SUFFIXES = frozenset({".docx"})
SUFFIXES = MARKDOWN_SUFFIXES | HTML_SUFFIXES | WORD_SUFFIXES
"""Every kind of file `lessons import` can bring in."""

_BLANK_RUN = re.compile(r"\n{3,}")
# Only from the start of a run of blanks: from inside one it was read to its end again (quadratic).
_TRAILING_SPACE = re.compile(r"(?<![ \t])[ \t]+\n")


class ConversionError(LessonsError):
    """A source file that could not be turned into Markdown; the message says why."""


@dataclass(frozen=True, slots=True)
class Converted:
    """A source file as Markdown."""

    path: Path
    """The source file."""
    text: str
    """Its Markdown: the file itself for Markdown sources, converted for the others."""
    via: str
    """How it was read: ``markdown``, ``html`` (markdownify) or ``docx`` (mammoth)."""
    digest: str
    """SHA-256 of the source file's bytes: the same source is recognised when imported again."""


def convert(path: Path) -> Converted:
    """Read `path` as Markdown, converting HTML and Word documents.

    Raises:
        ConversionError: the file cannot be read or converted (the message says why).
    """
    import hashlib

    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise ConversionError(f"{path}: not a file lessons can import ({suffix or 'no extension'}); "
                              f"expected one of {', '.join(sorted(SUFFIXES))}")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ConversionError(f"{path}: cannot read: {exc.strerror or exc}") from None
    digest = hashlib.sha256(data).hexdigest()
    if suffix in WORD_SUFFIXES:
        return Converted(path, _tidy(_html_to_markdown(_docx_to_html(path, data))), "docx", digest)
    text = _decode(path, data)
    if suffix in HTML_SUFFIXES:
        return Converted(path, _tidy(_html_to_markdown(text)), "html", digest)
    return Converted(path, text, "markdown", digest)


def _decode(path: Path, data: bytes) -> str:
    try:
        return decode(data, path)
    except ParseError as exc:
        raise ConversionError(f"{path}:{exc.line}: {exc.message}") from None


def _docx_to_html(path: Path, data: bytes) -> str:
    import io
    import zipfile

    mammoth = _optional("mammoth")
    try:
        result = mammoth.convert_to_html(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ConversionError(f"{path}: not a readable Word document (.docx): {exc}") from None
    return str(result.value)


def _html_to_markdown(html: str) -> str:
    markdownify = _optional("markdownify")
    bs4 = _optional("bs4")  # markdownify's own parser
    soup = bs4.BeautifulSoup(html, "html.parser")
    # What a page holds besides its text: scripts, styles, the <head> with its <title>.
    for element in soup.find_all(["script", "style", "head", "template", "noscript"]):
        element.decompose()
    converter = markdownify.MarkdownConverter(heading_style="ATX", bullets="-")
    return str(converter.convert_soup(soup))


def _tidy(markdown: str) -> str:
    """Converted Markdown without the blank-line runs and trailing spaces converters leave."""
    text = _TRAILING_SPACE.sub("\n", markdown.replace("\r\n", "\n"))
    return _BLANK_RUN.sub("\n\n", text).strip() + "\n"


def _optional(module: str):  # type: ignore[no-untyped-def]
    from importlib import import_module

    try:
        return import_module(module)
    except ImportError:
        raise ConversionError(f"converting this file needs {module}: pip install 'lessons[import]'") from None
