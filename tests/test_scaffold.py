"""`lessons new` and `lessons init`: slugs, templates, never overwriting, and what they write."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
import yaml
from click.testing import Result

import lessons
from lessons.checks.rules import CheckOptions, check
from lessons.errors import LessonsError
from lessons.model import SECTION_NAMES, Kind, Status
from lessons.scaffold import EXAMPLE_NAME, MAX_SLUG_LENGTH, init, new_postmortem, new_practice, slugify

REPO = Path(__file__).resolve().parents[1]
TEMPLATES = REPO / "lessons" / "templates"


@pytest.mark.parametrize(("title", "slug"), [
    ("Checkout fails after config push", "checkout-fails-after-config-push"),
    ("Zürich café: Ærø & Straße — “smart” quotes!", "zurich-cafe-aero-and-strasse-smart-quotes"),
    ("  S3 outage (us-east-1), 2017/02/28  ", "s3-outage-us-east-1-2017-02-28"),
    ("Łódź Ørsted naïve façade", "lodz-orsted-naive-facade"),
    ("../../etc/passwd", "etc-passwd"),
    ("数据库故障", "untitled"),
    ("🔥🔥", "untitled"),
    ("---", "untitled"),
])
def test_slug_is_ascii_and_readable(title: str, slug: str) -> None:
    assert slugify(title) == slug


def test_long_title_is_cut_at_a_word() -> None:
    title = "The payments service could not reach the database because " * 5
    slug = slugify(title)
    assert len(slug) <= MAX_SLUG_LENGTH
    assert slug == "the-payments-service-could-not-reach-the-database-because"
    assert slugify("x" * 200) == "x" * MAX_SLUG_LENGTH


def test_new_postmortem_is_a_draft_that_passes_check(content_dir: Path) -> None:
    path = new_postmortem(content_dir, "Checkout fails after config push", day=date(2024, 5, 2),
                          services=["checkout", "payments"], severity=2)

    assert path == content_dir / "postmortems" / "2024-05-02-checkout-fails-after-config-push.md"
    kb = lessons.load(content_dir)
    doc = kb.get(path.stem)
    assert (doc.title, doc.date, doc.kind, doc.status) == (
        "Checkout fails after config push", date(2024, 5, 2), Kind.POSTMORTEM, Status.DRAFT)
    assert (doc.services, doc.severity) == (["checkout", "payments"], 2)
    assert [s.name for s in doc.sections] == list(SECTION_NAMES)
    assert doc.action_items == [] and doc.timeline == []  # the examples are inside comments
    # The guidance is raw HTML (comments), and the checker must not mistake it for script.
    assert doc.html and all(raw.html.lstrip().startswith("<!--") for raw in doc.html)
    assert check(kb, CheckOptions(only=[path])) == []


def test_new_postmortem_defaults_to_today_and_omits_unknown_fields(content_dir: Path) -> None:
    path = new_postmortem(content_dir, "Something broke")
    doc = lessons.load(content_dir).get(path.stem)
    assert path.name == f"{date.today().isoformat()}-something-broke.md"
    assert (doc.date, doc.severity, doc.services) == (date.today(), None, [])


@pytest.mark.parametrize("title", [
    "Fix #123: a 'quoted' \"title\" with: colons", "yes", "2024", "- starts like a list",
    "[not] {a} flow*", "Zürich ünïcödé — “smart”", "null",
])
def test_any_title_survives_front_matter_exactly(content_dir: Path, title: str) -> None:
    path = new_postmortem(content_dir, title, day=date(2024, 1, 2),
                          services=["a, b", "c: d", "#e"])
    doc = lessons.load(content_dir).get(path.stem)
    assert doc.title == title
    assert doc.services == ["a, b", "c: d", "#e"]
    assert check(lessons.load(content_dir), CheckOptions(only=[path])) == []


def test_new_never_overwrites(content_dir: Path) -> None:
    first = new_postmortem(content_dir, "Same title", day=date(2024, 1, 2))
    first.write_text(first.read_text(encoding="utf-8") + "\nwritten by hand\n", encoding="utf-8")
    before = first.read_text(encoding="utf-8")

    second = new_postmortem(content_dir, "Same title", day=date(2024, 1, 2))
    third = new_postmortem(content_dir, "Same title", day=date(2024, 1, 2))

    assert first.read_text(encoding="utf-8") == before
    assert [second.name, third.name] == ["2024-01-02-same-title-2.md", "2024-01-02-same-title-3.md"]
    kb = lessons.load(content_dir)
    assert {first.stem, second.stem, third.stem} <= set(kb.ids)
    assert [p for p in check(kb) if p.code == "duplicate-id"] == []


def test_new_avoids_an_id_used_in_another_folder(content_dir: Path) -> None:
    (content_dir / "incidents").mkdir()
    (content_dir / "incidents" / "2024-01-02-moved.md").write_text(
        "---\ntitle: Moved\ndate: 2024-01-02\n---\n", encoding="utf-8")
    path = new_postmortem(content_dir, "Moved", day=date(2024, 1, 2))
    assert path.name == "2024-01-02-moved-2.md"


def test_new_practice(content_dir: Path) -> None:
    path = new_practice(content_dir, "Feature flags for risky changes",
                        prevents=["incomplete-testing"])
    assert path == content_dir / "practices" / "feature-flags-for-risky-changes.md"
    kb = lessons.load(content_dir)
    doc = kb.get(path.stem)
    assert (doc.kind, doc.status, doc.prevents) == (Kind.PRACTICE, Status.DRAFT, ["incomplete-testing"])
    assert check(kb, CheckOptions(only=[path])) == []
    assert new_practice(content_dir, "Feature flags for risky changes").name == (
        "feature-flags-for-risky-changes-2.md")


@pytest.mark.parametrize(("title", "severity", "message"), [
    ("   ", None, "the title is empty"),
    ("Fine", 6, "severity must be 0 (worst) to 5, not 6"),
])
def test_new_refuses_bad_input_clearly(content_dir: Path, title: str, severity: int | None,
                                       message: str) -> None:
    with pytest.raises(LessonsError, match=re.escape(message)):
        new_postmortem(content_dir, title, severity=severity)
    assert not (content_dir / "postmortems" / f"{date.today().isoformat()}-fine.md").exists()


def test_init_creates_a_knowledge_base_that_passes_check(tmp_path: Path) -> None:
    result = init(tmp_path)

    assert [p.relative_to(tmp_path).as_posix() for p in result.created] == [
        "content/taxonomy.yml", f"content/postmortems/{EXAMPLE_NAME}", "mkdocs.yml",
        ".github/workflows/lessons.yml", ".github/pull_request_template.md",
        ".pre-commit-config.yaml", ".gitignore",
    ]
    assert result.skipped == []
    kb = lessons.load(tmp_path / "content")
    assert kb.ids == [EXAMPLE_NAME.removesuffix(".md")]
    # The one finding is the site's address, until the team writes it.
    assert [p.code for p in check(kb, CheckOptions(today=date(2030, 1, 1)))] == ["site-url-placeholder"]
    config = tmp_path / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "https://lessons.example.com/", "https://incidents.team.test/"), encoding="utf-8")
    assert check(kb, CheckOptions(today=date(2030, 1, 1))) == []
    example = kb.get(EXAMPLE_NAME.removesuffix(".md"))
    assert example.status is Status.PUBLISHED and example.time_to_resolve is not None


def test_init_is_idempotent_and_never_overwrites(tmp_path: Path) -> None:
    (tmp_path / "mkdocs.yml").write_text("site_name: Ours\n", encoding="utf-8")
    first = init(tmp_path)
    snapshot = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}

    second = init(tmp_path)

    assert (tmp_path / "mkdocs.yml").read_text(encoding="utf-8") == "site_name: Ours\n"
    assert [p.name for p, _ in first.skipped] == ["mkdocs.yml"]
    assert "add `- lessons` under `plugins:`" in first.skipped[0][1]
    assert second.created == []
    assert sorted(p for p, _ in second.skipped) == sorted([*first.created, tmp_path / "mkdocs.yml"])
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == snapshot


def test_init_adds_no_example_to_an_existing_knowledge_base(tmp_path: Path) -> None:
    (tmp_path / "content" / "incidents").mkdir(parents=True)
    (tmp_path / "content" / "incidents" / "ours.md").write_text(
        "---\ntitle: Ours\ndate: 2020-01-01\n---\n", encoding="utf-8")
    result = init(tmp_path)
    assert not (tmp_path / "content" / "postmortems" / EXAMPLE_NAME).exists()
    assert [p.name for p, _ in result.skipped] == [EXAMPLE_NAME]
    assert lessons.load(tmp_path / "content").ids == ["ours"]


def test_init_refuses_a_file_as_target(tmp_path: Path) -> None:
    target = tmp_path / "file"
    target.write_text("x", encoding="utf-8")
    with pytest.raises(LessonsError, match="is not a folder"):
        init(target)


def test_shipped_taxonomy_is_this_repositorys_taxonomy() -> None:
    shipped = yaml.safe_load((TEMPLATES / "taxonomy.yml").read_text(encoding="utf-8"))
    ours = yaml.safe_load((REPO / "content" / "taxonomy.yml").read_text(encoding="utf-8"))
    assert shipped == ours
    assert len(shipped["causes"]) == 10


def test_workflow_checks_pull_requests_and_publishes_only_from_main(tmp_path: Path) -> None:
    init(tmp_path)
    workflow = yaml.safe_load((tmp_path / ".github/workflows/lessons.yml").read_text(encoding="utf-8"))
    steps = [step for job in workflow["jobs"].values() for step in job["steps"]]
    runs = [step["run"] for step in steps if "run" in step]

    assert "pull_request" in workflow[True]  # PyYAML reads the key `on` as True
    assert f'python -m pip install "lessons[site]=={lessons.__version__}"' in runs
    assert "lessons check --format github" in runs
    publishing = [step for step in steps if "gh-deploy" in step.get("run", "")]
    assert len(publishing) == 1
    assert "refs/heads/main" in publishing[0]["if"] and "push" in publishing[0]["if"]


def test_pre_commit_hook_and_config_agree(tmp_path: Path) -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert [(h["id"], h["entry"], h["language"]) for h in hooks] == [
        ("lessons-check", "lessons check", "python")]
    init(tmp_path)
    config = yaml.safe_load((tmp_path / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    (hook,) = config["repos"][0]["hooks"]
    assert (hook["id"], hook["entry"]) == ("lessons-check", "lessons check")


def test_pull_request_template_has_the_checklist(tmp_path: Path) -> None:
    init(tmp_path)
    text = (tmp_path / ".github/pull_request_template.md").read_text(encoding="utf-8")
    boxes = [line for line in text.splitlines() if line.startswith("- [ ] ")]
    assert len(boxes) >= 6
    assert any("owner" in box for box in boxes) and any("lessons check" in box for box in boxes)


def test_scaffold_commands_have_help_with_an_example() -> None:
    from click.testing import CliRunner

    from lessons.cli.scaffold import init as init_command
    from lessons.cli.scaffold import new

    runner = CliRunner()
    for command, args in [(new, []), (new, ["postmortem"]), (new, ["practice"]), (init_command, [])]:
        result = runner.invoke(command, [*args, "--help"])
        assert result.exit_code == 0, result.output
        assert "Example:" in result.output.split("Options:")[0]


def test_cli_new_prints_the_path_and_notes_a_renamed_file(cli: Callable[..., Result],
                                                         content_dir: Path) -> None:
    args = ("new", "postmortem", "Checkout fails", "--date", "2024-05-02", "--services",
            "checkout,payments", "--services", "api", "--severity", "2", "--content", content_dir)
    first = cli(*args)
    second = cli(*args)

    assert first.exit_code == 0, first.output
    assert Path(first.stdout.strip()).resolve() == (
        content_dir / "postmortems" / "2024-05-02-checkout-fails.md").resolve()
    assert Path(second.stdout.strip()).name == "2024-05-02-checkout-fails-2.md"
    assert "2024-05-02-checkout-fails.md already exists" in second.stderr
    doc = lessons.load(content_dir).get("2024-05-02-checkout-fails")
    assert (doc.services, doc.severity) == (["checkout", "payments", "api"], 2)


def test_cli_init_reports_created_and_skipped(cli: Callable[..., Result], tmp_path: Path) -> None:
    first = cli("init", tmp_path)
    second = cli("init", tmp_path)
    assert first.exit_code == 0 and second.exit_code == 0
    assert first.stdout.count("created ") == 7 and "skipped" not in first.stdout
    assert second.stdout.count("skipped ") == 7
    assert "nothing to do" in second.stdout


class _Recorded:
    """A stand-in for an installed distribution with pip's ``direct_url.json``."""

    def __init__(self, direct_url: str | None) -> None:
        self.direct_url = direct_url

    def read_text(self, name: str) -> str | None:
        return self.direct_url if name == "direct_url.json" else None


