"""Safe YAML front matter with a line number for every key and list item.

PyYAML's safe loader still expands aliases (so a few lines of YAML can grow into
gigabytes) and reads unquoted ``on:`` as ``True``. Front matter is small and
written by people, so both are refused here with a message that names the line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import ParseError

_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_STR_TAG = "tag:yaml.org,2002:str"


@dataclass(slots=True)
class Entry:
    """One front-matter key with its value and where it was written."""

    key: str
    value: Any
    """The value as YAML constructs it (str, int, date, list, dict …)."""
    line: int
    """1-based line of the key in the file."""
    column: int
    raw: str | None = None
    """The scalar as written, before YAML typed it (None for lists and maps)."""
    items: list[Entry] = field(default_factory=list)
    """For a list value: one entry per item, with its own line."""


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
    offset = first_line - 1
    loader = _Loader(text)
    try:
        try:
            if "*" in text:
                _refuse_aliases(text, path, offset)
            node = loader.get_single_node()
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
        except yaml.YAMLError as exc:
            raise ParseError(path, first_line, f"front matter is not valid YAML: {exc}", code="yaml") from None
        if node is None:
            return {}
        if not isinstance(node, yaml.MappingNode):
            raise ParseError(
                path,
                offset + node.start_mark.line + 1,
                f"front matter must be a mapping of `key: value` lines, not a {_node_kind(node)}",
                code="front-matter-not-mapping",
            )
        return _mapping_entries(loader, node, path, offset)
    finally:
        loader.dispose()


def _mapping_entries(loader: Any, node: yaml.MappingNode, path: Path, offset: int) -> dict[str, Entry]:
    """The entries of the front matter's mapping, refusing keys that are not plain, unique strings."""
    entries: dict[str, Entry] = {}
    for key_node, value_node in node.value:
        line = offset + key_node.start_mark.line + 1
        column = key_node.start_mark.column + 1
        if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != _STR_TAG:
            shown = key_node.value if isinstance(key_node, yaml.ScalarNode) else _node_kind(key_node)
            raise ParseError(
                path,
                line,
                f"front-matter key {shown!r} is not a plain string (YAML reads it as "
                f"{_tag_name(key_node.tag)}); quote it: '\"{shown}\": …'",
                code="key-not-string",
                column=column,
            )
        key = key_node.value
        if key in entries:
            raise ParseError(
                path,
                line,
                f"front-matter key {key!r} appears twice (first on line {entries[key].line})",
                code="duplicate-key",
                column=column,
            )
        entries[key] = _entry(loader, key, value_node, line, column, offset)
    return entries


def _entry(loader: Any, key: str, node: yaml.Node, line: int, column: int, offset: int) -> Entry:
    value = _construct(loader, node)
    raw = node.value if isinstance(node, yaml.ScalarNode) else None
    entry = Entry(key, value, line, column, raw)
    if isinstance(node, yaml.SequenceNode):
        for item in node.value:
            item_raw = item.value if isinstance(item, yaml.ScalarNode) else None
            entry.items.append(
                Entry(
                    key,
                    _construct(loader, item),
                    offset + item.start_mark.line + 1,
                    item.start_mark.column + 1,
                    item_raw,
                )
            )
    return entry


def _construct(loader: Any, node: yaml.Node) -> Any:
    try:
        return loader.construct_object(node, deep=True)
    except (yaml.YAMLError, ValueError, OverflowError):
        # A scalar YAML cannot type (an impossible timestamp like 2024-13-45 makes
        # PyYAML raise ValueError): keep the text, validation reports it with the
        # field's own expectations.
        return node.value if isinstance(node, yaml.ScalarNode) else None


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
