"""The rows a file becomes are the same however fast they are made.

Indexing counts words, encodes the document as JSON and ships the rows from forked
workers in ways chosen for speed (`token_counts`, `document_json`, `Prepared.__reduce__`).
These tests hold them to the plain way of doing the same (counting `surface_words`,
encoding `Document.to_dict`), on every document the test suite and the sample content
hold, and hold a build in worker processes to the same index as one in a single process.
"""

from __future__ import annotations

import json
import pickle
import re
import sqlite3
from collections import Counter
from pathlib import Path

import pytest

import lessons
from lessons.model import Document
from lessons.parsing.parse import folder_kind, parse_text
from lessons.store import workers
from lessons.store.prepare import Prepared, document_json, prepare, unpack_counts
from lessons.store.search_text import field_words
from lessons.store.tokenize import STOPWORDS, stem, surface_words, token_counts, token_stems

HERE = Path(__file__).resolve().parent
FOLDERS = [HERE / "cases", HERE.parent / "content", HERE / "data" / "kb"]
TRICKY = [
    "", "a the of", "x 1 ñ 22", "us-east-1 US-EAST-1 us-east-1.", "ORA-00060: deadlock; ora 00060",
    "node.js's event loop, the team's node.js", "don't won’t it's Martin’s", "--flag ./path/to/file.txt:42",
    "\x1b[31mERROR\x1b[0m payments-api 503", "a-b-c a_b_c a/b/c a:b:c", "'quoted' ’curly’ -dash- _under_",
    "Ünïcödé straße STRASSE Straße 東京 東京-2", "3.14 3,14 v1.2.3 1.2.3-rc.1 http://example.com/a-b?c=d",
    "x-", "-x", "x--y", "s t s-t t's", "e.g. i.e. a.m. 10:30 10:30:00Z",
]


def reference_surface_words(text: str) -> list[str]:
    """`surface_words` as it was written before it shared its compound handling with indexing (`token_stems`)."""
    token = re.compile(r"[^\W_]+(?:['’][^\W_]+)*(?:[-_./:][^\W_]+(?:['’][^\W_]+)*)*")
    out: list[str] = []
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", " ", text)
    for word in token.findall(text.lower()):
        if word.isalnum():
            out.append(word)
            continue
        word = re.sub(r"['’]s$", "", word).replace("’", "").replace("'", "")
        if re.search(r"[-_./:]", word):
            word = word.strip("-_./:")
            out.append(word)
            out.extend(part for part in re.split(r"[-_./:]", word) if part)
        elif word:
            out.append(word)
    return [w for w in out if w not in STOPWORDS and (len(w) > 1 or w.isdigit())]


def markdown_files() -> list[tuple[Path, Path]]:
    """(file, its content folder) for every Markdown document the tests and the sample content hold."""
    return [(path, root) for root in FOLDERS for path in sorted(root.rglob("*.md"))]


def parsed() -> list[tuple[Path, Path, Document]]:
    found = []
    for path, root in markdown_files():
        try:
            doc = parse_text(path.read_text(encoding="utf-8"), path.relative_to(root),
                             default_kind=folder_kind(path, root))
        except lessons.ParseError:
            continue
        if doc is not None:
            found.append((path, root, doc))
    return found


DOCUMENTS = parsed()


def test_the_corpus_is_large_enough_to_mean_something() -> None:
    assert len(DOCUMENTS) >= 100


@pytest.mark.parametrize("text", TRICKY)
def test_surface_words_of_tricky_text_are_unchanged(text: str) -> None:
    assert surface_words(text) == reference_surface_words(text)


@pytest.mark.parametrize("text", TRICKY)
def test_tokens_counted_are_surface_words_in_order(text: str) -> None:
    assert_tokens_make_surface_words(text)


def assert_tokens_make_surface_words(text: str) -> None:
    """The distinct tokens' words, in order, then counted, are the words of the text counted."""
    words = surface_words(text)
    counted: Counter[str] = Counter()
    for token, n in token_counts(text).items():
        for word, word_stem in token_stems(token):
            assert word_stem == stem(word)
            counted[word] += n
    assert list(counted.items()) == list(Counter(words).items())  # the same order of first occurrence


def test_tokens_and_surface_words_agree_on_every_document() -> None:
    for _, _, doc in DOCUMENTS:
        for text in (doc.title, doc.summary or "", doc.text):
            words = reference_surface_words(text)
            assert surface_words(text) == words, doc.path
            assert_tokens_make_surface_words(text)


def test_document_json_is_to_dict_without_text_encoded() -> None:
    for _, _, doc in DOCUMENTS:
        data = doc.to_dict()
        del data["text"]
        assert document_json(doc) == json.dumps(data, ensure_ascii=False), doc.path


