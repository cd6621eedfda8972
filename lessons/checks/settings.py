"""A team's settings for `lessons check`: `lessons.toml`, `.lessons.toml` or `[tool.lessons]`.

The settings change a rule's level or switch it off, for every file or for files
matching glob patterns, and choose the sections a published post-mortem needs. A
mistake in them is a `settings` finding naming the file and line, never a crash.
The format is documented in docs/FORMAT.md, "Settings".
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..codes import LEVEL_NAMES, RULES
from ..errors import Problem, real_path
from ..model import CORE_SECTIONS, SECTION_NAMES
from ..parsing.sections import SECTION_ALIASES, normalise_heading
from ..suggest import closest

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - the backport reads the same files on 3.10
    import tomli as tomllib

SETTINGS_FILES = ("lessons.toml", ".lessons.toml", "pyproject.toml")
"""Looked for in this order in each folder from the content folder upwards."""
_RULE_OPTIONS = {"missing-section": ("level", "sections"), "recurrence": ("level", "days")}
_TOP_KEYS = ("rules", "overrides", "services", "trackers")
RECURRENCE_DAYS = 365
"""How far back a post-mortem's causes and services count as "the same again" (`recurrence`)."""
"""The options a rule written as a table may have (every rule may have `level`)."""


@dataclass(slots=True)
class Override:
    """Levels for the files that match some glob patterns."""

    patterns: list[re.Pattern[str]]
    """The `paths` globs, compiled."""
    levels: dict[str, str]
    """Rule code -> one of `LEVEL_NAMES`."""


@dataclass(slots=True)
class Settings:
    """What a settings file says; the defaults when there is none."""

    path: Path | None = None
    """The file the settings came from."""
    levels: dict[str, str] = field(default_factory=dict)
    """Rule code -> one of `LEVEL_NAMES`, for every file."""
    sections: tuple[str, ...] = CORE_SECTIONS
    """The sections a published post-mortem needs (`missing-section`)."""
    overrides: list[Override] = field(default_factory=list)
    """Per-path levels; a later one wins."""
    problems: list[Problem] = field(default_factory=list)
    """What is wrong with the settings file itself."""
    recurrence_days: int = RECURRENCE_DAYS
    """The `recurrence` rule's window: an earlier incident at most this many days before counts."""
    trackers: dict[str, str] = field(default_factory=dict)
    """Issue-key prefix (``OPS``) -> URL pattern with ``{key}`` (`[trackers]`)."""

    def tracker_url(self, reference: str | None) -> str | None:
        """The address of an action item's tracker reference: a URL as it is, a key through `trackers`."""
        if not reference:
            return None
        if reference.startswith(("https://", "http://")):
            return reference
        pattern = self.trackers.get(reference.split("-")[0])
        return pattern.replace("{key}", reference) if pattern else None
    services: dict[str, list[re.Pattern[str]]] = field(default_factory=dict)
    """Service -> the globs of the paths that belong to it (`[services]`, for `lessons advise`)."""

    def services_for(self, paths: Iterable[str]) -> list[str]:
        """The services whose globs match any of these (repository-relative, ``/``-separated) paths."""
        wanted = list(paths)
        return [name for name, patterns in self.services.items()
                if any(p.fullmatch(path) for p in patterns for path in wanted)]

    def level(self, code: str, relative_paths: Iterable[str]) -> str | None:
        """The level set for a rule in one file (its paths from the settings and content folders), or None."""
        found = self.levels.get(code)
        paths = list(relative_paths)
        for override in self.overrides:
            if code in override.levels and any(p.fullmatch(path) for p in override.patterns for path in paths):
                found = override.levels[code]
        return found


def find_settings(content: Path) -> Path | None:
    """The settings file for a content folder: the first one at or above it, inside its repository."""
    here = content.resolve()
    for folder in (here, *here.parents):
        for name in SETTINGS_FILES:
            candidate = folder / name
            if candidate.is_file() and (name != "pyproject.toml" or _has_tool_table(candidate)):
                return candidate
        if (folder / ".git").exists():
            break  # the repository's root: settings above it belong to something else
    return None


def _has_tool_table(pyproject: Path) -> bool:
    try:
        text = pyproject.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    return re.search(r"^\s*\[+\s*tool\.lessons\b", text, re.MULTILINE) is not None


