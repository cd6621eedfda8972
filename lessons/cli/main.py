"""The `lessons` command: a thin adapter over the library.

Each command builds the library object, calls one library function and turns
`LessonsError` into a clean message. Exit codes: 0 ok, 1 findings, 2 usage or
runtime error. Colour only on a terminal, and never with ``NO_COLOR`` set. Shell
completion comes from click: ``eval "$(_LESSONS_COMPLETE=bash_source lessons)"``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from .. import __version__
from ..codes import RULES, explain
from ..errors import KnowledgeBaseNotFound, Level, LessonsError
from ..store.discover import find_content
from ..suggest import closest
from ..mcp.command import mcp
from .actions import actions
from .adopt import import_
from .advise import advise
from .opening import open_with_progress as _open_with_progress
from .opening import with_database
from .scaffold import init, new
from .site import build, serve

CONTENT_HELP = "Content folder (default: LESSONS_PATH, else found from mkdocs.yml or content/)."


class _Group(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except LessonsError as exc:
            click.echo(f"error: {exc}", err=True)
            ctx.exit(2)


def _show_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    """``lessons --version``: the version, and which knowledge base and index are in use here."""
    if not value or ctx.resilient_parsing:
        return
    from ..store.index import default_location

    click.echo(f"lessons {__version__}")
    try:
        root = find_content()
    except KnowledgeBaseNotFound as exc:
        click.echo(f"index: none ({exc})")
    else:
        location = default_location(root)
        click.echo(f"knowledge base: {root.resolve()}")
        click.echo(f"index: {location}" + ("" if location.is_file() else " (not built yet; any command builds it)"))
    ctx.exit()


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--version", is_flag=True, expose_value=False, is_eager=True, callback=_show_version,
              help="Show the version and where the index of the knowledge base here is, then exit.")
def main() -> None:
    """A lessons-learned knowledge base: post-mortems and practices in Markdown.

    \b
    Example:
      lessons check content/
    """


def _load(content: Path | None, near: Path | None = None) -> Any:
    # The library is imported when a command runs, so that `lessons --help` loads only click.
    from ..opening import load
    from ..parsing.parse import FOLDER_KINDS

    if content is None:
        start = near if near is None or near.is_dir() else near.parent
        content = _content_holding(start) if start is not None else None
        try:
            content = content or find_content(start)
        except KnowledgeBaseNotFound:
            if start is None:
                raise
            content = None
        if start is not None and not _holds_or_holds_in(content, start.resolve()):
            # A folder of someone's post-mortems, with none of our files around it, or inside
            # a project whose own site (mkdocs.yml above) is elsewhere: read it as it is (from
            # its parent when it is a postmortems/ or practices/ folder).
            here = start.resolve()
            content = here.parent if here.name in FOLDER_KINDS else here
            click.echo(f"note: no taxonomy.yml, mkdocs.yml or content/ folder holds the path given; reading "
                       f"{content} as the knowledge base (`lessons init` sets one up)", err=True)
    return load(content)


def _holds_or_holds_in(content: Path | None, here: Path) -> bool:
    """Whether the path given is in the knowledge base found, or the knowledge base is in it.

    ``lessons check .`` at a repository's top holds its ``content/``; ``lessons check
    content/postmortems`` is inside it; a folder beside it is neither, and is read as itself.
    """
    if content is None:
        return False
    found = content.resolve()
    return here.is_relative_to(found) or found.is_relative_to(here)


def _content_holding(start: Path) -> Path | None:
    """The content folder a path is in: the nearest folder at or above it with a taxonomy.yml."""
    from ..taxonomy import TAXONOMY_FILE

    here = start.resolve()
    for folder in (here, *here.parents):
        if (folder / TAXONOMY_FILE).is_file():
            return folder
    return None


def _explain(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    """``lessons check --explain CODE``: what a rule checks and how to fix or silence it."""
    if value is None or ctx.resilient_parsing:
        return
    if value not in RULES:
        guess = closest(value, RULES)
        hint = f" — did you mean {guess!r}?" if guess else ""
        click.echo(f"error: no rule {value!r}{hint} (the rules are listed in docs/FORMAT.md)", err=True)
        ctx.exit(2)
    click.echo(explain(value))
    ctx.exit()


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--content", type=click.Path(file_okay=False, path_type=Path), help=CONTENT_HELP)
@click.option("--explain", metavar="CODE", expose_value=False, is_eager=True, callback=_explain,
              help="Print what the rule CODE checks and how to fix or silence it, then exit.")
@click.option("--settings", "settings_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Settings file (default: lessons.toml, .lessons.toml or pyproject.toml's "
                   "[tool.lessons], found from the content folder upwards).")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "github", "sarif"]),
              default="text", show_default=True, help="Output format.")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info", "never"]), default="error",
              show_default=True, help="Exit 1 when a finding is at least this serious.")
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too (the same as --fail-on warning).")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Judge future dates and overdue items against this day (YYYY-MM-DD).")
@click.option("--changed", is_flag=True,
              help="Report only files changed against --base (committed, staged, unstaged, new).")
@click.option("--base", default=None, metavar="REF",
              help="Git ref for --changed (default: origin/$GITHUB_BASE_REF in a pull request, "
                   "else main).")
@click.option("--duplicate-threshold", type=click.FloatRange(0, 1), default=0.8, show_default=True,
              help="Warn when a post-mortem in PATHS (or --changed) is at least this similar "
                   "(0-1) to another; 1 to disable.")
def check(paths: tuple[Path, ...], content: Path | None, settings_file: Path | None, fmt: str, fail_on: str,
          strict: bool, today: Any, changed: bool, base: str | None, duplicate_threshold: float) -> None:
    """Validate the knowledge base; report problems in PATHS (default: all).

    Every document is read, so links and ids are checked against the whole
    knowledge base even when PATHS names a few files.

    \b
    Example:
      lessons check                          # the whole knowledge base
      lessons check content/postmortems/2024-03-16-sainsburys.md --format github
      lessons check --explain missing-section
    """
    from ..checks.report import render
    from ..checks.rules import CheckOptions, check_report

    kb = _load(content, paths[0] if paths else None)
    only: list[Path] = list(paths)
    if changed:
        from ..checks.gitdiff import changed_files

        ref = base or (f"origin/{os.environ['GITHUB_BASE_REF']}" if os.environ.get("GITHUB_BASE_REF")
                       else "main")
        files = changed_files(kb.root, ref)
        if paths:
            wanted = [p.resolve() for p in paths]
            files = [f for f in files if any(f == w or f.is_relative_to(w) for w in wanted)]
        if not files:
            click.echo(f"no changed files under {kb.root} against {ref}", err=True)
            return
        only = files
    threshold = None if duplicate_threshold >= 1 else duplicate_threshold
    options = CheckOptions(only=only, duplicate_threshold=threshold, settings_file=settings_file)
    if today is not None:
        options.today = today.date()
    report = check_report(kb, options)
    problems = report.problems
    output = render(problems, fmt, files_checked=len(kb) + len(kb.pages), silenced=len(report.silenced))
    if output:
        click.echo(output)
    if strict and fail_on in ("error", "never"):
        fail_on = "warning"
    if fail_on != "never":
        threshold = Level(fail_on).rank
        if any(p.level.rank >= threshold for p in problems):
            sys.exit(1)


@main.command()
@click.argument("doc_id")
@click.option("--content", type=click.Path(file_okay=False, path_type=Path), help=CONTENT_HELP)
@click.option("--json", "as_json", is_flag=True, help="Print the document as JSON.")
@with_database
def show(doc_id: str, content: Path | None, as_json: bool, database: str | None, sources: tuple[str, ...]) -> None:
    """Show one document: its fields, timeline and action items.

    \b
    Example:
      lessons show 2017-02-28-aws-s3-us-east-1
    """
    import json

    from .show import describe

    doc = (_open_with_progress(content, database, sources) if database else _load(content)).get(doc_id)
    if as_json:
        data = doc.to_dict()
        # What the text output derives, for tools: durations in minutes, and where they came from.
        for name, span, end in (("time_to_detect", doc.time_to_detect, "detected"),
                                ("time_to_resolve", doc.time_to_resolve, "resolved")):
            data[f"{name}_minutes"] = None if span is None else round(span.total_seconds() / 60)
            data[f"{name}_from"] = None if span is None else (
                "timeline" if "timeline" in (doc.moment_source("started"), doc.moment_source(end))
                else "front matter")
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        click.echo(describe(doc))


def _filters(kind: str | None, cause: tuple[str, ...], tag: tuple[str, ...],
             service: tuple[str, ...], severity: tuple[int, ...], since: str | None,
             until: str | None, status: tuple[str, ...]) -> dict[str, Any]:
    return {"kind": kind, "causes": list(cause) or None, "tags": list(tag) or None,
            "services": list(service) or None, "severity": list(severity) or None,
            "since": since, "until": until, "status": list(status) or None}


def _print_results(results: list[Any], as_json: bool, empty: str) -> None:
    import json

    if as_json:
        click.echo(json.dumps([r.to_dict() for r in results], indent=2, ensure_ascii=False))
        return
    if not results:
        click.echo(empty)
        return
    from .show import results_table

    click.echo(results_table(results, color=_color()))


def _color() -> bool:
    """Colour for a terminal only, and never when ``NO_COLOR`` is set (https://no-color.org)."""
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


_FILTER_OPTIONS = [
    click.option("--kind", type=click.Choice(["postmortem", "practice"]), help="Only this kind."),
    click.option("--cause", multiple=True, help="Only documents with this cause (repeatable)."),
    click.option("--tag", multiple=True, help="Only documents with this tag (repeatable)."),
    click.option("--service", multiple=True, help="Only documents about this service (repeatable)."),
    click.option("--severity", type=click.IntRange(0, 5), multiple=True,
                 help="Only this severity (0 or 1 is the worst)."),
    click.option("--since", metavar="YYYY-MM-DD", help="Only incidents on or after this day."),
    click.option("--until", metavar="YYYY-MM-DD", help="Only incidents on or before this day."),
    click.option("--status", type=click.Choice(["draft", "in-review", "published"]), multiple=True),
]


def _with_filters(func: Any) -> Any:
    for option in reversed(_FILTER_OPTIONS):
        func = option(func)
    return func


@main.command()
@click.argument("query", nargs=-1, required=True)
@_with_filters
@click.option("--limit", "-n", type=click.IntRange(1, 1000), default=10, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print results as JSON for tools.")
@click.option("--content", type=click.Path(file_okay=False, path_type=Path), help=CONTENT_HELP)
@with_database
def search(query: tuple[str, ...], kind: str | None, cause: tuple[str, ...], tag: tuple[str, ...],
           service: tuple[str, ...], severity: tuple[int, ...], since: str | None,
           until: str | None, status: tuple[str, ...], limit: int, as_json: bool,
           content: Path | None, database: str | None, sources: tuple[str, ...]) -> None:
    """Search the knowledge base: have we seen this before?

    Typos are forgiven and each result says why it matched.

    \b
    Example:
      lessons search contactless payments failing after overnight update
      lessons search "leap second" --kind postmortem --since 2015-01-01 --json
    """
    kb = _open_with_progress(content, database, sources)
    results = kb.search(" ".join(query), limit=limit, source=list(sources) or None,
                        **_filters(kind, cause, tag, service, severity, since, until, status))
    _print_results(results, as_json, "No matches.")


@main.command()
@click.argument("target")
@click.option("--limit", "-n", type=click.IntRange(1, 100), default=5, show_default=True)
@click.option("--kind", type=click.Choice(["postmortem", "practice", "any"]), default="postmortem",
              show_default=True, help="Kind of documents to return.")
@click.option("--json", "as_json", is_flag=True, help="Print results as JSON for tools.")
@click.option("--content", type=click.Path(file_okay=False, path_type=Path), help=CONTENT_HELP)
@with_database
def similar(target: str, limit: int, kind: str, as_json: bool, content: Path | None, database: str | None,
            sources: tuple[str, ...]) -> None:
    """Past incidents like a document (ID or FILE) or a text read from standard input (-).

    \b
    Example:
      lessons similar 2017-02-28-aws-s3-us-east-1
      lessons similar content/postmortems/2024-03-16-sainsburys-overnight-update.md
      echo "card payments declined after release" | lessons similar -
    """
    kb = _open_with_progress(content, database, sources)
    subject: Any
    if target == "-":
        # Pasted alerts and logs are not always UTF-8: a stray byte must not stop the search.
        binary = getattr(sys.stdin, "buffer", None)
        subject = binary.read().decode("utf-8", errors="replace") if binary is not None else sys.stdin.read()
    elif target in kb:
        subject = target
    elif Path(target).is_file():
        from ..parsing.parse import parse_file

        doc = parse_file(Path(target), root=kb.root)
        subject = doc if doc is not None else Path(target).read_text(encoding="utf-8")
    else:
        subject = kb.get(target)  # raises DocumentNotFound with a suggestion
    results = kb.similar(subject, limit=limit, kind=None if kind == "any" else kind, source=list(sources) or None)
    _print_results(results, as_json, "Nothing similar found.")


@main.command()
@click.option("--rebuild", is_flag=True, help="Throw the index away and build it again.")
@click.option("--content", type=click.Path(file_okay=False, path_type=Path), help=CONTENT_HELP)
@with_database
def index(rebuild: bool, content: Path | None, database: str | None, sources: tuple[str, ...]) -> None:
    """Bring the search index up to date (it is also updated by every command).

    The index is a cache in .lessons/ next to the content; it can always be
    deleted and rebuilt. With --database, the content is one source of a shared
    index on PostgreSQL: only its documents are synced, in one transaction.

    \b
    Example:
      lessons index --rebuild
      lessons index --database postgresql://ci@db.internal/lessons --source payments
    """
    import time
    from contextlib import closing

    if len(sources) > 1:
        raise click.UsageError("`lessons index` syncs one source: give --source once")
    root = content or find_content()
    sync_as = sources[0] if sources else None
    if rebuild:
        from ..store.index import Index

        with closing(Index.open(root, database, source=sync_as)) as stale:
            stale.clear()
    start = time.perf_counter()
    kb = _open_with_progress(root, database, sync_as=sync_as, write=True)
    stats = kb.last_sync
    source = f" (source {kb.index.source})" if database or sync_as else ""
    click.echo(f"{kb.index.location}{source}: {len(kb)} documents; {stats.added} added, {stats.updated} "
               f"updated, {stats.removed} removed, {stats.unchanged} unchanged "
               f"({time.perf_counter() - start:.2f} s)")


# The scaffolding, import and site commands live in their own modules (small click wrappers too).
for _command in (new, init, import_, build, serve, advise, actions, mcp):
    main.add_command(_command)

if __name__ == "__main__":  # pragma: no cover
    main()
