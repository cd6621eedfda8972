"""`lessons new` and `lessons init`: thin click wrappers over `lessons.scaffold`.

`new` prints only the path of the file it wrote on standard output, so that
``$EDITOR "$(lessons new postmortem "Title")"`` works; notes go to standard error.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from ..errors import display_path
from ..store.discover import find_content

_CONTENT_HELP = "Content folder (default: LESSONS_PATH, else found from mkdocs.yml or content/)."


def _content(content: Path | None) -> Path:
    return content if content is not None else find_content()


def _split(values: tuple[str, ...]) -> list[str]:
    """Values given as repeated options, comma-separated, or both."""
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def _report_new(path: Path, wanted_stem: str) -> None:
    if path.stem != wanted_stem:
        click.echo(f"note: {wanted_stem}.md already exists; wrote {path.name} instead", err=True)
    click.echo(display_path(path))


@click.group()
def new() -> None:
    """Start a new post-mortem or practice article from a template.

    \b
    Example:
      lessons new postmortem "Checkout fails after config push" --services checkout
    """


@new.command()
@click.argument("title")
@click.option("--date", "day", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="The day the incident began (YYYY-MM-DD; default today).")
@click.option("--services", multiple=True, metavar="NAMES",
              help="Services affected, comma-separated or repeated.")
@click.option("--severity", type=click.IntRange(0, 5), default=None,
              help="0 or 1 (worst) to 5.")
@click.option("--content", type=click.Path(file_okay=False, path_type=Path), help=_CONTENT_HELP)
def postmortem(title: str, day: Any, services: tuple[str, ...], severity: int | None,
               content: Path | None) -> None:
    """Write content/postmortems/YYYY-MM-DD-slug.md as a draft and print its path.

    Every section is there with a short guide in a comment. An existing file is
    never overwritten: the next free name (…-2.md) is used instead.

    \b
    Example:
      lessons new postmortem "Checkout fails after config push" --date 2024-05-02 \\
          --services checkout,payments --severity 2
    """
    from ..scaffold import new_postmortem, slugify

    when = day.date() if day is not None else None
    path = new_postmortem(_content(content), title, day=when, services=_split(services),
                          severity=severity)
    _report_new(path, f"{path.name[:10]}-{slugify(title)}")


@new.command()
@click.argument("title")
@click.option("--prevents", multiple=True, metavar="CAUSES",
              help="Cause ids (from taxonomy.yml) the practice addresses, comma-separated "
                   "or repeated.")
@click.option("--content", type=click.Path(file_okay=False, path_type=Path), help=_CONTENT_HELP)
def practice(title: str, prevents: tuple[str, ...], content: Path | None) -> None:
    """Write content/practices/slug.md as a draft and print its path.

    \b
    Example:
      lessons new practice "Canary releases" --prevents incomplete-testing
    """
    from ..scaffold import new_practice, slugify

    path = new_practice(_content(content), title, prevents=_split(prevents))
    _report_new(path, slugify(title))


@click.command()
@click.argument("directory", default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option("--with", "with_", multiple=True, type=click.Choice(["reminders"]),
              help="Also write: reminders, a weekly workflow that posts overdue action items to one issue.")
def init(directory: Path, with_: tuple[str, ...]) -> None:
    """Turn DIRECTORY (default: here) into a knowledge base.

    Creates content/ with a taxonomy and an example post-mortem, mkdocs.yml, a
    GitHub Actions workflow (check on pull requests, publish the site from main),
    a pull request template, a pre-commit configuration and a .gitignore.
    Existing files are never overwritten; running it again is harmless.

    \b
    Example:
      lessons init . && lessons new postmortem "Checkout fails after config push"
      lessons init --with reminders
    """
    from ..scaffold import init as run_init

    result = run_init(directory, with_=with_)
    for path in result.created:
        click.echo(f"created {display_path(path)}")
    for path, reason in result.skipped:
        click.echo(f"skipped {display_path(path)}: {reason}")
    if not result.created:
        click.echo("nothing to do: every file is already there")
    for note in result.notes:
        click.echo(f"note: {note}", err=True)
