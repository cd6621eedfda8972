"""The site's pages as Markdown, straight from a KnowledgeBase (no MkDocs build)."""

from __future__ import annotations

import html as html_module
import re
from datetime import date
from pathlib import Path
from xml.etree import ElementTree as ET

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lessons
import lessons.parsing.parse
from lessons.kb import KnowledgeBase
from lessons.mkdocs import pages
from lessons.mkdocs.feed import atom

CONTACTLESS = "2024-03-16-contactless-payments-update"
DNS = "2023-09-05-dns-configuration-push"


def html(text: str) -> str:
    """The Markdown rendered with the extensions the pages rely on."""
    return markdown.markdown(text, extensions=list(pages.MARKDOWN_EXTENSIONS))


def test_card_shows_the_incident_facts_with_links_to_browse_pages(kb: KnowledgeBase) -> None:
    doc = kb.get(CONTACTLESS)
    card = html(pages.card(doc, kb))
    assert "2024-03-16" in card
    assert 'href="../browse/severity.md#sev-2"' in card
    assert 'href="../browse/causes.md#incomplete-testing"' in card
    assert ">Incomplete testing</a>" in card  # the cause's title, not its id
    for service in doc.services:
        assert f'href="../browse/services.md#{pages.anchor(service)}"' in card
    assert doc.organization and doc.organization in card
    assert "published" in card


def test_card_shows_durations_when_the_times_are_known(kb: KnowledgeBase) -> None:
    doc = kb.get("2022-11-02-certificate-expiry")  # started 00:00, detected 06:45, resolved 07:30
    card = html(pages.card(doc, kb))
    assert re.search(r"<dt>Time to detect</dt>\s*<dd>6 h 45 min</dd>", card)
    span = r"\(2022-11-02 00:00 → 2022-11-02 07:30 UTC\)"
    assert re.search(rf"<dt>Duration</dt>\s*<dd>7 h 30 min {span}</dd>", card)


def test_card_says_when_durations_come_from_the_timeline(kb: KnowledgeBase) -> None:
    doc = lessons.parsing.parse.parse_text(
        "---\ntitle: Failover\ndate: 2025-06-12\n---\n\n## Timeline\n\n"
        "- 09:47 The database fails over.\n- 09:52 The alert pages on-call.\n- 10:28 Service restored.\n",
        "failover.md")
    assert doc is not None
    card = html(pages.card(doc, kb))
    assert re.search(r"<dt>Time to detect</dt>\s*<dd>5 min <small>\(from the timeline\)</small></dd>", card)
    assert re.search(r"<dt>Duration</dt>\s*<dd>41 min \(2025-06-12 09:47 → 2025-06-12 10:28 UTC\) "
                     r"<small>\(from the timeline\)</small></dd>", card)
    written = html(pages.card(kb.get("2022-11-02-certificate-expiry"), kb))
    assert "from the timeline" not in written


def test_related_incidents_lists_similar_post_mortems_with_reasons(kb: KnowledgeBase) -> None:
    doc = kb.get(DNS)
    section = pages.related_incidents(doc, kb)
    items = [line for line in section.splitlines() if line.startswith("- ")]
    expected = [hit for hit in kb.similar(doc, limit=6, kind="postmortem") if hit.document.id != doc.id]
    assert 1 <= len(items) <= pages.RELATED_LIMIT
    assert len(items) == min(len(expected), pages.RELATED_LIMIT)
    assert f"{DNS}.md" not in section
    first = expected[0]
    assert f"]({first.document.id}.md)" in items[0]
    assert first.reason and pages.escape(first.reason) in items[0]


def test_practices_that_address_the_causes(kb: KnowledgeBase) -> None:
    section = html(pages.practices_section(kb.get(DNS), kb))
    assert 'href="../practices/canary-releases.md"' in section
    assert "dependency-pinning" not in section


def test_practice_page_lists_the_incidents_it_addresses(kb: KnowledgeBase) -> None:
    section = html(pages.addressed_incidents(kb.get("dependency-pinning"), kb))
    assert 'href="../postmortems/2021-06-14-build-dependency-removed.md"' in section
    assert CONTACTLESS not in section


