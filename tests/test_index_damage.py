"""Tables damaged by hand are rebuilt quietly from the content, like a damaged file.

The index is a cache: a dropped table, a document whose JSON no longer parses, postings
or terms whose bytes do not fit together, rows that name documents that are not there —
none of it may end in a traceback. What is found damaged, while syncing or while
reading, is rebuilt from the content in one transaction, and the answer is the one a
fresh index gives.
"""

from __future__ import annotations

import sqlite3
import warnings
from collections.abc import Callable
from pathlib import Path

import pytest

import lessons
from lessons.checks.rules import CheckOptions, check
from lessons.store.schema import TABLE_NAMES, VIEW_NAMES

CONTACTLESS = "2024-03-16-contactless-payments-update"
CERTIFICATE = "2022-11-02-certificate-expiry"
Damage = Callable[[sqlite3.Connection], object]


def payment_row(conn: sqlite3.Connection) -> tuple[bytes, bytes]:
    return conn.execute("SELECT doc_keys, counts FROM postings WHERE stem='payment'").fetchone()  # type: ignore[no-any-return]


def set_payment(conn: sqlite3.Connection, doc_keys: object, counts: object) -> None:
    conn.execute("UPDATE postings SET doc_keys=?, counts=? WHERE stem='payment'", (doc_keys, counts))


def set_data(data: str) -> Damage:
    return lambda conn: conn.execute("UPDATE documents SET data=? WHERE id=?", (data, CONTACTLESS))


def drop(table: str) -> Damage:
    return lambda conn: conn.execute(f"DROP TABLE {table}")


DAMAGES: dict[str, Damage] = {f"table {name} dropped": drop(name) for name in sorted(TABLE_NAMES)}
DAMAGES |= {f"view {name} dropped": lambda conn, name=name: conn.execute(f"DROP VIEW {name}")
            for name in sorted(VIEW_NAMES)}
DAMAGES |= {
    "document data not JSON": set_data("{not json"),
    "document data an empty object": set_data("{}"),
    "document data a list": set_data("[1, 2]"),
    "document data of another document": lambda conn: conn.execute(
        "UPDATE documents SET data=(SELECT data FROM documents WHERE id=?) WHERE id=?", (CERTIFICATE, CONTACTLESS)),
    "postings keys of an odd size": lambda conn: set_payment(conn, payment_row(conn)[0] + b"\0", payment_row(conn)[1]),
    "postings counts cut short": lambda conn: set_payment(conn, payment_row(conn)[0], payment_row(conn)[1][:-2]),
    "postings counts doubled": lambda conn: set_payment(conn, payment_row(conn)[0], payment_row(conn)[1] * 2),
    "postings stored as text": lambda conn: set_payment(conn, "text", 5),
    "postings naming a key out of range": lambda conn: set_payment(
        conn, (99_999).to_bytes(4, "little") + payment_row(conn)[0][4:], payment_row(conn)[1]),
    "postings naming a deleted document": lambda conn: conn.execute("DELETE FROM documents WHERE id=?",
                                                                      (CONTACTLESS,)),
    "terms counts of an odd size": lambda conn: conn.execute("UPDATE terms SET counts=counts || x'00'"),
    "terms with more stems than counts": lambda conn: conn.execute("UPDATE terms SET stems=stems || ' zzz'"),
    "file problems not JSON": lambda conn: conn.execute(
        "UPDATE files SET role='error', problems='oops' WHERE path LIKE '%canary%'"),
    "meta without its columns": lambda conn: (conn.execute("DROP TABLE meta"),
                                             conn.execute("CREATE TABLE meta (whatever TEXT)")),
}


def answers(kb: lessons.KnowledgeBase) -> dict[str, object]:
    """What a user reads from a knowledge base: search, similar, documents, check."""
    return {
        "search": [hit.document.id for hit in kb.search("payments declined at the tills")],
        "similar": [hit.document.id for hit in kb.similar(CONTACTLESS)],
        "documents": sorted(doc.id for doc in kb),
        "get": kb.get(CERTIFICATE).title,
        "check": sorted((p.path.name, p.code) for p in check(kb, CheckOptions(duplicate_threshold=0.3))),
        "pages": kb.pages,
        "length": len(kb),
    }


@pytest.fixture
def damaged(content_dir: Path) -> Callable[[Damage], Path]:
    def damage(how: Damage) -> Path:
        kb = lessons.load(content_dir)
        location = Path(kb.index.location)
        kb.close()
        with sqlite3.connect(location) as conn:
            how(conn)
        return location

    return damage


@pytest.mark.parametrize("name", list(DAMAGES))
def test_a_damaged_table_is_rebuilt_quietly_and_answers_as_a_fresh_index(content_dir, damaged, capsys, name):
    expected = answers(lessons.load(content_dir, index=":memory:"))
    location = damaged(DAMAGES[name])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        kb = lessons.load(content_dir)
        assert answers(kb) == expected
    assert kb.last_sync.rebuilt, "the damage was not found and rebuilt"
    assert capsys.readouterr() == ("", "")
    kb.close()
    with sqlite3.connect(location) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    again = lessons.load(content_dir)
    assert not again.last_sync.rebuilt and again.last_sync.changed == 0


@pytest.mark.parametrize("name", ["table postings dropped", "document data not JSON", "postings counts cut short"])
def test_commands_on_a_damaged_index_print_no_traceback(content_dir, damaged, cli, name):
    damaged(DAMAGES[name])
    for args in (["search", "payments"], ["similar", CONTACTLESS], ["show", CERTIFICATE], ["check"]):
        result = cli(*args, "--content", content_dir)
        assert result.exception is None or isinstance(result.exception, SystemExit), (args, result.exception)
        assert result.exit_code in (0, 1), (args, result.output)
        damaged(DAMAGES[name])


def test_a_damaged_file_found_while_reading_is_replaced_and_the_read_answered(content_dir, monkeypatch):
    kb = lessons.load(content_dir)
    first = kb.index
    real = first.documents

    def malformed() -> list[lessons.Document]:
        monkeypatch.setattr(first, "documents", real)
        raise sqlite3.DatabaseError("database disk image is malformed")

    monkeypatch.setattr(first, "documents", malformed)
    assert len(kb.documents()) == 6
    assert kb.index is not first and kb.last_sync.rebuilt