@pytest.mark.parametrize(("recorded", "expected"), [
    ('{"url": "https://github.com/acme/lessons", "vcs_info": {"vcs": "git", "commit_id": "abc123"}}',
     "lessons[site] @ git+https://github.com/acme/lessons@abc123"),
    ('{"url": "https://example.org/lessons-0.1.0.tar.gz", "archive_info": {}}',
     "lessons[site] @ https://example.org/lessons-0.1.0.tar.gz"),
    (None, f"lessons[site]=={lessons.__version__}"),
    ('{"url": "file:///home/me/lessons", "dir_info": {"editable": true}}', f"lessons[site]=={lessons.__version__}"),
])
def test_the_workflow_installs_lessons_from_where_it_came_from(monkeypatch, recorded, expected) -> None:
    import importlib.metadata

    from lessons.scaffold import install_spec

    monkeypatch.setattr(importlib.metadata, "distribution", lambda name: _Recorded(recorded))
    spec, note = install_spec()
    assert spec == expected
    assert ("local folder" in note) == (recorded is not None and "file://" in recorded)


def test_init_writes_a_site_url_placeholder_that_check_names_until_replaced(tmp_path: Path) -> None:
    from lessons.opening import load
    from lessons.scaffold import init

    init(tmp_path)
    config = tmp_path / "mkdocs.yml"
    assert "site_url: https://lessons.example.com/" in config.read_text(encoding="utf-8")
    found = [p for p in check(load(tmp_path / "content")) if p.code == "site-url-placeholder"]
    assert len(found) == 1 and found[0].path == config and found[0].line == 4
    config.write_text(config.read_text(encoding="utf-8").replace(
        "https://lessons.example.com/", "https://incidents.example.net/"), encoding="utf-8")
    assert not [p for p in check(load(tmp_path / "content")) if p.code == "site-url-placeholder"]
