"""Safe YAML front matter with a line number for every key and list item.

PyYAML's safe loader still expands aliases (so a few lines of YAML can grow into
gigabytes) and reads unquoted ``on:`` as ``True``. Front matter is small and
written by people, so both are refused here with a message that names the line.

Values come out as plain data only (text, numbers, true/false, dates, lists and
mappings with text keys), whatever the YAML says: a tag such as ``!!binary`` or
``!foo`` is ignored with a warning, a value YAML cannot type is kept as the text
written, and so is a whole number too large to be one. Deep nesting is cut off.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from ..errors import Level, ParseError, Problem
from .entries import IMPLICIT_TEXT, LOADER, SCALAR_TAGS, STR_TAG, Entry, kept_as_text
from .frontfast import read_common_subset

_Loader: type[yaml.SafeLoader] = LOADER
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MAP_TAG = "tag:yaml.org,2002:map"
_MAX_DEPTH = 16
"""Lists and mappings nested deeper than this are not read: no real front matter nests so."""
_YAML_ONLY_BREAKS = "\x85\u2028\u2029"
"""Line breaks to YAML 1.1 (so to PyYAML), ordinary characters to YAML 1.2, Markdown and
editors: PyYAML would split a value at one and count every later line one too far."""


def load_front_matter(text: str, path: Path, first_line: int) -> dict[str, Entry]:
    """Read YAML front matter into entries keyed by name.

    Args:
        text: the YAML between the ``---`` lines.
        path: the file, for error messages.
        first_line: the 1-based file line where `text` starts.

    Raises:
        ParseError: the YAML does not parse, is not a mapping, uses aliases or
            has keys that are not plain strings.
    """
    # Nearly all front matter is a few `key: value` lines, read without composing YAML;
    # the entries are the same (tests/test_frontfast.py compares them).
    entries = read_common_subset(text, first_line - 1)
    return entries if entries is not None else load_yaml_front_matter(text, path, first_line)


def load_yaml_front_matter(text: str, path: Path, first_line: int) -> dict[str, Entry]:
    """`load_front_matter` by composing the YAML, whatever it holds (the same arguments and errors)."""
    offset = first_line - 1
    stand_ins = _stand_ins(text)
    if stand_ins:
        text = text.translate({ord(char): stand_in for char, stand_in in stand_ins.items()})
    try:
        loader = _Loader(text)
    except yaml.reader.ReaderError as exc:  # PyYAML's own reader checks every character first
        raise _unreadable(exc, text, path, offset) from None
    try:
        node = _compose(loader, text, path, offset)
        if node is None:
            return {}
        if not isinstance(node, yaml.MappingNode):
            raise ParseError(
                path,
                offset + node.start_mark.line + 1,
                f"front matter must be a mapping of `key: value` lines, not a {_node_kind(node)}",
                code="front-matter-not-mapping",
            )
        values = _Values(loader, path, offset, {ord(stand_in): char for char, stand_in in stand_ins.items()})
        return _mapping_entries(values, node, path)
    finally:
        loader.dispose()


def _mapping_entries(values: _Values, node: yaml.MappingNode, path: Path) -> dict[str, Entry]:
    """The entries of the front matter's mapping, refusing keys that are not plain, unique strings."""
    entries: dict[str, Entry] = {}
    for key_node, value_node in node.value:
        line = values.offset + key_node.start_mark.line + 1
        column = key_node.start_mark.column + 1
        if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != STR_TAG:
            shown = values.text(key_node.value) if isinstance(key_node, yaml.ScalarNode) else _node_kind(key_node)
            raise ParseError(
                path,
                line,
                f"front-matter key {shown!r} is not a plain string (YAML reads it as "
                f"{_tag_name(key_node.tag)}); quote it: '\"{shown}\": …'",
                code="key-not-string",
                column=column,
            )
        key = values.text(key_node.value)
        if key in entries:
            raise ParseError(
                path,
                line,
                f"front-matter key {key!r} appears twice (first on line {entries[key].line})",
                code="duplicate-key",
                column=column,
            )
        entries[key] = values.entry(key, value_node, line, column)
    return entries


