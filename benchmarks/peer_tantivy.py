"""Tantivy, the peer `bench_speed.py` measures lessons against (a benchmark-only dependency).

Tantivy (https://github.com/quickwit-oss/tantivy, Python bindings on PyPI as
``tantivy``) is a Lucene-like search engine library written in Rust. Here it indexes
the same four fields lessons ranks (title, summary, labels, body; English stemming,
the ``en_stem`` tokenizer) and answers each query as lessons does: every query word
is an exact (stemmed) term, OR a fuzzy term within lessons' edit limits (one edit
from five letters, two from nine, a swap of neighbours costing one), OR, for the last
word, a prefix; the fields are boosted with lessons' weights (4, 2, 2.5, 1) and the
words OR-ed, ranked by BM25. Tantivy returns only ids and scores: its time is
compared with lessons' ids-only search.

Install with ``pip install -e '.[bench]'`` (or ``pip install tantivy``).
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

FIELDS = ("title", "summary", "labels", "body")
BOOSTS = (4.0, 2.0, 2.5, 1.0)
"""lessons' field weights (lessons.query.scoring.WEIGHTS)."""
_WORD = re.compile(r"[^\W_]+")


def edits_for(word: str) -> int:
    """lessons' typo limit: words with digits exact, one edit from 5 letters, two from 9."""
    if not word.isalpha() or len(word) < 5:
        return 0
    return 2 if len(word) >= 9 else 1


class Tantivy:
    """A Tantivy index of the four fields, in a folder (or in memory)."""

    def __init__(self, path: Path | None = None) -> None:
        import tantivy

        builder = tantivy.SchemaBuilder()
        builder.add_text_field("id", stored=True, tokenizer_name="raw")
        for name in FIELDS:
            builder.add_text_field(name, tokenizer_name="en_stem")
        self.schema = builder.build()
        if path is not None:
            path.mkdir(parents=True, exist_ok=True)
        self.index = tantivy.Index(self.schema, path=None if path is None else str(path))
        self._searcher: Any = None
        from snowballstemmer import stemmer  # type: ignore[import-untyped]  # the algorithm en_stem uses

        self._stem = stemmer("english").stemWord

    def add(self, rows: Iterable[tuple[str, str, str, str, str]]) -> float:
        """Index (id, title, summary, labels, body) rows and commit; the seconds it took."""
        import tantivy

        started = time.perf_counter()
        writer = self.index.writer(heap_size=256_000_000)
        for doc_id, *texts in rows:
            doc = tantivy.Document()
            doc.add_text("id", doc_id)
            for name, text in zip(FIELDS, texts, strict=True):
                doc.add_text(name, text)
            writer.add_document(doc)
        writer.commit()
        writer.wait_merging_threads()
        self.index.reload()
        self._searcher = self.index.searcher()
        return time.perf_counter() - started

    def query(self, text: str) -> Any:
        """Each word exact, fuzzy within lessons' limits, or (the last one) a prefix; OR-ed."""
        from tantivy import Occur, Query

        words = list(dict.fromkeys(_WORD.findall(text.lower())))
        clauses = []
        for position, word in enumerate(words):
            term = self._stem(word)
            edits = edits_for(word)
            last = position == len(words) - 1 and bool(re.search(r"\w$", text))
            for name, boost in zip(FIELDS, BOOSTS, strict=True):
                options = [Query.term_query(self.schema, name, term)]
                # Fuzzy on the word as typed and on its stem: the index holds stems, and a
                # typo'd word's stem may be further from the right one than the word is.
                options += [Query.fuzzy_term_query(self.schema, name, form, distance=edits, transposition_cost_one=True)
                            for form in dict.fromkeys((word, term)) if edits]
                if last and len(word) >= 2:
                    options.append(Query.fuzzy_term_query(self.schema, name, word, distance=0, prefix=True))
                clause = options[0] if len(options) == 1 else Query.disjunction_max_query(options)
                clauses.append((Occur.Should, Query.boost_query(clause, boost)))
        return Query.boolean_query(clauses) if clauses else Query.empty_query()

    def search(self, text: str, limit: int = 10) -> list[str]:
        """The ids of the best `limit` documents."""
        searcher = self._searcher
        hits = searcher.search(self.query(text), limit).hits
        return [searcher.doc(address)["id"][0] for _, address in hits]


# A fresh process that builds a Tantivy index from a JSON-lines file of rows and times
# queries on it, so that its peak memory is Tantivy's alone.
PROCESS = """
import json, resource, sys, time
sys.path.insert(0, sys.argv[1])
from pathlib import Path
from peer_tantivy import Tantivy, rows_from
peer = Tantivy(Path(sys.argv[2]))
cpu = time.process_time()  # every thread of the process: Tantivy's writer threads too
build = peer.add(rows_from(Path(sys.argv[3])))
cpu = time.process_time() - cpu
queries = json.loads(Path(sys.argv[4]).read_text())
for q in queries:
    peer.search(q)
times = []
for q in queries:
    t = time.perf_counter()
    peer.search(q)
    times.append((time.perf_counter() - t) * 1000)
print(json.dumps({"build": build, "cpu": cpu, "times": times,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def write_rows(docs: Iterable[object], path: Path) -> int:
    """Write documents' (id, title, summary, labels, body) as JSON lines; how many."""
    from bench_relevance import document_fields

    count = 0
    with path.open("w", encoding="utf-8") as out:
        for doc in docs:
            out.write(json.dumps([doc.id, *document_fields(doc)], ensure_ascii=False) + "\n")  # type: ignore[attr-defined]
            count += 1
    return count


def rows_from(path: Path) -> Iterable[tuple[str, str, str, str, str]]:
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            doc_id, title, summary, labels, body = json.loads(line)
            yield doc_id, title, summary, labels, body
