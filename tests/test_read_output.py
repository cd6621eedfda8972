"""Reading every result gives, byte for byte, what it gave before snippets and reasons were made cheaper.

The expected output is ``tests/data/read_output.json``, recorded by
``tests/record_read_output.py`` from the code as it was (see there when it may be rerun).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests import record_read_output as recorder

RECORD = json.loads(recorder.RECORD.read_text(encoding="utf-8"))


def _compare(expected: dict[str, object], actual: dict[str, object]) -> None:
    assert actual["queries"] == expected["queries"] and actual["similar_to"] == expected["similar_to"]
    for kind in ("search", "similar"):
        want, got = expected[kind], actual[kind]
        assert isinstance(want, dict) and isinstance(got, dict)
        for key, rows in want.items():
            # Compared as JSON text, so that 1 and 1.0 or a tuple and a list would differ too.
            assert json.dumps(got[key], ensure_ascii=False) == json.dumps(rows, ensure_ascii=False), (kind, key)


def test_reading_every_result_on_content_gives_the_recorded_output() -> None:
    content = RECORD["content"]
    _compare(content, recorder.outputs(recorder.ROOT / "content", content["queries"], every=4))


def test_reading_every_result_on_a_generated_corpus_gives_the_recorded_output(tmp_path: Path) -> None:
    generated = RECORD["generated"]
    folder = recorder.corpus_module().write(tmp_path / "corpus", recorder.CORPUS_COUNT, recorder.CORPUS_SEED)
    if recorder.folder_sha256(folder) != generated["corpus_sha256"]:
        pytest.fail("benchmarks/corpus.py now writes another corpus than the one recorded: rerun "
                    "`python -m tests.record_read_output` at a commit whose search output is trusted")
    _compare(generated, recorder.outputs(folder, generated["queries"], every=30))


def test_the_record_covers_typos_prefixes_and_long_snippets() -> None:
    # The record must exercise what the faster paths shortcut: fuzzy and prefix matches,
    # snippets cut out of long sentences, results without any snippet, and similar().
    rows = [row for part in ("content", "generated") for kind in ("search", "similar")
            for hits in RECORD[part][kind].values() for row in hits]
    reasons = [reason for row in rows for reason in row["why"]]
    assert any(" ~ " in r for r in reasons) and any(" … " in r for r in reasons)
    assert any(row["snippet"].startswith("…") for row in rows)
    assert any("**" not in row["snippet"] for row in rows)
    assert len(RECORD["content"]["similar"]) >= 10 and len(RECORD["generated"]["search"]) >= 100
