"""Hostile content in headless Chromium: no file name or field ever runs as script in the site.

Every payload carries its own marker and, if it ever ran, would push the marker
onto ``window.__xss`` or open a dialog naming it. The site is a preview build
(``check: false``), so only the site's escaping stands between the content and
the reader; `lessons check` is asked separately to report the raw HTML in bodies.
"""

from __future__ import annotations

import shutil
from datetime import date
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import yaml
from click.testing import Result
from mkdocs.commands.build import build
from mkdocs.config import load_config
from site_server import served

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parent.parent
DATA_KB = Path(__file__).parent / "data" / "kb"
ARTIFACTS = Path(__file__).parent / "artifacts"


def run(marker: str) -> str:
    """The script a payload would run: it leaves its marker behind."""
    return f"window.__xss.push('{marker}')"


def attack(marker: str) -> str:
    """One text that tries every context: element, both attribute quotes, link, entity, script, attr_list."""
    js = run(marker)
    return (f"\"'><img src=x onerror=\"{js}\"> <svg onload={js}> [{marker}](javascript:{js}) "
            f"<javascript:{js}> &lt;img src=x onerror={js}&gt; </script><script>{js}</script> "
            f"{{: onclick=\"{js}\" }} {marker}")


# Parentheses, commas and dashes end an owner or a due date; the HTML parser turns
# &#40; back into "(" inside an attribute, so these still run if they become markup.
def short_attack(marker: str) -> str:
    return f"\"'><svg onload=alert&#40;'{marker}'&#41;>{marker}"


HOSTILE_NAMES = {
    "N1": "2024-02-03-a\n<img src=x onerror=alert('N1')>.md",
    "N2": "2024-02-04-b\"><svg onload=alert('N2')>.md",
    "N3": "2024-02-05-c ](javascript:alert('N3')) <b onmouseover=alert('N3')>.md",
    "N4": "2024-02-06-d'><img src=x onerror=alert('N4')>.md",
}
HOSTILE_CAUSE = "x\"><img src=x onerror=alert('C1')>"


def front(fields: dict[str, Any]) -> str:
    return "---\n" + yaml.safe_dump(fields, allow_unicode=True, sort_keys=False, width=10_000) + "---\n\n"


def hostile_postmortem() -> str:
    fields = {
        "title": attack("T1"), "id": attack("I1"), "date": date(2024, 2, 7), "severity": 2,
        "organization": attack("O1") + "\x02wzxhzdk:0\x03", "services": [attack("S1"), "payments"],
        "tags": [attack("G1"), "deploy"], "causes": [HOSTILE_CAUSE, "incomplete-testing"],
        "summary": attack("U1"), "description": attack("D1"), "author": attack("A1"),
        "subtitle": attack("B1"), "status": attack("Z1"),
        "sources": [f"javascript:{run('R1')}", f"https://example.org/\"><img src=x onerror={run('R2')}>",
                    f"mailto:ops@example.org\"><img src=x onerror={run('R3')}>",
                    f"data:text/html,<script>{run('R4')}</script>", f" JAVASCRIPT:{run('R5')}"],
        "related": [attack("L1"), "2023-09-05-dns-configuration-push"],
        "started": "2024-02-07T10:00Z", "resolved": "2024-02-07T12:30Z",
    }
    return front(fields) + (
        "## Summary\n\nPayments failed after a deploy and were rolled back; card payments "
        "recovered.\n\n<img src=x onerror=\"window.__xss.push('H1')\">\n\n"
        "## Timeline\n\n"
        f"- 10:00 — {attack('E1')}\n- 12:30 — Rolled back; payments recover.\n\n"
        "## Action items\n\n"
        f"- [ ] {attack('X1')} — owner: {short_attack('W1')}, due: 2024-01-15\n"
        f"- [ ] Load-test the tills — owner: {short_attack('W2')}, due: {short_attack('V1')}\n")


