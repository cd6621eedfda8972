"""The `lessons` command: a thin adapter over the library.

Each command builds the library object, calls one library function and turns
`LessonsError` into a clean message. Exit codes: 0 ok, 1 findings, 2 usage or
runtime error.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from .errors import LessonsError

CONTENT_HELP = "Content folder (default: LESSONS_PATH, else found from mkdocs.yml or content/)."


class _Group(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except LessonsError as exc:
            click.echo(f"error: {exc}", err=True)
            ctx.exit(2)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="lessons")
def main() -> None:
    """A lessons-learned knowledge base: post-mortems and practices in Markdown.

    \b
    Example:
      lessons check content/
    """


def _load(content: Path | None, near: Path | None = None) -> Any:
    from .discover import find_content
    from .kb import load

    if content is None:
        start = near if near is None or near.is_dir() else near.parent
        content = find_content(start)
    return load(content)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--content", type=click.Path(file_okay=False, path_type=Path), help=CONTENT_HELP)
@click.option("--format", "fmt", type=click.Choice(["text", "json", "github", "sarif"]),
              default="text", show_default=True, help="Output format.")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info", "never"]), default="error",
              show_default=True, help="Exit 1 when a finding is at least this serious.")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Judge future dates and overdue items against this day (YYYY-MM-DD).")
def check(paths: tuple[Path, ...], content: Path | None, fmt: str, fail_on: str,
          today: Any) -> None:
    """Validate the knowledge base; report problems in PATHS (default: all).

    Every document is read, so links and ids are checked against the whole
    knowledge base even when PATHS names a few files.

    \b
    Example:
      lessons check                          # the whole knowledge base
      lessons check content/postmortems/2024-03-16-sainsburys.md --format github
    """
    from .check import CheckOptions, check as run_check
    from .errors import Level
    from .report import render

    kb = _load(content, paths[0] if paths else None)
    options = CheckOptions(only=paths)
    if today is not None:
        options.today = today.date()
    problems = run_check(kb, options)
    files = len(kb) + len(kb.pages)
    output = render(problems, fmt, files_checked=files)
    if output:
        click.echo(output)
    if fail_on != "never":
        threshold = Level(fail_on).rank
        if any(p.level.rank >= threshold for p in problems):
            sys.exit(1)


@main.command()
@click.argument("doc_id")
@click.option("--content", type=click.Path(file_okay=False, path_type=Path), help=CONTENT_HELP)
@click.option("--json", "as_json", is_flag=True, help="Print the document as JSON.")
def show(doc_id: str, content: Path | None, as_json: bool) -> None:
    """Show one document: its fields, timeline and action items.

    \b
    Example:
      lessons show 2017-02-28-aws-s3-us-east-1
    """
    import json

    from .show import describe

    doc = _load(content).get(doc_id)
    if as_json:
        click.echo(json.dumps(doc.to_dict(), indent=2, ensure_ascii=False))
    else:
        click.echo(describe(doc))


if __name__ == "__main__":  # pragma: no cover
    main()
