"""Templates for `lessons new` and `lessons init`: new documents and new knowledge bases.

Nothing here ever overwrites a file: a new document takes the first free name
(``…-2.md``), and `init` skips every file that already exists and says so.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from importlib.resources import files
from pathlib import Path
from string import Template

from .errors import LessonsError

MAX_SLUG_LENGTH = 60
"""Slugs are cut (at a word boundary) to this many characters."""

EXAMPLE_NAME = "2024-01-15-example-expired-certificate.md"
"""The file name of the example post-mortem that `init` writes."""

# Letters that Unicode does not decompose into ASCII letter + accent.
_TRANSLITERATE = str.maketrans({
    "ß": "ss", "ẞ": "SS", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ø": "o", "Ø": "O",
    "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "þ": "th", "Þ": "Th", "ł": "l", "Ł": "L",
    "ı": "i", "ħ": "h", "Ħ": "H", "ŋ": "n", "Ŋ": "N", "&": " and ", "@": " at ", "+": " plus ",
})
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_SEVERITY_HELP = "# 0 or 1 (worst) … 5"


@dataclass(slots=True)
class InitResult:
    """What `init` did: files written and files left alone."""

    created: list[Path] = field(default_factory=list)
    """Files written, in the order they were written."""
    skipped: list[tuple[Path, str]] = field(default_factory=list)
    """Files not written, each with the reason and what to do instead."""
    notes: list[str] = field(default_factory=list)
    """Things to finish by hand (such as where CI should install lessons from)."""


def install_spec() -> tuple[str, str]:
    """The pip requirement CI should install lessons with, and a comment saying why.

    The source this lessons was installed from (a git URL or an archive URL, as pip
    records in ``direct_url.json``) when CI can reach it; else ``lessons[site]==VERSION``
    with a note, since a local folder is out of CI's reach.
    """
    import json
    from importlib.metadata import PackageNotFoundError, distribution

    from . import __version__

    # The workflow builds the site, which needs the site extra.
    pinned = f"lessons[site]=={__version__}"
    try:
        recorded = distribution("lessons").read_text("direct_url.json")
    except PackageNotFoundError:
        recorded = None
    if not recorded:
        return pinned, "lessons as installed when this file was written; change the version here."
    try:
        origin = json.loads(recorded)
    except ValueError:
        origin = {}
    url = str(origin.get("url", ""))
    vcs = origin.get("vcs_info") or {}
    if url.startswith(("https://", "http://", "ssh://", "git@")):
        if vcs.get("vcs") == "git":
            revision = vcs.get("commit_id") or vcs.get("requested_revision") or ""
            return (f"lessons[site] @ git+{url}" + (f"@{revision}" if revision else ""),
                    "lessons as installed when this file was written (its git source); change it here.")
        return f"lessons[site] @ {url}", "lessons as installed when this file was written; change it here."
    return pinned, ("lessons was installed from a local folder when this file was written, which CI "
                    "cannot reach: point the requirement below at where your team gets lessons, e.g. "
                    "lessons[site] @ git+https://github.com/ORG/lessons@v" + __version__)


@dataclass(frozen=True, slots=True)
class _Planned:
    path: str
    template: str
    if_exists: str


_INIT_FILES = (
    _Planned("content/taxonomy.yml", "taxonomy.yml", "already exists; left as it is"),
    _Planned(f"content/postmortems/{EXAMPLE_NAME}", "example-postmortem.md", "already exists"),
    _Planned("mkdocs.yml", "mkdocs.yml",
             "already exists; add `- lessons` under `plugins:` and set `docs_dir: content`"),
    _Planned(".github/workflows/lessons.yml", "workflow.yml", "already exists; left as it is"),
    _Planned(".github/pull_request_template.md", "pull_request_template.md",
             "already exists; add the post-mortem checklist yourself if you want it"),
    _Planned(".pre-commit-config.yaml", "pre-commit-config.yaml",
             "already exists; add the `lessons-check` hook to it yourself"),
    _Planned(".gitignore", "gitignore",
             "already exists; make sure it ignores /site/ and .lessons/"),
)

_OPTIONAL_FILES = {
    # A weekly workflow that keeps one issue listing the overdue action items (`init --with reminders`).
    "reminders": (_Planned(".github/workflows/lessons-reminders.yml", "reminders.yml",
                           "already exists; left as it is"),),
}
"""What `init(…, with_=[name])` adds to the files every knowledge base gets."""
_WORKFLOWS = ("workflow.yml", "reminders.yml")
"""Templates with a `$spec` install line."""


def slugify(title: str, *, max_length: int = MAX_SLUG_LENGTH) -> str:
    """A file-name-safe slug for any title: ASCII letters, digits and single hyphens.

    Accented letters become their plain ASCII letter (``Zürich`` -> ``zurich``);
    letters with no ASCII form are dropped; a title with nothing left becomes
    ``untitled``. Long slugs are cut at a hyphen so no word is half-kept.
    """
    text = unicodedata.normalize("NFKD", title.translate(_TRANSLITERATE))
    text = text.encode("ascii", "ignore").decode("ascii").lower()
    slug = _NOT_SLUG.sub("-", text).strip("-")
    if len(slug) > max_length:
        cut = slug[: max_length + 1]
        slug = cut[: cut.rfind("-")] if "-" in cut else cut[:max_length]
        slug = slug.strip("-")
    return slug or "untitled"


def new_postmortem(
    content: Path,
    title: str,
    *,
    day: date | None = None,
    services: Sequence[str] = (),
    severity: int | None = None,
) -> Path:
    """Write a draft post-mortem from the template; return its path.

    The file is ``content/postmortems/YYYY-MM-DD-slug.md``, or ``…-slug-2.md``
    when that name (or that id anywhere in the content folder) is taken.

    Args:
        content: the content folder.
        title: the one-line title.
        day: the day the incident began (default today).
        services: the services affected.
        severity: 0 or 1 (worst) to 5.

    Raises:
        LessonsError: the title is empty, or the severity is not 0-5.
    """
    title = _clean_title(title)
    if severity is not None and not 0 <= severity <= 5:
        raise LessonsError(f"severity must be 0 (worst) to 5, not {severity}")
    day = day or date.today()
    severity_line = (f"severity: {severity}" if severity is not None
                     else "# severity: 3").ljust(30) + _SEVERITY_HELP
    services_line = f"services: [{', '.join(_yaml_item(s) for s in services if s.strip())}]"
    text = _render("postmortem.md", title=_yaml_scalar(title), date=day.isoformat(),
                   severity_line=severity_line, services_line=services_line)
    return _write_new(content, content / "postmortems", f"{day.isoformat()}-{slugify(title)}", text)


def new_practice(content: Path, title: str, *, prevents: Sequence[str] = ()) -> Path:
    """Write a draft practice article from the template; return its path.

    The file is ``content/practices/slug.md``, or ``…-2.md`` when that is taken.

    Args:
        content: the content folder.
        title: the practice's title.
        prevents: cause ids (from ``taxonomy.yml``) the practice addresses.
    """
    title = _clean_title(title)
    listed = ", ".join(_yaml_item(cause) for cause in prevents if cause.strip())
    prevents_line = f"prevents: [{listed}]".ljust(30) + "# cause ids from taxonomy.yml"
    text = _render("practice.md", title=_yaml_scalar(title), prevents_line=prevents_line)
    return _write_new(content, content / "practices", slugify(title), text)


def init(target: Path, *, with_: Sequence[str] = ()) -> InitResult:
    """Turn a folder (empty or an existing repository) into a knowledge base.

    Writes the content folder with a taxonomy and an example post-mortem,
    ``mkdocs.yml``, a GitHub Actions workflow, a pull request template, a
    pre-commit configuration and a ``.gitignore``. Files that exist are never
    touched, so running it twice is harmless. The example is only written into
    a content folder that has no documents yet. `with_` names optional files to add
    as well (``reminders``: a weekly workflow posting overdue action items to an issue).
    """

    if target.exists() and not target.is_dir():
        raise LessonsError(f"{target} is not a folder")
    unknown = [name for name in with_ if name not in _OPTIONAL_FILES]
    if unknown:
        raise LessonsError(f"unknown --with {unknown[0]!r} (expected one of {', '.join(_OPTIONAL_FILES)})")
    result = InitResult()
    has_documents = _has_markdown(target / "content")
    for planned in (*_INIT_FILES, *(extra for name in with_ for extra in _OPTIONAL_FILES[name])):
        path = target / planned.path
        if path.exists() or path.is_symlink():
            result.skipped.append((path, planned.if_exists))
            continue
        if planned.template == "example-postmortem.md" and has_documents:
            result.skipped.append((path, "not written: the content folder already has documents"))
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        text = _template(planned.template)
        if planned.template in _WORKFLOWS:
            spec, note = install_spec()
            text = Template(text).substitute(spec=spec, install_note=note)
            if not note.startswith("lessons as installed"):
                result.notes.append(f"{planned.path}: {note}")
        try:
            with path.open("x", encoding="utf-8", newline="\n") as out:
                out.write(text)
        except FileExistsError:  # appeared since we looked: still never overwrite
            result.skipped.append((path, planned.if_exists))
            continue
        result.created.append(path)
    return result


def _clean_title(title: str) -> str:
    cleaned = " ".join(title.split())
    if not cleaned:
        raise LessonsError("the title is empty: give a one-line title, e.g. "
                           "\"Checkout fails after config push\"")
    return cleaned


def _write_new(content: Path, folder: Path, stem: str, text: str) -> Path:
    """Create ``folder/stem.md`` (or ``stem-2.md``, …) without ever replacing a file."""
    taken = {p.stem.lower() for p in content.rglob("*.md")} if content.is_dir() else set()
    real = folder.resolve()
    if not real.is_relative_to(content.resolve()):
        # A symlinked postmortems/ folder would have the new file written anywhere on the machine.
        raise LessonsError(f"{folder} leads outside the content folder (to {real}); lessons new writes only "
                           f"inside {content}: make {folder.name}/ a real folder there")
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(1, 1000):
        name = stem if number == 1 else f"{stem}-{number}"
        if name.lower() in taken:
            continue
        path = folder / f"{name}.md"
        try:
            with path.open("x", encoding="utf-8", newline="\n") as out:
                out.write(text)
        except FileExistsError:
            continue
        return path
    raise LessonsError(f"no free file name for {stem!r} in {folder}: pick another title")


def _render(template: str, **values: str) -> str:
    return Template(_template(template)).substitute(values)


def _template(name: str) -> str:
    return (files("lessons") / "templates" / name).read_text(encoding="utf-8")


def _has_markdown(folder: Path) -> bool:
    return folder.is_dir() and any(folder.rglob("*.md"))


def _yaml_scalar(text: str) -> str:
    """A YAML scalar for one line of text, quoted only when it has to be."""
    import yaml

    dumped: str = yaml.safe_dump(text, allow_unicode=True, width=10**6, default_style=None)
    return dumped.removesuffix("\n...\n").removesuffix("\n")


def _yaml_item(text: str) -> str:
    """A YAML scalar safe inside a flow list (``[a, b]``)."""
    scalar = _yaml_scalar(text.strip())
    if scalar[:1] not in ("'", '"') and any(c in scalar for c in ",[]{}#"):
        scalar = _yaml_scalar_quoted(text.strip())
    return scalar


def _yaml_scalar_quoted(text: str) -> str:
    import json

    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar
