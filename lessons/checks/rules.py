"""The rules a knowledge base must satisfy: `lessons check`."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Protocol
from urllib.parse import SplitResult, unquote, urlsplit

from ..errors import Level, ParseError, Problem, real_path
from ..kb import KnowledgeBase
from ..model import CORE_SECTIONS, Document, Kind, RawHtml, Status
from ..parsing.parse import parse_text, read_source
from ..suggest import closest
from .adjust import adjust
from .advice import cause_suggestions, checklist_problems
from .coverage import folder_problems
from .publishing import not_an_action_problems, site_url_problems
from .duplicates import duplicate_problems
from .recurrence import recurrence_problems
from .settings import Settings, find_settings, load_settings

# Every pattern here is linear on hostile text (tests/test_regex_cost.py): no two quantifiers
# can take the same run of characters, so a failed match never retries every split of a run.
_UNSAFE_TAG = re.compile(r"<\s*(script|iframe|object|embed|frame|frameset|base|applet)\b", re.IGNORECASE)
_HANDLER = re.compile(r"[\s/\"'](on[a-z]+)\s*=", re.IGNORECASE)
"""An ``on…=`` attribute; looked for only inside a tag (see `_event_handlers`)."""
_SCRIPT_URL = re.compile(r"^\s*(?:javascript|vbscript)\s*:", re.IGNORECASE)
_URL_ATTR = re.compile(r"""(?:href|src|action|formaction|xlink:href)\s*=\s*(?:["']\s*)?(?:javascript|vbscript)\s*:""",
                       re.IGNORECASE)
_PLACEHOLDER = re.compile(r"^\s*(?:(?:todo|tbd|tbc|n/?a|none|-+|—|\.\.\.|…|\?+|xxx|fill (?:this )?in)\s*)?(?:\.\s*)?$",
                          re.IGNORECASE)
_SECTION_TITLES = {"summary": "Summary", "impact": "Impact", "timeline": "Timeline",
                   "causes": "Contributing factors", "detection": "Detection", "resolution": "Resolution",
                   "lessons": "Lessons learned", "action-items": "Action items"}


@dataclass(slots=True)
class CheckOptions:
    """What `check` reports and how strictly."""

    today: date = field(default_factory=date.today)
    """The day "future" and "overdue" are measured against."""
    only: Sequence[Path] = ()
    """Report only problems in these files or folders (everything is still read)."""
    duplicate_threshold: float | None = 0.8
    """Warn when a post-mortem's `similar()` score to another reaches this (None: never)."""
    settings: Settings | None = None
    """The team's settings (None: read `settings_file`, else the one found from the content folder upwards)."""
    settings_file: Path | None = None
    """The settings file to read when `settings` is None (`lessons check --settings`)."""
    suggest_causes: bool = True
    """Offer causes (information) for the post-mortems reported on that name none (one
    `similar()` each, so the site build leaves it out)."""


@dataclass(slots=True)
class CheckReport:
    """What `check_report` found: the problems, and those the team's settings switched off."""

    problems: list[Problem]
    """Sorted by file and line, at the levels the settings give them."""
    silenced: list[Problem]
    """Findings switched off by the settings file or a ``lessons-disable`` comment (in the
    files reported on), so that a report does not say "no problems" as if none were found."""


def check(kb: KnowledgeBase, options: CheckOptions | None = None) -> list[Problem]:
    """Every problem in a knowledge base, sorted by file and line."""
    return check_report(kb, options).problems


def check_report(kb: KnowledgeBase, options: CheckOptions | None = None) -> CheckReport:
    """`check`, with the findings the settings switched off kept apart."""
    options = options or CheckOptions()
    settings = options.settings or load_settings(options.settings_file or find_settings(kb.root))
    problems = list(kb.problems)
    for doc in kb:
        problems.extend(check_document(doc, kb, options.today, sections=settings.sections))
        problems.extend(checklist_problems(doc))
    for page in kb.pages:
        problems.extend(_check_page(page))
    problems.extend(folder_problems(kb))
    problems += [*not_an_action_problems(kb), *site_url_problems(kb.root)]
    wanted = [p.resolve() for p in options.only]
    # The documents being reported on are judged against everything. (At thousands of
    # documents a whole-base check is slow this way: use PATHS or --changed in CI.)
    judged = [doc for doc in kb if not wanted or _under(real_path(doc.path), wanted)]
    if options.duplicate_threshold is not None:
        problems.extend(duplicate_problems(kb, judged, threshold=options.duplicate_threshold))
    problems.extend(recurrence_problems(kb, judged, today=options.today, days=settings.recurrence_days))
    if options.suggest_causes:
        problems.extend(cause_suggestions(kb, judged))
    problems, silenced = adjust(problems, settings, kb)
    if options.only:
        problems = [p for p in problems if _under(real_path(p.path), wanted)]
        silenced = [p for p in silenced if _under(real_path(p.path), wanted)]
    # The settings file's own mistakes are reported whichever files were asked about.
    unique = dict.fromkeys([*problems, *settings.problems])
    return CheckReport(sorted(unique, key=lambda p: (str(p.path), p.line, p.column, -p.level.rank, p.code)),
                       list(dict.fromkeys(silenced)))


def check_document(doc: Document, kb: KnowledgeBase, today: date, *,
                   sections: Sequence[str] = CORE_SECTIONS) -> list[Problem]:
    """The cross-document and content rules for one document (`sections`: those a post-mortem needs)."""
    problems: list[Problem] = []

    def add(line: int, code: str, message: str, level: Level = Level.ERROR) -> None:
        problems.append(Problem(doc.path, line, code, message, level))

    _check_ids(doc, kb, add)
    _check_dates(doc, today, add)
    if doc.kind is Kind.POSTMORTEM:
        _check_postmortem(doc, today, sections, add)
    elif not doc.prevents and doc.status is not Status.DRAFT:
        add(1, "missing-field", "practice has no `prevents:` list naming the causes it addresses",
            Level.WARNING)
    for source in doc.sources:
        parts = _split_url(source)
        if parts is None:
            add(doc.line_of("sources", source), "invalid-source",
                f"source {_cut(source)!r} is not a valid address (its host cannot be read)", Level.WARNING)
        elif parts.scheme not in ("http", "https"):
            add(doc.line_of("sources", source), "invalid-source",
                f"source {_cut(source)!r} is not an http(s) address", Level.WARNING)
    _check_links(doc, kb.root, add)
    for raw in doc.html:
        problems.extend(_unsafe_html(raw, doc.path))
    return problems


def _check_ids(doc: Document, kb: KnowledgeBase, add: _Add) -> None:
    if "id" not in doc.field_lines and doc.id != doc.path.stem:
        # Exports from Notion or Confluence, and many teams, name files "PM2021-005 - All
        # services returning 503.md": the id is made from the name, and renaming would break links.
        add(1, "file-name-id", f"the id made from the file name is {doc.id!r}; rename the file to "
            f"{doc.id}{doc.path.suffix} if you want the two to match (nothing is wrong)", Level.INFO)

    known_causes = kb.taxonomy.causes
    for key in ("causes", "prevents"):
        for cause in getattr(doc, key):
            if cause not in known_causes:
                guess = closest(cause, known_causes)
                hint = f" — did you mean {guess!r}?" if guess else (
                    "" if known_causes else " (the content folder has no taxonomy.yml)")
                add(doc.line_of(key, cause), "unknown-cause", f"unknown cause {cause!r}{hint}")
    for other in doc.related:
        if other == doc.id:
            add(doc.line_of("related", other), "related-self", "a document cannot be related to itself",
                Level.WARNING)
        elif other not in kb:
            guess = closest(other, kb.ids, cutoff=80)
            hint = f" — did you mean {guess!r}?" if guess else ""
            add(doc.line_of("related", other), "unknown-related", f"unknown related id {other!r}{hint}")


def _check_dates(doc: Document, today: date, add: _Add) -> None:
    if doc.date and doc.date > today and doc.kind is Kind.POSTMORTEM:
        add(doc.line_of("date"), "future-date", f"date {doc.date} is in the future")
    now = datetime.combine(today, datetime.max.time()).replace(tzinfo=timezone.utc)
    stamps = [(name, getattr(doc, name)) for name in ("started", "detected", "mitigated", "resolved")]
    for name, value in stamps:
        if value is not None and value > now:
            add(doc.line_of(name), "future-date", f"{name} {value:%Y-%m-%d %H:%M}Z is in the future")
    known = [(name, value) for name, value in stamps if value is not None]
    for (first, earlier), (second, later) in itertools.pairwise(known):
        by_day = first in doc.day_precision or second in doc.day_precision
        if (later.date() < earlier.date()) if by_day else (later < earlier):
            add(doc.line_of(second), "impossible-date",
                f"{second} ({later:%Y-%m-%d %H:%M}Z) is before {first} ({earlier:%Y-%m-%d %H:%M}Z)")
    if doc.started and doc.date and abs((doc.started.date() - doc.date).days) > 1:
        add(doc.line_of("started"), "date-mismatch",
            f"started is on {doc.started.date()} but date is {doc.date}; date should be the day "
            "the incident began", Level.WARNING)


def _check_postmortem(doc: Document, today: date, required: Sequence[str], add: _Add) -> None:
    if doc.status is not Status.PUBLISHED:
        return
    # A heading left from the template with nothing, "TODO" or "N/A" under it is not there yet.
    present = {section.name for section in doc.sections if not _PLACEHOLDER.match(section.text)}
    intro = doc.section("intro")
    if doc.summary or (intro is not None and len(intro.text.split()) >= 20):
        # Many post-mortems open with a paragraph that is their summary, without a heading.
        present.add("summary")
    missing = [_SECTION_TITLES[name] for name in required if name not in present]
    if missing:
        add(doc.body_line, "missing-section",
            f"published post-mortem has no {', '.join(missing)} section (add it, or set "
            "`status: draft`)", Level.WARNING)
    for item in doc.action_items:
        if not item.owner:
            add(item.line, "action-item-owner", f"action item has no owner: {_short(item.text)!r} "
                "(add `— owner: team`)", Level.WARNING)
        if item.is_overdue(today):
            add(item.line, "overdue-action", f"action item was due {item.due} and is still open: "
                f"{_short(item.text)!r}", Level.WARNING)


def _short(text: str, width: int = 60) -> str:
    """Text cut at a word boundary, with an ellipsis when it was cut."""
    if len(text) <= width:
        return text
    cut = text.rfind(" ", 0, width)
    return text[: cut if cut > width // 2 else width].rstrip(" ,;:") + "…"


def _check_links(doc: Document, root: Path, add: _Add) -> None:
    for link in doc.links:
        if _SCRIPT_URL.match(link.target):
            add(link.line, "unsafe-html", f"link to a script URL is not allowed: {link.target[:40]}")
            continue
        parts = _split_url(link.target)
        shown = unquote(link.target)
        if parts is None:
            add(link.line, "broken-link", f"link to {_cut(shown)!r}: not a valid address (its host cannot be read)")
            continue
        target = _local_target(parts)
        if target is None:
            continue
        base = root if target.startswith("/") else doc.path.parent
        try:
            resolved = (base / target.lstrip("/")).resolve()
            found = resolved.exists()
        except (OSError, ValueError) as exc:  # a NUL byte, a name longer than the system allows
            add(link.line, "broken-link", f"link to {shown[:80]!r}: not a usable file name ({exc})")
            continue
        if not found:
            near = resolved.with_name(resolved.name + ".md")
            if not resolved.suffix and near.is_file():
                # A site-style address ("../2024-05-02-edge/"): right on the built site, broken
                # on GitHub and in editors.
                add(link.line, "site-link", f"link to {shown!r} works on the site only; link the file "
                    f"{near.name} so it works everywhere", Level.WARNING)
            else:
                add(link.line, "broken-link", f"link to {shown!r}: no such file {_relative(resolved)}")


def _split_url(url: str) -> SplitResult | None:
    """The parts of an address; None when it cannot be split.

    `urlsplit` raises ValueError for an unclosed IPv6 host (``http://[::1``) and for a host
    that NFKC normalisation changes (``exa／mple.com``): every address of a document is split
    here, so neither escapes `check`.
    """
    try:
        return urlsplit(url)
    except ValueError:
        return None


def _cut(text: str, width: int = 80) -> str:
    return text if len(text) <= width else text[:width] + "…"


def _local_target(parts: SplitResult) -> str | None:
    if parts.scheme or parts.netloc or not parts.path:
        return None  # an address elsewhere, a mailto:, or an anchor on this page
    return unquote(parts.path)


def _check_page(path: Path) -> list[Problem]:
    try:
        text, _ = read_source(path)
        doc = parse_text(text, path)
    except ParseError as exc:
        return [exc.to_problem()]
    if doc is None:
        return []
    problems: list[Problem] = []
    for raw in doc.html:
        problems.extend(_unsafe_html(raw, path))
    for link in doc.links:
        if _SCRIPT_URL.match(link.target):
            problems.append(Problem(path, link.line, "unsafe-html",
                                    f"link to a script URL is not allowed: {link.target[:40]}"))
    return problems


def _unsafe_html(raw: RawHtml, path: Path) -> list[Problem]:
    import html
    from bisect import bisect_right

    # A comment is inert ("<!-- no <iframe> here -->" from a template); what is left is
    # checked as a whole, since a tag may span lines (`<img\nonerror=…>`). Entities and escapes
    # are decoded first: `jav&#x61;script:` is still a script URL.
    text = html.unescape(_without_comments(raw.html))
    breaks = [at for at, char in enumerate(text) if char == "\n"]
    found = [(m.start(), f"<{m.group(1).lower()}> element") for m in _UNSAFE_TAG.finditer(text)]
    found += _event_handlers(text)
    found += [(m.start(), "javascript: URL") for m in _URL_ATTR.finditer(text)]
    return [Problem(path, raw.line + bisect_right(breaks, at), "unsafe-html",
                    f"raw HTML that could run script is not allowed: {reason}") for at, reason in found]


def _without_comments(html: str) -> str:
    """`html` with each ``<!-- … -->`` reduced to its line breaks (so lines keep their numbers).

    Scanned with `str.find`: a regex like ``<!--.*?-->`` reads to the end of the text from
    every ``<!--`` that is never closed, which is quadratic on ``<!--`` repeated. A comment
    left open is not one: the text after it is still checked.
    """
    kept: list[str] = []
    at = 0
    while (start := html.find("<!--", at)) != -1:
        end = html.find("-->", start + 4)
        if end == -1:
            break
        kept += [html[at:start], "\n" * html.count("\n", start, end)]
        at = end + 3
    kept.append(html[at:])
    return "".join(kept)


def _event_handlers(text: str) -> list[tuple[int, str]]:
    """Where each ``on…=`` attribute inside a tag is: between a ``<`` and the next ``>`` (or the end).

    Each stretch up to a ``>`` is searched once, from its first ``<``: a pattern such as
    ``<[^>]*…on…=`` would instead read from every ``<`` to the next ``>``, which is quadratic
    on ``<`` repeated without one.
    """
    found: list[tuple[int, str]] = []
    at = 0
    while at < len(text):
        end = text.find(">", at)
        end = len(text) if end == -1 else end
        start = text.find("<", at, end)
        if start != -1:
            found += [(m.start(1), f"{m.group(1).lower()}= event handler")
                      for m in _HANDLER.finditer(text, start + 1, end)]
        at = end + 1
    return found


def _under(path: Path, folders: Iterable[Path]) -> bool:
    return any(path == folder or path.is_relative_to(folder) for folder in folders)


def _relative(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


class _Add(Protocol):
    def __call__(self, line: int, code: str, message: str, level: Level = ...) -> None: ...
