"""The site's pages as plain Markdown, written from a `KnowledgeBase`.

Every function here returns a Markdown string and knows nothing about MkDocs, so
the same pages can be injected by the plugin, written to a folder by `export`,
or tested without a build. Links are relative Markdown links between source
files (``../browse/causes.md#incomplete-testing``), which any MkDocs-compatible
builder turns into URLs and checks.

The pages are written by four modules, and this one gathers them:

- `markup`: addresses, links and escaped text, the pieces of every page;
- `document`: the card, related incidents and practices on a document's page;
- `listings`: home, all incidents, incidents by facet, practices;
- `insights`: open action items, and insights with charts.

The Markdown needs the ``tables``, ``attr_list``, ``md_in_html`` and ``toc``
extensions (`MARKDOWN_EXTENSIONS`); the plugin switches them on.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from ..kb import KnowledgeBase
from .document import RELATED_LIMIT, addressed_incidents, card, document_page, practices_section, related_incidents
from .insights import action_items, insights
from .listings import LATEST_LIMIT, browse, home, incidents, practices
from .markup import (ACTION_ITEMS, BROWSE, FEED, HOME, INCIDENTS, INSIGHTS, MARKDOWN_EXTENSIONS, PRACTICES,
                     SEVERITY_NAMES, STYLESHEET, anchor, clean_address, escape, link, page_url, severity_label,
                     source_uri)

__all__ = [
    "ACTION_ITEMS", "BROWSE", "FEED", "HOME", "INCIDENTS", "INSIGHTS", "LATEST_LIMIT", "MARKDOWN_EXTENSIONS",
    "PRACTICES", "RELATED_LIMIT", "SEVERITY_NAMES", "STYLESHEET", "action_items", "addressed_incidents",
    "anchor", "browse", "card", "clean_address", "document_page", "escape", "generated_pages", "home",
    "incidents", "insights", "link", "nav", "page_url", "practices", "practices_section", "related_incidents",
    "severity_label", "source_uri",
]


def generated_pages(kb: KnowledgeBase, *, today: date | None = None, search_url: str | None = "search.html",
                    title: str = "Lessons learned", with_home: bool = True,
                    url_of: dict[str, str] | None = None) -> dict[str, str]:
    """Every generated Markdown page, by its path in the docs tree (`url_of`: see `insights`)."""
    pages = {INCIDENTS: incidents(kb), PRACTICES: practices(kb),
             ACTION_ITEMS: action_items(kb, today=today),
             INSIGHTS: insights(kb, today=today, url_of=url_of)}
    if with_home:
        pages[HOME] = home(kb, today=today, search_url=search_url, title=title)
    for facet, uri in BROWSE.items():
        pages[uri] = browse(kb, facet)
    return pages


def nav(kb: KnowledgeBase, *, extra: Iterable[str] = ()) -> list[object]:
    """A navigation for ``mkdocs.yml``: the generated pages, the post-mortems by year, the practices.

    Post-mortems sit in one section per year, newest first: a thousand incidents make
    a few dozen short sections, and every post-mortem gets the theme's highlighted tab,
    breadcrumbs, previous/next links and (on a phone) its table of contents.
    """
    articles = sorted(kb.practices, key=lambda d: d.title.lower())
    return [
        {"Home": HOME},
        {"Incidents": [{"All incidents": INCIDENTS},
                       *({f"By {facet}": uri} for facet, uri in BROWSE.items()),
                       *_by_year(kb)]},
        {"Practices": [{"All practices": PRACTICES},
                       *({p.title: source_uri(p, kb)} for p in articles)]},
        {"Action items": ACTION_ITEMS},
        {"Insights": INSIGHTS},
        *extra,
    ]


def _by_year(kb: KnowledgeBase) -> list[dict[str, list[dict[str, str]]]]:
    """``{"2024": [{title: uri}, …]}`` for each year, newest first; undated ones last."""
    years: dict[str, list[dict[str, str]]] = {}
    for doc in kb.postmortems:  # newest first already
        years.setdefault(str(doc.date.year) if doc.date else "Undated", []).append(
            {doc.title: source_uri(doc, kb)})
    dated = sorted((year for year in years if year != "Undated"), reverse=True)
    return [{year: years[year]} for year in [*dated, *(["Undated"] if "Undated" in years else [])]]
