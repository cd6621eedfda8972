"""Hostile inputs for every regular expression the package compiles.

Shared by ``tests/test_regex_cost.py`` (a generous bound per regex) and
``benchmarks/bench_regex.py`` (a table of timings). A regex is found by walking the
globals of every module of ``lessons`` for compiled patterns, so a new one is covered
without being listed anywhere.

A backtracking regex is slow on text that almost matches it, over and over: a prefix of
what it wants followed by a long run of a character it keeps trying (``<!--`` repeated,
``<div>`` and then many ``< ``, ``href=`` and 100 KB of spaces, ``owner: a``, spaces and a
character that ends the hope of a match). The inputs are built from
the pattern itself (its literal fragments, and the prefixes of a string that walks it)
and from a few shapes that hurt regexes of this kind in general.
"""

from __future__ import annotations

import dataclasses
import importlib
import pkgutil
import re
import time
from collections.abc import Iterator
from typing import Any

try:  # Python 3.11+
    import re._parser as sre_parse  # type: ignore[import-not-found]
    from re._constants import (  # type: ignore[import-not-found]
        ANY, ASSERT, ASSERT_NOT, AT, BRANCH, CATEGORY, CATEGORY_DIGIT, CATEGORY_NOT_DIGIT,
        CATEGORY_NOT_SPACE, CATEGORY_NOT_WORD, CATEGORY_SPACE, CATEGORY_WORD, GROUPREF_EXISTS, IN,
        LITERAL, MAX_REPEAT, MIN_REPEAT, NEGATE, NOT_LITERAL, RANGE, SUBPATTERN,
    )
except ImportError:  # Python 3.10
    import sre_parse  # type: ignore[no-redef]
    from sre_constants import (  # type: ignore[no-redef]
        ANY, ASSERT, ASSERT_NOT, AT, BRANCH, CATEGORY, CATEGORY_DIGIT, CATEGORY_NOT_DIGIT,
        CATEGORY_NOT_SPACE, CATEGORY_NOT_WORD, CATEGORY_SPACE, CATEGORY_WORD, GROUPREF_EXISTS, IN,
        LITERAL, MAX_REPEAT, MIN_REPEAT, NEGATE, NOT_LITERAL, RANGE, SUBPATTERN,
    )

GENERIC = ("<!--", "< ", "<a ", " ", "\t", "\n", "1", "a", "T+", "T+1", "-", "*", "_", "**", "`", "[", "](",
           "1 ", "a ", ":0", "0:", ".1", "1.", "&#", "\\", "'", '"', "=", "/", "#", ", ", " ,")
"""Units repeated into long runs, whatever the regex."""
PREFIXED = ("<div>", "<!-- ", "<a href=", "- ", "| ", "**Date:**", "T+1", "2024-03-16 ")
"""Openings followed by a long run of one character."""
_POOL = "a1Z<>-:.,;T+/\"'=_*[](){}#!&|`~\\@%^?$ \t\n"
"""Characters tried against each character class of a pattern, in order of preference: a walk
through a class that takes almost anything (``[^,;]``) steps on a letter, not on a space, so
that ``owner: a`` is followed by the run of spaces, not swallowed by it."""
_REPEAT_CAP = 6


def package_patterns() -> dict[str, re.Pattern[str]]:
    """Every compiled text pattern in the globals of the package's modules, by ``module.NAME``.

    Patterns held in data (the language packs' `Lexicon`, compiled on first use) are found
    by walking the fields of dataclass instances; the lexicon is loaded first, so its
    patterns are there whichever module asked for it.
    """
    import lessons
    from lessons.parsing.lexicon import lexicon

    found: dict[str, re.Pattern[str]] = {}
    seen: set[int] = set()
    for name, pattern in _patterns_in(lexicon(), 0):
        if id(pattern) not in seen:
            seen.add(id(pattern))
            found[f"lessons.parsing.lexicon.lexicon(){name}"] = pattern
    for info in sorted(pkgutil.walk_packages(lessons.__path__, "lessons."), key=lambda i: i.name):
        if info.name.endswith("__main__"):
            continue  # running it is the command line
        module = importlib.import_module(info.name)
        for name, value in sorted(vars(module).items()):
            for label, pattern in _patterns_in(value, 0):
                if id(pattern) not in seen:
                    seen.add(id(pattern))
                    found[f"{info.name}.{name}{label}"] = pattern
    return found


