"""`lessons mcp`: start the MCP server on standard input and output."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import click

from ..errors import LessonsError
from ..store.discover import find_content

_CONTENT_HELP = "Content folder (default: LESSONS_PATH, else found from mkdocs.yml or content/)."


@click.command()
@click.option("--content", type=click.Path(file_okay=False, path_type=Path), help=_CONTENT_HELP)
def mcp(content: Path | None) -> None:
    """Serve the knowledge base to an assistant over MCP (stdio): search, similar, show, actions, advise.

    An MCP client starts this command itself; see "Use from an assistant" in the README
    for the configuration.

    \b
    Example:
      lessons mcp --content content/
    """
    if importlib.util.find_spec("mcp") is None:
        raise LessonsError("lessons mcp needs the MCP SDK: pip install 'lessons[mcp]'")
    root = content or find_content()
    if not root.is_dir():
        raise LessonsError(f"{root} is not a folder")
    from .server import build_server

    build_server(root).run("stdio")
