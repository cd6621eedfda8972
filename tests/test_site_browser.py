"""The built site in headless Chromium: what a reader actually sees and clicks."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from site_server import build_small_kb, new_tab, served

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parent.parent
DATA_KB = Path(__file__).parent / "data" / "kb"
ARTIFACTS = Path(__file__).parent / "artifacts"
POST = "postmortems/2023-09-05-dns-configuration-push/"


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The small knowledge base built with this repository's mkdocs.yml, served on 127.0.0.1."""
    with served(build_small_kb(tmp_path_factory.mktemp("browser"), REPO, DATA_KB)) as url:
        yield url


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    tab = new_tab(browser, 1280, 900)
    yield tab
    tab.context.close()


def heading(page: Any) -> str:
    """The page's H1 without the permalink sign."""
    return str(page.locator("h1").first.inner_text()).removesuffix("¶").strip()


def test_home_page_loads_without_console_errors(page: Any, site_url: str) -> None:
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(site_url)
    page.wait_for_load_state("networkidle")
    assert heading(page) == "Lessons learned"
    assert page.locator(".lessons-stats a").first.is_visible()
    assert errors == []
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "home.png"), full_page=True)


def test_related_incident_link_lands_on_that_incident(page: Any, site_url: str) -> None:
    page.goto(site_url + POST)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "postmortem.png"), full_page=True)
    related = page.locator("#related-incidents + ul li a").first
    title = related.inner_text()
    related.click()
    page.wait_for_load_state("load")
    assert heading(page) == title
    assert page.url != site_url + POST and "/postmortems/" in page.url


def test_search_box_finds_a_post_mortem_by_a_word_from_its_body(page: Any, site_url: str) -> None:
    page.goto(site_url)
    # "vendored" appears only in the body of the build-dependency post-mortem.
    page.fill("form.lessons-search input[name=q]", "vendored")
    page.press("form.lessons-search input[name=q]", "Enter")
    results = page.locator(".lessons-search-result")
    results.first.wait_for(state="visible")
    assert "removed package breaks every build" in results.first.inner_text()


def test_insights_page_shows_its_charts(page: Any, site_url: str) -> None:
    page.goto(site_url + "insights/")
    charts = page.locator(".lessons-chart-wide svg")  # the desktop drawings (a narrow one each for phones)
    assert charts.count() == 3
    for index in range(3):
        box = charts.nth(index).bounding_box()
        assert charts.nth(index).is_visible() and box is not None and box["height"] > 100
    assert page.locator(".lessons-chart svg rect.rect").count() > 0  # bars were drawn


def test_action_items_page_lists_an_overdue_item(page: Any, site_url: str) -> None:
    page.goto(site_url + "action-items/")
    row = page.locator("tr", has=page.locator(".lessons-overdue"))
    assert row.count() == 1
    text = row.inner_text()
    assert "ten pilot stores" in text and "store-platform" in text and "2031-01-31" in text
    page.locator("h2", has_text="contactless").locator("a:not(.headerlink)").click()  # its incident's heading
    page.wait_for_load_state("load")
    assert re.search(r"/postmortems/2024-03-16-contactless-payments-update/$", page.url)
