"""Markdown with YAML front matter -> `Document`.

`parse_text` never raises anything but `ParseError`: a file that cannot be read
as a document at all (empty, not UTF-8, binary, too large, front matter that is not
YAML or not a mapping). Everything less serious — a mistyped field, an unknown
key, a missing section — becomes a `Problem` on `Document.problems`, so one
mistake never hides the rest.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date, datetime, tzinfo
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import Level, ParseError, Problem
from ..model import ActionItem, Document, Kind, Link, RawHtml, Section, Status, TimelineEvent, shifted

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_core import StateCore
    from markdown_it.token import Token

    from .fields import Fields
    from .frontmatter import Entry

MAX_FILE_BYTES = 2 * 1024 * 1024
"""Larger files are refused: no real post-mortem is this long, and a huge file
is far more likely a mistake (a log pasted in, a binary renamed .md)."""

FOLDER_KINDS = {
    "postmortems": Kind.POSTMORTEM, "post-mortems": Kind.POSTMORTEM, "postmortem": Kind.POSTMORTEM,
    "incidents": Kind.POSTMORTEM, "practices": Kind.PRACTICE, "practice": Kind.PRACTICE,
}
_DATE_PREFIX = re.compile(r"^(\d{4}-\d{2}-\d{2})")
_FENCE_LINE = re.compile(r"^---\s*$")
_SCRIPT_LINK = re.compile(r"\]\(\s*(?:<\s*)?((?:javascript|vbscript):(?:[^()\s]|\([^()\s]*\))*)", re.IGNORECASE)


def read_source(path: Path) -> tuple[str, str]:
    """The text of a file and the SHA-256 of its bytes.

    Raises:
        ParseError: the file is too large, binary or not UTF-8.
    """
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ParseError(
                path, 1,
                f"file is {size / 1_048_576:.1f} MB; documents are limited to "
                f"{MAX_FILE_BYTES // 1_048_576} MB (is a log or binary pasted in?)",
                code="file-too-large",
            )
        data = path.read_bytes()
    except OSError as exc:
        raise ParseError(path, 0, f"cannot read file: {exc.strerror or exc}", code="unreadable") from None
    return decode(data, path), hashlib.sha256(data).hexdigest()


def decode(data: bytes, path: Path) -> str:
    """Bytes -> text, refusing binary and non-UTF-8 content with the line at fault."""
    if b"\x00" in data[:8192]:
        raise ParseError(path, 1, "file looks binary (it contains NUL bytes), not Markdown", code="binary")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ParseError(
            path, line,
            f"file is not UTF-8 (byte 0x{data[exc.start]:02x}); re-save it as UTF-8",
            code="encoding", column=column,
        ) from None
    return text.removeprefix("\ufeff")


_NOT_DOCUMENTS = frozenset({"readme", "index"})
"""Names that are about a folder, not documents in it, wherever they are."""


def folder_kind(path: Path, root: Path | None) -> Kind | None:
    """The kind a file's folder implies (``postmortems/…`` -> post-mortem).

    None for a ``README.md`` or ``index.md`` (about the folder) and for a name starting
    with ``_`` (a template or partial, as Jekyll and Hugo treat it): such a file is a
    document only when its front matter or its content says so.
    """
    if path.stem.lower() in _NOT_DOCUMENTS or path.name.startswith("_"):
        return None
    try:
        parts = path.relative_to(root).parts[:-1] if root else path.parts[:-1]
    except ValueError:
        parts = path.parts[:-1]
    for part in reversed(parts):
        if part.lower() in FOLDER_KINDS:
            return FOLDER_KINDS[part.lower()]
    return None


def parse_file(path: Path, *, root: Path | None = None) -> Document | None:
    """Parse one file; None when it is a plain page rather than a document."""
    text, digest = read_source(path)
    return parse_text(text, path, default_kind=folder_kind(path, root), content_hash=digest)


def parse_text(
    text: str,
    path: Path | str = "<text>",
    *,
    default_kind: Kind | None = Kind.POSTMORTEM,
    content_hash: str = "",
) -> Document | None:
    """Parse Markdown with front matter into a `Document`.

    Args:
        text: the whole file.
        path: where it came from, for messages.
        default_kind: the kind when front matter does not say; None means
            "a plain page unless the front matter has a title and a date".
        content_hash: recorded on the document for incremental indexing.

    Returns:
        The document, or None for a plain page (only when `default_kind` is None).

    Raises:
        ParseError: the text cannot be read as a document at all.
    """
    from .fields import read_fields
    from .frontmatter import load_front_matter

    path = Path(path)
    if "\x00" in text:
        raise ParseError(path, 1, "text contains NUL characters; is this a binary file?", code="binary")
    if not text.strip():
        if default_kind is None:
            return None
        raise ParseError(path, 1, "file is empty; a document needs front matter with at least "
                         "`title:` (and `date:` for a post-mortem)", code="empty-file")
    if not content_hash:
        content_hash = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    if "\r" in text:
        # Markdown ends lines at \r\n, \n or a lone \r; so must our line numbers.
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    tokens = _markdown().parse(text)
    entries: dict[str, Any] = {}
    body_start = 0
    if tokens and tokens[0].type == "front_matter":
        fm_map = tokens[0].map or [0, 2]
        entries = load_front_matter(tokens[0].content, path, 2)
        body_start = fm_map[1]
        tokens = tokens[1:]
    elif _FENCE_LINE.match(text.split("\n", 1)[0]) and text.count("\n") >= 1 and _looks_like_yaml(text):
        raise ParseError(
            path, 1, "front matter opened with '---' on line 1 is never closed by a '---' line",
            code="front-matter-unclosed",
        )
    fields = read_fields(entries, path)
    values = fields.values
    _settle_ambiguous_date(entries, fields, path)
    kind = values.get("kind") or default_kind
    written_as_document = "title" in values and "date" in values
    if kind is None and not written_as_document and not _may_be_postmortem(text):
        return None
    problems = list(fields.problems)
    lines = text.split("\n")
    body = "\n".join(lines[body_start:])
    walker = _BodyWalker(path)
    walker.walk(tokens)
    problems.extend(walker.problems)
    from .fields import read_informal

    labelled = walker.labelled_fields()
    for key, (written, line) in labelled.items():
        if key not in values:
            informal = read_informal(key, written)
            if informal is not None:
                values[key] = informal
                fields.lines.setdefault(key, line)
    sections = walker.kept_sections()
    if kind is None:
        # Outside a postmortems/ or practices/ folder, a page is a post-mortem when its
        # front matter says so (a title and a date), or when it reads like one: a title,
        # a date and at least two of the sections every post-mortem template has.
        dated = "date" in values or "date" in labelled or _DATE_PREFIX.match(path.stem) is not None
        core = {s.name for s in sections} & _POSTMORTEM_SECTIONS
        if not (written_as_document or ((values.get("title") or walker.title) and dated and len(core) >= 2)):
            return None
        kind = Kind.POSTMORTEM
    problems.extend(_script_links(lines, body_start, path, walker))
    problems.extend(Problem(path, number + 1, "not-a-heading", "'#' followed by a non-breaking space is not a "
                            "heading in Markdown (GitHub and the site show it as text); use a plain space",
                            Level.WARNING)
                    for number in range(body_start, len(lines)) if _NBSP_HEADING.match(lines[number]))

    title = values.get("title") or walker.title
    if not title:
        title = path.stem.replace("-", " ").replace("_", " ").strip() or "Untitled"
        if "title" not in fields.lines:  # else the invalid value is reported already
            problems.append(Problem(path, 1, "missing-field", "missing required field 'title' "
                                    "(front matter `title:` or a `# Heading` at the top)"))
    doc_date: date | None = values.get("date")
    if doc_date is None and kind is Kind.POSTMORTEM:
        prefix = _DATE_PREFIX.match(path.stem)
        from .fields import parse_date

        doc_date = parse_date(prefix.group(1)) if prefix else None
        if doc_date is None and "date" not in fields.lines and "date" in labelled:
            written, line = labelled["date"]
            problems.append(Problem(path, line, "invalid-date", f"the date line says {written.strip()!r}, "
                                    "which is not a date; write it like 2024-03-16"))
        elif doc_date is None and "date" not in fields.lines:
            problems.append(Problem(path, 1, "missing-field", "missing required field 'date' (the day the "
                                    "incident began, YYYY-MM-DD; or name the file YYYY-MM-DD-….md)"))
    doc_id = values.get("id") or path.stem
    timeline = walker.timeline(doc_date, problems, started=values.get("started"))
    action_items = walker.action_items(doc_id, kind, problems)
    doc = Document(
        id=doc_id,
        title=title,
        kind=kind,
        path=path,
        date=doc_date,
        status=values.get("status", Status.PUBLISHED),
        severity=values.get("severity"),
        organization=values.get("organization"),
        services=values.get("services", []),
        started=values.get("started"),
        detected=values.get("detected"),
        mitigated=values.get("mitigated"),
        resolved=values.get("resolved"),
        causes=values.get("causes", []),
        tags=values.get("tags", []),
        summary=values.get("summary") or _lead(next((s.text for s in sections if s.name == "summary"), "")),
        sources=values.get("sources", []),
        related=values.get("related", []),
        prevents=values.get("prevents", []),
        authors=values.get("authors", []),
        sections=sections,
        timeline=timeline,
        action_items=action_items,
        links=walker.links,
        html=walker.html,
        body=body,
        body_line=body_start + 1,
        field_lines=fields.lines,
        day_precision=fields.day_only,
        extra=fields.extra,
        content_hash=content_hash,
    )
    doc.text = "\n".join(s.text for s in sections if s.text)
    doc.problems = problems
    return doc


def _settle_ambiguous_date(entries: dict[str, Entry], fields: Fields, path: Path) -> None:
    """``date: 03/04/2024`` in ``2024-03-04-….md``: the file name says which order was meant."""
    from .fields import ambiguous_day, parse_date

    entry = entries.get("date")
    prefix = _DATE_PREFIX.match(path.stem)
    if entry is None or prefix is None or "date" in fields.values:
        return
    named = parse_date(prefix.group(1))
    readings = ambiguous_day(str(entry.raw or entry.value))
    if named is None or readings is None or named not in readings:
        return
    fields.values["date"] = named
    fields.problems[:] = [p for p in fields.problems if not (p.code == "invalid-date" and p.line == entry.line)]


def _lead(text: str, limit: int = 300) -> str:
    """The first sentences of a Summary section, as the summary when the front matter has none."""
    if len(text) <= limit:
        return text
    cut = max(text.rfind(". ", 0, limit), text.rfind("? ", 0, limit), text.rfind("! ", 0, limit))
    return text[: cut + 1] if cut > limit // 3 else text[: text.rfind(" ", 0, limit)].rstrip(",;:") + " …"


def _looks_like_yaml(text: str) -> bool:
    # "---" on line 1 followed by "key: value" is a front matter someone forgot to close;
    # followed by prose it is just a thematic break.
    second = text.split("\n", 2)[1] if text.count("\n") >= 1 else ""
    return bool(re.match(r"^[A-Za-z_][\w -]*:(\s|$)", second))


def _script_links(lines: list[str], start: int, path: Path, walker: _BodyWalker) -> list[Problem]:
    # markdown-it refuses to make links of javascript: URLs, so they never reach the
    # token stream; look for them in the text so the check can still name them.
    for number in range(start, len(lines)):
        for match in _SCRIPT_LINK.finditer(lines[number]):
            walker.links.append(Link(match.group(1), number + 1, ""))
    return []


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    from markdown_it import MarkdownIt
    from mdit_py_plugins.front_matter import front_matter_plugin

    md = MarkdownIt("commonmark").enable("table").use(front_matter_plugin)
    md.core.ruler.at("inline", _inline_rule)
    return md


_TAG_LIKE = re.compile(r"<[A-Za-z][^<>]*>")
_POSTMORTEM_SECTIONS = frozenset({"summary", "impact", "timeline", "causes", "resolution", "action-items"})


def _may_be_postmortem(text: str) -> bool:
    # Cheap test before walking a page: post-mortem headings or bold labels.
    return bool(re.search(r"^\s{0,3}(?:#{1,6}\s|\*\*)", text, re.MULTILINE))


_INLINE_MARKUP = re.compile(r"[\\`*_&<\[]")
"""The characters with which CommonMark inline markup starts (escapes, code, emphasis,
entities, autolinks and HTML, links and images): text without them is plain."""


def _inline_rule(state: StateCore) -> None:
    """markdown-it's core ``inline`` rule, with a shortcut for plain text.

    Most paragraphs, headings and table cells have no inline markup at all, and running
    the inline rules over them was a third of the parse. Plain text gets the tokens
    markdown-it would give it (text, and a soft or hard break at each line end);
    tests/test_parse_inline.py checks the two agree.
    """
    md = state.md
    for token in state.tokens:
        if token.type != "inline":
            continue
        if token.children is None:
            token.children = []
        if _INLINE_MARKUP.search(token.content):
            md.inline.parse(token.content, md, state.env, token.children)
        else:
            token.children.extend(plain_inline_tokens(token.content))


def plain_inline_tokens(content: str) -> list[Token]:
    """The inline tokens of text without markup, as markdown-it's inline rules make them."""
    from markdown_it.token import Token

    if "\n" not in content:
        return [Token("text", "", 0, content=content)] if content else []
    tokens = []
    pending = ""
    lines = content.split("\n")
    last = len(lines) - 1
    for number, line in enumerate(lines):
        pending += line.lstrip(" \t") if number else line
        if number == last:
            break
        kind = "softbreak"
        if pending.endswith("  "):  # two spaces before the line end: a hard break
            pending, kind = pending.rstrip(" "), "hardbreak"
        elif pending.endswith(" "):
            pending = pending[:-1]
        if pending:
            tokens.append(Token("text", "", 0, content=pending))
            pending = ""
        tokens.append(Token(kind, "br", 0))
    if pending:
        tokens.append(Token("text", "", 0, content=pending))
    return tokens


