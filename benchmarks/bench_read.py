"""Reading every search result: ``to_dict()`` of each hit, before and after a change, in turns.

What ``lessons search --json``, the MCP server and a bot that shows its hits pay: the
search, then the document, snippet and reasons of each of the ten results. Two worker
processes load the same generated corpus (10,000 post-mortems by default), one with the
package of this checkout and one with the package of a baseline commit (extracted with
``git archive``); the queries of ``bench_speed`` are sent to them in turns, query by
query, so that the load of a shared machine falls on both alike. Each worker reports the
CPU time (``time.process_time``) of the search alone (ids) and of reading every result,
and a digest of what it read: the two must agree, result for result.

Then ``lessons search --json`` on this repository's ``content/`` as a whole process,
baseline and candidate in turns (CPU time of the child, ``RUSAGE_CHILDREN``).

``--profile`` prints instead a cProfile of reading every result with this checkout::

    python benchmarks/bench_read.py --baseline 880a8bc [--count 10000] [--record]
    python benchmarks/bench_read.py --profile
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402
from bench_speed import percentile, speed_queries  # noqa: E402

TARGET_P50_MS = 10.0
PARTS = ("ids", "document", "snippet", "why", "to_dict")
"""The search, then each part of reading its results, timed one after the other."""
CACHE = Path(tempfile.gettempdir()) / "lessons-bench-read"


def worker(folder: str) -> None:
    """Answer queries from stdin, one JSON line each, with CPU times and a digest of the results."""
    import lessons

    print(json.dumps({"ready": lessons.__file__, "count": len(lessons.load(folder).ids)}), flush=True)
    kb = lessons.load(folder)
    for line in sys.stdin:
        query = json.loads(line)
        marks = [time.process_time()]
        hits = kb.search(query)
        marks.append(time.process_time())
        # What to_dict reads, part by part: the documents, the snippets, the reasons.
        for part in ("document", "snippet", "why"):
            for hit in hits:
                getattr(hit, part)
            marks.append(time.process_time())
        rows = [hit.to_dict() for hit in hits]
        marks.append(time.process_time())
        digest = hashlib.sha256(json.dumps(rows, ensure_ascii=False).encode()).hexdigest()
        parts = {name: (marks[i + 1] - marks[i]) * 1000 for i, name in enumerate(PARTS)}
        print(json.dumps({"ids": parts["ids"], "read": (marks[-1] - marks[0]) * 1000, **parts,
                          "digest": digest}), flush=True)


class Worker:
    """A worker process running the package found under `tree`."""

    def __init__(self, tree: Path, folder: Path) -> None:
        env = {**os.environ, "PYTHONPATH": str(tree)}
        self.process = subprocess.Popen([sys.executable, __file__, "--worker", str(folder)], env=env,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        ready = self._reply()
        if not str(ready["ready"]).startswith(str(tree)):
            raise SystemExit(f"the worker for {tree} imported {ready['ready']}")

    def _reply(self) -> dict[str, Any]:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            raise SystemExit("a worker died")
        reply: dict[str, Any] = json.loads(line)
        return reply

    def ask(self, query: str) -> dict[str, Any]:
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps(query) + "\n")
        self.process.stdin.flush()
        return self._reply()

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait()


def baseline_tree(commit: str) -> Path:
    """The ``lessons`` package of `commit`, extracted once under the cache folder."""
    sha = subprocess.run(["git", "rev-parse", commit], cwd=ROOT, capture_output=True, text=True,
                         check=True).stdout.strip()
    tree = CACHE / f"base-{sha[:12]}"
    if not (tree / "lessons").is_dir():
        tree.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(["git", "archive", "--format=tar", sha, "lessons"], cwd=ROOT,
                                 capture_output=True, check=True).stdout
        with tempfile.TemporaryFile() as tmp:
            tmp.write(archive)
            tmp.seek(0)
            with tarfile.open(fileobj=tmp) as tar:
                tar.extractall(tree, filter="data")
    return tree


def generated(count: int, seed: int) -> Path:
    """The generated corpus, written once per size and seed (its index is built by the first load)."""
    folder = CACHE / f"corpus-{count}-{seed}"
    if not (folder / "taxonomy.yml").exists():
        corpus.write(folder, count, seed)
    return folder


Times = dict[str, dict[str, list[float]]]


def in_turns(trees: dict[str, Path], folder: Path, queries: list[str], rounds: int) -> Times:
    """CPU milliseconds per query of each tree, the trees taking turns on each query."""
    workers = {name: Worker(tree, folder) for name, tree in trees.items()}
    times: Times = {name: {kind: [] for kind in ("read", *PARTS)} for name in trees}
    try:
        for query in queries:  # one untimed pass, and the check that both read the same
            digests = {name: w.ask(query)["digest"] for name, w in workers.items()}
            if len(set(digests.values())) != 1:
                raise SystemExit(f"the results differ for {query!r}")
        for _ in range(rounds):
            for query in queries:
                for name, w in workers.items():
                    reply = w.ask(query)
                    for kind, values in times[name].items():
                        values.append(reply[kind])
    finally:
        for w in workers.values():
            w.close()
    return times


CLI = """
import sys
import lessons
if not lessons.__file__.startswith(sys.argv[1]):
    raise SystemExit(f"imported {lessons.__file__}, not the package of {sys.argv[1]}")
