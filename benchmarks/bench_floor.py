"""How fast can a first build in Python be? Floors beside Tantivy, in one run (issue 16).

Issue 16 asks for a first build of 10,000 post-mortems within 4x Tantivy's. Tantivy's
figure is the insert of already parsed fields (title, summary, labels, body) into its
index, in Rust; lessons' is reading the Markdown files, parsing them and writing the
index, in Python. This script measures, on the same generated corpus and in the same
run, the CPU time of:

- Tantivy's build (all its threads, as `bench_speed.py` times it);
- floors that do less than any real build of this index can do, each in a fresh
  process over every file:
  A. read, hash (SHA-256) and decode each file (an incremental sync needs the hash);
  B. A, then the words of the whole text, stemmed and counted, packed as the postings
     need them, with no Markdown read at all (`lower_chunks`, the stem table, `Counter`,
     `pack_counts`: what `store.prepare` does per field);
  C. B, then one row per document (path, hash, stems, counts, text) inserted into a
     fresh SQLite file in one transaction: the least a stored index writes;
- the parse alone: the block tokenizer (`outline_tokens`), `parse_text`, and `prepare`
  (read, parse and rows: what each parsing worker does per file);
- lessons' real first build (`lessons.load` on a fresh index, its process and workers).

It prints each as CPU seconds and as a ratio to Tantivy's CPU, and what is left of the
4x budget for reading Markdown once floor C is paid. On 2 cores a build's wall time is
at best its CPU time / 2 (the workers and the writer in parallel), so the same budget
holds for wall time against Tantivy's wall (Tantivy's writer uses both cores too).

    python benchmarks/bench_floor.py [--count 10000] [--record]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402
from bench_relevance import document_fields  # noqa: E402
from bench_speed import LOAD, in_fresh_process  # noqa: E402
from peer_tantivy import Tantivy  # noqa: E402

BUDGET = 4.0
"""Issue 16's target: a first build within this many times Tantivy's."""

# Each stage runs in a fresh interpreter over every file of the corpus and prints its CPU
# seconds. The files are read once first (not timed) so that every stage finds them in
# the page cache alike.
STAGE = """
import json, sys, time
from collections import Counter
from itertools import chain
from pathlib import Path
folder, stage, db = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
files = sorted(folder.rglob("*.md"))
for p in files:
    p.read_bytes()
from lessons.store.prepare import _STEMS, pack_counts, prepare, read_file
from lessons.store.tokenize import lower_chunks
from lessons.parsing.markdown import outline_tokens
from lessons.parsing.parse import folder_kind, parse_text

def words(text):
    counts = Counter(chain.from_iterable(map(_STEMS.__getitem__, lower_chunks(text))))
    return " ".join(counts), pack_counts(list(counts.values()))

def floor_c():
    import sqlite3
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("CREATE TABLE docs (path TEXT PRIMARY KEY, digest TEXT, stems TEXT, counts BLOB, text TEXT)")
    conn.execute("BEGIN")
    rows = []
    for p in files:
        text, digest, _ = read_file(p)
        rows.append((str(p), digest, *words(text), text))
        if len(rows) == 500:
            conn.executemany("INSERT INTO docs VALUES (?, ?, ?, ?, ?)", rows)
            rows = []
    conn.executemany("INSERT INTO docs VALUES (?, ?, ?, ?, ?)", rows)
    conn.execute("COMMIT")
    conn.close()

texts = {p: read_file(p)[0] for p in files} if stage in ("blocks", "parse") else {}
started = time.process_time()
if stage == "A":
    for p in files:
        read_file(p)
elif stage == "B":
    for p in files:
        words(read_file(p)[0])
elif stage == "C":
    floor_c()
elif stage == "blocks":
    for p in files:
        outline_tokens(texts[p])
elif stage == "parse":
    for p in files:
        parse_text(texts[p], p.relative_to(folder), default_kind=folder_kind(p, folder))
elif stage == "prepare":
    for p in files:
        prepare(p, str(p.relative_to(folder)), folder)
