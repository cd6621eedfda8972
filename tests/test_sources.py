"""Named sources on the local SQLite index: the same model as a shared server's, one code path."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

import lessons
from lessons.errors import LessonsError
from lessons.store.sources import default_name

DATA_KB = Path(__file__).parent / "data" / "kb"


def copy_kb(target: Path) -> Path:
    shutil.copytree(DATA_KB, target, ignore=shutil.ignore_patterns(".lessons"))
    return target


def test_a_source_is_named_after_the_git_remote_else_the_folder(tmp_path: Path) -> None:
    repo = tmp_path / "checkout"
    content = copy_kb(repo / "content")
    assert default_name(content) == "checkout"  # "content" says nothing: its parent's name
    if shutil.which("git"):
        subprocess.run(["git", "init", "-q", str(repo)], check=True)
        subprocess.run(["git", "-C", str(repo), "remote", "add", "origin", "git@example.com:payments/incidents.git"],
                       check=True)
        assert default_name(content) == "incidents"
        kb = lessons.load(content)
        assert kb.index.source == "incidents"
        assert {hit.source for hit in kb.search("payments")} == {"incidents"}


def test_two_sources_in_one_file_keep_their_own_ids_and_syncs(tmp_path: Path) -> None:
    one, two = copy_kb(tmp_path / "one"), copy_kb(tmp_path / "two")
    (two / "postmortems" / "2021-06-14-build-dependency-removed.md").unlink()
    index = tmp_path / "shared.db"
    lessons.load(one, index=index, source="one").close()
    kb = lessons.load(two, index=index, source="two")
    rows = kb.index.conn.execute("SELECT source, COUNT(*) FROM documents GROUP BY source ORDER BY source")
    assert rows.fetchall() == [("one", 6), ("two", 5)]
    # The knowledge base of a folder lists that source's documents; its search spans all.
    assert len(kb) == 5 and "2021-06-14-build-dependency-removed" not in kb.ids
    hits = kb.search("payments", limit=20)
    assert {hit.source for hit in hits} == {"one", "two"}
    assert {hit.document.id for hit in hits if hit.source == "one"} - {"2021-06-14-build-dependency-removed"} == \
        {hit.document.id for hit in hits if hit.source == "two"}
    only = kb.search("payments", limit=20, source="one")
    assert [(h.document.id, h.score) for h in only] == [(h.document.id, h.score) for h in hits if h.source == "one"]
    assert kb.search("payments", source="nobody") == []
    # Syncing one source never touches the other's rows, and it keeps its keys.
    before = kb.index.conn.execute("SELECT key, id FROM documents WHERE source='one' ORDER BY key").fetchall()
    (two / "postmortems" / "2022-11-02-certificate-expiry.md").unlink()
    again = lessons.load(two, index=index, source="two")
    assert again.last_sync.removed == 1
    assert again.index.conn.execute("SELECT key, id FROM documents WHERE source='one' ORDER BY key").fetchall() \
        == before
    # Each source's documents sit in blocks of keys of their own.
    blocks = again.index.conn.execute("SELECT key >> 10, COUNT(DISTINCT source) FROM documents GROUP BY 1")
    assert all(n == 1 for _, n in blocks.fetchall())


def test_the_one_source_of_a_local_index_is_rebuilt_from_key_1(tmp_path: Path, cli) -> None:
    content = copy_kb(tmp_path / "kb")
    first = lessons.load(content)
    keys = sorted(k for (k,) in first.index.conn.execute("SELECT key FROM documents"))
    assert keys == list(range(1, 7))
    first.close()
    assert cli("index", "--rebuild", "--content", content).exit_code == 0
    kb = lessons.load(content)
    assert sorted(k for (k,) in kb.index.conn.execute("SELECT key FROM documents")) == keys
    assert [name for (name,) in kb.index.conn.execute("SELECT name FROM sources")] == [kb.index.source]


def test_results_link_to_the_site_the_mkdocs_file_names(tmp_path: Path, cli) -> None:
    content = copy_kb(tmp_path / "site" / "docs")
    (tmp_path / "site" / "mkdocs.yml").write_text(
        "site_name: Lessons\nsite_url: https://lessons.example.org/\nplugins:\n  - lessons\n", encoding="utf-8")
    hit = lessons.load(content).search("contactless payments")[0]
    assert hit.url == f"https://lessons.example.org/postmortems/{hit.document.id}/"
    shown = cli("search", "contactless", "payments", "--content", content)
    assert hit.url in shown.stdout
    assert '"url": "https://lessons.example.org/' in cli("search", "contactless", "--json", "--content", content).stdout


def test_a_source_name_must_be_one_printable_line(tmp_path: Path) -> None:
    content = copy_kb(tmp_path / "kb")
    with pytest.raises(LessonsError, match="source name"):
        lessons.load(content, source="two\nlines")


def test_connect_reads_a_local_index_without_its_folder(tmp_path: Path) -> None:
    content = copy_kb(tmp_path / "kb")
    index = tmp_path / "index.db"
    lessons.load(content, index=index, source="mine").close()
    bot = lessons.connect(str(index))
    assert [hit.source for hit in bot.search("certificate expiry")][:1] == ["mine"]
    with pytest.raises(LessonsError, match="no index"):
        lessons.connect(str(tmp_path / "missing.db"))


def test_connect_knows_each_sources_causes_as_its_last_sync_stored_them(tmp_path: Path) -> None:
    # A bot with no checkout names causes by title and suggests them from their descriptions.
    one, two = copy_kb(tmp_path / "one"), copy_kb(tmp_path / "two")
    taxonomy = two / "taxonomy.yml"
    taxonomy.write_text(taxonomy.read_text(encoding="utf-8").replace("title: Configuration error",
                                                                      "title: Wrong setting")
                        + "  - id: badge-printer\n    title: Badge printer jam\n"
                          "    description: The lobby badge printer jammed on laminated cards.\n",
                        encoding="utf-8")
    index = tmp_path / "shared.db"
    local = lessons.load(one, index=index, source="one")
    local.close()
    lessons.load(two, index=index, source="two").close()
    bot = lessons.connect(str(index))
    assert set(bot.taxonomy.causes) == set(local.taxonomy.causes) | {"badge-printer"}
    assert bot.taxonomy.title_of("configuration-error") == "Configuration error"  # "one" comes first by name
    assert bot.taxonomy.title_of("badge-printer") == "Badge printer jam"
    suggested = bot.suggest_causes("the badge printer in the lobby jammed on laminated cards")
    assert "laminated" in {word for s in suggested if s.cause == "badge-printer" for word in s.words}
    assert lessons.connect(str(index), source="two").taxonomy.title_of("configuration-error") == "Wrong setting"
    # A changed taxonomy.yml reaches the index with the next sync, and the bot after refresh().
    taxonomy.write_text(taxonomy.read_text(encoding="utf-8").replace("Badge printer jam", "Printer jam"),
                        encoding="utf-8")
    lessons.load(two, index=index, source="two").close()
    assert bot.taxonomy.title_of("badge-printer") == "Badge printer jam"  # one state until refreshed
    bot.refresh()
    assert bot.taxonomy.title_of("badge-printer") == "Printer jam"
    # A folder without taxonomy.yml stores none; an unreadable stored value is left out.
    taxonomy.unlink()
    lessons.load(two, index=index, source="two").close()
    bot.refresh()
    assert "badge-printer" not in bot.taxonomy.causes and "configuration-error" in bot.taxonomy.causes
    local = lessons.load(one, index=index, source="one")
    local.index.conn.execute("UPDATE sources SET taxonomy='{not json' WHERE name='one'")
    local.index.conn.commit()
    bot.refresh()
    assert bot.taxonomy.causes == {}
    assert bot.search("certificate expiry")  # the index still answers

