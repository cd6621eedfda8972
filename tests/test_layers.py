"""The shape of the package: no import cycles, small modules and functions, imports at the top.

The imports are read with `ast` from ``lessons/**/*.py`` (nothing is imported), at the
level of modules: ``from ..store.tokenize import stem`` in ``lessons/query/ranking.py``
is an edge ``lessons.query.ranking -> lessons.store.tokenize``; ``from . import pages``
names the module ``lessons.mkdocs.pages``; ``from .. import __version__`` names the
package ``lessons``. Imports inside functions count as much as those at the top: they
run too, only later. Imports under ``if TYPE_CHECKING:`` never run and are left out.

Some offenders belong to files other people are still splitting. They are listed in
the ``STILL_…`` sets below, which the tests tolerate; each list can only shrink: a
listed offender that is fixed fails the test until it is removed from the list.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "lessons"
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60

STILL_TOO_LONG: set[str] = set()
"""Today's known offenders of the size limits. The lead empties this at the merge."""

STILL_IN_A_CYCLE: set[str] = set()
"""Import edges that close a cycle today, left out of the cycle test until they go."""

LAZY_ON_PURPOSE = {
    # The CLI's commands import the library when they run: `lessons --help` then loads
    # click and nothing else of ours but the errors (about 60 ms instead of 120 ms).
    "lessons/cli/main.py -> lessons.opening",
    "lessons/cli/main.py -> lessons.checks.report",
    "lessons/cli/main.py -> lessons.checks.rules",
    "lessons/cli/main.py -> lessons.checks.gitdiff",
    "lessons/cli/main.py -> lessons.cli.show",
    "lessons/cli/main.py -> lessons.parsing.parse",
    "lessons/cli/main.py -> lessons.store.index",
    "lessons/cli/main.py -> lessons.taxonomy",
    "lessons/cli/opening.py -> lessons.opening",
    "lessons/cli/scaffold.py -> lessons.scaffold",
    "lessons/cli/adopt.py -> lessons.adopt.importer",
    "lessons/cli/actions.py -> lessons.checks.settings",
    # The MCP server needs the `mcp` extra: imported only when `lessons mcp` runs.
    "lessons/mcp/command.py -> lessons.mcp.server",
    "lessons/cli/advise.py -> lessons.advise",
    "lessons/cli/advise.py -> lessons.advise.render",
    "lessons/cli/advise.py -> lessons.checks.settings",
    "lessons/cli/advise.py -> lessons.checks.gitdiff",
    # The site needs the `site` extra (MkDocs): imported only by the site commands, so
    # every other command works without it.
    "lessons/cli/site.py -> lessons.mkdocs.build",
    "lessons/mkdocs/build.py -> lessons.mkdocs.plugin",
    # The table classes import SQLModel (and SQLAlchemy): only a sync that creates the
    # tables needs them, never a search.
    "lessons/store/backends/__init__.py -> lessons.store.tables",
    # Reading a file (read_source, for every sync) must not load the markdown parser and
    # compile the language packs (about 80 ms): the search path reads files and parses none.
    "lessons/advise/sections.py -> lessons.parsing.outline",
    "lessons/parsing/parse.py -> lessons.parsing.builder",
    "lessons/parsing/parse.py -> lessons.parsing.dates",
    "lessons/parsing/parse.py -> lessons.parsing.fields",
    "lessons/parsing/parse.py -> lessons.parsing.frontmatter",
    "lessons/parsing/parse.py -> lessons.parsing.markdown",
    "lessons/parsing/parse.py -> lessons.parsing.outline",
    "lessons/parsing/parse.py -> lessons.parsing.readers",
}
"""Function-level imports of our own modules that keep a command fast or an extra optional."""

STILL_IMPORTED_IN_FUNCTIONS = {
    "lessons/scaffold.py -> lessons",
}
"""Function-level imports in files owned by others, tolerated until they move to the top."""


@dataclass(frozen=True, slots=True)
class Import:
    """One import of one of our modules."""

    source: str
    """The importing module, ``lessons.kb``."""
    path: str
    """Its file, relative to the repository: ``lessons/kb.py``."""
    target: str
    """The imported module (or package), ``lessons.store.index``."""
    line: int
    in_function: bool


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _import_nodes(node: ast.AST, in_function: bool = False) -> Iterator[tuple[ast.Import | ast.ImportFrom, bool]]:
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.If) and _is_type_checking(child):
            for other in child.orelse:
                yield from _import_nodes(other, in_function)
            continue
        if isinstance(child, (ast.Import, ast.ImportFrom)):
            yield child, in_function
        else:
            yield from _import_nodes(child, in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef,
                                                                                ast.Lambda)))


def _targets(module: str, path: Path, node: ast.Import | ast.ImportFrom) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names if alias.name.split(".")[0] == "lessons"]
    if node.level:
        package = (module if path.name == "__init__.py" else module.rpartition(".")[0]).split(".")
        base = ".".join(package[: len(package) - node.level + 1] + ([node.module] if node.module else []))
    else:
        base = node.module or ""
    if base.split(".")[0] != "lessons":
        return []
    # `from . import pages` imports the module lessons.mkdocs.pages; `from .. import __version__`
    # imports a name of the package lessons.
    return sorted({f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base for alias in node.names})