def test_practice_page_shows_the_most_relevant_incidents_and_the_rest_behind_a_disclosure(tmp_path: Path) -> None:
    folder = tmp_path / "kb"
    (folder / "postmortems").mkdir(parents=True)
    (folder / "practices").mkdir()
    (folder / "practices" / "p.md").write_text(
        "---\ntitle: Pin things\nprevents: [dependency-problem, configuration-error]\n---\n# Pin things\n",
        encoding="utf-8")
    for day in range(1, 10):  # nine incidents with one shared cause; the ninth shares two
        causes = "[dependency-problem, configuration-error]" if day == 9 else "[dependency-problem]"
        (folder / "postmortems" / f"i{day}.md").write_text(
            f"---\ntitle: Incident {day}\ndate: 2024-01-0{day}\nseverity: 3\ncauses: {causes}\n---\n# I\n",
            encoding="utf-8")
    kb = lessons.load(folder)
    section = html(pages.addressed_incidents(kb.get("p"), kb))
    first, _, rest = section.partition("<details")
    shown = re.findall(r'href="../postmortems/(i\d)\.md"', first)
    assert shown[0] == "i9" and len(shown) == 5  # two shared causes first, then the newest
    assert shown[1:] == ["i8", "i7", "i6", "i5"] and "shares the causes" in first
    assert "All 9 incidents" in rest and len(re.findall(r'href="../postmortems/i\d\.md"', rest)) == 9


def test_navigation_lists_post_mortems_by_year_newest_first(kb: KnowledgeBase) -> None:
    incidents = next(entry["Incidents"] for entry in pages.nav(kb) if isinstance(entry, dict) and "Incidents" in entry)
    years = [next(iter(entry)) for entry in incidents if next(iter(entry)).isdigit()]
    assert years == sorted({str(d.date.year) for d in kb.postmortems if d.date}, reverse=True)
    listed = [uri for entry in incidents if next(iter(entry)).isdigit()
              for item in entry[next(iter(entry))] for uri in item.values()]
    assert sorted(listed) == sorted(pages.source_uri(d, kb) for d in kb.postmortems)


def test_the_theme_never_sees_our_status_as_a_page_status() -> None:
    from lessons.mkdocs.plugin import _theme_meta

    assert _theme_meta({"title": "T", "status": "published"}) == {"title": "T", "lessons_status": "published"}


def test_document_page_puts_title_card_body_related_and_practices_in_order(kb: KnowledgeBase) -> None:
    doc = kb.get(CONTACTLESS)
    page = pages.document_page(doc, kb, "## Summary\n\nThe body as written.\n")
    order = [page.index(mark) for mark in ("# ", "lessons-card", "The body as written",
                                           "## Related incidents", "## Practices that address")]
    assert order == sorted(order)


def test_home_page_counts_latest_and_search_box(kb: KnowledgeBase) -> None:
    home = html(pages.home(kb, today=date(2026, 11, 26), search_url="./"))
    assert "<strong>4</strong> post-mortems" in home
    assert "<strong>2</strong> practices" in home
    assert '<form class="lessons-search" action="./"' in home and 'name="q"' in home
    latest = home[home.index("Latest post-mortems"):]
    assert latest.index(CONTACTLESS) < latest.index(DNS)  # newest first
    assert 'href="feed.xml"' in home


def test_incidents_table_has_a_row_per_post_mortem(kb: KnowledgeBase) -> None:
    table = html(pages.incidents(kb))
    rows = re.findall(r"<tr>\s*<td>(\d{4}-\d\d-\d\d)</td>", table)
    assert rows == sorted(rows, reverse=True) and len(rows) == 4
    assert "7 h 30 min" in table


@pytest.mark.parametrize("facet", sorted(pages.BROWSE))
def test_browse_pages_group_every_incident(kb: KnowledgeBase, facet: str) -> None:
    page = html(pages.browse(kb, facet))
    for doc in kb.postmortems:
        assert f'href="../postmortems/{doc.id}.md"' in page


