"""Every regex in the package stays linear on hostile input.

A backtracking regex with two quantifiers that can take the same run of characters
(``\\s*:?\\s*``, ``<!--.*?-->`` from every ``<!--``) is quadratic or worse on text made to
almost match it: 120 KB of ``<!--`` made ``lessons check`` take 40 s. The regexes are
collected from the modules' globals (``tests/regex_inputs.py``), so a new one is covered
without being listed. Each is probed at 2 KB on its hostile inputs; the two slowest are run
at 100 KB under a bound that only a quadratic blow-up breaks (a linear regex takes
milliseconds). Times are this process's CPU seconds, so a busy machine does not trip them.
``benchmarks/bench_regex.py`` times the same inputs at 100 KB and 1 MB.
"""

from __future__ import annotations

import re
import time

import pytest

from regex_inputs import input_named, package_patterns, slowest

PATTERNS = package_patterns()
SIZE = 100_000
BOUND_SECONDS = 2.0


@pytest.mark.parametrize("name", sorted(PATTERNS))
def test_a_regex_is_linear_on_its_worst_inputs(name: str) -> None:
    pattern = PATTERNS[name]
    for label in slowest(pattern, probe=2_000, keep=2):
        text = input_named(pattern, label, SIZE)
        started = time.process_time()
        pattern.search(text)
        took = time.process_time() - started
        assert took < BOUND_SECONDS, f"{name}.search() took {took:.1f} s on {label} ({len(text):,} characters)"


def test_the_regexes_of_every_layer_are_collected() -> None:
    modules = {name.split(".lexicon()")[0].rsplit(".", 1)[0] for name in PATTERNS}
    assert {"lessons.checks.rules", "lessons.parsing.fields", "lessons.parsing.dates", "lessons.parsing.timeline",
            "lessons.parsing.outline", "lessons.parsing.actions", "lessons.parsing.readers.timeline",
            "lessons.parsing.readers.narrative", "lessons.parsing.readers.stated", "lessons.store.tokenize",
            "lessons.query.snippets", "lessons.mkdocs.markup"} <= modules
    # The language packs' patterns are compiled when the lexicon is first read, and held in its data.
    assert {"lessons.parsing.lexicon.lexicon().zones.sentence", "lessons.parsing.lexicon.lexicon().moments.negated",
            "lessons.parsing.lexicon.lexicon().actions.lead_in"} <= set(PATTERNS)
    assert all(isinstance(pattern, re.Pattern) for pattern in PATTERNS.values())


@pytest.mark.parametrize(("quadratic", "killer"), [
    # The shapes of regexes this package had, and the input that made each one slow.
    (re.compile(r"<!--.*?-->", re.DOTALL), "<!--"),
    (re.compile(r"<[^>]*[\s/\"'](on[a-z]+)\s*=", re.IGNORECASE), "<"),
    (re.compile(r"href\s*=\s*[\"']?\s*javascript:", re.IGNORECASE), "href"),
    (re.compile(r"\bowner\s*[:=]\s*(?P<owner>[^,;\n]+?)(?=\s*(?:[,;\n]|$))"), "owner"),
])
def test_the_hostile_inputs_find_a_quadratic_regex(quadratic: re.Pattern[str], killer: str) -> None:
    worst = slowest(quadratic, probe=2_000, keep=1)[0]
    assert killer in worst
    text = input_named(quadratic, worst, 8_000)
    started = time.process_time()
    quadratic.search(text)
    assert time.process_time() - started > 0.005  # a linear search of 8 KB takes well under a millisecond
