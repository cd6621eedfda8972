"""Benchmark: the front-matter stage of `parse_text` alone, in CPU seconds.

The stage is what `parse_text` does with a document's front matter once markdown-it has
cut it out: `load_front_matter` (YAML text -> entries with their lines), `read_fields`
(entries -> typed fields and findings) and `parse._settle_ambiguous_date`. It is timed on
three sets of front matter, cut out beforehand and so not timed:

- ``generated``: the generated corpus of `benchmarks/corpus.py` (seed 7, as the 10,000
  document build uses);
- ``content``: every document of ``content/``;
- ``foreign``: the real-world layouts under ``tests/data/foreign`` and ``tests/cases``.

Each round runs every tree in a fresh process, one after the other, so that load on a
shared machine falls on all alike; the median CPU time per set and the ratios are printed::

    python benchmarks/bench_frontmatter.py                          # this tree alone
    python benchmarks/bench_frontmatter.py --base /tmp/base6 --rounds 7
    python benchmarks/bench_frontmatter.py --base /tmp/base6 --check --random 20000   # same output?

The small sets are read several times over (``--passes``) so their times are not noise;
every pass of a process after its first finds the caches of the stage warm, as a parse
worker does after its first few hundred documents.
"""

from __future__ import annotations

import argparse
import json
import pickle
import random
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CHILD = r'''
import json, pickle, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from lessons.errors import ParseError
from lessons.parsing.fields import read_fields
from lessons.parsing.frontmatter import load_front_matter
from lessons.parsing.parse import _settle_ambiguous_date

with open(sys.argv[2], "rb") as handle:
    sets = pickle.load(handle)
passes = json.loads(sys.argv[3])
out = {}
if sys.argv[4] == "check":  # what the stage makes of each front matter, to compare between trees
    import hashlib
    for name, items in sets.items():
        digest = hashlib.sha256()
        for _ in range(2):  # twice: the second time with every cache of the stage warm
            for path, text in items:
                try:
                    entries = load_front_matter(text, Path(path), 2)
                except ParseError as exc:
                    digest.update(repr(exc.to_problem()).encode())
                    continue
                fields = read_fields(entries, Path(path))
                _settle_ambiguous_date(entries, fields, Path(path))
                digest.update(repr((entries, fields)).encode())
        out[name] = digest.hexdigest()
    print(json.dumps(out))
    raise SystemExit
for name, items in sets.items():
    items = [(Path(path), text) for path, text in items]
    start = time.process_time()
    for _ in range(passes[name]):
        for path, text in items:
            try:
                entries = load_front_matter(text, path, 2)
            except ParseError:
                continue
            fields = read_fields(entries, path)
            _settle_ambiguous_date(entries, fields, path)
    out[name] = time.process_time() - start
print(json.dumps(out))
'''


def front_matters(count: int) -> dict[str, list[tuple[str, str]]]:
    """The front matter of each set's documents, as markdown-it cuts it out: ``(path, text)``."""
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import corpus

    from lessons.parsing.markdown import markdown

    def cut(documents: list[tuple[str, str]]) -> list[tuple[str, str]]:
        found = []
        for path, text in documents:
            tokens = markdown().parse(text.replace("\r\n", "\n").replace("\r", "\n"))
            if tokens and tokens[0].type == "front_matter":
                found.append((path, tokens[0].content))
        return found

    def files(*patterns: str) -> list[tuple[str, str]]:
        paths = sorted({path for pattern in patterns for path in ROOT.glob(pattern)})
        return [(str(path), path.read_text(encoding="utf-8", errors="replace")) for path in paths]

    return {
        "generated": cut(list(corpus.documents(count, seed=7))),
        "content": cut(files("content/**/*.md")),
        "foreign": cut(files("tests/data/foreign/**/*.md", "tests/cases/**/*.md")),
    }


def measure(tree: Path, sets_file: Path, passes: dict[str, int], what: str = "time") -> dict[str, Any]:
    """CPU seconds per set (or with ``what="check"``, a digest of the output), in a fresh process
    importing `lessons` from `tree`."""
    done = subprocess.run([sys.executable, "-c", CHILD, str(tree), str(sets_file), json.dumps(passes), what],
                          capture_output=True, text=True, check=True, cwd=tempfile.gettempdir())
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", type=Path, help="a folder holding another revision's `lessons` package")
    parser.add_argument("--count", type=int, default=2000, help="generated documents")
    parser.add_argument("--passes", type=int, default=10, help="passes over content/ and the foreign sets")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--random", type=int, default=0,
                        help="and this many random front matters of tests/test_frontfast.py (for --check)")
    parser.add_argument("--check", action="store_true", help="compare the output of the trees instead")
    args = parser.parse_args(argv)
    sets = front_matters(args.count)
    passes = {"generated": 1, "content": args.passes, "foreign": args.passes}
    trees = {"this tree": ROOT}
    if args.base:
        trees = {"base": args.base.resolve(), **trees}
    runs: dict[str, dict[str, list[float]]] = {name: {which: [] for which in sets} for name in trees}
    if args.random:
        sys.path.insert(0, str(ROOT / "tests"))
        from test_frontfast import random_front_matter

        rng = random.Random(args.random)
        sets["random"] = [("doc.md", random_front_matter(rng, rng.randint(0, 14))) for _ in range(args.random)]
    with tempfile.NamedTemporaryFile(suffix=".pickle") as handle:
        pickle.dump(sets, handle)
        handle.flush()
        if args.check:
            digests = {name: measure(tree, Path(handle.name), passes, "check") for name, tree in trees.items()}
            for which in sets:
                same = len({found[which] for found in digests.values()}) == 1
                print(f"{which}: {len(sets[which])} front matters, {'the same' if same else 'DIFFERENT'} output")
            return 0 if all(len({found[which] for found in digests.values()}) == 1 for which in sets) else 1
        for round_number in range(args.rounds):
            order = list(trees.items())
            for name, tree in order if round_number % 2 == 0 else reversed(order):
                for which, seconds in measure(tree, Path(handle.name), passes).items():
                    runs[name][which].append(seconds)
    print(f"front-matter stage (load_front_matter + read_fields), CPU seconds, median of {args.rounds} rounds")
    print("| set | documents x passes | " + " | ".join(trees) + (" | ratio |" if args.base else " |"))
    print("|---|---|" + "---|" * (len(trees) + bool(args.base)))
    for which, items in sets.items():
        medians = [statistics.median(runs[name][which]) for name in trees]
        ratio = f" {medians[0] / medians[-1]:.2f}x |" if args.base else ""
        cells = " | ".join(f"{seconds:.3f} s" for seconds in medians)
        print(f"| {which} | {len(items)} x {passes[which]} | {cells} |{ratio}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
