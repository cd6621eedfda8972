"""Speed: the targets of issue 3, measured beside SQLite FTS5 on the same corpus.

On a generated corpus of post-mortems (``corpus.py``, 10,000 by default, written to
a temporary folder) this measures, in one run:

- ``kb.search`` p50/p95 warm over a few hundred queries (clean, typo'd, prefix);
  ``kb.similar`` p50; the same queries against SQLite FTS5 with a word-level
  (``porter unicode61``) and a ``trigram`` tokenizer over the same documents;
- the first index build, reopening an unchanged index and re-syncing one changed
  file, each timed around ``lessons.load`` in a fresh process;
- ``import lessons`` (fresh process, median of 5) and ``lessons search`` as a whole
  process on this repository's ``content/`` (warm index, median of 5).

``--large`` measures instead, at 100,000 documents, the build and then ``search``
p50 and peak memory (``ru_maxrss``) of a process doing load + searches. That takes
several minutes; run it in the background::

    python benchmarks/bench_speed.py [--count 10000] [--record]
    nohup python benchmarks/bench_speed.py --large --record > /tmp/large.log 2>&1 &
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402
from bench_relevance import Fts5, document_fields, typo  # noqa: E402
from peer_tantivy import PROCESS as TANTIVY_PROCESS  # noqa: E402
from peer_tantivy import Tantivy  # noqa: E402

ROOT = HERE.parent
TARGETS = {
    "search_p50": 5.0, "search_p95": 20.0, "similar_p50": 20.0, "build": 20.0, "reopen": 1.0,
    "changed": 1.0, "import": 150.0, "cli": 0.6, "large_p50": 50.0, "large_rss": 1024.0,
    # Issue 16: against Tantivy in the same run.
    "tantivy_p50_ratio": 2.0, "tantivy_build_ratio": 4.0,
}

# -- queries -------------------------------------------------------------------------

WORDS = [
    "outage", "latency", "timeout", "deadlock", "failover", "certificate", "expired", "cron",
    "migration", "rollback", "configuration", "deploy", "release", "disk", "memory", "leak",
    "connection", "pool", "exhausted", "retry", "storm", "cache", "redis", "kafka", "postgresql",
    "elasticsearch", "kubernetes", "dns", "network", "partition", "load", "balancer", "health",
    "check", "queue", "backlog", "webhook", "password", "reset", "email", "quota", "capacity",
    "traffic", "spike", "campaign", "monitoring", "alert", "muted", "schema", "library", "upgrade",
    "credentials", "token", "logs", "scheduler", "replica", "primary", "promotion", "heap",
]


def speed_queries(n: int = 300, seed: int = 11) -> list[tuple[str, str]]:
    """``(kind, query)``: a third clean, a third typo'd, a third prefix (last word cut short)."""
    data = json.loads((HERE / "queries.json").read_text(encoding="utf-8"))
    labelled = [q["query"] for q in data["generated"]["queries"]]
    rng = random.Random(seed)
    clean: list[str] = list(labelled)
    while len(clean) < n // 3:
        parts = rng.sample(WORDS, rng.randint(1, 3))
        if rng.random() < 0.5:
            parts.append(rng.choice(corpus.SERVICES + corpus.ERRORS + corpus.REGIONS))
        rng.shuffle(parts)
        clean.append(" ".join(parts))
    clean = clean[:n // 3]
    typoed = [typo(q) for q in clean]
    prefix = []
    for q in clean:
        words = q.split()
        last = words[-1]
        cut = last[:max(2, min(len(last) - 1, rng.randint(2, 5)))]
        prefix.append(" ".join(words[:-1] + [cut]))
    return ([("clean", q) for q in clean] + [("typo", q) for q in typoed]
            + [("prefix", q) for q in prefix])


# -- timing helpers --------------------------------------------------------------------

def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * p / 100
    low = int(k)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def time_each(fn: Callable[[str], object], items: list[str], warm: bool = True) -> list[float]:
    """Milliseconds per call; one untimed pass first when `warm`."""
    if warm:
        for item in items:
            fn(item)
    out = []
    for item in items:
        started = time.perf_counter()
        fn(item)
        out.append((time.perf_counter() - started) * 1000)
    return out


def interleaved(fns: dict[str, Callable[[str], object]], items: list[str]) -> dict[str, list[float]]:
    """Milliseconds per call of each function, the functions taking turns on each item.

    The machine is shared: taking turns query by query, every system meets the same load.
    One untimed pass of all of them first.
    """
    for item in items:
        for fn in fns.values():
            fn(item)
    out: dict[str, list[float]] = {name: [] for name in fns}
    for item in items:
        for name, fn in fns.items():
            started = time.perf_counter()
            fn(item)
            out[name].append((time.perf_counter() - started) * 1000)
    return out


def in_fresh_process(code: str, *args: str, env: dict[str, str] | None = None) -> dict:  # type: ignore[type-arg]
    """Run Python code in a new interpreter; it prints one JSON object last."""
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          env=env, check=False)
    if done.returncode != 0:
        raise SystemExit(f"subprocess failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


LOAD = """
import json, resource, sys, time
started = time.perf_counter()
import lessons
imported = time.perf_counter()
def cpu_time():
    # This process's CPU time and its finished children's (the parsing workers).
    own, children = (resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime
cpu = cpu_time()
kb = lessons.load(sys.argv[1])
loaded = time.perf_counter()
cpu = cpu_time() - cpu
stats = kb.last_sync
first = time.perf_counter()
hits = kb.search("connection pool exhausted")
searched = time.perf_counter()
print(json.dumps({"import": imported - started, "load": loaded - imported, "cpu": cpu,
                  "first_search": searched - first, "added": stats.added, "updated": stats.updated,
                  "unchanged": stats.unchanged, "rebuilt": stats.rebuilt, "hits": len(hits),
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

SEARCHES = """
import json, resource, sys, time
from pathlib import Path
import lessons

def rss():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

queries = json.loads(sys.argv[2])
started = time.perf_counter()
kb = lessons.load(sys.argv[1])
loaded = time.perf_counter() - started
for q in queries:
    [hit.to_dict() for hit in kb.search(q)]
times, shown = [], []
for q in queries:
    t = time.perf_counter()
    [hit.id for hit in kb.search(q)]
    times.append((time.perf_counter() - t) * 1000)
    t = time.perf_counter()
    [hit.to_dict() for hit in kb.search(q)]
    shown.append((time.perf_counter() - t) * 1000)
after_search = rss()
stems = sorted(p.stem for p in Path(sys.argv[1], "postmortems").glob("*.md"))
similar = []
for doc_id in stems[:: max(1, len(stems) // 30)][:30]:
    t = time.perf_counter()
    kb.similar(doc_id)
    similar.append((time.perf_counter() - t) * 1000)
after_similar = rss()
t = time.perf_counter()
count = len(kb.ids)
all_docs = time.perf_counter() - t
print(json.dumps({"load": loaded, "times": times, "shown": shown, "similar": similar, "rss_search": after_search,
                  "rss_similar": after_similar, "rss_all_docs": rss(), "all_docs": all_docs,
                  "count": count}))
"""

ROWS = """
import json, sys
sys.path.insert(0, sys.argv[3])
from pathlib import Path
import lessons
from peer_tantivy import write_rows
kb = lessons.load(sys.argv[1])
# One document at a time: the rows of 100,000 documents, never all of them in memory.
docs = (kb.index._document(doc_id, data, source)
        for doc_id, data, source in kb.index.conn.execute("SELECT id, data, source FROM documents"))
print(json.dumps({"rows": write_rows(docs, Path(sys.argv[2]))}))
"""

IMPORT = """
import json, time
started = time.perf_counter()
import lessons
imported = time.perf_counter()
lessons.load, lessons.KnowledgeBase, lessons.Document
print(json.dumps({"import": imported - started, "api": time.perf_counter() - started}))
"""


# -- the 10k run -----------------------------------------------------------------------

def run_standard(count: int, seed: int, work: Path) -> tuple[list[list[str]], list[str]]:
    notes: list[str] = []
    folder = work / "corpus"
    started = time.perf_counter()
    corpus.write(folder, count, seed)
    notes.append(f"Generating {count:,} post-mortems took {time.perf_counter() - started:.1f} s "
                 f"({sum(f.stat().st_size for f in folder.rglob('*.md')) / 1e6:.1f} MB of Markdown).")
    print(notes[-1], flush=True)

    build = in_fresh_process(LOAD, str(folder))
    assert build["rebuilt"] and build["added"] == count, build
    print(f"first build: {build['load']:.2f} s, peak {build['rss_mb']:.0f} MB", flush=True)
    reopen = [in_fresh_process(LOAD, str(folder)) for _ in range(3)]
    assert all(r["unchanged"] == count and not r["updated"] for r in reopen), reopen
    reopen_s = statistics.median(r["load"] for r in reopen)
    first_search = statistics.median(r["first_search"] for r in reopen)
    changed = []
    victim = sorted((folder / "postmortems").glob("*.md"))[count // 2]
    for n in range(3):
        text = victim.read_text(encoding="utf-8")
        victim.write_text(text.replace("## Resolution\n\n", f"## Resolution\n\nEdit {n}: checked again. ", 1),
                          encoding="utf-8")
        result = in_fresh_process(LOAD, str(folder))
        assert result["updated"] == 1, result
        changed.append(result["load"])
    changed_s = statistics.median(changed)
    print(f"reopen {reopen_s:.3f} s, changed file {changed_s:.3f} s", flush=True)

    import lessons

    kb = lessons.load(folder)
    queries = speed_queries()
    texts = [q for _, q in queries]
    docs = kb.documents()
    peer = Tantivy(work / "tantivy")
    tantivy_cpu = time.process_time()
    tantivy_build = peer.add((d.id, *document_fields(d)) for d in docs)
    tantivy_cpu = time.process_time() - tantivy_cpu
    print(f"Tantivy build {tantivy_build:.2f} s", flush=True)
    # What a bot reads (ids), what the CLI's --json reads (everything), and Tantivy (ids).
    timed = interleaved({"ids": lambda q: [hit.id for hit in kb.search(q)],
                         "shown": lambda q: [hit.to_dict() for hit in kb.search(q)],
                         "tantivy": peer.search}, texts)
    search_ms, shown_ms, tantivy_ms = timed["ids"], timed["shown"], timed["tantivy"]
    by_kind = {kind: [t for (k, _), t in zip(queries, search_ms, strict=True) if k == kind]
               for kind in ("clean", "typo", "prefix")}
    by_kind_tantivy = {kind: [t for (k, _), t in zip(queries, tantivy_ms, strict=True) if k == kind]
                       for kind in ("clean", "typo", "prefix")}
    ids = kb.ids[::max(1, len(kb.ids) // 60)][:60]
    similar_ms = time_each(lambda i: kb.similar(i), ids)
    alert = ("payments-api returning HTTP 503 in eu-west-1, connection pool exhausted on the "
             "primary PostgreSQL cluster after a deploy")
    similar_text_ms = time_each(lambda t: kb.similar(t), [alert] * 10)
    kb.close()
    print(f"search p50 {percentile(search_ms, 50):.2f} ms (Tantivy {percentile(tantivy_ms, 50):.2f} ms), "
          f"similar p50 {percentile(similar_ms, 50):.2f} ms", flush=True)

    fts_rows = {}
    for tokenizer in ("porter unicode61", "trigram"):
        fts = Fts5(tokenizer, str(work / f"fts-{tokenizer.split()[0]}.db"))
        build_s = fts.add(docs)
        ms = time_each(fts.search, texts)
        fts_rows[tokenizer] = (build_s, ms)
        fts.conn.close()

    import_runs = [in_fresh_process(IMPORT) for _ in range(5)]
    imports = [r["import"] * 1000 for r in import_runs]
    import_ms = statistics.median(imports)
    api_ms = statistics.median(r["api"] * 1000 for r in import_runs)

    cli = shutil.which("lessons") or str(Path(sys.executable).parent / "lessons")
    command = [cli, "search", "--content", str(ROOT / "content"), "contactless", "payments", "failing"]
    subprocess.run(command, capture_output=True, check=True)  # warm the index
    cli_s = []
    for _ in range(5):
        started = time.perf_counter()
        subprocess.run(command, capture_output=True, check=True)
        cli_s.append(time.perf_counter() - started)
    cli_median = statistics.median(cli_s)

    word_build, word_ms = fts_rows["porter unicode61"]
    tri_build, tri_ms = fts_rows["trigram"]

    def met(value: float, target: float) -> str:
        return "met" if value <= target else "**not met**"

    p50, p95 = percentile(search_ms, 50), percentile(search_ms, 95)
    sim50 = percentile(similar_ms, 50)
    t50, t95 = percentile(tantivy_ms, 50), percentile(tantivy_ms, 95)
    p50_ratio, build_ratio = p50 / t50, build["load"] / tantivy_build
    rows = [
        ["search p50 (warm, 300 queries; ids and scores)", "<= 5 ms", f"{p50:.2f} ms", met(p50, 5),
         f"{t50:.2f} ms", f"{percentile(word_ms, 50):.2f} ms", f"{percentile(tri_ms, 50):.2f} ms"],
        ["search p95 (warm)", "<= 20 ms", f"{p95:.2f} ms", met(p95, 20), f"{t95:.2f} ms",
         f"{percentile(word_ms, 95):.2f} ms", f"{percentile(tri_ms, 95):.2f} ms"],
        ["search p50 / p95, reading every result (`to_dict`: document, snippet, why)", "—",
         f"{percentile(shown_ms, 50):.2f} / {percentile(shown_ms, 95):.2f} ms", "", "—", "—", "—"],
        ["search p50, lessons / Tantivy (#16)", "<= 2", f"{p50_ratio:.2f}", met(p50_ratio, 2), "1", "—", "—"],
        ["similar p50 (by id, 60 documents)", "<= 20 ms", f"{sim50:.2f} ms", met(sim50, 20), "—", "—", "—"],
        ["first index build (`lessons.load`, fresh index)", "<= 20 s", f"{build['load']:.2f} s",
         met(build["load"], 20), f"{tantivy_build:.2f} s (insert only)", f"{word_build:.2f} s (insert only)",
         f"{tri_build:.2f} s (insert only)"],
        ["first build, lessons / Tantivy (#16)", "<= 4", f"{build_ratio:.2f}", met(build_ratio, 4), "1", "—", "—"],
        ["reopen unchanged index (fresh process)", "<= 1 s", f"{reopen_s:.3f} s", met(reopen_s, 1), "—", "—", "—"],
        ["one changed file re-synced (fresh process)", "<= 1 s", f"{changed_s:.3f} s", met(changed_s, 1),
         "—", "—", "—"],
        ["`import lessons` (median of 5)", "<= 150 ms", f"{import_ms:.1f} ms", met(import_ms, 150), "—", "—",
         "—"],
        ["`lessons search` whole process, content/ (median of 5)", "<= 0.6 s", f"{cli_median:.3f} s",
         met(cli_median, 0.6), "—", "—", "—"],
    ]
    table = [f"Corpus: {count:,} generated post-mortems (seed {seed}).", "",
             "| measure | target | lessons | met? | Tantivy | FTS5 porter unicode61 | FTS5 trigram |",
             "|---|---|---|---|---|---|---|"] + ["| " + " | ".join(r) + " |" for r in rows]
    details = [
        "| detail | value |", "|---|---|",
        *[f"| search p50 / p95, {kind} queries ({len(ms)}) | {percentile(ms, 50):.2f} / {percentile(ms, 95):.2f} ms |"
          for kind, ms in by_kind.items()],
        *[f"| Tantivy p50 / p95, {kind} queries | {percentile(ms, 50):.2f} / {percentile(ms, 95):.2f} ms |"
          for kind, ms in by_kind_tantivy.items()],
        f"| search max | {max(search_ms):.1f} ms |",
        f"| similar p95 (by id) | {percentile(similar_ms, 95):.2f} ms |",
        f"| similar p50 (free text alert, 25 words) | {percentile(similar_text_ms, 50):.2f} ms |",
        f"| first search in a fresh process (after load) | {first_search * 1000:.0f} ms |",
        f"| peak memory of the first build process | {build['rss_mb']:.0f} MB |",
        f"| first build CPU time, lessons (process and parsing workers) / Tantivy (all threads) | "
        f"{build['cpu']:.2f} s / {tantivy_cpu:.2f} s (ratio {build['cpu'] / tantivy_cpu:.2f}) |",
        f"| `import lessons` runs | {', '.join(f'{v:.1f}' for v in imports)} ms |",
        f"| `import lessons` + resolving `lessons.load`, `KnowledgeBase`, `Document` (median) | {api_ms:.0f} ms |",
        f"| `lessons search` runs | {', '.join(f'{v:.3f}' for v in cli_s)} s |",
    ]
    notes.append("Search times of lessons, Tantivy and lessons reading every result were taken in turns, "
                 "query by query, in one process, so that the shared machine's load falls on all alike. "
                 "Tantivy's build is the insert of already parsed documents into an on-disk index (its "
                 "writer's threads, commit and merges), as FTS5's is; lessons' build reads and parses the "
                 "Markdown files. Tantivy's queries: see `benchmarks/peer_tantivy.py`.")
    notes.append("Lessons times are around the library call (`lessons.load`, `kb.search`, `kb.similar`); "
                 "FTS5 build is only the INSERT of already parsed documents (title, summary, labels, body) "
                 "into an on-disk table, and its queries are the OR of the quoted query words ranked by "
                 "bm25(); typo'd and prefix queries are passed to FTS5 as they are.")
    return table + [""] + details, notes


# -- the 100k run ----------------------------------------------------------------------

def run_large(count: int, seed: int, work: Path) -> tuple[list[str], list[str]]:
    folder = work / "corpus"
    started = time.perf_counter()
    corpus.write(folder, count, seed)
    generated = time.perf_counter() - started
    print(f"generated {count:,} in {generated:.0f} s", flush=True)
    build = in_fresh_process(LOAD, str(folder))
    print(f"build {build['load']:.1f} s, peak {build['rss_mb']:.0f} MB", flush=True)
    texts = [q for _, q in speed_queries(150)]
    result = in_fresh_process(SEARCHES, str(folder), json.dumps(texts))
    p50, p95 = percentile(result["times"], 50), percentile(result["times"], 95)
    print(f"lessons p50 {p50:.2f} ms", flush=True)
    rows_file, queries_file = work / "rows.jsonl", work / "queries.json"
    in_fresh_process(ROWS, str(folder), str(rows_file), str(HERE))
    queries_file.write_text(json.dumps(texts), encoding="utf-8")
    peer = in_fresh_process(TANTIVY_PROCESS, str(HERE), str(work / "tantivy"), str(rows_file), str(queries_file))
    t50, t95 = percentile(peer["times"], 50), percentile(peer["times"], 95)
    print(f"Tantivy build {peer['build']:.1f} s, p50 {t50:.2f} ms, peak {peer['rss_mb']:.0f} MB", flush=True)
    ratio = p50 / t50
    peak = max(result["rss_search"], result["rss_similar"])
    ok = "met" if p50 <= TARGETS["large_p50"] else "**not met**"
    ok_rss = "met" if peak <= TARGETS["large_rss"] else "**not met**"
    ok_build_rss = "met" if build["rss_mb"] <= TARGETS["large_rss"] else "**not met**"
    lines = [
        f"Corpus: {count:,} generated post-mortems (seed {seed}); generated in {generated:.0f} s.", "",
        "| measure | target | lessons | met? | Tantivy |", "|---|---|---|---|---|",
        f"| search p50 (warm, {len(texts)} queries: clean, typo'd, prefix; ids) | <= 50 ms | {p50:.2f} ms | {ok} "
        f"| {t50:.2f} ms |",
        f"| search p50, lessons / Tantivy (#16) | <= 2 | {ratio:.2f} | {'met' if ratio <= 2 else '**not met**'} "
        f"| 1 |",
        f"| search p50 / p95 reading every result (`to_dict`) | — | {percentile(result['shown'], 50):.2f} / "
        f"{percentile(result['shown'], 95):.2f} ms | | — |",
        f"| peak memory, process doing load + searches + similar (ru_maxrss) | <= 1 GB | {peak:.0f} MB "
        f"(after searches {result['rss_search']:.0f} MB) | {ok_rss} | {peer['rss_mb']:.0f} MB (build + searches) |",
        f"| peak memory, process doing the first build (ru_maxrss) | <= 1 GB | {build['rss_mb']:.0f} MB "
        f"| {ok_build_rss} | |",
        f"| search p95 | — | {p95:.2f} ms | | {t95:.2f} ms |",
        f"| similar p50 (by id, 30 documents) | — | {percentile(result['similar'], 50):.1f} ms | | — |",
        f"| first index build | — | {build['load']:.1f} s | | {peer['build']:.1f} s (insert only) |",
        f"| first build, lessons / Tantivy | — | {build['load'] / peer['build']:.2f} | | 1 |",
        f"| first build CPU time (lessons: process and parsing workers; Tantivy: all threads) | — | "
        f"{build['cpu']:.1f} s | | {peer['cpu']:.1f} s |",
        f"| reopen (load in the search process) | — | {result['load']:.2f} s | | — |",
        f"| then `kb.ids` (reads every document from the index) | — | {result['all_docs']:.1f} s, "
        f"peak {result['rss_all_docs']:.0f} MB | | — |",
    ]
    notes = ["lessons and Tantivy ran one after the other in fresh processes (lessons first); Tantivy's "
             "process builds its index from the parsed documents' fields (a JSON-lines file) and then "
             "times the same queries, so its peak memory is its build's and its searches'."]
    return lines, notes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=None,
                        help="documents (default 10,000; 100,000 with --large)")
    parser.add_argument("--seed", type=int, default=corpus.DEFAULT_SEED)
    parser.add_argument("--large", action="store_true", help="the 100,000-document measurements")
    parser.add_argument("--record", action="store_true", help="append the table to RESULTS.md")
    args = parser.parse_args(argv)
    count = args.count or (100_000 if args.large else 10_000)
    with tempfile.TemporaryDirectory(prefix="lessons-speed-") as tmp:
        if args.large:
            lines, notes = run_large(count, args.seed, Path(tmp))
            title = f"Speed at {count:,} documents (`benchmarks/bench_speed.py --large`)"
        else:
            table, notes = run_standard(count, args.seed, Path(tmp))
            lines = table
            title = f"Speed at {count:,} documents (`benchmarks/bench_speed.py`)"
    body = "\n".join(lines) + ("\n\n" + "\n\n".join(notes) if notes else "")
    print()
    print(body)
    if args.record:
        corpus.record(title, body)
        print(f"\nappended to {corpus.RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