class _Item:
    __slots__ = ("section", "text", "line", "depth", "cells", "header", "zone")

    def __init__(self, section: int, text: str, line: int, depth: int,
                 cells: list[str] | None = None, header: list[str] | None = None) -> None:
        self.section = section
        self.text = text
        self.line = line
        self.depth = depth
        self.cells = cells
        self.header = header


class _BodyWalker:
    """One pass over the token stream: sections, list items, table rows, links, HTML."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.title: str | None = None
        self.sections: list[Section] = []
        self.links: list[Link] = []
        self.html: list[RawHtml] = []
        self.items: list[_Item] = []
        self.problems: list[Problem] = []
        self.labelled: list[tuple[str, str, int]] = []
        """``**Label:** value`` paragraphs: (label, value as plain text, line)."""
        self._texts: list[list[str]] = []
        self._top = "intro"
        """The section the last top-level heading opened (deeper ones may open others)."""

    def walk(self, tokens: list[Token]) -> None:
        from .sections import SECTION_ALIASES, canonical_section, slugify_heading

        levels = [(i, int(t.tag[1])) for i, t in enumerate(tokens) if t.type == "heading_open"]
        title_at = -1
        if levels and levels[0][1] == 1 and (
                sum(1 for _, lv in levels if lv == 1) == 1
                or not canonical_section(_plain(tokens[levels[0][0] + 1]))):
            # The first H1 is the title, also when the sections are H1s too (exports
            # from Confluence and Word), unless it is itself a section ("# Summary").
            title_at = levels[0][0]
        elif self._bold_title(tokens):
            title_at = -2
        section_level = min((lv for i, lv in levels if i != title_at), default=2)
        self._open_section("", "", 1)
        list_depth = 0
        pending_item: int | None = None
        header: list[str] | None = None
        row: list[str] | None = None
        row_line = 0
        in_head = False
        skip_inline = False
        for i, token in enumerate(tokens):
            kind = token.type
            if kind == "heading_open":
                inline = tokens[i + 1]
                heading = _plain(inline)
                skip_inline = True
                line = (token.map[0] if token.map else 0) + 1
                canonical = canonical_section(heading)
                if i == title_at:
                    self.title = heading.strip() or None
                elif int(token.tag[1]) <= section_level or (canonical and self._top not in SECTION_ALIASES):
                    # A deeper heading that names a section starts it when the section above
                    # is a wrapper ("## Incident review" with "### Impact" below). Under a
                    # known section it is part of it: "### Detection" under "## Action items"
                    # groups action items, "### What went well" belongs to the lessons.
                    self._open_section(canonical or slugify_heading(heading), heading, line)
                    if int(token.tag[1]) <= section_level:
                        self._top = self.sections[-1].name
                else:
                    if self.sections[-1].name == "timeline":
                        # "### Thursday 22 February": the day of the entries below it.
                        self.items.append(_Item(len(self.sections) - 1, heading, line, -1))
                    self._texts[-1].append(heading)
            elif kind == "inline":
                if skip_inline:
                    skip_inline = False
                    continue
                self._inline(token)
                line = (token.map[0] if token.map else 0) + 1
                if title_at == -2 and self.title is None:
                    self.title = _strip_inline(token.content).strip() or None
                    continue
                if row is not None:
                    row.append(token.content)
                    self._texts[-1].append(_plain(token))
                    continue
                if pending_item is not None:
                    label = _BOLD_LABEL.match(token.content)
                    if label and len(self.sections) == 1 and _label_field(label.group(1)):
                        # "- **Date:** 2024-07-09": the facts block of many templates, as a list.
                        self.labelled.append((label.group(1).strip(), _strip_inline(label.group(2)), line))
                    else:
                        self.items.append(_Item(len(self.sections) - 1, token.content, pending_item, list_depth))
                        self._texts[-1].append(_plain(token))
                    pending_item = None
                    continue
                self._paragraph(token, line)
            elif kind in ("bullet_list_open", "ordered_list_open"):
                list_depth += 1
            elif kind in ("bullet_list_close", "ordered_list_close"):
                list_depth -= 1
            elif kind == "list_item_open":
                pending_item = (token.map[0] if token.map else 0) + 1
            elif kind == "list_item_close":
                pending_item = None
            elif kind == "thead_open":
                in_head = True
            elif kind == "thead_close":
                in_head = False
            elif kind == "table_open":
                header = None
            elif kind == "tr_open":
                row, row_line = [], (token.map[0] if token.map else 0) + 1
            elif kind == "tr_close" and row is not None:
                if len(self.sections) == 1 and len(row) == 2 and (
                        canonical_section(_strip_inline(row[0])) or _label_field(_strip_inline(row[0]))):
                    # A two-column "| Incident date | 2024-03-16 |" table before the first
                    # heading holds the same facts as front matter or labelled paragraphs.
                    self.labelled.append((_strip_inline(row[0]), _strip_inline(row[1]), row_line))
                if in_head:
                    header = row
                else:
                    self.items.append(
                        _Item(len(self.sections) - 1, "", row_line, 0, cells=row, header=header)
                    )
                row = None
            elif kind in ("fence", "code_block"):
                self._texts[-1].append(token.content)
            elif kind == "html_block":
                self.html.append(RawHtml(token.content, (token.map[0] if token.map else 0) + 1))
        for section, parts in zip(self.sections, self._texts, strict=True):
            section.text = " ".join(" ".join(parts).split())

    def _paragraph(self, token: Token, line: int) -> None:
        """A paragraph outside lists and tables: text, or labels, headings and timeline entries.

        Documents converted from Word or Google Docs put each ``**Label:** value`` or
        ``**Root cause**`` heading on a line of its own, often with no blank line between:
        such a paragraph is read line by line.
        """
        from .sections import canonical_section

        lines = token.content.split("\n")
        if not any(_BOLD_LABEL.match(text) or _BOLD_ONLY.match(text) for text in lines) and not (
                len(self.sections) == 1 and any(_PLAIN_LABEL.match(text) for text in lines)):
            if self.sections[-1].name == "timeline":
                self._timeline_paragraph(lines, line)
            self._texts[-1].append(_plain(token))
            return
        for number, text in enumerate(lines):
            at = line + number
            label = _BOLD_LABEL.match(text) or (_PLAIN_LABEL.match(text) if len(self.sections) == 1 else None)
            heading = _BOLD_ONLY.match(text)
            if heading and canonical_section(heading.group(1)):
                self._open_section(canonical_section(heading.group(1)) or "", heading.group(1).strip(), at)
            elif label and (
                    _label_field(label.group(1)) or (label.re is _BOLD_LABEL and canonical_section(label.group(1)))):
                # "**Impact:** 1.2B queries lost" — the one-line-per-section style of many
                # templates (the SRE book's among them): a section or a field.
                value = _strip_inline(label.group(2))
                if not value and canonical_section(label.group(1)):
                    self._open_section(canonical_section(label.group(1)) or "", label.group(1).strip(), at)
                else:
                    self.labelled.append((label.group(1).strip(), value, at))
            else:
                if self.sections[-1].name == "timeline":
                    self.items.append(_Item(len(self.sections) - 1, text, at, -1))
                self._texts[-1].append(_strip_inline(text))

    def _timeline_paragraph(self, lines: list[str], line: int) -> None:
        from .timeline import has_clock_time, read_offset, read_stamp

        def timed(text: str) -> bool:
            stamp = read_stamp(text, previous=None, default_date=None, zone=None)
            return stamp.at is not None or has_clock_time(stamp.text) or read_offset(text) is not None

        timed_lines = sum(1 for text in lines if timed(text))
        if len(lines) > 1 and timed_lines >= 2:
            # One entry per line ("2:00am – Weekly sync starts"), no list markers.
            for number, text in enumerate(lines):
                self.items.append(_Item(len(self.sections) - 1, text, line + number, -1 if number == 0 else 1))
        else:
            self.items.append(_Item(len(self.sections) - 1, "\n".join(lines), line, -1))

    def _bold_title(self, tokens: list[Token]) -> bool:
        """True when the document opens with a bold line of its own and has no H1: its title."""
        from .sections import canonical_section

        if len(tokens) < 2 or tokens[0].type != "paragraph_open" or tokens[1].type != "inline":
            return False
        bold = _BOLD_ONLY.match(tokens[1].content)
        return bool(bold and "\n" not in tokens[1].content and not canonical_section(bold.group(1))
                    and not _label_field(bold.group(1)))

    def kept_sections(self) -> list[Section]:
        """The sections worth keeping, with those written as ``**Label:** text`` paragraphs.

        An empty preamble before the first heading is dropped.
        """
        from .sections import canonical_section

        kept = [s for s in self.sections if s.heading or s.text]
        for label, value, line in self.labelled:
            name = canonical_section(label)
            if not name or not value:
                continue
            section = next((s for s in kept if s.name == name), None)
            if section is None:
                kept.append(Section(name, label, line, value))
            else:
                section.text = f"{section.text} {value}".strip()
        return sorted(kept, key=lambda s: s.line)

    def labelled_fields(self) -> dict[str, tuple[str, int]]:
        """Front-matter fields written as ``**Date:** 2015-10-21`` paragraphs."""
        found: dict[str, tuple[str, int]] = {}
        for label, value, line in self.labelled:
            key = _label_field(label)
            if key and key not in found:
                found[key] = (value, line)
        return found

    def _open_section(self, name: str, heading: str, line: int) -> None:
        self.sections.append(Section(name or "intro", heading, line))
        self._texts.append([])

    def _inline(self, token: Token) -> None:
        line = (token.map[0] if token.map else 0) + 1
        for child in token.children or []:
            if child.type in ("softbreak", "hardbreak"):
                line += 1
            elif child.type == "link_open":
                self.links.append(Link(str(child.attrGet("href") or ""), line, ""))
            elif child.type == "image":
                self.links.append(Link(str(child.attrGet("src") or ""), line, child.content))
            elif child.type == "html_inline":
                self.html.append(RawHtml(child.content, line))
            elif child.type == "text" and "<" in child.content:
                # CommonMark leaves `<svg/onload=…>` as text, but other Markdown renderers
                # (Python-Markdown, which MkDocs uses) pass it on as HTML: check it as HTML.
                self.html.extend(RawHtml(m.group(0), line) for m in _TAG_LIKE.finditer(child.content))

    def _section_name(self, index: int) -> str:
        return self.sections[index].name if 0 <= index < len(self.sections) else ""

    def timeline(self, doc_date: date | None, problems: list[Problem], *,
                 started: datetime | None = None) -> list[TimelineEvent]:
        from .timeline import has_clock_time, read_offset, read_stamp, zone_named_in

        events: list[TimelineEvent] = []
        previous: datetime | None = None
        day = doc_date
        day_zone: tzinfo | None = None
        written_zone: tzinfo | None = None
        zero = started  # what "T+0" stands for in "T+4m — alert fires"
        for item in self._timeline_order():
            section = self.sections[item.section]
            zone = day_zone or zone_named_in(section.heading) or written_zone
            if item.cells is None:
                defined = _T_ZERO.search(item.text)
                if defined:
                    stamp = read_stamp(defined.group(1), previous=None, default_date=day, zone=zone)
                    zero = stamp.at or zero
                offset = read_offset(item.text)
                if offset is not None and (item.depth != -1 or not defined):
                    moment = shifted(zero, offset.delta)  # None past year 9999 or for T+1000000000d
                    events.append(TimelineEvent(_strip_inline(offset.rest), item.line, moment, offset.text))
                    previous = moment or previous
                    continue
            if item.depth == -1:
                # A paragraph such as "2015-10-21 (all times UTC)" sets the day (and
                # zone) of the entries that follow it; "All times are CEST." the zone.
                stamp = read_stamp(item.text, previous=None, default_date=day, zone=zone)
                if stamp.at is not None and not has_clock_time(stamp.text) and len(stamp.rest) <= 40:
                    day, previous = stamp.at.date(), None
                    day_zone = zone_named_in(item.text) or day_zone
                    continue
                if not has_clock_time(stamp.text):
                    if _ZONE_SENTENCE.search(item.text):
                        day_zone = zone_named_in(item.text) or day_zone
                    continue
                # A paragraph that starts with a time is an entry ("2:00am – Sync starts").
            if item.cells is not None:
                if not item.cells:
                    continue
                header = item.header or []
                if header:
                    zone = zone_named_in(" ".join(header[:2])) or zone
                at_column = _time_columns(header, item.cells)
                first = " ".join(item.cells[i] for i in at_column)
                rest = " ".join(c for i, c in enumerate(item.cells)
                                if i not in at_column and c.strip() and not _counter_column(header, i))
                stamp = read_stamp(first, previous=previous, default_date=day, zone=zone)
                text = " ".join(part for part in (stamp.rest if stamp.at else first, rest) if part)
                time_text = stamp.text if stamp.at else ""
            else:
                stamp = read_stamp(item.text, previous=previous, default_date=day, zone=zone)
                if item.depth > 1 and stamp.at is None:
                    continue
                text, time_text = stamp.rest, stamp.text
            if stamp.at is not None:
                previous = stamp.at
                if stamp.zone is not None and day_zone is None:
                    written_zone = stamp.zone
            events.append(TimelineEvent(_strip_inline(text), item.line, stamp.at, time_text))
        return sorted(events, key=lambda event: event.line)

    def _timeline_order(self) -> list[_Item]:
        """The timeline's items, oldest entry first.

        A timeline pasted from a status page is often newest first (11:04, 10:48, 10:35):
        read in the order written, each entry would look a day later than the one before.
        """
        items = [item for item in self.items
                 if item.section < len(self.sections) and self.sections[item.section].name == "timeline"]
        entries = [item for item in items if item.depth != -1 or item.cells is not None]
        clocks = [_clock_of(item.cells[0] if item.cells else item.text) for item in entries]
        known = [clock for clock in clocks if clock is not None]
        if len(known) < 3 or len(known) < len(entries) or any(a <= b for a, b in zip(known, known[1:], strict=False)):
            return items
        ordered = set(map(id, entries))
        return [item for item in items if id(item) not in ordered] + entries[::-1]

    def action_items(self, doc_id: str, kind: Kind, problems: list[Problem]) -> list[ActionItem]:
        from .actions import read_item, read_row

        found: list[ActionItem] = []
        # Task lists elsewhere count only when there is no Action items section: a
        # responder's checklist under Resolution ("- [x] Stop all writers") is not one.
        has_section = any(s.name == "action-items" for s in self.sections)
        for item in self.items:
            in_section = self._section_name(item.section) == "action-items"
            if has_section and not in_section:
                continue
            if item.cells is not None:
                if not in_section or not item.header:
                    continue
                parsed = read_row(item.header, item.cells)
            else:
                parsed = read_item(item.text)
                if not in_section and not (parsed.checkbox and kind is Kind.POSTMORTEM):
                    continue
                if in_section and item.depth > 1 and not parsed.checkbox:
                    continue
            if parsed is None or _PLACEHOLDER_ITEM.match(parsed.text):
                continue  # "- [ ] TODO" or "- [ ] <!-- add more -->" left from the template
            problems.extend(parsed.due_problems(self.path, item.line))
            found.append(ActionItem(_strip_inline(parsed.text), item.line, parsed.done, parsed.owner,
                                    parsed.due, doc_id))
        return found


_PLACEHOLDER_ITEM = re.compile(r"^\s*(?:(?:<!--.*?-->|todo|tbd|tbc|n/?a|\.\.\.|…|-+|—)\s*)?(?:\.\s*)?$",
                               re.IGNORECASE | re.DOTALL)
_NBSP_HEADING = re.compile("^ {0,3}#{1,6}[\u00a0\u202f]")
_CLOCK_START = re.compile(r"^[\s*_`\[]*(\d{4}-\d{2}-\d{2}[ T])?(\d{1,2})[:.h](\d{2})\b")


def _clock_of(text: str) -> str | None:
    """``2024-08-03 11:04`` or ``11:04`` at the start of an entry, comparable as text."""
    match = _CLOCK_START.match(text)
    if not match:
        return None
    return f"{match.group(1) or ''}{int(match.group(2)):02d}:{match.group(3)}"


_T_ZERO = re.compile(r"\bT\s*(?:\+\s*)?0\s*(?:=|is\b|:)\s*(.+)", re.IGNORECASE)
"""``(T+0 = 10:00 UTC)``: what the offsets of a relative timeline count from."""
_ZONE_SENTENCE = re.compile(r"\ball\s+times\b|\btimes?\s+(?:are|is|in)\b|\btime\s*zone\b", re.IGNORECASE)
"""``All times CEST.``, ``All times are in Pacific Time (PT)``, ``Timezone: UTC+2``."""


def _counter_column(header: list[str], index: int) -> bool:
    """A "#" or "Step" column numbers the rows: it is not part of what happened."""
    return index < len(header) and _strip_inline(header[index]).strip().lower() in ("#", "no", "no.", "step", "n")


def _time_columns(header: list[str], cells: list[str]) -> list[int]:
    """Which cells of a timeline row hold its time: the first, or separate Date and Time."""
    names = [_strip_inline(h).strip().lower() for h in header]
    date_at = next((i for i, n in enumerate(names) if n in ("date", "day")), None)
    time_at = next((i for i, n in enumerate(names) if n.startswith(("time", "when", "timestamp"))), None)
    columns = [i for i in (date_at, time_at) if i is not None and i < len(cells)]
    return sorted(columns) or [0]


_BOLD_ONLY = re.compile(r"^\s*(?:\*\*|__)([^*_\n]{2,120}?)(?<!\s)\s*(?::\s*)?(?:\*\*|__)\s*(?::\s*)?$")
"""A line that is one bold phrase: ``**Root cause**`` (a heading, in converted documents)."""
_PLAIN_LABEL = re.compile(r"^\s*([A-Za-z][A-Za-z ]{1,24}):\s+(\S.*)$")
"""``Date: 2024-10-02`` at the top of a document (read only for known field names)."""
_BOLD_LABEL = re.compile(r"^\s*(?:\*\*|__)([^*_\n]{2,40}?)\s*(?::\s*(?:\*\*|__)|(?:\*\*|__)\s*:)\s*(.*)$", re.S)
_LABEL_FIELDS = {
    "date": "date", "incident date": "date", "date of incident": "date", "datum": "date", "fecha": "date",
    "author": "authors", "authors": "authors", "written by": "authors", "prepared by": "authors",
    "status": "status", "severity": "severity", "sev": "severity", "priority": "severity",
    "services": "services", "service": "services", "affected services": "services",
    "organization": "organization", "organisation": "organization",
    "start time": "started", "started": "started", "start": "started",
    "detected": "detected", "detection time": "detected",
    "end time": "resolved", "resolved": "resolved", "resolved at": "resolved", "end": "resolved",
}


def _label_field(label: str) -> str | None:
    return _LABEL_FIELDS.get(" ".join(label.lower().split()).rstrip(":"))


def _plain(inline: Token) -> str:
    parts: list[str] = []
    for child in inline.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "image":
            parts.append(child.content)
    return "".join(parts)


def _strip_inline(text: str) -> str:
    """Inline Markdown -> readable text (emphasis and link syntax removed)."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"(\*\*|__|`)", "", text)
    return " ".join(text.split())
