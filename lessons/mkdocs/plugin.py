"""The ``lessons`` MkDocs plugin: routes MkDocs events to `Site` and `pages`.

```yaml
plugins:
  - lessons:
      check: true        # content errors fail the build (default)
      today: 2024-06-01  # judge overdue items against this day (default: today)
      search: true       # lessons' own site search, in place of the `search` plugin (default)
```
"""

from __future__ import annotations

import html
import logging
import os
from datetime import date
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from ..model import Kind
from . import pages
from .extra import missing_site_extra
from .feed import atom
from .marker import write_marker
from .search import site_search_files, uses_site_search
from .sanitize import clean_generated_html, clean_html, inert_meta, safe_title
from .site import ContentInvalid, Site, content_error_lines
from .style import STYLESHEET

log = logging.getLogger("mkdocs.plugins.lessons")


class ContentError(PluginError):
    """The content has errors at error level; the message lists them as file:line."""


class LessonsConfig(base.Config):  # type: ignore[no-untyped-call]
    check = c.Type(bool, default=True)
    """Fail the build when `lessons check` finds errors in the content."""
    today = c.Optional(c.Type((str, date)))  # YAML reads 2024-06-01 as a date
    """ISO date that "overdue" is measured against; default: the day of the build."""
    nav = c.Type(bool, default=True)
    """Provide the navigation when ``mkdocs.yml`` has no ``nav``."""
    sanitize = c.Type(bool, default=True)
    """Clean the HTML of every page with nh3."""
    search = c.Type(bool, default=True)
    """Search the site as `lessons search` does (its index loads when the box is first used)."""


