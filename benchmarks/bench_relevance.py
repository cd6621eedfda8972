"""Relevance: does search find the right post-mortem, with and without typos?

For every labelled query in ``benchmarks/queries.json`` (written by hand over this
repository's ``content/``, and over the generated corpus of ``corpus.py`` whose
planted documents are the answers) and for a typo'd variant of it (one edit in
each word of five letters or more), this reports MRR@10 and recall@5 for

- ``lessons`` (``kb.search``), and with ``--database`` the same on PostgreSQL
  (``lessons (PostgreSQL)``: the same documents in a shared index must rank the same), and
- a plain word-level BM25 baseline: SQLite FTS5 over the same documents (title,
  summary, labels, body; column weights 4, 2, 2.5, 1 as in ``lessons``), the
  query words OR-ed, ranked by ``bm25()``, with the ``porter unicode61`` and the
  plain ``unicode61`` tokenizer, and the ``trigram`` tokenizer for reference,

all in the same run::

    python benchmarks/bench_relevance.py [--count 2000] [--record] [--verbose] [--database URL]

``--database`` takes a database of its own: the bench drops its lessons tables before
each corpus, so that each is ranked alone, as its SQLite index is.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sqlite3
import statistics
import string
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402

ROOT = HERE.parent
QUERIES = HERE / "queries.json"
DATA = HERE / ".data"
SHORT = 3
"""Queries of at most this many words count as short."""
MAX_LOSS = 5.0
"""Target: typo'd short queries lose at most this many percent of MRR."""


# -- typos ---------------------------------------------------------------------------

def typo(query: str) -> str:
    """The query with one edit in each word of 5+ letters; words with digits stay whole.

    The edit (substitution, deletion, insertion or transposition of neighbours) and
    its place (never the first letter, as in most real typos) are drawn from a
    random generator seeded with the query, so the variant is always the same.
    """
    rng = random.Random(f"typo:{query}")
    kinds = ["substitute", "delete", "insert", "transpose"]
    start = rng.randrange(4)
    out = []
    edited = 0
    for word in query.split(" "):
        letters = [i for i, ch in enumerate(word) if ch.isalpha()]
        if len(letters) < 5 or any(ch.isdigit() for ch in word):
            out.append(word)
            continue
        kind = kinds[(start + edited) % 4]
        edited += 1
        out.append(_edit(word, kind, letters[1:], rng))
    return " ".join(out)


def _edit(word: str, kind: str, places: list[int], rng: random.Random) -> str:
    for _ in range(20):
        i = rng.choice(places)
        if kind == "substitute":
            new = word[:i] + rng.choice([c for c in string.ascii_lowercase if c != word[i].lower()]) + word[i + 1:]
        elif kind == "delete":
            new = word[:i] + word[i + 1:]
        elif kind == "insert":
            new = word[:i] + rng.choice(string.ascii_lowercase) + word[i:]
        else:
            j = i - 1 if i == places[-1] or not word[i + 1].isalpha() else i
            new = word[:j] + word[j + 1] + word[j] + word[j + 2:]
        if new.lower() != word.lower():
            return new
    return word[:places[0]] + "x" + word[places[0] + 1:]


# -- the FTS5 baseline -----------------------------------------------------------------

FTS_WEIGHTS = (4.0, 2.0, 2.5, 1.0)
"""bm25() weights of title, summary, labels, body: the same as lessons' field weights."""


def document_fields(doc: object) -> tuple[str, str, str, str]:
    """Title, summary, labels and body text of a document, as lessons indexes them."""
    summary = doc.summary  # type: ignore[attr-defined]
    if not summary:
        section = doc.section("summary")  # type: ignore[attr-defined]
        summary = section.text if section else ""
    labels = " ".join([*doc.causes, *doc.tags, *doc.services, doc.organization or ""])  # type: ignore[attr-defined]
    return doc.title, summary, labels, doc.text  # type: ignore[attr-defined]


