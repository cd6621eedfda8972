"""`KnowledgeBase.search`: best first, forgiving of typos, exact about identifiers, explained.

The content is the shared test knowledge base plus a few post-mortems written here
for what it lacks: identifiers (``503``, ``ORA-00060``, ``S3``, ``us-east-1``), two
words one letter apart (``batch``/``patch``), drafts and other scripts.
"""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import lessons
from lessons.query.results import Match, SearchResult

CONTACTLESS = "2024-03-16-contactless-payments-update"
CERTIFICATE = "2022-11-02-certificate-expiry"
BUILD = "2021-06-14-build-dependency-removed"
DNS = "2023-09-05-dns-configuration-push"
ORACLE = "2019-05-02-oracle-deadlock"
ORACLE_OTHER = "2018-08-08-oracle-snapshot"
BATCH = "2020-03-03-nightly-batch"
PATCH = "2020-04-04-nightly-patch"
CYRILLIC = "2021-01-20-cyrillic"

EXTRA = {
    ORACLE: """---
title: Deadlock errors ORA-00060 stall the orders database
date: 2019-05-02
status: draft
severity: 3
services: [orders-db]
causes: [dependency-problem]
tags: [database, oracle]
---

## Summary

The orders service returned HTTP 503 while the database reported ORA-00060 deadlocks.
Exports to the S3 bucket in us-east-1 stopped as well.
""",
    ORACLE_OTHER: """---
title: Snapshot too old errors ORA-01555 slow the reporting database
date: 2018-08-08
status: in-review
severity: 4
services: [reporting-db]
causes: [configuration-error]
tags: [database, oracle]
---

## Summary

Long reports failed with ORA-01555 and HTTP 502 from the proxy. The S4 tier in
us-west-2 was unaffected.
""",
    BATCH: """---
title: Nightly batch job overruns into business hours
date: 2020-03-03
severity: 5
services: [reporting]
causes: [insufficient-monitoring]
tags: [scheduling]
---

## Summary

The nightly batch ran for eleven hours and held locks the morning shift needed.
""",
    PATCH: """---
title: Nightly patch job reboots the wrong hosts
date: 2020-04-04
severity: 4
services: [fleet]
causes: [configuration-error]
tags: [scheduling]
---

## Summary

The nightly patch run rebooted hosts that were still serving traffic.
""",
    CYRILLIC: """---
title: Платежи не проходят после обновления
date: 2021-01-20
severity: 3
services: [payments]
tags: [локализация]
---

## Summary

Оплата картой не работала три часа. 支付失败 was shown to customers in Shanghai.
""",
}


def add_extra_documents(content: Path) -> None:
    for doc_id, text in EXTRA.items():
        (content / "postmortems" / f"{doc_id}.md").write_text(text, encoding="utf-8")


@pytest.fixture
def skb(content_dir: Path) -> lessons.KnowledgeBase:
    """The test knowledge base with the extra documents of this module."""
    add_extra_documents(content_dir)
    return lessons.load(content_dir)


@pytest.fixture(scope="module")
def shared_kb(tmp_path_factory: pytest.TempPathFactory) -> lessons.KnowledgeBase:
    """One read-only knowledge base for the property tests (hypothesis reuses it)."""
    target = tmp_path_factory.mktemp("search") / "kb"
    shutil.copytree(Path(__file__).parent / "data" / "kb", target)
    add_extra_documents(target)
    return lessons.load(target, index=":memory:")


def ids(hits: list[SearchResult]) -> list[str]:
    return [hit.document.id for hit in hits]


def why_of(hit: SearchResult) -> list[str]:
    return [str(match) for match in hit.why]


# -- ranking --------------------------------------------------------------------------


def test_results_come_best_first(skb):
    hits = skb.search("contactless payments", limit=20)
    assert ids(hits)[0] == CONTACTLESS
    scores = [hit.score for hit in hits]
    assert scores == sorted(scores, reverse=True)
    assert all(score > 0 for score in scores)


