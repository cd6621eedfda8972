"""The front-matter fields, one entry each: the one place a field is described.

Each `FieldSpec` says what a field's value is (`ValueType`), the other keys teams write
for it, whether the body may give it as a label (``**Severity:** 2``), how it is shown,
whether the index keeps it in a column of its own, and so how it serialises. Everything
else is derived from `FIELDS`: front-matter reading and its aliases
(`parsing/fields.py`), the labels reader, `Document.to_dict` and `document_from_dict`,
the index's `documents` columns, and the labels of `lessons show` and the site's card.
docs/DESIGN.md, "How to add a field", lists what else a new field may need.

`Kind` and `Status` live here rather than in `model.py` because they are the values of
two fields; `lessons.model` re-exports them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import Enum
from typing import Any, TypeVar, cast

_Made = TypeVar("_Made")


class Kind(str, Enum):
    """What a document is."""

    POSTMORTEM = "postmortem"
    PRACTICE = "practice"


class Status(str, Enum):
    """Where a document is in its review."""

    DRAFT = "draft"
    IN_REVIEW = "in-review"
    PUBLISHED = "published"


class ValueType(Enum):
    """What a field's value is once read; it decides how the value is read and serialised."""

    TEXT = "text"
    ID = "id"
    """A slug: lower-case letters, digits and hyphens."""
    INT = "int"
    DATE = "date"
    DATETIME = "datetime"
    TEXT_LIST = "list of text"
    ID_LIST = "list of ids"
    """Ids compared as the taxonomy writes them (lower case, hyphens for spaces)."""
    ENUM = "enum"


LIST_TYPES = frozenset({ValueType.TEXT_LIST, ValueType.ID_LIST})


class Stored(Enum):
    """How the index keeps a field: always in the document's JSON, maybe in a column too."""

    JSON = "json"
    """Only in ``documents.data``."""
    COLUMN = "column"
    """Also a column of ``documents`` (for SQL filters and people reading the index)."""
    INDEXED = "indexed"
    """A column with an index (the id: unique within a source, by the table's constraint)."""


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One front-matter field."""

    name: str
    """The key as documented, and the `Document` attribute when it has one."""
    value_type: ValueType
    label: str
    """How a person reads the field's name (the site's card)."""
    aliases: tuple[str, ...] = ()
    """Other spellings of the key (``organisation``), read as the field without a warning."""
    stand_ins: tuple[str, ...] = ()
    """Other tools' keys for the field (``impact_start``): read only when the field itself is absent."""
    body_label: str | None = None
    """The key under ``[labels]`` in the language packs whose words, written as ``**Label:** value``
    in the body, give this field when the front matter does not."""
    reading: str = ""
    """A reading beyond what the type says (``severity``: ``SEV2``, ``P1``, ``critical``;
    ``document ids``: file names taken as ids); `parsing.fields` knows each."""
    enum: type[Enum] | None = None
    """For `ValueType.ENUM`: the values."""
    default: Any = None
    """The value when the field is absent (lists: always empty)."""
    required: bool = False
    """Serialised documents always carry it (`document_from_dict` refuses one without)."""
    shown: bool = True
    """Listed among the fields by ``lessons show``."""
    stored: Stored = Stored.JSON

    @property
    def is_list(self) -> bool:
        """True for a field holding a list of values."""
        return self.value_type in LIST_TYPES

    def empty(self) -> Any:
        """The field's value when it is absent (a new list each time)."""
        return [] if self.is_list else self.default

    def encode(self, value: Any) -> Any:
        """The value as JSON holds it: dates in ISO 8601, enums as their value."""
        if value is None:
            return None
        if self.value_type in (ValueType.DATE, ValueType.DATETIME):
            return value.isoformat()
        if self.value_type is ValueType.ENUM:
            return value.value
        return list(value) if self.is_list else value

    def decode(self, data: Any) -> Any:
        """The value `encode` wrote; None or missing is the field's `empty` value."""
        return _decoder(self)(data)

    @property
    def sql_type(self) -> str:
        """The SQLite type of the field's column."""
        return "INTEGER" if self.value_type is ValueType.INT else "TEXT"

    @property
    def nullable(self) -> bool:
        """The column may be NULL: the field may be absent and has no default."""
        return not self.required and self.default is None


def _decoder(spec: FieldSpec) -> Callable[[Any], Any]:
    # One small function per type: a thousand documents read from the index decode each field.
    default = spec.default
    if spec.is_list:
        return lambda data: list(data) if data else []
    if spec.value_type in (ValueType.DATE, ValueType.DATETIME):
        parse = date.fromisoformat if spec.value_type is ValueType.DATE else datetime.fromisoformat
        return lambda data: parse(data) if data else default
    if spec.enum is not None:
        return _enum_decoder(spec.enum, default)
    return lambda data: default if data is None else data


def _enum_decoder(values: type[Enum], default: Any) -> Callable[[Any], Any]:
    members = values._value2member_map_

    def decode(data: Any) -> Any:
        if data is None:
            return default
        try:
            return members[data]  # a dict lookup: calling the Enum class costs ten times more
        except (KeyError, TypeError):
            return values(data)  # what the Enum makes of anything else (or its error)
    return decode


