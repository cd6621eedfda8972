"""Benchmark: markdown-it's stage of the parse, with and without the fast block tokenizer.

For each corpus: the share of documents that `lessons.parsing.fastblock` reads (the rest
it declines to markdown-it's block rules), then CPU seconds (`time.process_time`) of

- ``blocks``: the block stage alone, `block_tokens` against markdown-it's ``block.parse``;
- ``md.parse``: the whole markdown-it call, `markdown()` against `markdown(fast_blocks=False)`
  (both with the parser's inline shortcut);
- ``parse_text``: the whole reading of a document (front matter, outline, readers);
- ``tokens + outline``: the outline (`read_outline`) from the fast path's markdown-it tokens
  (``markdown().parse``) against the same from its light records (`outline_tokens`), the
  way `parse_text` reads since session 6: the "without" column is then the fast path with
  ``Token`` objects, not markdown-it's block rules.

Variants alternate within each round, so load on the shared machine falls on both; the
figure is the median of the rounds. Corpora: the generated post-mortems of
``corpus.py`` and of ``bench_parse.py``, ``content/``, ``tests/cases/`` and the foreign
folders of tests/test_foreign_folders.py::

    python benchmarks/bench_markdown.py --count 2000 --rounds 5
    python benchmarks/bench_markdown.py --record    # appends to benchmarks/RESULTS.md
"""

from __future__ import annotations

import argparse
import functools
import random
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

from lessons.errors import LessonsError  # noqa: E402  # after the path is set
from lessons.parsing import markdown as parser_module  # noqa: E402
from lessons.parsing.fastblock import block_tokens  # noqa: E402
from lessons.parsing.markdown import NESTING_LIMIT, markdown, outline_tokens  # noqa: E402
from lessons.parsing.outline import read_outline  # noqa: E402
from lessons.parsing.parse import parse_text  # noqa: E402


def corpora(count: int) -> dict[str, list[str]]:
    """The documents of each corpus, as text."""
    import bench_parse
    import corpus

    rng = random.Random(7)
    folders = {
        "content/": sorted(ROOT.glob("content/**/*.md")),
        "tests/cases/": sorted(ROOT.glob("tests/cases/**/*.md")),
        "foreign folders": sorted(path for path in (ROOT / "tests" / "data" / "foreign").glob("*/*.md")),
    }
    return {
        f"generated, corpus.py ({count})": [text for _, text in corpus.documents(count, seed=7)],
        f"generated, bench_parse.py ({count})": [bench_parse.postmortem(n, rng)[1] for n in range(count)],
        **{name: [path.read_text(encoding="utf-8") for path in paths] for name, paths in folders.items()},
    }


def normalized(text: str) -> str:
    """The source as markdown-it's core rules hand it to the block stage."""
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\0", "\ufffd")


@contextmanager
def parser_without_fast_path() -> Iterator[None]:
    """`parse_text` with markdown-it's own block rules (it looks the parser up on each call)."""
    saved = parser_module.markdown
    parser_module.markdown = functools.partial(saved, fast_blocks=False)  # type: ignore[assignment]
    try:
        yield
    finally:
        parser_module.markdown = saved


def measures(texts: list[str]) -> dict[str, tuple[Callable[[], object], Callable[[], object]]]:
    """Each measure's two variants: (without the fast path, with it)."""
    fast, stock = markdown(), markdown(fast_blocks=False)
    sources = [normalized(text) for text in texts]

    def stock_blocks() -> None:
        for src in sources:
            stock.block.parse(src, stock, {}, [])

    def fast_blocks() -> None:
        for src in sources:
            if block_tokens(src, nesting_limit=NESTING_LIMIT) is None:
                stock.block.parse(src, stock, {}, [])

    def read_all() -> None:
        for number, text in enumerate(texts):
            with suppress(LessonsError):  # the bad-input cases of tests/cases: the same either way
                parse_text(text, Path(f"doc-{number}.md"))

    def read_all_without() -> None:
        with parser_without_fast_path():
            read_all()

    def stock_parse() -> None:
        for text in texts:  # each document's tokens dropped before the next, as when reading
            stock.parse(text)

    def fast_parse() -> None:
        for text in texts:
            fast.parse(text)

    split = [(src, src.split("\n")) for src in sources]

    def outline_from_tokens() -> None:
        for src, lines in split:
            read_outline(fast.parse(src), Path("doc.md"), lines, 0, body=src)

    def outline_from_records() -> None:
        for src, lines in split:
            read_outline(outline_tokens(src), Path("doc.md"), lines, 0, body=src)

    return {
        "blocks": (stock_blocks, fast_blocks),
        "md.parse": (stock_parse, fast_parse),
        "tokens + outline": (outline_from_tokens, outline_from_records),
        "parse_text": (read_all_without, read_all),
    }


def cpu(run: Callable[[], object]) -> float:
    start = time.process_time()
    run()
    return time.process_time() - start


def bench(texts: list[str], rounds: int) -> dict[str, tuple[float, float]]:
    """Median CPU seconds of each measure (without, with), variants alternated per round."""
    runs = measures(texts)
    for without, with_it in runs.values():  # warm caches and lazy imports
        without()
        with_it()
    times: dict[str, tuple[list[float], list[float]]] = {name: ([], []) for name in runs}
    for _ in range(rounds):
        for name, (without, with_it) in runs.items():
            times[name][0].append(cpu(without))
            times[name][1].append(cpu(with_it))
    return {name: (statistics.median(a), statistics.median(b)) for name, (a, b) in times.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=2000, help="generated documents per generator")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--record", action="store_true", help="append the tables to benchmarks/RESULTS.md")
    args = parser.parse_args(argv)
    documents = corpora(args.count)
    lines = ["| corpus | documents | read by the fast path |", "|---|---|---|"]
    for name, texts in documents.items():
        read = sum(block_tokens(normalized(text), nesting_limit=NESTING_LIMIT) is not None for text in texts)
        lines.append(f"| {name} | {len(texts)} | {read} ({read / len(texts):.1%}) |")
    lines += ["", f"CPU seconds, median of {args.rounds} alternated rounds:", "",
              "| corpus | measure | markdown-it's block rules | fast path | speed-up | per document |",
              "|---|---|---|---|---|---|"]
    for name, texts in documents.items():
        for measure, (without, with_it) in bench(texts, args.rounds).items():
            lines.append(f"| {name} | {measure} | {without:.3f} s | {with_it:.3f} s | {without / with_it:.2f}x "
                         f"| {1000 * without / len(texts):.3f} -> {1000 * with_it / len(texts):.3f} ms |")
    body = "\n".join(lines)
    print(body)
    if args.record:
        from corpus import record

        record("markdown-it stage with the fast block tokenizer (bench_markdown.py)", body)
        print("recorded in benchmarks/RESULTS.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