def _compose(loader: Any, text: str, path: Path, offset: int) -> yaml.Node | None:
    """The YAML's node tree, or a `ParseError` at the line YAML stopped on."""
    try:
        if "*" in text:
            _refuse_aliases(text, path, offset)
        node: yaml.Node | None = loader.get_single_node()
        return node
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = offset + (mark.line + 1 if mark else 1)
        column = mark.column + 1 if mark else 1
        problem = exc.problem or "invalid YAML"
        if "mapping values are not allowed" in problem:
            # `title: Outage: payments down` — the second colon starts a mapping.
            problem += "; a value with ': ' in it needs quotes: title: \"Outage: payments down\""
        raise ParseError(
            path, line, f"front matter is not valid YAML: {problem}", code="yaml", column=column
        ) from None
    except yaml.reader.ReaderError as exc:
        raise _unreadable(exc, text, path, offset) from None
    except yaml.YAMLError as exc:
        raise ParseError(path, offset + 1, f"front matter is not valid YAML: {exc}", code="yaml") from None


def _unreadable(exc: yaml.reader.ReaderError, text: str, path: Path, offset: int) -> ParseError:
    """The finding for a control character YAML refuses, at that character."""
    # libyaml counts its position in bytes, so find the character itself: the first of
    # its kind is the one the reader stopped at.
    at = text.find(chr(exc.character)) if isinstance(exc.character, int) else -1
    line = offset + (text.count("\n", 0, at) + 1 if at >= 0 else 1)
    column = at - text.rfind("\n", 0, at) if at >= 0 else 1
    return ParseError(
        path, line, f"front matter is not valid YAML: the character U+{exc.character:04X} is not "
        f"allowed ({exc.reason}); delete it", code="yaml", column=column,
    )


class _Values:
    """Turns the YAML nodes of one front matter into plain values, noting what was odd."""

    def __init__(self, loader: Any, path: Path, offset: int, restore: dict[int, str]) -> None:
        self.loader = loader
        self.path = path
        self.offset = offset
        self.restore = restore
        """Stand-in -> the YAML-only line break it replaced (see `_stand_ins`)."""
        self.problems: list[Problem] = []

    def text(self, written: str) -> str:
        return written.translate(self.restore) if self.restore else written

    def entry(self, key: str, node: yaml.Node, line: int, column: int) -> Entry:
        self.problems = []
        raw = self.text(node.value) if isinstance(node, yaml.ScalarNode) else None
        entry = Entry(key, None, line, column, raw)
        if isinstance(node, yaml.SequenceNode):
            self._plain_tag(node, _SEQ_TAG)
            for item in node.value:
                item_raw = self.text(item.value) if isinstance(item, yaml.ScalarNode) else None
                entry.items.append(Entry(key, self.value(item, 1), self.offset + item.start_mark.line + 1,
                                         item.start_mark.column + 1, item_raw))
            entry.value = [item.value for item in entry.items]
        else:
            entry.value = self.value(node, 0)
        entry.problems = self.problems
        return entry

    def value(self, node: yaml.Node, depth: int) -> Any:
        """The plain value of a node: never raises, never a type JSON cannot hold."""
        if depth > _MAX_DEPTH:
            self._note(node, "yaml-depth", f"lists or mappings nested more than {_MAX_DEPTH} deep are not read")
            return None
        if isinstance(node, yaml.SequenceNode):
            self._plain_tag(node, _SEQ_TAG)
            return [self.value(item, depth + 1) for item in node.value]
        if isinstance(node, yaml.MappingNode):
            self._plain_tag(node, _MAP_TAG)
            # Keys as written: JSON (the index) holds text keys only, and a list as a key
            # cannot be one of a Python dict.
            return {self.text(str(key.value)) if isinstance(key, yaml.ScalarNode) else _node_kind(key):
                    self.value(item, depth + 1) for key, item in node.value}
        self._plain_tag(node, STR_TAG)
        if node.tag == STR_TAG:  # text is the scalar as written: no constructor needed
            return self.text(node.value)
        try:
            value = self.loader.construct_object(node, deep=True)
        except Exception:
            # A scalar YAML cannot type: keep the text, and validation reports it with the
            # field's own expectations. PyYAML's constructors fail in many ways on text an
            # explicit tag forces on them: ValueError for 2024-13-45 or `!!int abc`, KeyError
            # for `!!bool maybe`, AttributeError for `!!timestamp nope`.
            return self.text(node.value)
        if kept_as_text(value):
            return self.text(node.value)
        return self.text(value) if isinstance(value, str) else value

    def _plain_tag(self, node: yaml.Node, plain: str) -> None:
        if node.tag in (SCALAR_TAGS if plain == STR_TAG else (plain,)):
            return
        if node.tag not in IMPLICIT_TEXT:
            read_as = "the text written" if plain == STR_TAG else f"a plain {_node_kind(node)}"
            self._note(node, "yaml-tag", f"the YAML tag {_tag_written(node.tag)} is not read here; "
                       f"the value is read as {read_as}")
        node.tag = plain

    def _note(self, node: yaml.Node, code: str, message: str) -> None:
        mark = node.start_mark
        self.problems.append(Problem(self.path, self.offset + mark.line + 1, code, message, Level.WARNING,
                                     mark.column + 1))


