"""Benchmark: the parser's own part of `parse_text` (all but markdown-it), stage by stage.

`parse_text` is markdown-it's ``md.parse`` plus the work of this project: the front matter's
fields, the outline walk and every reader of `lessons.parsing.readers.READERS`. This script
times each of them in CPU seconds (`time.process_time`, so that other work on a shared machine
weighs less) on the generated corpus (`benchmarks/corpus.py`) and on the real documents of
``content/`` and ``tests/cases/``::

    python benchmarks/bench_readers.py                       # this tree, 2,000 generated + real
    python benchmarks/bench_readers.py --base /tmp/base      # and a base tree's `lessons`, interleaved
    python benchmarks/bench_readers.py --base /tmp/base --identity   # the same documents read?

With ``--base``, each round runs the base and this tree one after the other in fresh
processes (the order alternating), so load on the machine falls on both alike; the
medians of "ours" (parse_text minus markdown-it's tokens) and of "stage" (parse_text minus
the front matter's YAML and fields: markdown, the outline and the readers, the stage
issue #16 item 3 makes faster) and their ratios are printed. A tree whose `parse_text`
reads through ``markdown.outline_tokens`` has that timed as its tokens, else ``md.parse``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import random
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def _texts(which: str, count: int) -> list[tuple[str, str]]:
    if which == "generated":
        sys.path.insert(0, str(ROOT / "benchmarks"))
        import corpus

        return list(corpus.documents(count))
    files = sorted([*ROOT.glob("content/**/*.md"), *ROOT.glob("tests/cases/*.md")])
    texts = [(str(f), f.read_text(encoding="utf-8")) for f in files]
    return (texts * (count // max(1, len(texts)) + 1))[:count]


def digests(count: int) -> dict[str, str]:
    """One SHA-256 per corpus over what `parse_text` gives (run inside the tree checked).

    Per document: `Document.to_dict` (sections, timeline, action items, durations …), and
    the problems, stated durations, timeline moments and timeline events besides, or the
    error a case is meant to raise. Corpora: both generators of the benchmarks, content/,
    tests/cases/ and the foreign folders.
    """
    import hashlib

    from lessons.errors import LessonsError
    from lessons.parsing.parse import parse_text

    sys.path.insert(0, str(ROOT / "benchmarks"))
    import bench_parse
    import corpus

    rng = random.Random(7)
    files = {name: sorted(ROOT.glob(pattern)) for name, pattern in (
        ("content/", "content/**/*.md"), ("tests/cases/", "tests/cases/**/*.md"),
        ("foreign folders", "tests/data/foreign/*/*.md"))}
    corpora = {
        "corpus.py": list(corpus.documents(count, seed=7)),
        "bench_parse.py": [bench_parse.postmortem(n, rng) for n in range(count)],
        **{name: [(str(path.relative_to(ROOT)), path.read_text(encoding="utf-8")) for path in paths]
           for name, paths in files.items()},
    }
    found = {}
    for name, texts in corpora.items():
        digest = hashlib.sha256()
        for path, text in texts:
            try:
                doc = parse_text(text, path)
            except LessonsError as error:
                digest.update(f"error {error}".encode())
                continue
            if doc is not None:
                seen = (doc.to_dict(), doc.notes.problems, doc.stated_durations, doc.timeline_moments, doc.timeline)
                digest.update(json.dumps(seen, sort_keys=True, default=repr).encode())
            digest.update(b"\0")
        found[f"{name} ({len(texts)})"] = digest.hexdigest()
    return found


def _timed(cost: dict[str, float], key: str, function: Callable[..., Any]) -> Callable[..., Any]:
    def run(*args: Any, **kwargs: Any) -> Any:
        start = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            cost[key] += time.process_time() - start

    run.__name__ = getattr(function, "__name__", key)
    return run


def _parse_all(texts: list[tuple[str, str]]) -> float:
    from lessons.errors import LessonsError
    from lessons.parsing.parse import parse_text

    start = time.process_time()
    for name, text in texts:
        with contextlib.suppress(LessonsError):  # a case that is meant to be refused
            parse_text(text, name)
    return time.process_time() - start


def measure(which: str, count: int) -> dict[str, float]:
    """CPU seconds of each stage of parsing `count` documents (run inside the tree measured).

    "ours" is timed with only markdown-it's ``md.parse`` wrapped (two clock reads a document);
    the stages are timed in another pass, where the clock reads of every stage add their cost.
    """
    from lessons.parsing import fields, frontmatter, outline, readers
    from lessons.parsing import markdown as markdown_module

    texts = _texts(which, count)
    cost: dict[str, float] = defaultdict(float)
    if hasattr(markdown_module, "outline_tokens"):
        markdown_module.outline_tokens = _timed(cost, "md.parse", markdown_module.outline_tokens)
    else:
        md = markdown_module.markdown()
        md.parse = _timed(cost, "md.parse", md.parse)  # type: ignore[method-assign]
    load_front_matter, read_fields = frontmatter.load_front_matter, fields.read_fields
    frontmatter.load_front_matter = _timed(cost, "yaml", load_front_matter)  # type: ignore[assignment]
    fields.read_fields = _timed(cost, "fields", read_fields)  # type: ignore[assignment]
    for _ in range(2):  # the first round warms caches and imports; the second is measured
        cost.clear()
        total = _parse_all(texts)
    found = {"total": total, "md.parse": cost["md.parse"], "ours": total - cost["md.parse"],
             "stage": total - cost["yaml"] - cost["fields"]}
    frontmatter.load_front_matter, fields.read_fields = load_front_matter, read_fields  # type: ignore[assignment]
    outline.read_outline = _timed(cost, "outline", outline.read_outline)  # type: ignore[assignment]
    fields.read_fields = _timed(cost, "fields", fields.read_fields)  # type: ignore[assignment]
    frontmatter.load_front_matter = _timed(cost, "front matter (YAML)", frontmatter.load_front_matter)  # type: ignore[assignment]
    readers.READERS[:] = [_timed(cost, reader.__name__, reader) for reader in readers.READERS]
    cost.clear()
    _parse_all(texts)
    del cost["md.parse"]
    found["ours without YAML"] = found["ours"] - cost["front matter (YAML)"]
    return found | dict(cost)


def _run(tree: Path, which: str, count: int) -> dict[str, float]:
    code = (f"import sys; sys.path.insert(0, {str(tree)!r}); sys.path.insert(1, {str(ROOT / 'benchmarks')!r});"
            f"import bench_readers, json; print(json.dumps(bench_readers.measure({which!r}, {count})))")
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True, cwd="/")
    return dict(json.loads(out.stdout))


def _identity(base: Path | None, count: int) -> int:
    trees = [("this", ROOT)] + ([("base", base)] if base else [])
    found = {}
    for name, tree in trees:
        code = (f"import sys; sys.path.insert(0, {str(tree)!r}); sys.path.insert(1, {str(ROOT / 'benchmarks')!r});"
                f"import bench_readers, json; print(json.dumps(bench_readers.digests({count})))")
        out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True, cwd="/")
        found[name] = dict(json.loads(out.stdout))
    for corpus_name, digest in found["this"].items():
        other = found.get("base", {}).get(corpus_name)
        verdict = "" if other is None else " identical" if other == digest else f" DIFFERENT (base {other[:16]})"
        print(f"  {corpus_name:28s} {digest[:16]}{verdict}")
    return 0 if all(found["base"][k] == v for k, v in found["this"].items()) or base is None else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--base", type=Path, help="a folder holding the base revision's `lessons` package")
    parser.add_argument("--identity", action="store_true",
                        help="only compare what this tree and the base read (`digests`), no timing")
    args = parser.parse_args(argv)
    if args.identity:
        return _identity(args.base, args.count)
    for which in ("generated", "real"):
        runs: dict[str, list[dict[str, float]]] = {"this": [], "base": []}
        for round_ in range(args.rounds):
            order = [("this", ROOT), ("base", args.base)] if args.base else [("this", ROOT)]
            for name, tree in order if round_ % 2 == 0 else order[::-1]:
                runs[name].append(_run(tree, which, args.count))
        this = {key: statistics.median(run.get(key, 0.0) for run in runs["this"]) for key in runs["this"][0]}
        print(f"\n{which}: {args.count} documents, median of {args.rounds} (CPU seconds)")
        for key, seconds in sorted(this.items(), key=lambda item: -item[1]):
            print(f"  {key:28s} {seconds:7.3f}")
        if args.base:
            for key in ("md.parse", "outline", "ours", "ours without YAML", "stage"):
                base = statistics.median(run[key] for run in runs["base"])
                print(f"  {key} per document: base {base / args.count * 1000:.3f} ms, this "
                      f"{this[key] / args.count * 1000:.3f} ms; base / this = {base / this[key]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
