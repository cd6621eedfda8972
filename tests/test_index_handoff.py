"""What a parse worker hands the writer: every word once, and counts that fit their two bytes.

A worker looks each whitespace-separated chunk of text up in a per-process table
(`prepare._STEMS`) and passes a word on with the first document that has it
(`prepare(words_once=True)`, after `forget_chunks`). The index's vocabulary must still
be every word of every document, whatever order the files come in.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import lessons
from lessons.store import prepare as prepare_module
from lessons.store.prepare import forget_chunks, prepare, unpack_counts
from lessons.store.search_text import field_words

from test_index_rows import DOCUMENTS  # tests/ is on the path: pytest's rootdir conftest


def test_a_worker_passes_every_word_on_once_in_any_order() -> None:
    files = [(path, root) for path, root, _ in DOCUMENTS]
    vocabulary = {word for _, _, doc in DOCUMENTS for words in field_words(doc) for word in words}
    for order in (files, files[::-1]):
        forget_chunks()
        passed: list[str] = []
        for path, root in order:
            ready = prepare(path, path.relative_to(root).as_posix(), root, words_once=True)
            own = {word for words in field_words_of(path, root) for word in words}
            assert set(ready.words) <= own, path  # only the document's own words
            passed.extend(ready.words)
        assert sorted(passed) == sorted(vocabulary)  # each once, none missing
    forget_chunks()


def test_no_word_is_lost_when_the_chunk_table_starts_again(monkeypatch: pytest.MonkeyPatch) -> None:
    # A worker reading a large folder fills its table and starts it again, maybe in the middle
    # of a document: the words that document had already found must still be passed on.
    monkeypatch.setattr(prepare_module, "CHUNKS_KEPT", 7)
    vocabulary = {word for _, _, doc in DOCUMENTS for words in field_words(doc) for word in words}
    forget_chunks()
    passed: set[str] = set()
    for path, root, _ in DOCUMENTS:
        passed.update(prepare(path, path.relative_to(root).as_posix(), root, words_once=True).words)
    forget_chunks()
    assert passed == vocabulary


def field_words_of(path: Path, root: Path) -> tuple[list[str], ...]:
    return next(field_words(doc) for p, r, doc in DOCUMENTS if p == path and r == root)


def test_a_single_process_passes_every_word_of_each_document() -> None:
    path, root, doc = DOCUMENTS[0]
    prepare(path, path.relative_to(root).as_posix(), root)  # its chunks are known now
    ready = prepare(path, path.relative_to(root).as_posix(), root)
    assert set(ready.words) == {word for words in field_words(doc) for word in words}


def test_a_word_said_more_often_than_two_bytes_count_is_capped_not_wrapped(tmp_path: Path) -> None:
    folder = tmp_path / "content" / "postmortems"
    folder.mkdir(parents=True)
    (folder / "loop.md").write_text("---\ntitle: Retry storm\ndate: 2024-05-01\n---\n\n## Summary\n\n"
                                    + "retry " * 70_000 + "storm.\n", encoding="utf-8")
    ready = prepare(folder / "loop.md", "postmortems/loop.md", tmp_path / "content")
    flat = list(unpack_counts(ready.counts))
    counts = {stem: tuple(flat[4 * i:4 * i + 4]) for i, stem in enumerate(ready.stems.split(" "))}
    assert counts["retri"][0] == 1 and counts["retri"][3] == 0xFFFF  # the body's 70,000 capped
    assert counts["storm"][0] == counts["storm"][3] == 1
    assert ready.lengths[3] == 70_001  # the body's length is counted in full
    kb = lessons.load(tmp_path / "content", index=tmp_path / "index.db")
    assert [hit.document.id for hit in kb.search("retry storm")] == [kb.ids[0]]
    kb.close()
