"""Write the whole docs tree, content plus generated pages, for any MkDocs-compatible builder.

MkDocs 1.x is no longer released and Zensical, Material's successor, reads
``mkdocs.yml`` but runs no third-party plugins. `export` therefore writes what
the plugin would add as plain files: each document's page with its card, related
incidents and practices, the generated index pages, the feed and the stylesheet,
next to a ``mkdocs.yml`` that needs no plugin::

    lessons.mkdocs.export.export(lessons.load("content"), Path("out"))
    # then: mkdocs build -f out/mkdocs.yml   (or zensical build)

Raw HTML in content cannot be cleaned after rendering without the plugin, so
`export` refuses content that `lessons check` finds unsafe (like every other error);
the front matter it keeps is made inert (`sanitize.inert_meta`), as the plugin does.
"""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

from . import pages
from .feed import atom
from .sanitize import inert_meta
from .site import Site
from .style import STYLESHEET

DOCS = "docs"


def export(content: str | Path, dest: str | Path, *, today: date | None = None,
           site_name: str = "Lessons learned", site_url: str | None = None) -> list[Path]:
    """Write ``dest/mkdocs.yml`` and ``dest/docs/…``; return the files written.

    Raises:
        ContentInvalid: the content has errors (file:line in the message).
    """
    site = Site.load(content, today=today, title=site_name, search_url="./")
    docs = Path(dest) / DOCS
    if docs.exists():
        shutil.rmtree(docs)
    written: list[Path] = []

    def write(uri: str, text: str) -> None:
        path = docs / uri
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)

    root = site.kb.root
    for source in sorted(root.rglob("*")):
        relative = source.relative_to(root)
        if source.is_dir() or any(part.startswith(".") for part in relative.parts):
            continue
        uri = relative.as_posix()
        doc = site.by_uri.get(uri)
        if doc is None:
            target = docs / uri
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
            written.append(target)
            continue
        front, body = _split(source.read_text(encoding="utf-8"))
        write(uri, _inert_front(front) + pages.document_page(doc, site.kb, body))
    has_home = (root / pages.HOME).is_file()
    for uri, text in site.generated(with_home=not has_home).items():
        write(uri, text)
    url_of = {doc.id: pages.page_url(uri) for uri, doc in site.by_uri.items()}
    write(pages.FEED, atom(site.kb.postmortems, title=site_name, site_url=site_url,
                           url_of=lambda d: url_of[d.id]))
    write(pages.STYLESHEET, STYLESHEET)
    config = Path(dest) / "mkdocs.yml"
    config.write_text(_config(site_name, site.nav([])), encoding="utf-8")
    written.append(config)
    return written


def _split(text: str) -> tuple[str, str]:
    """The front matter block (kept: builders read ``title`` from it) and the body."""
    if text.startswith("---"):
        end = text.find("\n---", 3)
        if end != -1:
            stop = text.find("\n", end + 4)
            stop = len(text) if stop == -1 else stop + 1
            return text[:stop], text[stop:]
    return "", text


def _inert_front(front: str) -> str:
    """The front matter as the builder may see it: themes print it unescaped (`inert_meta`)."""
    import yaml

    if not front:
        return ""
    try:
        meta = yaml.safe_load(front.strip().removeprefix("---").removesuffix("---"))
    except yaml.YAMLError:  # the page then takes its title from the H1 `document_page` writes
        return ""
    if not isinstance(meta, dict):
        return ""
    dumped = yaml.safe_dump(inert_meta(meta), allow_unicode=True, sort_keys=False, width=10_000)
    return f"---\n{dumped}---\n"


def _config(site_name: str, nav: list[object]) -> str:
    lines = [
        f"site_name: {json.dumps(site_name)}",
        f"docs_dir: {DOCS}",
        "theme:", "  name: material", "  font: false",
        f"extra_css: [{pages.STYLESHEET}]",
        "markdown_extensions: [tables, admonition, attr_list, md_in_html, {toc: {permalink: true}},"
        " pymdownx.superfences, {pymdownx.tasklist: {custom_checkbox: true}}]",
        "exclude_docs: |", "  taxonomy.yml",
        f"nav: {json.dumps(nav, ensure_ascii=False)}",
        "",
    ]
    return "\n".join(lines)
