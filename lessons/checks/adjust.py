"""Applying a team's settings and `<!-- lessons-disable … -->` comments to the findings."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path

from ..codes import RULES
from ..errors import Level, ParseError, Problem, real_path
from ..kb import KnowledgeBase
from ..parsing.markdown import markdown
from ..parsing.parse import read_source
from ..suggest import closest
from .settings import Settings, relative_forms

_DISABLE_OPEN = re.compile(r"<!--\s*lessons-disable\b")
"""Where a ``<!-- lessons-disable rule … -->`` comment starts; its end is found by `_disable_comments`."""


def inline_disables(text: str, path: Path, first_line: int = 1) -> tuple[set[str], list[Problem]]:
    """The rules a file switches off for itself, and findings for the rules it names wrongly."""
    codes: set[str] = set()
    problems: list[Problem] = []
    if "lessons-disable" not in text:
        return codes, problems
    text = _without_code(text)
    for start, written in _disable_comments(text):
        line = first_line + text.count("\n", 0, start)
        names = [name for name in re.split(r"[\s,]+", written) if name]
        if not names:
            problems.append(Problem(path, line, "settings", "`lessons-disable` needs the rules to switch off "
                                    "(`<!-- lessons-disable missing-section -->`); nothing is switched off",
                                    Level.WARNING))
        for name in names:
            entry = RULES.get(name)
            if entry is None:
                guess = closest(name, RULES)
                hint = f" — did you mean {guess!r}?" if guess else ""
                problems.append(Problem(path, line, "settings", f"unknown rule {name!r} in lessons-disable{hint}"))
            elif not entry.adjustable:
                problems.append(Problem(path, line, "settings", f"rule {name!r} cannot be switched off: it means "
                                        "content would be left out or unsafe"))
            else:
                codes.add(name)
    return codes, problems


_CODE_SPAN = re.compile(r"`[^`\n]*`")
"""An inline code span on one line: a page that shows the comment as an example does not run it."""


def _without_code(text: str) -> str:
    """The text with code blocks and inline code spans blanked, line and column kept.

    A README or a practice article that explains `lessons-disable` with an example in a
    fenced block or in backticks must not switch the rule off for itself.
    """
    lines = text.split("\n")
    for token in markdown().parse(text):
        if token.type in ("fence", "code_block") and token.map:
            first, end = token.map
            for number in range(first, min(end, len(lines))):
                lines[number] = " " * len(lines[number])
    return _CODE_SPAN.sub(lambda span: " " * len(span.group()), "\n".join(lines))


def _disable_comments(text: str) -> Iterator[tuple[int, str]]:
    """Where each ``lessons-disable`` comment starts, and the rules written in it.

    The comment ends at the first ``>``, which must close it (``-->``). Every opening before
    that ``>`` ends there too, so the text is read once: a lazy ``[^>]*?-->`` read from
    every opening to the next ``>``, quadratic on ``<!-- lessons-disable`` repeated.
    """
    at = 0
    while (opening := _DISABLE_OPEN.search(text, at)) is not None:
        close = text.find(">", opening.end())
        if close == -1:
            return
        if close - 2 >= opening.end() and text.startswith("--", close - 2):
            yield opening.start(), text[opening.end():close - 2]
        at = close + 1


def adjust(problems: Sequence[Problem], settings: Settings, kb: KnowledgeBase) -> tuple[list[Problem], list[Problem]]:
    """The findings at the levels the settings give them, and apart those switched off.

    Rules that are not adjustable (`codes.Rule.adjustable`) pass unchanged. Mistakes in
    `lessons-disable` comments are added as `settings` findings. The switched-off findings
    are returned too, so that a report can say how many there were rather than "no problems".
    """
    bases = ([settings.path.parent] if settings.path else []) + [kb.root]
    disabled: dict[Path, set[str]] = {}
    found: list[Problem] = []
    silenced: list[Problem] = []
    for doc in kb:
        codes, wrong = inline_disables(doc.body, doc.path, doc.body_line)
        disabled[real_path(doc.path)] = codes
        found.extend(wrong)
    for path in {real_path(p.path) for p in problems} - set(disabled):
        # A plain page with findings (unsafe HTML, a folder finding) may silence them too.
        codes, wrong = _page_disables(path)
        disabled[path] = codes
        found.extend(wrong)
    for problem in problems:
        entry = RULES.get(problem.code)
        if entry is None or not entry.adjustable:
            found.append(problem)
            continue
        level = settings.level(problem.code, relative_forms(problem.path, bases))
        if level == "off" or problem.code in disabled.get(real_path(problem.path), ()):
            silenced.append(problem)
        else:
            found.append(problem if level is None else replace(problem, level=Level(level)))
    return found, silenced


def _page_disables(path: Path) -> tuple[set[str], list[Problem]]:
    if not path.is_file() or path.suffix.lower() not in (".md", ".markdown"):
        return set(), []
    try:
        text, _ = read_source(path)
    except ParseError:
        return set(), []
    return inline_disables(text, path)
