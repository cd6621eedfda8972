"""Shared fixtures: a small valid content folder, the knowledge base on it, a CLI runner.

``tests/data/kb`` is a realistic, valid knowledge base: four post-mortems with
distinct causes, services and tags (they share words such as "payments",
"deploy" and "rollback"), two practices with ``prevents:`` and a taxonomy of
four causes. Tests get a private copy, so they may add or break files freely.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from hypothesis import settings

import lessons
from lessons.kb import KnowledgeBase

# In CI the property tests replay the same examples every run, so a submission is judged
# on its code, not on the luck of the draw; locally each run explores new examples.
settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

DATA_KB = Path(__file__).parent / "data" / "kb"
TODAY = "2026-11-26"
"""The day the test content is judged against (nothing in it is overdue then)."""


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright, one per test module (the browser tests)."""
    from site_server import chromium

    with chromium() as launched:
        yield launched


@pytest.fixture
def content_dir(tmp_path: Path) -> Path:
    """A private copy of the small valid content folder ``tests/data/kb``."""
    target = tmp_path / "kb"
    shutil.copytree(DATA_KB, target, ignore=shutil.ignore_patterns(".lessons"))  # a local index is a cache, not data
    return target


@pytest.fixture
def kb(content_dir: Path) -> KnowledgeBase:
    """`lessons.load` on `content_dir`."""
    return lessons.load(content_dir)


@pytest.fixture
def cli() -> Callable[..., Result]:
    """Run the ``lessons`` command: ``cli("check", "--content", path) -> Result``.

    stderr is kept apart from stdout (``result.stderr``); exceptions are caught so
    that a traceback shows up as ``result.exception`` rather than failing the call.
    """
    from lessons.cli.main import main

    def run(*args: str | Path) -> Result:
        try:
            runner = CliRunner(mix_stderr=False)  # click < 8.2
        except TypeError:
            runner = CliRunner()  # click >= 8.2 keeps stderr apart already
        return runner.invoke(main, [str(arg) for arg in args], catch_exceptions=True)

    return run
