"""`lessons import`: a team's post-mortems in, as documents lessons reads fully.

Each source becomes one new file: front matter with what the parser read (title, the
day, when it started, was detected and resolved, severity when stated), then the
body as it was. The front matter opens with a comment naming the source and its
SHA-256, so importing the same file again finds the earlier import and says so.
Nothing is ever overwritten, and a source that cannot be read is reported while
the others are still imported.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import Enum
from pathlib import Path

from ..errors import LessonsError
from ..model import Document, Kind
from ..parsing.parse import parse_text
from ..scaffold import slugify
from .convert import SUFFIXES, ConversionError, Converted, convert
from .links import retarget

MOMENTS = ("started", "detected", "resolved")
_MARK = "# lessons import: "
_DIGEST_CHARS = 16


class Outcome(str, Enum):
    """What importing one source did (or, in a dry run, would do)."""

    IMPORTED = "imported"
    WOULD_IMPORT = "would import"
    ALREADY = "already imported"
    FAILED = "failed"


@dataclass(slots=True)
class Imported:
    """One source and what became of it."""

    source: Path
    outcome: Outcome
    target: Path | None = None
    """The file written (or that would be, or that already holds this source)."""
    fields: dict[str, str] = field(default_factory=dict)
    """The front-matter values read from the source, as written."""
    missing: list[str] = field(default_factory=list)
    """Fields the source did not give (the date, times …): for the dry-run table."""
    reason: str = ""
    """Why the source failed."""


def sources_in(paths: Iterable[Path]) -> Iterator[Path]:
    """The importable files among `paths`, folders searched recursively, in name order."""
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*")
                              if p.is_file() and p.suffix.lower() in SUFFIXES and not _hidden(p, path))
        else:
            yield path


def import_files(sources: Iterable[Path], into: Path, *, dry_run: bool = False) -> list[Imported]:
    """Import each source into the folder `into` (created if needed, unless `dry_run`).

    Raises:
        LessonsError: `into` exists and is not a folder.
    """
    if into.exists() and not into.is_dir():
        raise LessonsError(f"{into} is not a folder")
    earlier = _earlier_imports(into)
    planned: set[Path] = set()
    results: list[Imported] = []
    pages: dict[int, Converted] = {}
    for source in sources:
        result, converted = _plan_one(source, into, earlier, planned, dry_run=dry_run)
        if result.target is not None:
            planned.add(result.target)
            if result.outcome is not Outcome.FAILED:
                earlier.setdefault(_digest_of(result), result.target)
        if converted is not None:
            pages[len(results)] = converted
        results.append(result)
    # Every new name is known only now: links between the sources can point at them.
    moved = {result.source.resolve(): result.target for result in results
             if result.target is not None and result.outcome is not Outcome.FAILED}
    for number, converted in pages.items():
        results[number] = _write(results[number], converted, moved, into, dry_run=dry_run)
    return results


def _plan_one(source: Path, into: Path, earlier: dict[str, Path], planned: set[Path], *,
              dry_run: bool) -> tuple[Imported, Converted | None]:
    """What importing `source` gives, and its Markdown when a new file is to be written."""
    try:
        converted = convert(source)
    except ConversionError as exc:
        return Imported(source, Outcome.FAILED, reason=str(exc)), None
    digest = converted.digest[:_DIGEST_CHARS]
    if digest in earlier:
        return Imported(source, Outcome.ALREADY, earlier[digest], fields={"sha256": digest}), None
    try:
        doc = parse_text(converted.text, source, default_kind=Kind.POSTMORTEM)
    except LessonsError as exc:
        return Imported(source, Outcome.FAILED, reason=str(exc)), None
    if doc is None:  # with a default kind the parser always gives a document
        return Imported(source, Outcome.FAILED, reason="not read as a post-mortem"), None
    values = front_matter_values(doc)
    target = _free_name(into, _file_name(doc, values), planned)
    result = Imported(source, Outcome.WOULD_IMPORT if dry_run else Outcome.IMPORTED, target,
                      fields={**values, "sha256": digest},
                      missing=[name for name in ("date", *MOMENTS) if name not in values])
    return result, converted


def _write(result: Imported, converted: Converted, moved: dict[Path, Path], into: Path, *,
           dry_run: bool) -> Imported:
    """Write the new file for `result`, its links to other sources pointed at their new files."""
    target = result.target
    if dry_run or target is None:
        return result
    body = retarget(converted.text, converted.path, moved, into)
    text = render(replace(converted, text=body), {k: v for k, v in result.fields.items() if k != "sha256"})
    into.mkdir(parents=True, exist_ok=True)
    try:
        with target.open("x", encoding="utf-8", newline="") as out:  # "x": never overwrite
            out.write(text)
    except OSError as exc:
        return Imported(result.source, Outcome.FAILED, target, reason=f"cannot write {target}: {exc.strerror or exc}")
    return result


def front_matter_values(doc: Document) -> dict[str, str]:
    """What the parser read that belongs in front matter, as YAML scalars."""
    values = {"title": json.dumps(doc.title, ensure_ascii=False)}
    if doc.date is not None:
        values["date"] = doc.date.isoformat()
    for name in MOMENTS:
        moment = doc.moment(name)
        # A time read off the timeline that starts days away from the date is a guess
        # the parser keeps as a guess; written as a fact it would contradict the date.
        if moment is not None and (doc.date is None or abs((moment.date() - doc.date).days) <= 1
                                   or name != "started"):
            values[name] = _stamp(moment)
    if doc.severity is not None:
        values["severity"] = str(doc.severity)
    return values


def render(converted: Converted, values: dict[str, str]) -> str:
    """The imported file: a front-matter block with `values`, then the source's Markdown.

    A source that has front matter keeps it: the keys it lacks are added at its top,
    and its own lines stay as they were.
    """
    mark = f"{_MARK}{converted.path.name} (sha256 {converted.digest[:_DIGEST_CHARS]})"
    text = converted.text
    newline = "\r\n" if "\r\n" in text.split("\n", 1)[0] + "\n" else "\n"
    own = _front_matter_keys(text)
    if own is not None:
        head, _, rest = text.partition("\n")
        added = [f"{key}: {value}" for key, value in values.items() if key not in own]
        return newline.join([head.rstrip("\r"), mark, *added]) + newline + rest
    lines = ["---", mark, *(f"{key}: {value}" for key, value in values.items()), "---", ""]
    return newline.join(lines) + newline + text


def _front_matter_keys(text: str) -> set[str] | None:
    """The top-level keys of the text's front matter, or None when it has none."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip("\r") != "---":
        return None
    keys: set[str] = set()
    for line in lines[1:]:
        line = line.rstrip("\r")
        if line in ("---", "..."):
            return keys
        key, colon, _ = line.partition(":")
        if colon and key and not key[0].isspace() and not key.startswith("#"):
            keys.add(key.strip().strip("'\""))
    return None  # never closed: the parser will report it; treat it as body