class LessonsPlugin(BasePlugin[LessonsConfig]):  # type: ignore[no-untyped-call]
    """Adds the knowledge base's generated pages and per-document sections to a build."""

    supports_multiple_instances = False

    def __init__(self) -> None:
        self.site: Site | None = None
        self.generated: set[str] = set()
        self.user_nav = False
        self.content_error: ContentError | None = None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        missing = missing_site_extra("the lessons MkDocs plugin")
        if missing:
            raise PluginError(missing)
        for name in pages.MARKDOWN_EXTENSIONS:
            if name not in config.markdown_extensions:
                config.markdown_extensions.append(name)
        if pages.STYLESHEET not in config.extra_css:
            config.extra_css.append(pages.STYLESHEET)
        self.user_nav = config.nav is not None
        if self.config.search:
            uses_site_search(config, log)
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        try:
            value = self.config.today
            today = date.fromisoformat(value) if isinstance(value, str) else (
                value if isinstance(value, date) else None)
        except ValueError:
            raise PluginError(
                f"lessons: `today: {self.config.today}` is not a date (YYYY-MM-DD)") from None
        try:
            self.site = Site.load(config.docs_dir, today=today, check=self.config.check,
                                  strict=bool(config.strict), title=config.site_name,
                                  search_url="./" if self.config.search else _search_url(config))
        except ContentInvalid as exc:
            self.content_error = ContentError(f"lessons: {exc}")
            raise self.content_error from None
        for line in content_error_lines(self.site.errors, self.site.kb.root):
            # A lenient build goes on and lists them, as MkDocs does its own warnings;
            # `--strict` refuses the content instead (ContentInvalid above).
            log.warning("lessons: %s", line)
        if self.site.warnings:
            log.info("lessons: %d content warnings (run `lessons check` to see them)",
                     len(self.site.warnings))
        self._clean_addresses(files, config)
        has_home = files.get_file_from_path(pages.HOME) is not None
        generated = self.site.generated(with_home=not has_home)
        generated[pages.FEED] = self._feed(config, files)
        generated[pages.STYLESHEET] = STYLESHEET
        if self.config.search:
            generated.update(site_search_files(self.site.kb, files, config))
        for uri, content in generated.items():
            if files.get_file_from_path(uri) is not None:
                raise PluginError(f"lessons: {config.docs_dir}/{uri} has the name of a page the "
                                  "lessons plugin generates; rename it")
            files.append(File.generated(config, uri, content=content))
        self.generated = set(generated)
        if self.config.nav and not self.user_nav:
            known = set(self.site.by_uri) | self.generated
            extra = [f.src_uri for f in files.documentation_pages()
                     if f.src_uri not in known and f.src_uri != pages.HOME]
            config.nav = self.site.nav(sorted(extra))
            # Post-mortems are reached from the incident lists, not a thousand-entry menu.
            for post in files.documentation_pages():
                doc = self.site.by_uri.get(post.src_uri)
                if doc is not None and doc.kind is Kind.POSTMORTEM:
                    post.inclusion = InclusionLevel.NOT_IN_NAV
        return files

    def _clean_addresses(self, files: Files, config: MkDocsConfig) -> None:
        """Give documents whose file names are unfit for an address a clean one.

        A page's address is printed into links and attributes by the theme; a file
        name with spaces, capitals, quotes or angle brackets gets a lower-case,
        hyphenated address instead (the file keeps its name, and links written to
        the file name keep working: MkDocs resolves them to the page's address).
        """
        assert self.site is not None
        taken = {f.dest_uri for f in files}
        for uri in sorted(self.site.by_uri):
            file = files.get_file_from_path(uri)
            clean = pages.clean_address(uri)
            if file is None or clean is None:
                continue
            stem, number = clean.removesuffix(".md"), 1
            while True:
                candidate = File(f"{stem}.md" if number == 1 else f"{stem}-{number}.md", config.docs_dir,
                                 config.site_dir, config.use_directory_urls)
                if candidate.dest_uri not in taken:
                    break
                number += 1
            taken.discard(file.dest_uri)
            file.dest_uri = candidate.dest_uri
            file.url = candidate.url
            file.abs_dest_path = candidate.abs_dest_path
            taken.add(file.dest_uri)

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig,
                         files: Files) -> str:
        assert self.site is not None
        uri = page.file.src_uri
        decorated = self.site.page_markdown(uri, markdown)
        if decorated is None:
            return markdown
        page.meta = inert_meta(page.meta)  # themes print front matter unescaped
        return decorated

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        if page.file.src_uri in self.generated:
            # Built from escaped text only; cleaned all the same, keeping the form and charts.
            return clean_generated_html(html) if self.config.sanitize else html
        # Themes print titles unescaped: a heading or front-matter title must not add markup.
        if page.title:
            page.meta["title"] = safe_title(page.title)
        for item in _walk(page.toc):
            item.title = safe_title(item.title)
        return clean_html(html) if self.config.sanitize else html

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        href = html.escape(get_relative_url(pages.FEED, page.url or "."))  # page.url is MkDocs' to set
        link = f'<link rel="alternate" type="application/atom+xml" title="Post-mortems" href="{href}">'
        return output.replace("</head>", f"{link}\n</head>", 1)

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        # The sign `lessons build` looks for: a builder that skips plugins (Zensical) leaves none.
        write_marker(config.site_dir, "the lessons MkDocs plugin")

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        """Watch the content but not the index cache inside it.

        The index (``.lessons/`` in the content folder) is rewritten by every build that
        follows an edit; watching it would rebuild the site a second time for nothing.
        """
        docs = os.path.abspath(config.docs_dir)
        hidden = [entry for entry in os.scandir(docs) if entry.name.startswith(".") and entry.is_dir()]
        if not hidden:
            return server
        try:
            server.unwatch(docs)
        except KeyError:  # something else already changed how docs_dir is watched
            return server
        server.watch(docs, recursive=False)  # the files at the top (index.md, taxonomy.yml …)
        for entry in os.scandir(docs):
            if entry.is_dir() and not entry.name.startswith("."):
                server.watch(entry.path)
        return server

    def _feed(self, config: MkDocsConfig, files: Files) -> str:
        assert self.site is not None
        directory_urls = config.use_directory_urls
        url_of = {doc.id: (found.url if (found := files.get_file_from_path(uri)) else
                           pages.page_url(uri, directory_urls=directory_urls)) for uri, doc in self.site.by_uri.items()}
        return atom(self.site.kb.postmortems, title=config.site_name, site_url=config.site_url,
                    url_of=lambda doc: url_of[doc.id])


def _search_url(config: MkDocsConfig) -> str | None:
    # A theme with a search results page (readthedocs) takes ``search.html?q=``;
    # Material opens its search dialog from ``?q=`` on any page; MkDocs' own theme only
    # searches in a dialog opened from its header, so the home page points there.
    from pathlib import Path

    if any((Path(folder) / "search.html").is_file() for folder in config.theme.dirs):
        return "search.html"
    return "./" if config.theme.name == "material" else None


def _walk(items: Any) -> Any:
    for item in items:
        yield item
        yield from _walk(item.children)
