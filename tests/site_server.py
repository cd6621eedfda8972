"""What the browser tests share: a built site served on loopback, and Debian's Chromium."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def served(folder: Path) -> Iterator[str]:
    """`folder` served on 127.0.0.1 (a free port) for as long as the block runs: its URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        thread.join()


@contextmanager
def chromium() -> Iterator[Any]:
    """Debian's Chromium (``/usr/bin/chromium``) driven by Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def new_tab(browser: Any, width: int = 1366, height: int = 900, **options: Any) -> Any:
    """A tab in a fresh browser context (its own cookies and storage) of the given size.

    `options` go to Playwright's ``new_context`` (``color_scheme``, ``is_mobile`` …).
    Close it with ``tab.context.close()``.
    """
    context = browser.new_context(viewport={"width": width, "height": height}, **options)
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    return tab


def build_small_kb(root: Path, repo: Path, data_kb: Path) -> Path:
    """The small test knowledge base built with the repository's mkdocs.yml under `root`: the site folder.

    ``today`` is set after the first open action item's due date, so one item is overdue.
    """
    import shutil

    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    shutil.copytree(data_kb, root / "content")
    text = (repo / "mkdocs.yml").read_text(encoding="utf-8")
    (root / "mkdocs.yml").write_text(text.replace("  - lessons\n", "  - lessons:\n      today: 2031-03-01\n"),
                                     encoding="utf-8")
    build(load_config(config_file=str(root / "mkdocs.yml"), strict=True))
    return root / "site"