def hostile_practice() -> str:
    fields = {
        "title": attack("P1"), "kind": "practice", "status": attack("Z2"),
        "prevents": [HOSTILE_CAUSE, "incomplete-testing"], "tags": [attack("G2")],
        "summary": attack("U2"), "description": attack("D2"), "subtitle": attack("B2"),
        "template": "redirect.html", "location": f"javascript:{run('Y1')}", "icon": "../../../x",
    }
    return front(fields) + "## What it is\n\nTest the tills with a card reader before a deploy.\n"


def hostile_taxonomy() -> str:
    causes = yaml.safe_load((DATA_KB / "taxonomy.yml").read_text(encoding="utf-8"))["causes"]
    causes[0]["title"] = attack("K1")
    causes[0]["description"] = attack("K2")
    causes.append({"id": HOSTILE_CAUSE, "title": attack("K3"), "description": attack("K4")})
    return yaml.safe_dump({"causes": causes}, allow_unicode=True, sort_keys=False, width=10_000)


def write_content(root: Path) -> Path:
    content = root / "content"
    shutil.copytree(DATA_KB, content, ignore=shutil.ignore_patterns(".lessons"))
    (content / "taxonomy.yml").write_text(hostile_taxonomy(), encoding="utf-8")
    posts = content / "postmortems"
    for number, (marker, name) in enumerate(HOSTILE_NAMES.items()):
        (posts / name).write_text(front({"title": f"Hostile name {marker}", "date": date(2024, 1, number + 1),
                                         "causes": ["incomplete-testing"]})
                                  + "## Summary\n\nA file with a hostile name.\n", encoding="utf-8")
    (posts / "2024-02-07-hostile-fields.md").write_text(hostile_postmortem(), encoding="utf-8")
    practices = content / "practices"
    (practices / "a\"><svg onload=alert('N5')>.md").write_text(hostile_practice(), encoding="utf-8")
    return content


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The hostile content folder and the site built from it with this repository's mkdocs.yml."""
    root = tmp_path_factory.mktemp("xss")
    content = write_content(root)
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    text = text.replace("  - lessons\n", "  - lessons:\n      check: false\n      today: 2026-11-26\n")
    text = text.replace("strict: true", "strict: false")
    (root / "mkdocs.yml").write_text(text, encoding="utf-8")
    build(load_config(config_file=str(root / "mkdocs.yml")))
    return content, root / "site"


@pytest.fixture(scope="module")
def site_url(built: tuple[Path, Path]) -> Iterator[str]:
    with served(built[1]) as url:
        yield url