def own_imports() -> list[Import]:
    found = []
    for module, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        relative = path.relative_to(ROOT).as_posix()
        for node, in_function in _import_nodes(tree):
            for target in _targets(module, path, node):
                found.append(Import(module, relative, target, node.lineno, in_function))
    return found


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative: the strongly connected components of a graph."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, successors = work[-1]
            for successor in successors:
                if successor not in index:
                    index[successor] = low[successor] = len(index)
                    stack.append(successor)
                    on_stack.add(successor)
                    work.append((successor, iter(sorted(graph.get(successor, ())))))
                    break
                if successor in on_stack:
                    low[node] = min(low[node], index[successor])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    components.append(sorted(component))
    return components


def a_cycle(component: list[str], graph: dict[str, set[str]]) -> list[str]:
    """One cycle through a strongly connected component, as the modules in order."""
    members = set(component)
    start = component[0]
    path = [start]
    seen = {start}
    # Walk the shortest way back to the start (breadth first inside the component).
    frontier = [[start]]
    while frontier:
        next_frontier = []
        for trail in frontier:
            for successor in sorted(graph.get(trail[-1], ())):
                if successor == start:
                    return [*trail, start]
                if successor in members and successor not in seen:
                    seen.add(successor)
                    next_frontier.append([*trail, successor])
        frontier = next_frontier
    return path


def _graph(imports: list[Import], leave_out: set[str]) -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {module: set() for module in MODULES}
    for imp in imports:
        if f"{imp.source} -> {imp.target}" not in leave_out and imp.source != imp.target:
            graph[imp.source].add(imp.target)
    return graph


# -- the helpers themselves ------------------------------------------------------------


def test_strongly_connected_finds_a_cycle_and_names_it():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": set(), "e": {"e"}}
    components = [c for c in strongly_connected(graph) if len(c) > 1]
    assert components == [["a", "b", "c"]]
    assert a_cycle(components[0], graph) == ["a", "b", "c", "a"]


def test_relative_imports_resolve_to_our_modules():
    by_source = {(imp.source, imp.target) for imp in own_imports()}
    # `from . import pages` in lessons/mkdocs/plugin.py: the module, not the package.
    assert ("lessons.mkdocs.plugin", "lessons.mkdocs.pages") in by_source
    # `from ..errors import ...` two levels up from lessons/checks/rules.py.
    assert ("lessons.checks.rules", "lessons.errors") in by_source
    # A package's __init__ resolves relative to itself: lessons/cli/__init__.py's `.main`.
    assert ("lessons.cli", "lessons.cli.main") in by_source


def test_type_checking_imports_are_left_out_and_function_imports_counted():
    tree = ast.parse("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .kb import X\n"
                     "def f():\n    from .errors import Y\n")
    found = [(node.module, in_function) for node, in_function in _import_nodes(tree)]
    assert found == [("typing", False), ("errors", True)]


# -- the package -------------------------------------------------------------------------


def test_no_import_cycles():
    imports = own_imports()
    graph = _graph(imports, STILL_IN_A_CYCLE)
    cycles = [" -> ".join(a_cycle(c, graph)) for c in strongly_connected(graph) if len(c) > 1]
    assert not cycles, "import cycles among lessons' modules:\n  " + "\n  ".join(cycles)
    edges = {f"{imp.source} -> {imp.target}" for imp in imports}
    gone = sorted(STILL_IN_A_CYCLE - edges)
    assert not gone, f"no longer imported, remove from STILL_IN_A_CYCLE: {gone}"


def _too_long() -> dict[str, int]:
    found: dict[str, int] = {}
    for path in MODULES.values():
        relative = path.relative_to(ROOT).as_posix()
        text = path.read_text(encoding="utf-8")
        lines = len(text.splitlines())
        if lines > MAX_MODULE_LINES:
            found[relative] = lines
        for name, node in _functions(ast.parse(text)):
            # lineno is the `def` line: decorators are not counted.
            length = node.end_lineno - node.lineno + 1 if node.end_lineno else 0
            if length > MAX_FUNCTION_LINES:
                found[f"{relative}::{name}"] = length
    return found


def _functions(node: ast.AST, prefix: str = "") -> Iterator[tuple[str, ast.FunctionDef | ast.AsyncFunctionDef]]:
    for child in ast.iter_child_nodes(node):
        if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield f"{prefix}{child.name}", child
            yield from _functions(child, f"{prefix}{child.name}.")
        elif isinstance(child, ast.ClassDef):
            yield from _functions(child, f"{prefix}{child.name}.")
        else:
            yield from _functions(child, prefix)


def test_no_module_over_400_lines_and_no_function_over_60():
    found = _too_long()
    new = {name: lines for name, lines in sorted(found.items()) if name not in STILL_TOO_LONG}
    assert not new, "too long (module limit 400 lines, function limit 60):\n  " + "\n  ".join(
        f"{name}: {lines} lines" for name, lines in new.items())
    fixed = sorted(STILL_TOO_LONG - set(found))
    assert not fixed, f"no longer too long (or gone), remove from STILL_TOO_LONG: {fixed}"


def test_our_modules_are_imported_at_the_top():
    found: dict[str, list[str]] = {}
    for imp in own_imports():
        if imp.in_function:
            found.setdefault(f"{imp.path} -> {imp.target}", []).append(f"{imp.path}:{imp.line}")
    allowed = LAZY_ON_PURPOSE | STILL_IMPORTED_IN_FUNCTIONS
    new = {key: places for key, places in sorted(found.items()) if key not in allowed}
    assert not new, ("our own modules imported inside a function (import them at the top; only heavy "
                     "libraries are imported lazily):\n  " + "\n  ".join(
                         f"{key} ({', '.join(places)})" for key, places in new.items()))
    gone = sorted(allowed - set(found))
    assert not gone, f"imported at the top now (or gone), remove from the allow-lists: {gone}"
