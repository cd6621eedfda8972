"""Any builder: MkDocs with the plugin, Zensical through `lessons build`, TechDocs' core plugin."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from lessons.mkdocs.build import BuildFailed, build_site
from lessons.mkdocs.marker import MARKER, built_without_plugin
from lessons.mkdocs.export import read_config

ROOT = Path(__file__).resolve().parent.parent
TODAY = "2026-11-26"


def project(tmp_path: Path, content_dir: Path, plugins: str = "[{lessons: {today: 2026-11-26}}]",
            extra: str = "") -> Path:
    """A repository: content/ and a mkdocs.yml next to it, as `lessons init` makes."""
    root = tmp_path / "repo"
    shutil.copytree(content_dir, root / "content")
    (root / "mkdocs.yml").write_text("\n".join([
        "site_name: Team lessons", "docs_dir: content", "site_dir: site",
        "theme:", "  name: material", "  palette: {primary: teal}",
        f"plugins: {plugins}", "markdown_extensions: [tables, {toc: {permalink: true}}]", extra, ""]),
        encoding="utf-8")
    return root


def pages_of(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("index.html")}


@pytest.fixture
def here(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, content_dir: Path) -> Path:
    root = project(tmp_path, content_dir)
    monkeypatch.chdir(root)
    return root


def test_zensical_builds_the_same_pages_as_mkdocs(here: Path, tmp_path: Path) -> None:
    by_mkdocs = build_site(Path("mkdocs.yml"), site_dir=tmp_path / "mkdocs-site", builder="mkdocs")
    by_zensical = build_site(Path("mkdocs.yml"), site_dir=tmp_path / "zensical-site", builder="zensical")
    assert by_zensical.builder == "zensical"
    mkdocs_pages, zensical_pages = pages_of(by_mkdocs.site_dir), pages_of(by_zensical.site_dir)
    assert len(mkdocs_pages) > 10 and zensical_pages == mkdocs_pages
    post = "postmortems/2023-09-05-dns-configuration-push/index.html"
    for site in (by_mkdocs.site_dir, by_zensical.site_dir):
        text = (site / post).read_text(encoding="utf-8")
        assert 'class="lessons-card"' in text and "Related incidents" in text
        assert (site / "search" / "lessons-index.json").is_file() and (site / MARKER).is_file()
        assert "lessons-search.js" in text
    # the user's theme settings came along (primary colour teal)
    assert 'data-md-color-primary="teal"' in (by_zensical.site_dir / "index.html").read_text(encoding="utf-8")


def test_lessons_build_takes_a_builder(here: Path, cli: Callable[..., Result]) -> None:
    result = cli("build", "--builder", "zensical")
    assert result.exit_code == 0, result.output + result.stderr
    assert "site written to" in result.output and "(with Zensical)" in result.output
    assert (here / "site" / "incidents" / "index.html").is_file()
    unknown = cli("build", "--builder", "sphinx")
    assert unknown.exit_code == 2 and "sphinx" in unknown.stderr


def test_zensical_on_its_own_skips_the_plugin_and_lessons_build_says_so(
        here: Path, cli: Callable[..., Result]) -> None:
    done = subprocess.run([sys.executable, "-m", "zensical", "build"], cwd=here, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    site = here / "site"
    assert not (site / "incidents" / "index.html").exists()  # it ran no plugin: no generated page
    assert built_without_plugin(site)
    result = cli("build")
    assert result.exit_code == 0, result.output + result.stderr
    assert "site was last built without the lessons plugin" in result.stderr
    assert "lessons build --builder zensical" in result.stderr
    assert not built_without_plugin(site) and (site / "incidents" / "index.html").is_file()


def test_a_mkdocs_build_without_the_plugin_is_refused_in_one_line(tmp_path: Path, content_dir: Path) -> None:
    root = project(tmp_path, content_dir, plugins="[]")
    with pytest.raises(BuildFailed, match="does not list the lessons plugin"):
        build_site(root / "mkdocs.yml", builder="mkdocs")


def test_the_export_keeps_tagged_settings_as_written(tmp_path: Path, content_dir: Path) -> None:
    root = project(tmp_path, content_dir, extra="markdown_extensions:\n  - pymdownx.emoji:\n"
                   "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n")
    config = read_config(root / "mkdocs.yml")
    from lessons.mkdocs.export import export

    export(root / "content", tmp_path / "out", base=config)
    written = (tmp_path / "out" / "mkdocs.yml").read_text(encoding="utf-8")
    assert "!!python/name:material.extensions.emoji.twemoji" in written
    assert "site_dir" not in written and "lessons-search.js" in written and "enabled: false" in written


def _venv_with(tmp_path: Path, extra: str) -> tuple[Path, dict[str, Any]]:
    source = tmp_path / "source"
    shutil.copytree(ROOT / "lessons", source / "lessons", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env['PATH']}"
    installed = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", f"{source}[{extra}]"],
                               env=env, capture_output=True, text=True, timeout=900)
    assert installed.returncode == 0, installed.stderr[-3000:]
    return venv, env


@pytest.mark.install
def test_techdocs_core_and_lessons_build_a_site_together(tmp_path: Path, content_dir: Path) -> None:
    # mkdocs-techdocs-core pins Material, Markdown and pymdown-extensions to exact versions,
    # so it gets a virtual environment of its own rather than the test extra.
    venv, env = _venv_with(tmp_path, "techdocs")
    root = project(tmp_path, content_dir, plugins="[techdocs-core, {lessons: {today: 2026-11-26}}]")
    done = subprocess.run([str(venv / "bin" / "mkdocs"), "build", "--strict"], cwd=root, env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    site = root / "site"
    post = (site / "postmortems" / "2023-09-05-dns-configuration-push" / "index.html").read_text(encoding="utf-8")
    assert 'class="lessons-card"' in post and (site / "incidents" / "index.html").is_file()
    assert (site / MARKER).is_file() and (site / "search" / "lessons-index.json").is_file()


@pytest.mark.browser
def test_the_search_works_on_the_zensical_site(here: Path, tmp_path: Path) -> None:
    from site_server import chromium, served

    import lessons

    built = build_site(Path("mkdocs.yml"), site_dir=tmp_path / "zensical-site", builder="zensical")
    expected = lessons.load(here / "content").search("contactles paymnets", limit=1)[0].document
    with served(built.site_dir) as url, chromium() as browser:
        page = browser.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(url + "insights/")
        page.get_by_role("button", name="Open search").click()
        dialog = page.get_by_role("dialog", name="Search the knowledge base")
        dialog.get_by_role("searchbox", name="Search the knowledge base").press_sequentially("contactles paymnets")
        page.locator(".lessons-search-status").filter(has_text="result").wait_for()
        first = page.locator(".lessons-search-result a").first
        assert expected.title in first.inner_text() and errors == []
        assert page.locator(".md-search").count() == 0  # Zensical's own search is switched off