class Fts5:
    """A SQLite FTS5 table over the same documents, queried with OR-ed words."""

    def __init__(self, tokenizer: str, path: str = ":memory:") -> None:
        self.tokenizer = tokenizer
        self.trigram = tokenizer == "trigram"
        self.conn = sqlite3.connect(path)
        self.conn.execute(
            "CREATE VIRTUAL TABLE fts USING fts5(id UNINDEXED, title, summary, labels, body, "
            f"tokenize={_sql_string(tokenizer)})")

    def add(self, docs: list[object]) -> float:
        """Index the documents; the seconds it took."""
        started = time.perf_counter()
        with self.conn:
            self.conn.executemany("INSERT INTO fts(id, title, summary, labels, body) VALUES (?,?,?,?,?)",
                                  [(d.id, *document_fields(d)) for d in docs])  # type: ignore[attr-defined]
        return time.perf_counter() - started

    def match_expression(self, query: str) -> str:
        """The FTS5 query: each word a quoted string (so no FTS5 syntax survives), OR-ed."""
        words = [w.strip(string.punctuation + "“”‘’—–") for w in query.split()]
        minimum = 3 if self.trigram else 1
        words = [w for w in words if len(w) >= minimum and re.search(r"\w", w)]
        return " OR ".join('"' + w.replace('"', '""') + '"' for w in dict.fromkeys(words))

    def search(self, query: str, limit: int = 10) -> list[str]:
        expression = self.match_expression(query)
        if not expression:
            return []
        weights = ", ".join(str(w) for w in FTS_WEIGHTS)
        return [row[0] for row in self.conn.execute(
            f"SELECT id FROM fts WHERE fts MATCH ? ORDER BY bm25(fts, 0, {weights}) LIMIT ?",
            (expression, limit))]


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


# -- metrics ---------------------------------------------------------------------------

@dataclass(slots=True)
class Query:
    text: str
    relevant: list[str]

    @property
    def short(self) -> bool:
        return len(self.text.split()) <= SHORT


def reciprocal_rank(found: list[str], relevant: set[str], k: int = 10) -> float:
    for rank, doc_id in enumerate(found[:k], 1):
        if doc_id in relevant:
            return 1.0 / rank
    return 0.0


def recall(found: list[str], relevant: set[str], k: int = 5) -> float:
    return len(set(found[:k]) & relevant) / len(relevant)


@dataclass(slots=True)
class Scores:
    mrr: float
    recall5: float
    typo_mrr: float
    typo_recall5: float

    @property
    def loss(self) -> float:
        """Percent of the clean MRR lost to typos."""
        return 100.0 * (self.mrr - self.typo_mrr) / self.mrr if self.mrr else 0.0


def evaluate(search: Callable[[str], list[str]], queries: list[Query],
             misses: list[str] | None = None, name: str = "") -> Scores:
    rr, rc, trr, trc = [], [], [], []
    for q in queries:
        relevant = set(q.relevant)
        clean = search(q.text)
        typoed = search(typo(q.text))
        rr.append(reciprocal_rank(clean, relevant))
        rc.append(recall(clean, relevant))
        trr.append(reciprocal_rank(typoed, relevant))
        trc.append(recall(typoed, relevant))
        if misses is not None and (rr[-1] < 1 or trr[-1] < rr[-1]):
            misses.append(f"{name}: {q.text!r} RR {rr[-1]:.2f} | {typo(q.text)!r} RR {trr[-1]:.2f}"
                          f" | top: {clean[:3]} / {typoed[:3]}")
    return Scores(statistics.fmean(rr), statistics.fmean(rc), statistics.fmean(trr), statistics.fmean(trc))


# -- the run ---------------------------------------------------------------------------

def load_queries() -> tuple[list[Query], list[Query], dict[str, int]]:
    data = json.loads(QUERIES.read_text(encoding="utf-8"))
    content = [Query(q["query"], q["relevant"]) for q in data["content"]["queries"]]
    generated = data["generated"]
    return content, [Query(q["query"], q["relevant"]) for q in generated["queries"]], {
        "seed": generated["seed"]}


def generated_corpus(count: int, seed: int) -> Path:
    """The generated corpus, written once into benchmarks/.data/ and reused."""
    folder = DATA / f"relevance-{count}-{seed}"
    done = folder / ".complete"
    if not done.exists():
        corpus.write(folder, count, seed)
        done.write_text("ok\n")
    return folder


def empty_database(url: str) -> None:
    """Drop lessons' tables from the benchmark's database (each corpus is indexed alone)."""
    from lessons.store.backends.postgres import PostgresBackend
    from lessons.store.schema import TABLE_NAMES

    backend = PostgresBackend.connect(url)
    backend.drop_tables(set(TABLE_NAMES))
    backend.close()


