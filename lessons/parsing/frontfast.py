"""A fast reader for the front matter that nearly every document is written in.

Composing a YAML node tree (libyaml, then a Python object per event and node) and
walking it was most of the cost of reading front matter, for a few lines of
``key: value``. `read_common_subset` reads the common subset of that YAML itself, in
one pass over the lines, and makes exactly the entries the YAML path of
`frontmatter.load_front_matter` makes: the same values (typed by PyYAML's own resolver
patterns and constructors, `entries.plain_value`), the same text as written, lines and
columns, and no findings (the subset has nothing to warn about).

The subset, line by line:

- blank lines, and comment lines (``#`` after nothing but spaces);
- ``key: value`` at the start of a line, the key a plain word or words of ASCII letters,
  digits, ``_``, ``.`` and ``-`` (starting with a letter or ``_``) that YAML reads as text;
- a value that is one of: nothing (null), or nothing with a list of ``- item`` lines
  after it, all at one indent; a plain scalar on one line (ending at `` #``, no ``: ``
  in it, no indicator to start it); a single-quoted scalar on one line; a double-quoted
  one on one line whose only escapes are ``\\"`` and ``\\\\``; a flow list ``[a, 'b']``
  on one line of such scalars (plain ones without ``,[]{}#:?`` in them);
- and after a value, spaces and a comment.

Anything else returns None and the YAML path reads the whole front matter, so a
declined front matter reads, and fails, exactly as before: a tab, a character YAML
refuses or reads as a line break, a line that continues a value (plain or quoted), block
scalars (``|``, ``>``), anchors, aliases, tags, nested lists and mappings, flow
mappings, a key written twice, a key YAML would type (``on:``, ``2024:``), ``: `` in an
unquoted value, other escapes, a trailing comma in a flow list.

tests/test_frontfast.py compares the two readers on every Markdown file in the
repository, on the generated corpora, on random front matter of the subset and its
neighbours and with hypothesis, and checks that the common cases are read here.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from .entries import STR_TAG, Entry, NotPlainData, loader_as_imported, plain_tag, plain_value

_REFUSED = re.compile("[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")
"""Characters outside the subset: tabs, \\r, controls and what YAML refuses or reads as a
line break (U+0085, U+2028, U+2029), lone surrogates, and the byte-order mark."""
_KEY_LINE = re.compile(r"^([A-Za-z_][\w.-]{0,99}(?: [\w.-]{1,99}){0,9}):(?: +(.*))?\Z", re.ASCII)
_ITEM_LINE = re.compile(r"^( *)- +(.*)\Z")
_QUOTE_OR_ESCAPE = re.compile(r'["\\]')
_SIMPLE_FLOW = re.compile(r"""\[([^\[\]{}#:?'"]*)\]""")
"""A flow list of unquoted items only (each checked after), on one line."""
_FLOW_PLAIN = re.compile(r"""(?:[^ ,\[\]{}#:?'"&*!|>%@`-]|-[^ ,\[\]{}#:?])[^,\[\]{}#:?]*""")
_STARTS = frozenset("-?:,[]{}#&*!|>'\"%@`")
"""Characters that cannot start an unquoted value (``-`` can, before other than a space)."""


class _Decline(Exception):
    """The front matter leaves the subset: the YAML path reads it."""


_SCALAR, _LIST, _OPEN, _OTHER = 0, 1, 2, 3
"""What a key line holds: a scalar, a flow list, or nothing (null, or a block list below); or a line
that is no key line."""
_Line = tuple[int, str, Any, "str | None", "tuple[tuple[Any, str, int], ...]"]
"""A key line read: (what it holds, key, value, text as written, flow list items (value, text, column))."""


_NOT_A_KEY: _Line = (_OTHER, "", None, None, ())


def read_common_subset(text: str, offset: int) -> dict[str, Entry] | None:
    """The entries of front matter in the common subset, or None for the YAML path to read it.

    Args:
        text: the YAML between the ``---`` lines.
        offset: the number of file lines before `text`.
    """
    if (not text.replace("\n", " ").isprintable() and _REFUSED.search(text)) or not loader_as_imported():
        # (Python's printable characters are a part of YAML's: most text needs no closer look.)
        return None
    lines = text.split("\n")
    entries: dict[str, Entry] = {}
    try:
        reads = list(map(_key_line, lines))
        at, count = 0, len(reads)
        while at < count:
            read = reads[at]
            at += 1
            if read is None:
                continue
            holds, key, value, raw, items = read
            if holds == _OTHER or key in entries:
                return None  # a list item or indented line out of place, or YAML's duplicate-key error
            if holds == _SCALAR:
                entries[key] = Entry(key, value, offset + at, 1, raw)
            elif holds == _LIST:
                line = offset + at
                listed = [Entry(key, item_value, line, column, item_raw) for item_value, item_raw, column in items]
                entries[key] = Entry(key, [item.value for item in listed], line, 1, None, listed)
            else:
                entry = Entry(key, None, offset + at, 1, "")
                at = _block_list(entry, lines, at, offset)
                entries[key] = entry
    except (_Decline, NotPlainData):
        return None
    return entries


@lru_cache(maxsize=8192)
def _key_line(line: str) -> _Line | None:
    """A ``key: value`` line read, None for a blank or comment line, `_NOT_A_KEY` for a line starting
    with a space or ``-`` (raises `_Decline` for others).

    Cached: most lines of front matter (``kind: postmortem``) are written alike in many files.
    """
    match = _KEY_LINE.match(line)
    if match is None:
        if not line.strip(" ") or line.lstrip(" ")[0] == "#":
            return None
        if line[0] in " -":
            return _NOT_A_KEY  # a list item, or a line of something nested: see `_block_list`
        raise _Decline
    key, rest = match.group(1, 2)
    if plain_tag(key) != STR_TAG:
        raise _Decline  # `on:`, `null:`: YAML's key-not-string error
    rest = rest.rstrip(" ") if rest else ""
    if not rest or rest[0] == "#":
        return _OPEN, key, None, "", ()
    if rest[0] == "[":
        return _LIST, key, None, None, _flow_list(rest, match.start(2))
    value, raw = _scalar(rest)
    return _SCALAR, key, value, raw, ()


def _scalar(rest: str) -> tuple[object, str]:
    """The value and the text as written of a scalar that is the rest of a line (block context)."""
    first = rest[0]
    if first in _STARTS:
        if first == "'" or first == '"':
            written, end = _quoted(rest, 0)
            _after_value(rest, end)
            return written, written
        if first != "-" or len(rest) == 1 or rest[1] == " ":
            raise _Decline
    cut = rest.find(" #")
    if cut >= 0:
        rest = rest[:cut].rstrip(" ")
    if ": " in rest or rest[-1] == ":":
        raise _Decline  # a mapping in a mapping, or YAML's error saying so
    return plain_value(rest), rest


def _quoted(rest: str, at: int) -> tuple[str, int]:
    """The text of the quoted scalar at `at` of `rest`, and where it ends.

    Raises:
        _Decline: the quote is not closed on this line, or holds an escape not read here.
    """
    quote = rest[at]
    end = rest.find(quote, at + 1)
    if end < 0:
        raise _Decline
    body = rest[at + 1:end]
    if quote == "'" and rest[end + 1:end + 2] != "'":
        return body, end + 1
    if quote == '"' and "\\" not in body:
        return body, end + 1
    return (_single_quoted if quote == "'" else _double_quoted)(rest, at + 1)


def _single_quoted(rest: str, at: int) -> tuple[str, int]:
    """`_quoted` for text with a quote written twice (``'it''s'``), from `at` after the opening quote."""
    parts = []
    while True:
        end = rest.find("'", at)
        if end < 0:
            raise _Decline
        parts.append(rest[at:end])
        if rest[end + 1:end + 2] != "'":
            return "".join(parts), end + 1
        parts.append("'")
        at = end + 2


def _double_quoted(rest: str, at: int) -> tuple[str, int]:
    """`_quoted` for text with escapes, from `at` after the opening quote: only ``\\"`` and ``\\\\`` are read."""
    parts = []
    while True:
        stop = _QUOTE_OR_ESCAPE.search(rest, at)
        if stop is None:
            raise _Decline
        end = stop.start()
        parts.append(rest[at:end])
        if rest[end] == '"':
            return "".join(parts), end + 1
        escaped = rest[end + 1:end + 2]
        if escaped not in ('"', "\\"):
            raise _Decline  # \n, \t, \u00e9 … : YAML reads them; not read here
        parts.append(escaped)
        at = end + 2


def _after_value(rest: str, end: int) -> None:
    """Only spaces and a comment may follow a value on its line."""
    tail = rest[end:]
    if tail and (tail[0] != " " or tail.lstrip(" ")[:1] not in ("", "#")):
        raise _Decline


def _flow_list(rest: str, start: int) -> tuple[tuple[Any, str, int], ...]:
    """The items of ``[a, 'b', "c"]`` starting at `start` of its line: (value, text as written, column)."""
    simple = _SIMPLE_FLOW.match(rest)
    if simple is None:
        return _flow_list_quoted(rest, start)
    _after_value(rest, simple.end())
    body = simple.group(1)
    if not body.strip(" "):
        return ()
    items = []
    column = start + 2  # of the list's first character after `[`
    for part in body.split(","):
        written = part.strip(" ")
        if not written or (written[0] in _STARTS and (written[0] != "-" or len(written) == 1 or written[1] == " ")):
            raise _Decline  # an empty item, a trailing comma or an indicator
        items.append((plain_value(written), written, column + len(part) - len(part.lstrip(" "))))
        column += len(part) + 1
    return tuple(items)


def _flow_list_quoted(rest: str, start: int) -> tuple[tuple[Any, str, int], ...]:
    """`_flow_list` for a list with quoted items, character by character."""
    items: list[tuple[Any, str, int]] = []
    at, end = 1, len(rest)
    while True:
        while at < end and rest[at] == " ":
            at += 1
        if at == end:
            raise _Decline  # the list goes on on the next line
        first = rest[at]
        if first == "]" and not items:
            break
        if first == "'" or first == '"':
            written, after = _quoted(rest, at)
            items.append((written, written, start + at + 1))
            at = after
        else:
            plain = _FLOW_PLAIN.match(rest, at)
            if plain is None:
                raise _Decline
            written = plain.group().rstrip(" ")
            items.append((plain_value(written), written, start + at + 1))
            at = plain.end()
        while at < end and rest[at] == " ":
            at += 1
        if at < end and rest[at] == "]":
            break
        if at == end or rest[at] != ",":
            raise _Decline
        at += 1
        if rest[at:].lstrip(" ")[:1] == "]":
            raise _Decline  # a trailing comma: YAML allows it; not read here
    _after_value(rest, at + 1)
    return tuple(items)


def _block_list(entry: Entry, lines: list[str], at: int, offset: int) -> int:
    """Read the ``- item`` lines after a key without a value into `entry`; the index of the next line.

    With no item lines, the entry stays null (its value written as nothing).
    """
    indent = -1
    while at < len(lines):
        line = lines[at]
        if line and line[0] not in " -#":
            break  # a key line, or a line the main loop declines
        item = _item_line(line)
        if item is None:
            at += 1
            continue
        if item is _NOT_AN_ITEM or (indent >= 0 and item[0] != indent):
            if line[0] == " ":
                raise _Decline  # a nested mapping, a value going on, an item out of line
            break
        indent, value, raw, column = item
        entry.items.append(Entry(entry.key, value, offset + at + 1, column, raw))
        at += 1
    if indent >= 0:
        entry.value, entry.raw = [item.value for item in entry.items], None
    return at


_NOT_AN_ITEM = (-1, None, "", 0)


@lru_cache(maxsize=4096)
def _item_line(line: str) -> tuple[int, Any, str, int] | None:
    """A ``- item`` line read: (indent, value, text as written, column); None for a blank or comment line."""
    stripped = line.lstrip(" ")
    if not stripped or stripped[0] == "#":
        return None
    item = _ITEM_LINE.match(line)
    if item is None:
        return _NOT_AN_ITEM
    rest = item.group(2).rstrip(" ")
    if not rest or rest[0] in "#[":
        raise _Decline  # an empty item, or a list in a list
    value, raw = _scalar(rest)
    return len(item.group(1)), value, raw, item.start(2) + 1
