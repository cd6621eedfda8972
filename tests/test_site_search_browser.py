"""The site search in headless Chromium: the same first result as `lessons search`.

This repository's own knowledge base is built with its own ``mkdocs.yml`` and
searched as a reader would: through the search box, with the keyboard, on a phone.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from site_server import new_tab, served

import lessons
from lessons.mkdocs import pages
from lessons.mkdocs.search import INDEX

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = Path(__file__).parent / "artifacts"

TYPO_QUERIES = [
    "contcatless paymnets", "certifcate expird", "leap secnod", "regular expresion",
    "dns configuraton", "databse failover", "rollbck deploy", "kubernetes upgrde",
    "storage replicaton", "BGP withdrawl",
]
"""Two words each, at least one of them misspelt, as an engineer on call types them."""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("search-site")
    shutil.copytree(REPO / "content", root / "content", ignore=shutil.ignore_patterns(".lessons"))
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    build(load_config(config_file=str(root / "mkdocs.yml"), strict=True))
    return root


@pytest.fixture(scope="module")
def kb(built: Path) -> Iterator[lessons.KnowledgeBase]:
    with lessons.load(built / "content") as loaded:
        yield loaded


@pytest.fixture(scope="module")
def site_url(built: Path) -> Iterator[str]:
    with served(built / "site") as url:
        yield url


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    tab = new_tab(browser)
    yield tab
    tab.context.close()


def url_of(kb: lessons.KnowledgeBase, doc: Any) -> str:
    return pages.page_url(pages.source_uri(doc, kb))


def search_field(page: Any) -> Any:
    """The dialog's search field, found by its role and accessible name."""
    return page.get_by_role("dialog", name="Search the knowledge base").get_by_role(
        "searchbox", name="Search the knowledge base")


def open_search(page: Any) -> Any:
    """Open the dialog from the header's button, as a reader clicks it; the search field."""
    page.get_by_role("button", name="Open search").click()
    field = search_field(page)
    field.wait_for(state="visible")
    return field


def results(page: Any, site_url: str, query: str) -> list[str]:
    """The addresses of the results shown for `query` typed into the open dialog."""
    field = search_field(page)
    field.fill("")
    field.press_sequentially(query)
    page.locator(".lessons-search-status").filter(has_text="result").wait_for()
    hrefs = page.locator(".lessons-search-result a").evaluate_all("links => links.map(a => a.href)")
    return [str(h).removeprefix(site_url) for h in hrefs]


def test_typo_queries_find_the_same_first_result_as_lessons_search(
        page: Any, site_url: str, kb: lessons.KnowledgeBase) -> None:
    page.goto(site_url)
    open_search(page)
    same = []
    for query in TYPO_QUERIES:
        expected = kb.search(query, limit=1)
        shown = results(page, site_url, query)
        same.append(bool(expected) and bool(shown) and shown[0] == url_of(kb, expected[0].document))
    assert sum(same) >= 9, list(zip(TYPO_QUERIES, same, strict=True))
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "search-desktop.png"))


def test_the_ranker_in_the_browser_ranks_as_lessons_search(
        page: Any, site_url: str, kb: lessons.KnowledgeBase) -> None:
    # The script's own entry point, over many queries: the same three first, same scores.
    queries = [*TYPO_QUERIES, "us-east-1", "ora-00060", "503 errors", "paym", "contactless payments failing",
               "leap second", "certificate expired", "human error", "regex cpu", "deploy rollback failed",
               "expird certificates renewal", "dns", "configuration change outage", "monitoring alert"]
    page.goto(site_url)
    page.evaluate("window.lessonsSearch.load()")
    for query in queries:
        shown = page.evaluate("q => window.lessonsSearch.load().then(() => window.lessonsSearch.search(q)"
                              ".results.slice(0, 3).map(r => [r.doc[0], Math.round(r.score * 1e4) / 1e4,"
                              " r.why]))", query)
        expected = kb.search(query, limit=3)
        assert [s[0] for s in shown] == [url_of(kb, hit.document) for hit in expected], query
        assert [s[1] for s in shown] == pytest.approx([hit.score for hit in expected], abs=2e-4), query
        if expected:
            assert shown[0][2] == [str(m) for m in expected[0].why], query


