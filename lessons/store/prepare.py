"""One file read, parsed and turned into rows, ready for the writer (no database access).

`prepare` runs in the main process or in a forked worker (`workers`); what it returns
is plain and picklable.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import sys
from array import array
from dataclasses import dataclass, field, fields
from operator import attrgetter
from pathlib import Path

from .. import fieldspec
from ..errors import ParseError, Problem
from ..model import Document, jsonable
from ..parsing.parse import MAX_FILE_BYTES, decode, folder_kind, parse_text
from .search_text import field_texts
from .tokenize import token_counts, token_stems


@dataclass(slots=True)
class Prepared:
    """One file, parsed and turned into rows, ready to be written (picklable)."""

    digest: str
    role: str
    """document | page | error | unchanged | gone (deleted before it could be read)"""
    problems: list[dict[str, object]] = field(default_factory=list)
    doc_id: str = ""
    id_line: int = 1
    path: str = ""
    """The document's path, relative to the content folder."""
    columns: tuple[object, ...] = ()
    """The values of the fields the `documents` table has columns for (`fieldspec.FIELDS.columns`)."""
    data: str = ""
    """The whole document as JSON."""
    labels: list[tuple[str, str]] = field(default_factory=list)
    stems: list[str] = field(default_factory=list)
    """The document's distinct stems."""
    counts: bytes = b""
    """For each stem, its occurrences in the title, summary, labels and body (`pack_counts`)."""
    lengths: tuple[int, int, int, int] = (0, 0, 0, 0)
    words: dict[str, str] = field(default_factory=dict)
    """word -> stem"""

    def __reduce__(self) -> tuple[type[Prepared], tuple[object, ...]]:
        # Pickled as its values, for the trip from a worker: the default of a dataclass
        # with slots restores each field with a Python call, which doubled the time the
        # writer spent taking results in.
        return Prepared, _VALUES(self)


_VALUES = attrgetter(*(f.name for f in fields(Prepared)))


def document_insert() -> str:
    """The INSERT of one ``documents`` row: key, source, path, the registry's columns, lengths, data."""
    names = ["key", "source", "path", *(spec.name for spec in fieldspec.FIELDS.columns),
             "len_title", "len_summary", "len_labels", "len_text", "data"]
    return f"INSERT INTO documents({', '.join(names)}) VALUES ({','.join('?' * len(names))})"


def read_file(path: Path) -> tuple[str, str, ParseError | None]:
    """The text of a file, the SHA-256 of its bytes, and why it cannot be read (or None).

    Only a regular file is read, and at most one byte more than a document may have: a
    FIFO or a device that took the place of a listed file would otherwise block the
    command or read until memory runs out.

    Raises:
        FileNotFoundError: the file was deleted after the folder was listed.
    """
    try:
        # O_NONBLOCK: opening a FIFO waits for a writer without it; regular files ignore it.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise
    except OSError as exc:
        return "", "", ParseError(path, 0, f"cannot read file: {exc.strerror or exc}", code="unreadable")
    with os.fdopen(fd, "rb") as stream:
        size = os.fstat(stream.fileno())
        if not stat.S_ISREG(size.st_mode):
            return "", "", ParseError(path, 1, "not a regular file (a FIFO or a device?), not Markdown",
                                      code="not-a-file")
        try:
            data = stream.read(MAX_FILE_BYTES + 1)
        except OSError as exc:
            return "", "", ParseError(path, 0, f"cannot read file: {exc.strerror or exc}", code="unreadable")
    digest = hashlib.sha256(data)
    if len(data) > MAX_FILE_BYTES:
        digest.update(b"%d" % size.st_size)  # the first bytes alone would miss a change after them
        return "", digest.hexdigest(), ParseError(
            path, 1, f"file is {max(size.st_size, len(data)) / 1_048_576:.1f} MB; documents are limited to "
            f"{MAX_FILE_BYTES // 1_048_576} MB (is a log or binary pasted in?)", code="file-too-large")
    try:
        return decode(data, path), digest.hexdigest(), None
    except ParseError as exc:
        return "", digest.hexdigest(), exc