def test_browse_by_cause_has_an_anchor_per_cause_that_cards_link_to(kb: KnowledgeBase) -> None:
    page = html(pages.browse(kb, "cause"))
    for cause in kb.taxonomy.causes:
        assert f'id="{cause}"' in page
    section = page[page.index('id="configuration-error"'):page.index('id="dependency-problem"')]
    assert DNS in section and CONTACTLESS not in section


def test_action_items_mark_overdue_items(kb: KnowledgeBase) -> None:
    page = html(pages.action_items(kb, today=date(2031, 3, 1)))
    rows = [row for row in re.findall(r"<tr>.*?</tr>", page, re.S) if "<td" in row]
    overdue = [row for row in rows if "lessons-overdue" in row]
    assert len(overdue) == 1 and "ten pilot stores" in overdue[0] and ">open<" in overdue[0]
    assert "store-platform" in overdue[0]
    heading = page[:page.index("ten pilot stores")].rsplit("<h2", 1)[1]
    assert f'href="postmortems/{CONTACTLESS}.md"' in heading
    assert "1 overdue on 2031-03-01" in page
    assert "lessons-overdue" not in html(pages.action_items(kb, today=date(2026, 11, 26)))


def test_action_items_say_their_status_in_words_newest_incident_first(kb: KnowledgeBase) -> None:
    page = html(pages.action_items(kb, today=date(2026, 11, 26)))
    states = re.findall(r'lessons-state-(open|done)">(\w+)<', page)
    assert {word for _, word in states} == {"open", "done"} and all(a == b for a, b in states)
    dated = [kb.get(i).date for i in re.findall(r'<h2[^>]*>.*?href="postmortems/([^".]+)\.md"', page)]
    assert len(dated) >= 2 and dated == sorted(dated, reverse=True)
    # The filter: one radio button per status, "open" chosen, each with a label.
    for state in ("open", "done", "all"):
        assert f'id="lessons-show-{state}"' in page and f'for="lessons-show-{state}"' in page


def test_action_items_show_due_dates_only_when_some_item_has_one(tmp_path: Path) -> None:
    folder = tmp_path / "kb" / "postmortems"
    folder.mkdir(parents=True)
    (folder / "a.md").write_text("---\ntitle: A\ndate: 2024-01-02\n---\n# A\n\n## Action items\n\n"
                                 "- [ ] Add an alert — owner: sre\n"
                                 "- [ ] No engineering follow-up actions have been made public\n",
                                 encoding="utf-8")
    page = html(pages.action_items(lessons.load(tmp_path / "kb"), today=date(2026, 11, 26)))
    assert "Add an alert" in page and "made public" not in page.split("left out")[1]
    assert "<th>Due</th>" not in page and "overdue" not in page
    assert "1 note written as action items" in page


def test_insights_draws_three_svg_charts_without_script(kb: KnowledgeBase) -> None:
    page = pages.insights(kb)
    assert page.count("<svg") == 6  # each chart wide and narrow
    assert page.count("<figure") == 3 and page.count("<details><summary>") == 3
    for svg in re.findall(r"<svg[^>]*>", page):
        assert re.search(r'role="(img|group)"', svg) and 'aria-label="' in svg
    assert "<script" not in page and "kozea.github.io" not in page


def test_time_to_resolve_chart_links_and_titles_every_dot_and_labels_every_year(kb: KnowledgeBase) -> None:
    page = pages.insights(kb)
    figure = page[page.index('id="chart-time-to-resolve"'):]
    wide = figure[figure.index('class="lessons-chart-wide"'):figure.index('class="lessons-chart-narrow"')]
    timed = [d for d in kb.postmortems if d.time_to_resolve]
    dots = re.findall(r'<a href="([^"]+)"><title>([^<]+)</title>', wide)
    assert sorted(href for href, _ in dots) == sorted(f"../postmortems/{d.id}/" for d in timed)
    assert all(any(d.title in title for _, title in dots) for d in timed)
    years = {d.date.year for d in timed if d.date}
    labels = set(re.findall(r">(\d{4})</text>", wide))
    assert {str(y) for y in range(min(years), max(years) + 1)} <= labels
    table = figure[figure.index("<details>"):]
    assert all(f'href="../postmortems/{d.id}/"' in table for d in timed)


