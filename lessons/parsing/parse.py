"""Markdown with YAML front matter -> `Document`.

`parse_text` never raises anything but `ParseError`: a file that cannot be read
as a document at all (empty, not UTF-8, binary, too large, front matter that is not
YAML or not a mapping). Everything less serious — a mistyped field, an unknown
key, a missing section — becomes a `Problem` on `Document.problems`, so one
mistake never hides the rest.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import ParseError
from ..model import Document, Kind

if TYPE_CHECKING:
    from collections.abc import Sequence

    from .builder import DocumentBuilder
    from .fields import Fields
    from .entries import Entry
    from .markdown import BlockToken

MAX_FILE_BYTES = 2 * 1024 * 1024
"""Larger files are refused: no real post-mortem is this long, and a huge file
is far more likely a mistake (a log pasted in, a binary renamed .md)."""

FOLDER_KINDS = {
    "postmortems": Kind.POSTMORTEM, "post-mortems": Kind.POSTMORTEM, "postmortem": Kind.POSTMORTEM,
    "incidents": Kind.POSTMORTEM, "practices": Kind.PRACTICE, "practice": Kind.PRACTICE,
}
_FENCE_LINE = re.compile(r"^---\s*$")


def read_source(path: Path) -> tuple[str, str]:
    """The text of a file and the SHA-256 of its bytes.

    Raises:
        ParseError: the file is too large, binary or not UTF-8.
    """
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ParseError(
                path, 1,
                f"file is {size / 1_048_576:.1f} MB; documents are limited to "
                f"{MAX_FILE_BYTES // 1_048_576} MB (is a log or binary pasted in?)",
                code="file-too-large",
            )
        data = path.read_bytes()
    except OSError as exc:
        raise ParseError(path, 0, f"cannot read file: {exc.strerror or exc}", code="unreadable") from None
    return decode(data, path), hashlib.sha256(data).hexdigest()


def decode(data: bytes, path: Path) -> str:
    """Bytes -> text, refusing binary and non-UTF-8 content with the line at fault."""
    if b"\x00" in data[:8192]:
        raise ParseError(path, 1, "file looks binary (it contains NUL bytes), not Markdown", code="binary")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ParseError(
            path, line,
            f"file is not UTF-8 (byte 0x{data[exc.start]:02x}); re-save it as UTF-8",
            code="encoding", column=column,
        ) from None
    return text.removeprefix("\ufeff")


_NOT_DOCUMENTS = frozenset({"readme", "index"})
"""Names that are about a folder, not documents in it, wherever they are."""


def folder_kind(path: Path, root: Path | None) -> Kind | None:
    """The kind a file's folder implies (``postmortems/…`` -> post-mortem).

    None for a ``README.md`` or ``index.md`` (about the folder) and for a name starting
    with ``_`` (a template or partial, as Jekyll and Hugo treat it): such a file is a
    document only when its front matter or its content says so.
    """
    if path.stem.lower() in _NOT_DOCUMENTS or path.name.startswith("_"):
        return None
    try:
        parts = path.relative_to(root).parts[:-1] if root else path.parts[:-1]
    except ValueError:
        parts = path.parts[:-1]
    for part in reversed(parts):
        if part.lower() in FOLDER_KINDS:
            return FOLDER_KINDS[part.lower()]
    return None


def parse_file(path: Path, *, root: Path | None = None) -> Document | None:
    """Parse one file; None when it is a plain page rather than a document."""
    text, digest = read_source(path)
    return parse_text(text, path, default_kind=folder_kind(path, root), content_hash=digest)


def parse_text(
    text: str,
    path: Path | str = "<text>",
    *,
    default_kind: Kind | None = Kind.POSTMORTEM,
    content_hash: str = "",
) -> Document | None:
    """Parse Markdown with front matter into a `Document`.

    Two stages: markdown-it's tokens become an `Outline` of typed blocks
    (`parsing.outline`), then each reader of `parsing.readers.READERS` takes its part of
    the meaning from the outline (sections, labels, timeline, action items …).

    Args:
        text: the whole file.
        path: where it came from, for messages.
        default_kind: the kind when front matter does not say; None means
            "a plain page unless the front matter has a title and a date".
        content_hash: recorded on the document for incremental indexing.

    Returns:
        The document, or None for a plain page (only when `default_kind` is None).

    Raises:
        ParseError: the text cannot be read as a document at all.
    """
    from .builder import DocumentBuilder
    from .fields import read_fields
    from .markdown import outline_tokens
    from .outline import read_outline
    from .readers import READERS

    path = Path(path)
    text = _readable(text, path, default_kind)
    if not text:
        return None
    content_hash = content_hash or hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    if "\r" in text:
        # Markdown ends lines at \r\n, \n or a lone \r; so must our line numbers.
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    tokens = outline_tokens(text)
    entries, body_start = _front_matter(tokens, text, path)
    tokens = tokens[1:] if entries is not None else tokens
    fields = read_fields(entries or {}, path)
    _settle_ambiguous_date(entries or {}, fields, path)
    kind = fields.values.get("kind") or default_kind
    written_as_document = "title" in fields.values and "date" in fields.values
    if kind is None and not written_as_document and not _may_be_postmortem(text):
        return None
    lines = text.split("\n")
    body = "\n".join(lines[body_start:]) if body_start else text
    outline = read_outline(tokens, path, lines, body_start, body=body)
    doc = DocumentBuilder(path, kind or Kind.POSTMORTEM, fields, [*fields.problems, *outline.problems],
                          body=body, body_line=body_start + 1, content_hash=content_hash,
                          kind_settled=kind is not None or written_as_document)
    for reader in READERS:
        reader(outline, doc)
    if kind is None and not (written_as_document or _reads_like_a_postmortem(doc, outline.title)):
        return None
    return doc.build()


def _readable(text: str, path: Path, default_kind: Kind | None) -> str:
    """The text, or "" for an empty plain page.

    Raises:
        ParseError: the text holds NUL characters, or is empty where a document was expected.
    """
    if "\x00" in text:
        raise ParseError(path, 1, "text contains NUL characters; is this a binary file?", code="binary")
    if not text.strip():
        if default_kind is None:
            return ""
        raise ParseError(path, 1, "file is empty; a document needs front matter with at least "
                         "`title:` (and `date:` for a post-mortem)", code="empty-file")
    return text


def _front_matter(tokens: Sequence[BlockToken], text: str, path: Path) -> tuple[dict[str, Entry] | None, int]:
    """The front matter's entries (None when there is none) and the index of the body's first line.

    Raises:
        ParseError: the front matter is not YAML, not a mapping, or never closed.
    """
    from .frontmatter import load_front_matter

    if tokens and tokens[0].type == "front_matter":
        return load_front_matter(tokens[0].content, path, 2), (tokens[0].map or [0, 2])[1]
    if _FENCE_LINE.match(text.split("\n", 1)[0]) and text.count("\n") >= 1 and _looks_like_yaml(text):
        raise ParseError(
            path, 1, "front matter opened with '---' on line 1 is never closed by a '---' line",
            code="front-matter-unclosed",
        )
    return None, 0


def _reads_like_a_postmortem(doc: DocumentBuilder, title: str | None) -> bool:
    """Outside a postmortems/ or practices/ folder, and without a title and date in the front matter.

    A page is a post-mortem when it reads like one: a title, a date and at least two of the
    sections every post-mortem template has, or a status page's updates, or a span of
    impact told in prose ("between 14:22 and 15:09 UTC").
    """
    values = doc.fields.values
    dated = doc.date is not None or "date" in doc.labelled
    core = {s.name for s in doc.sections} & _POSTMORTEM_SECTIONS
    return bool((values.get("title") or title) and dated and (len(core) >= 2 or doc.signs))


def _settle_ambiguous_date(entries: dict[str, Entry], fields: Fields, path: Path) -> None:
    """``date: 03/04/2024`` in ``2024-03-04-….md``: the file name says which order was meant."""
    from .dates import ambiguous_day, parse_date
    from .fields import DATE_PREFIX

    entry = entries.get("date")
    if entry is None or "date" in fields.values:
        return  # the usual case, told before the file name is looked at
    prefix = DATE_PREFIX.match(path.stem)
    if prefix is None:
        return
    named = parse_date(prefix.group(1))
    readings = ambiguous_day(str(entry.raw or entry.value))
    if named is None or readings is None or named not in readings:
        return
    fields.values["date"] = named
    fields.problems[:] = [p for p in fields.problems if not (p.code == "invalid-date" and p.line == entry.line)]


def _looks_like_yaml(text: str) -> bool:
    # "---" on line 1 followed by "key: value" is a front matter someone forgot to close;
    # followed by prose it is just a thematic break.
    second = text.split("\n", 2)[1] if text.count("\n") >= 1 else ""
    return bool(re.match(r"^[A-Za-z_][\w -]*:(\s|$)", second))


_POSTMORTEM_SECTIONS = frozenset({"summary", "impact", "timeline", "causes", "resolution", "action-items"})


def _may_be_postmortem(text: str) -> bool:
    # Cheap test before reading a page: post-mortem headings or bold labels.
    return bool(re.search(r"^\s{0,3}(?:#{1,6}\s|\*\*)", text, re.MULTILINE))