print(json.dumps({"cpu": time.process_time() - started}))
"""

STAGES = [
    ("A", "floor A: read, hash and decode every file"),
    ("B", "floor B: A + every word stemmed, counted and packed (no Markdown)"),
    ("C", "floor C: B + one row per document written to SQLite"),
    ("blocks", "Markdown block tokenizer alone (`outline_tokens`)"),
    ("parse", "`parse_text` alone (front matter, outline, readers)"),
    ("prepare", "`prepare`: read + parse + rows (a worker's work)"),
]


def measure(count: int, seed: int, work: Path) -> tuple[list[str], list[str]]:
    folder = work / "corpus"
    corpus.write(folder, count, seed)
    build = in_fresh_process(LOAD, str(folder))
    assert build["rebuilt"] and build["added"] == count, build
    print(f"lessons first build: {build['load']:.2f} s wall, {build['cpu']:.2f} s CPU", flush=True)

    import lessons

    kb = lessons.load(folder)
    docs = kb.documents()
    peer = Tantivy(work / "tantivy")
    cpu = time.process_time()
    tantivy_wall = peer.add((d.id, *document_fields(d)) for d in docs)
    tantivy_cpu = time.process_time() - cpu
    kb.close()
    print(f"Tantivy: {tantivy_wall:.2f} s wall, {tantivy_cpu:.2f} s CPU", flush=True)

    cpu_of: dict[str, float] = {}
    for key, label in STAGES:
        done = subprocess.run([sys.executable, "-c", STAGE, str(folder), key, str(work / f"floor-{key}.db")],
                              capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise SystemExit(f"stage {key} failed:\n{done.stderr}")
        cpu_of[key] = json.loads(done.stdout.strip().splitlines()[-1])["cpu"]
        print(f"{label}: {cpu_of[key]:.2f} s CPU", flush=True)

    budget = BUDGET * tantivy_cpu
    rows = [
        f"| what ({count:,} documents) | CPU s | / Tantivy's CPU |",
        "|---|---|---|",
        f"| Tantivy: insert of already parsed fields, commit, merges (all threads) | {tantivy_cpu:.2f} | 1 |",
        f"| issue 16's budget: {BUDGET:g}x Tantivy | {budget:.2f} | {BUDGET:g} |",
    ]
    rows += [f"| {label} | {cpu_of[key]:.2f} | {cpu_of[key] / tantivy_cpu:.2f} |" for key, label in STAGES]
    rows.append(f"| lessons' first build (`lessons.load`, process and workers) | {build['cpu']:.2f} | "
                f"{build['cpu'] / tantivy_cpu:.2f} |")
    left = budget - cpu_of["C"]
    notes = [
        f"Corpus: {count:,} generated post-mortems (seed {seed}), "
        f"{sum(f.stat().st_size for f in folder.rglob('*.md')) / 1e6:.1f} MB. Wall: lessons' first build "
        f"{build['load']:.2f} s, Tantivy's {tantivy_wall:.2f} s ({build['load'] / tantivy_wall:.1f}x).",
        f"Left of the {BUDGET:g}x budget once floor C is paid: {left:.2f} s CPU, "
        f"{max(left, 0) / count * 1000:.3f} ms per document for everything Markdown asks (front matter, "
        f"blocks, sections, readers, the document's JSON). The block tokenizer alone takes "
        f"{cpu_of['blocks'] / count * 1000:.3f} ms per document and `parse_text` "
        f"{cpu_of['parse'] / count * 1000:.3f} ms.",
    ]
    return rows, notes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=corpus.DEFAULT_SEED)
    parser.add_argument("--record", action="store_true", help="append the table to RESULTS.md")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="lessons-floor-") as tmp:
        rows, notes = measure(args.count, args.seed, Path(tmp))
    body = "\n".join(rows) + "\n\n" + "\n\n".join(notes)
    print()
    print(body)
    if args.record:
        corpus.record(f"First build floors in Python beside Tantivy, {args.count:,} documents "
                      "(`benchmarks/bench_floor.py`, issue 16)", body)
        print(f"\nappended to {corpus.RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
