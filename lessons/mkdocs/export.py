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

import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ..errors import LessonsError
from . import pages
from .feed import atom
from .sanitize import inert_meta
from .search import INDEX, SCRIPT, STYLE, asset_text, compile_index, script
from .site import Site
from .style import STYLESHEET

DOCS = "docs"
LEFT_OUT = ("docs_dir", "site_dir", "nav", "plugins", "exclude_docs", "INHERIT")
"""Keys of the user's configuration the export writes itself."""


def export(content: str | Path, dest: str | Path, *, today: date | None = None,
           site_name: str = "Lessons learned", site_url: str | None = None, search: bool = True,
           strict: bool = True, base: dict[str, Any] | None = None) -> list[Path]:
    """Write ``dest/mkdocs.yml`` and ``dest/docs/…``; return the files written.

    Args:
        search: add lessons' site search (its index, script and stylesheet) and switch
            the builder's own search off.
        strict: refuse content with errors; else export it as the plugin's lenient build does.
        base: the user's configuration (a loaded ``mkdocs.yml``): its theme, extensions and
            extras are kept; ``docs_dir``, ``site_dir``, ``nav`` and ``plugins`` are the export's.

    Raises:
        ContentInvalid: the content has errors (file:line in the message).
    """
    site = export_site(content, today=today, site_name=site_name, strict=strict)
    return write_export(site, dest, site_url=site_url, search=search, base=base)


def export_site(content: str | Path, *, today: date | None = None, site_name: str = "Lessons learned",
                strict: bool = True) -> Site:
    """The `Site` an export writes (its `errors` are what a lenient export went on with)."""
    return Site.load(content, today=today, title=site_name, search_url="./", strict=strict)


def write_export(site: Site, dest: str | Path, *, site_url: str | None = None, search: bool = True,
                 base: dict[str, Any] | None = None) -> list[Path]:
    """Write a loaded `Site` as a docs tree and its ``mkdocs.yml`` (see `export`)."""
    site_name = site.title
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
    if search:
        write(INDEX, compile_index(site.kb, url_of=lambda d: url_of[d.id]))
        write(SCRIPT, script())
        write(STYLE, asset_text("search.css"))
    config = Path(dest) / "mkdocs.yml"
    config.write_text(_config(site_name, site.nav([]), search=search, base=base), encoding="utf-8")
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


def _config(site_name: str, nav: list[object], *, search: bool, base: dict[str, Any] | None) -> str:
    import yaml

    config: dict[str, Any] = {
        "site_name": site_name,
        "theme": {"name": "material", "font": False},
        "markdown_extensions": ["tables", "admonition", "attr_list", "md_in_html", {"toc": {"permalink": True}},
                                "pymdownx.superfences", {"pymdownx.tasklist": {"custom_checkbox": True}}],
    }
    config.update({k: v for k, v in (base or {}).items() if k not in LEFT_OUT})
    extensions = config.get("markdown_extensions") or []
    names = {next(iter(e)) if isinstance(e, dict) else e for e in extensions}
    config["markdown_extensions"] = [*extensions, *(e for e in pages.MARKDOWN_EXTENSIONS if e not in names)]
    css = [c for c in config.get("extra_css") or [] if c not in (pages.STYLESHEET, STYLE)]
    config["extra_css"] = [pages.STYLESHEET, *css, *([STYLE] if search else [])]
    if search:
        scripts = [s for s in config.get("extra_javascript") or [] if s != SCRIPT]
        config["extra_javascript"] = [*scripts, SCRIPT]
        # The builder's own search would be a second box that forgives no typos.
        config["plugins"] = {"search": {"enabled": False}}
    config.update({"docs_dir": DOCS, "exclude_docs": "taxonomy.yml\n", "nav": nav})
    return yaml.dump(config, Dumper=_dumper(), allow_unicode=True, sort_keys=False, width=10_000)


@dataclass(frozen=True, slots=True)
class Tagged:
    """A value the configuration gives a YAML tag (``!!python/name:…``, ``!ENV``): kept as written."""

    tag: str
    value: Any


def read_config(path: Path) -> dict[str, Any]:
    """A ``mkdocs.yml`` as data, its tagged values kept as `Tagged` (never constructed).

    Raises:
        LessonsError: the file is not YAML, or not a mapping.
    """
    import yaml

    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_loader())  # a SafeLoader: see _loader
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise LessonsError(f"{path}: cannot be read as YAML: {exc}") from None
    if not isinstance(data, dict):
        raise LessonsError(f"{path}: expected a mapping of settings")
    return data


def _loader() -> Any:
    import yaml

    class Loader(yaml.SafeLoader):
        """The safe loader; any tag it does not know becomes a `Tagged` value, run by nothing."""

    def tagged(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Tagged:
        if isinstance(node, yaml.MappingNode):
            return Tagged(node.tag, loader.construct_mapping(node, deep=True))
        if isinstance(node, yaml.SequenceNode):
            return Tagged(node.tag, loader.construct_sequence(node, deep=True))
        return Tagged(node.tag, loader.construct_scalar(node))  # type: ignore[arg-type]

    Loader.add_multi_constructor("!", tagged)
    Loader.add_multi_constructor("tag:yaml.org,2002:python/", tagged)
    return Loader


def _dumper() -> Any:
    import yaml

    class Dumper(yaml.SafeDumper):
        """The safe dumper, writing `Tagged` values back with their tags."""

    def represent(dumper: yaml.SafeDumper, data: Tagged) -> yaml.Node:
        if isinstance(data.value, dict):
            return dumper.represent_mapping(data.tag, data.value)
        if isinstance(data.value, list):
            return dumper.represent_sequence(data.tag, data.value)
        return dumper.represent_scalar(data.tag, str(data.value))

    Dumper.add_representer(Tagged, represent)
    return Dumper
