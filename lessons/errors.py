"""The errors and findings that `lessons` reports."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from pathlib import Path


class Level(str, Enum):
    """How serious a finding is, from least to most."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return _RANKS[self]


_RANKS = {Level.INFO: 0, Level.WARNING: 1, Level.ERROR: 2}


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with one place in the content.

    Problems are data, not exceptions: a knowledge base collects them all and
    `lessons check` reports them together.
    """

    path: Path
    """The file the problem is in."""
    line: int
    """1-based line number (0 when the problem is about the whole file)."""
    code: str
    """A stable, short identifier, e.g. ``unknown-cause``."""
    message: str
    """What is wrong, what was expected and, where possible, what was meant."""
    level: Level = Level.ERROR
    """How serious it is."""
    column: int = 1
    """1-based column."""

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.level.value} {self.code} {self.message}"


class LessonsError(Exception):
    """Base class of every error `lessons` raises on purpose."""


class ParseError(LessonsError):
    """A file could not be read as a document at all.

    Carries the path, line and column so that the message can be acted on.
    """

    def __init__(
        self, path: Path | str, line: int, message: str, *, code: str = "parse-error", column: int = 1
    ) -> None:
        self.path = Path(path)
        self.line = line
        self.column = column
        self.code = code
        self.message = message
        super().__init__(f"{self.path}:{line}:{column}: {message}")

    def to_problem(self) -> Problem:
        return Problem(self.path, self.line, self.code, self.message, Level.ERROR, self.column)


class DocumentNotFound(LessonsError, KeyError):
    """No document has the id that was asked for."""

    def __init__(self, doc_id: str, suggestion: str | None = None) -> None:
        self.doc_id = doc_id
        self.suggestion = suggestion
        hint = f" (did you mean {suggestion!r}?)" if suggestion else ""
        super().__init__(f"no document with id {doc_id!r}{hint}")

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0])


class KnowledgeBaseNotFound(LessonsError):
    """No content folder could be found for the knowledge base."""


def real_path(path: Path) -> Path:
    """`path` resolved, even when it is a symlink that loops (then its folder is resolved).

    A finding can be about such a link, so every place that compares or shows the paths
    of findings resolves them through here rather than ``Path.resolve``, which raises.
    """
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path.parent.resolve() / path.name


def display_path(path: Path) -> str:
    """A path relative to the working directory when it is below it."""
    try:
        return str(real_path(path).relative_to(Path.cwd().resolve()))
    except (ValueError, OSError, RuntimeError):
        return str(path)
