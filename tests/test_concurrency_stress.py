"""Many commands at once on a folder that is being edited: no traceback, a true index.

An editor adds, edits and deletes post-mortems while three loops run `lessons search`,
`lessons check` and `lessons index` as separate processes, as people and CI jobs do on
one shared checkout. Every command must end with 0 or 1 (findings) and never print a
traceback; afterwards the index must hold exactly what a fresh build of the folder holds.

Bounded to about 20 s; set ``LESSONS_STRESS_SECONDS`` to run longer.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import lessons
from lessons.store.index import Index

SECONDS = float(os.environ.get("LESSONS_STRESS_SECONDS", "20"))
THEMES = [
    ("payments", "The card gateway timed out and payments were declined at the tills."),
    ("queue", "The queue consumers fell behind after a partition rebalance and retries piled up."),
    ("certificate", "A certificate expired overnight and browsers refused the checkout pages."),
    ("database", "The database primary ran out of connections and the replica lagged."),
]
COMMANDS = {
    "search": ["search", "payments declined", "--limit", "5"],
    "check": ["check", "--format", "json"],
    "index": ["index"],
}


def write_postmortem(folder: Path, number: int, rng: random.Random) -> None:
    theme, text = THEMES[rng.randrange(len(THEMES))]
    extra = " ".join(rng.choice(text.split()) for _ in range(rng.randrange(5, 40)))
    (folder / f"incident-{number:03d}.md").write_text(
        f"---\ntitle: Incident {number} in the {theme} service\ndate: 2024-0{number % 9 + 1}-1{number % 10}\n"
        f"services: [{theme}]\n---\n\n## Summary\n\n{text} {extra} marker{number:03d}.\n", encoding="utf-8")


@dataclass
class Outcome:
    runs: Counter[str] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)


def run_loop(name: str, content: Path, stop: threading.Event, outcome: Outcome) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("LESSONS_INDEX", "LESSONS_PATH")}
    while not stop.is_set():
        done = subprocess.run([sys.executable, "-m", "lessons", *COMMANDS[name], "--content", str(content)],
                              capture_output=True, text=True, env=env, timeout=120)
        outcome.runs[name] += 1
        if done.returncode not in (0, 1) or "Traceback" in done.stderr + done.stdout:
            outcome.failures.append(f"{name} exited {done.returncode}:\n{done.stderr[-2000:]}")


def edit_loop(folder: Path, stop: threading.Event, outcome: Outcome) -> None:
    rng = random.Random(7)
    while not stop.is_set():
        number = rng.randrange(130)
        path = folder / f"incident-{number:03d}.md"
        if path.exists() and rng.random() < 0.4:
            path.unlink()
            outcome.runs["delete"] += 1
        else:
            write_postmortem(folder, number, rng)
            outcome.runs["write"] += 1
        time.sleep(rng.uniform(0.0, 0.05))


def by_document(index: Index) -> dict[str, dict[str, tuple[int, ...]]]:
    """id -> the document's stems and counts, read back from the postings (not from terms)."""
    keys = dict(index.conn.execute("SELECT key, id FROM documents").fetchall())
    found: dict[str, dict[str, tuple[int, ...]]] = {doc_id: {} for doc_id in keys.values()}
    for (stem,) in index.conn.execute("SELECT DISTINCT stem FROM postings").fetchall():
        doc_keys, counts = index.postings(stem)
        for key, row in zip(doc_keys.tolist(), counts.tolist(), strict=True):
            found[keys[key]][stem] = tuple(row)
    return found


def test_commands_running_while_files_change_never_crash_and_leave_a_true_index(tmp_path: Path) -> None:
    content = tmp_path / "kb"
    folder = content / "postmortems"
    folder.mkdir(parents=True)
    rng = random.Random(1)
    for number in range(100):
        write_postmortem(folder, number, rng)
    lessons.load(content).close()

    stop = threading.Event()
    outcome = Outcome()
    threads = [threading.Thread(target=edit_loop, args=(folder, stop, outcome))]
    threads += [threading.Thread(target=run_loop, args=(name, content, stop, outcome)) for name in COMMANDS]
    for thread in threads:
        thread.start()
    time.sleep(SECONDS)
    stop.set()
    for thread in threads:
        thread.join(timeout=180)

    kinds = Counter(f"{failure.split()[0]}: {failure.strip().splitlines()[-1].split(':')[0]}"
                    for failure in outcome.failures)
    assert not outcome.failures, f"{dict(kinds)} in {dict(outcome.runs)}:\n" + "\n".join(outcome.failures[:2])
    # Every command got through at least once. (Not more: SQLite's write lock is not fair,
    # and with an editor changing files all the time a slower command such as `check` can
    # wait behind several syncs of the others; it waits, it never fails.)
    assert min(outcome.runs[name] for name in COMMANDS) >= 1, outcome.runs
    print(f"commands run while the folder changed: {dict(outcome.runs)}")

    kb = lessons.load(content)
    fresh = lessons.load(content, index=":memory:")
    assert sorted(kb.ids) == sorted(fresh.ids)
    stored, rebuilt = by_document(kb.index), by_document(fresh.index)
    assert stored == rebuilt
    for doc_id in kb.ids:
        key = kb.index.key_of(doc_id)
        assert key is not None
        assert kb.index.terms(key) == stored[doc_id], doc_id
    df = dict(kb.index.conn.execute("SELECT stem, df FROM stems").fetchall())
    assert df == dict(Counter(stem for stems in stored.values() for stem in stems))
