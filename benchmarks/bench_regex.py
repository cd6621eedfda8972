"""Benchmark: every regex of the package on its worst inputs, at 100 KB and 1 MB.

The inputs are those of ``tests/test_regex_cost.py`` (``tests/regex_inputs.py``):
each pattern's own fragments repeated, prefixes of what it matches followed by a long
run of one character, and shapes such as ``<!--`` or ``< `` repeated. For each pattern
the three inputs slowest at 2 KB are timed with ``.search()`` at 100 KB and 1 MB. A
linear regex takes about ten times longer at 1 MB than at 100 KB; a quadratic one a
hundred times.

A search that would take longer than ``--cap`` seconds is not run: its time is
extrapolated from the sizes measured before it (growth exponent of the last two) and
marked "est.".

    python benchmarks/bench_regex.py                 # every pattern
    python benchmarks/bench_regex.py --only rules.   # patterns whose name contains "rules."
    python benchmarks/bench_regex.py --record --note "after the fix"
"""

from __future__ import annotations

import argparse
import math
import re
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))

import corpus  # noqa: E402
from regex_inputs import input_named, package_patterns, slowest  # noqa: E402

LADDER = (2_000, 8_000, 25_000, 100_000, 1_000_000)
REPORTED = (100_000, 1_000_000)


def timed(pattern: re.Pattern[str], text: str, repeat: int) -> float:
    """The best of `repeat` runs of ``pattern.search(text)``, in seconds."""
    best = math.inf
    for _ in range(repeat):
        started = time.perf_counter()
        pattern.search(text)
        best = min(best, time.perf_counter() - started)
    return best


def measure(pattern: re.Pattern[str], label: str, cap: float) -> dict[int, tuple[float, bool]]:
    """Seconds per size on one input, climbing `LADDER`; (seconds, estimated)."""
    found: dict[int, tuple[float, bool]] = {}
    measured: list[tuple[int, float]] = []
    for size in LADDER:
        if measured:
            large, t_large = measured[-1]
            # Growth is read off the last two sizes that took long enough to time well;
            # below a few milliseconds, noise on a shared machine would fake it.
            steady = [(n, t) for n, t in measured if t >= 0.002][-2:]
            growth = 1.0
            if len(steady) == 2:
                (small, t_small), (large, t_large) = steady
                growth = max(1.0, math.log(t_large / t_small) / math.log(large / small))
            predicted = t_large * (size / large) ** growth
            if predicted > cap:
                found[size] = (predicted, True)
                continue
        seconds = timed(pattern, input_named(pattern, label, size), 3 if size <= 100_000 else 1)
        measured.append((size, seconds))
        found[size] = (seconds, False)
    return found


def shown(seconds: float, estimated: bool) -> str:
    text = f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.1f} s"
    return f"~{text} (est.)" if estimated else text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", default="", help="time only patterns whose name contains this")
    parser.add_argument("--cap", type=float, default=20.0, help="longest single search to run, in seconds")
    parser.add_argument("--record", action="store_true", help="append the table to benchmarks/RESULTS.md")
    parser.add_argument("--note", default="", help="a line recorded above the table")
    args = parser.parse_args(argv)

    began = time.perf_counter()
    rows = []
    for name, pattern in package_patterns().items():
        if args.only not in name:
            continue
        worst: tuple[float, str, dict[int, tuple[float, bool]]] | None = None
        for label in slowest(pattern, probe=2_000):
            sizes = measure(pattern, label, args.cap)
            if worst is None or sizes[REPORTED[0]][0] > worst[0]:
                worst = (sizes[REPORTED[0]][0], label, sizes)
        assert worst is not None
        _, label, sizes = worst
        (small, small_est), (large, large_est) = sizes[REPORTED[0]], sizes[REPORTED[1]]
        escaped = label.replace("|", "\\|")  # a pipe would end the table cell
        row = (f"| `{name.removeprefix('lessons.')}` | `{escaped}` | {shown(small, small_est)} | "
               f"{shown(large, large_est)} | {large / max(small, 1e-9):.0f}x |")
        rows.append((small, row))
        print(row, flush=True)
    header = ("| regex | worst input | 100 KB | 1 MB | 1 MB / 100 KB |\n"
              "|---|---|---|---|---|")
    table = "\n".join([header, *(row for _, row in sorted(rows, key=lambda r: -r[0]))])
    took = time.perf_counter() - began
    print(f"\n{table}\n\n{len(rows)} patterns in {took:.0f} s")
    if args.record:
        note = f"{args.note}\n\n" if args.note else ""
        corpus.record("Regex cost on hostile input (`benchmarks/bench_regex.py`)",
                      f"{note}{table}\n\nSlowest first. {len(rows)} patterns; the run took {took:.0f} s.")
        print(f"recorded in {corpus.RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
