"""Advice as text for a terminal, Markdown for a pull-request comment, JSON, or GitHub annotations."""

from __future__ import annotations

import json

from ..errors import display_path
from .model import Advice

FORMATS = ("text", "markdown", "json", "github")
MARKER = "<!-- lessons-advise -->"
"""The hidden first line of the Markdown, by which a workflow finds its earlier comment to update."""


def render_advice(advice: Advice, fmt: str) -> str:
    """The advice in one of `FORMATS`."""
    if fmt == "json":
        return json.dumps(advice.to_dict(), indent=2, ensure_ascii=False)
    if fmt == "markdown":
        return render_markdown(advice)
    if fmt == "github":
        return render_github(advice)
    if fmt == "text":
        return render_text(advice)
    raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")


def render_text(advice: Advice) -> str:
    if not advice.incidents:
        return "No similar past incidents."
    lines = ["Similar past incidents:"]
    for n, incident in enumerate(advice.incidents, 1):
        doc = incident.document
        lines += [f"{n:2}. {incident.score:.2f}  {doc.date or ''}  {doc.title}", f"    {doc.id}",
                  f"    why: {incident.reason}"]
        if incident.lesson:
            lines.append(f"    lesson: {incident.lesson}")
    if advice.causes:
        lines += ["", "Causes they share:"]
        lines += [f"  - {c.title} ({c.cause}): {c.reason}" for c in advice.causes]
    if advice.practices:
        lines += ["", "Checklist:"]
        for practice in advice.practices:
            lines.append(f"  {practice.document.title} ({practice.document.id}) — {practice.reason}")
            lines += [f"    [ ] {item}" for item in practice.checklist]
    if advice.actions:
        lines += ["", "Open action items of these incidents:"]
        lines += [f"  - {a.text}{_owner(a.owner, a.due)} ({a.document_id})" for a in advice.actions]
    return "\n".join(lines)


def render_markdown(advice: Advice) -> str:
    lines = [MARKER, "### Lessons from past incidents", ""]
    if not advice.incidents:
        return "\n".join([*lines, "No similar past incidents in the knowledge base."])
    lines += ["**Similar past incidents**", ""]
    for n, incident in enumerate(advice.incidents, 1):
        doc = incident.document
        lines.append(f"{n}. **{_md(doc.title)}** (`{doc.id}`, {doc.date or 'undated'}, similarity "
                     f"{incident.score:.2f}) — {_md(incident.reason)}")
        if incident.lesson:
            lines.append(f"   > {_md(incident.lesson)}")
    if advice.causes:
        lines += ["", "**Causes they share**", ""]
        lines += [f"- **{_md(c.title)}** — {_md(c.reason)}" for c in advice.causes]
    if advice.practices:
        lines += ["", "**Before merging**", ""]
        for practice in advice.practices:
            lines.append(f"- **{_md(practice.document.title)}** ({_md(practice.reason)})")
            lines += [f"  - [ ] {_md(item)}" for item in practice.checklist]
    if advice.actions:
        lines += ["", "**Open action items of these incidents**", ""]
        lines += [f"- {_md(a.text)}{_owner(a.owner and _md(a.owner), a.due)} (`{a.document_id}`)"
                  for a in advice.actions]
    lines += ["", "<sub>From `lessons advise`: the team's own post-mortems and practices.</sub>"]
    return "\n".join(lines)


def render_github(advice: Advice) -> str:
    """GitHub Actions workflow commands: one notice per similar incident and per practice."""
    out = []
    for incident in advice.incidents:
        doc = incident.document
        lesson = f". Lesson: {incident.lesson}" if incident.lesson else ""
        out.append(f"::notice file={_property(display_path(doc.path))},title="
                   f"{_property('Like past incident ' + doc.id)}::{_data(f'{doc.title} — {incident.reason}{lesson}')}")
    for practice in advice.practices:
        doc = practice.document
        out.append(f"::notice file={_property(display_path(doc.path))},title={_property('Checklist: ' + doc.title)}::"
                   f"{_data('; '.join(practice.checklist) + ' (' + practice.reason + ')')}")
    return "\n".join(out)


def _owner(owner: str | None, due: object) -> str:
    parts = [f"owner: {owner}" if owner else "", f"due: {due}" if due else ""]
    shown = ", ".join(p for p in parts if p)
    return f" — {shown}" if shown else ""


def _md(text: str) -> str:
    """Text safe in a Markdown comment: no HTML, no accidental emphasis or links."""
    out = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    for char in "\\`*_[]|":
        out = out.replace(char, "\\" + char)
    return " ".join(out.split())


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")
