"""`lessons import`: a thin click wrapper over `lessons.adopt.importer`."""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import display_path


@click.command("import")
@click.argument("sources", nargs=-1, required=True,
                type=click.Path(exists=True, path_type=Path))
@click.option("--into", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="The folder to write the imported post-mortems to (e.g. content/postmortems).")
@click.option("--dry-run", is_flag=True, help="Show what each file would get; write nothing.")
def import_(sources: tuple[Path, ...], into: Path, dry_run: bool) -> None:
    """Bring existing post-mortems in: Markdown, HTML (Confluence, Google Docs) or .docx.

    Each file becomes a new Markdown file in --into with front matter holding what
    was read from it (title, date, started, detected, resolved, severity) and its
    body as it was. Source files are never changed, no file is overwritten, and a
    file imported before is recognised and left alone. Folders are searched for
    .md, .html and .docx files. Exit status 1 when a file could not be imported.

    \b
    Example:
      lessons import old-postmortems/ --into content/postmortems --dry-run
      lessons import old-postmortems/ --into content/postmortems
    """
    from ..adopt.importer import Outcome, import_files, sources_in

    results = import_files(list(sources_in(sources)), into, dry_run=dry_run)
    if not results:
        raise click.UsageError("no .md, .html or .docx files found in the paths given")
    for result in results:
        target = display_path(result.target) if result.target else "-"
        if result.outcome is Outcome.FAILED:
            click.echo(f"{result.outcome.value:16} {display_path(result.source)}: {result.reason}")
            continue
        click.echo(f"{result.outcome.value:16} {display_path(result.source)} -> {target}")
        if result.outcome is not Outcome.ALREADY:
            shown = ", ".join(f"{k}={v}" for k, v in result.fields.items() if k not in ("title", "sha256"))
            missing = f"; not found: {', '.join(result.missing)}" if result.missing else ""
            click.echo(f"{'':16} {shown or 'no fields read'}{missing}")
    counts = {outcome: sum(r.outcome is outcome for r in results) for outcome in Outcome}
    summary = ", ".join(f"{n} {outcome.value}" for outcome, n in counts.items() if n)
    click.echo(f"{len(results)} file{'s' if len(results) != 1 else ''}: {summary}")
    if counts[Outcome.FAILED]:
        raise SystemExit(1)