def test_a_title_match_ranks_above_a_body_match(skb):
    hits = skb.search("certificate")
    assert ids(hits)[0] == CERTIFICATE


def test_documents_matching_more_query_words_rank_higher(skb):
    hits = skb.search("payments registry removed", limit=20)
    assert ids(hits)[0] == BUILD
    assert ids(hits).index(BUILD) < ids(hits).index(CONTACTLESS)


def test_limit_caps_the_number_of_results(skb):
    assert len(skb.search("payments", limit=2)) == 2
    assert ids(skb.search("payments", limit=1)) == ids(skb.search("payments"))[:1]
    assert skb.search("payments", limit=0) == []


def test_stemming_finds_other_forms_of_a_word(skb):
    assert CERTIFICATE in ids(skb.search("certificates expiring"))
    assert ids(skb.search("payment"))[:2] == ids(skb.search("payments"))[:2]


def test_results_carry_document_score_snippet_and_why(skb):
    hit = skb.search("contactless payments")[0]
    assert isinstance(hit, SearchResult)
    assert hit.document.id == CONTACTLESS
    assert hit.document.path.is_file()
    assert isinstance(hit.score, float)
    assert all(isinstance(match, Match) for match in hit.why)
    assert "contactless = contactless (title)" in why_of(hit)
    assert "contactless" in hit.reason


# -- typos ----------------------------------------------------------------------------

TYPOS = [
    # (clean query, typo'd query, what changed)
    ("contactless payments", "contactles payments", "one deletion in an 11-letter word"),
    ("contactless payments", "contactless paymnets", "one transposition in an 8-letter word"),
    ("contactless payments", "contatcles paymets", "two edits in 11 letters, one in 8"),
    ("expired certificate", "expird certificate", "one deletion in a 7-letter word"),
    ("expired certificate", "expired certifcat", "two deletions in an 11-letter word"),
    ("expired certificate", "exipred cretificate", "transpositions in both words"),
    ("registry package removed", "registy pakage removed", "one deletion in 8 and 7 letters"),
    ("retired region", "retierd regoin", "transpositions in 7 and 6 letters"),
    ("configuration template", "confgiuration templte", "transposition and deletion"),
    ("nightly batch", "nightly bacth", "transposition in a 5-letter word"),
]


@pytest.mark.parametrize(("clean", "typo", "what"), TYPOS, ids=[t[2] for t in TYPOS])
def test_a_typo_finds_the_same_best_document(skb, clean, typo, what):
    clean_hits = skb.search(clean)
    typo_hits = skb.search(typo)
    assert typo_hits, f"{typo!r} ({what}) found nothing"
    assert ids(typo_hits)[0] == ids(clean_hits)[0]


def test_why_shows_the_typo_and_the_word_it_matched(skb):
    hit = skb.search("contactles payments")[0]
    assert hit.document.id == CONTACTLESS
    assert "contactles ~ contactless (title)" in why_of(hit)
    assert "payments = payments (title)" in why_of(hit)
    fuzzy = [m for m in hit.why if m.how == "fuzzy"]
    assert [(m.query, m.term, m.field) for m in fuzzy] == [("contactles", "contactless", "title")]


def test_a_transposition_counts_as_one_edit(skb):
    # "bacth" is five letters, so only one edit is allowed: a swap must count as one.
    hit = skb.search("bacth")[0]
    assert hit.document.id == BATCH
    assert "bacth ~ batch (title)" in why_of(hit)


def test_an_exact_match_scores_above_the_same_match_with_a_typo(skb):
    exact = skb.search("contactless")[0]
    fuzzy = skb.search("contactles")[0]
    assert exact.document.id == fuzzy.document.id == CONTACTLESS
    assert 0 < fuzzy.score < exact.score


