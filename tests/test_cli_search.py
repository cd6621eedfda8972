"""The search commands: `lessons search`, `similar`, `index` and `show`.

Tables for people, ``--json`` for tools, exit 2 with a suggestion for a wrong id.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from lessons.cli.main import main

CONTACTLESS = "2024-03-16-contactless-payments-update"
CERTIFICATE = "2022-11-02-certificate-expiry"
DNS = "2023-09-05-dns-configuration-push"


def run_with_input(text: str, *args: str | Path) -> Result:
    """Run ``lessons`` with `text` on standard input (the shared `cli` fixture has none)."""
    try:
        runner = CliRunner(mix_stderr=False)  # click < 8.2
    except TypeError:
        runner = CliRunner()
    return runner.invoke(main, [str(arg) for arg in args], input=text, catch_exceptions=True)


def ok(result: Result) -> str:
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 0, result.output + result.stderr
    return result.stdout


# -- lessons search -------------------------------------------------------------------


def test_search_prints_a_ranked_table_with_reasons(cli, content_dir):
    out = ok(cli("search", "contactles", "paymnets", "--content", content_dir))
    lines = out.splitlines()
    assert lines[0].lstrip().startswith("1.")
    assert "Overnight update stops contactless payments in stores" in lines[0]
    assert "2024-03-16" in lines[0]
    assert lines[1].strip() == CONTACTLESS
    assert "[contactless]" in out
    assert "why: contactles ~ contactless (title); paymnets ~ payments (title)" in out
    ranks = [line.split(".")[0].strip() for line in lines if line[:3].strip().rstrip(".").isdigit()]
    assert ranks == [str(n) for n in range(1, len(ranks) + 1)]


def test_search_json_is_a_list_of_results_for_tools(cli, content_dir):
    out = ok(cli("search", "contactless payments", "--json", "--content", content_dir))
    results = json.loads(out)
    assert isinstance(results, list)
    first = results[0]
    assert {"id", "title", "kind", "date", "path", "score", "snippet", "why"} <= set(first)
    assert first["id"] == CONTACTLESS
    assert first["kind"] == "postmortem"
    assert first["date"] == "2024-03-16"
    assert Path(first["path"]).is_file()
    assert "**contactless**" in first["snippet"]
    assert "contactless = contactless (title)" in first["why"]
    scores = [r["score"] for r in results]
    assert scores == sorted(scores, reverse=True)


def test_search_joins_the_words_of_the_query(cli, content_dir):
    split = json.loads(ok(cli("search", "expired", "certificate", "--json", "--content", content_dir)))
    joined = json.loads(ok(cli("search", "expired certificate", "--json", "--content", content_dir)))
    assert split == joined
    assert split[0]["id"] == CERTIFICATE


def test_search_filters_and_limit(cli, content_dir):
    practices = json.loads(ok(cli("search", "payments", "--kind", "practice", "--json",
                                  "--content", content_dir)))
    assert [r["kind"] for r in practices] == ["practice"] * len(practices)
    assert practices
    by_cause = json.loads(ok(cli("search", "deploy payments", "--cause", "configuration-error",
                                 "--json", "--content", content_dir)))
    assert [r["id"] for r in by_cause] == [DNS]
    recent = json.loads(ok(cli("search", "payments", "--since", "2023-01-01", "--until", "2023-12-31",
                               "--json", "--content", content_dir)))
    assert [r["id"] for r in recent] == [DNS]
    one = json.loads(ok(cli("search", "payments", "-n", "1", "--json", "--content", content_dir)))
    assert len(one) == 1


def test_search_scores_are_the_same_with_and_without_filters(cli, content_dir):
    everything = json.loads(ok(cli("search", "payments deploy", "--json", "--content", content_dir)))
    tagged = json.loads(ok(cli("search", "payments deploy", "--tag", "deploy", "--json",
                               "--content", content_dir)))
    scores = {r["id"]: r["score"] for r in everything}
    assert tagged
    assert all(r["score"] == scores[r["id"]] for r in tagged)
    assert len(tagged) < len(everything)


def test_search_with_no_match_says_so(cli, content_dir):
    assert ok(cli("search", "zeppelin", "--content", content_dir)).strip() == "No matches."
    assert json.loads(ok(cli("search", "zeppelin", "--json", "--content", content_dir))) == []


@pytest.mark.parametrize("query", ['" OR 1=1 --', "NEAR(", "*", "\x01\x02", "支付 💳"])
def test_search_survives_hostile_queries(cli, content_dir, query):
    assert isinstance(json.loads(ok(cli("search", query, "--json", "--content", content_dir))), list)


def test_search_with_a_bad_date_is_a_usage_error(cli, content_dir):
    result = cli("search", "payments", "--since", "yesterday", "--content", content_dir)
    assert result.exit_code == 2
    assert "since" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_search_without_a_query_is_a_usage_error(cli, content_dir):
    assert cli("search", "--content", content_dir).exit_code == 2


def test_search_finds_the_knowledge_base_from_lessons_path(cli, content_dir, monkeypatch):
    monkeypatch.setenv("LESSONS_PATH", str(content_dir))
    results = json.loads(ok(cli("search", "certificate", "--json")))
    assert results[0]["id"] == CERTIFICATE


# -- lessons similar ------------------------------------------------------------------


def test_similar_by_id(cli, content_dir):
    out = ok(cli("similar", DNS, "--content", content_dir))
    assert CERTIFICATE in out
    assert "same cause: insufficient-monitoring" in out
    assert f"    {DNS}\n" not in out


def test_similar_by_id_as_json(cli, content_dir):
    results = json.loads(ok(cli("similar", DNS, "--json", "--content", content_dir)))
    assert DNS not in [r["id"] for r in results]
    assert all(0 <= r["score"] <= 1 for r in results)
    certificate = next(r for r in results if r["id"] == CERTIFICATE)
    assert "same cause: insufficient-monitoring" in certificate["why"]


def test_similar_by_file_inside_the_knowledge_base(cli, content_dir):
    path = content_dir / "postmortems" / f"{DNS}.md"
    results = json.loads(ok(cli("similar", path, "--json", "--content", content_dir)))
    assert DNS not in [r["id"] for r in results]
    assert CERTIFICATE in [r["id"] for r in results]


def test_similar_by_a_new_file_outside_the_knowledge_base(cli, content_dir, tmp_path):
    draft = tmp_path / "draft.md"
    draft.write_text("---\ntitle: Till update breaks card payments\ndate: 2025-02-01\n"
                     "causes: [incomplete-testing]\nservices: [payments]\n---\n\n## Summary\n\n"
                     "Contactless card payments failed in the stores after a till update.\n",
                     encoding="utf-8")
    results = json.loads(ok(cli("similar", draft, "--json", "--content", content_dir)))
    assert results[0]["id"] == CONTACTLESS


def test_similar_reads_text_from_standard_input(content_dir):
    result = run_with_input("ALERT contactless card payments failing in stores after till update\n",
                            "similar", "-", "--json", "--content", content_dir)
    results = json.loads(ok(result))
    assert results[0]["id"] == CONTACTLESS


def test_similar_kind_option(cli, content_dir):
    practices = json.loads(ok(cli("similar", CONTACTLESS, "--kind", "practice", "--json",
                                  "--content", content_dir)))
    assert practices and {r["kind"] for r in practices} == {"practice"}
    anything = json.loads(ok(cli("similar", CONTACTLESS, "--kind", "any", "-n", "20", "--json",
                                 "--content", content_dir)))
    assert {r["kind"] for r in anything} == {"practice", "postmortem"}


def test_similar_with_an_unknown_id_suggests_the_closest(cli, content_dir):
    result = cli("similar", "2023-09-05-dns-configuration-pus", "--content", content_dir)
    assert result.exit_code == 2
    assert "did you mean" in result.stderr
    assert DNS in result.stderr


# -- lessons index --------------------------------------------------------------------


def test_index_reports_what_it_did(cli, content_dir):
    out = ok(cli("index", "--content", content_dir))
    assert "6 documents" in out
    assert "6 added" in out
    assert (content_dir / ".lessons" / "index.db").is_file()
    again = ok(cli("index", "--content", content_dir))
    assert "0 added" in again and "6 unchanged" in again
    (content_dir / "practices" / "canary-releases.md").unlink()
    after_delete = ok(cli("index", "--content", content_dir))
    assert "5 documents" in after_delete and "1 removed" in after_delete


def test_index_rebuild_starts_from_scratch(cli, content_dir):
    ok(cli("index", "--content", content_dir))
    out = ok(cli("index", "--rebuild", "--content", content_dir))
    assert "6 added" in out and "0 unchanged" in out


def test_index_rebuild_repairs_a_damaged_index(cli, content_dir):
    ok(cli("index", "--content", content_dir))
    db = content_dir / ".lessons" / "index.db"
    db.write_bytes(b"not a database at all" * 100)
    out = ok(cli("index", "--rebuild", "--content", content_dir))
    assert "6 documents" in out
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM documents").fetchone() == (6,)


# -- lessons show ---------------------------------------------------------------------


def test_show_prints_the_document(cli, content_dir):
    out = ok(cli("show", CONTACTLESS, "--content", content_dir))
    assert out.startswith("Overnight update stops contactless payments in stores\n")
    assert CONTACTLESS in out
    assert "incomplete-testing" in out
    assert "Roll out till updates to ten pilot stores first" in out


def test_show_says_where_durations_come_from(cli, content_dir):
    written = ok(cli("show", "2022-11-02-certificate-expiry", "--content", content_dir))
    assert "time to detect: 6 h 45 min\n" in written and "duration: 7 h 30 min\n" in written
    (content_dir / "postmortems" / "2025-06-12-failover.md").write_text(
        "---\ntitle: Failover\ndate: 2025-06-12\n---\n\n## Timeline\n\n"
        "- 09:47 The database fails over.\n- 09:52 The alert pages on-call.\n- 10:28 Service restored.\n",
        encoding="utf-8")
    derived = ok(cli("show", "2025-06-12-failover", "--content", content_dir))
    assert "time to detect: 5 min (from the timeline)\n" in derived
    assert "duration: 41 min (from the timeline)\n" in derived
    data = json.loads(ok(cli("show", "2025-06-12-failover", "--json", "--content", content_dir)))
    assert (data["time_to_detect_minutes"], data["time_to_resolve_minutes"]) == (5, 41)
    assert data["time_to_resolve_from"] == "timeline"
    written = json.loads(ok(cli("show", "2022-11-02-certificate-expiry", "--json", "--content", content_dir)))
    assert (written["time_to_resolve_minutes"], written["time_to_resolve_from"]) == (450, "front matter")


def test_show_json(cli, content_dir):
    data = json.loads(ok(cli("show", CONTACTLESS, "--json", "--content", content_dir)))
    assert data["id"] == CONTACTLESS
    assert data["causes"] == ["incomplete-testing"]


def test_show_an_unknown_id_exits_2_with_did_you_mean(cli, content_dir):
    result = cli("show", "2024-03-16-contactless-payment-update", "--content", content_dir)
    assert result.exit_code == 2
    assert "did you mean" in result.stderr
    assert CONTACTLESS in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_show_an_id_like_nothing_exits_2_without_a_suggestion(cli, content_dir):
    result = cli("show", "zzzzzzzz", "--content", content_dir)
    assert result.exit_code == 2
    assert "zzzzzzzz" in result.stderr
    assert "did you mean" not in result.stderr


# -- help -----------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["search", "similar", "index", "show"])
def test_each_command_has_help_with_an_example(cli, command):
    out = ok(cli(command, "--help"))
    assert "Example:" in out
    assert f"lessons {command}" in out.split("Example:")[1]


def test_show_says_a_duration_was_stated(cli, content_dir):
    (content_dir / "postmortems" / "2025-06-13-broker.md").write_text(
        "---\ntitle: Broker\ndate: 2025-06-13\n---\n\n## Timeline\n\n"
        "- 09:47 The broker disk fills.\n- 09:52 The alert pages on-call.\n- 10:28 Service restored.\n\n"
        "## Stats\n\n- Time to detection: 3 minutes\n", encoding="utf-8")
    shown = ok(cli("show", "2025-06-13-broker", "--content", content_dir))
    assert "time to detect: 3 min (as stated)\n" in shown
    assert "duration: 41 min (from the timeline)\n" in shown
