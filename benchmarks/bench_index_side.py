"""Benchmark: the index side of a first build (rows and writer), this tree against another revision's.

Everything of a first build that is not parsing, in CPU seconds, base and candidate
alternated in fresh processes (the machine may be shared):

- ``rows``: `prepare._rows` over parsed documents in one process (the tokenising,
  counting and JSON a worker does after parsing), after a warm-up pass over them;
- ``writer``: a whole first build in worker processes (`lessons.load` from an empty
  index): the main process's CPU (taking results in, inserting, committing), and the
  workers' beside it.

Usage (the base is a folder holding another revision's ``lessons`` package)::

    mkdir /tmp/base && git archive main lessons | tar -x -C /tmp/base
    python benchmarks/bench_index_side.py /tmp/base --folder /tmp/c10k --rounds 3
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
CHILD = r'''
import json, resource, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
folder, what, scratch = Path(sys.argv[2]), sys.argv[3], Path(sys.argv[4])
if what == "rows":
    from lessons.parsing.parse import folder_kind, parse_text
    from lessons.store import prepare
    files = sorted(folder.rglob("*.md"))[:int(sys.argv[5])]
    docs = [parse_text(p.read_text(encoding="utf-8"), p.relative_to(folder), default_kind=folder_kind(p, folder))
            for p in files]
    # The worker's way of asking for each word once: a flag now, a set of sent words before.
    once = True if hasattr(prepare, "forget_chunks") else set()
    for doc in docs:  # warm, as a worker is after its first documents
        prepare._rows(doc, "0" * 64, once)
    start = time.process_time()
    for doc in docs:
        prepare._rows(doc, "0" * 64, once)
    print(json.dumps({"rows": time.process_time() - start}))
else:
    import lessons
    start = time.perf_counter()
    lessons.load(folder, index=scratch / "index.db").close()
    own, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    print(json.dumps({"writer": own.ru_utime + own.ru_stime, "workers": workers.ru_utime + workers.ru_stime,
                      "wall": time.perf_counter() - start}))
'''


def measure(tree: Path, folder: Path, what: str, count: int) -> dict[str, float]:
    """One measure in a fresh process importing `lessons` from `tree`."""
    with tempfile.TemporaryDirectory(prefix="bench_index_side_") as scratch:
        done = subprocess.run([sys.executable, "-c", CHILD, str(tree), str(folder), what, scratch, str(count)],
                              capture_output=True, text=True, check=True, cwd=scratch)
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("base", type=Path, help="a folder holding the base revision's `lessons` package")
    parser.add_argument("--folder", type=Path, required=True, help="a content folder (benchmarks/corpus.py)")
    parser.add_argument("--rows", type=int, default=2000, help="documents for the rows measure")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    import os

    trees = {"base": args.base.resolve(), "this tree": HERE.parent}
    runs: dict[tuple[str, str], list[float]] = {}
    for _ in range(args.rounds):
        for what in ("rows", "build"):
            for name, tree in trees.items():  # alternated, so load on the machine falls on both
                for key, value in measure(tree, args.folder.resolve(), what, args.rows).items():
                    runs.setdefault((name, key), []).append(value)
    files = sum(1 for _ in args.folder.rglob("*.md"))
    print(f"{files} files in {args.folder}; rows over {args.rows}; CPU seconds (wall for 'wall'), median of "
          f"{args.rounds} alternated runs; load average {os.getloadavg()[0]:.2f} at the end")
    print("| measure | base | this tree | ratio |\n|---|---|---|---|")
    for key in ("rows", "writer", "workers", "wall"):
        base, this = (statistics.median(runs[(name, key)]) for name in trees)
        print(f"| {key} | {base:.3f} s | {this:.3f} s | {this / base:.3f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
