"""The built site as its readers see it: both colour schemes, desktop and phone, and axe-core.

Screenshots of home, a post-mortem, insights and action items in light and dark, at
1366×900 and 390×844, go to ``tests/artifacts/screens/`` (git-ignored) for a person to
look at. axe-core (shipped by axe-playwright-python) checks whole pages: the plugin's
markup and Material's header, tabs, menus and footer around it, at both widths.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from site_server import build_small_kb, new_tab, served

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parent.parent
DATA_KB = Path(__file__).parent / "data" / "kb"
SCREENS = Path(__file__).parent / "artifacts" / "screens"
PAGES = {"home": "", "postmortem": "postmortems/2023-09-05-dns-configuration-push/",
         "insights": "insights/", "action-items": "action-items/"}
SCHEMES = ("light", "dark")
WIDTHS = {"desktop": (1366, 900), "phone": (390, 844)}


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with served(build_small_kb(tmp_path_factory.mktemp("look"), REPO, DATA_KB)) as url:
        yield url


def _open(browser: Any, url: str, scheme: str, size: tuple[int, int]) -> Any:
    tab = new_tab(browser, *size, color_scheme=scheme)
    tab.goto(url)
    tab.wait_for_load_state("networkidle")
    return tab


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("name", PAGES)
def test_pages_in_both_schemes_and_widths_never_scroll_sideways(
        browser: Any, site_url: str, name: str, scheme: str) -> None:
    SCREENS.mkdir(parents=True, exist_ok=True)
    for width_name, size in WIDTHS.items():
        tab = _open(browser, site_url + PAGES[name], scheme, size)
        try:
            expected = "slate" if scheme == "dark" else "default"
            assert tab.evaluate("document.body.getAttribute('data-md-color-scheme')") == expected
            tab.screenshot(path=str(SCREENS / f"{name}-{scheme}-{width_name}.png"), full_page=True)
            overflow = tab.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, f"{name} at {size[0]} px scrolls {overflow} px sideways"
        finally:
            tab.context.close()


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("width", WIDTHS)
def test_axe_finds_no_serious_or_critical_violation_on_the_page(
        browser: Any, site_url: str, name: str, scheme: str, width: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    tab = _open(browser, site_url + PAGES[name], scheme, WIDTHS[width])
    try:
        if name == "insights":  # the charts' tables are behind a disclosure: check them open too
            tab.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        results = Axe().run(tab)
        bad = [(v["id"], v["impact"], [node["target"] for node in v["nodes"]][:3])
               for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
        assert bad == []
    finally:
        tab.context.close()


def test_dark_scheme_surfaces_are_dark(browser: Any, site_url: str) -> None:
    # The card, the home stat cards and the search box take the slate colours, not near-white.
    def luminance(tab: Any, selector: str) -> float:
        colour = tab.evaluate(f"getComputedStyle(document.querySelector({selector!r})).backgroundColor")
        parts = [float(x) for x in colour[colour.index("(") + 1:colour.index(")")].split(",")[:3]]
        return sum(parts) / 3

    home = _open(browser, site_url, "dark", WIDTHS["desktop"])
    post = _open(browser, site_url + PAGES["postmortem"], "dark", WIDTHS["desktop"])
    try:
        assert luminance(home, ".lessons-stats a") < 80
        assert luminance(home, "form.lessons-search input") < 80
        assert luminance(post, "dl.lessons-card") < 80
    finally:
        home.context.close()
        post.context.close()


def test_post_mortems_are_in_the_menu_by_year_with_previous_and_next(browser: Any, site_url: str) -> None:
    tab = _open(browser, site_url + PAGES["postmortem"], "light", WIDTHS["desktop"])
    try:
        active = tab.locator(".md-nav__link--active").first
        assert "DNS" in active.inner_text() or "dns" in active.inner_text().lower()
        assert tab.locator(".md-path").count() == 1  # breadcrumbs
        assert "2023" in tab.locator(".md-path").inner_text()
        assert tab.locator(".md-footer__link--prev").count() + tab.locator(".md-footer__link--next").count() >= 1
        # No page-status icon beside the practices (our `status:` is not Material's).
        assert tab.locator(".md-status").count() == 0
    finally:
        tab.context.close()
    phone = _open(browser, site_url + PAGES["postmortem"], "light", WIDTHS["phone"])
    try:  # on a phone the table of contents is in the menu drawer, under the page
        phone.locator("label.md-header__button[for='__drawer']").click()
        toc = phone.locator(".md-sidebar--primary .md-nav--secondary a[href$='#timeline']")
        toc.first.wait_for(state="attached")
        assert toc.count() == 1
    finally:
        phone.context.close()


def test_action_items_filter_by_status(browser: Any, site_url: str) -> None:
    tab = _open(browser, site_url + "action-items/", "light", WIDTHS["desktop"])
    try:
        def visible(state: str) -> int:
            return int(tab.locator(f"tr:has(.lessons-state-{state}):visible").count())

        assert visible("open") > 0 and visible("done") == 0  # open is chosen first
        # A post-mortem whose items are all done is hidden whole: no heading, no empty table.
        with_open = tab.locator("table:has(.lessons-state-open)").count()
        assert tab.locator(".md-content h2:visible").count() == with_open > 0
        assert tab.locator("thead:visible").count() == with_open
        tab.check("#lessons-show-done")
        assert visible("open") == 0 and visible("done") > 0
        tab.check("#lessons-show-all")
        assert visible("open") > 0 and visible("done") > 0
    finally:
        tab.context.close()


def test_charts_fill_the_column_on_a_desktop_and_swap_to_the_narrow_drawing_on_a_phone(
        browser: Any, site_url: str) -> None:
    desktop = _open(browser, site_url + "insights/", "light", WIDTHS["desktop"])
    phone = _open(browser, site_url + "insights/", "light", WIDTHS["phone"])
    try:
        wide = desktop.locator(".lessons-chart-wide svg")
        assert wide.count() == 3 and all(wide.nth(i).bounding_box()["width"] > 600 for i in range(3))
        assert not desktop.locator(".lessons-chart-narrow svg").first.is_visible()
        narrow = phone.locator(".lessons-chart-narrow svg")
        assert all(narrow.nth(i).is_visible() and narrow.nth(i).bounding_box()["width"] > 300 for i in range(3))
        assert not phone.locator(".lessons-chart-wide svg").first.is_visible()
    finally:
        desktop.context.close()
        phone.context.close()