def test_chart_count_ticks_are_whole_numbers_that_do_not_crowd() -> None:
    from lessons.mkdocs.charts import _count_ticks

    for most in (1, 3, 7, 13, 42, 101, 999):
        ticks = _count_ticks(most)
        assert ticks[0] == 0 and ticks[-1] >= most and len(ticks) <= 7
        assert len({b - a for a, b in zip(ticks, ticks[1:], strict=False)}) == 1


@pytest.mark.parametrize(("quickest", "slowest"), [(0.87, 10.0), (2.0, 2.0), (0.01, 5000.0), (30.0, 200.0)])
def test_time_to_resolve_ticks_span_every_dot(quickest: float, slowest: float) -> None:
    import math

    from lessons.mkdocs.charts import _hour_ticks

    ticks = [tick["value"] for tick in _hour_ticks(math.log10(quickest), math.log10(slowest))]
    assert len(ticks) >= 2 and ticks == sorted(ticks)
    assert ticks[0] <= math.log10(quickest) and ticks[-1] >= math.log10(slowest)


def test_insights_show_which_causes_no_practice_addresses(kb: KnowledgeBase) -> None:
    page = html(pages.insights(kb, today=date(2026, 11, 26)))
    table = page[page.index("Causes and the practices that address them"):]
    rows = {re.sub(r"<[^>]+>", "", row.split("</td>")[0]).strip(): row
            for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:] if "</td>" in row}
    # Insufficient monitoring is behind two incidents, and no practice prevents it.
    assert "<strong>none yet</strong>" in rows["Insufficient monitoring"]
    assert re.search(r"<td>2</td>\s*<td>2023-09-05</td>", rows["Insufficient monitoring"])
    assert 'href="practices/canary-releases.md"' in rows["Incomplete testing"]
    assert "1 cause behind past incidents has no practice article yet" in page


def test_insights_count_action_items_followed_through(kb: KnowledgeBase) -> None:
    today = date(2031, 3, 1)  # after the pilot-stores item's due date
    page = html(pages.insights(kb, today=today))
    everything, done = kb.action_items(), kb.action_items(status="done")
    overdue = kb.action_items(overdue=True, today=today)
    assert (f"{len(done)} of {len(everything)} action items are done "
            f"({100 * len(done) // len(everything)}%); {len(everything) - len(done)} are open, "
            f"{len(overdue)} of them overdue") in page
    assert len(overdue) == 1  # the contactless pilot-stores item, due 2031-01-31
    assert re.search(r"<td>2024</td>\s*<td>2</td>\s*<td>1</td>\s*<td>1</td>\s*<td>1</td>", page)


def test_feed_lists_post_mortems_newest_first(kb: KnowledgeBase) -> None:
    xml = atom(kb.postmortems, title="Lessons", site_url="https://kb.example.org/",
               url_of=lambda d: f"postmortems/{d.id}/")
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = ET.fromstring(xml).findall("a:entry", ns)
    links = [e.find("a:link", ns).get("href") for e in entries]  # type: ignore[union-attr]
    assert links[0] == f"https://kb.example.org/postmortems/{CONTACTLESS}/"
    assert len(entries) == 4


def test_content_text_cannot_add_markup_to_generated_pages(content_dir: Path) -> None:
    evil = content_dir / "postmortems" / "2024-05-01-evil.md"
    evil.write_text(
        "---\ntitle: \"<script>alert(1)</script> [click](javascript:alert(2)) *bold*\"\n"
        "date: 2024-05-01\nservices: ['<img src=x onerror=alert(3)>']\n---\n\n## Summary\n\nx\n",
        encoding="utf-8")
    kb = lessons.load(content_dir)
    for text in pages.generated_pages(kb, today=date(2026, 11, 26)).values():
        rendered = html(text)
        assert "<script>alert" not in rendered
        assert "<img src=x" not in rendered and 'href="javascript:' not in rendered
    assert "&lt;script&gt;" in html(pages.incidents(kb))