def _patterns_in(value: Any, depth: int) -> Iterator[tuple[str, re.Pattern[str]]]:
    """``(label, pattern)`` for a pattern, or the patterns in a dict, list, tuple or dataclass."""
    if isinstance(value, re.Pattern):
        if isinstance(value.pattern, str):
            yield "", value
        return
    if depth > 3 or isinstance(value, type):
        return
    if isinstance(value, dict):
        items: Iterator[tuple[str, Any]] = ((f"[{index}]", item) for index, item in enumerate(value.values()))
    elif isinstance(value, (list, tuple)):
        items = ((f"[{index}]", item) for index, item in enumerate(value))
    elif dataclasses.is_dataclass(value):
        items = ((f".{field.name}", getattr(value, field.name)) for field in dataclasses.fields(value))
    else:
        return
    for label, item in items:
        yield from ((label + inner, pattern) for inner, pattern in _patterns_in(item, depth + 1))


def worst_inputs(pattern: re.Pattern[str], size: int) -> Iterator[tuple[str, str]]:
    """``(label, text)`` pairs of about `size` characters that a backtracking regex may choke on."""
    parsed = sre_parse.parse(pattern.pattern, pattern.flags)
    liked = _liked_chars(parsed)[:8] or ["a"]
    fillers = list(dict.fromkeys([" ", *liked]))
    units = list(dict.fromkeys([*GENERIC, *_literal_runs(parsed)]))
    prefixes = list(dict.fromkeys([*PREFIXED, *_skeleton_prefixes(parsed)]))
    seen: set[str] = set()

    def emit(label: str, head: str, unit: str) -> Iterator[tuple[str, str]]:
        key = f"{head}\x00{unit}"
        if unit and key not in seen:
            seen.add(key)
            yield label, head + unit * max(1, (size - len(head)) // len(unit))

    for unit in units:
        yield from emit(f"{unit!r} repeated", "", unit)
        for filler in fillers[:3]:
            yield from emit(f"({unit + filler!r}) repeated", "", unit + filler)
    for prefix in prefixes:
        yield from emit(f"{prefix!r} repeated", "", prefix)
        for filler in fillers:
            for label, text in emit(f"{prefix!r} + {filler!r}…", prefix, filler):
                yield label, text
                # Ending in a character nothing asks for: a match that would succeed at the end
                # of the text must now fail, after trying every way to split the run.
                yield f"{label} + '\\x01'", text[:-1] + "\x01"


def slowest(pattern: re.Pattern[str], *, probe: int = 4_000, keep: int = 3) -> list[str]:
    """The labels of the inputs on which `pattern` is slowest at `probe` characters.

    A quadratic regex takes thousands of times longer than a linear one on a few
    kilobytes already, so the slowest at this size are the ones worth timing large.
    """
    times = []
    for label, text in worst_inputs(pattern, probe):
        started = time.process_time()
        pattern.search(text)
        times.append((time.process_time() - started, label))
    return [label for _, label in sorted(times, reverse=True)[:keep]]


def input_named(pattern: re.Pattern[str], label: str, size: int) -> str:
    """The input `label` of `worst_inputs`, made `size` characters long."""
    return next(text for name, text in worst_inputs(pattern, size) if name == label)


def _literal_runs(parsed: Any) -> list[str]:
    """The pattern's literal fragments (``<!--``, ``href``, ``javascript``), longest runs first."""
    runs: list[str] = []

    def walk(items: Any) -> None:
        current = ""
        for op, av in items:
            if op is LITERAL:
                current += chr(av)
                continue
            if current:
                runs.append(current)
            current = ""
            for sub in _children(op, av):
                walk(sub)
        if current:
            runs.append(current)

    walk(parsed)
    return sorted(dict.fromkeys(runs), key=len, reverse=True)[:12]


def _skeleton_prefixes(parsed: Any) -> list[str]:
    """Every prefix of a text that walks the pattern (each alternative of a top-level ``|``)."""
    skeletons = []
    top = list(parsed)
    if len(top) == 1 and top[0][0] is BRANCH:
        skeletons = [_skeleton(branch) for branch in top[0][1][1]]
    else:
        skeletons = [_skeleton(parsed)]
    prefixes: list[str] = []
    for skeleton in skeletons:
        prefixes.extend(skeleton[:cut] for cut in range(1, len(skeleton) + 1))
    return [p for p in dict.fromkeys(prefixes) if p.strip()][:60]


def _skeleton(items: Any) -> str:
    out = []
    for op, av in items:
        if op is LITERAL:
            out.append(chr(av))
        elif op in (IN, ANY, NOT_LITERAL, CATEGORY):
            out.append(next((c for c in _POOL if _accepts(op, av, c)), ""))
        elif op in (MAX_REPEAT, MIN_REPEAT) or str(op) == "POSSESSIVE_REPEAT":
            low, _, sub = av
            out.append(_skeleton(sub) * min(max(low, 1), _REPEAT_CAP))
        elif op is BRANCH:
            out.append(_skeleton(av[1][0]))
        elif op is SUBPATTERN:
            out.append(_skeleton(av[-1]))
        elif op is GROUPREF_EXISTS:
            out.append(_skeleton(av[1]))
        elif str(op) == "ATOMIC_GROUP":
            out.append(_skeleton(av))
    return "".join(out)


def _liked_chars(parsed: Any) -> list[str]:
    """Pool characters that some literal or class of the pattern accepts."""
    liked: dict[str, None] = {}

    def walk(items: Any) -> None:
        for op, av in items:
            if op in (LITERAL, IN, ANY, NOT_LITERAL, CATEGORY):
                liked.update((c, None) for c in _POOL if _accepts(op, av, c))
            for sub in _children(op, av):
                walk(sub)

    walk(parsed)
    return list(liked)


def _children(op: Any, av: Any) -> list[Any]:
    if op in (MAX_REPEAT, MIN_REPEAT) or str(op) == "POSSESSIVE_REPEAT":
        return [av[2]]
    if op is BRANCH:
        return list(av[1])
    if op is SUBPATTERN:
        return [av[-1]]
    if op in (ASSERT, ASSERT_NOT):
        return [av[1]]
    if op is GROUPREF_EXISTS:
        return [branch for branch in av[1:] if branch is not None]
    if str(op) == "ATOMIC_GROUP":
        return [av]
    return []


def _accepts(op: Any, av: Any, char: str) -> bool:
    """Whether one element of a parsed pattern (a literal, a class, ``.``) accepts `char`."""
    if op is AT:
        return False
    if op is LITERAL:
        return char == chr(av)
    if op is NOT_LITERAL:
        return char != chr(av)
    if op is ANY:
        return char != "\n"
    if op is CATEGORY:
        return _in_category(av, char)
    if op is IN:
        negated = bool(av) and av[0][0] is NEGATE
        items = av[1:] if negated else av
        hit = any(_in_item(item_op, item_av, char) for item_op, item_av in items)
        return hit != negated
    return False


def _in_item(op: Any, av: Any, char: str) -> bool:
    if op is LITERAL:
        return char == chr(av)
    if op is RANGE:
        return av[0] <= ord(char) <= av[1]
    if op is CATEGORY:
        return _in_category(av, char)
    return False


def _in_category(category: Any, char: str) -> bool:
    tests = {
        CATEGORY_DIGIT: char.isdigit(), CATEGORY_NOT_DIGIT: not char.isdigit(),
        CATEGORY_SPACE: char.isspace(), CATEGORY_NOT_SPACE: not char.isspace(),
        CATEGORY_WORD: char.isalnum() or char == "_", CATEGORY_NOT_WORD: not (char.isalnum() or char == "_"),
    }
    return tests.get(category, False)