@pytest.fixture
def watched(browser: Any) -> Iterator[tuple[Any, list[str]]]:
    """A tab whose pages start with an empty ``window.__xss``, and the dialogs it was asked to open."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme="light")
    context.add_init_script("window.__xss = [];")
    dialogs: list[str] = []
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    tab.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    yield tab, dialogs
    context.close()


# Every element's attributes, in the page as the browser built it: an event handler, or a
# script URL where a URL is followed, is a failure whether or not anything triggered it.
# (Material's own copy button holds the text "javascript:void(0)" in data-clipboard-text.)
DANGEROUS_ATTRIBUTES = """() => {
  const urls = ['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'poster', 'srcdoc',
                'background', 'content', 'ping', 'cite'];
  const found = [];
  for (const element of document.querySelectorAll('*')) {
    for (const attribute of element.attributes) {
      const name = attribute.name.toLowerCase();
      const value = attribute.value.replace(/[\\s\\x00-\\x1f]/g, '').toLowerCase();
      const script = /^(javascript|vbscript|data:text\\/html)|url=javascript/.test(value);
      if (name.startsWith('on') || (urls.includes(name) && script)) {
        found.push(`<${element.tagName.toLowerCase()} ${attribute.name}="${attribute.value}">`);
      }
    }
  }
  return found;
}"""


def visit(tab: Any, url: str) -> list[str]:
    """Open `url` and return what ran or was injected there (empty when the page is clean)."""
    tab.goto(url)
    tab.wait_for_load_state("load")
    ran = [f"ran {marker}" for marker in tab.evaluate("window.__xss")]
    return ran + tab.evaluate(DANGEROUS_ATTRIBUTES)


def every_page(site: Path) -> list[str]:
    return sorted(quote(path.relative_to(site).as_posix()) for path in site.rglob("*.html"))


def test_lessons_check_reports_the_raw_html_in_bodies(built: tuple[Path, Path],
                                                      cli: Callable[..., Result]) -> None:
    result = cli("check", "--content", built[0])
    assert result.exit_code == 1
    source = (built[0] / "postmortems" / "2024-02-07-hostile-fields.md").read_text(encoding="utf-8")
    findings = [line for line in result.output.splitlines()
                if "2024-02-07-hostile-fields.md" in line and "unsafe-html" in line]
    for marker in ("H1", "E1"):  # the raw image in the summary, the timeline entry
        line = next(number for number, text in enumerate(source.splitlines(), 1) if run(marker) in text)
        assert any(f"2024-02-07-hostile-fields.md:{line}:" in finding for finding in findings), result.output


def test_no_page_runs_or_carries_injected_script(built: tuple[Path, Path], site_url: str,
                                                 watched: tuple[Any, list[str]]) -> None:
    tab, dialogs = watched
    pages = every_page(built[1])
    assert "incidents/index.html" in pages and "postmortems/2024-02-07-hostile-fields/index.html" in pages
    documents = [page for page in pages if page.startswith(("postmortems/", "practices/"))]
    assert len(documents) == 4 + len(HOSTILE_NAMES) + 1 + 2 + 1
    problems = {page: found for page in pages if (found := visit(tab, site_url + page))}
    assert problems == {}
    assert dialogs == []


def test_hostile_text_reads_as_text(site_url: str, watched: tuple[Any, list[str]]) -> None:
    tab, _ = watched
    tab.goto(site_url + "incidents/")
    table = tab.locator("article table").inner_text()  # one table: all incidents
    assert "\"'><img src=x onerror=\"window.__xss.push('T1')\">" in table
    for marker in HOSTILE_NAMES:
        assert f"Hostile name {marker}" in table
    tab.goto(site_url + "action-items/")
    tab.check("#lessons-show-all")  # every item, open or done, one table per incident
    items = "\n".join(tab.locator("article table").all_inner_texts())
    assert "\"'><svg onload=alert&#40" in items and "<script>window.xss.push('X1')</script>" in items
    tab.goto(site_url + "postmortems/2024-02-07-hostile-fields/")
    card = tab.locator(".lessons-card").inner_text()
    assert "<svg onload=window.__xss.push('O1')>" in card
    assert "[S1](javascript:window.__xss.push('S1'))" in card
    assert f"javascript:{run('R1')}" in card  # an unfit source stays text
    assert tab.locator(".lessons-card a[href^='https://example.org/']").count() == 1
    ARTIFACTS.mkdir(exist_ok=True)
    tab.set_viewport_size({"width": 390, "height": 844})
    tab.screenshot(path=str(ARTIFACTS / "hostile-postmortem.png"), full_page=True)


def test_search_results_show_hostile_titles_as_text(site_url: str, watched: tuple[Any, list[str]]) -> None:
    tab, dialogs = watched
    tab.goto(site_url)
    tab.fill("form.lessons-search input[name=q]", "rolled back")  # words of the hostile post-mortem
    tab.press("form.lessons-search input[name=q]", "Enter")
    results = tab.locator(".lessons-search-result")
    results.first.wait_for(state="visible")
    assert "<img src=x onerror=\"window.__xss.push('T1')\">" in tab.locator(".lessons-search-results").inner_text()
    assert tab.evaluate("window.__xss") == [] and dialogs == []
    assert tab.evaluate(DANGEROUS_ATTRIBUTES) == []