def load_settings(path: Path | None) -> Settings:
    """Read a settings file (None: the defaults). Mistakes become `Settings.problems`."""
    if path is None:
        return Settings()
    settings = Settings(path=path)
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except (OSError, UnicodeDecodeError) as exc:
        settings.problems.append(Problem(path, 0, "settings", f"cannot read the settings file: {exc}"))
        return settings
    except tomllib.TOMLDecodeError as exc:
        where = re.search(r"at line (\d+)", str(exc))
        settings.problems.append(Problem(path, int(where.group(1)) if where else 1, "settings",
                                         f"not valid TOML ({exc}); no settings are used"))
        return settings
    lines = text.split("\n")
    prefix = ""
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("lessons", {})
        prefix = "tool.lessons."
    _Reader(settings, lines, prefix).read(data)
    return settings


class _Reader:
    """Fills `Settings` from the TOML data, reporting each mistake with its line."""

    def __init__(self, settings: Settings, lines: list[str], prefix: str) -> None:
        self.settings = settings
        self.lines = lines
        self.prefix = prefix

    def problem(self, line: int, message: str) -> None:
        assert self.settings.path is not None
        self.settings.problems.append(Problem(self.settings.path, line, "settings", message))

    def read(self, data: dict[str, Any]) -> None:
        for key in data:
            if key not in _TOP_KEYS:
                guess = closest(key, _TOP_KEYS)
                hint = (f" — did you mean {guess!r}?" if guess
                        else " (expected [rules], [[overrides]], [services] or [trackers])")
                self.problem(self.line_of(key, 0), f"unknown key {key!r}{hint}")
        self.services(data.get("services", {}))
        self.trackers(data.get("trackers", {}))
        rules = data.get("rules", {})
        start = self.header("rules")
        if not isinstance(rules, dict):
            self.problem(self.line_of("rules", 0), "`rules` must be a table of rule = level")
        else:
            for code, value in rules.items():
                self.rule(code, value, self.line_of(code, start))
        overrides = data.get("overrides", [])
        if not isinstance(overrides, list):
            self.problem(self.line_of("overrides", 0), "`overrides` must be written as [[overrides]] tables")
            return
        for number, entry in enumerate(overrides):
            self.override(entry, self.header("overrides", number))

    def services(self, table: Any) -> None:
        start = self.header("services")
        if not isinstance(table, dict):
            self.problem(self.line_of("services", 0), "`services` must be a table of service = [path globs]")
            return
        for name, globs in table.items():
            globs = [globs] if isinstance(globs, str) else globs
            if not isinstance(globs, list) or not globs or not all(isinstance(g, str) for g in globs):
                self.problem(self.line_of(name, start), f"services: {name!r} needs a list of path globs "
                             '(e.g. ["src/payments/**"])')
                continue
            self.settings.services[str(name)] = [glob_pattern(g) for g in globs]

    def rule(self, code: str, value: Any, line: int) -> None:
        if not self.known(code, line):
            return
        if isinstance(value, dict):
            allowed = _RULE_OPTIONS.get(code, ("level",))
            for option in value:
                if option not in allowed:
                    self.problem(line, f"{code}: unknown option {option!r} (expected {', '.join(allowed)})")
            if "sections" in value:
                self.sections(value["sections"], self.line_of("sections", line - 1))
            if "days" in value:
                self.days(value["days"], self.line_of("days", line - 1))
            value = value.get("level")
            if value is None:
                return
        level = self.level_name(code, value, line)
        if level is not None:
            self.settings.levels[code] = level

    def known(self, code: str, line: int) -> bool:
        entry = RULES.get(code)
        if entry is None:
            guess = closest(code, RULES)
            hint = f" — did you mean {guess!r}?" if guess else " (`lessons check --explain CODE` lists none such)"
            self.problem(line, f"unknown rule {code!r}{hint}")
            return False
        if not entry.adjustable:
            self.problem(line, f"rule {code!r} cannot be changed: it means content would be left out or unsafe")
            return False
        return True

    def level_name(self, code: str, value: Any, line: int) -> str | None:
        if isinstance(value, str) and value.lower() in LEVEL_NAMES:
            return value.lower()
        guess = closest(str(value), LEVEL_NAMES) if isinstance(value, str) else None
        hint = f" — did you mean {guess!r}?" if guess else ""
        self.problem(line, f"{code}: expected one of {', '.join(LEVEL_NAMES)}, got {value!r}{hint}")
        return None

    def sections(self, value: Any, line: int) -> None:
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            self.problem(line, "missing-section: `sections` must be a list of section names")
            return
        names: list[str] = []
        for item in value:
            name = section_name(item)
            if name not in SECTION_NAMES:  # a practice's Checklist is no section of a post-mortem
                name = None
            if name is None:
                guess = closest(item, SECTION_NAMES)
                hint = f" — did you mean {guess!r}?" if guess else ""
                self.problem(line, f"missing-section: unknown section {item!r}{hint} (sections are "
                             f"{', '.join(SECTION_NAMES)})")
            elif name not in names:
                names.append(name)
        self.settings.sections = tuple(names)

    def days(self, value: Any, line: int) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            self.problem(line, f"recurrence: `days` must be a whole number of days, 1 or more, got {value!r}")
            return
        self.settings.recurrence_days = value

    def trackers(self, value: Any) -> None:
        start = self.header("trackers")
        if not isinstance(value, dict):
            self.problem(self.line_of("trackers", 0), '`trackers` must be a table of KEY = "https://…/{key}"')
            return
        for prefix, pattern in value.items():
            line = self.line_of(prefix, start)
            if not re.fullmatch(r"[A-Z][A-Z0-9]*", prefix):
                self.problem(line, f"trackers: {prefix!r} is not an issue-key prefix (capitals and digits, as OPS)")
            elif not isinstance(pattern, str) or "{key}" not in pattern or not pattern.startswith(("https://",
                                                                                                    "http://")):
                self.problem(line, f"trackers: {prefix} must be an http(s) address with {{key}} in it, "
                             f'e.g. "https://jira.example.com/browse/{{key}}", got {pattern!r}')
            else:
                self.settings.trackers[prefix] = pattern

    def override(self, entry: Any, line: int) -> None:
        if not isinstance(entry, dict):
            self.problem(line, "each [[overrides]] must be a table with `paths` and `rules`")
            return
        for key in entry:
            if key not in ("paths", "rules"):
                self.problem(self.line_of(key, line - 1), f"[[overrides]]: unknown key {key!r} "
                             "(expected paths, rules)")
        paths = entry.get("paths")
        paths = [paths] if isinstance(paths, str) else paths
        if not paths or not isinstance(paths, list) or not all(isinstance(p, str) for p in paths):
            self.problem(self.line_of("paths", line - 1), "[[overrides]] needs `paths`: a list of glob patterns")
            return
        levels: dict[str, str] = {}
        rules = entry.get("rules", {})
        if not isinstance(rules, dict):
            self.problem(self.line_of("rules", line - 1), "[[overrides]]: `rules` must be a table of rule = level")
            rules = {}
        for code, value in rules.items():
            where = self.line_of(code, line - 1)
            if self.known(code, where):
                level = self.level_name(code, value, where)
                if level is not None:
                    levels[code] = level
        self.settings.overrides.append(Override([glob_pattern(p) for p in paths], levels))

    def header(self, table: str, number: int = 0) -> int:
        """The 0-based line of a table's header (the `number`-th for an array of tables), or 0."""
        pattern = re.compile(r"^\s*\[+\s*" + re.escape(self.prefix + table) + r"\s*[\].]")
        found = [i for i, text in enumerate(self.lines) if pattern.match(text)]
        return found[number] if number < len(found) else 0

    def line_of(self, key: str, start: int) -> int:
        """The 1-based line where `key` is written at or after line `start` (0-based); else start + 1."""
        pattern = re.compile(r"(?:^|[\s{,.\[])[\"']?" + re.escape(key) + r"[\"']?\s*[=\].]")
        for number in range(start, len(self.lines)):
            if pattern.search(self.lines[number]):
                return number + 1
        return start + 1


