"""The ``site`` extra: what it installs, and the one line that says it is missing.

``pip install lessons`` gives the library and every command but the site's;
``pip install 'lessons[site]'`` adds MkDocs, Material for MkDocs, pygal and nh3.
Nothing here imports them: it only looks whether they are installed.
"""

from __future__ import annotations

import importlib.util

SITE_EXTRA = ("mkdocs", "material", "pygal", "nh3")
"""What the ``site`` extra installs (pyproject.toml), by import name."""


def missing_site_extra(needed_by: str) -> str | None:
    """The message to show when a package of the site extra is not installed, else None.

    Args:
        needed_by: what needs the extra, as the message should name it (``lessons build``).
    """
    if all(importlib.util.find_spec(name) is not None for name in SITE_EXTRA):
        return None
    return f"{needed_by} needs the site extra: pip install 'lessons[site]'"
