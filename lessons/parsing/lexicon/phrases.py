"""Words and phrases of a language pack -> regular expressions.

A pack writes words, not regular expressions, so that a translator never has to
escape anything. A phrase may use three signs:

- ``(a|b)`` one of several words or phrases, ``(a|b)?`` an optional one;
- ``*`` standing alone: any one word, or none (``customers * report`` matches
  "customers report" and "customers begin report…");
- ``*`` ending a word: any ending (``fail*``: fail, fails, failing, failure).

Everything else is literal; the space between words matches any run of spaces.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

_TOKEN = re.compile(r"\(|\)\??|\||[^\s()|]+")
_SIGNS = re.compile(r"[()|*]")


class PhraseError(ValueError):
    """A phrase in a language pack that cannot be read (an unclosed bracket, say)."""


def words_pattern(words: Iterable[str]) -> str:
    """One alternation of literal words, as a tree of shared beginnings.

    ``["sep", "sept", "september"]`` gives ``sep(?:t(?:ember)?)?``: a longer word is tried
    before its beginning, as in a longest-first alternation, and a hundred month names cost
    a few steps per position rather than a hundred. Spaces inside a word match any run of
    spaces; nothing else is special.
    """
    tree: dict[str, Any] = {}
    for word in words:
        node = tree
        for unit in re.findall(r"\s+|.", word.strip(), re.DOTALL):
            node = node.setdefault(r"\s+" if unit.isspace() else re.escape(unit), {})
        node[_END] = {}
    return _branches(tree) if tree else "(?!)"  # no words: a pattern that matches nothing


_END = ""


def _branches(node: dict[str, Any]) -> str:
    branches = [unit + _branches(child) for unit, child in node.items() if unit != _END]
    if not branches:
        return ""
    joined = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    # Where a word ends and longer ones go on, the optional group tries the longer first.
    return f"(?:{joined})?" if _END in node else joined


def phrases_pattern(phrases: Iterable[str]) -> str:
    """One alternation of phrases in the pack notation (see the module's docstring).

    Phrases without signs go into one tree of shared beginnings (`words_pattern`), after the
    others: searching a line for any of a hundred words then costs a few steps per position.
    """
    ordered = _longest_first(phrases)
    parts = [phrase_pattern(phrase) for phrase in ordered if _SIGNS.search(phrase)]
    plain = [phrase for phrase in ordered if not _SIGNS.search(phrase)]
    if plain:
        parts.append(words_pattern(plain))
    return "|".join(parts) if parts else "(?!)"


def required_words(phrases: Iterable[str]) -> tuple[str, ...] | None:
    """Words, in lower case, one of which is in every match of `phrases_pattern(phrases)`.

    For each phrase its longest word outside brackets (``fail*`` counts as ``fail``): a
    substring test for these is a cheap necessary condition before the pattern is searched.
    None when a phrase has no such word (``(a|b) *``).
    """
    words: list[str] = []
    for phrase in phrases:
        depth, found = 0, ""
        for token in _TOKEN.findall(phrase):
            if token == "(":
                depth += 1
            elif token in (")", ")?"):
                depth -= 1
            elif depth == 0 and token not in ("|", "*") and len(token.rstrip("*")) > len(found):
                found = token.rstrip("*")
        if not found:
            return None
        words.append(found.lower())
    return tuple(dict.fromkeys(words))


def phrase_pattern(phrase: str) -> str:
    """The regular expression of one phrase (no anchors, no word boundaries around it)."""
    tokens = _TOKEN.findall(phrase)
    if not tokens:
        raise PhraseError(f"empty phrase {phrase!r}")
    items, end = _sequence(tokens, 0, phrase)
    if end != len(tokens):
        raise PhraseError(f"unexpected {tokens[end]!r} in phrase {phrase!r}")
    return _join(items, phrase)


def _longest_first(words: Iterable[str]) -> list[str]:
    unique = dict.fromkeys(word.strip() for word in words if word.strip())
    return sorted(unique, key=len, reverse=True)


def _sequence(tokens: list[str], at: int, phrase: str) -> tuple[list[tuple[str, bool]], int]:
    """Items up to a ``|`` or ``)``: each a pattern and whether it may be left out."""
    items: list[tuple[str, bool]] = []
    while at < len(tokens) and tokens[at] not in ("|", ")", ")?"):
        token = tokens[at]
        if token == "(":
            alternatives: list[str] = []
            while True:
                inner, at = _sequence(tokens, at + 1, phrase)
                alternatives.append(_join(inner, phrase))
                if at >= len(tokens):
                    raise PhraseError(f"'(' is never closed in phrase {phrase!r}")
                if tokens[at] != "|":
                    break
            items.append(("(?:" + "|".join(alternatives) + ")", tokens[at] == ")?"))
        elif token == "*":
            items.append((r"\w+", True))
        elif token.endswith("*"):
            items.append((re.escape(token[:-1]) + r"\w*", False))
        else:
            items.append((re.escape(token), False))
        at += 1
    return items, at


def _join(items: list[tuple[str, bool]], phrase: str) -> str:
    """Items joined by spaces, where an optional item takes its space with it."""
    if not items or all(optional for _, optional in items):
        raise PhraseError(f"phrase {phrase!r} (or a part in brackets) has no word that must be there")
    out = ""
    after_word = False  # whether a word has been written that the next one must be spaced from
    for pattern, optional in items:
        if optional and after_word:
            out += rf"(?:\s+{pattern})?"
        elif optional:
            out += rf"(?:{pattern}\s+)?"
        else:
            out += (r"\s+" if after_word else "") + pattern
            after_word = True
    return out
