"""`lessons.checks.rules`: every rule, with the exact line, code and message a user sees."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

import lessons
from lessons.checks.rules import CheckOptions, check
from lessons.errors import Level, Problem
from lessons.checks.report import render

TODAY = date(2026, 11, 26)
Finding = tuple[int, str, str, str]


def write(content_dir: Path, name: str, text: str) -> Path:
    path = content_dir / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


LOOK_ALIKE = "possible-duplicate"
"""The look-alike rule (lessons/duplicates.py, tested on its own) judges wording, not
correctness; these tests write short documents on purpose, so its findings are left out."""


def findings(content_dir: Path, name: str, *, today: date = TODAY) -> list[Finding]:
    """The findings in one file of the content folder, as (line, level, code, message)."""
    target = (content_dir / name).resolve()
    problems = check(lessons.load(content_dir), CheckOptions(today=today))
    return [(p.line, p.level.value, p.code, p.message) for p in problems
            if p.path.resolve() == target and p.code != LOOK_ALIKE]


def postmortem(front_matter: str = "", body: str = "") -> str:
    """A valid published post-mortem, with extra front matter and body appended."""
    return (
        "---\n"
        "title: Queue consumers stall after a broker upgrade\n"  # line 2
        "date: 2024-05-01\n"  # line 3
        + front_matter
        + "---\n\n## Summary\n\nConsumers stopped.\n\n## Impact\n\nOrders were late.\n\n"
        "## Root cause\n\nAn untested upgrade.\n\n## Resolution\n\nThe upgrade was rolled back.\n"
        + body
    )


# Line numbers in `postmortem()`: extra front-matter keys start on line 4; a body
# added after Resolution starts with "\n", so its first line is line 22 (+1 per
# front-matter line).


def test_the_test_content_is_clean(kb: lessons.KnowledgeBase) -> None:
    assert check(kb, CheckOptions(today=TODAY)) == []
    assert len(kb.postmortems) == 4 and len(kb.practices) == 2


def test_unknown_cause_with_the_closest_suggested(content_dir: Path) -> None:
    write(content_dir, "postmortems/2024-05-01-queue.md",
          postmortem("causes:\n  - configuration-eror\n  - cosmic-rays\n"))
    assert findings(content_dir, "postmortems/2024-05-01-queue.md") == [
        (5, "error", "unknown-cause", "unknown cause 'configuration-eror' — did you mean 'configuration-error'?"),
        (6, "error", "unknown-cause", "unknown cause 'cosmic-rays'"),
    ]


def test_unknown_cause_in_a_practice_prevents(content_dir: Path) -> None:
    write(content_dir, "practices/flags.md",
          "---\ntitle: Feature flags\nkind: practice\nprevents: [incomplete-testng]\n---\n\nShip dark.\n"
          "\n## Checklist\n\n- Risky code ships switched off.\n")
    assert findings(content_dir, "practices/flags.md") == [
        (4, "error", "unknown-cause", "unknown cause 'incomplete-testng' — did you mean 'incomplete-testing'?"),
    ]


def test_unknown_cause_without_a_taxonomy_says_so(content_dir: Path) -> None:
    (content_dir / "taxonomy.yml").unlink()
    write(content_dir, "postmortems/2024-05-01-queue.md", postmortem("causes: [configuration-error]\n"))
    assert findings(content_dir, "postmortems/2024-05-01-queue.md") == [
        (4, "error", "unknown-cause",
         "unknown cause 'configuration-error' (the content folder has no taxonomy.yml)"),
    ]


def test_a_practice_without_prevents_is_a_warning(content_dir: Path) -> None:
    write(content_dir, "practices/flags.md", "---\ntitle: Feature flags\nkind: practice\n---\n\nShip dark.\n")
    assert findings(content_dir, "practices/flags.md") == [
        (1, "warning", "missing-field", "practice has no `prevents:` list naming the causes it addresses"),
    ]


def test_unknown_related_id_with_the_closest_suggested(content_dir: Path) -> None:
    write(content_dir, "postmortems/2024-05-01-queue.md",
          postmortem("related:\n  - 2023-09-05-dns-configuration-psuh\n  - nothing-like-it\n"
                     "  - 2022-11-02-certificate-expiry\n"))
    assert findings(content_dir, "postmortems/2024-05-01-queue.md") == [
        (5, "error", "unknown-related", "unknown related id '2023-09-05-dns-configuration-psuh' — "
         "did you mean '2023-09-05-dns-configuration-push'?"),
        (6, "error", "unknown-related", "unknown related id 'nothing-like-it'"),
    ]


def test_related_to_itself(content_dir: Path) -> None:
    write(content_dir, "postmortems/2024-05-01-queue.md", postmortem("related: [2024-05-01-queue]\n"))
    assert findings(content_dir, "postmortems/2024-05-01-queue.md") == [
        (4, "warning", "related-self", "a document cannot be related to itself"),
    ]


def test_duplicate_ids(content_dir: Path) -> None:
    first = content_dir / "postmortems/2022-11-02-certificate-expiry.md"
    write(content_dir, "postmortems/2024-05-01-queue.md", postmortem("id: 2022-11-02-certificate-expiry\n"))
    assert findings(content_dir, "postmortems/2024-05-01-queue.md") == [
        (4, "error", "duplicate-id",
         "id '2022-11-02-certificate-expiry' is already used by postmortems/2022-11-02-certificate-expiry.md"),
    ]
    # The first file keeps the id; the second is not in the knowledge base.
    assert lessons.load(content_dir).get("2022-11-02-certificate-expiry").path == first


def test_resolved_before_started(content_dir: Path) -> None:
    write(content_dir, "postmortems/2024-05-01-queue.md",
          postmortem("started: 2024-05-01T10:00Z\nresolved: 2024-05-01T09:30Z\n"))
    assert findings(content_dir, "postmortems/2024-05-01-queue.md") == [
        (5, "error", "impossible-date",
         "resolved (2024-05-01 09:30Z) is before started (2024-05-01 10:00Z)"),
    ]


def test_detected_before_started_and_resolved_before_detected(content_dir: Path) -> None:
    write(content_dir, "postmortems/2024-05-01-queue.md",
          postmortem("started: 2024-05-01T10:00Z\ndetected: 2024-05-01T09:00Z\n"
                     "resolved: 2024-05-01T08:00Z\n"))
    assert findings(content_dir, "postmortems/2024-05-01-queue.md") == [
        (5, "error", "impossible-date", "detected (2024-05-01 09:00Z) is before started (2024-05-01 10:00Z)"),
        (6, "error", "impossible-date", "resolved (2024-05-01 08:00Z) is before detected (2024-05-01 09:00Z)"),
    ]


def test_a_date_alone_is_compared_by_day(content_dir: Path) -> None:
    # Resolved "2024-05-01" means some time that day, so it is not before 10:00 that day.
    write(content_dir, "postmortems/2024-05-01-queue.md",
          postmortem("started: 2024-05-01T10:00Z\nresolved: 2024-05-01\n"))
    assert findings(content_dir, "postmortems/2024-05-01-queue.md") == []


def test_future_dates(content_dir: Path) -> None:
    write(content_dir, "postmortems/2027-01-01-queue.md",
          postmortem("started: 2026-11-26T23:00Z\nresolved: 2026-11-27T01:00Z\n")
          .replace("date: 2024-05-01", "date: 2027-01-01"))
    assert findings(content_dir, "postmortems/2027-01-01-queue.md") == [
        (3, "error", "future-date", "date 2027-01-01 is in the future"),
        (4, "warning", "date-mismatch",
         "started is on 2026-11-26 but date is 2027-01-01; date should be the day the incident began"),
        (5, "error", "future-date", "resolved 2026-11-27 01:00Z is in the future"),
    ]


def test_a_date_that_is_future_only_against_an_earlier_today(content_dir: Path) -> None:
    write(content_dir, "postmortems/2024-05-01-queue.md", postmortem())
    assert findings(content_dir, "postmortems/2024-05-01-queue.md", today=date(2024, 5, 1)) == []
    assert findings(content_dir, "postmortems/2024-05-01-queue.md", today=date(2024, 4, 30)) == [
        (3, "error", "future-date", "date 2024-05-01 is in the future"),
    ]


def test_published_postmortem_missing_core_sections(content_dir: Path) -> None:
    write(content_dir, "postmortems/2024-05-01-queue.md",
          "---\ntitle: Queue stall\ndate: 2024-05-01\n---\n\n## Timeline\n\n- 10:00 — stall\n")
    assert findings(content_dir, "postmortems/2024-05-01-queue.md") == [
        (5, "warning", "missing-section", "published post-mortem has no Summary, Impact, "
         "Contributing factors, Resolution section (add it, or set `status: draft`)"),
    ]


def test_a_summary_in_front_matter_counts_as_the_summary_section(content_dir: Path) -> None:
    write(content_dir, "postmortems/2024-05-01-queue.md",
          "---\ntitle: Queue stall\ndate: 2024-05-01\nsummary: Consumers stalled.\n---\n\n"
          "## Customer impact\n\nLate orders.\n\n## Contributing factors\n\nUpgrade.\n\n## Recovery\n\nRollback.\n")
    assert findings(content_dir, "postmortems/2024-05-01-queue.md") == []


def test_an_opening_paragraph_before_any_heading_counts_as_the_summary(content_dir: Path) -> None:
    opening = ("On the first of May the order queue consumers stopped taking messages after the broker "
               "was upgraded, and orders were late for most of the afternoon until it was rolled back.")
    write(content_dir, "postmortems/2024-05-01-queue.md",
          f"---\ntitle: Queue stall\ndate: 2024-05-01\n---\n\n{opening}\n\n"
          "## Customer impact\n\nLate orders.\n\n## Contributing factors\n\nUpgrade.\n\n## Recovery\n\nRollback.\n")
    assert findings(content_dir, "postmortems/2024-05-01-queue.md") == []
    write(content_dir, "postmortems/2024-05-01-queue.md",
          "---\ntitle: Queue stall\ndate: 2024-05-01\n---\n\nSee below.\n\n"
          "## Customer impact\n\nLate orders.\n\n## Contributing factors\n\nUpgrade.\n\n## Recovery\n\nRollback.\n")
    assert [f[2] for f in findings(content_dir, "postmortems/2024-05-01-queue.md")] == ["missing-section"]


def test_a_draft_is_not_held_to_the_published_rules(content_dir: Path) -> None:
    write(content_dir, "postmortems/2024-05-01-queue.md",
          "---\ntitle: Queue stall\ndate: 2024-05-01\nstatus: draft\n---\n\n## Action items\n\n"
          "- [ ] Write this up, due: 2024-06-01\n")
    assert findings(content_dir, "postmortems/2024-05-01-queue.md") == []


def test_action_item_without_owner_and_overdue_open_item(content_dir: Path) -> None:
    write(content_dir, "postmortems/2024-05-01-queue.md", postmortem(body=(
        "\n## Action items\n\n"
        "- [ ] Pin the broker version, due: 2025-01-01\n"  # line 24
        "- [ ] Load-test upgrades — owner: messaging, due: 2026-11-25\n"  # line 25
        "- [ ] Canary the upgrade — owner: messaging, due: 2026-11-26\n"  # due today: not overdue
        "- [x] Roll back — owner: messaging, due: 2024-05-02\n"  # done: never overdue
    )))
    assert findings(content_dir, "postmortems/2024-05-01-queue.md") == [
        (24, "warning", "action-item-owner",
         "action item has no owner: 'Pin the broker version' (add `— owner: team`)"),
        (24, "warning", "overdue-action",
         "action item was due 2025-01-01 and is still open: 'Pin the broker version'"),
        (25, "warning", "overdue-action",
         "action item was due 2026-11-25 and is still open: 'Load-test upgrades'"),
    ]


def test_links_to_documents_that_do_not_exist(content_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(content_dir.resolve())
    write(content_dir, "postmortems/2024-05-01-queue.md", postmortem(body=(
        "\nSee [the DNS push](2023-09-05-dns-configuration-push.md), "  # exists
        "[canaries](../practices/canary-releases.md#how-to-start), "  # exists, with an anchor
        "[from the root](/practices/dependency-pinning.md), [above](#summary), "
        "[elsewhere](https://example.org/x.md), [mail](mailto:sre@example.org).\n\n"
        "Also [a missing one](../postmortems/2020-01-01-nope.md) and "
        "[a missing root one](/practices/nope.md).\n"
    )))
    assert findings(content_dir, "postmortems/2024-05-01-queue.md") == [
        (24, "error", "broken-link",
         "link to '../postmortems/2020-01-01-nope.md': no such file postmortems/2020-01-01-nope.md"),
        (24, "error", "broken-link", "link to '/practices/nope.md': no such file practices/nope.md"),
    ]


def test_sources_must_be_web_addresses(content_dir: Path) -> None:
    write(content_dir, "postmortems/2024-05-01-queue.md",
          postmortem("sources:\n  - https://status.example.org/incidents/1\n  - ftp://example.org/report\n"))
    assert findings(content_dir, "postmortems/2024-05-01-queue.md") == [
        (6, "warning", "invalid-source", "source 'ftp://example.org/report' is not an http(s) address"),
    ]


@pytest.mark.parametrize(
    ("html", "reason"),
    [
        ("<script>alert(1)</script>", "<script> element"),
        ('<SCRIPT src="https://evil.example/x.js"></SCRIPT>', "<script> element"),
        ('<iframe src="https://evil.example"></iframe>', "<iframe> element"),
        ('<img src="x.png" onerror="alert(1)">', "onerror= event handler"),
        ('<div class="note" onclick="alert(1)">Hidden</div>', "onclick= event handler"),
        ('<a href="javascript:alert(1)">click</a>', "javascript: URL"),
        ("<a href='JavaScript:void(0)'>click</a>", "javascript: URL"),
        ('<object data="x.swf"></object>', "<object> element"),
    ],
)
def test_raw_html_that_could_run_script(content_dir: Path, html: str, reason: str) -> None:
    write(content_dir, "postmortems/2024-05-01-queue.md", postmortem(body=f"\n{html}\n"))
    assert findings(content_dir, "postmortems/2024-05-01-queue.md") == [
        (22, "error", "unsafe-html", f"raw HTML that could run script is not allowed: {reason}"),
    ]


def test_inline_html_is_checked_on_its_own_line(content_dir: Path) -> None:
    write(content_dir, "postmortems/2024-05-01-queue.md",
          postmortem(body="\nThe page showed\nan <img src=x onerror=alert(1)> tag.\n"))
    assert findings(content_dir, "postmortems/2024-05-01-queue.md") == [
        (23, "error", "unsafe-html", "raw HTML that could run script is not allowed: onerror= event handler"),
    ]


@pytest.mark.parametrize("html", ["<svg/onload=alert(1)>", "Try <img/src=x/onerror=alert(1)> here."])
def test_tags_that_commonmark_leaves_as_text_are_checked_as_html(content_dir: Path, html: str) -> None:
    # Not HTML to CommonMark (no space before the attribute), but Python-Markdown, which
    # MkDocs uses, passes it on, and browsers run it.
    write(content_dir, "postmortems/2024-05-01-queue.md", postmortem(body=f"\nThe alert read\n{html}\n"))
    reasons = [message for _, _, _, message in findings(content_dir, "postmortems/2024-05-01-queue.md")]
    assert reasons == [f"raw HTML that could run script is not allowed: {handler}= event handler"
                       for handler in ("onload" if "svg" in html else "onerror",)]
    assert {line for line, *_ in findings(content_dir, "postmortems/2024-05-01-queue.md")} == {23}


def test_text_in_code_and_comparisons_is_not_html(content_dir: Path) -> None:
    write(content_dir, "postmortems/2024-05-01-queue.md", postmortem(body=(
        "\nLatency was a<b and b>c; the payload `<svg/onload=alert(1)>` was logged.\n\n"
        "```html\n<img src=x onerror=alert(1)>\n```\n")))
    assert findings(content_dir, "postmortems/2024-05-01-queue.md") == []


def test_safe_html_is_allowed(content_dir: Path) -> None:
    write(content_dir, "postmortems/2024-05-01-queue.md", postmortem(body=(
        '\n<details><summary>Logs</summary>\n\n<img src="graph.png" alt="one connection">\n\n</details>\n'
        "\nThe word onerror= in prose and a <kbd>Ctrl</kbd> key are fine.\n"
    )))
    (content_dir / "postmortems/graph.png").write_bytes(b"\x89PNG\r\n")
    assert findings(content_dir, "postmortems/2024-05-01-queue.md") == []


def test_markdown_link_to_a_script_url(content_dir: Path) -> None:
    write(content_dir, "postmortems/2024-05-01-queue.md",
          postmortem(body="\nDo not [click](javascript:alert(document.cookie)).\n"))
    assert findings(content_dir, "postmortems/2024-05-01-queue.md") == [
        (22, "error", "unsafe-html", "link to a script URL is not allowed: javascript:alert(document.cookie)"),
    ]


def test_plain_pages_are_checked_for_unsafe_html_too(content_dir: Path) -> None:
    write(content_dir, "index.md", "# Home\n\n<script>steal()</script>\n\n[x](javascript:void(0))\n")
    assert findings(content_dir, "index.md") == [
        (3, "error", "unsafe-html", "raw HTML that could run script is not allowed: <script> element"),
        (5, "error", "unsafe-html", "link to a script URL is not allowed: javascript:void(0)"),
    ]
    assert [p.name for p in lessons.load(content_dir).pages] == ["index.md"]


def test_field_problems_from_parsing_are_reported(content_dir: Path) -> None:
    write(content_dir, "postmortems/2024-05-01-queue.md", postmortem("severty: 2\nseverity: 7\n"))
    assert findings(content_dir, "postmortems/2024-05-01-queue.md") == [
        (4, "warning", "unknown-key", "unknown front-matter key 'severty'; did you mean 'severity'?"),
        (5, "error", "invalid-field", "severity: expected a number from 0 (worst) to 5, got 7"),
    ]


def test_only_limits_what_is_reported_but_ids_resolve_against_everything(content_dir: Path) -> None:
    target = write(content_dir, "postmortems/2024-05-01-queue.md",
                   postmortem("related: [2023-09-05-dns-configuration-push, 2021-06-14-nope]\n"))
    write(content_dir, "postmortems/2024-06-01-other.md", postmortem("causes: [cosmic-rays]\n"))
    kb = lessons.load(content_dir)
    everything = [p for p in check(kb, CheckOptions(today=TODAY)) if p.code != LOOK_ALIKE]
    only = [p for p in check(kb, CheckOptions(today=TODAY, only=[target])) if p.code != LOOK_ALIKE]
    assert {p.path.name for p in everything} == {"2024-05-01-queue.md", "2024-06-01-other.md"}
    assert [(p.line, p.code, p.message) for p in only] == [
        (4, "unknown-related", "unknown related id '2021-06-14-nope' — did you mean "
         "'2021-06-14-build-dependency-removed'?"),
    ]
    folder = check(kb, CheckOptions(today=TODAY, only=[content_dir / "practices"]))
    assert folder == []


def test_problems_are_sorted_by_file_then_line(content_dir: Path) -> None:
    write(content_dir, "postmortems/2024-05-01-b.md", postmortem("causes: [x-one]\n", "\n<script></script>\n"))
    write(content_dir, "postmortems/2024-05-01-a.md", postmortem("causes: [x-two]\n"))
    problems = [p for p in check(lessons.load(content_dir), CheckOptions(today=TODAY))
                if p.code != LOOK_ALIKE]
    assert [(p.path.name, p.line) for p in problems] == [
        ("2024-05-01-a.md", 4), ("2024-05-01-b.md", 4), ("2024-05-01-b.md", 23),
    ]


# --- report formats ----------------------------------------------------------------

PROBLEMS = [
    Problem(Path("postmortems/a.md"), 7, "unknown-cause",
            "unknown cause 'config-eror' — did you mean 'configuration-error'?", Level.ERROR, 3),
    Problem(Path("postmortems/b, c.md"), 0, "symlink-outside", "ignored: 50% sure\nsecond line",
            Level.WARNING),
]


def test_text_format() -> None:
    assert render(PROBLEMS, "text", files_checked=6).split("\n") == [
        "postmortems/a.md:7:3: error unknown-cause unknown cause 'config-eror' — did you mean "
        "'configuration-error'?",
        ["postmortems/b, c.md:0:1: warning symlink-outside ignored: 50% sure", "second line"][0],
        "second line",
        "6 files checked, 1 error, 1 warning",
    ]
    assert render([], "text", files_checked=1) == "1 file checked, no problems"


def test_json_format() -> None:
    assert json.loads(render(PROBLEMS, "json")) == [
        {"path": "postmortems/a.md", "line": 7, "column": 3, "level": "error", "code": "unknown-cause",
         "message": "unknown cause 'config-eror' — did you mean 'configuration-error'?"},
        {"path": "postmortems/b, c.md", "line": 0, "column": 1, "level": "warning",
         "code": "symlink-outside", "message": "ignored: 50% sure\nsecond line"},
    ]
    assert json.loads(render([], "json")) == []


def test_github_annotations_escape_what_the_workflow_syntax_needs() -> None:
    assert render(PROBLEMS, "github").split("\n") == [
        "::error file=postmortems/a.md,line=7,col=3,title=unknown-cause::unknown cause 'config-eror' — "
        "did you mean 'configuration-error'?",
        "::warning file=postmortems/b%2C c.md,line=1,col=1,title=symlink-outside::ignored: 50%25 sure"
        "%0Asecond line",
    ]


def test_an_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown format 'xml'; expected one of text, json, github, sarif"):
        render(PROBLEMS, "xml")


def test_a_file_name_that_is_not_an_id_makes_a_clean_id_and_an_info_suggestion(content_dir: Path) -> None:
    write(content_dir, "postmortems/Payment gateway timeouts 8f3a2c.md", postmortem())
    assert findings(content_dir, "postmortems/Payment gateway timeouts 8f3a2c.md") == [
        (1, "info", "file-name-id", "the id made from the file name is 'payment-gateway-timeouts-8f3a2c'; rename "
         "the file to payment-gateway-timeouts-8f3a2c.md if you want the two to match (nothing is wrong)"),
    ]
    write(content_dir, "postmortems/Payment gateway timeouts 8f3a2c.md", postmortem("id: payment-timeouts\n"))
    assert findings(content_dir, "postmortems/Payment gateway timeouts 8f3a2c.md") == []


def test_a_numbered_file_name_gets_a_plain_id_and_related_may_name_the_file(content_dir: Path) -> None:
    write(content_dir, "postmortems/PM2021-005 - All services returning 503.md", postmortem())
    write(content_dir, "postmortems/PM2021-006 - Ingress restarted.md",
          postmortem("related: [PM2021-005 - All services returning 503.md]\n"))
    write(content_dir, "postmortems/2024-05-01-queue.md",
          postmortem("related: [pm2021-005-all-services-returning-503, PM2021-006 - Ingress restarted]\n"))
    kb = lessons.load(content_dir)
    assert kb.get("pm2021-005-all-services-returning-503").path.name == "PM2021-005 - All services returning 503.md"
    assert kb.get("pm2021-006-ingress-restarted").related == ["pm2021-005-all-services-returning-503"]
    assert kb.get("2024-05-01-queue").related == ["pm2021-005-all-services-returning-503",
                                                  "pm2021-006-ingress-restarted"]
    codes = {p.code for p in check(kb, CheckOptions(today=date(2026, 11, 26), duplicate_threshold=None))}
    assert "unknown-related" not in codes


def test_two_file_names_that_make_one_id_are_a_duplicate_id_naming_both(content_dir: Path) -> None:
    write(content_dir, "postmortems/PM2021-005 - All services down.md", postmortem())
    write(content_dir, "postmortems/pm2021-005 all services DOWN.md", postmortem())
    kb = lessons.load(content_dir)
    clashes = [p for p in kb.problems if p.code == "duplicate-id"]
    assert len(clashes) == 1
    named = {clashes[0].path.name, *re.findall(r"used by (?:.*/)?(.+\.md)", clashes[0].message)}
    assert named == {"PM2021-005 - All services down.md", "pm2021-005 all services DOWN.md"}
    assert "'pm2021-005-all-services-down'" in clashes[0].message


def test_a_site_style_link_to_a_post_mortem_is_a_warning_naming_the_file(content_dir: Path) -> None:
    write(content_dir, "postmortems/2024-05-01-queue.md",
          postmortem(body="\nSee [the DNS push](2023-09-05-dns-configuration-push/).\n"))
    assert findings(content_dir, "postmortems/2024-05-01-queue.md") == [
        (22, "warning", "site-link", "link to '2023-09-05-dns-configuration-push/' works on the site only; "
         "link the file 2023-09-05-dns-configuration-push.md so it works everywhere"),
    ]
