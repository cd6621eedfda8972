"""Links between imported files, pointed at the files the import writes.

A team's export links its pages to each other by their old names (``Database
failover.html``, ``../2021/PM-12.docx``, ``notes.md#timeline``). Each page becomes a new
file with a new name, so those links would break; `retarget` points each one that
names another source of the same import at that source's new file, fragment kept.
Links to anything else (web addresses, images, pages not imported) stay as written.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

_INLINE = re.compile(r"(\]\(\s*)(<[^<>\n]*>|[^\s()<>]+)")
"""An inline link's target: ``[text](target`` or ``[text](<target with spaces>``."""
_REFERENCE = re.compile(r"^( {0,3}\[[^\]\n]+\]:[ \t]*)(<[^<>\n]*>|\S+)", re.MULTILINE)
"""A reference definition's target: ``[label]: target``."""


def retarget(text: str, source: Path, moved: Mapping[Path, Path], into: Path) -> str:
    """`text` (the Markdown of `source`) with links to other sources pointed at their new files.

    Args:
        text: The page's Markdown.
        source: The file it came from; relative links are read from its folder.
        moved: Each source (resolved) -> the file the import writes (or wrote) for it.
        into: The folder the page itself is written to; new links are relative to it.
    """
    if not moved or "](" not in text and "]:" not in text:
        return text

    def swap(match: re.Match[str]) -> str:
        written = match.group(2)
        bracketed = written.startswith("<")
        new = _new_target(written[1:-1] if bracketed else written, source, moved, into)
        if new is None:
            return match.group(0)
        return match.group(1) + (f"<{new}>" if bracketed else new)

    return _REFERENCE.sub(swap, _INLINE.sub(swap, text))


def _new_target(target: str, source: Path, moved: Mapping[Path, Path], into: Path) -> str | None:
    """The link to the new file for `target`, or None when it names no imported source."""
    try:
        parts = urlsplit(target)
    except ValueError:
        return None
    if parts.scheme or parts.netloc or not parts.path:
        return None
    named = (source.parent / unquote(parts.path)).resolve()
    new = moved.get(named)
    if new is None:
        return None
    relative = Path(os.path.relpath(new.resolve(), into.resolve())).as_posix()
    return quote(relative) + (f"#{parts.fragment}" if parts.fragment else "")