def test_a_long_cause_title_does_not_hang_the_cause_chart(kb: KnowledgeBase) -> None:
    # pygal loops forever when the axis labels leave no room for the axis title; a cause
    # title of about 110 characters did that, and every build hung on the insights page.
    import threading

    from lessons.mkdocs import charts

    title = "A cause whose title goes on " + "and on " * 60
    drawn: list[str] = []
    worker = threading.Thread(target=lambda: drawn.append(charts.by_cause(kb.postmortems, lambda c: title)),
                              daemon=True)
    worker.start()
    worker.join(timeout=60)  # a generous bound: drawing takes milliseconds
    assert drawn, "drawing the chart did not finish"
    assert "A cause whose title goes on" in drawn[0] and title.strip() in drawn[0]  # the whole title in a tooltip


# Every extension a site might switch on that gives characters a meaning, plus the ones
# the pages need; smarty, emoji and magiclink only change how plain text looks.
EXTENSIONS = [*pages.MARKDOWN_EXTENSIONS, "def_list", "footnotes", "abbr", "admonition", "pymdownx.details",
              "pymdownx.tilde", "pymdownx.caret", "pymdownx.mark", "pymdownx.arithmatex", "pymdownx.betterem",
              "pymdownx.inlinehilite", "pymdownx.keys", "pymdownx.critic", "pymdownx.superfences",
              "pymdownx.tasklist", "pymdownx.snippets"]
CONTEXTS = {
    "paragraph": ("{}", r"<p>(.*)</p>"),
    "heading": ("# {}", r"<h1[^>]*>(.*)</h1>"),
    "table cell": ("| a | b |\n|---|---|\n| x | {} |", r"<td>x</td>\s*<td>(.*)</td>"),
    "link text": ("- [{}](x.md)", r'<li><a href="x.md">(.*)</a></li>'),
}


@given(text=st.text(max_size=60) | st.lists(st.sampled_from(
    ["<", ">", "&", "&amp;", "\\", "`", "*", "_", "{", "}", "[", "]", "(", ")", "#", "+", "-", "!", "|", "~",
     "^", "=", "$", ":", "?", "/", ".", "1.", "%", "'", '"', " ", "\n", "\x02", "\x03", "wzxhzdk:0", "javascript:",
     "<script>", "<img src=x onerror=alert(1)>", "--8<--", "[TOC]", "{: .x }", "{#id}", "*[x]:", "[^1]"]),
    max_size=12).map("".join))
@settings(max_examples=300, deadline=None)
def test_escaped_text_reads_as_itself_in_every_context(text: str) -> None:
    expected = " ".join(re.sub(r"[\x00-\x08\x0e-\x1b\x7f]", "", text).split())
    for context, (template, pattern) in CONTEXTS.items():
        rendered = markdown.markdown(template.format(pages.escape(text)), extensions=EXTENSIONS).strip()
        if not expected and context in ("paragraph", "heading"):
            continue
        found = re.fullmatch(rf"(?:.*?){pattern}(?:.*)", rendered, re.S)
        assert found, (context, text, rendered)
        assert "<" not in found.group(1), (context, text, rendered)  # no element of any kind
        assert html_module.unescape(found.group(1)).strip() == expected, (context, text, rendered)


def test_browse_summary_shows_a_facet_value_once_escaped(content_dir: Path) -> None:
    post = content_dir / "postmortems" / "2024-05-02-ampersand.md"
    post.write_text("---\ntitle: Ampersand\ndate: 2024-05-02\nservices: ['R&D <tools>']\n---\n\n"
                    "## Summary\n\nx\n", encoding="utf-8")
    page = html(pages.browse(lessons.load(content_dir), "service"))
    summary = page[page.index("<p>"):page.index("</p>")]
    assert ">R&amp;D &lt;tools&gt;</a> (1)" in summary
    assert "&amp;amp;" not in page and "&amp;lt;" not in page