def test_an_exact_word_is_not_confused_with_a_word_one_letter_away(skb):
    hits = skb.search("batch")
    assert ids(hits) == [BATCH]
    hits = skb.search("patch")
    assert ids(hits) == [PATCH]


def test_a_typo_ranks_the_closer_word_first(skb):
    # "batchh" is one edit from "batch" and two from "patch".
    assert ids(skb.search("batchh job"))[0] == BATCH


TOO_FAR = [
    ("pazmenzs", "two substitutions in an 8-letter word"),
    ("tils", "a typo in a 4-letter word"),
    ("contaxtlezz", "three edits in an 11-letter word"),
]


@pytest.mark.parametrize(("query", "what"), TOO_FAR, ids=[t[1] for t in TOO_FAR])
def test_too_many_edits_match_nothing(skb, query, what):
    assert skb.search(query) == []


# -- numbers and identifiers ----------------------------------------------------------


@pytest.mark.parametrize("query", ["503", "ORA-00060", "ora-00060", "S3", "s3", "us-east-1"])
def test_identifiers_find_the_document_that_has_them(skb, query):
    hits = skb.search(query)
    assert ids(hits)[0] == ORACLE
    wanted = query.lower()
    assert any((m.query, m.term, m.how) == (wanted, wanted, "exact") for m in hits[0].why), why_of(hits[0])


@pytest.mark.parametrize("query", ["504", "500", "S2", "s5", "ORA-00061", "us-east-2", "0060", "00061"])
def test_identifiers_never_match_a_near_miss(skb, query):
    hits = skb.search(query)
    wanted = query.lower()
    for hit in hits:
        assert not [m for m in hit.why if m.how == "fuzzy"], f"{query} matched fuzzily: {why_of(hit)}"
        assert not [m for m in hit.why if m.query == wanted], f"{query} matched: {why_of(hit)}"


def test_a_wrong_number_finds_nothing(skb):
    assert skb.search("504") == []
    assert skb.search("S2") == []


def test_the_exact_identifier_ranks_above_documents_sharing_its_parts(skb):
    hits = skb.search("ORA-00060")
    assert ids(hits)[0] == ORACLE
    if ORACLE_OTHER in ids(hits):
        assert hits[0].score > hits[ids(hits).index(ORACLE_OTHER)].score
    hits = skb.search("us-east-1")
    assert ids(hits)[0] == ORACLE


# -- search as you type ---------------------------------------------------------------


def test_the_last_word_matches_as_a_prefix(skb):
    hits = skb.search("overnight contactl")
    assert ids(hits)[0] == CONTACTLESS
    assert "contactl … contactless (title)" in why_of(hits[0])


def test_a_prefix_alone_finds_documents(skb):
    assert ids(skb.search("certif"))[0] == CERTIFICATE
    assert ids(skb.search("contactl"))[0] == CONTACTLESS


def test_only_the_last_word_is_a_prefix(skb):
    assert skb.search("contactl overnight")[0].document.id == CONTACTLESS  # by "overnight"
    assert not any(m.query == "contactl" for hit in skb.search("contactl overnight") for m in hit.why)


def test_a_finished_word_is_not_a_prefix(skb):
    assert skb.search("contactl ") == []


# -- filters --------------------------------------------------------------------------

BROAD = "payments deploy certificate configuration database nightly registry oracle update"