def test_prepared_rows_are_the_plain_counts_of_each_field() -> None:
    """A document's stems, counts per field, lengths and vocabulary, recounted the plain way."""
    for path, root, doc in DOCUMENTS:
        ready = prepare(path, path.relative_to(root).as_posix(), root)
        assert ready.role == "document", path
        per_stem: dict[str, list[int]] = {}
        vocabulary: dict[str, str] = {}
        fields = field_words(doc)
        for code, words in enumerate(fields):
            for word, n in Counter(words).items():
                per_stem.setdefault(stem(word), [0, 0, 0, 0])[code] += n
                vocabulary.setdefault(word, stem(word))
        assert ready.stems == list(per_stem), path
        assert list(unpack_counts(ready.counts)) == [min(n, 0xFFFF) for c in per_stem.values() for n in c]
        assert ready.lengths == tuple(len(words) for words in fields)
        assert ready.words == vocabulary
        assert json.loads(ready.data)["path"] == ready.path == str(doc.path)


def test_a_prepared_file_survives_the_trip_from_a_worker() -> None:
    path, root, _ = DOCUMENTS[0]
    ready = prepare(path, path.relative_to(root).as_posix(), root)
    back = pickle.loads(pickle.dumps(ready, pickle.HIGHEST_PROTOCOL))
    assert type(back) is Prepared and back == ready
    assert pickle.loads(pickle.dumps(Prepared("", "gone"))) == Prepared("", "gone")


def table_contents(database: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, sorted; without the time of the sync."""
    conn = sqlite3.connect(database)
    try:
        tables = [name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        contents = {table: sorted(conn.execute(f"SELECT * FROM {table}").fetchall(), key=repr) for table in tables}
        synced_at = [row[1] for row in conn.execute("PRAGMA table_info(sources)")].index("synced_at")
    finally:
        conn.close()
    # The time of the sync differs between two builds (it is no longer the last column).
    contents["sources"] = [row[:synced_at] + row[synced_at + 1:] for row in contents["sources"]]
    return contents


def test_workers_build_the_same_index_as_one_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "content"
    for path, root, _ in DOCUMENTS:  # every document, and duplicate ids between the folders
        target = folder / root.name / path.relative_to(root)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(path.read_bytes())
    built = {}
    for name, parallel_from in (("one", 10**9), ("workers", 1)):
        monkeypatch.setattr(workers, "PARALLEL_FROM", parallel_from)
        lessons.load(folder, index=tmp_path / f"{name}.db").close()
        built[name] = table_contents(tmp_path / f"{name}.db")
    assert built["workers"] == built["one"]
    assert len(built["one"]["documents"]) > 100


def postmortem(doc_id: str, title: str) -> str:
    return (f"---\nid: {doc_id}\ntitle: {title}\ndate: 2024-05-01\nseverity: 2\n---\n\n"
            "## Summary\n\nThe queue stopped.\n\n## Impact\n\nOrders were late.\n")


@pytest.mark.parametrize("rebuilt", [True, False])
def test_a_duplicate_id_is_found_across_a_flush(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                rebuilt: bool) -> None:
    """The first file with an id keeps it, whether its twin comes in the same batch of rows or after."""
    from lessons.store import postings

    monkeypatch.setattr(postings, "FLUSH_EVERY", 2)
    folder = tmp_path / "content" / "postmortems"
    folder.mkdir(parents=True)
    names = [f"{n:02d}-queue.md" for n in range(7)]
    for n, name in enumerate(names[:-1] if not rebuilt else names):
        (folder / name).write_text(postmortem(f"pm-{n}", f"Queue {n}"), encoding="utf-8")
    if not rebuilt:  # first a build without the twin, then a sync that adds it
        lessons.load(tmp_path / "content", index=tmp_path / "index.db").close()
    # The last file takes the id of the first; a first build flushes twice between them.
    (folder / names[-1]).write_text(postmortem("pm-0", "Queue again"), encoding="utf-8")
    kb = lessons.load(tmp_path / "content", index=tmp_path / "index.db")
    clashes = [p for p in kb.problems if p.code == "duplicate-id"]
    assert [(p.path.name, p.line) for p in clashes] == [(names[-1], 2)]
    assert "00-queue.md" in clashes[0].message
    assert kb.get("pm-0").title == "Queue 0"
    assert len(kb.documents()) == 6
    kb.close()


@pytest.mark.parametrize("root", ["absolute", ".", "content", "content/../content"])
def test_listed_files_are_named_relative_to_the_content_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                 root: str) -> None:
    from lessons.store.sync import SyncStats, _changed_files

    content = tmp_path / "content"
    for rel in ("a.md", "postmortems/2024/b.md", "practices/c.markdown", "x y/d é.md"):
        (content / rel).parent.mkdir(parents=True, exist_ok=True)
        (content / rel).write_text("# t\n", encoding="utf-8")
    monkeypatch.chdir(content if root == "." else tmp_path)
    folder = content if root == "absolute" else Path(root)
    todo, seen = _changed_files(folder, {}, SyncStats())
    expected = ["a.md", "postmortems/2024/b.md", "practices/c.markdown", "x y/d é.md"]
    assert [rel for _, rel, _ in todo] == expected
    assert seen == set(expected)
    assert all(path.stat() == st for path, _, st in todo)
