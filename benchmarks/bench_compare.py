"""Benchmark: this tree's reading and indexing against another revision's, in CPU seconds.

On a shared machine wall time varies more between runs than a change costs, so this
alternates base and candidate in fresh processes and counts CPU time (user + system of
the process and its parse workers, `resource.getrusage`). Three measures on the same
generated post-mortems (`bench_parse.generate`):

- ``parse``: `parse_text` of every file in one process;
- ``build``: `lessons.load` from an empty index, then every document read back;
- ``reopen``: `lessons.load` of the unchanged index, then every document read back
  (`document_from_dict` for each).

The base is a folder holding another revision's ``lessons`` package, e.g.::

    mkdir /tmp/base && git archive main lessons | tar -x -C /tmp/base
    python benchmarks/bench_compare.py /tmp/base --count 2000 --rounds 5

Each tree indexes its own copy of the files (their index versions may differ).
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
CHILD = r'''
import json, resource, shutil, sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])

def cpu():
    own, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime

folder, what = Path(sys.argv[2]), sys.argv[3]
if what == "parse":
    from lessons.parsing.parse import parse_text
    texts = [(path.name, path.read_text(encoding="utf-8")) for path in sorted(folder.rglob("*.md"))]
    start = cpu()
    for name, text in texts:
        parse_text(text, Path(name))
else:
    import lessons
    if what == "build":
        shutil.rmtree(folder / ".lessons", ignore_errors=True)
    start = cpu()
    lessons.load(folder).documents()
print(json.dumps(cpu() - start))
'''
MEASURES = ("parse", "build", "reopen")


def measure(tree: Path, folder: Path, what: str) -> float:
    """CPU seconds of one measure, in a fresh process importing `lessons` from `tree`."""
    done = subprocess.run([sys.executable, "-c", CHILD, str(tree), str(folder), what],
                          capture_output=True, text=True, check=True, cwd=tempfile.gettempdir())
    return float(json.loads(done.stdout))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("base", type=Path, help="a folder holding the base revision's `lessons` package")
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(HERE))
    from bench_parse import generate

    trees = {"base": args.base.resolve(), "this tree": HERE.parent}
    scratch = Path(tempfile.mkdtemp(prefix="bench_compare_"))
    try:
        generate(scratch / "base", args.count)
        shutil.copytree(scratch / "base", scratch / "this tree")
        runs: dict[tuple[str, str], list[float]] = {(name, what): [] for name in trees for what in MEASURES}
        for _ in range(args.rounds):
            for what in MEASURES:
                for name, tree in trees.items():  # alternated, so load on the machine falls on both
                    runs[(name, what)].append(measure(tree, scratch / name, what))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print(f"{args.count} generated post-mortems, CPU seconds, median of {args.rounds} alternated runs")
    print("| measure | base | this tree | ratio |\n|---|---|---|---|")
    for what in MEASURES:
        base, this = (statistics.median(runs[(name, what)]) for name in trees)
        print(f"| {what} | {base:.3f} s | {this:.3f} s | {this / base:.3f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
