"""Parser cases as data: ``tests/cases/NAME.md`` next to ``NAME.expected.json``.

The expected file holds only the results that matter for the case (any of the
keys `describe` produces); a new case is a new pair of files, not new code.
``"parse_with": {"default_kind": null}`` parses the case the way a file outside
``postmortems/``/``practices/`` is read.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from lessons.errors import ParseError
from lessons.model import Document, Kind
from lessons.parsing.parse import parse_file, parse_text

CASES = Path(__file__).parent / "cases"
CASE_FILES = sorted(CASES.glob("*.md"))


def _duration(value: timedelta | None) -> str | None:
    return None if value is None else str(value)


def describe(doc: Document) -> dict[str, Any]:
    """Everything a case may assert about a parsed document, JSON-shaped."""
    data = doc.to_dict()
    return {
        **{key: data[key] for key in (
            "id", "title", "kind", "date", "status", "severity", "organization", "services",
            "started", "detected", "mitigated", "resolved", "causes", "tags", "summary",
            "sources", "related", "prevents", "authors", "extra", "body_line",
        )},
        "day_precision": doc.notes.day_precision,
        "moments": {name: [moment.isoformat(), doc.moment_source(name)] if moment else None
                    for name, moment in ((name, doc.moment(name)) for name in ("started", "detected", "resolved"))},
        "duration_sources": {name: doc.duration_source(name) for name in ("detect", "resolve")},
        "date_source": doc.date_source,
        "time_to_detect": _duration(doc.time_to_detect),
        "time_to_resolve": _duration(doc.time_to_resolve),
        "sections": [[s.name, s.heading, s.line] for s in doc.sections],
        "timeline": [
            {"at": e.at.isoformat() if e.at else None, "time_text": e.time_text, "text": e.text,
             "line": e.line}
            for e in doc.timeline
        ],
        "action_items": [
            {"text": a.text, "done": a.done, "owner": a.owner,
             "due": a.due.isoformat() if a.due else None, "line": a.line}
            for a in doc.action_items
        ],
        "links": [[link.target, link.line] for link in doc.links],
        "text": doc.text,
        "problems": [
            {"line": p.line, "column": p.column, "level": p.level.value, "code": p.code,
             "message": p.message}
            for p in doc.problems
        ],
    }


def parse_case(path: Path, options: dict[str, Any]) -> dict[str, Any]:
    """The case's results: a described document, ``{"page": true}`` or ``{"error": …}``."""
    kind = options.get("default_kind", "postmortem")
    try:
        doc = parse_text(path.read_text(encoding="utf-8"), Path(path.name),
                         default_kind=None if kind is None else Kind(kind))
    except ParseError as exc:
        return {"error": {"line": exc.line, "column": exc.column, "code": exc.code,
                          "message": exc.message}}
    if doc is None:
        return {"page": True}
    return describe(doc)


def test_every_case_has_an_expected_file() -> None:
    missing = [p.name for p in CASE_FILES if not p.with_suffix(".expected.json").is_file()]
    orphans = [p.name for p in CASES.glob("*.expected.json")
               if not (CASES / p.name.replace(".expected.json", ".md")).is_file()]
    assert len(CASE_FILES) >= 10
    assert missing == [] and orphans == []


@pytest.mark.parametrize("case", CASE_FILES, ids=lambda p: p.stem)
def test_case(case: Path) -> None:
    expected = json.loads(case.with_suffix(".expected.json").read_text(encoding="utf-8"))
    options = expected.pop("parse_with", {})
    actual = parse_case(case, options)
    unknown = set(expected) - set(actual) - {"page", "error"}
    assert not unknown, f"expected file names keys the parser does not produce: {unknown}"
    assert {key: actual.get(key) for key in expected} == expected


def test_parse_file_reads_the_kind_from_the_folder(tmp_path: Path) -> None:
    folder = tmp_path / "practices"
    folder.mkdir()
    (folder / "canary.md").write_text("---\ntitle: Canaries\n---\n\nShip to a few first.\n")
    doc = parse_file(folder / "canary.md", root=tmp_path)
    assert doc is not None
    assert (doc.kind, doc.id, doc.date) == (Kind.PRACTICE, "canary", None)
    assert len(doc.content_hash) == 64


def test_a_markdown_file_outside_the_kind_folders_without_front_matter_is_a_page(tmp_path: Path) -> None:
    (tmp_path / "index.md").write_text("# Welcome\n\nStart here.\n")
    assert parse_file(tmp_path / "index.md", root=tmp_path) is None


def test_front_matter_with_title_and_date_is_a_postmortem_anywhere(tmp_path: Path) -> None:
    (tmp_path / "outage.md").write_text("---\ntitle: Outage\ndate: 2024-01-02\n---\n")
    doc = parse_file(tmp_path / "outage.md", root=tmp_path)
    assert doc is not None and doc.kind is Kind.POSTMORTEM