def run_corpus(label: str, folder: Path, queries: list[Query], index_dir: Path,
               verbose: bool, database: str | None = None) -> list[tuple[str, str, Scores, Scores]]:
    import lessons

    kb = lessons.load(folder, index=index_dir / f"{corpus._slug(label)}.db")
    known = set(kb.ids)
    for q in queries:
        unknown = set(q.relevant) - known
        if unknown:
            raise SystemExit(f"queries.json: {q.text!r} names unknown ids {sorted(unknown)}")
    docs = kb.documents()
    systems: list[tuple[str, Callable[[str], list[str]]]] = [
        ("lessons", lambda text: [h.document.id for h in kb.search(text, limit=10)])]
    if database:
        empty_database(database)
        shared = lessons.load(folder, database=database, source=corpus._slug(label))
        systems.append(("lessons (PostgreSQL)", lambda text: [h.document.id for h in shared.search(text, limit=10)]))
    for tokenizer in ("porter unicode61", "unicode61", "trigram"):
        fts = Fts5(tokenizer)
        fts.add(docs)
        systems.append((f"FTS5 bm25 ({tokenizer})", fts.search))
    rows = []
    misses: list[str] = []
    for name, search in systems:
        all_scores = evaluate(search, queries, misses if verbose and name == "lessons" else None, name)
        short = [q for q in queries if q.short]
        short_scores = evaluate(search, short)
        rows.append((label, name, all_scores, short_scores))
    if misses:
        print(f"\n{label}: lessons queries not ranked first or worse with typos")
        for line in misses:
            print("  " + line)
    kb.close()
    return rows


def table(rows: list[tuple[str, str, Scores, Scores]], counts: dict[str, tuple[int, int]]) -> str:
    out = ["| corpus (queries, short) | system | MRR@10 clean | MRR@10 typo'd | MRR loss | "
           "recall@5 clean | recall@5 typo'd | short: MRR clean | short: MRR typo'd | short: loss |",
           "|---|---|---|---|---|---|---|---|---|---|"]
    for label, name, s, short in rows:
        n, n_short = counts[label]
        out.append(f"| {label} ({n}, {n_short}) | {name} | {s.mrr:.3f} | {s.typo_mrr:.3f} | {s.loss:.1f}% | "
                   f"{s.recall5:.3f} | {s.typo_recall5:.3f} | {short.mrr:.3f} | {short.typo_mrr:.3f} | "
                   f"{short.loss:.1f}% |")
    return "\n".join(out)


def verdicts(rows: list[tuple[str, str, Scores, Scores]]) -> str:
    lines = ["| target | corpus | measured | met? |", "|---|---|---|---|"]
    by = {(label, name): (s, short) for label, name, s, short in rows}
    for label in dict.fromkeys(r[0] for r in rows):
        s, short = by[(label, "lessons")]
        lines.append(f"| typo'd short queries lose <= {MAX_LOSS:.0f}% MRR | {label} | {short.loss:.1f}% "
                     f"(all queries: {s.loss:.1f}%) | {'met' if short.loss <= MAX_LOSS else 'NOT met'} |")
        for tokenizer in ("porter unicode61", "unicode61"):
            base = by[(label, f"FTS5 bm25 ({tokenizer})")][0]
            ok = s.mrr >= base.mrr
            lines.append(f"| clean MRR >= FTS5 bm25 ({tokenizer}) | {label} | {s.mrr:.3f} vs {base.mrr:.3f} | "
                         f"{'met' if ok else 'NOT met'} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=2000, help="documents in the generated corpus")
    parser.add_argument("--record", action="store_true", help="append the tables to RESULTS.md")
    parser.add_argument("--verbose", action="store_true", help="list the queries lessons misses")
    parser.add_argument("--database", metavar="URL", help="also rank on PostgreSQL, in this database "
                        "(its lessons tables are dropped)")
    args = parser.parse_args(argv)

    content_queries, generated_queries, meta = load_queries()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="lessons-relevance-") as tmp:
        folder = generated_corpus(args.count, meta["seed"])
        rows = run_corpus("content/", ROOT / "content", content_queries, Path(tmp), args.verbose, args.database)
        label = f"generated ({args.count} docs, seed {meta['seed']})"
        rows += run_corpus(label, folder, generated_queries, Path(tmp), args.verbose, args.database)
    counts = {"content/": (len(content_queries), sum(q.short for q in content_queries)),
              label: (len(generated_queries), sum(q.short for q in generated_queries))}
    body = (table(rows, counts) + "\n\n" + verdicts(rows) + "\n\n"
            f"Typo'd variant: one edit (substitution, deletion, insertion or transposition, "
            f"never the first letter) in each word of 5+ letters without digits; short = at most "
            f"{SHORT} words. Example: {content_queries[0].text!r} -> {typo(content_queries[0].text)!r}. "
            f"Run took {time.perf_counter() - started:.0f} s.")
    print()
    print(body)
    if args.record:
        corpus.record("Relevance (`benchmarks/bench_relevance.py`)", body)
        print(f"\nappended to {corpus.RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
