"""The words of each language the parser reads, as data.

One TOML file per language sits in this folder (``en.toml``, ``de.toml`` …); each holds
the same tables: section names, label words, status and severity words, months and
weekdays, zone words, the keys and words of action items, and the words that tell of
the start, detection and end of an incident. `lexicon()` reads every pack once, joins
them (a German post-mortem may quote an English alert) and compiles what the parser
matches. Adding a language is adding a file: see docs/DESIGN.md, "How to add a language".
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Any

from .phrases import PhraseError, required_words, phrases_pattern, words_pattern

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - the backport reads the same files on 3.10
    import tomli as tomllib

__all__ = ["Lexicon", "LexiconError", "alias_form", "check_packs", "lexicon", "pack_keys", "read_packs"]

FIRST_PACK = "en"
"""The pack read first: its words come first in every list, and it is the model of the keys."""
_LEAF_TABLES = frozenset({"zones.names"})
"""Tables whose keys are words (zone names), not part of the schema."""


class LexiconError(ValueError):
    """A language pack that does not have the shape of the others (a packaging mistake)."""


@dataclass(frozen=True, slots=True)
class Sections:
    """Section headings."""

    aliases: dict[str, tuple[str, ...]]
    """Canonical section -> the headings that name it, in `alias_form`, every pack's."""
    wrappers: frozenset[str]
    """Headings that wrap a document ("Incident review"): never a section."""


@dataclass(frozen=True, slots=True)
class Dates:
    """Words of days and times; the patterns are alternations without groups or anchors."""

    months: dict[str, int]
    """Month name or abbreviation (lower case) -> 1 … 12."""
    month: str
    weekday: str
    ordinal: str
    """Suffixes after a day's number: ``st`` (22nd), ``.`` (22.), ``er`` (1er)."""
    ordinal_word: str
    """The ordinals made of letters only (``1.5`` must not name a day)."""
    joiner: str
    """Words between day, month and year: ``of``, ``de``."""
    at: str
    until: str
    named_time: str
    """Noon and midnight in words."""
    midnight: frozenset[str]


@dataclass(frozen=True, slots=True)
class Zones:
    """Time zones in words."""

    names: dict[str, str]
    """Zone word (lower case, single spaces) -> a zone abbreviation or IANA name."""
    name: str
    """Pattern of the zone words: those in capitals match only in capitals."""
    sentence: re.Pattern[str]
    """A sentence that says which zone the times are in."""


@dataclass(frozen=True, slots=True)
class TimelineWords:
    """Column headers of timeline tables (lower case)."""

    date_columns: frozenset[str]
    time_columns: tuple[str, ...]
    """Prefixes: "Time (UTC)" is a time column."""
    counter_columns: frozenset[str]


@dataclass(frozen=True, slots=True)
class ActionWords:
    """Words of action items; the patterns are alternations without groups or anchors."""

    owner_key: str
    due_key: str
    due_word: str
    closed: str
    yes: str
    placeholder: str
    text_columns: tuple[str, ...]
    owner_columns: tuple[str, ...]
    due_columns: tuple[str, ...]
    loose_due_columns: tuple[str, ...]
    exact_due_columns: tuple[str, ...]
    status_columns: tuple[str, ...]
    resolution_columns: tuple[str, ...]
    lead_in: re.Pattern[str]
    """A paragraph (in `alias_form`) that leads into a list of follow-up work: "to reduce … we are"."""


@dataclass(frozen=True, slots=True)
class MomentWords:
    """What timeline entries say when the impact begins, is detected, ends or is resolved."""

    begins: re.Pattern[str]
    detected: re.Pattern[str]
    ends: re.Pattern[str]
    resolved: re.Pattern[str]
    negated: re.Pattern[str]
    """Words of detection that a negation turns around: "no alert fires"."""


@dataclass(frozen=True, slots=True)
class DurationWords:
    """Labels of stated durations and the units of their values (in `alias_form`)."""

    labels: dict[str, str]
    """Label -> ``detect`` or ``resolve``: "time to detection" -> ``detect``."""
    units: dict[str, int]
    """Unit word -> minutes: "std" -> 60."""
    approximate: frozenset[str]
    """Words before a value that make it approximate: "about", "ca"."""


@dataclass(frozen=True, slots=True)
class NarrativeWords:
    """What prose says of an incident's times; the patterns are alternations without anchors."""

    span_start: str
    """Before the first time of a span of impact: "between", "from", "zwischen"."""
    span_join: str
    """Between its two times: "and", "to", "bis"."""
    after: str
    """A delay: "12 minutes after", "nach 25 Minuten"."""
    after_words: tuple[str, ...] | None
    """Words of which one is in every match of `after`, lower case (`phrases.required_words`)."""
    update_state: str
    """The bold state that opens a status update: "Resolved", "Monitoring"."""
    update_headings: frozenset[str]
    """Headings (in `alias_form`) over a list of status updates rather than a timeline."""


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Every pack's words, joined and compiled."""

    languages: tuple[str, ...]
    sections: Sections
    labels: dict[str, str]
    """Label (lower case, single spaces) -> field: ``incident date`` -> ``date``."""
    statuses: dict[str, str]
    """Status word -> ``published``, ``in-review`` or ``draft``."""
    severities: dict[str, int]
    """Severity word -> level (critical 1 … low 4)."""
    dates: Dates
    zones: Zones
    timeline: TimelineWords
    actions: ActionWords
    moments: MomentWords
    durations: DurationWords
    narrative: NarrativeWords
    title_placeholders: frozenset[str]
    """Titles left from a template ("Incident Title"), in `alias_form`."""


