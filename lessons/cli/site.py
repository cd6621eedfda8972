"""``lessons build`` and ``lessons serve``: the site, for people who do not know MkDocs.

Thin wrappers over `lessons.mkdocs.build`; the lead registers them on the
``lessons`` group with ``main.add_command``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..mkdocs.extra import detect_builder, missing_site_extra

CONFIG_HELP = "MkDocs configuration (default: ./mkdocs.yml, else a built-in one)."
CONTENT_HELP = "Content folder to build when there is no mkdocs.yml (default: found as for check)."


def _command_name() -> str:
    """How the user can run `lessons` again: plain when it is on PATH, else the path used."""
    import os
    import shutil

    invoked = Path(sys.argv[0])
    on_path = shutil.which("lessons")
    if invoked.name == "lessons" and not (on_path and Path(on_path).resolve() == invoked.resolve()):
        try:
            return os.path.relpath(invoked)
        except ValueError:
            return str(invoked)
    return "lessons"


@click.command()
@click.option("-f", "--config-file", "config", type=click.Path(dir_okay=False, path_type=Path),
              help=CONFIG_HELP)
@click.option("--content", type=click.Path(file_okay=False, exists=True, path_type=Path),
              help=CONTENT_HELP)
@click.option("-d", "--site-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Where to write the site (default: site/).")
@click.option("--strict", is_flag=True,
              help="Refuse content with errors and fail on warnings such as broken links (for CI).")
@click.option("--builder", type=click.Choice(["mkdocs", "zensical"]),
              help="Build with MkDocs (runs the plugin) or Zensical (builds the same pages, exported); "
                   "default: MkDocs if installed, else Zensical.")
def build(config: Path | None, content: Path | None, site_dir: Path | None, strict: bool,
          builder: str | None) -> None:
    """Build the static site: every post-mortem with its card, related incidents and
    practices, the incident lists, open action items, charts and an Atom feed.

    Content with errors (`lessons check`) is built anyway and the errors are listed;
    with --strict they stop the build and exit 1, as CI should.

    \b
    Example:
      lessons build --site-dir public/
      lessons build --builder zensical
    """
    builder = builder or detect_builder()
    _require_site_extra("lessons build", builder)
    from ..mkdocs.build import BuildFailed, build_site, built_without_plugin

    previous = site_dir or Path("site")
    if built_without_plugin(previous):
        # `zensical build` (or `mkdocs build` without the plugin) left a site without lessons' pages.
        click.echo(f"note: {previous} was last built without the lessons plugin (Zensical skips plugins: "
                   "use `lessons build --builder zensical`); rebuilding it now", err=True)
    try:
        built = build_site(config, content=content, site_dir=site_dir, strict=strict, builder=builder)
    except BuildFailed as exc:
        _fail(exc)
    out = built.site_dir
    me = _command_name()
    click.echo(f"site written to {out}" + (" (with Zensical)" if built.builder == "zensical" else ""))
    if built.content_errors:
        click.echo(f"  built with {built.content_errors} content error{'s' if built.content_errors != 1 else ''} "
                   f"(listed above; `{me} check` explains them, `{me} build --strict` refuses them)")
    click.echo(f"  open it:    {Path(out).resolve() / 'index.html'}  (or `{me} serve` for http://127.0.0.1:8000)")
    click.echo(f'  search it:  {me} search "contactless payments failing"   (or the search box on the home page)')
    click.echo(f"  similar:    {me} similar <id>   ·   check: {me} check")


@click.command()
@click.option("-f", "--config-file", "config", type=click.Path(dir_okay=False, path_type=Path),
              help=CONFIG_HELP)
@click.option("--content", type=click.Path(file_okay=False, exists=True, path_type=Path),
              help=CONTENT_HELP)
@click.option("-a", "--dev-addr", default="127.0.0.1:8000", show_default=True, metavar="IP:PORT",
              help="Address to serve on.")
@click.option("--open", "open_browser", is_flag=True, help="Open the site in a browser.")
def serve(config: Path | None, content: Path | None, dev_addr: str, open_browser: bool) -> None:
    """Serve the site locally and rebuild it when content changes.

    \b
    Example:
      lessons serve --open
    """
    _require_site_extra("lessons serve")
    from ..mkdocs.build import BuildFailed, serve_site

    try:
        serve_site(config, content=content, dev_addr=dev_addr, open_browser=open_browser)
    except BuildFailed as exc:
        _fail(exc)


def _require_site_extra(command: str, builder: str = "mkdocs") -> None:
    # Without MkDocs the build would stop on an ImportError: say what to install instead.
    message = missing_site_extra(command, builder)
    if message:
        click.echo(f"error: {message}", err=True)
        sys.exit(2)


def _fail(exc: Exception) -> None:
    findings = getattr(exc, "findings", False)
    # MkDocs has already logged the content errors with file:line; say what to do.
    message = "the site was not built: fix the content errors above (see `lessons check`)"
    click.echo(f"error: {message if findings else exc}", err=True)
    sys.exit(1 if findings else 2)
