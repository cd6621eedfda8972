"""`lessons actions`: the action items of every post-mortem, as a table or JSON."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote

import click

from ..errors import display_path
from .opening import open_with_progress, with_database

_CONTENT_HELP = "Content folder (default: LESSONS_PATH, else found from mkdocs.yml or content/)."


@click.command()
@click.option("--open", "only_open", is_flag=True, help="Only items that are not done.")
@click.option("--overdue", is_flag=True, help="Only open items past their due date.")
@click.option("--owner", metavar="NAME", help="Only items of this owner (case-insensitive).")
@click.option("--service", metavar="NAME", help="Only items of incidents about this service.")
@click.option("--since", metavar="YYYY-MM-DD", help="Only items of incidents on or after this day.")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="The day overdue is measured against (default: today).")
@click.option("--json", "as_json", is_flag=True, help="Print the items as JSON for tools.")
@click.option("--markdown", "as_markdown", is_flag=True,
              help="Print the items as a Markdown task list (for an issue or a comment); nothing when none match.")
@click.option("--content", type=click.Path(file_okay=False, path_type=Path), help=_CONTENT_HELP)
@with_database
def actions(only_open: bool, overdue: bool, owner: str | None, service: str | None, since: str | None,
            today: Any, as_json: bool, as_markdown: bool, content: Path | None, database: str | None,
            sources: tuple[str, ...]) -> None:
    """List the action items of every post-mortem: open ones soonest due first.

    An item's tracker reference (a link, or a key such as OPS-123 made a link by
    `[trackers]` in lessons.toml) is printed with it.

    \b
    Example:
      lessons actions --open --owner payments
      lessons actions --overdue --json
    """
    import json

    from ..checks.settings import find_settings, load_settings

    kb = open_with_progress(content, database, sources)
    day: date = today.date() if today is not None else date.today()
    items = kb.action_items(status="open" if only_open or overdue else "all", owner=owner,
                            overdue=True if overdue else None, today=day, service=service, since=since)
    settings = load_settings(find_settings(kb.root))
    rows = [action_row(item, kb.get(item.document_id), settings.tracker_url(item.tracker), day) for item in items]
    if as_json:
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
    elif as_markdown:
        if rows:
            click.echo(_markdown(rows))
    elif not rows:
        click.echo("No action items match.")
    else:
        click.echo(_table(rows))


def action_row(item: Any, doc: Any, tracker_url: str | None, today: date) -> dict[str, Any]:
    """One action item with its incident, as JSON-ready data."""
    return {
        "text": item.text, "done": item.done, "owner": item.owner,
        "due": item.due.isoformat() if item.due else None, "overdue": item.is_overdue(today),
        "tracker": item.tracker, "tracker_url": tracker_url,
        "document_id": doc.id, "document_title": doc.title,
        "path": display_path(doc.path), "line": item.line,
    }


def _table(rows: list[dict[str, Any]]) -> str:
    """Due, state, owner and task on one line; the incident and tracker below it."""
    lines = []
    for row in rows:
        state = "done" if row["done"] else ("OVERDUE" if row["overdue"] else "open")
        lines.append(f"{row['due'] or '—':<10}  {state:<7}  {row['owner'] or '—':<16}  {row['text']}")
        where = f"{row['document_id']} ({row['path']}:{row['line']})"
        tracked = row["tracker_url"] or row["tracker"]
        lines.append(f"{'':<10}  {'':<7}  {'':<16}  {where}" + (f"  {tracked}" if tracked else ""))
    return "\n".join(lines)


_URL_SAFE = "/:?#@!$&'*+,;=%-._~"
"""Kept as they are in a link's address; anything else (blanks, brackets) is percent-encoded."""


def _markdown(rows: list[dict[str, Any]]) -> str:
    """A task list: the due date, the task, owner, tracker and where the item is written."""
    def plain(text: str) -> str:
        # Content, not markup: nothing in a task or an owner may turn into a link or a mention.
        return "".join(f"&#{ord(c)};" if c in "\\`*_[]<>&@#|" else c for c in " ".join(text.split()))

    lines = []
    for row in rows:
        due = f"**{row['due']}** " if row["due"] else ""
        owner = f" — owner: {plain(row['owner'])}" if row["owner"] else ""
        tracked = ""
        if row["tracker_url"]:
            tracked = f" — [{plain(row['tracker'])}]({quote(row['tracker_url'], safe=_URL_SAFE)})"
        elif row["tracker"]:
            tracked = f" — {plain(row['tracker'])}"
        where = str(row["path"]).replace("`", "'")  # a backtick would end the code span
        lines.append(f"- [{'x' if row['done'] else ' '}] {due}{plain(row['text'])}{owner}{tracked} "
                     f"(`{where}:{row['line']}`)")
    return "\n".join(lines)