def section_name(written: str) -> str | None:
    """A section as the settings may name it (``causes``, ``Contributing factors``) -> its canonical name."""
    name = written.strip().lower()
    if name in SECTION_NAMES:
        return name
    form = normalise_heading(name.replace("-", " ").replace("_", " "))
    for canonical, aliases in SECTION_ALIASES.items():
        if form in aliases or form == canonical.replace("-", " "):
            return canonical
    return None


def glob_pattern(glob: str) -> re.Pattern[str]:
    """A glob as a regular expression on ``/``-separated paths: ``*`` within a name, ``**`` any folders."""
    out: list[str] = []
    i = 0
    text = glob.strip().removeprefix("./")
    while i < len(text):
        if text.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif text.startswith("**", i):
            out.append(".*")
            i += 2
        elif text[i] == "*":
            out.append("[^/]*")
            i += 1
        elif text[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(text[i]))
            i += 1
    return re.compile("".join(out))


def relative_forms(path: Path, bases: Sequence[Path]) -> list[str]:
    """A file's path from each base folder it is under, with ``/`` separators."""
    resolved = real_path(path)
    forms: list[str] = []
    for base in bases:
        try:
            forms.append(resolved.relative_to(base.resolve()).as_posix())
        except ValueError:
            continue
    return forms


__all__ = ["RECURRENCE_DAYS", "SETTINGS_FILES", "Override", "Settings", "find_settings", "glob_pattern",
           "load_settings", "relative_forms", "section_name"]
