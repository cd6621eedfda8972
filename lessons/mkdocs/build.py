"""Building and serving the site for ``lessons build`` and ``lessons serve``.

With a ``mkdocs.yml`` the site is built as MkDocs would build it. Without one,
a default configuration is used: Material theme, search and the ``lessons``
plugin on the content folder.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import LessonsError
from ..store.discover import find_content

CONFIG_NAME = "mkdocs.yml"


class BuildFailed(LessonsError):
    """The site could not be built; `findings` is True when the content is at fault."""

    def __init__(self, message: str, *, findings: bool = False) -> None:
        super().__init__(message)
        self.findings = findings


def default_config(content: Path, site_dir: Path) -> str:
    """A ``mkdocs.yml`` for a content folder that has none."""
    import json

    return "\n".join([
        "site_name: Lessons learned",
        f"docs_dir: {json.dumps(str(content.resolve()))}",
        f"site_dir: {json.dumps(str(site_dir.resolve()))}",
        "theme:", "  name: material", "  font: false",
        "  features: [navigation.tabs, navigation.top, content.code.copy]",
        "plugins: [lessons]",
        "markdown_extensions: [tables, admonition, attr_list, md_in_html, {toc: {permalink: true}},"
        " pymdownx.superfences, {pymdownx.tasklist: {custom_checkbox: true}}]",
        "",
    ])


@contextmanager
def config_file(config: Path | None, content: Path | None, site_dir: Path | None) -> Iterator[Path]:
    """The ``mkdocs.yml`` to use: the one given, the one here, or a default written to a temp dir."""
    if config is not None:
        if not config.is_file():
            raise BuildFailed(f"{config}: no such configuration file")
        yield config
        return
    if content is None and Path(CONFIG_NAME).is_file():
        yield Path(CONFIG_NAME)
        return
    folder = content if content is not None else find_content()
    if not folder.is_dir():
        raise BuildFailed(f"{folder} is not a folder")
    with tempfile.TemporaryDirectory(prefix="lessons-site-") as tmp:
        path = Path(tmp) / CONFIG_NAME
        path.write_text(default_config(folder, site_dir or Path("site")), encoding="utf-8")
        yield path


@dataclass(frozen=True, slots=True)
class BuiltSite:
    """Where a build wrote the site, and what it went on with."""

    site_dir: Path
    content_errors: int
    """Content errors a lenient build listed and built anyway (0 for a strict build)."""


def build_site(config: Path | None = None, *, content: Path | None = None,
               site_dir: Path | None = None, strict: bool = False) -> BuiltSite:
    """Build the site.

    Args:
        strict: refuse content with errors and fail on MkDocs' warnings (broken links);
            else build, listing the content's errors as warnings.

    Raises:
        BuildFailed: a strict build met content errors (``findings``), or MkDocs could not build.
    """
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    _show_mkdocs_log()
    overrides: dict[str, Any] = {"strict": strict}
    if site_dir is not None:
        overrides["site_dir"] = str(site_dir.resolve())
    with config_file(config, content, site_dir) as path, _mkdocs_errors():
        cfg = load_config(config_file=str(path), **overrides)
        try:
            build(cfg)
        except SystemExit:
            # MkDocs logs a plugin's error and aborts; say whether the content was at fault.
            plugin = cfg.plugins.get("lessons")
            problem = getattr(plugin, "content_error", None)
            if problem is not None:
                raise BuildFailed(str(problem), findings=True) from None
            raise
        site = getattr(cfg.plugins.get("lessons"), "site", None)
        return BuiltSite(Path(cfg.site_dir), len(site.errors) if site is not None else 0)


def serve_site(config: Path | None = None, *, content: Path | None = None,
               dev_addr: str = "127.0.0.1:8000", open_browser: bool = False) -> None:
    """Serve the site with live reload until interrupted."""
    from mkdocs.commands.serve import serve

    _show_mkdocs_log()
    with config_file(config, content, None) as path, _mkdocs_errors():
        serve(config_file=str(path), dev_addr=dev_addr, open_in_browser=open_browser)


@contextmanager
def _mkdocs_errors() -> Iterator[None]:
    from mkdocs.exceptions import MkDocsException

    from .plugin import ContentError

    try:
        yield
    except ContentError as exc:
        raise BuildFailed(str(exc), findings=True) from None
    except MkDocsException as exc:
        raise BuildFailed(f"the site could not be built: {exc}") from None


def _show_mkdocs_log() -> None:
    logger = logging.getLogger("mkdocs")
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
