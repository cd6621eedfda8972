"""Fields read alike whether their readings are cached or not.

`fields.read_fields` reads each front-matter shape and each scalar value once per process
and keeps the reading. A kept reading must be exactly what reading afresh gives, for every
document, whatever was read before it; and no document may change another's values.
"""

from __future__ import annotations

import random
from pathlib import Path

from lessons.errors import ParseError
from lessons.parsing import fields, fieldvalues
from lessons.parsing.frontmatter import load_front_matter
from test_fastblock import ROOT, load_benchmark  # tests/ is on the path
from test_frontfast import front_matter_of, random_front_matter

CACHED = (fields._shape, fields._scalar_reading, fields._unknown_key, fieldvalues.normal_id)


def documents() -> list[tuple[Path, str]]:
    corpus = load_benchmark("corpus")
    found = [(Path(path), text) for path, text in corpus.documents(150, seed=3)]
    found += [(path, path.read_text(encoding="utf-8")) for path in sorted(ROOT.glob("content/**/*.md"))]
    found += [(path, path.read_text(encoding="utf-8", errors="replace"))
              for path in sorted((ROOT / "tests").glob("**/*.md"))]
    # Written alike but typed apart by YAML (true and "yes", 1 and "1"): a kept reading of one
    # is no reading of the other.
    for value in ("yes", "1", "2024-01-02", "~", "0x1F", "1:30"):
        for quoted in (value, f'"{value}"', value):
            found.append((Path("alike.md"), "---\n" + "".join(f"{key}: {quoted}\n" for key in (
                "title", "severity", "date", "draft", "services", "started", "kind", "id")) + "---\n"))
    rng = random.Random(7)
    found += [(Path(f"random-{n}.md"), f"---\n{random_front_matter(rng, rng.randint(1, 10))}\n---\n")
              for n in range(600)]
    return found


def reading(path: Path, document: str) -> str | None:
    text = front_matter_of(document)
    if text is None:
        return None
    try:
        entries = load_front_matter(text, path, 2)
    except ParseError:
        return None
    return repr(fields.read_fields(entries, path))


def test_cached_readings_are_fresh_readings() -> None:
    docs = documents()
    warm = [reading(path, text) for path, text in docs]
    warm_again = [reading(path, text) for path, text in reversed(docs)][::-1]
    cold = []
    for path, text in docs:
        for cached in CACHED:
            cached.cache_clear()
        cold.append(reading(path, text))
    assert sum(found is not None for found in cold) > 300
    assert warm == cold
    assert warm_again == cold


def test_a_document_s_values_are_its_own() -> None:
    text = "title: T\ndate: 2024-01-02\nservices: a, b\ntags: [x, y]\nseverity: 2\n"
    first = fields.read_fields(load_front_matter(text, Path("a.md"), 2), Path("a.md"))
    first.values["services"].append("changed")
    first.values["tags"].append("changed")
    second = fields.read_fields(load_front_matter(text, Path("b.md"), 2), Path("b.md"))
    assert second.values["services"] == ["a", "b"] and second.values["tags"] == ["x", "y"]