from lessons.cli import main
sys.argv = ["lessons", *sys.argv[2:]]
main()
"""


def cli_in_turns(trees: dict[str, Path], runs: int) -> dict[str, list[float]]:
    """CPU milliseconds of ``lessons search --json`` on ``content/``, the trees taking turns."""
    out: dict[str, list[float]] = {name: [] for name in trees}
    for n in range(runs + 1):
        for name, tree in trees.items():
            command = [sys.executable, "-c", CLI, str(tree), "search", "--json", "--content", str(ROOT / "content"),
                       "contactless", "payments", "failing"]
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            # Run in the tree: `python -c` puts the working folder first on the path.
            subprocess.run(command, cwd=tree, env={**os.environ, "PYTHONPATH": str(tree)}, capture_output=True,
                           check=True)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            if n:  # the first run of each warms the index
                out[name].append((after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime) * 1000)
    return out


def profile(folder: Path, queries: list[str]) -> None:
    """A cProfile of reading every result with this checkout's package."""
    import cProfile
    import pstats

    import lessons

    kb = lessons.load(folder)
    for query in queries:
        [hit.to_dict() for hit in kb.search(query)]
    profiler = cProfile.Profile()
    profiler.enable()
    for query in queries:
        [hit.to_dict() for hit in kb.search(query)]
    profiler.disable()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=corpus.DEFAULT_SEED)
    parser.add_argument("--baseline", default="HEAD", help="the commit to compare with (default HEAD)")
    parser.add_argument("--rounds", type=int, default=1, help="timed passes over the queries")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--record", action="store_true", help="append the table to RESULTS.md")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        worker(args.worker)
        return 0
    folder = generated(args.count, args.seed)
    queries = [q for _, q in speed_queries()]
    if args.profile:
        profile(folder, queries)
        return 0
    trees = {"baseline": baseline_tree(args.baseline), "candidate": ROOT}
    times = in_turns(trees, folder, queries, args.rounds)
    cli = cli_in_turns(trees, 5)
    rows = ["| measure (CPU ms) | baseline | candidate | target |", "|---|---|---|---|"]
    for label, kind in (("search, ids only, p50 / p95", "ids"), ("search, reading every result, p50 / p95", "read")):
        cells = [f"{percentile(times[n][kind], 50):.2f} / {percentile(times[n][kind], 95):.2f}" for n in trees]
        target = f"≤ {TARGET_P50_MS:.0f} ms p50" if kind == "read" else "—"
        rows.append(f"| {label} | {cells[0]} | {cells[1]} | {target} |")
    for kind, label in (("document", "the ten documents"), ("snippet", "the ten snippets"),
                        ("why", "the ten results' reasons")):
        cells = [f"{percentile(times[n][kind], 50):.2f} / {percentile(times[n][kind], 95):.2f}" for n in trees]
        rows.append(f"| of which {label}, p50 / p95 | {cells[0]} | {cells[1]} | — |")
    cells = [f"{sorted(cli[n])[len(cli[n]) // 2]:.0f}" for n in trees]
    rows.append(f"| `lessons search --json` on content/, median of 5 | {cells[0]} | {cells[1]} | — |")
    note = (f"{args.count:,} generated post-mortems (seed {args.seed}), the {len(queries)} queries of "
            f"bench_speed × {args.rounds}; baseline `{args.baseline}`, candidate this checkout, in turns "
            f"query by query in two worker processes; both read the same results (digests compared).")
    print("\n".join(rows) + "\n\n" + note)
    if args.record:
        corpus.record("Reading every result (bench_read)", "\n".join(rows) + "\n\n" + note)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
