"""The labels and fields reader: facts written in the body, then the title, date and id."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from ... import fieldspec
from ...errors import Problem
from ...fieldspec import ValueType
from ...model import Kind
from ..blocks import Outline, Paragraph
from ..builder import DocumentBuilder
from ..dates import parse_date, parse_datetime
from ..fields import DATE_PREFIX, file_id, read_field
from ..lexicon import alias_form, lexicon
from ..outline import label_field
from ..timeline import read_stamp


def read_labels(outline: Outline, doc: DocumentBuilder) -> None:
    """Fields the front matter lacks, from labels (``**Date:** 21 October 2015``); title, date and id.

    Prose is not front matter: a label whose value does not read is ignored, except a date
    line, which a post-mortem without another date needs.
    """
    by_label = fieldspec.FIELDS.by_label
    for label in outline.labels:
        key = by_label.get(label_field(label.label) or "")
        if key and key not in doc.labelled:
            doc.labelled[key] = (label.value, label.line)
    values = doc.fields.values
    for key, (written, line) in doc.labelled.items():
        if key not in values:
            informal = _informal(key, written)
            if informal is not None:
                values[key] = informal
                doc.fields.lines.setdefault(key, line)
    doc.title = values.get("title") or _written_title(outline) or _title_from_path(doc)
    doc.date = _date(doc)
    doc.id = values.get("id") or file_id(doc.path.stem)


def _informal(key: str, text: str) -> Any | None:
    """A field written in the body (``**Date:** 21 October 2015``): its value, or None.

    Prose is not front matter: a value that does not read cleanly is ignored rather
    than reported, and for a status only the first word counts ("Complete, action
    items in progress").
    """
    text = text.strip().rstrip(".")
    kind = fieldspec.FIELDS[key].value_type
    if kind is ValueType.DATE:
        stamp = read_stamp(text, previous=None, default_date=None, zone=None)
        return parse_date(text) or (stamp.at.date() if stamp.at else None)
    if kind is ValueType.DATETIME:
        stamp = read_stamp(text, previous=None, default_date=None, zone=None)
        return parse_datetime(text) or stamp.at
    found = read_field(key, text)
    if found is None and key == "status" and text:
        found = read_field(key, re.split(r"[\s,;(]+", text)[0])
    return found


def _written_title(outline: Outline) -> str | None:
    """The first heading, unless it is the template's ("# Incident Title"): then the short line under it."""
    title = outline.title
    if title is None or alias_form(title) not in lexicon().title_placeholders:
        return title
    first = outline.preamble[0] if outline.preamble else None
    if isinstance(first, Paragraph) and "\n" not in first.source.strip() and len(first.text) <= 120:
        return first.text.strip()
    return None


def _title_from_path(doc: DocumentBuilder) -> str:
    if "title" not in doc.fields.lines:  # else the invalid value is reported already
        doc.problems.append(Problem(doc.path, 1, "missing-field", "missing required field 'title' "
                                    "(front matter `title:` or a `# Heading` at the top)"))
    return doc.path.stem.replace("-", " ").replace("_", " ").strip() or "Untitled"


def _date(doc: DocumentBuilder) -> date | None:
    """The front matter's date, else (for a post-mortem) the file name's; a finding when there is none."""
    found: date | None = doc.fields.values.get("date")
    if found is not None or doc.kind is not Kind.POSTMORTEM:
        if found is not None:
            doc.date_source = "front matter" if "date" in doc.fields.lines else "date line"
        return found
    prefix = DATE_PREFIX.match(doc.path.stem)
    found = parse_date(prefix.group(1)) if prefix else None
    if found is None and "date" not in doc.fields.lines and "date" in doc.labelled:
        written, line = doc.labelled["date"]
        doc.problems.append(Problem(doc.path, line, "invalid-date", f"the date line says {written.strip()!r}, "
                                    "which is not a date; write it like 2024-03-16"))
    # With no date at all, the body may still give one (`readers.dates`); that reader says when it does not.
    if found is not None:
        doc.date_source = "file name"
    return found
