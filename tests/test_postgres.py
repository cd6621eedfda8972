"""The shared index on a real PostgreSQL server: many sources, concurrent syncs, faults.

These tests need a server: ``export LESSONS_TEST_POSTGRES="$(bash .ci/postgres)"`` starts
one (Debian's PostgreSQL, on 127.0.0.1) and prints its URL; `.ci/run` does so. Without
it they are skipped. Each test gets a database of its own, dropped afterwards.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

import lessons
from lessons.errors import LessonsError
from lessons.kb import KnowledgeBase
from test_index_views import assert_views_hold_the_tables_rows, views_folder  # tests/ is on the path

SERVER = os.environ.get("LESSONS_TEST_POSTGRES", "")
pytestmark = pytest.mark.skipif(
    not SERVER, reason='no PostgreSQL server: export LESSONS_TEST_POSTGRES="$(bash .ci/postgres)" '
                       "(starts one and prints its URL) to run the shared-index tests")
REPO_CONTENT = Path(__file__).parents[1] / "content"


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


@pytest.fixture
def database() -> Iterator[str]:
    """The URL of a new, empty database on the test server (dropped afterwards)."""
    import psycopg

    name = "lessons_" + uuid.uuid4().hex[:12]
    admin = with_database(SERVER, "postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    yield with_database(SERVER, name)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def write_postmortem(folder: Path, number: int, theme: str, *, marker: str = "") -> Path:
    path = folder / "postmortems" / f"incident-{number:03d}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\ntitle: Incident {number} in the {theme} service\ndate: 2024-0{number % 9 + 1}-1{number % 10}"
                    f"\nservices: [{theme}]\n---\n\n## Summary\n\nThe {theme} service failed and was restored "
                    f"after a rollback. {marker} note{number:03d}.\n", encoding="utf-8")
    return path


def make_source(folder: Path, theme: str, count: int, start: int = 0) -> Path:
    for number in range(start, start + count):
        write_postmortem(folder, number, theme)
    return folder


def ids_by_source(kb: KnowledgeBase) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for source, doc_id in kb.index.conn.execute("SELECT source, id FROM documents").fetchall():
        found.setdefault(source, set()).add(doc_id)
    return found


def assert_consistent(kb: KnowledgeBase) -> None:
    """Postings, terms and document frequencies agree with the documents, over every source."""
    conn = kb.index.conn
    keys = dict(conn.execute("SELECT key, id FROM documents").fetchall())
    seen: Counter[str] = Counter()
    for (stem,) in conn.execute("SELECT DISTINCT stem FROM postings").fetchall():
        doc_keys, _ = kb.index.postings(stem)
        assert set(doc_keys.tolist()) <= set(keys), stem
        assert len(set(doc_keys.tolist())) == len(doc_keys), f"{stem} posted twice"
        seen[stem] = len(doc_keys)
    from_terms: Counter[str] = Counter()
    for key in keys:
        from_terms.update(kb.index.terms(key).keys())
    assert seen == from_terms
    assert dict(conn.execute("SELECT stem, df FROM stems").fetchall()) == dict(seen)


def test_search_on_postgresql_ranks_and_explains_exactly_as_sqlite(database: str, tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(REPO_CONTENT, content, ignore=shutil.ignore_patterns(".lessons"))
    local = lessons.load(content, index=tmp_path / "index.db")
    shared = lessons.load(content, database=database, source="docs")
    assert sorted(local.ids) == sorted(shared.ids) and len(local) > 20
    queries = ["contactless payments down after overnight update", "certifcate expird", "leap second",
               "dns", "databse failover replica lag", "payme", "rollback of a bad deploy"]
    for query in queries:
        mine = [(r.document.id, r.score, [str(m) for m in r.why], r.snippet) for r in local.search(query, limit=8)]
        theirs = [(r.document.id, r.score, [str(m) for m in r.why], r.snippet)
                  for r in shared.search(query, limit=8)]
        assert mine == theirs, query
        assert mine, query
    some = local.ids[3]
    assert [(r.document.id, r.score) for r in local.similar(some)] == \
        [(r.document.id, r.score) for r in shared.similar(some)]
    assert [(r.document.id, r.score) for r in local.search("payments", causes="bad-change")] == \
        [(r.document.id, r.score) for r in shared.search("payments", causes="bad-change")]


def test_sources_share_one_index_and_each_sync_touches_only_its_own(database: str, tmp_path: Path) -> None:
    pay = make_source(tmp_path / "payments", "payments", 6)
    dns = make_source(tmp_path / "dns", "dns", 5)
    lessons.load(pay, database=database, source="payments").close()
    kb = lessons.load(dns, database=database, source="dns")
    # The same ids in both sources: ids need only be unique within one.
    assert ids_by_source(kb) == {"payments": {f"incident-{n:03d}" for n in range(6)},
                                 "dns": {f"incident-{n:03d}" for n in range(5)}}
    hits = kb.search("service failed rollback", limit=20)
    assert {r.source for r in hits} == {"payments", "dns"} and len(hits) == 11
    narrowed = kb.search("service failed rollback", limit=20, source="payments")
    assert {r.source for r in narrowed} == {"payments"} and len(narrowed) == 6
    # A narrowed search scores as the whole index does: filters never change a score.
    assert {r.document.id: r.score for r in narrowed} == \
        {r.document.id: r.score for r in hits if r.source == "payments"}

    (pay / "postmortems" / "incident-000.md").unlink()
    write_postmortem(pay, 1, "payments", marker="zebracrossing")
    write_postmortem(pay, 9, "payments")
    stats = lessons.load(pay, database=database, source="payments").last_sync
    assert (stats.added, stats.updated, stats.removed, stats.rebuilt) == (1, 1, 1, False)
    kb = lessons.connect(database)
    assert ids_by_source(kb)["payments"] == {f"incident-{n:03d}" for n in (*range(1, 6), 9)}
    assert len(ids_by_source(kb)["dns"]) == 5
    assert [(r.source, r.document.id) for r in kb.search("zebracrossing")] == [("payments", "incident-001")]
    assert_consistent(kb)


def sync_in_process(folder: Path, database: str, source: str) -> subprocess.Popen[str]:
    code = ("import sys, lessons; kb = lessons.load(sys.argv[1], database=sys.argv[2], source=sys.argv[3]); "
            "print(len(kb.index.ids()))")
    return subprocess.Popen([sys.executable, "-c", code, str(folder), database, source], text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def test_concurrent_syncs_of_different_and_same_sources_end_with_exactly_each_sources_documents(
        database: str, tmp_path: Path) -> None:
    themes = ["payments", "dns", "queue", "storage"]
    folders = {theme: make_source(tmp_path / theme, theme, 30 + 7 * i) for i, theme in enumerate(themes)}
    lessons.load(folders["dns"], database=database, source="dns").close()  # one source exists already
    for number in range(40, 48):  # which the next syncs change
        write_postmortem(folders["dns"], number, "dns")
    jobs = [sync_in_process(folder, database, theme) for theme, folder in folders.items()]
    jobs += [sync_in_process(folders["payments"], database, "payments"),  # the same source twice at once
             sync_in_process(folders["queue"], database, "queue")]
    for job in jobs:
        out, err = job.communicate(timeout=300)
        assert job.returncode == 0, err
    kb = lessons.connect(database)
    assert ids_by_source(kb) == {theme: {p.stem for p in (folder / "postmortems").glob("*.md")}
                                 for theme, folder in folders.items()}
    assert len(kb) == sum(len(list((f / "postmortems").glob("*.md"))) for f in folders.values())
    assert_consistent(kb)
    blocks = kb.index.conn.execute("SELECT block, COUNT(DISTINCT source) FROM source_blocks GROUP BY block "
                                   "HAVING COUNT(DISTINCT source) > 1").fetchall()
    assert blocks == []


def test_a_sync_killed_mid_way_leaves_the_previous_state_of_its_source(database: str, tmp_path: Path) -> None:
    folder = make_source(tmp_path / "payments", "payments", 12)
    other = make_source(tmp_path / "dns", "dns", 3)
    lessons.load(other, database=database, source="dns").close()
    kb = lessons.load(folder, database=database, source="payments")
    before = ids_by_source(kb)
    for number in range(12, 60):
        write_postmortem(folder, number, "payments")
    (folder / "postmortems" / "incident-000.md").unlink()
    ready = tmp_path / "half-way"
    code = ("import sys, time, pathlib, lessons\n"
            "def progress(done, total):\n"
            "    if done == total // 2:\n"
            "        pathlib.Path(sys.argv[3]).write_text('x')\n"
            "        time.sleep(600)\n"
            "lessons.load(sys.argv[1], database=sys.argv[2], source='payments', progress=progress)\n")
    job = subprocess.Popen([sys.executable, "-c", code, str(folder), database, str(ready)])
    deadline = time.monotonic() + 120
    while not ready.exists():
        assert job.poll() is None and time.monotonic() < deadline, "the sync never got half-way"
        time.sleep(0.05)
    job.send_signal(signal.SIGKILL)
    job.wait(timeout=30)
    reader = lessons.connect(database)
    assert ids_by_source(reader) == before
    assert_consistent(reader)
    # The next sync finds the lock free and does the whole job.
    stats = lessons.load(folder, database=database, source="payments").last_sync
    assert (stats.added, stats.removed) == (48, 1)


def test_a_server_that_is_down_or_refuses_the_login_is_one_line_naming_it(database: str, cli, tmp_path) -> None:
    content = make_source(tmp_path / "kb", "payments", 2)
    parts = urlsplit(database)
    down = urlunsplit((parts.scheme, f"{parts.username}:{parts.password}@127.0.0.1:9", parts.path, "", ""))
    refused = urlunsplit((parts.scheme, f"{parts.username}:not-the-password-x7@{parts.hostname}:{parts.port}",
                          parts.path, "", ""))
    for url, what in ((down, "127.0.0.1"), (refused, "password authentication failed")):
        for args in (["index", "--content", content, "--database", url],
                     ["search", "payments", "--database", url]):
            result = cli(*args)
            assert result.exit_code == 2, result.output
            assert len(result.stderr.strip().splitlines()) == 1, result.stderr
            assert result.stderr.startswith("error: ") and what in result.stderr, result.stderr
            assert "Traceback" not in result.stderr + result.stdout
            assert (parts.password or "") not in result.stderr and "not-the-password" not in result.stderr
    # The password may come from the environment instead of the URL (libpq's PGPASSWORD).
    no_password = urlunsplit((parts.scheme, f"{parts.username}@{parts.hostname}:{parts.port}", parts.path, "", ""))
    os.environ["PGPASSWORD"] = parts.password or ""
    try:
        assert cli("index", "--content", content, "--database", no_password).exit_code == 0
    finally:
        del os.environ["PGPASSWORD"]
    # And the local SQLite index keeps working as ever.
    assert cli("search", "payments", "--content", content).exit_code == 0


def test_the_password_may_come_from_a_pgpass_file(database: str, cli, tmp_path, monkeypatch) -> None:
    # What the docs promise: a URL without a password, and libpq's ~/.pgpass (here PGPASSFILE).
    content = make_source(tmp_path / "kb", "payments", 2)
    parts = urlsplit(database)
    no_password = urlunsplit((parts.scheme, f"{parts.username}@{parts.hostname}:{parts.port}", parts.path, "", ""))
    monkeypatch.delenv("PGPASSWORD", raising=False)
    pgpass = tmp_path / "pgpass"
    pgpass.write_text(f"{parts.hostname}:{parts.port}:*:{parts.username}:{parts.password}\n", encoding="utf-8")
    pgpass.chmod(0o600)  # libpq ignores a password file others can read
    monkeypatch.setenv("PGPASSFILE", str(pgpass))
    result = cli("index", "--content", content, "--database", no_password)
    assert result.exit_code == 0, result.output
    assert [hit.id for hit in lessons.connect(no_password, source="payments").search("payments")]
    # Without the file's line the login is refused, in one line that names no password.
    pgpass.write_text("", encoding="utf-8")
    result = cli("search", "payments", "--database", no_password)
    assert result.exit_code == 2 and len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "password" in result.stderr and (parts.password or "") not in result.stderr


def test_another_schema_version_is_refused_and_an_older_parser_version_reindexes_only_its_source(
        database: str, tmp_path: Path) -> None:
    pay = make_source(tmp_path / "payments", "payments", 4)
    dns = make_source(tmp_path / "dns", "dns", 3)
    lessons.load(pay, database=database, source="payments").close()
    kb = lessons.load(dns, database=database, source="dns")
    kb.index.conn.execute("COMMIT")
    kb.index.conn.execute("UPDATE sources SET parser_version='0' WHERE name='payments'")
    stats = lessons.load(pay, database=database, source="payments").last_sync
    assert stats.rebuilt and stats.added == 4
    kb = lessons.connect(database)
    assert {s: len(i) for s, i in ids_by_source(kb).items()} == {"payments": 4, "dns": 3}
    assert_consistent(kb)

    kb.index.conn.execute("COMMIT")
    kb.index.conn.execute("UPDATE meta SET value='1' WHERE key='schema_version'")
    with pytest.raises(LessonsError, match="schema version 1"):
        lessons.load(dns, database=database, source="dns")
    with pytest.raises(LessonsError, match="schema version 1"):
        lessons.connect(database)
    count = kb.index.conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
    assert count == 7  # refused, not damaged


def test_a_bot_reads_with_connect_and_sees_new_syncs_after_refresh(database: str, tmp_path: Path, cli) -> None:
    site = tmp_path / "payments"
    make_source(site / "docs", "payments", 3)
    (site / "mkdocs.yml").write_text("site_name: Payments\nsite_url: https://payments.example.org/lessons/\n",
                                     encoding="utf-8")
    result = cli("index", "--content", site / "docs", "--database", database)
    assert result.exit_code == 0 and "(source payments)" in result.stdout, result.output
    bot = lessons.connect(database)
    hits = bot.search("payments failed")
    assert hits and hits[0].source == "payments"
    assert hits[0].url == f"https://payments.example.org/lessons/postmortems/{hits[0].document.id}/"
    write_postmortem(site / "docs", 7, "payments", marker="kangaroo")
    assert cli("index", "--content", site / "docs", "--database", database).exit_code == 0
    assert bot.search("kangaroo") == []  # one state until refreshed
    bot.refresh()
    assert [r.document.id for r in bot.search("kangaroo")] == ["incident-007"]
    shown = cli("show", "incident-007", "--database", database, "--json")
    assert shown.exit_code == 0 and '"incident-007"' in shown.stdout, shown.output
    found = cli("search", "kangaroo", "--database", database, "--source", "nobody", "--json")
    assert found.exit_code == 0 and found.stdout.strip() == "[]"


def test_a_bot_names_and_suggests_the_causes_its_sources_synced(database: str, tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(REPO_CONTENT, content, ignore=shutil.ignore_patterns(".lessons"))
    local = lessons.load(content, database=database, source="retail")
    bot = lessons.connect(database)
    assert bot.taxonomy.causes.keys() == local.taxonomy.causes.keys() and local.taxonomy.causes
    cause = next(iter(local.taxonomy.causes.values()))
    assert bot.taxonomy.title_of(cause.id) == cause.title
    text = "a setting was changed in production and the service did what it was told"
    assert [s.cause for s in bot.suggest_causes(text)] == [s.cause for s in local.suggest_causes(text)]


def test_the_views_on_a_server_hold_the_rows_the_tables_held(database: str, tmp_path: Path) -> None:
    folder, docs = views_folder(tmp_path)
    kb = lessons.load(folder, index=database)
    conn = kb.index.conn
    keys = dict(conn.execute("SELECT id, key FROM documents").fetchall())
    assert_views_hold_the_tables_rows(
        # A server says true/false where SQLite says 1/0: compare as SQLite has it.
        lambda sql, key: [tuple(int(v) if type(v) is bool else v for v in row)
                          for row in conn.execute(sql, (key,)).fetchall()], keys, docs)
    kb.close()


def test_the_readme_bot_example_runs_against_the_server(database: str, tmp_path: Path) -> None:
    import re

    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    code = re.search(r"^```py\n(.*?)^```", readme, re.MULTILINE | re.DOTALL)
    assert code and "lessons.connect(" in code.group(1)
    lessons.load(make_source(tmp_path / "payments", "payments", 3), database=database, source="payments").close()
    namespace = {"alert_text": "payments service failed"}
    exec(re.sub(r'"postgresql://[^"]*"', repr(database), code.group(1)), namespace)
    assert [hit.source for hit in namespace["hits"]] == ["payments"] * 3  # type: ignore[union-attr]


def test_actions_and_advise_read_a_shared_index_with_no_checkout(database: str, tmp_path: Path, cli,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    # The reliability lead's questions across teams: open work, and advice on a change.
    for team in ("payments", "search"):
        folder = make_source(tmp_path / team / "content", team, 2)
        item = folder / "postmortems" / "incident-000.md"
        item.write_text(item.read_text(encoding="utf-8") + f"\n## Action items\n\n- [ ] Add a {team} canary — "
                        "owner: sre\n", encoding="utf-8")
        assert cli("index", "--content", folder, "--database", database, "--source", team).exit_code == 0
    elsewhere = tmp_path / "no-checkout"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    listed = cli("actions", "--open", "--json", "--database", database)
    assert listed.exit_code == 0, listed.output
    assert sorted(row["text"] for row in json.loads(listed.stdout)) == [
        "Add a payments canary", "Add a search canary"]
    narrowed = cli("actions", "--json", "--database", database, "--source", "search")
    assert [row["text"] for row in json.loads(narrowed.stdout)] == ["Add a search canary"]
    advice = cli("advise", "roll back the payments service", "--format", "json", "--database", database)
    assert advice.exit_code == 0, advice.output
    assert "payments" in json.loads(advice.stdout)["incidents"][0]["title"]
