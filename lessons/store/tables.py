"""The index's tables (SQLModel). Plain and documented, so any SQLite tool can read them.

| table | one row per |
|---|---|
| ``meta`` | setting: ``schema_version`` (another value rebuilds a SQLite index; a server refuses it) |
| ``sources`` | source (a repository's content folder): its parser version, next key, site URL |
| ``source_blocks`` | block of 1,024 document keys: the source whose documents it holds |
| ``files`` | Markdown file seen in a source's content folder: size, mtime, SHA-256, what it became |
| ``documents`` | document: its source, the fields people filter on, and ``data`` (the whole document as JSON) |
| ``sections`` | section of a document: canonical name, heading, line, plain text |
| ``labels`` | cause, tag or service of a document (``field`` says which) |
| ``action_items`` | action item: text, done, owner, due |
| ``timeline_events`` | timeline entry: time (UTC, ISO 8601), text |
| ``postings`` | (stem, block of 1,024 document keys): the search index, packed (see `PostingRow`) |
| ``terms`` | document: its distinct stems and their counts (the same numbers, read by document) |
| ``stems`` | stem: in how many documents it occurs (for ranking) |
| ``words`` | word as written (lower case) -> its stem: the vocabulary typos are matched against |
"""

from __future__ import annotations

import types
from typing import Any, Optional

from sqlalchemy import BigInteger, UniqueConstraint
from sqlmodel import Field, SQLModel

from .. import fieldspec
from ..fieldspec import FieldSpec, Stored

class Meta(SQLModel, table=True):
    __tablename__ = "meta"
    key: str = Field(primary_key=True)
    value: str


class SourceRow(SQLModel, table=True):
    """One indexed repository (its content folder); ids are unique within a source."""

    __tablename__ = "sources"
    name: str = Field(primary_key=True)
    parser_version: str = Field(description="another value re-indexes this source (and only it)")
    next_key: int = Field(default=0, description="the key its next document gets (0: reserve a block)")
    url: Optional[str] = Field(default=None, description="its site's address, for links to its pages")
    synced_at: str = Field(default="", description="UTC, ISO 8601")
    taxonomy: str = Field(default="", description="the causes of its taxonomy.yml as JSON, for readers "
                          "without the folder ('' when it has none)")


class SourceBlockRow(SQLModel, table=True):
    """Which source a block of keys belongs to: a postings row only ever holds one source's keys."""

    __tablename__ = "source_blocks"
    block: int = Field(primary_key=True)
    source: str = Field(index=True)


class FileRow(SQLModel, table=True):
    __tablename__ = "files"
    source: str = Field(primary_key=True)
    path: str = Field(primary_key=True, description="path relative to the content folder")
    size: int = Field(sa_type=BigInteger)
    mtime_ns: int = Field(sa_type=BigInteger)
    sha256: str = Field(description="'' forces a re-parse on the next sync")
    role: str = Field(description="document | page | error")
    doc_key: Optional[int] = Field(default=None, index=True)
    problems: str = Field(default="[]", description="JSON list of what parsing found")


def _document_columns(namespace: dict[str, Any]) -> None:
    """The ``documents`` table: its key, source and path, a column per field the registry stores in one
    (`fieldspec.Stored`), the search fields' lengths, and the whole document as JSON."""
    columns: dict[str, Any] = {"key": (Optional[int], Field(default=None, primary_key=True)),
                               "source": (str, ...), "path": (str, ...)}
    for spec in fieldspec.FIELDS.columns:
        python_type = int if spec.sql_type == "INTEGER" else str
        indexed = spec.stored is Stored.INDEXED
        columns[spec.name] = (
            Optional[python_type] if spec.nullable else python_type,
            Field(default=None, index=indexed) if spec.nullable else Field(
                default=_column_default(spec), index=indexed))
    columns.update({name: (int, 0) for name in ("len_title", "len_summary", "len_labels", "len_text")})
    columns["data"] = (str, Field(description="the whole Document as JSON"))
    namespace["__tablename__"] = "documents"
    # Ids are unique within a source (a shared index holds many teams' repositories).
    namespace["__table_args__"] = (UniqueConstraint("source", "id"),)
    namespace["__annotations__"] = {name: python for name, (python, _) in columns.items()}
    namespace.update({name: default for name, (_, default) in columns.items() if default is not ...})


def _column_default(spec: FieldSpec) -> Any:
    # A required field has no default (NOT NULL, always written); one with a default keeps it.
    encoded = spec.encode(spec.default)
    return ... if spec.required or encoded is None else encoded


DocumentRow = types.new_class("DocumentRow", (SQLModel,), {"table": True}, _document_columns)
"""One row per document: made from `fieldspec.FIELDS`, so a field stored as a column needs no code here."""


class SectionRow(SQLModel, table=True):
    __tablename__ = "sections"
    rowid: Optional[int] = Field(default=None, primary_key=True)
    doc_key: int = Field(index=True)
    name: str
    heading: str
    line: int
    text: str


class LabelRow(SQLModel, table=True):
    __tablename__ = "labels"
    doc_key: int = Field(primary_key=True)
    field: str = Field(primary_key=True, description="cause | tag | service")
    value: str = Field(primary_key=True, index=True)


class ActionItemRow(SQLModel, table=True):
    __tablename__ = "action_items"
    rowid: Optional[int] = Field(default=None, primary_key=True)
    doc_key: int = Field(index=True)
    line: int
    text: str
    done: bool
    owner: Optional[str] = None
    due: Optional[str] = None


class TimelineRow(SQLModel, table=True):
    __tablename__ = "timeline_events"
    rowid: Optional[int] = Field(default=None, primary_key=True)
    doc_key: int = Field(index=True)
    line: int
    at: Optional[str] = None
    text: str


class PostingRow(SQLModel, table=True):
    """A stem's postings, packed: one row per stem and block of 1,024 document keys.

    A row per (stem, document) would make a 10,000-document index 1.5 million rows,
    and inserting them was most of the time a first build took. Packed, it is tens of
    thousands of rows; a search reads a stem's few rows and hands the bytes to numpy;
    a changed document rewrites only the rows of its own block.
    """

    __tablename__ = "postings"
    stem: str = Field(primary_key=True)
    block: int = Field(primary_key=True, description="doc_key >> 10 for every document in the row")
    doc_keys: bytes = Field(description="the documents' keys: int32, little-endian")
    counts: bytes = Field(description="for each of those documents, the stem's occurrences in its title, "
                                      "summary, labels (causes, tags, services, organisation) and body: "
                                      "4 × uint16, little-endian")


class TermRow(SQLModel, table=True):
    """A document's stems with their counts: what `postings` holds, by document."""

    __tablename__ = "terms"
    doc_key: int = Field(primary_key=True)
    stems: str = Field(description="the document's distinct stems, separated by spaces")
    counts: bytes = Field(description="for each stem in order: 4 × uint16 as in postings.counts")


class StemRow(SQLModel, table=True):
    __tablename__ = "stems"
    stem: str = Field(primary_key=True)
    df: int


class WordRow(SQLModel, table=True):
    __tablename__ = "words"
    word: str = Field(primary_key=True)
    stem: str
