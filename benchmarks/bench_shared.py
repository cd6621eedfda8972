"""One index for many teams: PostgreSQL beside SQLite, with the same sources, in one run.

The generated corpus (``corpus.py``) is dealt into ``--sources`` folders, one per team.
Each folder is synced as a named source into a SQLite file and into a PostgreSQL
database, and then, for each backend:

- search p50 and p95 over all sources (warm, a bot's long-lived ``lessons.connect``),
  over the queries of ``bench_speed`` (clean, typo'd and prefix);
- a one-file sync (one post-mortem of one source edited, ``lessons.load`` of that source);
- a whole-source re-sync (``lessons index --rebuild`` of one source: its rows dropped and
  its folder read again), with the other sources in place.

Wall times are interleaved (SQLite, then PostgreSQL, for each measure) so that the load
of the shared machine weighs on both alike; the client's CPU time is given too::

    python benchmarks/bench_shared.py --database postgresql://… [--count 100000] [--sources 20] [--record]

``--database`` takes a database of its own: its lessons tables are dropped first.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402
from bench_relevance import empty_database  # noqa: E402
from bench_speed import percentile, speed_queries, time_each  # noqa: E402

DATA = HERE / ".data"


def dealt_corpus(count: int, sources: int, seed: int) -> list[Path]:
    """The corpus dealt round-robin into `sources` folders (written once, reused)."""
    base = DATA / f"shared-{count}-{sources}-{seed}"
    folders = [base / f"team-{n:02d}" for n in range(sources)]
    if not (base / ".complete").exists():
        shutil.rmtree(base, ignore_errors=True)
        for folder in folders:
            (folder / "postmortems").mkdir(parents=True)
            shutil.copyfile(corpus.TAXONOMY, folder / "taxonomy.yml")
        for i, (rel, text) in enumerate(corpus.documents(count, seed)):
            (folders[i % sources] / rel).write_text(text, encoding="utf-8")
        (base / ".complete").write_text("ok\n")
    return folders


def timed(action: Callable[[], object]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process) of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    action()
    return time.perf_counter() - wall, time.process_time() - cpu


def sync(folder: Path, where: dict[str, str]) -> None:
    import lessons

    lessons.load(folder, source=folder.name, **where).close()  # type: ignore[arg-type]


def rebuild(folder: Path, where: dict[str, str]) -> None:
    from lessons.store.index import Index

    index = Index.open(folder, where.get("database") or where["index"], source=folder.name)
    index.clear()
    index.close()
    sync(folder, where)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", required=True, metavar="URL", help="a PostgreSQL database of its own")
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--sources", type=int, default=20)
    parser.add_argument("--seed", type=int, default=corpus.DEFAULT_SEED)
    parser.add_argument("--record", action="store_true", help="append the table to RESULTS.md")
    args = parser.parse_args(argv)

    import lessons

    started = time.perf_counter()
    folders = dealt_corpus(args.count, args.sources, args.seed)
    print(f"corpus: {args.count} documents in {args.sources} folders ({time.perf_counter() - started:.0f} s)")
    rows: dict[str, dict[str, str]] = {}
    with tempfile.TemporaryDirectory(prefix="lessons-shared-") as tmp:
        backends = {"SQLite": {"index": str(Path(tmp) / "index.db")}, "PostgreSQL": {"database": args.database}}
        empty_database(args.database)
        builds = {name: [0.0, 0.0] for name in backends}
        for folder in folders:
            for name, where in backends.items():
                wall, cpu = timed(lambda f=folder, w=where: sync(f, w))  # type: ignore[misc]
                builds[name][0] += wall
                builds[name][1] += cpu
            print(f"  synced {folder.name}: " + ", ".join(f"{n} {b[0]:.0f} s" for n, b in builds.items()))
        queries = [q for _, q in speed_queries(150)]
        bots = {name: lessons.connect(where.get("database") or where["index"]) for name, where in backends.items()}
        searches = {name: time_each(lambda q, kb=kb: kb.search(q, limit=10), queries)  # type: ignore[misc]
                    for name, kb in bots.items()}
        same = all([r.document.id for r in bots["SQLite"].search(q)] == [r.document.id for r in
                   bots["PostgreSQL"].search(q)] for q in queries[:40])
        edited = sorted((folders[3 % len(folders)] / "postmortems").glob("*.md"))[5]
        one: dict[str, tuple[float, float]] = {}
        whole: dict[str, tuple[float, float]] = {}
        for name, where in backends.items():
            edited.write_text(edited.read_text(encoding="utf-8") + f"\nEdited for {name}.\n", encoding="utf-8")
            one[name] = timed(lambda w=where: sync(folders[3 % len(folders)], w))  # type: ignore[misc]
        for name, where in backends.items():
            whole[name] = timed(lambda w=where: rebuild(folders[7 % len(folders)], w))  # type: ignore[misc]
        per_source = args.count // args.sources
        for name in backends:
            rows[name] = {
                "p50": f"{percentile(searches[name], 50):.1f} ms", "p95": f"{percentile(searches[name], 95):.1f} ms",
                "one": f"{one[name][0]:.2f} s (CPU {one[name][1]:.2f} s)",
                "whole": f"{whole[name][0]:.1f} s (CPU {whole[name][1]:.1f} s)",
                "build": f"{builds[name][0]:.0f} s (CPU {builds[name][1]:.0f} s)"}
        ratio = {key: percentile(searches["PostgreSQL"], p) / percentile(searches["SQLite"], p)
                 for key, p in (("p50", 50), ("p95", 95))}
        ratio["one"] = one["PostgreSQL"][0] / one["SQLite"][0]
        ratio["whole"] = whole["PostgreSQL"][0] / whole["SQLite"][0]
        ratio["build"] = builds["PostgreSQL"][0] / builds["SQLite"][0]
    names = {"p50": "search p50 (warm, all sources, 150 queries)", "p95": "search p95",
             "one": "one-file sync (one source)", "whole": f"whole-source re-sync ({per_source:,} documents)",
             "build": f"first build, {args.sources} sources one after the other"}
    lines = ["| measure | SQLite | PostgreSQL | PostgreSQL / SQLite |", "|---|---|---|---|"]
    lines += [f"| {label} | {rows['SQLite'][key]} | {rows['PostgreSQL'][key]} | {ratio[key]:.2f} |"
              for key, label in names.items()]
    body = (f"Corpus: {args.count:,} generated post-mortems (seed {args.seed}) in {args.sources} sources of "
            f"{per_source:,}; PostgreSQL on the same machine (127.0.0.1). Same top-10 ids on both for the "
            f"first 40 queries: {'yes' if same else 'NO'}. Target: PostgreSQL search p50 under 50 ms: "
            f"{'met' if percentile(searches['PostgreSQL'], 50) < 50 else 'NOT met'}.\n\n" + "\n".join(lines)
            + f"\n\nRun took {time.perf_counter() - started:.0f} s.")
    print(body)
    if args.record:
        corpus.record(f"One index for many teams (`benchmarks/bench_shared.py --count {args.count}`)", body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