_SEVERITY_LEVELS = {"critical": 1, "high": 2, "medium": 3, "low": 4}
_NON_WORD = re.compile(r"[^\w\s]+")


@lru_cache(maxsize=4096)
def alias_form(text: str) -> str:
    """A heading or alias as headings are compared: lower case, no punctuation, single spaces.

    Cached: readers ask it of the same labels, headings and units again and again (every
    stated-duration label, every section heading), within a document and across documents.
    """
    text = text.replace("&", " and ").replace("-", " ")
    return " ".join(_NON_WORD.sub(" ", text.lower()).split())


def pack_keys(pack: dict[str, Any], prefix: str = "") -> set[str]:
    """The dotted keys of a pack (``dates.months``): what every pack must have."""
    keys: set[str] = set()
    for key, value in pack.items():
        path = f"{prefix}{key}"
        keys.add(path)
        if isinstance(value, dict) and path not in _LEAF_TABLES:
            keys |= pack_keys(value, f"{path}.")
    return keys


def read_packs() -> dict[str, dict[str, Any]]:
    """Every pack in this folder by its name (``en``), English first, then by name."""
    folder = resources.files(__name__)
    names = sorted((entry.name for entry in folder.iterdir() if entry.name.endswith(".toml")),
                   key=lambda name: (name != f"{FIRST_PACK}.toml", name))
    packs = {name[:-5]: tomllib.loads(folder.joinpath(name).read_text(encoding="utf-8")) for name in names}
    check_packs(packs)
    return packs


def check_packs(packs: dict[str, dict[str, Any]]) -> None:
    """Refuse packs that do not all have the keys of the English one.

    Raises:
        LexiconError: naming the pack and the keys it lacks or has in excess.
    """
    if FIRST_PACK not in packs:
        raise LexiconError(f"no {FIRST_PACK}.toml among the language packs")
    model = pack_keys(packs[FIRST_PACK])
    for name, pack in packs.items():
        missing, unknown = model - pack_keys(pack), pack_keys(pack) - model
        if missing or unknown:
            raise LexiconError(f"language pack {name}.toml: missing keys {sorted(missing)}, "
                               f"unknown keys {sorted(unknown)}")


@cache
def lexicon() -> Lexicon:
    """Every pack's words, read and compiled once."""
    packs = list(read_packs().values())
    try:
        return Lexicon(
            languages=tuple(str(pack["language"]) for pack in packs),
            sections=_sections(packs),
            labels=_mapping(packs, "labels", lambda label: " ".join(label.lower().split())),
            statuses=_mapping(packs, "status", str.lower),
            severities={word: _SEVERITY_LEVELS[level]
                        for word, level in _mapping(packs, "severity", str.lower).items()},
            dates=_dates(packs),
            zones=_zones(packs),
            timeline=TimelineWords(
                frozenset(_joined(packs, "timeline", "date_columns")),
                tuple(_joined(packs, "timeline", "time_columns")),
                frozenset(_joined(packs, "timeline", "counter_columns"))),
            actions=_actions(packs),
            moments=_moments(packs),
            durations=_durations(packs),
            narrative=_narrative(packs),
            title_placeholders=frozenset(alias_form(word) for word in _joined(packs, "titles", "placeholders")),
        )
    except PhraseError as exc:
        raise LexiconError(f"language pack: {exc}") from None


def _joined(packs: list[dict[str, Any]], table: str, key: str) -> list[str]:
    """One list from every pack, in pack order, each word once."""
    words: dict[str, None] = {}
    for pack in packs:
        for word in pack[table][key]:
            words.setdefault(str(word).strip().lower(), None)
    return [word for word in words if word]


def _mapping(packs: list[dict[str, Any]], table: str, form: Any) -> dict[str, str]:
    """``{value: [words]}`` tables of every pack -> one ``{word: value}``; the first pack wins."""
    found: dict[str, str] = {}
    for pack in packs:
        for value, words in pack[table].items():
            for word in words:
                found.setdefault(form(word), value)
    return found


def _sections(packs: list[dict[str, Any]]) -> Sections:
    names = [key for key in packs[0]["sections"] if key != "wrappers"]
    aliases = {name: tuple(dict.fromkeys(alias_form(alias) for pack in packs for alias in pack["sections"][name]))
               for name in names}
    wrappers = frozenset(alias_form(word) for pack in packs for word in pack["sections"]["wrappers"])
    return Sections(aliases, wrappers)


