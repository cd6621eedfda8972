"""The ``site`` extra: what it installs, and the one line that says it is missing.

``pip install lessons`` gives the library and every command but the site's;
``pip install 'lessons[site]'`` adds MkDocs, Material for MkDocs, pygal and nh3, and
``pip install 'lessons[builders]'`` Zensical with pygal and nh3 (no MkDocs needed).
Nothing here imports them: it only looks whether they are installed.
"""

from __future__ import annotations

import importlib.util
import shutil
import sys

SITE_EXTRA = ("mkdocs", "material", "pygal", "nh3")
"""What the ``site`` extra installs (pyproject.toml), by import name."""
ZENSICAL_NEEDS = ("pygal", "nh3")
"""What ``lessons build --builder zensical`` needs besides Zensical (the charts, the HTML
cleaner): the ``builders`` extra installs them with it, and it needs no MkDocs."""


def missing_site_extra(needed_by: str, builder: str = "mkdocs") -> str | None:
    """The message to show when a package the site needs is not installed, else None.

    Args:
        needed_by: what needs the extra, as the message should name it (``lessons build``).
        builder: ``mkdocs`` (the site extra) or ``zensical`` (the builders extra).
    """
    if builder == "zensical":
        if zensical_command() is not None and _installed(ZENSICAL_NEEDS):
            return None
        return f"{needed_by} --builder zensical needs the builders extra: pip install 'lessons[builders]'"
    if _installed(SITE_EXTRA):
        return None
    return f"{needed_by} needs the site extra: pip install 'lessons[site]'"


def detect_builder() -> str:
    """MkDocs when it and Material are installed, else Zensical when it is, else MkDocs."""
    if _installed(("mkdocs", "material")):
        return "mkdocs"
    return "zensical" if zensical_command() is not None else "mkdocs"


def zensical_command() -> list[str] | None:
    """How to run Zensical: its module in this Python, else a ``zensical`` on the PATH, else None."""
    if importlib.util.find_spec("zensical") is not None:
        return [sys.executable, "-m", "zensical"]
    found = shutil.which("zensical")
    return [found] if found else None


def _installed(names: tuple[str, ...]) -> bool:
    return all(importlib.util.find_spec(name) is not None for name in names)
