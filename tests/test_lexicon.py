"""The language packs: data the parser reads its words from (``lessons/parsing/lexicon/*.toml``)."""

from __future__ import annotations

import re
from datetime import date

import pytest

from lessons.parsing.actions import read_item, read_row
from lessons.parsing.dates import parse_date
from lessons.parsing.lexicon import LexiconError, check_packs, lexicon, pack_keys, read_packs
from lessons.parsing.lexicon.phrases import PhraseError, phrase_pattern, phrases_pattern, words_pattern
from lessons.parsing.sections import canonical_section
from lessons.parsing.timeline import read_stamp

PACKS = read_packs()


def test_english_german_spanish_and_french_are_shipped() -> None:
    assert {"en", "de", "es", "fr"} <= set(PACKS)
    assert next(iter(PACKS)) == "en"  # English words come first in every list


@pytest.mark.parametrize("name", sorted(PACKS))
def test_every_pack_has_the_same_keys(name: str) -> None:
    assert pack_keys(PACKS[name]) == pack_keys(PACKS["en"])


@pytest.mark.parametrize("name", sorted(PACKS))
def test_every_pack_names_twelve_months_and_every_section(name: str) -> None:
    pack = PACKS[name]
    assert len(pack["dates"]["months"]) == 12 and all(pack["dates"]["months"])
    assert all(pack["sections"][section] for section in PACKS["en"]["sections"] if section != "wrappers")


def test_a_month_name_means_one_month_and_no_weekday_is_a_month() -> None:
    # "mar" is March in English and Spanish; as Tuesday (martes, mardi) it would be read as March.
    months: dict[str, set[int]] = {}
    for pack in PACKS.values():
        for number, names in enumerate(pack["dates"]["months"], start=1):
            for name in names:
                months.setdefault(name.lower(), set()).add(number)
    assert {name: numbers for name, numbers in months.items() if len(numbers) > 1} == {}
    weekdays = {day.lower() for pack in PACKS.values() for day in pack["dates"]["weekdays"]}
    assert weekdays.isdisjoint(months)


def test_every_packs_words_are_joined() -> None:
    words = lexicon()
    assert words.languages[0] == "English" and len(words.languages) == len(PACKS)
    assert (words.dates.months["february"], words.dates.months["februar"], words.dates.months["febrero"]) == (2, 2, 2)
    assert "zusammenfassung" in words.sections.aliases["summary"]
    assert words.statuses["wip"] == "draft" and words.severities["hoch"] == 2
    assert words.labels["datum"] == "date"


@pytest.mark.parametrize(("phrase", "matches", "misses"), [
    ("all clear", ["all clear", "All   clear"], ["allclear", "all clearly"]),
    ("(page|pages) (is|was)? (sent|fired)", ["page sent", "pages was fired"], ["page is", "paged sent"]),
    ("(customer|customers) * report", ["customers report", "customers begin report"], ["customers did begin report"]),
    ("(begin|starts) (to)? (fail*|time out*)", ["starts to fail", "begin failing", "starts time outs"],
     ["starts to", "start to fail"]),
    ("won't fix", ["won't fix"], ["wont fix"]),
    ("n/a", ["N/A"], ["na"]),
])
def test_the_phrase_notation(phrase: str, matches: list[str], misses: list[str]) -> None:
    pattern = re.compile(rf"^(?:{phrase_pattern(phrase)})$", re.IGNORECASE)
    assert [text for text in matches if not pattern.match(text)] == []
    assert [text for text in misses if pattern.match(text)] == []


@pytest.mark.parametrize("phrase", ["(a|b", "a)", "(a)?", "*", "a | b", ""])
def test_a_phrase_that_cannot_be_read_is_refused(phrase: str) -> None:
    with pytest.raises(PhraseError):
        phrase_pattern(phrase)


def test_longer_words_are_tried_first() -> None:
    pattern = words_pattern(["sep", "september", "sept", "set up", "s.e."])
    assert [re.match(pattern, text).group(0) for text in ("september", "sept.", "sep 3", "set   up", "s.e.")] == [  # type: ignore[union-attr]
        "september", "sept", "sep", "set   up", "s.e."]
    assert re.match(pattern, "s-e-") is None
    assert re.match(f"(?:{words_pattern([])})", "") is None  # no words: nothing matches
    assert re.match(rf"(?:{phrases_pattern(['due', 'due date'])})", "due date").group(0) == "due date"  # type: ignore[union-attr]


def test_a_pack_missing_a_key_is_a_packaging_error() -> None:
    broken = {name: dict(pack) for name, pack in PACKS.items()}
    del broken["de"]["moments"]
    broken["de"]["colours"] = {}
    with pytest.raises(LexiconError, match=r"de\.toml: missing keys \['moments', .*unknown keys \['colours'\]"):
        check_packs(broken)