def prepare(path: Path, rel: str, root: Path, known_digest: str = "",
            sent: set[str] | None = None) -> Prepared:
    """Read, parse and tokenise one file.

    Args:
        known_digest: the SHA-256 stored for the file: bytes that still hash to it were
            only touched, and are not parsed.
        sent: in a worker, the words it has already passed on (each is sent once).
    """
    try:
        text, digest, error = read_file(path)
    except FileNotFoundError:
        return Prepared("", "gone")
    if known_digest and digest == known_digest:
        return Prepared(digest, "unchanged")
    doc: Document | None = None
    if error is None:
        try:
            doc = parse_text(text, Path(rel), default_kind=folder_kind(path, root), content_hash=digest)
        except ParseError as exc:
            error = exc
    if error is not None:
        return Prepared(digest, "error", [problem_json(error.to_problem(), rel)])
    if doc is None:
        return Prepared(digest, "page")
    return _rows(doc, digest, sent)


def _rows(doc: Document, digest: str, sent: set[str] | None) -> Prepared:
    ready = Prepared(
        digest, "document", doc_id=doc.id, id_line=doc.line_of("id"),
        path=str(doc.path), columns=tuple(spec.encode(doc.value(spec.name)) for spec in fieldspec.FIELDS.columns),
        data=document_json(doc),
        labels=sorted({("cause", v) for v in doc.causes} | {("tag", v) for v in doc.tags}
                      | {("service", v) for v in doc.services}),
    )
    lengths = []
    per_stem: dict[str, list[int]] = {}
    already = sent if sent is not None else ()
    new_words = ready.words
    for code, text in enumerate(field_texts(doc)):
        total = 0
        # Each distinct token once (a body says "the database" many times): its words, their
        # stems, the counts into each stem's, and the vocabulary. First occurrences keep
        # their order, as in `surface_words`.
        for token, n in token_counts(text).items():
            for word, word_stem in token_stems(token):
                total += n
                counts = per_stem.get(word_stem)
                if counts is None:
                    counts = per_stem[word_stem] = [0, 0, 0, 0]
                counts[code] += n
                if word not in new_words and word not in already:
                    new_words[word] = word_stem
        lengths.append(total)
    if sent is not None:
        sent.update(ready.words)
    ready.stems = list(per_stem)
    ready.counts = pack_counts([n for counts in per_stem.values() for n in counts])
    ready.lengths = (lengths[0], lengths[1], lengths[2], lengths[3])
    return ready


def document_json(doc: Document) -> str:
    """The document as the index stores it: `Document.to_dict` as JSON, without ``text``.

    ``text`` is the sections' text joined, rebuilt on reading rather than stored twice.
    The same JSON as encoding `to_dict`'s output, made in one pass of the C encoder:
    only dates, enums, paths and the document's parts come back to Python (`_plain`),
    where building the dict first walked every value in Python (a third of the cost of
    turning a parsed document into rows).
    """
    return json.dumps({name: getattr(doc, name) for name in _stored_fields(Document)},
                      ensure_ascii=False, default=_plain)


def _plain(value: object) -> object:
    """What `Document.to_dict` makes of a value JSON has no type for."""
    names = _FIELD_NAMES.get(type(value))
    if names is not None:  # a section, an action item … (most calls): a dict lookup decides
        return {name: getattr(value, name) for name in names}
    if hasattr(value, "__dataclass_fields__"):  # the first of its kind: its field names kept for the next
        return {name: getattr(value, name) for name in _stored_fields(type(value))}
    plain = jsonable(value)  # dates, enums and paths, written as `to_dict` writes them
    if plain is value:
        raise TypeError(f"{type(value).__name__} cannot be stored in the index")
    return plain


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _stored_fields(cls: type) -> tuple[str, ...]:
    """The fields of a dataclass that `document_json` encodes (a document's but ``text``)."""
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = tuple(f.name for f in fields(cls) if cls is not Document or f.name != "text")
    return names


def pack_counts(counts: list[int]) -> bytes:
    """Occurrence counts as little-endian uint16 (a count above 65,535 is stored as 65,535)."""
    packed = array("H", counts if max(counts, default=0) <= 0xFFFF else [min(n, 0xFFFF) for n in counts])
    if sys.byteorder == "big":
        packed.byteswap()
    return packed.tobytes()


def unpack_counts(data: bytes) -> array[int]:
    """The counts `pack_counts` wrote."""
    counts = array("H")
    counts.frombytes(data)
    if sys.byteorder == "big":
        counts.byteswap()
    return counts


def problem_json(problem: Problem, rel: str) -> dict[str, object]:
    """A problem as stored in ``files.problems``."""
    return {"path": rel, "line": problem.line, "column": problem.column, "code": problem.code,
            "message": problem.message, "level": problem.level.value}
