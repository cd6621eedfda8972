"""Site search at 1,000 generated post-mortems: index size, compile time, query time in Chromium.

The index must stay smaller than the Markdown; compiling it is part of every plugin
build; a query runs in the browser on each keystroke.

    python benchmarks/bench_site_search.py            # print the numbers
    python benchmarks/bench_site_search.py --record   # and append them to benchmarks/RESULTS.md
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))

from bench_site import WORDS, generate  # noqa: E402

QUERIES = ["rollbck deploy", "certifcate", "databse failover", "replcia lag", "timeout", "canary flag",
           "migraton schema", "memroy leak", "on-call pager", "throtle quota", "netwrok partition", "cache"]


def browser_times(index_text: str, script: str) -> tuple[float, list[float]]:
    """(ms to parse and prepare the index, ms per query) in headless Chromium."""
    from site_server import chromium, served

    with tempfile.TemporaryDirectory(prefix="bench-search-web-") as tmp:
        root = Path(tmp)
        (root / "assets").mkdir()
        (root / "search").mkdir()
        (root / "assets" / "lessons-search.js").write_text(script, encoding="utf-8")
        (root / "search" / "lessons-index.json").write_text(index_text, encoding="utf-8")
        (root / "index.html").write_text('<!doctype html><html><body><script src="assets/lessons-search.js">'
                                         "</script></body></html>", encoding="utf-8")
        with served(root) as url, chromium() as browser:
            page = browser.new_page()
            page.goto(url)
            loaded = page.evaluate("async () => { const t = performance.now(); await window.lessonsSearch.load();"
                                   " return performance.now() - t; }")
            times = page.evaluate("qs => qs.map(q => { const t = performance.now();"
                                  " window.lessonsSearch.search(q); return performance.now() - t; })",
                                  QUERIES * 5)
    return float(loaded), [float(t) for t in times]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000, help="post-mortems to generate")
    parser.add_argument("--record", action="store_true", help="append the result to RESULTS.md")
    args = parser.parse_args()
    import lessons
    from lessons.mkdocs import pages
    from lessons.mkdocs.search import compile_index, script

    assert WORDS
    with tempfile.TemporaryDirectory(prefix="bench-search-") as tmp:
        content = Path(tmp) / "content"
        content.mkdir()
        generate(content, args.count)
        markdown = sum(p.stat().st_size for p in content.rglob("*.md"))
        with lessons.load(content) as kb:
            began = time.process_time()
            text = compile_index(kb, lambda doc: pages.page_url(pages.source_uri(doc, kb)))
            compile_cpu = time.process_time() - began
    size, packed = len(text.encode()), len(gzip.compress(text.encode()))
    loaded, times = browser_times(text, script())
    p50, p95 = statistics.median(times), sorted(times)[int(0.95 * len(times)) - 1]
    report = (f"{args.count} post-mortems: Markdown {markdown / 1e6:.2f} MB, index {size / 1e6:.2f} MB "
              f"({size / markdown:.0%}; gzip {packed / 1e6:.2f} MB), compile {compile_cpu:.2f} s CPU; "
              f"browser: load {loaded:.0f} ms, query p50 {p50:.1f} ms, p95 {p95:.1f} ms")
    print(report)
    print(json.dumps({"queries": QUERIES}))
    if args.record:
        machine = f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
        section = (f"\n## {date.today().isoformat()} — site search (bench_site_search.py)\n\n"
                   f"- machine: {machine}, headless Chromium (Debian), shared with other jobs\n"
                   f"- {report}\n")
        with open(HERE / "RESULTS.md", "a", encoding="utf-8") as results:
            results.write(section)
    return 0 if size < markdown else 1


if __name__ == "__main__":
    sys.exit(main())
