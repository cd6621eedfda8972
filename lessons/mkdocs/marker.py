"""The sign that a site was built with lessons' pages.

Zensical reads ``mkdocs.yml`` but runs no plugin, so ``zensical build`` on a
configuration that lists ``lessons`` builds the content without any of lessons'
pages and says nothing. The plugin (and ``lessons build --builder zensical``) leaves
`MARKER` in the site; `lessons build` finds a site folder without it and says why.
"""

from __future__ import annotations

from pathlib import Path

MARKER = ".lessons-build"


def write_marker(site_dir: str | Path, by: str) -> None:
    """Mark a site folder as built with lessons' pages; the text is the same on every build."""
    path = Path(site_dir) / MARKER
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"built with {by}\n", encoding="utf-8")


def built_without_plugin(site_dir: Path) -> bool:
    """Whether a site folder holds a build that skipped the lessons plugin (pages, no `MARKER`)."""
    if not site_dir.is_dir() or (site_dir / MARKER).is_file():
        return False
    return next(site_dir.rglob("*.html"), None) is not None
