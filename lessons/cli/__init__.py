"""The `lessons` command: thin click adapters over the library.

May import anything in the package (the site commands import `lessons.mkdocs`
lazily, when they run); nothing in the package imports it.
"""

from .main import main

__all__ = ["main"]
