"""The ``site`` extra: ``pip install lessons`` is the library and the CLI; the site needs
``lessons[site]``, and a command that needs it says so in one line.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import lessons.mkdocs.build
import lessons.mkdocs.extra
from lessons.mkdocs.extra import SITE_EXTRA, ZENSICAL_NEEDS

if sys.version_info >= (3, 11):
    import tomllib
else:  # the package's own fallback (pyproject: tomli on Python 3.10)
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
DATA_KB = Path(__file__).parent / "data" / "kb"


def _without(monkeypatch: pytest.MonkeyPatch, *missing: str) -> None:
    """Make `missing` look uninstalled to the extra check."""
    real = importlib.util.find_spec

    def find_spec(name: str, package: str | None = None) -> object:
        return None if name in missing else real(name, package)

    monkeypatch.setattr(importlib.util, "find_spec", find_spec)


@pytest.mark.parametrize("command", ["build", "serve"])
@pytest.mark.parametrize("missing", SITE_EXTRA)
def test_a_site_command_without_the_extra_says_what_to_install(cli, content_dir, monkeypatch, command, missing):

    def reached(*args: object, **kwargs: object) -> None:
        raise AssertionError("the command went on to MkDocs without the extra")

    # Without the check the command would go on to build (or serve until stopped).
    monkeypatch.setattr(lessons.mkdocs.build, f"{command}_site", reached)
    monkeypatch.setattr(lessons.mkdocs.extra, "zensical_command", lambda: None)  # nor Zensical to fall back on
    _without(monkeypatch, missing)
    result = cli(command, "--content", content_dir)
    assert result.exit_code == 2, result.exception
    assert isinstance(result.exception, SystemExit)  # no traceback
    assert result.stderr == f"error: lessons {command} needs the site extra: pip install 'lessons[site]'\n"
    assert result.stdout == ""


def test_zensical_without_mkdocs_builds_and_says_what_it_misses(cli, content_dir, monkeypatch):
    asked: list[str | None] = []

    def build_site(*args: object, builder: str | None = None, **kwargs: object) -> object:
        asked.append(builder)
        raise lessons.mkdocs.build.BuildFailed("stopped here by the test")

    monkeypatch.setattr(lessons.mkdocs.build, "build_site", build_site)
    monkeypatch.setattr(lessons.mkdocs.extra, "zensical_command", lambda: ["zensical"])
    # Zensical with the builders extra and no MkDocs: `lessons build` picks Zensical, asks for nothing.
    _without(monkeypatch, "mkdocs", "material")
    result = cli("build", "--content", content_dir)
    assert asked == ["zensical"] and "needs" not in result.stderr
    # Zensical without the charts' library: one line naming the builders extra.
    _without(monkeypatch, "mkdocs", "material", "pygal")
    result = cli("build", "--content", content_dir)
    assert result.exit_code == 2 and asked == ["zensical"]
    assert result.stderr == ("error: lessons build --builder zensical needs the builders extra: "
                             "pip install 'lessons[builders]'\n")


def test_the_plugin_without_the_extra_fails_the_build_in_one_line(monkeypatch):
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.exceptions import PluginError

    from lessons.mkdocs.plugin import LessonsPlugin

    _without(monkeypatch, "pygal")
    with pytest.raises(PluginError) as raised:
        LessonsPlugin().on_config(MkDocsConfig())
    assert str(raised.value) == "the lessons MkDocs plugin needs the site extra: pip install 'lessons[site]'"


def test_the_extra_check_looks_for_what_the_site_extra_installs():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = {re.split(r"[<>=!~;\[ ]", requirement, maxsplit=1)[0].lower()
             for requirement in project["optional-dependencies"]["site"]}
    # Distribution names as pip knows them; the check looks for the modules they install.
    assert names == {"mkdocs", "mkdocs-material", "pygal", "nh3"}
    assert set(SITE_EXTRA) == {"mkdocs", "material", "pygal", "nh3"}
    assert not names & {re.split(r"[<>=!~;\[ ]", r, maxsplit=1)[0].lower() for r in project["dependencies"]}
    # The README's test command installs the test extra, which must bring the site's.
    test_extras = {part.strip() for requirement in project["optional-dependencies"]["test"]
                   if requirement.startswith("lessons[")
                   for part in requirement[len("lessons["):requirement.index("]")].split(",")}
    assert "site" in test_extras
    # The builders extra brings what the exported pages need, without MkDocs.
    builders = {re.split(r"[<>=!~;\[ ]", requirement, maxsplit=1)[0].lower()
                for requirement in project["optional-dependencies"]["builders"]}
    assert builders == {"zensical", *ZENSICAL_NEEDS}


def _run(args: list[str | Path], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=600)


@pytest.mark.install
def test_the_base_install_is_the_library_and_cli_without_the_site(tmp_path):
    # A copy of what the package is built from, so the build leaves nothing in the repository.
    source = tmp_path / "source"
    shutil.copytree(ROOT / "lessons", source / "lessons", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env['PATH']}"
    installed = _run([venv / "bin" / "python", "-m", "pip", "install", "-q", source], tmp_path, env)
    assert installed.returncode == 0, installed.stderr[-3000:]

    python = venv / "bin" / "python"
    site_packages = _run([python, "-c", f"import importlib.util as u; print([n for n in {SITE_EXTRA!r} "
                                        "if u.find_spec(n)])"], tmp_path, env)
    assert site_packages.stdout.strip() == "[]", "the base install brought in the site's packages"
    library = _run([python, "-c", "import lessons, sys; lessons.search"], tmp_path, env)
    assert library.returncode == 0, library.stderr

    kb = tmp_path / "kb"
    shutil.copytree(DATA_KB, kb, ignore=shutil.ignore_patterns(".lessons"))
    lessons_cmd = venv / "bin" / "lessons"
    found = _run([lessons_cmd, "search", "payments", "--content", kb, "--json"], tmp_path, env)
    assert found.returncode == 0 and '"id"' in found.stdout, found.stderr
    checked = _run([lessons_cmd, "check", "--content", kb, "--today", "2026-11-26"], tmp_path, env)
    assert checked.returncode == 0, checked.stdout + checked.stderr

    for command in ("build", "serve"):
        done = _run([lessons_cmd, command], kb, env)
        assert done.returncode == 2, done.stdout + done.stderr
        assert done.stderr == f"error: lessons {command} needs the site extra: pip install 'lessons[site]'\n"
