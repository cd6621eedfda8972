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


def _one_pattern(pairs: tuple[tuple[str, re.Pattern[str]], ...]) -> re.Pattern[str] | None:
    """The patterns of `pairs` as alternatives of one, the n-th matching as group n; None if they cannot be.

    Alternatives are tried in order, and each is anchored at both ends as PyYAML's are: the first
    that matches the whole text is the first of the patterns that does, as `plain_tag` wants.
    """
    if any(pattern.groups or pattern.flags & ~(re.X | re.U) for _, pattern in pairs):
        return None
    return re.compile("|".join(f"({'(?x:' if pattern.flags & re.X else '(?:'}{pattern.pattern}))"
                               for _, pattern in pairs))


_ONE_PATTERN = {first: (_one_pattern(pairs), tuple(tag for tag, _ in pairs)) for first, pairs in _BY_FIRST.items()}


def loader_as_imported() -> bool:
    """Whether the loader still types scalars as `plain_value` does: no resolver or constructor added.

    (PyYAML's ``add_implicit_resolver`` and ``add_constructor`` give a loader class tables of its own.)
    """
    return LOADER.yaml_implicit_resolvers is _RESOLVERS and LOADER.yaml_constructors is _CONSTRUCTORS


def plain_tag(text: str) -> str:
    """The tag YAML 1.1 (PyYAML's resolver) gives an unquoted scalar, as `BaseResolver.resolve` finds it."""
    first = text[0] if text else ""
    found = _ONE_PATTERN.get(first)
    if found is None:
        pairs = _WILDCARD  # most text: no implicit type starts with its first character
    elif found[0] is not None:
        match = found[0].match(text)
        return found[1][match.lastindex - 1] if match and match.lastindex else STR_TAG
    else:
        pairs = _BY_FIRST[first]
    for tag, pattern in pairs:
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
    tag = plain_tag(text)
    if tag == STR_TAG or tag in IMPLICIT_TEXT:
        return text
    if tag not in SCALAR_TAGS:
        raise NotPlainData(tag)
    return _constructed(tag, text)


@lru_cache(maxsize=4096)
def _constructed(tag: str, text: str) -> Any:
    # What `SafeConstructor.construct_object` returns for a scalar node: its tag's constructor
    # called on it (the rest of that method only tracks the nodes of collections). The values
    # are immutable (numbers, dates, true/false, None), so one may stand for every scalar so written.
    try:
        value = _CONSTRUCTORS[tag](_CONSTRUCTOR, yaml.ScalarNode(tag, text))
    except Exception:
        # A scalar YAML cannot type (2024-13-45): the text, as the loader keeps it.
        return text
    return text if kept_as_text(value) else value


_CONSTRUCTOR = yaml.constructor.SafeConstructor()
"""The safe loader's constructors, without a stream to read (`LOADER`'s, while `loader_as_imported`)."""
