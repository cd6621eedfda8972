"""Finding the Markdown files of a knowledge base, and the knowledge base itself."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from ..errors import KnowledgeBaseNotFound, Level, Problem

MARKDOWN_SUFFIXES = (".md", ".markdown")
_SKIP_DIRS = {"node_modules", "site", "__pycache__", "venv"}


def markdown_files(root: Path, problems: list[Problem]) -> Iterator[Path]:
    """Every Markdown file under `root`, sorted, skipping hidden folders and build output.

    A symlink that points outside `root` is skipped with a warning: following it
    would let a content folder pull in (and a site publish) any file on the machine.
    """
    root_real = root.resolve()
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in _SKIP_DIRS)
        for name in sorted(files):
            if name.startswith(".") or not name.lower().endswith(MARKDOWN_SUFFIXES):
                continue
            path = Path(folder) / name
            if path.is_symlink():
                target = path.resolve()
                if not target.is_relative_to(root_real):
                    problems.append(Problem(path, 1, "symlink-outside",
                                            f"ignored: symlink points outside the content folder "
                                            f"(to {target})", Level.WARNING))
                    continue
                if not target.is_file():
                    problems.append(Problem(path, 1, "broken-symlink",
                                            "ignored: symlink points to nothing", Level.WARNING))
                    continue
            yield path


def find_content(start: Path | None = None) -> Path:
    """The content folder for the current project.

    ``LESSONS_PATH`` wins; else the nearest folder at or above `start` with a
    ``mkdocs.yml`` (its ``docs_dir``, default ``content``/``docs``) or a ``content/``.
    """
    env = os.environ.get("LESSONS_PATH")
    if env:
        path = Path(env).expanduser()
        if not path.is_dir():
            raise KnowledgeBaseNotFound(f"LESSONS_PATH={env} is not a folder")
        return path
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        config = folder / "mkdocs.yml"
        if config.is_file():
            docs = _docs_dir(config)
            if docs is not None:
                return docs
        if (folder / "content").is_dir():
            return folder / "content"
    raise KnowledgeBaseNotFound(
        f"no knowledge base found at or above {here}: set LESSONS_PATH, pass a path, "
        "or run `lessons init` to create one"
    )


def _docs_dir(config: Path) -> Path | None:
    import re

    try:
        text = config.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    # mkdocs.yml may hold !!python tags that a safe loader refuses; the one key we need
    # is a plain top-level scalar, so read just that line.
    match = re.search(r"^docs_dir:\s*['\"]?([^'\"#\n]+?)['\"]?\s*(?:#.*)?$", text, re.MULTILINE)
    for name in ([match.group(1)] if match else ["docs", "content"]):
        candidate = config.parent / name
        if candidate.is_dir():
            return candidate
    return None