@pytest.mark.parametrize(("url", "href", "text"), [
    # Shown by host and path (in words), so two sources on one site stay apart.
    ("https://www.example.org/status", "https://www.example.org/status", "example.org/status"),
    ("HTTPS://example.org/a b(c)<d>\"e`f\\g", "HTTPS://example.org/a%20b%28c%29%3Cd%3E%22e%60f%5Cg",
     "example.org/a b c d e f g"),
    ("https://example.org/\"><img src=x onerror=alert(1)>",
     "https://example.org/%22%3E%3Cimg%20src=x%20onerror=alert%281%29%3E", "example.org/ img src x onerror alert 1"),
    ("https://example.org/already%20encoded?q=1&r=2#top", "https://example.org/already%20encoded?q=1&amp;r=2#top",
     "example.org/already encoded"),
    ("mailto:ops@example.org", "mailto:ops@example.org", "ops@example.org"),
    (" mailto:ops@example.org\"><b>x", "mailto:ops@example.org%22%3E%3Cb%3Ex", "ops@example.org\"><b>x"),
    ("javascript:alert(1)", None, "javascript:alert(1)"),
    (" JAVASCRIPT:alert(1)", None, "JAVASCRIPT:alert(1)"),
    ("data:text/html,<script>alert(1)</script>", None, "data:text/html,<script>alert(1)</script>"),
    ("vbscript:msgbox", None, "vbscript:msgbox"),
    ("//example.org/x", None, "//example.org/x"),
    ("http:/example.org", None, "http:/example.org"),
    ("ftp://example.org/file", None, "ftp://example.org/file"),
])
def test_only_web_and_mail_sources_become_links(kb: KnowledgeBase, url: str, href: str | None,
                                                 text: str) -> None:
    from lessons.model import Document, Kind

    doc = Document(id="x", title="X", kind=Kind.POSTMORTEM, path=Path("x.md"), sources=[url])
    card = html(pages.card(doc, kb))
    sources = card[card.index("<dt>Sources</dt>"):]
    sources = sources[:sources.index("</dd>")]
    assert "<img" not in sources and "<b>" not in sources and "<script" not in sources
    anchors = [(target, html_module.unescape(shown))
               for target, shown in re.findall(r'<a href="([^"]*)">(.*?)</a>', sources)]
    if href is None:
        assert "<a" not in sources and text in html_module.unescape(sources)
    else:
        assert anchors == [(href, text)], sources


def test_feed_stays_well_formed_xml_whatever_the_fields_hold(kb: KnowledgeBase) -> None:
    from lessons.model import Document, Kind

    hostile = "a\x02b\x0bc\ufffe <script>alert('F1')</script> & \"q\""
    doc = Document(id=hostile, title=hostile, kind=Kind.POSTMORTEM, path=Path("x.md"), date=date(2024, 5, 1),
                   organization=hostile, causes=[hostile], summary=hostile)
    xml = atom([doc], title="Lessons", url_of=lambda d: 'postmortems/a"<b>/')
    entry = ET.fromstring(xml).find("{http://www.w3.org/2005/Atom}entry")
    assert entry is not None
    assert entry.findtext("{http://www.w3.org/2005/Atom}title") == "abc <script>alert('F1')</script> & \"q\""
    assert entry.find("{http://www.w3.org/2005/Atom}category").get("term") == "abc <script>alert('F1')</script> & \"q\""  # type: ignore[union-attr]
    assert "<script>" not in xml


def test_a_summary_without_spaces_is_cut_too(content_dir: Path) -> None:
    # A summary that is one long token (a pasted URL or log line) was shown whole.
    token = "https://status.example.org/incidents/" + "x" * 400
    post = content_dir / "postmortems" / "2024-05-03-token.md"
    post.write_text(f"---\ntitle: Token\ndate: 2024-05-03\nsummary: {token}\n---\n\n## Summary\n\nx\n",
                    encoding="utf-8")
    home = pages.home(lessons.load(content_dir), today=date(2026, 11, 26))
    line = next(line for line in home.splitlines() if "status.example.org" in line)
    assert line.strip().endswith("…") and len(html_module.unescape(line.strip())) <= 201


def test_generated_table_cells_carry_their_column_names_for_phone_cards(kb: KnowledgeBase) -> None:
    from lessons.mkdocs.style import label_table_cells

    page = label_table_cells(html(pages.incidents(kb)))
    first_row = re.findall(r"<tr>.*?</tr>", page, re.S)[1]
    assert re.findall(r'data-label="([^"]*)"', first_row) == ["Date", "Incident", "Severity", "Causes", "Duration"]
