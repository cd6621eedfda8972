"""What a command-line user expects of any tool: colour only where it helps (and never
with ``NO_COLOR``), a ``--version`` that says what it is working on, shell completion.
"""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest

import lessons

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = Path(sys.executable).parent / "lessons"
"""The installed ``lessons`` command (console script) of this environment."""
ESCAPE = "\x1b["


def _env(**changes: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "LESSONS_INDEX")}
    for key, value in changes.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def _on_a_terminal(args: list[str | Path], env: dict[str, str]) -> str:
    """What a command prints when its standard output is a terminal (a pseudo-terminal here)."""
    master, slave = pty.openpty()
    try:
        process = subprocess.Popen([str(a) for a in args], stdout=slave, stderr=subprocess.PIPE,
                                   stdin=subprocess.DEVNULL, env=env)
        os.close(slave)
        chunks = []
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:  # EIO on Linux: the command has closed the terminal
                break
            if not data:
                break
            chunks.append(data)
        _, stderr = process.communicate(timeout=120)
        assert process.returncode == 0, stderr.decode()
    finally:
        os.close(master)
    return b"".join(chunks).decode("utf-8", "replace")


# -- colour ------------------------------------------------------------------------------


def test_search_is_coloured_on_a_terminal_and_never_with_no_color(content_dir: Path):
    search = [sys.executable, "-m", "lessons", "search", "payments", "--content", content_dir]
    coloured = _on_a_terminal(search, _env())
    assert ESCAPE in coloured  # so the test can tell
    plain = _on_a_terminal(search, _env(NO_COLOR="1"))
    assert "payments" in plain.lower()
    assert "\x1b" not in plain
    # The convention: set to anything but the empty string.
    assert ESCAPE in _on_a_terminal(search, _env(NO_COLOR=""))


def test_search_into_a_pipe_is_never_coloured(content_dir: Path):
    piped = subprocess.run([sys.executable, "-m", "lessons", "search", "payments", "--content", str(content_dir)],
                           capture_output=True, text=True, env=_env(), timeout=120)
    assert piped.returncode == 0, piped.stderr
    assert "payments" in piped.stdout.lower()
    assert "\x1b" not in piped.stdout + piped.stderr


# -- --version ------------------------------------------------------------------------------


def test_version_names_the_knowledge_base_and_its_index(cli, content_dir: Path, monkeypatch):
    monkeypatch.chdir(content_dir.parent)
    monkeypatch.setenv("LESSONS_PATH", str(content_dir))
    monkeypatch.delenv("LESSONS_INDEX", raising=False)
    index = content_dir / ".lessons" / "index.db"

    before = cli("--version")
    assert before.exit_code == 0, before.output
    assert before.stdout.splitlines() == [
        f"lessons {lessons.__version__}",
        f"knowledge base: {content_dir.resolve()}",
        f"index: {index} (not built yet; any command builds it)",
    ]
    assert not index.exists()  # --version only looks

    assert cli("index").exit_code == 0
    after = cli("--version")
    assert after.stdout.splitlines()[2] == f"index: {index}"


def test_version_says_when_no_knowledge_base_is_found(cli, tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("LESSONS_PATH", raising=False)
    result = cli("--version")
    assert result.exit_code == 0
    first, second = result.stdout.splitlines()
    assert first == f"lessons {lessons.__version__}"
    assert second.startswith("index: none (no knowledge base found at or above ")


def test_version_follows_lessons_index(cli, content_dir: Path, tmp_path: Path, monkeypatch):
    monkeypatch.setenv("LESSONS_PATH", str(content_dir))
    monkeypatch.setenv("LESSONS_INDEX", str(tmp_path / "elsewhere.db"))
    assert f"index: {tmp_path / 'elsewhere.db'} " in cli("--version").stdout


# -- shell completion -----------------------------------------------------------------------


def _completion(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    # The console script is what users run: without it the install is broken, not the test.
    assert SCRIPT.is_file(), f"no installed lessons command at {SCRIPT}: pip install -e '.[test]'"
    return subprocess.run([str(SCRIPT)], capture_output=True, text=True, env=env, timeout=60)


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_the_readme_s_completion_line_gives_a_script_for_each_shell(shell: str):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"_LESSONS_COMPLETE={shell}_source lessons" in readme
    done = _completion(_env(_LESSONS_COMPLETE=f"{shell}_source"))
    assert done.returncode == 0, done.stderr
    assert "_LESSONS_COMPLETE" in done.stdout and re.search(r"\blessons\b", done.stdout)


def test_completion_completes_commands_and_choices():
    commands = _completion(_env(_LESSONS_COMPLETE="bash_complete", COMP_WORDS="lessons se", COMP_CWORD="1"))
    assert commands.stdout.split() == ["plain,search", "plain,serve"]
    choices = _completion(_env(_LESSONS_COMPLETE="bash_complete", COMP_WORDS="lessons check --format g",
                               COMP_CWORD="3"))
    assert choices.stdout.split() == ["plain,github"]