def _stand_ins(text: str) -> dict[str, str]:
    """For each YAML-only line break in `text`, a private-use character `text` does not hold.

    YAML then reads the value on one line, as Markdown and people do, and every key keeps
    its line; the stand-ins are turned back when values are read. (When the text holds
    every private-use character, there is nothing to stand in: YAML breaks the line.)
    """
    wanted = [char for char in _YAML_ONLY_BREAKS if char in text]
    if not wanted:
        return {}
    free = (chr(code) for code in range(0xE000, 0xF900) if chr(code) not in text)
    pairs = {char: next(free, "") for char in wanted}
    return {char: stand_in for char, stand_in in pairs.items() if stand_in}


def _refuse_aliases(text: str, path: Path, offset: int) -> None:
    # Read as events, an alias is an event of its own with the place it is written; once
    # composed, it is the very node its anchor made, whose place is the anchor's.
    loader = _Loader(text)
    try:
        while loader.check_event():
            event = loader.get_event()  # type: ignore[no-untyped-call]
            if isinstance(event, yaml.AliasEvent):
                mark = event.start_mark
                raise ParseError(
                    path,
                    offset + (mark.line + 1 if mark else 1),
                    f"YAML aliases (*{event.anchor}) and anchors (&name) are not allowed in front "
                    "matter; write the value out",
                    code="yaml-alias",
                    column=mark.column + 1 if mark else 1,
                )
    finally:
        loader.dispose()


def _node_kind(node: yaml.Node) -> str:
    if isinstance(node, yaml.SequenceNode):
        return "list"
    if isinstance(node, yaml.MappingNode):
        return "mapping"
    return f"single value ({_tag_name(node.tag)})"


def _tag_name(tag: str) -> str:
    return {
        "tag:yaml.org,2002:bool": "true/false",
        "tag:yaml.org,2002:int": "a number",
        "tag:yaml.org,2002:float": "a number",
        "tag:yaml.org,2002:null": "null",
        "tag:yaml.org,2002:timestamp": "a date",
        "tag:yaml.org,2002:str": "text",
    }.get(tag, tag.rsplit(":", 1)[-1])


def _tag_written(tag: str) -> str:
    """A tag as people write it: ``!!binary``, ``!foo``."""
    return "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:yaml.org,2002:") else tag