def test_plain_text_is_the_sections_without_markdown_syntax() -> None:
    doc = parse_text("---\ntitle: T\ndate: 2024-01-01\n---\n\n## Summary\n\nThe **cache** was "
                     "`flushed` by [a script](https://example.org).\n")
    assert doc is not None
    assert doc.section("summary") is not None
    assert doc.text == "The cache was flushed by a script."


def test_content_hash_is_stable_and_changes_with_the_text() -> None:
    first = parse_text("---\ntitle: T\ndate: 2024-01-01\n---\n")
    again = parse_text("---\ntitle: T\ndate: 2024-01-01\n---\n")
    other = parse_text("---\ntitle: U\ndate: 2024-01-01\n---\n")
    assert first is not None and again is not None and other is not None
    assert first.content_hash == again.content_hash != other.content_hash


def _modules_after(statement: str) -> set[str]:
    """The top-level modules a fresh interpreter has loaded after running `statement`."""
    code = f"import sys\n{statement}\nprint('\\n'.join(sorted({{m.split('.')[0] for m in sys.modules}})))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(done.stdout.split())


def test_import_lessons_stays_light() -> None:
    loaded = _modules_after("import lessons")
    assert "lessons" in loaded
    assert loaded.isdisjoint({"sqlalchemy", "sqlmodel", "mkdocs", "markdown_it", "click", "rapidfuzz"})


def test_the_core_never_imports_the_adapters() -> None:
    loaded = _modules_after(
        "import lessons, lessons.checks.rules, lessons.parsing.parse, lessons.kb\n"
        "lessons.parsing.parse.parse_text('---\\ntitle: T\\ndate: 2024-01-01\\n---\\n\\n## Summary\\n\\nx\\n')"
    )
    assert "markdown_it" in loaded  # the parser really ran
    assert loaded.isdisjoint({"click", "mkdocs", "material", "rich", "typer"})


@pytest.mark.parametrize(("text", "is_postmortem"), [
    # Front matter with a title and a date.
    ("---\ntitle: T\ndate: 2024-01-01\n---\n\nText.\n", True),
    # Reads like a post-mortem: a title, a date line and two post-mortem sections.
    ("# Outage\n\n**Date:** 2024-01-01\n\n## Impact\n\nSlow.\n\n## Root cause\n\nA bug.\n", True),
    ("# Outage\n\n**Date:** 2024-01-01\n\n**Impact:** Slow.\n\n**Root cause:** A bug.\n", True),
    # Not enough to say so: a page.
    ("# Outage\n\n**Date:** 2024-01-01\n\n## Impact\n\nSlow.\n", False),
    ("# Runbook\n\n## Installation\n\nRun it.\n\n## Usage\n\nCall it.\n", False),
    ("# Outage\n\n## Impact\n\nSlow.\n\n## Root cause\n\nA bug.\n", False),  # no date anywhere
    ("Just some notes.\n", False),
])
def test_outside_a_kind_folder_only_what_reads_like_a_post_mortem_is_one(text: str, is_postmortem: bool) -> None:
    doc = parse_text(text, Path("notes.md"), default_kind=None)
    assert (doc is not None) == is_postmortem
    if doc is not None:
        assert doc.kind is Kind.POSTMORTEM and doc.date == date(2024, 1, 1)


def test_a_list_nested_too_deep_is_a_finding_and_what_follows_it_is_still_read(content_dir: Path) -> None:
    import lessons
    from lessons.checks.rules import CheckOptions, check

    deep = "".join(f"{'  ' * level}- step {level}\n" for level in range(12))
    (content_dir / "postmortems" / "2024-02-10-runbook-drift.md").write_text(
        "---\ntitle: Runbook drift\ndate: 2024-02-10\n---\n\n## Action items\n\n" + deep +
        "\n- [ ] Alert on runbook drift — owner: platform, due: 2024-04-01\n\n## Resolution\n\n"
        "The runbook was flattened by hand.\n", encoding="utf-8")
    kb = lessons.load(content_dir)
    doc = kb.get("2024-02-10-runbook-drift")
    assert doc.section("resolution") is not None  # was lost with everything after the deep list
    assert [hit.document.id for hit in kb.search("flattened by hand")] == [doc.id]
    findings = {(p.code, p.line) for p in check(kb, CheckOptions(today=date(2026, 1, 1), duplicate_threshold=None))
                if p.path.name == "2024-02-10-runbook-drift.md"}
    assert ("nesting-too-deep", 17) in findings
    assert ("overdue-action", 21) in findings
