"""Bad input: each gives one finding with the file and line, never a traceback, and
never stops the other files from being checked."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from click.testing import Result

import lessons
from lessons.checks.rules import CheckOptions, check
from lessons.errors import ParseError
from lessons.parsing.parse import MAX_FILE_BYTES, parse_text, read_source

TODAY = date(2026, 11, 26)
GOOD_IDS = {
    "2024-03-16-contactless-payments-update", "2023-09-05-dns-configuration-push",
    "2022-11-02-certificate-expiry", "2021-06-14-build-dependency-removed",
    "canary-releases", "dependency-pinning",
}
NAME = "postmortems/2024-01-01-bad.md"

BAD_INPUTS: list[tuple[str, bytes, tuple[int, int, str, str]]] = [
    ("malformed-yaml", b"---\ntitle: Bad YAML\ndate: 2024-01-01\nservices: [payments\n---\n\nBody\n",
     (5, 1, "yaml", "front matter is not valid YAML: did not find expected ',' or ']'")),
    ("yaml-tab-indent", b"---\ntitle: x\n\tdate: 2024-01-01\n---\n",
     (3, 1, "yaml", "front matter is not valid YAML: found a tab character that violates indentation")),
    ("not-a-mapping-list", b"---\n- title\n- date\n---\n",
     (2, 1, "front-matter-not-mapping", "front matter must be a mapping of `key: value` lines, not a list")),
    ("not-a-mapping-scalar", b"---\njust a sentence\n---\n",
     (2, 1, "front-matter-not-mapping",
      "front matter must be a mapping of `key: value` lines, not a single value (text)")),
    ("on-key", b"---\ntitle: On key\ndate: 2024-01-01\non: push\n---\n",
     (4, 1, "key-not-string",
      "front-matter key 'on' is not a plain string (YAML reads it as true/false); quote it: '\"on\": \u2026'")),
    ("number-key", b"---\ntitle: T\ndate: 2024-01-01\n2024: year\n---\n",
     (4, 1, "key-not-string",
      "front-matter key '2024' is not a plain string (YAML reads it as a number); quote it: '\"2024\": \u2026'")),
    ("merge-key", b"---\ntitle: T\ndate: 2024-01-01\n<<: {a: 1}\n---\n",
     (4, 1, "key-not-string",
      "front-matter key '<<' is not a plain string (YAML reads it as merge); quote it: '\"<<\": \u2026'")),
    ("alias", b"---\ntitle: &a Alias\ndate: 2024-01-01\nsummary: *a\n---\n",
     (4, 10, "yaml-alias", "YAML aliases (*a) and anchors (&name) are not allowed in front matter; "
      "write the value out")),
    ("alias-bomb", b"---\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
     b"c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
     b"e: [*d, *d, *d, *d, *d, *d, *d, *d, *d]\ntitle: Bomb\ndate: 2024-01-01\n---\n",
     (3, 8, "yaml-alias", "YAML aliases (*a) and anchors (&name) are not allowed in front matter; "
      "write the value out")),
    ("duplicate-key", b"---\ntitle: A\ndate: 2024-01-01\ntitle: B\n---\n",
     (4, 1, "duplicate-key", "front-matter key 'title' appears twice (first on line 2)")),
    ("latin-1", "---\ntitle: Caf\u00e9 outage\ndate: 2024-01-01\n---\n".encode("latin-1"),
     (2, 11, "encoding", "file is not UTF-8 (byte 0xe9); re-save it as UTF-8")),
    ("empty", b"",
     (1, 1, "empty-file", "file is empty; a document needs front matter with at least `title:` "
      "(and `date:` for a post-mortem)")),
    ("only-whitespace", b"\n  \n\n",
     (1, 1, "empty-file", "file is empty; a document needs front matter with at least `title:` "
      "(and `date:` for a post-mortem)")),
    ("binary", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
     (1, 1, "binary", "file looks binary (it contains NUL bytes), not Markdown")),
    ("unclosed-front-matter", b"---\ntitle: Unclosed\ndate: 2024-01-01\n\n## Summary\n\nText\n",
     (1, 1, "front-matter-unclosed",
      "front matter opened with '---' on line 1 is never closed by a '---' line")),
]


def check_with(content_dir: Path, name: str, data: bytes) -> tuple[lessons.KnowledgeBase, list[tuple]]:
    path = content_dir / name
    path.write_bytes(data)
    kb = lessons.load(content_dir)
    problems = check(kb, CheckOptions(today=TODAY))
    return kb, [(p.path.resolve(), p.line, p.column, p.level.value, p.code, p.message) for p in problems]


@pytest.mark.parametrize(("data", "expected"), [case[1:] for case in BAD_INPUTS],
                         ids=[case[0] for case in BAD_INPUTS])
def test_bad_file_is_one_finding_and_the_rest_is_still_checked(
    content_dir: Path, data: bytes, expected: tuple[int, int, str, str]
) -> None:
    kb, found = check_with(content_dir, NAME, data)
    line, column, code, message = expected
    assert found == [((content_dir / NAME).resolve(), line, column, "error", code, message)]
    assert {doc.id for doc in kb} == GOOD_IDS


def test_a_file_over_the_size_limit_is_refused_with_its_size(content_dir: Path) -> None:
    data = b"---\ntitle: Huge\ndate: 2024-01-07\n---\n" + b"2024-01-07 10:00:00 ERROR connection refused\n" * 240_000
    assert len(data) > 10 * 1_048_576 > MAX_FILE_BYTES
    kb, found = check_with(content_dir, NAME, data)
    assert found == [((content_dir / NAME).resolve(), 1, 1, "error", "file-too-large",
                      "file is 10.3 MB; documents are limited to 2 MB (is a log or binary pasted in?)")]
    assert {doc.id for doc in kb} == GOOD_IDS


def test_a_symlink_out_of_the_content_folder_is_ignored_with_a_warning(content_dir: Path) -> None:
    outside = content_dir.parent / "secret.md"
    outside.write_text("---\ntitle: Not part of this knowledge base\ndate: 2024-01-01\n---\n")
    link = content_dir / "postmortems" / "2024-01-09-link.md"
    os.symlink(outside, link)
    kb = lessons.load(content_dir)
    problems = check(kb, CheckOptions(today=TODAY))
    assert [(p.path, p.line, p.level.value, p.code, p.message) for p in problems] == [
        (link, 1, "warning", "symlink-outside",
         f"ignored: symlink points outside the content folder (to {outside.resolve()})"),
    ]
    assert {doc.id for doc in kb} == GOOD_IDS


def test_a_broken_symlink_is_ignored_with_a_warning(content_dir: Path) -> None:
    link = content_dir / "postmortems" / "2024-01-10-gone.md"
    os.symlink(content_dir / "postmortems" / "deleted-long-ago.md", link)
    kb = lessons.load(content_dir)
    problems = check(kb, CheckOptions(today=TODAY))
    assert [(p.path, p.line, p.level.value, p.code, p.message) for p in problems] == [
        (link, 1, "warning", "broken-symlink", "ignored: symlink points to nothing"),
    ]
    assert {doc.id for doc in kb} == GOOD_IDS


def test_a_symlink_inside_the_content_folder_is_followed(content_dir: Path) -> None:
    (content_dir / "postmortems" / "latest.md").symlink_to("2022-11-02-certificate-expiry.md")
    kb = lessons.load(content_dir)
    assert kb.get("latest").title == kb.get("2022-11-02-certificate-expiry").title
    # The same incident twice may be reported as a look-alike, but nothing is wrong with it.
    assert [p for p in check(kb, CheckOptions(today=TODAY)) if p.level.value == "error"] == []


def test_every_bad_file_at_once(content_dir: Path, cli: Callable[..., Result]) -> None:
    for number, (_, data, _) in enumerate(BAD_INPUTS, start=1):
        (content_dir / f"postmortems/2024-02-{number:02d}-bad.md").write_bytes(data)
    result = cli("check", "--content", content_dir, "--today", "2026-11-26")
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output + result.stderr
    lines = result.output.splitlines()
    assert len(lines) == len(BAD_INPUTS) + 1
    for number, (_, _, (line, column, code, _)) in enumerate(BAD_INPUTS, start=1):
        prefix = f"{content_dir}/postmortems/2024-02-{number:02d}-bad.md:{line}:{column}: error {code} "
        assert any(out.startswith(prefix) for out in lines), prefix
    assert lines[-1] == f"6 files checked, {len(BAD_INPUTS)} errors"


def test_a_broken_taxonomy_is_a_finding_not_a_crash(content_dir: Path) -> None:
    (content_dir / "taxonomy.yml").write_text("causes:\n  - id: a\n  - id: [b\n")
    kb = lessons.load(content_dir)
    problems = check(kb, CheckOptions(today=TODAY))
    taxonomy = [(p.line, p.code, p.message) for p in problems if p.path.name == "taxonomy.yml"]
    assert taxonomy == [(4, "yaml", "front matter is not valid YAML: did not find expected ',' or ']'")]


@pytest.mark.parametrize(("data", "expected"), [case[1:] for case in BAD_INPUTS if case[1]],
                         ids=[case[0] for case in BAD_INPUTS if case[1]])
def test_parse_errors_carry_the_line(tmp_path: Path, data: bytes, expected: tuple[int, int, str, str]) -> None:
    path = tmp_path / "x.md"
    path.write_bytes(data)
    with pytest.raises(ParseError) as caught:
        text, _ = read_source(path)
        parse_text(text, path)
    error = caught.value
    assert (error.line, error.column, error.code, error.message) == expected
    assert str(error) == f"{path}:{expected[0]}:{expected[1]}: {expected[3]}"


def test_an_empty_file_outside_the_document_folders_is_an_empty_page() -> None:
    assert parse_text("", "index.md", default_kind=None) is None


def test_an_unquoted_colon_in_a_value_says_to_quote_it(tmp_path: Path) -> None:
    from lessons.errors import ParseError
    from lessons.parsing.parse import parse_text

    with pytest.raises(ParseError) as caught:
        parse_text("---\ntitle: Outage: payments down\ndate: 2024-01-01\n---\n", tmp_path / "x.md")
    assert (caught.value.line, caught.value.code) == (2, "yaml")
    assert 'needs quotes: title: "Outage: payments down"' in caught.value.message