class Registry:
    """The fields, with the lookups derived from them, made once."""

    def __init__(self, specs: Iterable[FieldSpec]) -> None:
        self.specs = tuple(specs)
        self.names = tuple(spec.name for spec in self.specs)
        self.by_name = {spec.name: spec for spec in self.specs}
        self.spellings = {key.lower(): spec.name for spec in self.specs for key in (spec.name, *spec.aliases)}
        """Every key read as a field (lower case) -> the field's name."""
        self.stand_ins = {key: spec.name for spec in self.specs for key in spec.stand_ins}
        self.by_label = {spec.body_label: spec.name for spec in self.specs if spec.body_label}
        """Lexicon ``[labels]`` key -> the field's name."""
        self.columns = tuple(spec for spec in self.specs if spec.stored is not Stored.JSON)
        self.decoders = tuple((spec.name, spec.required, _decoder(spec)) for spec in self.specs)
        """(name, required, decode) for each field, in order: what `document_from_dict` runs."""
        self._derived: dict[str, Any] = {}
        for spec in self.specs:
            if (spec.is_list and spec.stored is not Stored.JSON) or (spec.value_type is ValueType.ENUM) != (
                    spec.enum is not None):
                raise ValueError(f"field {spec.name!r}: a list cannot be a column, and an enum needs its values")
        if len(self.by_name) != len(self.specs) or len(self.spellings) != sum(
                1 + len(spec.aliases) for spec in self.specs):
            raise ValueError("two fields share a name or an alias")

    def __getitem__(self, name: str) -> FieldSpec:
        return self.by_name[name]

    def __iter__(self) -> Any:
        return iter(self.specs)

    def derived(self, what: str, make: Callable[[Registry], _Made]) -> _Made:
        """What a user of the registry makes from it once (a plan of its fields), kept with it."""
        found = self._derived.get(what)
        if found is None:
            found = self._derived[what] = make(self)
        return cast(_Made, found)

    def label(self, name: str) -> str:
        """The display label of a field (``Organisation``)."""
        return self.by_name[name].label

    def with_field(self, spec: FieldSpec) -> Registry:
        """These fields and one more (or one replaced, by name)."""
        return Registry([*(s for s in self.specs if s.name != spec.name), spec])

    def replaced(self, name: str, **changes: Any) -> Registry:
        """These fields with one entry changed."""
        return self.with_field(replace(self.by_name[name], **changes))


_T, _L = ValueType, ValueType.TEXT_LIST

# In the order `lessons show` lists them; spelling suggestions ("did you mean") break ties the same way.
FIELDS = Registry([
    FieldSpec("title", _T.TEXT, "Title", required=True, shown=False, stored=Stored.COLUMN),
    FieldSpec("id", _T.ID, "Id", required=True, stored=Stored.INDEXED),
    FieldSpec("kind", _T.ENUM, "Kind", aliases=("type",), enum=Kind, required=True, stored=Stored.COLUMN),
    FieldSpec("date", _T.DATE, "Date", stand_ins=("incident_date",), body_label="date", stored=Stored.COLUMN),
    FieldSpec("status", _T.ENUM, "Status", body_label="status", enum=Status, default=Status.PUBLISHED,
              stored=Stored.COLUMN),
    FieldSpec("severity", _T.INT, "Severity", aliases=("sev",), body_label="severity", reading="severity",
              stored=Stored.COLUMN),
    FieldSpec("organization", _T.TEXT, "Organisation", aliases=("organisation", "org", "company"),
              body_label="organization", stored=Stored.COLUMN),
    FieldSpec("services", _L, "Services", aliases=("service",), body_label="services"),
    FieldSpec("causes", _T.ID_LIST, "Causes", aliases=("cause",)),
    FieldSpec("prevents", _T.ID_LIST, "Prevents"),
    FieldSpec("tags", _L, "Tags", aliases=("tag",)),
    FieldSpec("summary", _T.TEXT, "Summary", default="", shown=False, stored=Stored.COLUMN),
    FieldSpec("started", _T.DATETIME, "Started", body_label="started", shown=False,
              stand_ins=("impact_start", "start", "start_time", "started_at", "begin")),
    FieldSpec("detected", _T.DATETIME, "Detected", body_label="detected", shown=False,
              stand_ins=("detected_at", "detection_time")),
    FieldSpec("mitigated", _T.DATETIME, "Mitigated", shown=False, stand_ins=("mitigated_at",)),
    FieldSpec("resolved", _T.DATETIME, "Resolved", body_label="resolved", shown=False,
              stand_ins=("impact_end", "end", "end_time", "resolved_at")),
    FieldSpec("sources", _L, "Sources", aliases=("source", "references"), shown=False),
    FieldSpec("related", _T.ID_LIST, "Related", reading="document ids", shown=False),
    FieldSpec("authors", _L, "Authors", aliases=("author",), body_label="authors", shown=False),
])
"""Every front-matter field. Code that may see a test's registry reads it as `fieldspec.FIELDS`."""
