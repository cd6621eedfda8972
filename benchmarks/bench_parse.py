"""Benchmark: parse and validate 10,000 generated post-mortems.

Generates realistic post-mortems (~300 words: front matter, the usual sections, a
timeline as a list or a table, action items as a task list or a table) into a
temporary folder, then times ``lessons.load(folder)`` + ``lessons.checks.rules.check(kb)``
three times and prints the median. Each run starts from an empty index, so it
measures a full parse, not an incremental sync. Target: under 10 s on a 2-core
machine.

Nothing is written into the repository unless ``--record`` is given; then a dated
section with the machine and the numbers is appended to ``benchmarks/RESULTS.md``::

    python benchmarks/bench_parse.py              # 10,000 documents, 3 runs
    python benchmarks/bench_parse.py --count 1000 --profile
    python benchmarks/bench_parse.py --record
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

RESULTS = Path(__file__).parent / "RESULTS.md"
TARGET_SECONDS = 10.0

CAUSES = ["incomplete-testing", "configuration-error", "dependency-problem", "infrastructure-issue",
          "human-error", "rollback-failure", "concurrency-problem", "insufficient-monitoring"]
SERVICES = ["payments", "checkout", "search", "login", "api-gateway", "dns", "cdn", "billing", "orders",
            "notifications", "inventory", "queue", "database", "storage", "identity", "mobile-app"]
TAGS = ["deploy", "database", "network", "certificates", "dns", "capacity", "failover", "cache",
        "kubernetes", "config", "third-party", "retries", "timeouts", "data-loss", "latency"]
COMPONENTS = ["connection pool", "load balancer", "primary database", "message broker", "feature flag",
              "TLS certificate", "DNS record", "cache cluster", "batch job", "rate limiter", "CI pipeline"]
VERBS = ["exhausted", "misrouted", "expired", "overloaded", "deadlocked", "restarted in a loop",
         "returned HTTP 503", "dropped connections", "filled its disk", "timed out"]
SENTENCES = [
    "The {c} {v} shortly after the change reached {r}, and requests to {s} began to fail.",
    "Engineers first suspected the {c2}, which cost time before the real fault was found.",
    "Dashboards showed error rates for {s} rising from under 0.1% to about {p}%.",
    "Customers saw slow pages and failed payments until traffic was moved away from {r}.",
    "The on-call engineer was paged by the {s} error-rate alert and opened an incident channel.",
    "A rollback of the {c} configuration restored service in most regions within minutes.",
    "Nobody had tested the {c} under production load, so the limit was unknown.",
    "Retries from clients amplified the load on the {c2} and slowed recovery.",
]
SUMMARY_HEADINGS = ["Summary", "Overview", "Executive summary", "1. Summary"]
IMPACT_HEADINGS = ["Impact", "Customer impact", "2. Impact"]
CAUSE_HEADINGS = ["Contributing factors", "Root cause", "Root Causes", "Causes", "3. Root cause"]
RESOLUTION_HEADINGS = ["Resolution", "Recovery", "Mitigation", "Resolution and recovery"]
ACTION_HEADINGS = ["Action items", "Follow-ups", "Corrective actions", "Next steps"]


def _prose(rng: random.Random, sentences: int, service: str) -> str:
    region = rng.choice(["us-east-1", "eu-west-1", "ap-southeast-2", "the London data centre"])
    return " ".join(
        rng.choice(SENTENCES).format(c=rng.choice(COMPONENTS), c2=rng.choice(COMPONENTS), v=rng.choice(VERBS),
                                     r=region, s=service, p=rng.randint(2, 60))
        for _ in range(sentences)
    )


def postmortem(number: int, rng: random.Random) -> tuple[str, str]:
    """One generated post-mortem: (file name, text)."""
    day = date(2015, 1, 1) + timedelta(days=rng.randrange(3500))
    start = datetime(day.year, day.month, day.day, rng.randrange(24), rng.choice([0, 15, 30, 45]))
    detected = start + timedelta(minutes=rng.randint(2, 120))
    resolved = detected + timedelta(minutes=rng.randint(10, 600))
    services = rng.sample(SERVICES, rng.randint(1, 3))
    component = rng.choice(COMPONENTS)
    slug = f"{day.isoformat()}-{services[0]}-{component.replace(' ', '-').lower()}-{number}"
    title = f"{component.capitalize()} {rng.choice(VERBS)} and {services[0]} fails"
    causes = rng.sample(CAUSES, rng.randint(1, 2))
    front = [
        "---", f"title: {title}", f"date: {day.isoformat()}", "kind: postmortem",
        f"status: {rng.choice(['published', 'published', 'published', 'draft'])}",
        f"severity: {rng.choice(['1', '2', '3', 'SEV2', 'P3'])}",
        f"organization: Example {rng.choice(['Retail', 'Cloud', 'Bank'])}",
        f"services: [{', '.join(services)}]",
        f"started: {start:%Y-%m-%dT%H:%MZ}", f"detected: {detected:%Y-%m-%d %H:%M}",
        f"resolved: {resolved:%Y-%m-%dT%H:%MZ}",
        "causes:", *(f"  - {cause}" for cause in causes),
        f"tags: [{', '.join(rng.sample(TAGS, 3))}]",
        f"summary: {_prose(rng, 1, services[0])}",
        "---", "",
    ]
    body = [
        f"## {rng.choice(SUMMARY_HEADINGS)}", "", _prose(rng, 3, services[0]), "",
        f"## {rng.choice(IMPACT_HEADINGS)}", "", _prose(rng, 2, services[0]), "",
    ]
    events = [(start, f"A change to the {component} is deployed."),
              (detected, f"The {services[0]} error-rate alert fires."),
              (detected + (resolved - detected) / 2, "A rollback starts."),
              (resolved, "Error rates are back to normal.")]
    if rng.random() < 0.5:
        body += ["## Timeline", ""]
        previous = None
        for moment, text in events:
            stamp = f"{moment:%H:%M}" if previous and moment.date() == previous.date() else f"{moment:%Y-%m-%d %H:%M}"
            body.append(f"- {stamp} — {text}")
            previous = moment
    else:
        body += ["## Timeline", "", "| Time (UTC) | Event |", "|---|---|"]
        body += [f"| {moment:%Y-%m-%d %H:%M} | {text} |" for moment, text in events]
    body += ["", f"## {rng.choice(CAUSE_HEADINGS)}", "", _prose(rng, 4, services[0]), "",
             "## Detection", "", _prose(rng, 1, services[0]), "",
             f"## {rng.choice(RESOLUTION_HEADINGS)}", "", _prose(rng, 2, services[0]), "",
             "## Lessons learned", "", _prose(rng, 2, services[0]), "",
             f"## {rng.choice(ACTION_HEADINGS)}", ""]
    owner = rng.choice(["sre", "payments-team", "platform", "dba"])
    due = day + timedelta(days=rng.randint(14, 90))
    if rng.random() < 0.7:
        body += [f"- [x] Add a load test for the {component} — owner: {owner}, due: {due}",
                 f"- [x] Alert on {services[0]} saturation before it fails — owner: {owner}"]
    else:
        body += ["| Action | Owner | Due | Status |", "|---|---|---|---|",
                 f"| Add a load test for the {component} | {owner} | {due} | done |",
                 f"| Stage {component} changes behind a canary | {owner} | {due} | done |"]
    return f"{slug}.md", "\n".join(front + body) + "\n"


def generate(folder: Path, count: int, seed: int = 7) -> int:
    """Write `count` post-mortems and a taxonomy into `folder`; return the bytes written."""
    rng = random.Random(seed)
    (folder / "postmortems").mkdir(parents=True, exist_ok=True)
    taxonomy = ["causes:"] + [f"  - id: {cause}\n    title: {cause.replace('-', ' ').capitalize()}"
                              for cause in CAUSES]
    (folder / "taxonomy.yml").write_text("\n".join(taxonomy) + "\n", encoding="utf-8")
    written = 0
    for number in range(count):
        name, text = postmortem(number, rng)
        data = text.encode("utf-8")
        (folder / "postmortems" / name).write_bytes(data)
        written += len(data)
    return written


def run_once(folder: Path, today: date, *, look_alikes: bool = False) -> dict[str, float | int]:
    """Parse + validate from an empty index, timing each phase."""
    import dataclasses

    import lessons
    from lessons.checks.rules import CheckOptions, check
    from lessons.parsing.parse import folder_kind, parse_text, read_source

    shutil.rmtree(folder / ".lessons", ignore_errors=True)
    options = CheckOptions(today=today)
    if not look_alikes and "duplicate_threshold" in {f.name for f in dataclasses.fields(CheckOptions)}:
        # The look-alike rule compares every post-mortem with every other: it measures
        # `similar()`, not the parser, and is timed apart (--look-alikes).
        options.duplicate_threshold = None  # type: ignore[attr-defined]
    started = time.perf_counter()
    kb = lessons.load(folder)
    loaded = time.perf_counter()
    problems = check(kb, options)
    checked = time.perf_counter()
    for path in sorted(folder.rglob("*.md")):
        text, digest = read_source(path)
        parse_text(text, path, default_kind=folder_kind(path, folder), content_hash=digest)
    parsed = time.perf_counter()
    return {"seconds": checked - started, "load": loaded - started, "check": checked - loaded,
            "parse_only": parsed - checked, "documents": len(kb), "problems": len(problems)}


def machine() -> str:
    """The machine line that every benchmark records (shared with bench_speed/relevance)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from corpus import machine as describe_machine

    return describe_machine()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--record", action="store_true", help="append the result to benchmarks/RESULTS.md")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of one run instead")
    parser.add_argument("--look-alikes", action="store_true",
                        help="include the look-alike (possible-duplicate) rule, which is O(n^2)")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="lessons-bench-") as tmp:
        folder = Path(tmp) / "content"
        began = time.perf_counter()
        size = generate(folder, args.count)
        print(f"generated {args.count} post-mortems ({size / 1_048_576:.1f} MB, "
              f"~{size // args.count // 6} words each) in {time.perf_counter() - began:.1f} s")
        today = date(2026, 1, 1)
        if args.profile:
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            profiler.runcall(run_once, folder, today, look_alikes=args.look_alikes)
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(int(os.environ.get("PROFILE_LINES", "30")))
            return 0
        runs = []
        for number in range(1, args.runs + 1):
            run = run_once(folder, today, look_alikes=args.look_alikes)
            runs.append(run)
            print(f"run {number}: {run['seconds']:.2f} s = load {run['load']:.2f} s + check "
                  f"{run['check']:.2f} s ({run['documents']} documents, {run['problems']} findings); "
                  f"parser alone {run['parse_only']:.2f} s")
    times = [float(run["seconds"]) for run in runs]
    median = statistics.median(times)
    parse_median = statistics.median(float(run["parse_only"]) for run in runs)
    load_median = statistics.median(float(run["load"]) for run in runs)
    check_median = statistics.median(float(run["check"]) for run in runs)
    rate = args.count / median
    verdict = "under" if median < TARGET_SECONDS else "OVER"
    print(f"median {median:.2f} s, {rate:,.0f} documents/s ({verdict} the {TARGET_SECONDS:.0f} s target); "
          f"parser alone {parse_median:.2f} s, {args.count / parse_median:,.0f} documents/s")
    if args.record:
        rule = "with" if args.look_alikes else "without"
        with RESULTS.open("a", encoding="utf-8") as out:
            if out.tell() == 0:
                out.write("# Benchmark results\n")
            out.write(
                f"\n## bench_parse — {datetime.now():%Y-%m-%d %H:%M}\n\n"
                f"- machine: {machine()}\n"
                f"- task: `lessons.load()` + `lessons.checks.rules.check()` ({rule} the look-alike rule) on "
                f"{args.count:,} generated post-mortems ({size / 1_048_576:.1f} MB), from an empty index\n"
                f"- runs: {', '.join(f'{t:.2f} s' for t in times)}\n"
                f"- median: **{median:.2f} s**, {rate:,.0f} documents/s "
                f"(target < {TARGET_SECONDS:.0f} s: {'met' if median < TARGET_SECONDS else 'not met'}); "
                f"load {load_median:.2f} s (parse + index), check {check_median:.2f} s\n"
                f"- the parser alone (`read_source` + `parse_text` per file): {parse_median:.2f} s, "
                f"{args.count / parse_median:,.0f} documents/s\n"
            )
        print(f"recorded in {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