FILTERS = [
    ({"kind": "practice"}, lambda d: d.kind.value == "practice"),
    ({"kind": "postmortem"}, lambda d: d.kind.value == "postmortem"),
    ({"causes": ["insufficient-monitoring"]}, lambda d: "insufficient-monitoring" in d.causes),
    ({"causes": "incomplete-testing,dependency-problem"},
     lambda d: {"incomplete-testing", "dependency-problem"} & set(d.causes)),
    ({"tags": ["deploy"]}, lambda d: "deploy" in d.tags),
    ({"tags": "oracle"}, lambda d: "oracle" in d.tags),
    ({"services": ["payments"]}, lambda d: "payments" in d.services),
    ({"services": ["Payments"], "tags": "DEPLOY"},  # labels match without case
     lambda d: "payments" in d.services and "deploy" in d.tags),
    ({"severity": 1}, lambda d: d.severity == 1),
    ({"severity": [3, 4]}, lambda d: d.severity in (3, 4)),
    ({"since": "2022-01-01"}, lambda d: d.date is not None and d.date >= date(2022, 1, 1)),
    ({"until": date(2020, 12, 31)}, lambda d: d.date is not None and d.date <= date(2020, 12, 31)),
    ({"since": "2020-01-01", "until": "2022-11-02"},
     lambda d: d.date is not None and date(2020, 1, 1) <= d.date <= date(2022, 11, 2)),
    ({"status": "draft"}, lambda d: d.status.value == "draft"),
    ({"status": ["draft", "in-review"]}, lambda d: d.status.value in ("draft", "in-review")),
    ({"kind": "postmortem", "tags": ["deploy"], "since": "2022-01-01"},
     lambda d: d.kind.value == "postmortem" and "deploy" in d.tags and d.date >= date(2022, 1, 1)),
]


@pytest.mark.parametrize(("filters", "holds"), FILTERS, ids=[repr(f[0]) for f in FILTERS])
def test_filters_narrow_results_without_changing_scores(skb, filters, holds):
    everything = skb.search(BROAD, limit=100)
    narrowed = skb.search(BROAD, limit=100, **filters)
    assert narrowed, "the filter should leave something to find"
    assert len(narrowed) < len(everything), "the filter should remove something"
    assert all(holds(hit.document) for hit in narrowed)
    unfiltered_scores = {hit.document.id: hit.score for hit in everything}
    assert {hit.document.id: hit.score for hit in narrowed} == {
        doc_id: score for doc_id, score in unfiltered_scores.items() if holds(skb.get(doc_id))}
    assert ids(narrowed) == [i for i in ids(everything) if holds(skb.get(i))]


def test_a_filter_that_nothing_passes_gives_no_results(skb):
    assert skb.search("payments", causes=["no-such-cause"]) == []
    assert skb.search("payments", since="2100-01-01") == []


@pytest.mark.parametrize("bad", [{"kind": "incident"}, {"since": "last tuesday"},
                                 {"until": "2024-13-45"}])
def test_a_malformed_filter_is_a_clear_error(skb, bad):
    with pytest.raises(lessons.LessonsError) as raised:
        skb.search("payments", **bad)
    assert next(iter(bad)) in str(raised.value)


# -- snippets -------------------------------------------------------------------------


def test_the_snippet_marks_the_matched_words(skb):
    hit = skb.search("contactless payments")[0]
    assert "**contactless**" in hit.snippet
    assert "**payments**" in hit.snippet


def test_the_snippet_marks_only_matched_words(skb):
    hit = skb.search("certificate expired")[0]
    marked = re.findall(r"\*\*(.+?)\*\*", hit.snippet)
    assert marked
    assert {word.lower() for word in marked} <= {"certificate", "certificates", "expired", "expire",
                                                 "expires", "expiry"}


def test_the_snippet_marks_the_document_word_a_typo_matched(skb):
    hit = skb.search("contactles")[0]
    assert "**contactless**" in hit.snippet


def test_the_snippet_is_short(skb):
    for hit in skb.search(BROAD, limit=100):
        assert len(hit.snippet.replace("**", "")) <= 400


# -- hostile input --------------------------------------------------------------------

