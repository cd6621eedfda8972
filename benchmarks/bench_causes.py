"""Causes suggested from text (`KnowledgeBase.suggest_causes`), leave-one-out on content/.

Each labelled post-mortem of this repository's ``content/`` is held out in turn: its
``causes:`` are hidden (and its cause ids are taken out of its text, where one post-mortem
names the cause it records), causes are suggested for it from the other post-mortems and
the taxonomy, and the suggestions are compared with the causes it really names.

The baseline suggests the causes the *other* post-mortems name most often, the same list
for every document. Reported: precision@k and recall@k for k = 1, 3, 5 (recall@k is the
share of the document's causes among the first k suggestions), averaged over documents,
and the CPU time per suggestion::

    python benchmarks/bench_causes.py [--verbose]
"""

from __future__ import annotations

import argparse
import platform
import re
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

import lessons  # noqa: E402
from lessons.query.causes import most_common_causes  # noqa: E402

KS = (1, 3, 5)


def precision(found: list[str], relevant: set[str], k: int) -> float:
    return len(set(found[:k]) & relevant) / k


def recall(found: list[str], relevant: set[str], k: int) -> float:
    return len(set(found[:k]) & relevant) / len(relevant)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--verbose", action="store_true", help="print each document's suggestions")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        kb = lessons.load(ROOT / "content", index=Path(tmp) / "index.db")
        labelled = [doc for doc in kb.postmortems if doc.causes]
        ids = re.compile("|".join(re.escape(c) for c in kb.taxonomy.causes))
        scores: dict[str, dict[str, list[float]]] = {"lessons": {}, "most common causes": {}}
        cpu = 0.0
        for doc in labelled:
            truth = set(doc.causes)
            hidden = replace(doc, causes=[], text=ids.sub(" ", doc.text), body=ids.sub(" ", doc.body))
            start = time.process_time()
            found = [s.cause for s in kb.suggest_causes(hidden, limit=max(KS))]
            cpu += time.process_time() - start
            baseline = most_common_causes([d for d in labelled if d.id != doc.id], limit=max(KS))
            for system, ranked in (("lessons", found), ("most common causes", baseline)):
                for k in KS:
                    scores[system].setdefault(f"P@{k}", []).append(precision(ranked, truth, k))
                    scores[system].setdefault(f"R@{k}", []).append(recall(ranked, truth, k))
            if args.verbose:
                print(f"{doc.id}: {sorted(truth)}\n  lessons:  {found[:3]}\n  baseline: {baseline[:3]}")
        kb.close()

    print(f"## {time.strftime('%Y-%m-%d')} — Causes suggested from text (`benchmarks/bench_causes.py`)\n")
    print(f"Machine: {platform.machine()}, {platform.system()} {platform.release()}, Python "
          f"{platform.python_version()}; {len(labelled)} labelled post-mortems of content/, "
          f"{len(kb.taxonomy.causes)} causes, leave-one-out.\n")
    columns = [f"{m}@{k}" for k in KS for m in ("P", "R")]
    print("| system | " + " | ".join(c.replace("P@", "precision@").replace("R@", "recall@") for c in columns) + " |")
    print("|---" * (len(columns) + 1) + "|")
    for system, table in scores.items():
        print(f"| {system} | " + " | ".join(f"{statistics.mean(table[c]):.3f}" for c in columns) + " |")
    print(f"\nCPU time per suggestion: {1000 * cpu / max(len(labelled), 1):.1f} ms.")
    ours, base = scores["lessons"], scores["most common causes"]
    for column in ("P@3", "R@3"):
        verdict = "beats" if statistics.mean(ours[column]) > statistics.mean(base[column]) else "does NOT beat"
        print(f"- {column}: lessons {verdict} the baseline "
              f"({statistics.mean(ours[column]):.3f} vs {statistics.mean(base[column]):.3f})")


if __name__ == "__main__":
    main()
