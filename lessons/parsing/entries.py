"""Front-matter entries, and the value YAML gives an unquoted scalar.

Both readers of front matter make these: the YAML loader (`frontmatter`) and the fast
reader of its common subset (`frontfast`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import yaml

from ..errors import Problem

STR_TAG = "tag:yaml.org,2002:str"
SCALAR_TAGS = frozenset(f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "timestamp"))
"""The scalar types front matter is read as; any other tag is ignored (with a warning)."""
IMPLICIT_TEXT = frozenset({"tag:yaml.org,2002:value", "tag:yaml.org,2002:merge"})
"""What PyYAML makes of an unquoted ``=`` or ``<<`` value by itself: text, without a word."""
LARGEST_INT_BITS = 64
"""A whole number wider than this is kept as the text written: it means nothing as a number
here, and Python refuses to turn one of more than 4,300 digits back into text."""


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
    problems: list[Problem] = field(default_factory=list)
    """What was odd about the YAML of the value (a tag ignored, nesting cut off)."""


def kept_as_text(value: Any) -> bool:
    """Whether a constructed scalar is kept as the text written instead: a number too wide."""
    return isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > LARGEST_INT_BITS


LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""The YAML loader: libyaml's parser where PyYAML was built with it (several times faster)."""
_RESOLVERS: dict[Any, list[tuple[str, re.Pattern[str]]]] = LOADER.yaml_implicit_resolvers
_CONSTRUCTORS: dict[Any, Any] = LOADER.yaml_constructors
_WILDCARD = tuple(_RESOLVERS.get(None, ()))
_BY_FIRST = {first: (*patterns, *_WILDCARD) for first, patterns in _RESOLVERS.items() if first is not None}
"""First character -> the (tag, pattern) pairs PyYAML's resolver tries, in its order."""


def loader_as_imported() -> bool:
    """Whether the loader still types scalars as `plain_value` does: no resolver or constructor added.

    (PyYAML's ``add_implicit_resolver`` and ``add_constructor`` give a loader class tables of its own.)
    """
    return LOADER.yaml_implicit_resolvers is _RESOLVERS and LOADER.yaml_constructors is _CONSTRUCTORS


def plain_tag(text: str) -> str:
    """The tag YAML 1.1 (PyYAML's resolver) gives an unquoted scalar, as `BaseResolver.resolve` finds it."""
    for tag, pattern in _BY_FIRST.get(text[0] if text else "", _WILDCARD):
        if pattern.match(text):
            return tag
    return STR_TAG


class NotPlainData(ValueError):
    """An unquoted scalar YAML resolves to a type front matter does not read."""


def plain_value(text: str) -> Any:
    """The value the YAML loader of `frontmatter` gives the unquoted scalar `text` (untagged).

    Raises:
        NotPlainData: YAML resolves `text` to a tag that loader would warn about.
    """
    if (text[0] if text else "") not in _BY_FIRST and not _WILDCARD:
        return text  # most text: no implicit type starts with its first character
    return _typed(text)


@lru_cache(maxsize=4096)
def _typed(text: str) -> Any:
    # The values are immutable (text, numbers, dates, true/false, None), so one may stand for
    # every scalar so written.
    tag = plain_tag(text)
    if tag == STR_TAG or tag in IMPLICIT_TEXT:
        return text
    if tag not in SCALAR_TAGS:
        raise NotPlainData(tag)
    # What `SafeConstructor.construct_object` returns for a scalar node: its tag's constructor
    # called on it (the rest of that method only tracks the nodes of collections).
    try:
        value = _CONSTRUCTORS[tag](_CONSTRUCTOR, yaml.ScalarNode(tag, text))
    except Exception:
        # A scalar YAML cannot type (2024-13-45): the text, as the loader keeps it.
        return text
    return text if kept_as_text(value) else value


_CONSTRUCTOR = yaml.constructor.SafeConstructor()
"""The safe loader's constructors, without a stream to read (`LOADER`'s, while `loader_as_imported`)."""
