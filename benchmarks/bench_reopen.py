"""Benchmark: what a process pays to open an existing index and answer its first search.

A bot or a deploy script that shells out to ``lessons search`` opens the index anew on
every call. This measures, alternating a base tree and this one in fresh processes (on a
shared machine wall time varies more between runs than a change costs):

- ``cli``: ``python -m lessons search … --json`` end to end (wall, and CPU of the process);
- ``reopen``: `lessons.load` of the unchanged index in a fresh process (CPU and wall);
- ``first``: then its first search, every result read (`to_dict`).

Each tree opens its own copy of the index, built once from the content folder (a tree that
writes what the other does not know, such as the stamp beside the index, would otherwise
make each run look like the first after someone else's write). One run of each is made and
dropped before the measured rounds. ``--unverified`` removes the stamp before each of this
tree's runs: the cost of opening a file this library has not vouched for.

    python benchmarks/bench_reopen.py /tmp/base7 /tmp/c10k --work /tmp/reopen --rounds 5
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
QUERY = "payments timeout after deploy"
CHILD = r'''
import json, sys, time
start_wall, start_cpu = time.perf_counter(), time.process_time()
import lessons
kb = lessons.load(sys.argv[1])
opened_wall, opened_cpu = time.perf_counter(), time.process_time()
[hit.to_dict() for hit in kb.search(sys.argv[2])]
print(json.dumps({"reopen": opened_cpu - start_cpu, "reopen_wall": opened_wall - start_wall,
                  "first": time.process_time() - opened_cpu, "first_wall": time.perf_counter() - opened_wall}))
'''


def run_child(tree: Path, content: Path, index: Path, *, cli: bool) -> dict[str, float]:
    """One fresh process of `tree` on its own copy of the index: its timings."""
    env = dict(os.environ, PYTHONPATH=str(tree), LESSONS_INDEX=str(index))
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as a user runs it: compiled modules are cached
    cwd = index.parent  # not a tree: `-c` and `-m` put the working directory first on the path
    if not cli:
        out = subprocess.run([sys.executable, "-c", CHILD, str(content), QUERY], env=env, check=True,
                             capture_output=True, text=True, cwd=cwd).stdout
        return {key: float(value) for key, value in json.loads(out).items()}
    before = os.times()
    wall = time.perf_counter()
    subprocess.run([sys.executable, "-m", "lessons", "search", *QUERY.split(), "--json", "--content", str(content)],
                   env=env, check=True, capture_output=True, cwd=cwd)
    wall = time.perf_counter() - wall
    after = os.times()
    return {"cli": wall, "cli_cpu": (after.children_user - before.children_user)
            + (after.children_system - before.children_system)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("base", type=Path, help="a folder holding another revision's lessons package")
    parser.add_argument("content", type=Path, help="a content folder (already indexed or not)")
    parser.add_argument("--work", type=Path, required=True, help="where each tree's copy of the index goes")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--unverified", action="store_true",
                        help="remove this tree's stamp before each run (a file it has not vouched for)")
    parser.add_argument("--no-cli", action="store_true", help="skip the whole-command measure")
    args = parser.parse_args(argv)
    trees = {"base": args.base.resolve(), "this": HERE.parent}
    indexes = {name: args.work / name / "index.db" for name in trees}
    first = next((path for path in indexes.values() if path.is_file()), None)
    for name, tree in trees.items():
        indexes[name].parent.mkdir(parents=True, exist_ok=True)
        if not indexes[name].is_file():
            if first is not None:
                shutil.copyfile(first, indexes[name])
            run_child(tree, args.content, indexes[name], cli=False)  # builds it, or brings it up to date
            first = first or indexes[name]
        run_child(tree, args.content, indexes[name], cli=False)  # dropped: the first after a copy
    runs: dict[str, list[dict[str, float]]] = {name: [] for name in trees}
    for _ in range(args.rounds):
        for name, tree in trees.items():
            if args.unverified and name == "this":
                Path(f"{indexes[name]}-verified").unlink(missing_ok=True)
            timings = run_child(tree, args.content, indexes[name], cli=False)
            if not args.no_cli:
                timings |= run_child(tree, args.content, indexes[name], cli=True)
            runs[name].append(timings)
    print(f"{args.content}: median of {args.rounds} alternated rounds, load {os.getloadavg()[0]:.1f}")
    print("| measure | base | this tree | ratio |\n|---|---|---|---|")
    for measure in runs["this"][0]:
        base = statistics.median(r[measure] for r in runs["base"])
        mine = statistics.median(r[measure] for r in runs["this"])
        print(f"| {measure} | {base:.3f} s | {mine:.3f} s | {mine / base:.2f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