def _stamp(moment: datetime) -> str:
    text = moment.strftime("%Y-%m-%dT%H:%M")
    offset = moment.utcoffset()
    if offset is None:
        return text
    if offset == timedelta(0):
        return f"{text}Z"
    sign, offset = ("-", -offset) if offset < timedelta(0) else ("+", offset)
    hours, rest = divmod(int(offset.total_seconds()) // 60, 60)
    return f"{text}{sign}{hours:02d}:{rest:02d}"


def _file_name(doc: Document, values: dict[str, str]) -> str:
    slug = slugify(doc.title)
    return f"{values['date']}-{slug}.md" if "date" in values else f"{slug}.md"


def _free_name(into: Path, name: str, planned: set[Path]) -> Path:
    """`name` in `into`, or the first ``-2``, ``-3`` … variant no file (or earlier source) has."""
    stem = name.removesuffix(".md")
    candidate, number = into / name, 1
    while candidate.exists() or candidate in planned:
        number += 1
        candidate = into / f"{stem}-{number}.md"
    return candidate


def _earlier_imports(into: Path) -> dict[str, Path]:
    """Source digest -> the file an earlier import wrote it to."""
    found: dict[str, Path] = {}
    if not into.is_dir():
        return found
    for path in sorted(into.glob("*.md")):
        try:
            with path.open(encoding="utf-8", errors="replace") as text:
                head = [text.readline() for _ in range(3)]
        except OSError:
            continue
        for line in head:
            if line.startswith(_MARK) and "(sha256 " in line:
                found.setdefault(line.rsplit("(sha256 ", 1)[1].split(")", 1)[0], path)
    return found


def _digest_of(result: Imported) -> str:
    return result.fields.get("sha256", "")


def _hidden(path: Path, top: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(top).parts)
