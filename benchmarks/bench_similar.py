"""Relevance of "similar past incidents": `KnowledgeBase.similar()` against judgments.

``benchmarks/similar_judgments.json`` holds, for a set of post-mortems in this
repository's ``content/``, the other post-mortems a reader would want to be shown
as "we have seen this before", with the shared mechanism that makes each one
relevant. They were written by reading the documents, before looking at what
`similar()` returns.

For each judged post-mortem this reports MRR@10, precision@3 and recall@5 for

- ``lessons``: ``kb.similar(id, limit=10)``;
- a "more like this" baseline: SQLite FTS5 ``bm25()`` (``porter unicode61``, same
  field weights as lessons) queried with the OR of the words of the post-mortem's
  title, summary and labels;
- a label baseline: other post-mortems ranked by the Jaccard overlap of their
  causes, services and tags (newest first among equals);

all in the same run::

    python benchmarks/bench_similar.py [--record] [--verbose]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402
from bench_relevance import Fts5, document_fields, reciprocal_rank, recall  # noqa: E402

ROOT = HERE.parent
JUDGMENTS = HERE / "similar_judgments.json"


def precision(found: list[str], relevant: set[str], k: int = 3) -> float:
    return len(set(found[:k]) & relevant) / k


def load_judgments() -> dict[str, list[str]]:
    data = json.loads(JUDGMENTS.read_text(encoding="utf-8"))
    return {j["query"]: list(j["relevant"]) for j in data["judgments"]}


def label_ranking(docs: list) -> Callable[[str], list[str]]:  # type: ignore[type-arg]
    labels = {d.id: {f"cause:{c}" for c in d.causes} | {f"service:{s}" for s in d.services}
              | {f"tag:{t}" for t in d.tags} for d in docs}
    newest = sorted(docs, key=lambda d: (d.date is None, d.date), reverse=True)

    def rank(doc_id: str) -> list[str]:
        mine = labels[doc_id]
        scored = [((len(mine & labels[d.id]) / len(mine | labels[d.id])) if mine | labels[d.id] else 0.0, d.id)
                  for d in newest if d.id != doc_id]
        return [i for score, i in sorted(scored, key=lambda pair: -pair[0]) if score > 0]

    return rank


def evaluate(system: Callable[[str], list[str]], judgments: dict[str, list[str]]) -> dict[str, float]:
    rr, p3, r5 = [], [], []
    for query, relevant in judgments.items():
        found = [i for i in system(query) if i != query]
        wanted = set(relevant)
        rr.append(reciprocal_rank(found, wanted))
        p3.append(precision(found, wanted))
        r5.append(recall(found, wanted))
    return {"MRR@10": statistics.mean(rr), "P@3": statistics.mean(p3), "R@5": statistics.mean(r5)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--record", action="store_true", help="append the table to benchmarks/RESULTS.md")
    parser.add_argument("--verbose", action="store_true", help="print each judged post-mortem's results")
    args = parser.parse_args(argv)

    import lessons

    judgments = load_judgments()
    with tempfile.TemporaryDirectory(prefix="lessons-similar-") as tmp:
        kb = lessons.load(ROOT / "content", index=Path(tmp) / "index.db")
        postmortems = kb.postmortems
        unknown = sorted({i for q, rel in judgments.items() for i in [q, *rel]} - {d.id for d in postmortems})
        if unknown:
            print(f"judgments name post-mortems that do not exist: {', '.join(unknown)}", file=sys.stderr)
            return 2
        fts = Fts5("porter unicode61")
        fts.add(postmortems)
        by_id = {d.id: d for d in postmortems}

        def more_like_this(doc_id: str) -> list[str]:
            title, summary, labels, _ = document_fields(by_id[doc_id])
            return fts.search(f"{title} {summary} {labels}", limit=11)

        systems: dict[str, Callable[[str], list[str]]] = {
            "lessons `similar()`": lambda doc_id: [r.document.id for r in kb.similar(doc_id, limit=10)],
            "FTS5 bm25, title + summary + labels as the query": more_like_this,
            "Jaccard overlap of causes, services, tags": label_ranking(postmortems),
        }
        scores = {name: evaluate(system, judgments) for name, system in systems.items()}
        if args.verbose:
            for query, relevant in judgments.items():
                print(f"\n{query}\n  judged: {', '.join(relevant)}")
                for name, system in systems.items():
                    found = [i for i in system(query) if i != query][:5]
                    marks = " ".join(("✔ " if i in relevant else "  ") + i for i in found)
                    print(f"  {name[:22]:22}: {marks}")
        kb.close()

    pairs = sum(len(r) for r in judgments.values())
    lines = [f"{len(judgments)} judged post-mortems of `content/`, {pairs} relevant pairs "
             f"(`benchmarks/similar_judgments.json`).", "",
             "| system | MRR@10 | precision@3 | recall@5 |", "|---|---|---|---|"]
    lines += [f"| {name} | {s['MRR@10']:.3f} | {s['P@3']:.3f} | {s['R@5']:.3f} |" for name, s in scores.items()]
    ours = scores["lessons `similar()`"]
    for name, s in list(scores.items())[1:]:
        lines.append("")
        lines.append(f"Against {name}: MRR ratio {ours['MRR@10'] / s['MRR@10']:.2f}, "
                     f"recall@5 ratio {ours['R@5'] / s['R@5']:.2f}." if s["MRR@10"] and s["R@5"] else
                     f"Against {name}: the baseline found nothing relevant.")
    table = "\n".join(lines)
    print(table)
    if args.record:
        corpus.record("Similar past incidents (`benchmarks/bench_similar.py`)", table)
        print(f"recorded in {corpus.RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
