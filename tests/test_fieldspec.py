"""The field registry: one entry per front-matter field, and everything derived from it.

A field added to `lessons.fieldspec.FIELDS` (here by a test, as a team adding a field
would in the source) is read from front matter with its aliases, travels through
`to_dict`/`document_from_dict` and the index, and is listed by ``lessons show``.
"""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import fields
from pathlib import Path

import pytest

from lessons import fieldspec
from lessons.errors import Level
from lessons.fieldspec import FIELDS, FieldSpec, Kind, Registry, Status, Stored, ValueType
from lessons.model import Document, ParseNotes, document_from_dict
from lessons.parsing.parse import parse_text

ROOT = Path(__file__).parent.parent

POSTMORTEM = """\
---
title: Checkout errors in one region
date: 2024-03-16
aws_region: eu-west-1
customers_affected: 1200
---

## Summary

Checkout failed for customers in one region.
"""

REGION = FieldSpec("region", ValueType.TEXT, "Region", aliases=("aws_region",))
AFFECTED = FieldSpec("customers_affected", ValueType.INT, "Customers affected")


@pytest.fixture
def more_fields(monkeypatch: pytest.MonkeyPatch) -> Registry:
    """The registry with two fields more, as if they had been added to `fieldspec.py`."""
    registry = FIELDS.with_field(REGION).with_field(AFFECTED)
    monkeypatch.setattr(fieldspec, "FIELDS", registry)
    return registry


def parse(text: str) -> Document:
    doc = parse_text(text, Path("postmortems/2024-03-16-checkout.md"))
    assert doc is not None
    return doc


def test_without_their_entries_the_keys_are_unknown() -> None:
    doc = parse(POSTMORTEM)
    assert {(p.line, p.code) for p in doc.problems} == {(4, "unknown-key"), (5, "unknown-key")}
    assert doc.extra == {"aws_region": "eu-west-1", "customers_affected": 1200}


def test_a_field_added_to_the_registry_is_read_with_its_alias_and_line(more_fields: Registry) -> None:
    doc = parse(POSTMORTEM)
    assert doc.problems == []
    assert doc.extra == {}
    assert (doc.value("region"), doc.value("customers_affected")) == ("eu-west-1", 1200)
    assert (doc.line_of("region"), doc.line_of("customers_affected")) == (4, 5)
    assert doc.value("organization") is None  # fields with attributes are read the same way


def test_a_field_added_to_the_registry_is_validated_as_its_type(more_fields: Registry) -> None:
    doc = parse(POSTMORTEM.replace("1200", "a lot").replace("eu-west-1", "[a, b]"))
    found = {(p.line, p.code, p.level) for p in doc.problems}
    assert found == {(4, "invalid-field", Level.ERROR), (5, "invalid-field", Level.ERROR)}
    assert "customers_affected: expected a whole number, got 'a lot'" in [p.message for p in doc.problems]
    assert doc.value("customers_affected") is None and doc.value("region") is None
    huge = parse(POSTMORTEM.replace("1200", "9" * 5000))  # past what Python turns into an int
    assert [p.code for p in huge.problems] == ["invalid-field"]


def test_a_field_added_to_the_registry_round_trips_through_to_dict(more_fields: Registry) -> None:
    doc = parse(POSTMORTEM)
    data = json.loads(json.dumps(doc.to_dict()))
    assert data["more_fields"] == {"region": "eu-west-1", "customers_affected": 1200}
    again = document_from_dict(data)
    assert again == doc
    assert again.value("region") == "eu-west-1"


def test_a_field_added_to_the_registry_is_shown(more_fields: Registry, cli, content_dir: Path) -> None:
    (content_dir / "postmortems" / "2024-03-16-checkout.md").write_text(POSTMORTEM, encoding="utf-8")
    result = cli("show", "2024-03-16-checkout", "--content", content_dir)
    assert result.exit_code == 0, result.output
    assert "        region: eu-west-1\n" in result.stdout
    assert "customers_affected: 1200\n" in result.stdout
    data = json.loads(cli("show", "2024-03-16-checkout", "--json", "--content", content_dir).stdout)
    assert data["more_fields"] == {"region": "eu-west-1", "customers_affected": 1200}


