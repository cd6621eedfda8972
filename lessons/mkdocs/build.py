"""Building and serving the site for ``lessons build`` and ``lessons serve``.

With a ``mkdocs.yml`` the site is built as MkDocs would build it. Without one,
a default configuration is used: Material theme and the ``lessons`` plugin (with
its search) on the content folder.

Two builders: MkDocs runs the plugin; Zensical, which reads ``mkdocs.yml`` but runs
no plugin, builds the docs tree `export.export` writes (the same pages) with the
user's theme and extensions. Both leave `MARKER` in the site; a site folder that
lacks it was built by something that skipped the plugin, and `lessons build` says so.
"""

from __future__ import annotations

import json
import logging
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ..errors import LessonsError
from ..store.discover import find_content
from .export import export_site, read_config, write_export
from .extra import detect_builder, zensical_command
from .marker import built_without_plugin, write_marker
from .site import ContentInvalid, content_error_lines

CONFIG_NAME = "mkdocs.yml"
BUILDERS = ("mkdocs", "zensical")
__all__ = ["BUILDERS", "BuildFailed", "BuiltSite", "build_site", "built_without_plugin", "detect_builder",
           "serve_site"]


class BuildFailed(LessonsError):
    """The site could not be built; `findings` is True when the content is at fault."""

    def __init__(self, message: str, *, findings: bool = False) -> None:
        super().__init__(message)
        self.findings = findings


def default_config(content: Path, site_dir: Path) -> str:
    """A ``mkdocs.yml`` for a content folder that has none."""
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
    builder: str = "mkdocs"


def build_site(config: Path | None = None, *, content: Path | None = None,
               site_dir: Path | None = None, strict: bool = False, builder: str | None = None) -> BuiltSite:
    """Build the site.

    Args:
        strict: refuse content with errors and fail on MkDocs' warnings (broken links);
            else build, listing the content's errors as warnings.
        builder: ``mkdocs`` or ``zensical``; None picks one from what is installed.

    Raises:
        BuildFailed: a strict build met content errors (``findings``), the builder could
            not build, or the plugin is listed but did not run.
    """
    builder = builder or detect_builder()
    if builder not in BUILDERS:
        raise BuildFailed(f"unknown builder {builder!r}: choose {' or '.join(BUILDERS)}")
    with config_file(config, content, site_dir) as path:
        if builder == "zensical":
            return _build_with_zensical(path, site_dir, strict=strict)
        return _build_with_mkdocs(path, site_dir, strict=strict)


def _build_with_mkdocs(path: Path, site_dir: Path | None, *, strict: bool) -> BuiltSite:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    _show_mkdocs_log()
    overrides: dict[str, Any] = {"strict": strict}
    if site_dir is not None:
        overrides["site_dir"] = str(site_dir.resolve())
    with _mkdocs_errors():
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
        if site is None:
            raise BuildFailed(f"{path} does not list the lessons plugin (or disables it), so the site has "
                              "none of lessons' pages: add `- lessons` under `plugins:`")
        return BuiltSite(Path(cfg.site_dir), len(site.errors))


def _build_with_zensical(path: Path, site_dir: Path | None, *, strict: bool) -> BuiltSite:
    """Export the docs tree with the user's settings, then run ``zensical build`` on it."""
    command = zensical_command()
    if command is None:
        raise BuildFailed("the zensical builder is not installed: pip install zensical")
    base = read_config(path)
    folder = path.parent
    content = (folder / str(base.get("docs_dir", "docs"))).resolve()
    target = site_dir.resolve() if site_dir is not None else (folder / str(base.get("site_dir", "site"))).resolve()
    options = _plugin_options(base)
    today = options.get("today")
    try:
        site = export_site(content, today=date.fromisoformat(str(today)) if today else None,
                           site_name=str(base.get("site_name", "Lessons learned")), strict=strict)
    except ContentInvalid as exc:
        raise BuildFailed(str(exc), findings=True) from None
    except ValueError:
        raise BuildFailed(f"{path}: lessons `today: {today}` is not a date (YYYY-MM-DD)") from None
    with tempfile.TemporaryDirectory(prefix="lessons-zensical-") as tmp:
        write_export(site, tmp, site_url=base.get("site_url"), search=options.get("search", True) is not False,
                     base=base)
        # Zensical writes only inside the folder of its configuration: build there, then move.
        done = subprocess.run([*command, "build", "-f", CONFIG_NAME, *(["--strict"] if strict else [])],
                              cwd=tmp, capture_output=True, text=True)
        if done.returncode != 0:
            tail = "\n".join((done.stdout + done.stderr).strip().splitlines()[-15:])
            raise BuildFailed(f"zensical could not build the site:\n{tail}")
        _replace_folder(target, Path(tmp) / "site")
    write_marker(target, "lessons build --builder zensical")
    for line in content_error_lines(site.errors, site.kb.root):
        logging.getLogger("mkdocs.plugins.lessons").warning("lessons: %s", line)
    return BuiltSite(target, len(site.errors), "zensical")


def _replace_folder(target: Path, built: Path) -> None:
    """Put a built site where it belongs, emptying that folder first (as MkDocs does its site_dir)."""
    if target.is_dir():
        for entry in target.iterdir():
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()
    shutil.copytree(built, target, dirs_exist_ok=True)


def _plugin_options(config: dict[str, Any]) -> dict[str, Any]:
    """The ``lessons`` plugin's options in a loaded ``mkdocs.yml`` (empty when it has none)."""
    plugins = config.get("plugins") or []
    entries = plugins.items() if isinstance(plugins, dict) else (
        next(iter(p.items())) if isinstance(p, dict) and p else (p, None) for p in plugins)
    for name, options in entries:
        if name == "lessons":
            return options if isinstance(options, dict) else {}
    return {}


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
