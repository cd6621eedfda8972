"""The public API, as promised in the architecture's "The public API (contract)".

Another tool imports `lessons`, opens a knowledge base and asks "have we seen this
before?"; these tests are that tool.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

import lessons

CONTACTLESS = "2024-03-16-contactless-payments-update"
CERTIFICATE = "2022-11-02-certificate-expiry"

PUBLIC_NAMES = {
    "ActionItem", "Document", "DocumentNotFound", "KnowledgeBase", "Kind", "LessonsError",
    "ParseError", "Problem", "SearchResult", "TimelineEvent", "connect", "load", "search",
}
"""The names `lessons/__init__.py` documents; everything else is internal."""


@pytest.fixture(autouse=True)
def no_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LESSONS_PATH", raising=False)
    monkeypatch.delenv("LESSONS_INDEX", raising=False)


def test_all_is_exactly_the_documented_names():
    assert set(lessons.__all__) == PUBLIC_NAMES
    assert len(lessons.__all__) == len(PUBLIC_NAMES)


def test_every_public_name_resolves_and_is_documented():
    for name in lessons.__all__:
        value = getattr(lessons, name)
        assert (value.__doc__ or "").strip(), f"lessons.{name} has no docstring"
    namespace: dict[str, object] = {}
    exec("from lessons import *", namespace)
    assert set(namespace) >= PUBLIC_NAMES


def test_unknown_attributes_raise_attribute_error():
    with pytest.raises(AttributeError):
        lessons.no_such_thing  # noqa: B018


def test_import_lessons_stays_light():
    code = ("import sys, lessons; heavy = [m for m in ('sqlalchemy', 'sqlmodel', 'markdown_it', "
            "'rapidfuzz', 'click', 'yaml') if m in sys.modules]; print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_contract_example(content_dir):
    kb = lessons.load(content_dir)
    assert isinstance(kb, lessons.KnowledgeBase)
    hits = kb.search("contactless payments failing after overnight update", limit=5,
                     kind="postmortem", causes=["incomplete-testing"], since="2020-01-01")
    hit = hits[0]
    assert isinstance(hit, lessons.SearchResult)
    assert hit.document.id == CONTACTLESS
    assert hit.document.title == "Overnight update stops contactless payments in stores"
    assert hit.document.path == content_dir / "postmortems" / f"{CONTACTLESS}.md"
    assert isinstance(hit.score, float) and hit.score > 0
    assert "**" in hit.snippet
    assert [str(m) for m in hit.why][:1] == ["contactless = contactless (title)"]
    json.dumps(hit.to_dict())


def test_search_accepts_dates_and_lists(kb):
    by_string = kb.search("payments", since="2022-01-01")
    by_date = kb.search("payments", since=date(2022, 1, 1))
    assert [h.document.id for h in by_string] == [h.document.id for h in by_date]
    assert by_string


def test_similar_accepts_an_id_a_document_or_text(kb):
    by_id = kb.similar(CONTACTLESS, limit=5)
    by_doc = kb.similar(kb.get(CONTACTLESS), limit=5)
    by_text = kb.similar("contactless card payments failing in stores", limit=5)
    assert [h.document.id for h in by_id] == [h.document.id for h in by_doc]
    assert by_id and by_text
    assert all(isinstance(h, lessons.SearchResult) and 0 <= h.score <= 1 for h in by_id + by_text)
    assert by_text[0].document.id == CONTACTLESS


def test_get_iterate_and_action_items(kb):
    doc = kb.get(CONTACTLESS)
    assert isinstance(doc, lessons.Document)
    documents = list(kb)
    assert len(documents) == len(kb) == 6
    assert all(isinstance(d, lessons.Document) for d in documents)
    postmortem_dates = [d.date for d in documents if d.kind is lessons.Kind.POSTMORTEM]
    assert postmortem_dates == sorted(postmortem_dates, reverse=True)
    open_items = kb.action_items(status="open")
    assert open_items and all(isinstance(i, lessons.ActionItem) and not i.done for i in open_items)
    assert {i.document_id for i in open_items} == {CONTACTLESS, "2023-09-05-dns-configuration-push"}


def test_get_an_unknown_id_suggests_the_closest(kb):
    with pytest.raises(lessons.DocumentNotFound) as raised:
        kb.get("2024-03-16-contactless-payment-update")
    assert isinstance(raised.value, lessons.LessonsError)
    assert CONTACTLESS in str(raised.value)


def test_refresh_sees_new_files(kb, content_dir):
    (content_dir / "postmortems" / "2025-05-05-zeppelin.md").write_text(
        "---\ntitle: Zeppelin gateway drops requests\ndate: 2025-05-05\n---\n\nText.\n",
        encoding="utf-8")
    assert kb.search("zeppelin") == []
    stats = kb.refresh()
    assert stats.added == 1
    assert kb.search("zeppelin")[0].document.id == "2025-05-05-zeppelin"


def test_lessons_search_with_a_path(content_dir):
    hits = lessons.search("certificate", path=content_dir)
    assert hits[0].document.id == CERTIFICATE
    assert len(lessons.search("payments", path=str(content_dir), limit=1)) == 1


def test_lessons_search_passes_filters(content_dir):
    hits = lessons.search("payments", path=content_dir, kind="practice")
    assert hits and {h.document.kind.value for h in hits} == {"practice"}


def test_lessons_search_uses_lessons_path(content_dir, tmp_path, monkeypatch):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    monkeypatch.setenv("LESSONS_PATH", str(content_dir))
    assert lessons.search("certificate")[0].document.id == CERTIFICATE


@pytest.fixture
def project(content_dir: Path, tmp_path: Path) -> Path:
    """A repository with its knowledge base in content/ and a few nested folders."""
    root = tmp_path / "project"
    shutil.copytree(content_dir, root / "content")
    (root / "src" / "deep" / "er").mkdir(parents=True)
    return root


def test_lessons_search_finds_content_above_the_working_directory(project, monkeypatch):
    monkeypatch.chdir(project / "src" / "deep" / "er")
    assert lessons.search("certificate")[0].document.id == CERTIFICATE
    assert (project / "content" / ".lessons" / "index.db").is_file()


def test_lessons_search_follows_mkdocs_docs_dir(project, monkeypatch):
    (project / "content").rename(project / "kb")
    (project / "mkdocs.yml").write_text("site_name: Test\ndocs_dir: kb\n", encoding="utf-8")
    monkeypatch.chdir(project / "src")
    assert lessons.search("certificate")[0].document.id == CERTIFICATE
    assert (project / "kb" / ".lessons" / "index.db").is_file()


def test_lessons_path_wins_over_the_working_directory(project, tmp_path, monkeypatch):
    other = tmp_path / "other"
    other.mkdir()
    (other / "one.md").write_text("---\ntitle: Zeppelin outage\ndate: 2020-01-01\n---\n\nText.\n",
                                  encoding="utf-8")
    monkeypatch.chdir(project)
    monkeypatch.setenv("LESSONS_PATH", str(other))
    assert [h.document.id for h in lessons.search("zeppelin")] == ["one"]
    assert lessons.search("certificate") == []


def test_no_knowledge_base_found_is_a_clear_error(tmp_path, monkeypatch):
    lonely = tmp_path / "lonely"
    lonely.mkdir()
    monkeypatch.chdir(lonely)
    with pytest.raises(lessons.LessonsError) as raised:
        lessons.search("anything")
    assert "LESSONS_PATH" in str(raised.value)


def test_load_a_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(lessons.LessonsError) as raised:
        lessons.load(tmp_path / "missing")
    assert "missing" in str(raised.value)


def test_load_any_folder_of_markdown(tmp_path):
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "outage.md").write_text(
        "---\ntitle: Queue outage\ndate: 2021-02-03\n---\n\nThe queue stopped.\n", encoding="utf-8")
    kb = lessons.load(tmp_path / "notes")
    assert kb.ids == ["outage"]
    assert kb.get("outage").kind is lessons.Kind.POSTMORTEM
    assert kb.search("queue")[0].document.id == "outage"
