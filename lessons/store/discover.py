"""Finding the Markdown files of a knowledge base, and the knowledge base itself."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from pathlib import Path

from ..errors import KnowledgeBaseNotFound, Level, Problem

MARKDOWN_SUFFIXES = (".md", ".markdown")
_SKIP_DIRS = {"node_modules", "site", "__pycache__", "venv"}


def markdown_files(root: Path, problems: list[Problem]) -> Iterator[Path]:
    """Every Markdown file under `root`, sorted, skipping hidden folders and build output.

    Only regular files are listed. What cannot be read safely is named in `problems`
    instead: a symlink that points outside `root` (following it would let a content
    folder pull in, and a site publish, any file on the machine), a broken or looping
    symlink, a FIFO or device named ``*.md`` (reading one blocks or never ends), a
    name that is not UTF-8, and folders that are symlinks or cannot be read.
    """
    root_real = Path(os.path.realpath(root))

    def unreadable(error: OSError) -> None:
        where = Path(_printable(str(error.filename or root)))
        problems.append(Problem(where, 1, "unreadable-folder",
                                f"ignored: the folder cannot be read ({error.strerror or error})", Level.WARNING))

    for folder, dirs, files in os.walk(root, onerror=unreadable):
        here = Path(folder)  # once per folder: making a Path is most of listing a file
        dirs[:] = [d for d in sorted(dirs) if _walkable(here / d, problems)]
        for name in sorted(files):
            if name.startswith(".") or not name.lower().endswith(MARKDOWN_SUFFIXES):
                continue
            path = here / name
            problem = _oddity(path, root_real)
            if problem is None:
                yield path
            else:
                problems.append(problem)


def _walkable(folder: Path, problems: list[Problem]) -> bool:
    """Whether to look inside a folder; a folder skipped for a reason is named in `problems`."""
    name = folder.name
    if name.startswith(".") or name in _SKIP_DIRS:
        return False
    if _undecodable(name):
        problems.append(Problem(Path(_printable(str(folder))), 1, "file-name-encoding",
                                "ignored: the folder name is not UTF-8 (shown with \ufffd); rename it",
                                Level.WARNING))
        return False
    if folder.is_symlink():
        problems.append(Problem(folder, 1, "symlinked-folder",
                                f"ignored: {_printable(str(folder))!r} is a symlink to {_link_target(folder)!r}, "
                                "and symlinked folders are not followed; move or copy the files into the "
                                "content folder", Level.WARNING))
        return False
    return True


def _oddity(path: Path, root_real: Path) -> Problem | None:
    """Why a listed Markdown file must not be read, or None for a plain file to read."""
    if _undecodable(path.name):
        return Problem(Path(_printable(str(path))), 1, "file-name-encoding",
                       "ignored: the file name is not UTF-8 (shown with \ufffd), so it cannot be indexed; "
                       "rename the file", Level.WARNING)
    try:
        # One system call for a plain file (what it links to, for a symlink): a sync that
        # finds nothing changed spends most of its time listing the folder.
        mode = os.lstat(path).st_mode
        if stat.S_ISLNK(mode):
            target = Path(os.path.realpath(path))
            if not target.is_relative_to(root_real):
                return Problem(path, 1, "symlink-outside", f"ignored: symlink points outside the content "
                               f"folder (to {_printable(str(target))})", Level.WARNING)
            mode = os.stat(path).st_mode
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return Problem(path, 1, "symlink-loop", "ignored: the symlink loops back to itself", Level.WARNING)
        if path.is_symlink():
            return Problem(path, 1, "broken-symlink", "ignored: symlink points to nothing", Level.WARNING)
        return None  # gone since the folder was listed: the sync treats it as removed
    if not stat.S_ISREG(mode):
        what = "a FIFO" if stat.S_ISFIFO(mode) else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) \
            else "a socket" if stat.S_ISSOCK(mode) else "not a regular file"
        return Problem(path, 1, "not-a-file", f"ignored: this is {what}, not a Markdown file", Level.WARNING)
    return None


def _link_target(link: Path) -> str:
    try:
        return _printable(os.readlink(link))
    except OSError as exc:  # replaced since it was listed
        return f"? ({exc.strerror or exc})"


def _undecodable(name: str) -> bool:
    """True for a name with bytes that are not UTF-8 (Python keeps them as lone surrogates)."""
    return not name.isascii() and any("\udc80" <= char <= "\udcff" for char in name)


def _printable(name: str) -> str:
    """A name as text that can be printed and stored: undecodable bytes become U+FFFD."""
    return os.fsencode(name).decode("utf-8", "replace") if _undecodable(name) else name


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


def site_url_near(root: Path) -> str | None:
    """``site_url`` of the ``mkdocs.yml`` beside or above the content folder, if one gives it."""
    import re

    for folder in (root, root.resolve().parent):
        config = folder / "mkdocs.yml"
        if config.is_file():
            # One top-level key: MkDocs files carry !!python tags a safe YAML loader refuses.
            try:
                found = re.search(r"^site_url:[ \t]*['\"]?(https?://[^'\"\s#]+)", config.read_text(encoding="utf-8"),
                                  re.MULTILINE)
            except (OSError, UnicodeDecodeError):
                return None
            return found.group(1) if found else None
    return None
