"""What the recurrence rule adds to `lessons check` on generated post-mortems (CPU time).

Writes ``--count`` generated post-mortems (benchmarks/corpus.py), opens them, and times
`recurrence_problems` over every post-mortem (a whole-base `lessons check`) and over the
newest one alone (a `--changed` check of one new file), in process CPU time so that other
work on a shared machine does not count::

    python benchmarks/bench_recurrence.py --count 10000 [--record]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402

import lessons  # noqa: E402
from lessons.checks.recurrence import recurrence_problems  # noqa: E402

RUNS = 5


def _cpu(work: object) -> float:
    start = time.process_time()
    work()  # type: ignore[operator]
    return time.process_time() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--record", action="store_true", help="append the result to benchmarks/RESULTS.md")
    args = parser.parse_args(argv)
    today = date(2026, 11, 30)
    with tempfile.TemporaryDirectory() as tmp:
        kb = lessons.load(corpus.write(Path(tmp) / "kb", args.count))
        docs = list(kb)
        newest = [docs[0]]
        found = recurrence_problems(kb, docs, today=today)
        whole = [_cpu(lambda: recurrence_problems(kb, docs, today=today)) for _ in range(RUNS)]
        one = [_cpu(lambda: recurrence_problems(kb, newest, today=today)) for _ in range(RUNS)]
        kb.close()
    body = (f"- task: `recurrence_problems` on {args.count:,} generated post-mortems, {RUNS} runs each, "
            "process CPU time\n"
            f"- every post-mortem judged (a whole-base check): median **{statistics.median(whole):.3f} s** "
            f"({len(found):,} findings: the generated services and causes repeat often)\n"
            f"- the newest alone (`check --changed` with one new file): median "
            f"**{1000 * statistics.median(one):.1f} ms** (the index of earlier incidents by service and day "
            "is built each call)")
    print(body)
    if args.record:
        corpus.record("The recurrence rule (`benchmarks/bench_recurrence.py`)", body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