HOSTILE = {
    "empty": "",
    "spaces": "   \t\n ",
    "one megabyte of one word": "x" * 1_000_000,
    "one megabyte of words": "payments deploy " * 65_536,
    "all punctuation": "!@#$%^&*()_+-=[]{}|;':\",./<>?`~\\",
    "sql injection": "\" OR 1=1 --",
    "sql drop": "'; DROP TABLE documents; --",
    "fts near": "NEAR(",
    "fts near full": "NEAR(payments deploy, 3)",
    "fts star": "*",
    "fts prefix star": "pay*",
    "fts column": "title:payments",
    "fts boolean": "payments AND NOT deploy OR",
    "quotes": '"""',
    "control characters": "\x00\x01\x02 payments\x7f\x08\x1b",
    "terminal colours": "\x1b[31mERROR\x1b[0m payments",
    "null in the middle": "pay\x00ments",
    "cyrillic": "платежи не проходят",
    "cjk": "支付失败",
    "emoji": "💳🔥 payments 🚨",
    "mixed scripts": "payments платежи 支付 💳",
    "right to left": "\u202epayments\u202c مدفوعات",
    "lone surrogate": "payments \ud800",
    "combining marks": "pa\u0301yments",
    "long identifier": "ora-" + "0" * 10_000,
    "many words": " ".join(f"word{i}" for i in range(5000)),
    "percent and underscore": "%_%_%",
}


@pytest.mark.parametrize("query", list(HOSTILE.values()), ids=list(HOSTILE))
def test_hostile_queries_never_raise(skb, query):
    hits = skb.search(query)
    assert isinstance(hits, list)
    assert all(isinstance(hit, SearchResult) for hit in hits)
    scores = [hit.score for hit in hits]
    assert scores == sorted(scores, reverse=True)


@pytest.mark.parametrize("name", ["empty", "spaces", "all punctuation", "fts near",
                                  "fts star", "quotes", "percent and underscore"])
def test_queries_without_words_find_nothing(skb, name):
    assert skb.search(HOSTILE[name]) == []


@pytest.mark.parametrize("name", ["control characters", "emoji", "mixed scripts", "lone surrogate",
                                  "fts near full", "fts boolean", "fts column"])
def test_words_among_noise_are_still_found(skb, name):
    assert "payments" in {m.term for hit in skb.search(HOSTILE[name], limit=20) for m in hit.why}


def test_other_scripts_are_searchable(skb):
    assert ids(skb.search("платежи"))[0] == CYRILLIC
    assert ids(skb.search("обновления"))[0] == CYRILLIC


def test_sql_in_a_query_is_just_words(skb):
    # "1" is a word (the 1 of us-east-1); "OR 1=1" must not mean "everything".
    hits = skb.search(HOSTILE["sql injection"], limit=100)
    assert ids(hits) == [ORACLE]


def test_sql_in_a_query_leaves_the_index_intact(skb):
    skb.search("'; DROP TABLE documents; --")
    assert ids(skb.search("contactless"))[0] == CONTACTLESS


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=st.text(max_size=300))
def test_any_text_gives_a_list_of_results(shared_kb, query):
    hits = shared_kb.search(query)
    assert isinstance(hits, list)
    assert all(isinstance(hit, SearchResult) for hit in hits)


VOCABULARY = ["payments", "contactless", "certificate", "deploy", "ora-00060", "us-east-1", "503",
              "s3", "batch", "rollback", "dns", "платежи", "支付失败"]


@settings(max_examples=150, deadline=None)
@given(words=st.lists(st.one_of(st.sampled_from(VOCABULARY), st.text(min_size=1, max_size=12)),
                      max_size=8),
       joiner=st.sampled_from([" ", "-", "", "\n", " OR ", "*", '"']),
       limit=st.integers(min_value=-3, max_value=50))
def test_any_mix_of_real_and_random_words_gives_sorted_results(shared_kb, words, joiner, limit):
    hits = shared_kb.search(joiner.join(words), limit=limit)
    assert len(hits) <= max(limit, 0)
    scores = [hit.score for hit in hits]
    assert scores == sorted(scores, reverse=True)
    assert len({hit.document.id for hit in hits}) == len(hits)
