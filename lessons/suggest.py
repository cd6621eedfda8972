"""'Did you mean …?' for ids, keys and choices."""

from __future__ import annotations

from collections.abc import Iterable


def closest(word: str, choices: Iterable[str], *, cutoff: float = 70.0) -> str | None:
    """The choice most like `word`, or None when nothing is close enough."""
    from rapidfuzz import fuzz, process, utils

    options = list(choices)
    if not word or not options:
        return None
    found = process.extractOne(
        word, options, scorer=fuzz.WRatio, processor=utils.default_process, score_cutoff=cutoff
    )
    return found[0] if found else None