def _dates(packs: list[dict[str, Any]]) -> Dates:
    months: dict[str, int] = {}
    for pack in packs:
        for number, names in enumerate(pack["dates"]["months"], start=1):
            for name in names:
                word = name.lower()
                if months.setdefault(word, number) != number:
                    raise LexiconError(f"month name {word!r} means two months ({months[word]} and {number})")
    weekdays = _joined(packs, "dates", "weekdays")
    clash = sorted(set(weekdays) & set(months))
    if clash:
        raise LexiconError(f"weekday names that are also month names: {clash}")
    ordinals = _joined(packs, "dates", "ordinals")
    midnight = _joined(packs, "dates", "midnight")
    return Dates(
        months=months,
        month=words_pattern(months),
        weekday=words_pattern(weekdays),
        ordinal=words_pattern(ordinals),
        ordinal_word=words_pattern(word for word in ordinals if word.isalpha()),
        joiner=words_pattern(_joined(packs, "dates", "joiners")),
        at=words_pattern(_joined(packs, "dates", "at")),
        until=words_pattern(_joined(packs, "dates", "until")),
        named_time=words_pattern([*_joined(packs, "dates", "noon"), *midnight]),
        midnight=frozenset(midnight),
    )


def _zones(packs: list[dict[str, Any]]) -> Zones:
    names: dict[str, str] = {}
    for pack in packs:
        for word, zone in pack["zones"]["names"].items():
            names.setdefault(" ".join(word.lower().split()), str(zone))
    written = [word for pack in packs for word in pack["zones"]["names"]]
    capitals = [word for word in written if word.isupper()]
    words = [word for word in written if not word.isupper()]
    parts = [words_pattern(capitals)] if capitals else []
    if words:
        parts.append(f"(?i:{words_pattern(words)})")
    sentence = phrases_pattern(_joined(packs, "zones", "sentences"))
    return Zones(names, "|".join(parts), re.compile(rf"\b(?:{sentence})\b", re.IGNORECASE))


def _actions(packs: list[dict[str, Any]]) -> ActionWords:
    def phrases(key: str) -> str:
        return phrases_pattern(_joined(packs, "actions", key))

    def columns(key: str) -> tuple[str, ...]:
        return tuple(_joined(packs, "actions", key))

    return ActionWords(
        owner_key=phrases("owner_keys"), due_key=phrases("due_keys"), due_word=phrases("due_words"),
        closed=phrases("closed"), yes=words_pattern(_joined(packs, "actions", "yes")),
        placeholder=words_pattern(_joined(packs, "actions", "placeholders")),
        text_columns=columns("text_columns"), owner_columns=columns("owner_columns"),
        due_columns=columns("due_columns"), loose_due_columns=columns("loose_due_columns"),
        exact_due_columns=columns("exact_due_columns"), status_columns=columns("status_columns"),
        resolution_columns=columns("resolution_columns"),
        lead_in=re.compile(rf"\b(?:{phrases('lead_ins')})\b"),
    )


def _narrative(packs: list[dict[str, Any]]) -> NarrativeWords:
    def phrases(key: str) -> str:
        return phrases_pattern(_joined(packs, "narrative", key))

    return NarrativeWords(
        span_start=phrases("span_starts"), span_join=phrases("span_joins"), after=phrases("after"),
        after_words=required_words(_joined(packs, "narrative", "after")),
        update_state=phrases("update_states"),
        update_headings=frozenset(alias_form(word) for word in _joined(packs, "narrative", "update_headings")),
    )


def _durations(packs: list[dict[str, Any]]) -> DurationWords:
    labels = {alias_form(word): name for name in ("detect", "resolve") for word in _joined(packs, "durations", name)}
    units = {alias_form(word): minutes for key, minutes in (("minutes", 1), ("hours", 60), ("days", 1440))
             for word in _joined(packs, "durations", key)}
    approximate = frozenset(alias_form(word) for word in _joined(packs, "durations", "approximate"))
    return DurationWords(labels, units, approximate)


def _moments(packs: list[dict[str, Any]]) -> MomentWords:
    def words(key: str) -> re.Pattern[str]:
        return re.compile(rf"\b(?:{phrases_pattern(_joined(packs, 'moments', key))})\b", re.IGNORECASE)

    negation = phrases_pattern(_joined(packs, "moments", "negations"))
    negated = phrases_pattern(_joined(packs, "moments", "negated"))
    return MomentWords(
        begins=words("begins"), detected=words("detected"), ends=words("ends"), resolved=words("resolved"),
        # A negation, then at most three words, then a word of detection: "no alert fires",
        # "the monitor did not detect it" is read the other way round and not caught.
        # "no loss of service has been detected": up to five words between.
        negated=re.compile(rf"\b(?:{negation})\b(?:\W+\w+){{0,5}}?\W+(?:{negated})", re.IGNORECASE),
    )
