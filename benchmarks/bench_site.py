"""Site build time: 1,000 generated post-mortems with the lessons plugin vs plain MkDocs.

Both builds use the Material theme on the same Markdown, in the same run: the plain one
with MkDocs' search plugin, the plugin one as `lessons init` configures it (lessons' own
site search instead of MkDocs'); the ratio (plugin / plain) should stay at or below 1.5.

    python benchmarks/bench_site.py            # print the numbers
    python benchmarks/bench_site.py --record   # and append them to benchmarks/RESULTS.md
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import random
import resource
import shutil
import sys
import tempfile
from datetime import date, datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
CAUSES = ["incomplete-testing", "configuration-error", "dependency-problem", "infrastructure-issue",
          "human-error", "rollback-failure", "concurrency-problem", "insufficient-monitoring"]
SERVICES = ["payments", "login", "search", "checkout", "dns", "api-gateway", "billing", "storage",
            "queue", "cdn", "mobile-app", "email"]
WORDS = [
    "deploy", "rollback", "certificate", "database", "replica", "failover", "cache", "queue",
    "timeout", "latency", "region", "network", "partition", "config", "flag", "canary", "alert",
    "pager", "on-call", "customer", "retry", "throttle", "quota", "disk", "memory", "leak",
    "kernel", "upgrade", "migration", "schema", "index", "lock",
]


def generate(folder: Path, count: int, seed: int = 7) -> None:
    """A content folder with `count` post-mortems, a taxonomy and a few practices."""
    rng = random.Random(seed)
    shutil.copy(REPO / "content" / "taxonomy.yml", folder / "taxonomy.yml")
    (folder / "postmortems").mkdir(parents=True)
    (folder / "practices").mkdir()
    for i, cause in enumerate(CAUSES):
        (folder / "practices" / f"practice-{i}.md").write_text(
            f"---\ntitle: Practice {i} against {cause}\nkind: practice\nprevents: [{cause}]\n---\n\n"
            f"## What it is\n\n{' '.join(rng.choices(WORDS, k=80))}\n", encoding="utf-8")
    start = date(2012, 1, 1)
    for i in range(count):
        day = start + timedelta(days=rng.randrange(365 * 12))
        began = datetime(day.year, day.month, day.day, rng.randrange(24), rng.randrange(60))
        detected = began + timedelta(minutes=rng.randrange(1, 90))
        resolved = detected + timedelta(minutes=rng.randrange(10, 3000))
        words = lambda k: " ".join(rng.choices(WORDS, k=k))  # noqa: E731
        body = "\n\n".join([
            f"## Summary\n\n{words(60)}", f"## Impact\n\n{words(50)}",
            "## Timeline\n\n" + "\n".join(f"- {(began + timedelta(minutes=10 * k)):%Y-%m-%d %H:%M} — "
                                          f"{words(8)}" for k in range(5)),
            f"## Contributing factors\n\n{words(120)}", f"## Resolution\n\n{words(60)}",
            "## Action items\n\n" + "\n".join(
                f"- [{'x' if rng.random() < .6 else ' '}] {words(6)} — owner: team-{rng.randrange(9)}, "
                f"due: {day + timedelta(days=rng.randrange(30, 400))}" for _ in range(3)),
        ])
        front = {
            "title": f"Incident {i}: {words(6)}", "date": day.isoformat(), "severity": rng.randint(1, 4),
            "organization": f"Org {rng.randrange(40)}", "services": rng.sample(SERVICES, 2),
            "started": f"{began:%Y-%m-%dT%H:%M}Z", "detected": f"{detected:%Y-%m-%dT%H:%M}Z",
            "resolved": f"{resolved:%Y-%m-%dT%H:%M}Z", "causes": rng.sample(CAUSES, rng.randint(1, 2)),
            "tags": rng.sample(WORDS, 3), "summary": words(30),
        }
        lines = [f"{key}: {json.dumps(value)}" for key, value in front.items()]
        (folder / "postmortems" / f"{day.isoformat()}-incident-{i}.md").write_text(
            "---\n" + "\n".join(lines) + "\n---\n\n" + body + "\n", encoding="utf-8")


def config(folder: Path, content: Path, site: Path, *, plugin: bool) -> Path:
    path = folder / ("with-plugin.yml" if plugin else "plain.yml")
    # Each build as a team would configure it: plain MkDocs with Material's search, and the
    # plugin as `lessons init` writes it, whose own site search replaces Material's.
    plugins = "[{lessons: {today: 2026-01-01}}]" if plugin else "[search]"
    path.write_text("\n".join([
        "site_name: Benchmark", f"docs_dir: {json.dumps(str(content))}",
        f"site_dir: {json.dumps(str(site))}", "theme: {name: material, font: false}",
        f"plugins: {plugins}",
        "markdown_extensions: [tables, attr_list, md_in_html, toc, admonition]",
        "validation: {nav: {omitted_files: ignore}}", "",
    ]), encoding="utf-8")
    return path


def _cpu() -> float:
    """CPU seconds of this process and its finished children (the plugin's parse workers)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed_build(path: Path) -> float:
    """CPU time of one build: the machine is shared, and wall time would measure the others too."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    began = _cpu()
    build(load_config(config_file=str(path)))
    return _cpu() - began


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000, help="post-mortems to generate")
    parser.add_argument("--repeat", type=int, default=2, help="builds of each kind (best is kept)")
    parser.add_argument("--record", action="store_true", help="append the result to RESULTS.md")
    args = parser.parse_args()
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    with tempfile.TemporaryDirectory(prefix="bench-site-") as tmp:
        root = Path(tmp)
        content = root / "content"
        content.mkdir()
        generate(content, args.count)
        plain = config(root, content, root / "plain-site", plugin=False)
        lessons = config(root, content, root / "lessons-site", plugin=True)
        plain_times, plugin_times = [], []
        for _ in range(args.repeat):  # interleaved, so both see the same machine load
            plain_times.append(timed_build(plain))
            plugin_times.append(timed_build(lessons))
    best_plain, best_plugin = min(plain_times), min(plugin_times)
    ratio = best_plugin / best_plain
    verdict = "ok" if ratio <= 1.5 else "over target"
    report = (f"{args.count} post-mortems (in the navigation by year), CPU time: plain mkdocs {best_plain:.2f} s, "
              f"with lessons plugin "
              f"{best_plugin:.2f} s, ratio {ratio:.2f} (target <= 1.5: {verdict})")
    print(report)
    if args.record:
        machine = f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
        import mkdocs
        section = (f"\n## {date.today().isoformat()} — site build (bench_site.py)\n\n"
                   f"- machine: {machine}, mkdocs {mkdocs.__version__}, Material theme + search\n"
                   f"- post-mortems in the navigation (by year; plain MkDocs lists every page too)\n"
                   f"- CPU time (process and its parse workers), best of {args.repeat}: "
                   f"plain {best_plain:.2f} s, with plugin {best_plugin:.2f} s\n"
                   f"- ratio **{ratio:.2f}** (target <= 1.5: {verdict})\n")
        with open(HERE / "RESULTS.md", "a", encoding="utf-8") as results:
            results.write(section)
    return 0 if ratio <= 1.5 else 1


if __name__ == "__main__":
    sys.exit(main())
