"""The README's examples run, so they never rot.

Every ```python block of README.md is executed as it is, with the working directory
at the repository root (where a reader runs it); the index goes to a temporary file
so the test leaves nothing behind in ``content/``.
"""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
_BLOCK = re.compile(r"^```python[ \t]*\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)


def python_blocks() -> list[tuple[int, str]]:
    """(line number, code) of each ```python block of the README."""
    text = README.read_text(encoding="utf-8") if README.is_file() else ""
    return [(text.count("\n", 0, match.start()) + 1, match.group(1)) for match in _BLOCK.finditer(text)]


BLOCKS = python_blocks()


def test_the_readme_has_python_examples():
    assert README.is_file(), "README.md is missing"
    assert BLOCKS, "README.md has no ```python blocks: show how to use lessons from Python"


@pytest.mark.parametrize(("line", "code"), BLOCKS, ids=[f"README.md:{line}" for line, _ in BLOCKS])
def test_python_example_runs(line, code, tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("LESSONS_PATH", raising=False)
    monkeypatch.setenv("LESSONS_INDEX", str(tmp_path / "index.db"))
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(code, f"README.md:{line}", "exec"), {"__name__": "__readme__"})
    if "print(" in code:
        assert printed.getvalue().strip(), f"the example at README.md:{line} printed nothing"


def test_every_search_command_is_in_the_readme():
    from lessons.cli.main import main

    text = README.read_text(encoding="utf-8")
    for name in ("search", "similar", "index", "show"):
        assert name in main.commands, f"lessons {name} is not a command"
        assert f"lessons {name}" in text, f"README.md does not mention `lessons {name}`"


def _all_commands() -> list[tuple[str, object]]:
    import click

    from lessons.cli.main import main

    found: list[tuple[str, object]] = []
    for name, command in sorted(main.commands.items()):
        found.append((name, command))
        if isinstance(command, click.Group):
            found.extend((f"{name} {sub}", subcommand) for sub, subcommand in sorted(command.commands.items()))
    return found


@pytest.mark.parametrize(("name", "command"), _all_commands(), ids=[name for name, _ in _all_commands()])
def test_every_command_has_help_ending_with_an_example_and_is_in_the_readme(name, command):
    from click.testing import CliRunner

    from lessons.cli.main import main

    result = CliRunner().invoke(main, [*name.split(), "--help"])
    assert result.exit_code == 0, result.output
    assert "Example:" in result.output, f"`lessons {name} --help` has no example"
    assert f"lessons {name.split()[0]}" in result.output.split("Example:")[1]
    assert f"lessons {name}" in README.read_text(encoding="utf-8"), f"README.md does not mention `lessons {name}`"


def test_ci_runs_the_readme_test_command():
    readme_test_command = README.read_text(encoding="utf-8").split("```bash\n", 1)[1].splitlines()[1]
    assert "pytest" in readme_test_command
    assert readme_test_command in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
