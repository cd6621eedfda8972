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
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from datetime import date
from enum import Enum
from itertools import chain, repeat
from operator import attrgetter
from pathlib import Path
from typing import Any

from .. import fieldspec
from ..errors import ParseError, Problem
from ..model import Document
from ..parsing.parse import MAX_FILE_BYTES, decode, folder_kind, parse_text
from .search_text import field_texts
from .tokenize import chunk_words, lower_chunks


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
    stems: str = ""
    """The document's distinct stems, separated by spaces (as ``terms.stems`` holds them)."""
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


def prepare(path: Path, rel: str, root: Path, known_digest: str = "", *, words_once: bool = False) -> Prepared:
    """Read, parse and tokenise one file.

    Args:
        known_digest: the SHA-256 stored for the file: bytes that still hash to it were
            only touched, and are not parsed.
        words_once: in a worker (`forget_chunks` called when it started): pass each word
            on with the first document that has it, not with every one.
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
    return _rows(doc, digest, words_once)


def _rows(doc: Document, digest: str, words_once: bool) -> Prepared:
    ready = Prepared(
        digest, "document", doc_id=doc.id, id_line=doc.line_of("id"),
        path=str(doc.path), columns=tuple(spec.encode(doc.value(spec.name)) for spec in fieldspec.FIELDS.columns),
        data=document_json(doc),
        labels=sorted({("cause", v) for v in doc.causes} | {("tag", v) for v in doc.tags}
                      | {("service", v) for v in doc.services}),
    )
    # Counted in C: each field's chunks (`lower_chunks`) become their words' stems
    # through a dict (`_STEMS`), and a Counter counts those. The stems of the four fields
    # keep the order in which they first occur, as the words of `surface_words` do.
    found = [lower_chunks(text) for text in field_texts(doc)]
    per_field = [Counter(chain.from_iterable(map(_STEMS.__getitem__, chunks))) for chunks in found]
    stems = list(dict.fromkeys(chain.from_iterable(per_field)))
    ready.stems = " ".join(stems)
    ready.counts = pack_counts(_count_columns(per_field, stems))
    title, summary, labels, text = (sum(counts.values()) for counts in per_field)
    ready.lengths = (title, summary, labels, text)
    new_words, _STEMS.new_words = _STEMS.new_words, {}
    if words_once:
        ready.words = new_words
    else:  # every word of the document: the writer keeps those it does not know
        for chunk in dict.fromkeys(chain.from_iterable(found)):
            for word, word_stem in chunk_words(chunk):
                ready.words.setdefault(word, word_stem)
    return ready


def _count_columns(per_field: list[Counter[str]], stems: list[str]) -> list[int]:
    """For each stem in order, its counts in the title, summary, labels and body, one after the other."""
    title, summary, labels, body = per_field
    columns = [0] * (4 * len(stems))
    columns[3::4] = map(body.get, stems, repeat(0))  # the body has most stems: one pass in C
    if title or summary or labels:  # a few words each: placed one by one
        where = dict(zip(stems, range(0, len(columns), 4), strict=True))
        for code, counts in enumerate((title, summary, labels)):
            for word_stem, n in counts.items():
                columns[where[word_stem] + code] = n
    return columns


CHUNKS_KEPT = 200_000
"""At most this many chunks are kept in `_STEMS` (then it starts again from none)."""


class _StemsOfChunks(dict[str, tuple[str, ...]]):
    """chunk -> the stems of its words (`chunk_words`), kept for the process: most chunks come back.

    A plain dict, so that looking a field's chunks up is `map` over it in C; a chunk
    met for the first time comes through `__missing__`, which also notes those of its
    words met for the first time (`new_words`): in a worker, which starts with none
    (`forget_chunks`), the words it has not passed on yet.
    """

    def __init__(self) -> None:
        super().__init__()
        self.new_words: dict[str, str] = {}
        self.words: set[str] = set()

    def __missing__(self, chunk: str) -> tuple[str, ...]:
        if len(self) >= CHUNKS_KEPT:  # a long-lived process (a `mkdocs serve`) keeps no more than this
            # The chunks and the words seen go (a worker then passes some words on again: the
            # writer keeps one); the new words of the document being read stay to be passed on.
            self.clear()
            self.words.clear()
        pairs = chunk_words(chunk)
        for word, word_stem in pairs:
            if word not in self.words:
                self.words.add(word)
                self.new_words[word] = word_stem
        stems = self[chunk] = tuple(word_stem for _, word_stem in pairs)
        return stems

    def forget(self) -> None:
        self.clear()
        self.words.clear()
        self.new_words = {}


_STEMS = _StemsOfChunks()


def forget_chunks() -> None:
    """Start a worker with no chunk known, so that `prepare(words_once=True)` passes every word on once."""
    _STEMS.forget()


def document_json(doc: Document) -> str:
    """The document as the index stores it: `Document.to_dict` as JSON, without ``text``.

    ``text`` is the sections' text joined, rebuilt on reading rather than stored twice.
    The same JSON as encoding `to_dict`'s output, made in one pass of the C encoder:
    only dates, enums, paths and the document's parts come back to Python (`_plain`),
    where building the dict first walked every value in Python (a third of the cost of
    turning a parsed document into rows).
    """
    return _ENCODER.encode(_plain(doc))


def _plain(value: object) -> object:
    """What `Document.to_dict` makes of a value JSON has no type for."""
    make = _PLAIN.get(type(value))
    if make is None:  # the first value of its type: find how `to_dict` writes that type, once
        make = _PLAIN[type(value)] = _plain_maker(type(value))
    return make(value)


def _plain_maker(cls: type) -> Callable[[Any], object]:
    """How `jsonable` writes a value of type `cls`, as one function (a dict lookup then decides each value).

    The same checks in the same order as `jsonable`'s, made once per type: a document
    has some 30 dates, enums and parts, each of which went through `jsonable`'s chain
    of `isinstance` (about 5% of `document_json`'s time).
    """
    if hasattr(cls, "__dataclass_fields__"):
        return _as_dict_maker(cls)
    if issubclass(cls, date):  # a datetime is a date
        return cls.isoformat
    if issubclass(cls, Enum):
        return attrgetter("value")
    if issubclass(cls, Path):
        return str
    raise TypeError(f"{cls.__name__} cannot be stored in the index")


# A document holds no cycles: the encoder need not keep track of the objects it is inside.
_ENCODER = json.JSONEncoder(ensure_ascii=False, check_circular=False, default=_plain)
_PLAIN: dict[type, Callable[[Any], object]] = {}


def _as_dict_maker(cls: type) -> Callable[[Any], dict[str, Any]]:
    """The function making a dict of the fields of a `cls` (a document's but ``text``), one per class."""
    names = tuple(f.name for f in fields(cls) if cls is not Document or f.name != "text")
    values = attrgetter(*names)  # all of them in one call, as a tuple (for two names or more)
    if len(names) > 1:
        return lambda v: dict(zip(names, values(v), strict=True))
    return lambda v: {names[0]: values(v)}


def pack_counts(counts: list[int]) -> bytes:
    """Occurrence counts as little-endian uint16 (a count above 65,535 is stored as 65,535)."""
    try:
        packed = array("H", counts)
    except OverflowError:  # rare: a word said 65,536 times
        packed = array("H", [min(n, 0xFFFF) for n in counts])
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
