"""`lessons import`: existing post-mortems in as documents, never overwriting, never twice.

The sources are made here: a Markdown file in another team's style, an HTML page as
Confluence exports it, a Word document written with python-docx, and a broken .docx.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from click.testing import Result

import lessons
from lessons.adopt.importer import Outcome, import_files, sources_in
from lessons.checks.rules import check

MARKDOWN = """\
# Checkout returning 502 after proxy upgrade

## Summary

The edge proxy upgrade broke TLS to the checkout backend.

## Timeline

| Time | Event |
|---|---|
| 2022-03-08 10:02 | Proxy upgrade rolled out; checkout starts returning 502 |
| 2022-03-08 10:09 | Alert fires for checkout error rate |
| 2022-03-08 10:31 | Rollback complete, checkout recovered |

## Action Items

- Pin the proxy's TLS settings
"""

HTML = """\
<html><head><title>Wiki</title><style>p {color: red}</style></head><body>
<h1>Search index stale for a day</h1>
<p><strong>Date:</strong> 2023-05-04</p>
<p><strong>Severity:</strong> SEV2</p>
<h2>Summary</h2><p>The nightly reindex silently failed.</p>
<h2>Timeline</h2>
<table><tr><th>Time</th><th>Event</th></tr>
<tr><td>2023-05-04 02:00</td><td>Reindex job fails; search results go stale</td></tr>
<tr><td>2023-05-04 09:15</td><td>Customers report missing products in search</td></tr>
<tr><td>2023-05-04 11:40</td><td>Reindex rerun, search resolved</td></tr></table>
<h2>Action items</h2><ul><li>Alert on reindex failure</li></ul>
<script>alert(1)</script>
</body></html>
"""


def make_docx(path: Path) -> None:
    import docx  # python-docx, in the test extra
    document = docx.Document()
    document.add_heading("Payroll export sent twice", level=1)
    document.add_paragraph("Date: 2024-01-30")
    document.add_heading("Summary", level=2)
    document.add_paragraph("A retried batch job sent the payroll export to the bank twice.")
    document.add_heading("Action items", level=2)
    document.add_paragraph("Make the export idempotent", style="List Bullet")
    document.save(str(path))


@pytest.fixture
def sources(tmp_path: Path) -> Path:
    folder = tmp_path / "old"
    folder.mkdir()
    (folder / "PM2022-003 - Checkout 502.md").write_text(MARKDOWN, encoding="utf-8")
    (folder / "search-stale.html").write_text(HTML, encoding="utf-8")
    make_docx(folder / "Payroll export.docx")
    (folder / "broken.docx").write_bytes(b"this is not a zip file")
    (folder / "notes.pdf").write_bytes(b"%PDF-1.4")  # not importable: not picked from a folder
    return folder


def by_name(results: list, name: str):  # type: ignore[no-untyped-def]
    return next(r for r in results if r.source.name == name)


def test_each_kind_of_source_becomes_a_document_lessons_reads_fully(sources: Path, tmp_path: Path) -> None:
    into = tmp_path / "content" / "postmortems"
    results = import_files(list(sources_in([sources])), into)
    assert {r.source.name for r in results} == {"PM2022-003 - Checkout 502.md", "search-stale.html",
                                                "Payroll export.docx", "broken.docx"}
    kb = lessons.load(tmp_path / "content", index=":memory:")
    checkout = kb.get("2022-03-08-checkout-returning-502-after-proxy-upgrade")
    assert checkout.date == date(2022, 3, 8)
    assert checkout.moment_source("started") == "front matter"
    assert checkout.started == datetime(2022, 3, 8, 10, 2, tzinfo=timezone.utc)
    assert checkout.resolved == datetime(2022, 3, 8, 10, 31, tzinfo=timezone.utc)
    assert checkout.section("summary") is not None and len(checkout.action_items) == 1
    search = kb.get("2023-05-04-search-index-stale-for-a-day")
    assert search.severity == 2 and len(search.timeline) == 3
    assert "alert(1)" not in search.body  # markdownify dropped the script
    payroll = kb.get("2024-01-30-payroll-export-sent-twice")
    assert [item.text for item in payroll.action_items] == ["Make the export idempotent"]


def test_the_body_is_kept_as_it_was_below_the_new_front_matter(sources: Path, tmp_path: Path) -> None:
    into = tmp_path / "out"
    result = by_name(import_files([sources / "PM2022-003 - Checkout 502.md"], into), "PM2022-003 - Checkout 502.md")
    written = result.target.read_text(encoding="utf-8")
    front, body = written.split("\n---\n\n", 1)
    assert body == MARKDOWN
    assert "# lessons import: PM2022-003 - Checkout 502.md (sha256 " in front
    assert 'title: "Checkout returning 502 after proxy upgrade"' in front
    assert (sources / "PM2022-003 - Checkout 502.md").read_text(encoding="utf-8") == MARKDOWN


def test_a_source_with_front_matter_keeps_its_own_lines(tmp_path: Path) -> None:
    source = tmp_path / "mine.md"
    original = "---\ntitle: Mine  # our title\ntags: [dns]\n---\n\n## Summary\n\nOn 2021-02-03 DNS failed.\n"
    source.write_text(original, encoding="utf-8")
    [result] = import_files([source], tmp_path / "out")
    written = result.target.read_text(encoding="utf-8")
    assert "title: Mine  # our title\ntags: [dns]\n---\n\n## Summary" in written
    assert written.count("title:") == 1


def test_nothing_is_overwritten_and_a_second_import_says_so(sources: Path, tmp_path: Path) -> None:
    into = tmp_path / "out"
    first = import_files(list(sources_in([sources])), into)
    written = {p: p.read_bytes() for p in into.iterdir()}
    second = import_files(list(sources_in([sources])), into)
    assert {r.outcome for r in second if r.source.name != "broken.docx"} == {Outcome.ALREADY}
    assert {p: p.read_bytes() for p in into.iterdir()} == written
    for before, again in zip(first, second, strict=True):
        assert again.target == before.target
    # A different source whose document has the same name gets the next free one.
    other = tmp_path / "other.md"
    other.write_text(MARKDOWN + "\nOne more line.\n", encoding="utf-8")
    [third] = import_files([other], into)
    assert third.outcome is Outcome.IMPORTED
    assert third.target.name == "2022-03-08-checkout-returning-502-after-proxy-upgrade-2.md"


def test_a_dry_run_writes_nothing_and_says_what_each_file_would_get(sources: Path, tmp_path: Path) -> None:
    into = tmp_path / "out"
    results = import_files(list(sources_in([sources])), into, dry_run=True)
    assert not into.exists()
    checkout = by_name(results, "PM2022-003 - Checkout 502.md")
    assert checkout.outcome is Outcome.WOULD_IMPORT
    assert checkout.fields["started"] == "2022-03-08T10:02Z"  # a timeline without a zone is UTC
    assert checkout.fields["date"] == "2022-03-08"


def test_a_file_that_cannot_be_converted_is_named_and_the_others_still_come_in(sources: Path,
                                                                             tmp_path: Path) -> None:
    results = import_files(list(sources_in([sources])), tmp_path / "out")
    broken = by_name(results, "broken.docx")
    assert broken.outcome is Outcome.FAILED
    assert "broken.docx" in broken.reason and "Word document" in broken.reason
    assert sum(r.outcome is Outcome.IMPORTED for r in results) == 3


def test_the_command_prints_a_line_per_file_and_exits_1_on_a_failure(
        sources: Path, tmp_path: Path, cli: Callable[..., Result]) -> None:
    dry = cli("import", sources, "--into", tmp_path / "out", "--dry-run")
    assert dry.exit_code == 1, dry.output
    assert "would import" in dry.output and "failed" in dry.output and "broken.docx" in dry.output
    assert "4 files: 3 would import, 1 failed" in dry.output
    (sources / "broken.docx").unlink()
    real = cli("import", sources, "--into", tmp_path / "out")
    assert real.exit_code == 0, real.output
    again = cli("import", sources, "--into", tmp_path / "out")
    assert "3 files: 3 already imported" in again.output


def test_timestamps_keep_their_zone(tmp_path: Path) -> None:
    source = tmp_path / "zoned.md"
    source.write_text("---\ntitle: Zoned\ndate: 2024-06-01\n---\n\n## Timeline\n\n"
                      "- 2024-06-01 10:00 UTC — Errors begin\n- 2024-06-01 10:20 UTC — Alert fires\n"
                      "- 2024-06-01 11:00 UTC — Resolved\n", encoding="utf-8")
    [result] = import_files([source], tmp_path / "out")
    doc = lessons.load(tmp_path / "out", index=":memory:").get("2024-06-01-zoned")
    assert result.fields["started"] == "2024-06-01T10:00Z"
    assert doc.started == datetime(2024, 6, 1, 10, 0, tzinfo=timezone.utc)


def test_links_between_imported_pages_point_at_their_new_files(tmp_path: Path) -> None:
    # A wiki export: pages link to each other by their old names, and to the web.
    old = tmp_path / "export"
    (old / "2021").mkdir(parents=True)
    (old / "Database failover.html").write_text(
        "<html><body><h1>Database failover stalled writes</h1><p>Date: 2021-06-02</p>"
        "<h2>Summary</h2><p>Writes stalled for 40 minutes; see also "
        '<a href="2021/Cache%20stampede.md#timeline">the cache stampede</a> and '
        '<a href="https://example.com/runbook">the runbook</a>.</p></body></html>', encoding="utf-8")
    (old / "2021" / "Cache stampede.md").write_text(
        "# Cache stampede after deploy\n\nDate: 2021-03-09\n\n## Summary\n\nThe cache emptied; the "
        "[failover](../Database%20failover.html) came later. [Notes][n]\n\n## Timeline\n\n- 10:00 deploy\n\n"
        "[n]: <../Database failover.html>\n", encoding="utf-8")
    into = tmp_path / "content" / "postmortems"
    results = import_files(list(sources_in([old])), into)
    failover = by_name(results, "Database failover.html").target
    stampede = by_name(results, "Cache stampede.md").target
    assert failover is not None and stampede is not None
    assert f"]({stampede.name}#timeline)" in failover.read_text(encoding="utf-8")
    assert "](https://example.com/runbook)" in failover.read_text(encoding="utf-8")
    text = stampede.read_text(encoding="utf-8")
    assert f"]({failover.name})" in text and f"[n]: <{failover.name}>" in text
    problems = check(lessons.load(tmp_path / "content", index=":memory:"))
    assert not [p for p in problems if p.code == "broken-link"], problems