def test_results_show_the_summary_and_why_and_no_generated_page(
        page: Any, site_url: str, kb: lessons.KnowledgeBase) -> None:
    documents = {url_of(kb, doc) for doc in kb}
    page.goto(site_url)
    open_search(page)
    for query in ["incidents", "action items", "us-east-1", "insights", "practices", "payments"]:
        shown = results(page, site_url, query)
        assert shown and set(shown) <= documents, query
    results(page, site_url, "contcatless paymnets")
    first = page.locator(".lessons-search-result").first
    doc = kb.search("contcatless paymnets", limit=1)[0].document
    assert doc.summary[:60] in " ".join(first.locator(".lessons-search-snippet").inner_text().split())
    assert first.locator(".lessons-search-snippet mark").count() >= 1
    assert "contcatless ~ contactless (title)" in first.locator(".lessons-search-why").inner_text()


def test_the_index_is_fetched_only_when_the_search_box_is_used(page: Any, site_url: str,
                                                              kb: lessons.KnowledgeBase) -> None:
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(site_url)
    page.wait_for_load_state("networkidle")
    page.goto(site_url + url_of(kb, kb.postmortems[0]))
    page.wait_for_load_state("networkidle")
    assert not [u for u in requested if u.endswith((INDEX, "search_index.json"))]
    page.goto(site_url)
    page.locator("form.lessons-search input[name=q]").focus()
    page.wait_for_load_state("networkidle")
    assert [u for u in requested if u.endswith(INDEX)]
    assert not [u for u in requested if u.endswith("search_index.json")]


def test_the_keyboard_opens_searches_and_follows_a_result(page: Any, site_url: str) -> None:
    page.goto(site_url + "insights/")
    page.keyboard.press("/")
    field = search_field(page)
    field.wait_for(state="visible")
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "Search the knowledge base"
    assert page.get_by_role("dialog", name="Search the knowledge base").is_visible()
    page.keyboard.type("leap secnod")
    page.locator(".lessons-search-status").filter(has_text="result").wait_for()
    page.keyboard.press("ArrowDown")
    assert "Leap" in page.evaluate("document.activeElement.textContent")
    page.keyboard.press("Enter")
    page.wait_for_url("**/postmortems/2017-01-01-cloudflare-leap-second/")
    page.keyboard.press("/")
    field.wait_for(state="visible")
    page.keyboard.press("Escape")
    field.wait_for(state="hidden")


def test_filters_by_kind_year_and_cause(page: Any, site_url: str, kb: lessons.KnowledgeBase) -> None:
    by_url = {url_of(kb, doc): doc for doc in kb}
    page.goto(site_url)
    open_search(page)
    page.get_by_role("combobox", name="Kind").select_option("practice")
    assert all(by_url[u].kind.value == "practice" for u in results(page, site_url, "deployment"))
    page.get_by_role("combobox", name="Kind").select_option("")
    page.get_by_role("combobox", name="Year").select_option("2017")
    shown = results(page, site_url, "outage")
    assert shown and all(str(by_url[u].date).startswith("2017") for u in shown)
    page.get_by_role("combobox", name="Year").select_option("")
    shown = results(page, site_url, "cause:rollback-failure outage")
    assert shown and all("rollback-failure" in by_url[u].causes for u in shown)
    expected = kb.search("outage", causes=["rollback-failure"], limit=10)
    assert shown == [url_of(kb, hit.document) for hit in expected]
    shown = results(page, site_url, "severity:1 kind:postmortem network")
    assert shown and all(by_url[u].severity == 1 for u in shown)


def test_search_works_on_a_phone(browser: Any, site_url: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        page.goto(site_url)
        page.get_by_role("button", name="Open search").tap()
        field = search_field(page)
        field.wait_for(state="visible")
        field.fill("paymnets")
        page.locator(".lessons-search-status").filter(has_text="result").wait_for()
        box = page.locator(".lessons-search-dialog").bounding_box()
        assert box is not None and box["width"] <= 390 and box["x"] >= 0
        assert page.evaluate("document.querySelector('.lessons-search-dialog').scrollWidth") <= 390
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "search-phone.png"))
    finally:
        context.close()
