"""`lessons advise`: a thin click wrapper over `KnowledgeBase.advise`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from ..errors import LessonsError
from .opening import open_with_progress, with_database

_CONTENT_HELP = "Content folder (default: LESSONS_PATH, else found from mkdocs.yml or content/)."


def _stdin() -> str:
    # Pasted text is not always UTF-8: a stray byte must not stop the advice.
    binary = getattr(sys.stdin, "buffer", None)
    return binary.read().decode("utf-8", errors="replace") if binary is not None else sys.stdin.read()


@click.command()
@click.argument("description", nargs=-1)
@click.option("--title", default="", help="The pull request's title.")
@click.option("--body", default="", help="The pull request's body (`-` reads it from standard input).")
@click.option("--base", default=None, metavar="REF",
              help="Advise on the commits since REF: their messages, changed paths and diff words.")
@click.option("--service", multiple=True, help="A service the change touches (repeatable).")
@click.option("--limit", "-n", type=click.IntRange(1, 50), default=5, show_default=True,
              help="At most this many past incidents.")
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "json", "github"]), default="text",
              show_default=True, help="Output format (markdown: ready to post as a pull-request comment).")
@click.option("--settings", "settings_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Settings file whose [services] maps changed paths to services "
                   "(default: found from the content folder upwards).")
@click.option("--content", type=click.Path(file_okay=False, path_type=Path), help=_CONTENT_HELP)
@with_database
def advise(description: tuple[str, ...], title: str, body: str, base: str | None, service: tuple[str, ...],
           limit: int, fmt: str, settings_file: Path | None, content: Path | None, database: str | None,
           sources: tuple[str, ...]) -> None:
    """Advice on a planned change: similar past incidents, their lessons and a checklist.

    Give the change as a DESCRIPTION (`-` reads it from standard input), as a pull
    request's --title and --body, or as the commits since --base.

    \b
    Example:
      echo "overnight update to the store payment terminals" | lessons advise -
      lessons advise --base origin/main --format markdown
      lessons advise "rotate the TLS certificates of the API gateway" --service api-gateway
    """
    from ..advise import Change
    from ..advise.render import render_advice
    from ..checks.settings import find_settings, load_settings

    words = " ".join(description)
    if body == "-" and words == "-":
        # The second read would find standard input empty and quietly advise on half the change.
        raise LessonsError("standard input can be read once: give `-` as the description or as --body, "
                           "not both")
    text = "\n".join(part for part in (title, _stdin() if body == "-" else body,
                                       _stdin() if words == "-" else words) if part)
    kb = open_with_progress(content, database, sources)
    change = Change(description=text, services=list(service))
    if base is not None:
        _add_range(change, base, settings_file or find_settings(kb.root), load_settings)
    if not change.text.strip():
        raise LessonsError("nothing to advise on: give a description (or `-` for standard input), "
                           "--title/--body, or --base REF")
    click.echo(render_advice(kb.advise(change, limit=limit), fmt))


def _add_range(change: Any, base: str, settings_path: Path | None, load_settings: Any) -> None:
    """The commits since `base` into `change`, and the services the settings map their paths to."""
    from ..checks.gitdiff import read_range

    found = read_range(Path.cwd(), base)
    change.description = "\n".join(part for part in (change.description, found.messages) if part)
    change.paths = found.paths
    change.diff = found.words
    settings = load_settings(settings_path)
    change.services = list(dict.fromkeys([*change.services, *settings.services_for(found.paths)]))
