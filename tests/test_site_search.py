"""The site search's index, without a browser: what goes in, and how big it is."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

import lessons
from lessons.mkdocs import pages
from lessons.mkdocs.search import INDEX, SCRIPT, compile_index
from lessons.query.scoring import WEIGHTS
from lessons.query.vocabulary import FUZZY_FACTOR

REPO = Path(__file__).resolve().parent.parent


def site_config(tmp_path: Path, content: Path, plugins: str) -> Path:
    path = tmp_path / "mkdocs.yml"
    path.write_text("\n".join([
        "site_name: Test lessons", f"docs_dir: {json.dumps(str(content))}",
        f"site_dir: {json.dumps(str(tmp_path / 'site'))}", "theme: {name: material}",
        f"plugins: {plugins}", ""]), encoding="utf-8")
    return path


def index_of(kb: lessons.KnowledgeBase) -> dict[str, object]:
    data: dict[str, object] = json.loads(compile_index(kb, lambda doc: pages.page_url(pages.source_uri(doc, kb))))
    return data


def test_the_index_of_this_repository_is_smaller_than_its_markdown(tmp_path: Path) -> None:
    markdown = sum(p.stat().st_size for p in (REPO / "content").rglob("*.md"))
    with lessons.load(REPO / "content", index=tmp_path / "index.db") as kb:
        size = len(compile_index(kb, lambda doc: pages.page_url(pages.source_uri(doc, kb))).encode())
    assert size < markdown, (size, markdown)


def test_the_index_holds_the_documents_and_no_generated_page(kb: lessons.KnowledgeBase) -> None:
    data = index_of(kb)
    docs = data["docs"]
    assert isinstance(docs, list)
    urls = [d[0] for d in docs]
    assert sorted(urls) == sorted(pages.page_url(pages.source_uri(doc, kb)) for doc in kb)
    generated = {pages.page_url(uri) for uri in pages.generated_pages(kb)}
    assert not generated & set(urls)
    assert data["rules"]["weights"] == list(WEIGHTS)  # type: ignore[index]
    assert data["rules"]["fuzzy"][1:] == [FUZZY_FACTOR[1], FUZZY_FACTOR[2]]  # type: ignore[index]


def test_each_stem_carries_its_counts_per_field_as_the_index_has_them(kb: lessons.KnowledgeBase) -> None:
    data = index_of(kb)
    stems = data["stems"]
    assert isinstance(stems, dict)
    doc = kb.search("contactless", limit=1)[0].document
    position = [d[1] for d in data["docs"]].index(doc.title)  # type: ignore[union-attr]
    key = kb.index.key_of(doc.id)
    assert key is not None
    for stem, counts in kb.index.terms(key).items():
        entries = dict(e.split(":") for e in stems[stem][0].split(" "))
        text, labels, summary, title = ([int(n) for n in entries[f"{position:x}"].split(".")] + [0, 0, 0])[:4]
        assert (title, summary, labels, text) == counts, stem
    # the words a stem was written as, for typos: "payments" is the stem "payment"
    assert "payments" in stems["payment"][1].split(" ")


def test_a_build_has_the_search_and_not_the_search_plugin(tmp_path: Path, content_dir: Path) -> None:
    build(load_config(config_file=str(site_config(tmp_path, content_dir, "[lessons]"))))
    site = tmp_path / "site"
    assert (site / INDEX).is_file() and (site / SCRIPT).is_file()
    assert not (site / "search" / "search_index.json").exists()
    home = (site / "index.html").read_text(encoding="utf-8")
    assert 'src="assets/lessons-search.js"' in home and "lessons-index.json" not in home
    assert "lessonsPorter2" in (site / SCRIPT).read_text(encoding="utf-8")


def test_search_false_leaves_the_search_out(tmp_path: Path, content_dir: Path) -> None:
    build(load_config(config_file=str(site_config(tmp_path, content_dir, "[search, {lessons: {search: false}}]"))))
    site = tmp_path / "site"
    assert not (site / INDEX).exists() and not (site / SCRIPT).exists()
    assert (site / "search" / "search_index.json").is_file()


@pytest.mark.parametrize("name", ["search.js", "search.css", "vendor/porter2/index.js", "vendor/porter2/LICENSE"])
def test_the_assets_ship_with_the_package(name: str) -> None:
    import lessons.mkdocs

    assert (Path(lessons.mkdocs.__file__).parent / "assets" / name).is_file()
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert '"mkdocs/assets/*"' in pyproject and '"mkdocs/assets/vendor/*/*"' in pyproject


def test_other_themes_get_the_search_box_too(tmp_path: Path, content_dir: Path) -> None:
    path = site_config(tmp_path, content_dir, "[lessons]")
    path.write_text(path.read_text(encoding="utf-8").replace("name: material", "name: mkdocs"), encoding="utf-8")
    build(load_config(config_file=str(path)))
    home = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert '<form class="lessons-search" action="./"' in home and 'src="assets/lessons-search.js"' in home
