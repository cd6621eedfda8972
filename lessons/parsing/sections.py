"""Recognising section headings the way post-mortem templates really write them."""

from __future__ import annotations

import re
from functools import lru_cache

from .lexicon import alias_form, lexicon

SECTION_ALIASES: dict[str, tuple[str, ...]] = lexicon().sections.aliases
"""Canonical section -> the headings that name it, in every language pack (``lexicon/*.toml``)."""
_ALIAS_TO_NAME = {alias: name for name, aliases in SECTION_ALIASES.items() for alias in aliases}
_ALIASES = list(_ALIAS_TO_NAME)
_NOT_SECTIONS = lexicon().sections.wrappers
"""Headings that wrap a whole document or hold extras: close in spelling to a section
("incident review" / "incident overview"), but never one."""
_NUMBERING = re.compile(r"^\s*(?:(?:\d+|[ivxlc]+|[a-z])[.)]|\d+(?:\.\d+)*)\s+", re.IGNORECASE)


def normalise_heading(heading: str) -> str:
    """Lower case, without numbering, punctuation, emoji or extra space."""
    return alias_form(_NUMBERING.sub("", heading.strip()))


@lru_cache(maxsize=4096)
def canonical_section(heading: str) -> str | None:
    """The canonical section a heading stands for, or None for a heading of its own.

    Exact aliases first; then a heading that starts with an alias ("Root cause
    and trigger (technical)"); then a close spelling ("Root casue", "Timline").
    """
    text = normalise_heading(heading)
    if not text:
        return None
    if text in _ALIAS_TO_NAME:
        return _ALIAS_TO_NAME[text]
    if text in _NOT_SECTIONS:
        return None
    for alias, name in _ALIAS_TO_NAME.items():
        # "Root cause and trigger (technical)" starts with a section's name; a heading that
        # only ends with one ("Cost analysis") is about something else, unless the name is
        # a phrase ("Customer-facing root cause").
        if len(alias) >= 5 and (text.startswith(alias + " ") or (" " in alias and text.endswith(" " + alias))):
            return name
    if len(text) >= 5:
        from rapidfuzz import fuzz, process
        from rapidfuzz.distance import OSA

        found = process.extractOne(text, _ALIASES, scorer=fuzz.ratio, score_cutoff=86)
        if found:
            return _ALIAS_TO_NAME[found[0]]
        # Two letters swapped ("Impcat") is one slip of the fingers, as in search.
        close = process.extractOne(text, _ALIASES, scorer=OSA.distance,
                                   score_cutoff=2 if len(text) >= 9 else 1)
        if close:
            return _ALIAS_TO_NAME[close[0]]
    return None


def slugify_heading(heading: str) -> str:
    """A stable name for a heading that is not one of the canonical sections."""
    return normalise_heading(heading).replace(" ", "-") or "section"
