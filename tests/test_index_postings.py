"""Postings are right at every block boundary, on a first build, a rebuild and an update.

Postings are packed per stem and block of 1,024 document keys and written in flushes of
1,024 documents; keys start at 1, so every flush after the first shares a block with the
one before. A row written by one flush must be merged by the next, never replaced: the
document with key 1024 once vanished from every search for a word that a document of
keys 1025-2047 also had. These tests recount every document's postings from its own
terms row and search every document by its own word.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest

import lessons
from lessons.store.index import Index
from lessons.store.postings import BLOCK_BITS

BLOCK = 1 << BLOCK_BITS


def word_of(number: int) -> str:
    """A word only document `number` has: letters only, so the stemmer keeps it whole."""
    letters = ""
    number += 1
    while number:
        number, rest = divmod(number - 1, 26)
        letters = "abcdefghijklmnopqrstuvwxyz"[rest] + letters
    return f"zq{letters}x"


def write_documents(folder: Path, numbers: range) -> None:
    posts = folder / "postmortems"
    posts.mkdir(parents=True, exist_ok=True)
    for n in numbers:
        (posts / f"doc-{n:05d}.md").write_text(
            f"---\ntitle: Aardvark outage {word_of(n)}\ndate: 2024-01-01\n---\n\n"
            f"## Summary\n\nThe aardvark service failed. {word_of(n)} {'pangolin ' * (n % 3)}\n",
            encoding="utf-8")


def recounted(index: Index) -> dict[str, dict[int, tuple[int, ...]]]:
    """stem -> {key: counts}, inverted from each document's own terms row."""
    by_stem: dict[str, dict[int, tuple[int, ...]]] = defaultdict(dict)
    for (key,) in index.conn.execute("SELECT key FROM documents"):
        for stem, counts in index.terms(key).items():
            by_stem[stem][key] = counts
    return by_stem


def assert_postings_match_terms(index: Index) -> None:
    expected = recounted(index)
    stored = {stem for (stem,) in index.conn.execute("SELECT DISTINCT stem FROM postings")}
    assert stored == set(expected)
    for stem, by_key in expected.items():
        keys, counts = index.postings(stem)
        assert keys.tolist() == sorted(by_key), stem
        assert [tuple(row) for row in counts.tolist()] == [by_key[k] for k in sorted(by_key)], stem
    df = dict(index.conn.execute("SELECT stem, df FROM stems"))
    assert df == {stem: len(by_key) for stem, by_key in expected.items()}


def assert_every_document_is_found_by_its_own_word(kb: lessons.KnowledgeBase, numbers: range) -> None:
    for n in numbers:
        hits = [hit.document.id for hit in kb.search(word_of(n), limit=3)]
        assert hits[:1] == [f"doc-{n:05d}"], (n, hits)
    shared = kb.index.postings("aardvark")[0]
    assert len(shared) == len(numbers)


@pytest.mark.parametrize("total", [BLOCK - 1, BLOCK + 1, 2 * BLOCK + 1, 3 * BLOCK + 1])
def test_a_first_build_keeps_every_document_at_every_block_boundary(tmp_path: Path, total: int) -> None:
    write_documents(tmp_path, range(total))
    kb = lessons.load(tmp_path, index=tmp_path / "index.db")
    assert_postings_match_terms(kb.index)
    assert_every_document_is_found_by_its_own_word(kb, range(total))


def test_a_rebuild_and_later_updates_keep_every_document(tmp_path: Path) -> None:
    write_documents(tmp_path, range(BLOCK + 1))
    kb = lessons.load(tmp_path, index=tmp_path / "index.db")
    # An update that crosses the next boundary, with a removal and an edit in the same sync.
    write_documents(tmp_path, range(BLOCK + 1, 2 * BLOCK + 2))
    (tmp_path / "postmortems" / "doc-00007.md").unlink()
    edited = tmp_path / "postmortems" / "doc-01023.md"
    edited.write_text(edited.read_text(encoding="utf-8") + "\nAn edit: armadillo.\n", encoding="utf-8")
    kb = lessons.load(tmp_path, index=tmp_path / "index.db")
    assert_postings_match_terms(kb.index)
    kept = [n for n in range(2 * BLOCK + 2) if n != 7]
    for n in kept[::97] + [1022, 1023, 1024, 1025, 2047, 2048, 2049]:
        assert [h.document.id for h in kb.search(word_of(n), limit=1)] == [f"doc-{n:05d}"]
    assert [h.document.id for h in kb.search("armadillo", limit=5)] == ["doc-01023"]
    assert "doc-00007" not in [h.document.id for h in kb.search(word_of(7))]
    kb.index.close()

    rebuilt = Index.open(tmp_path, tmp_path / "index.db").rebuilt()
    rebuilt.sync()
    assert_postings_match_terms(rebuilt)
    assert int(np.asarray(rebuilt.postings("aardvark")[0]).size) == len(kept)
