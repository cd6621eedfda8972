"""A hostile knowledge base: random front matter of every YAML type and random timelines.

Each example writes a few hostile post-mortems next to three good ones and runs what a
user runs: `lessons.load`, `kb.search`, `kb.similar`, `kb.get`, the `check` rules and the
commands ``check``, ``search`` and ``show``. It asserts that

- no exception but a `LessonsError` escapes any of them;
- every hostile file either loads or is named in the problems, and a problem about a
  front-matter key points at the line where that key is written;
- every good file is still found by its own unique word.

The values come from the classes an adversarial sweep found (tags, numbers beyond range,
dates and offsets at the edges of the calendar, odd line breaks, addresses `urlsplit`
refuses), written as YAML text so that tags and odd spellings reach the parser.

CI replays the same examples (the ``ci`` profile in conftest.py); locally each run draws
new ones. ``LESSONS_HYPOTHESIS_EXAMPLES=500`` multiplies the examples per test for a longer
hunt (the default keeps the file near half a minute on two cores).
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import lessons
from lessons.checks.rules import CheckOptions, check
from lessons.errors import LessonsError, Problem

EXAMPLES = int(os.environ.get("LESSONS_HYPOTHESIS_EXAMPLES", "0")) or None
SETTINGS = settings(max_examples=EXAMPLES or 40, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

GOOD = {
    "2024-01-10-quokkafeed-outage": "quokkafeed",
    "2024-02-11-zimbrelay-timeouts": "zimbrelay",
    "2024-03-12-plonkstore-corruption": "plonkstore",
}
"""Good post-mortems and a word only each of them has."""

# --- values, as YAML text ----------------------------------------------------------------

HUGE_DIGITS = st.integers(min_value=4_200, max_value=6_000).map(lambda n: "9" * n)
TAGGED = st.sampled_from([
    "!!binary aGVsbG8=", "!!set {a, b}", "!!omap [{a: 1}]", "!!pairs [[a, 1]]", "!!python/name:os.system",
    "!!python/object/apply:os.system [echo hi]", "!foo bar", "!foo {a: 1}", "!<tag:example.com,2024:x> y",
    "!!timestamp nope", "!!int abc", "!!float x", "!!bool maybe", "!!null x", "!!str 12", "!!int {a: 1}",
    "!!seq a", "!!map [1]", "! plain", "!!value =", "!!merge x",
])
NUMBERS = st.one_of(
    HUGE_DIGITS, HUGE_DIGITS.map(lambda d: f"0x{d}"), HUGE_DIGITS.map(lambda d: f"SEV-{d}"),
    st.sampled_from(["1e999", "1.0e+999", "-1.0e+999", ".nan", ".inf", "-.inf", "0x1F", "0o777", "0b101",
                     "1_000", "-0", "+5", "2.5", "1e3", "99999999999999999999999", "0x" + "f" * 40]),
    st.integers().map(str), st.floats().map(repr),
)
EDGE_DATES = st.sampled_from([
    "0000-01-01", "0001-01-01", "9999-12-31", "10000-01-01", "2024-02-30", "2024-13-45",
    "0001-01-01T00:00+05:00", "9999-12-31T23:00-05:00", "9999-12-31T23:59:59Z", "2024-01-01T00:00+99:99",
    "2024-01-01T25:61Z", "2024-01-01 07:00 UTC+1000", "03/04/2024", "31.12.9999",
])
ODD_CHARS = "\u2028\u2029\x85\x0b\x0c\u200b\ufeff\u00a0\r\t\x1c\x1d\x1e\U0001f525é"
ODD_TEXT = st.text(alphabet=st.sampled_from(list(ODD_CHARS) + list("ab :-#[]{}'\"")), max_size=12)
ODD_STRINGS = st.one_of(
    ODD_TEXT.map(lambda text: json.dumps(text, ensure_ascii=False)),  # a double-quoted YAML string
    ODD_TEXT.map(lambda text: f"'{text}'"),
    st.tuples(st.sampled_from(list(ODD_CHARS)), st.sampled_from(["a", "on", "2024"])).map(
        lambda t: f"x{t[0]}{t[1]}"),
)
URLS = st.sampled_from([
    "http://[::1", "https://[fe80::1%25eth0]/", "http://[", "https://exa\uff0fmple.com/", "http://ex ample.com",
    "javascript:alert(1)", "//[::1", "http://a:b@[::1]:99999/", "https://example.com/" + "a" * 300, "",
    "https://example.com/report",
])
NESTED_DEPTH = st.integers(min_value=1, max_value=60).map(lambda n: "[" * n + "x" + "]" * n)
SCALARS = st.one_of(TAGGED, NUMBERS, EDGE_DATES, ODD_STRINGS, URLS.map(json.dumps),
                    st.sampled_from(["~", "null", "", "yes", "on", "maybe", "[]", "{}", "=", "<<"]))
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3).map(lambda items: "[" + ", ".join(items) + "]"),
        st.dictionaries(st.sampled_from(["a", "name", "2024-01-01", "1"]), inner, max_size=2).map(
            lambda d: "{" + ", ".join(f"{k}: {v}" for k, v in d.items()) + "}"),
    ),
    max_leaves=6,
) | NESTED_DEPTH
KEYS = st.sampled_from(["severity", "kind", "status", "date", "started", "detected", "resolved", "title",
                        "summary", "organization", "services", "tags", "causes", "sources", "related",
                        "id", "draft", "ticket", "weight", "incident_id"])

# --- timelines ------------------------------------------------------------------------------

OFFSETS = st.one_of(
    st.tuples(st.sampled_from(["T+", "T-", "T + ", "**T+"]), st.one_of(HUGE_DIGITS, st.integers(0, 10**12).map(str)),
              st.sampled_from(["d", "h", "m", "min", "d 5h"])).map("".join),
    st.sampled_from(["T+0", "T+0 = 10:00 UTC", "T+0 = 9999-12-31 23:59 UTC", "T+0 = 0001-01-01 00:00 +05:00"]),
)
STAMPS = st.tuples(
    st.sampled_from(["", "0001-01-01 ", "9999-12-31 ", "0000-01-01 ", "10000-01-01 ", "Dec 31, 9999 ", "1 Jan 0001 "]),
    st.sampled_from(["00:00", "23:59", "25:61", "12:00 am", "noon", "midnight", "07:00–07:30"]),
    st.sampled_from(["", " UTC", " +14:00", " -23:59", " +99:99", " UTC+1000", " UTC-99", " PT", " Z", " (CEST)"]),
).map("".join)
ENTRIES = st.lists(st.tuples(st.one_of(OFFSETS, STAMPS), st.sampled_from(
    [" — alert fires", " — resolved", " - outage begins", ": recovered", " | customers report errors"])).map(
    "".join), min_size=1, max_size=6)
TIMELINE = st.tuples(st.sampled_from(["Timeline", "Timeline (all times PDT)", "Timeline (UTC+99:00)",
                                      "Timeline (UTC-12)"]), ENTRIES).map(
    lambda t: f"## {t[0]}\n\n" + "\n".join(f"- {entry}" for entry in t[1]))
LINKS = URLS.map(lambda url: f"See [the report]({url}) and <{url}>.")

# --- numbers and times told in the prose: stated durations, delays, spans, status updates --------

AMOUNTS = st.one_of(HUGE_DIGITS, st.integers(0, 10**20).map(str), st.sampled_from(["1e999", "0,5", "9" * 400]))
STATED = st.tuples(st.sampled_from(["Time to detection", "TTR", "Duration", "Minutes downtime", "Dauer"]),
                   AMOUNTS, st.sampled_from([" minutes", " hours", " days", " Std.", "", " min 5 h"])).map(
    lambda t: f"- {t[0]}: {t[1]}{t[2]}")
CLOCKS = st.sampled_from(["00:00", "23:59", "99:99", "12:00 pm", "9999-12-31 23:59", "0001-01-01 00:00"])
NARRATIVE = st.one_of(
    st.tuples(AMOUNTS, st.sampled_from(["minutes", "days", "Stunden"])).map(
        lambda t: f"The alert fired and was detected {t[0]} {t[1]} after the deploy."),
    st.tuples(CLOCKS, CLOCKS, st.sampled_from(["UTC", "PT", "+99:99"])).map(
        lambda t: f"Customers were affected between {t[0]} {t[2]} and {t[1]} {t[2]}; paged at {t[1]}."),
)
UPDATES = st.lists(st.tuples(st.sampled_from(["Resolved", "Monitoring", "Investigating"]), st.sampled_from(
    ["Dec 31, 9999 - 23:59 UTC", "Jan 1, 0001 - 00:00 PST", "Feb 30, 2024 - 25:61 UTC", "Dec 31 - 23:59 +14:00"])),
    min_size=1, max_size=3).map(
    lambda updates: "## Updates\n\n" + "\n\n".join(f"**{state}** - We are on it.\n{when}" for state, when in updates))
PROSE = st.one_of(STATED, NARRATIVE, UPDATES)


def hostile_file(pairs: list[tuple[str, str]], body: list[str]) -> str:
    """A post-mortem with these front-matter pairs (after a title and a date, unless they are among
    them) and these body blocks after its summary."""
    written = {key for key, _ in pairs}
    defaults = [(key, value) for key, value in (("title", "Hostile"), ("date", "2024-04-01")) if key not in written]
    front = "".join(f"{key}: {value}\n" for key, value in defaults + pairs)
    return f"---\n{front}---\n\n## Summary\n\nA hostile file.\n\n" + "\n\n".join(body)


# --- the run and what must hold --------------------------------------------------------------

def good_file(doc_id: str, word: str) -> str:
    return (f"---\ntitle: The {word} service fails\ndate: {doc_id[:10]}\nstatus: published\nseverity: 2\n"
            f"services: [{word}]\n---\n\n## Summary\n\nThe {word} service failed after a deploy.\n\n"
            f"## Timeline\n\n- {doc_id[:10]} 10:00 — errors begin\n- 10:20 — alert fires\n- 11:00 — resolved\n")


def run(hostile: list[str], query: str) -> list[str]:
    """Everything that went wrong with one hostile knowledge base (empty when all holds)."""
    with tempfile.TemporaryDirectory(prefix="lessons-fuzz-") as tmp:
        root = Path(tmp) / "kb"
        (root / "postmortems").mkdir(parents=True)
        for doc_id, word in GOOD.items():
            (root / "postmortems" / f"{doc_id}.md").write_text(good_file(doc_id, word), encoding="utf-8")
        paths = [root / "postmortems" / f"2024-04-{number:02d}-hostile.md" for number in range(1, len(hostile) + 1)]
        for path, text in zip(paths, hostile, strict=True):
            path.write_text(text, encoding="utf-8", newline="")
        failures: list[str] = []
        kb = _call(failures, "lessons.load", lambda: lessons.load(root))
        if kb is None:
            return failures
        problems = _call(failures, "check", lambda: check(kb, CheckOptions(duplicate_threshold=0.8))) or []
        loaded = {doc.path.resolve() for doc in kb}
        for path, text in zip(paths, hostile, strict=True):
            named = [p for p in problems if p.path.resolve() == path.resolve()]
            if path.resolve() not in loaded and not named:
                failures.append(f"{path.name} neither loads nor is named in the problems")
            failures += _misplaced(named, text)
        for doc in kb:
            _call(failures, f"kb.get/similar({doc.id})", lambda doc=doc: (kb.get(doc.id).to_dict(),
                                                                         kb.similar(doc.id, limit=3)))
        for doc_id, word in GOOD.items():
            hits = _call(failures, f"kb.search({word!r})", lambda word=word: kb.search(word, limit=1)) or []
            if [hit.document.id for hit in hits] != [doc_id]:
                failures.append(f"good file {doc_id} is not found by its word {word!r}")
        _call(failures, f"kb.search({query!r})", lambda: kb.search(query, limit=5))
        for doc_id in [doc.id for doc in kb if doc.id not in GOOD][:1] + [query]:
            failures += _command(["show", doc_id, "--content", str(root)])
        failures += _command(["check", "--content", str(root)])
        failures += _command(["search", query or "x", "--content", str(root)])
        return failures


def _call(failures: list[str], what: str, call: Callable[[], object]) -> object:
    try:
        return call()
    except LessonsError:
        return None
    except Exception as exc:  # the property under test: nothing else may escape
        failures.append(f"{what} raised {type(exc).__name__}: {str(exc)[:200]}")
        return None


def _misplaced(problems: list[Problem], text: str) -> list[str]:
    """Problems about a front-matter key must point at the line where that key is written."""
    lines = re.split(r"\r\n?|\n", text)  # Markdown ends a line at a lone \r too, and so do our line numbers
    wrong = []
    for problem in problems:
        key = re.match(r"(\w+): ", problem.message)
        if problem.code in ("invalid-field", "invalid-date") and key and key.group(1) in KEYS_WRITTEN:
            written = lines[problem.line - 1] if 0 < problem.line <= len(lines) else ""
            if not written.startswith(f"{key.group(1)}:"):
                wrong.append(f"{problem} points at line {problem.line}: {written[:60]!r}")
    return wrong


KEYS_WRITTEN = frozenset({"severity", "kind", "status", "date", "started", "detected", "resolved", "title",
                          "summary", "organization", "services", "tags", "causes", "sources", "related", "id"})


def _command(args: list[str]) -> list[str]:
    from lessons.cli.main import main

    result = CliRunner().invoke(main, args, catch_exceptions=True)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        return [f"`lessons {args[0]}` raised {type(result.exception).__name__}: {str(result.exception)[:200]}"]
    return []


QUERIES = st.one_of(st.sampled_from(["quokkafeed", "", "T+1000000000d", "9" * 5000, "\u2028", "[::1"]),
                    st.text(max_size=20))


NO_BODY: st.SearchStrategy[list[str]] = st.just([])


def files(pairs: st.SearchStrategy[list[tuple[str, str]]], body: st.SearchStrategy[list[str]] = NO_BODY
          ) -> st.SearchStrategy[list[str]]:
    """One to three hostile files, each with front-matter pairs and body blocks drawn from these."""
    return st.lists(st.tuples(pairs, body).map(lambda t: hostile_file(*t)), min_size=1, max_size=3)


def pairs_of(keys: st.SearchStrategy[str], values: st.SearchStrategy[str], *, min_size: int = 1
             ) -> st.SearchStrategy[list[tuple[str, str]]]:
    return st.lists(st.tuples(keys, values), min_size=min_size, max_size=4, unique_by=lambda pair: pair[0])


CLASSES: dict[str, st.SearchStrategy[list[str]]] = {
    "YAML tags and nesting": files(pairs_of(KEYS, TAGGED | VALUES)),
    "numbers beyond range": files(pairs_of(KEYS, NUMBERS)),
    "dates and timelines at the edges": files(
        pairs_of(st.sampled_from(["started", "detected", "resolved", "date"]), EDGE_DATES, min_size=0),
        st.lists(TIMELINE, min_size=1, max_size=2)),
    # A severity out of range after the odd values: its finding must name its own line.
    "odd line breaks": files(pairs_of(KEYS.filter(lambda key: key != "severity"), ODD_STRINGS).map(
        lambda pairs: [*pairs, ("severity", "9")])),
    "addresses urlsplit refuses": files(
        st.lists(URLS.map(json.dumps), max_size=3).map(lambda urls: [("sources", f"[{', '.join(urls)}]")]),
        st.lists(LINKS, max_size=2)),
    "numbers and times in the prose": files(pairs_of(KEYS, EDGE_DATES, min_size=0), st.lists(PROSE, min_size=1,
                                                                                              max_size=3)),
    "everything at once": files(pairs_of(KEYS, VALUES), st.lists(st.one_of(TIMELINE, LINKS, PROSE), max_size=2)),
}
"""The hostile files of each class the sweep found, and all of them mixed."""


@SETTINGS
@given(CLASSES["YAML tags and nesting"], QUERIES)
def test_yaml_tags_and_nesting(hostile: list[str], query: str) -> None:
    assert run(hostile, query) == []


@SETTINGS
@given(CLASSES["numbers beyond range"], QUERIES)
def test_numbers_beyond_range(hostile: list[str], query: str) -> None:
    assert run(hostile, query) == []


@SETTINGS
@given(CLASSES["dates and timelines at the edges"], QUERIES)
def test_dates_and_timelines_at_the_edges(hostile: list[str], query: str) -> None:
    assert run(hostile, query) == []


@SETTINGS
@given(CLASSES["odd line breaks"], QUERIES)
def test_odd_line_breaks_keep_lines(hostile: list[str], query: str) -> None:
    assert run(hostile, query) == []


@SETTINGS
@given(CLASSES["addresses urlsplit refuses"], QUERIES)
def test_addresses_urlsplit_refuses(hostile: list[str], query: str) -> None:
    assert run(hostile, query) == []


@SETTINGS
@given(CLASSES["numbers and times in the prose"], QUERIES)
def test_numbers_and_times_in_the_prose(hostile: list[str], query: str) -> None:
    assert run(hostile, query) == []


@SETTINGS
@given(CLASSES["everything at once"], QUERIES)
def test_everything_at_once(hostile: list[str], query: str) -> None:
    assert run(hostile, query) == []