# -- what the packs let the parser read, one value at a time ---------------------------------

@pytest.mark.parametrize(("written", "day"), [
    ("22. Februar 2024", date(2024, 2, 22)), ("3. März 2024", date(2024, 3, 3)),
    ("22 de febrero de 2024", date(2024, 2, 22)), ("1º de mayo de 2024", date(2024, 5, 1)),
    ("22 février 2024", date(2024, 2, 22)), ("22 fevrier 2024", date(2024, 2, 22)),
    ("1er mars 2024", date(2024, 3, 1)), ("mardi 12 mars 2024", date(2024, 3, 12)),
    ("Donnerstag, 22. Februar 2024", date(2024, 2, 22)),
])
def test_dates_in_words_of_every_language(written: str, day: date) -> None:
    assert parse_date(written) == day


@pytest.mark.parametrize(("written", "hour", "minute", "rest"), [
    ("22. Februar, 14:05 MEZ — Zahlungen schlagen fehl", 13, 5, "Zahlungen schlagen fehl"),
    ("14:05 bis 14:20 — Replikation hängt", 14, 5, "Replikation hängt"),
    ("Mittag — Fehler beginnen", 12, 0, "Fehler beginnen"),
    ("14h05 — la panne commence", 14, 5, "la panne commence"),
    ("22 février 2024 à 9h50 — déploiement", 9, 50, "déploiement"),
    ("minuit — service rétabli", 0, 0, "service rétabli"),
    ("22 de febrero de 2024 a las 10:30 — comienza la caída", 10, 30, "comienza la caída"),
    ("mediodía — clientes reportan errores", 12, 0, "clientes reportan errores"),
])
def test_timeline_times_of_every_language(written: str, hour: int, minute: int, rest: str) -> None:
    stamp = read_stamp(written, previous=None, default_date=date(2024, 2, 22), zone=None)
    assert stamp.at is not None and (stamp.at.hour, stamp.at.minute, stamp.rest) == (hour, minute, rest)


@pytest.mark.parametrize(("written", "text", "owner", "due"), [
    ("[ ] Kette prüfen — verantwortlich: Team Plattform, fällig: 15. März 2024", "Kette prüfen", "Team Plattform",
     date(2024, 3, 15)),
    ("[ ] Runbook schreiben (zuständig: Kim, bis 1. April 2024)", "Runbook schreiben", "Kim", date(2024, 4, 1)),
    ("[ ] Ajouter une sonde — Responsable : équipe paiements, échéance : 15 mars 2024", "Ajouter une sonde",
     "équipe paiements", date(2024, 3, 15)),
    ("[ ] Relire les règles (responsable : Léa, avant le 1er avril 2024)", "Relire les règles", "Léa",
     date(2024, 4, 1)),
    ("[ ] Añadir una alerta — responsable: pagos, fecha límite: 2024-05-01", "Añadir una alerta", "pagos",
     date(2024, 5, 1)),
])
def test_action_item_keys_of_every_language(written: str, text: str, owner: str, due: date) -> None:
    item = read_item(written)
    assert (item.text, item.owner, item.due) == (text, owner, due)


@pytest.mark.parametrize("status", ["Erledigt", "abgeschlossen", "Terminé", "Clos", "Hecho", "Cerrado"])
def test_closing_words_of_every_language_close_an_action(status: str) -> None:
    item = read_row(["Action", "Owner", "Status"], ["Add a canary", "payments", status])
    assert item is not None and item.done


@pytest.mark.parametrize(("heading", "name"), [
    ("Résumé", "summary"), ("Chronologie", "timeline"), ("Cause racine", "causes"), ("Leçons apprises", "lessons"),
    ("Actions correctives", "action-items"), ("Zeitlicher Ablauf", "timeline"), ("Maßnahmen", "action-items"),
    ("Cronología", "timeline"), ("Rapport d'incident", None),
])
def test_section_headings_of_every_language(heading: str, name: str | None) -> None:
    assert canonical_section(heading) == name


@pytest.mark.parametrize(("moment", "text"), [
    ("begins", "Die Störung beginnt"), ("begins", "la panne commence"), ("begins", "comienza la caída"),
    ("detected", "Kunden melden Fehler"), ("detected", "des clients signalent des refus"),
    ("detected", "clientes reportan errores"),
    ("resolved", "Zahlungen laufen wieder"), ("resolved", "les paiements fonctionnent à nouveau"),
    ("resolved", "servicio restablecido"),
    ("negated", "Kein Alarm ausgelöst"), ("negated", "aucune alerte ne se déclenche"), ("negated", "sin alerta"),
])
def test_moment_words_of_every_language(moment: str, text: str) -> None:
    assert getattr(lexicon().moments, moment).search(text)