def test_body_labels_come_from_the_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "---\ntitle: Outage\ndate: 2024-03-16\n---\n\n**Organisation:** Acme Payments\n\n## Summary\n\nDown.\n"
    assert parse(text).organization == "Acme Payments"
    monkeypatch.setattr(fieldspec, "FIELDS", FIELDS.replaced("organization", body_label=None))
    assert parse(text).organization is None


def test_lessons_show_lists_the_fields_as_it_did_before_the_registry(cli, content_dir: Path) -> None:
    out = cli("show", "2024-03-16-contactless-payments-update", "--content", content_dir).stdout
    names = [m.group(1) for m in re.finditer(r"^ *([a-z_ ]+): ", out, re.MULTILINE)]
    assert names[:12] == ["id", "kind", "path", "date", "status", "severity", "organization", "services", "causes",
                          "tags", "time to detect", "duration"]
    assert "      severity: 2\n  organization: Example Retail\n      services: payments, store-tills\n" in out


def test_the_index_columns_are_the_registry_columns(kb) -> None:
    db = kb.root / ".lessons" / "index.db"
    with sqlite3.connect(db) as conn:
        columns = [row[1] for row in conn.execute("PRAGMA table_info(documents)")]
        stored = dict(conn.execute("SELECT id, organization FROM documents WHERE organization IS NOT NULL"))
    assert columns == ["key", "source", "path", *(spec.name for spec in FIELDS.columns),
                       "len_title", "len_summary", "len_labels", "len_text", "data"]
    assert stored and all(kb.get(doc_id).organization == value for doc_id, value in stored.items())


def test_parse_notes_are_kept_apart_and_old_json_still_reads() -> None:
    doc = parse("---\ntitle: T\ndate: 2024-03-16\nresolved: 2024-03-17\n---\n\n## Summary\n\nx\n")
    assert doc.notes == ParseNotes({"title": 2, "date": 3, "resolved": 4}, ["resolved"], "front matter", [])
    assert (doc.field_lines, doc.day_precision, doc.date_source) == (doc.notes.lines, ["resolved"], "front matter")
    data = doc.to_dict()
    assert "field_lines" not in data and data["notes"]["lines"] == doc.notes.lines
    # JSON written before the notes moved (top-level field_lines, day_precision …) reads the same.
    flat = {key: value for key, value in data.items() if key != "notes"}
    flat.update(field_lines=doc.notes.lines, day_precision=["resolved"], date_source="front matter", problems=[])
    assert document_from_dict(flat) == doc


def test_every_field_with_an_attribute_has_the_registry_default() -> None:
    defaults = {f.name: f for f in fields(Document)}
    for spec in FIELDS:
        if spec.name in defaults and not spec.required:
            declared = defaults[spec.name]
            default = declared.default_factory() if callable(declared.default_factory) else declared.default
            assert default == spec.empty(), spec.name
    assert FIELDS["kind"].enum is Kind and FIELDS["status"].default is Status.PUBLISHED


def test_every_body_label_is_a_language_pack_key_and_every_field_is_documented() -> None:
    import tomllib

    packs = sorted((ROOT / "lessons" / "parsing" / "lexicon").glob("*.toml"))
    assert packs
    for pack in packs:
        labels = tomllib.loads(pack.read_text(encoding="utf-8"))["labels"]
        assert set(labels) == set(FIELDS.by_label), pack.name
    documented = (ROOT / "docs" / "FORMAT.md").read_text(encoding="utf-8")
    table = documented[documented.index("## Front matter fields"):documented.index("## Sections")]
    for spec in FIELDS:
        assert f"`{spec.name}`" in table, spec.name


def test_a_registry_refuses_clashing_names_and_aliases() -> None:
    with pytest.raises(ValueError, match="share"):
        FIELDS.with_field(FieldSpec("org", ValueType.TEXT, "Org"))
    with pytest.raises(ValueError, match="enum"):
        FIELDS.with_field(FieldSpec("phase", ValueType.ENUM, "Phase"))
    with pytest.raises(ValueError, match="list"):
        FIELDS.with_field(FieldSpec("teams", ValueType.TEXT_LIST, "Teams", stored=Stored.COLUMN))
