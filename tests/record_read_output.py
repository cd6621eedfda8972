"""Record what reading every search result gives, for ``tests/test_read_output.py``.

The record holds the queries and, for each, ``to_dict()`` of every result of
``search`` (and of ``similar`` for some documents), on this repository's ``content/``
and on a small corpus from ``benchmarks/corpus.py``. The test compares the code of the
day with it byte for byte, so that making snippets and reasons cheaper cannot change them.

Rerun it only for an intended change of what results show (a different snippet, a new
reason), and say so in the commit: ``python -m tests.record_read_output``. It was first
recorded from the code before snippets and reasons were made cheaper (issue 16).
"""

from __future__ import annotations

import hashlib
import json
import random
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RECORD = Path(__file__).resolve().parent / "data" / "read_output.json"
CORPUS_COUNT = 300
CORPUS_SEED = 7
EXTRA_QUERIES = [
    "payments declined", "contactles paymnets", "rollback deploy", "certificate exp", "us-east-1",
    "HTTP 503", "ORA-00060", "s3", "leap second", "regex backtracking cpu", "dns", "the a of",
    "database deleted backup", "config push outage", "migration failed customers locked out",
    "retry storm", "expired certificate mTLS", "cron daylight saving", "rolback", "deplo",
]


def corpus_module():  # type: ignore[no-untyped-def]
    """``benchmarks/corpus.py``, the generator of the benchmarks' post-mortems."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import corpus

    return corpus


def folder_sha256(folder: Path) -> str:
    """One SHA-256 over the Markdown files' names and contents (the corpus the record is of)."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*.md")):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def variants(queries: list[str], seed: int) -> list[str]:
    """The queries, each also with a typo (two letters swapped) and cut short (search as you type)."""
    rng = random.Random(seed)
    out = list(queries)
    for query in queries:
        words = query.split()
        i = rng.randrange(len(words))
        word = words[i]
        if len(word) > 4:
            j = rng.randrange(1, len(word) - 1)
            words[i] = word[:j] + word[j + 1] + word[j] + word[j + 2:]
            out.append(" ".join(words))
        last = query.split()[-1]
        if len(last) > 3:
            out.append(" ".join([*query.split()[:-1], last[:rng.randint(2, len(last) - 1)]]))
    return list(dict.fromkeys(out))


def outputs(folder: Path, queries: list[str], every: int) -> dict[str, object]:
    """``to_dict()`` of every result (and `similar` to every `every`-th document), the folder's
    path replaced by ``<root>`` and the source's name by ``<source>``."""
    import lessons

    kb = lessons.load(folder, index=":memory:")
    similar_to = kb.ids[::every]
    prefix = str(folder)

    def shown(hits: list[lessons.SearchResult]) -> list[dict[str, object]]:
        rows = [hit.to_dict() for hit in hits]
        for row in rows:
            row["path"] = str(row["path"]).replace(prefix, "<root>", 1)
            row["source"] = "<source>" if row["source"] else ""  # named after the checkout's folder
        return rows

    try:
        return {"queries": queries, "similar_to": similar_to,
                "search": {q: shown(kb.search(q)) for q in queries},
                "similar": {i: shown(kb.similar(i, kind=None)) for i in similar_to}}
    finally:
        kb.close()


def content_queries() -> list[str]:
    """The labelled queries over ``content/`` of the relevance benchmark, and a few more."""
    data = json.loads((ROOT / "benchmarks" / "queries.json").read_text(encoding="utf-8"))
    return variants([q["query"] for q in data["content"]["queries"]] + EXTRA_QUERIES, seed=1)


def generated_queries() -> list[str]:
    """The labelled queries over the generated corpus, and words of incident language."""
    data = json.loads((ROOT / "benchmarks" / "queries.json").read_text(encoding="utf-8"))
    corpus = corpus_module()
    rng = random.Random(2)
    made = [" ".join(rng.sample(corpus.SERVICES + corpus.ERRORS + corpus.REGIONS, 2)) for _ in range(10)]
    return variants([q["query"] for q in data["generated"]["queries"]] + made, seed=3)


def record() -> dict[str, object]:
    """The record: outputs on ``content/`` and on the generated corpus (with its hash)."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = corpus_module().write(Path(tmp) / "corpus", CORPUS_COUNT, CORPUS_SEED)
        generated = outputs(folder, generated_queries(), every=30)
        generated["corpus_sha256"] = folder_sha256(folder)
    return {"about": __doc__.split("\n\n")[0], "corpus": {"count": CORPUS_COUNT, "seed": CORPUS_SEED},
            "content": outputs(ROOT / "content", content_queries(), every=4), "generated": generated}


def main() -> None:
    RECORD.write_text(json.dumps(record(), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {RECORD.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
