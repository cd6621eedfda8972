"""Turning problems into text for people, JSON for tools, annotations for CI."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence

from ..errors import Level, Problem, display_path
from .sarif import render_sarif

FORMATS = ("text", "json", "github", "sarif")


def render(problems: Sequence[Problem], fmt: str, *, files_checked: int = 0, silenced: int = 0) -> str:
    """The problems in one of `FORMATS` (`silenced`: how many the settings switched off, for the text summary)."""
    if fmt == "text":
        return render_text(problems, files_checked, silenced)
    if fmt == "json":
        return render_json(problems)
    if fmt == "github":
        return render_github(problems)
    if fmt == "sarif":
        return render_sarif(problems)
    raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")


def render_text(problems: Sequence[Problem], files_checked: int = 0, silenced: int = 0) -> str:
    lines = [
        f"{display_path(p.path)}:{p.line}:{p.column}: {p.level.value} {p.code} {p.message}"
        for p in problems
    ]
    counts = Counter(p.level for p in problems)
    summary = ", ".join(
        f"{counts[level]} {level.value}{'s' if counts[level] != 1 else ''}"
        for level in (Level.ERROR, Level.WARNING, Level.INFO) if counts[level]
    )
    checked = f"{files_checked} file{'s' if files_checked != 1 else ''} checked" if files_checked else ""
    line = ", ".join(part for part in (checked, summary or "no problems") if part)
    if silenced:
        line += f" ({silenced} more switched off by settings)" if summary else \
            f" ({silenced} finding{'s' if silenced != 1 else ''} switched off by settings)"
    lines.append(line)
    return "\n".join(lines)


def render_json(problems: Sequence[Problem]) -> str:
    return json.dumps(
        [
            {"path": display_path(p.path), "line": p.line, "column": p.column,
             "level": p.level.value, "code": p.code, "message": p.message}
            for p in problems
        ],
        indent=2,
        ensure_ascii=False,
    )


def render_github(problems: Sequence[Problem]) -> str:
    """GitHub Actions workflow commands: each problem shows on the pull request's diff."""
    command = {Level.ERROR: "error", Level.WARNING: "warning", Level.INFO: "notice"}
    return "\n".join(
        f"::{command[p.level]} file={_property(display_path(p.path))},line={max(p.line, 1)},"
        f"col={p.column},title={_property(p.code)}::{_data(p.message)}"
        for p in problems
    )


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")
