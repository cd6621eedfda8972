"""Front matter reads the same with libyaml's parser as with PyYAML's pure-Python one.

`lessons.parsing.frontmatter` composes with ``yaml.CSafeLoader`` (several times faster)
and falls back to ``yaml.SafeLoader`` where PyYAML was built without libyaml. Both must
give the same entries: values, lines, columns, the text as written, and the same
findings at the same places, for the documents the tests hold and for odd YAML.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from lessons.errors import ParseError
from lessons.parsing import frontmatter

HERE = Path(__file__).resolve().parent
FOLDERS = [HERE / "cases", HERE.parent / "content", HERE / "data" / "kb", HERE / "data" / "foreign"]
ODD = [
    "title: x\ntitle: y\n", "on: yes\noff: no\n", "? [a, b]\n: c\n", "1: one\n", "- a\n- b\n", "just text\n",
    "title: Outage: payments down\n", "a: &x 1\nb: *x\n", "a: !!binary aGk=\nb: !foo bar\nc: !!int abc\n",
    "a: 2024-13-45\nb: !!timestamp nope\nc: !!bool maybe\n", "n: 123456789012345678901234567890\n",
    "deep: " + "[" * 20 + "x" + "]" * 20 + "\n", "a: [1, 2\n", "a: 'open\n", "a:\n  - x\n  -\n    y: 1\n",
    "a: one\u2028two\nb: three\x85four\nc: 5\n", "a: b\x07c\n", "a: \"é\x01\"\n", "\ta: 1\n", "a: =\nb: <<\n",
    "t: 2024-03-05T14:30:00+01:00\nd: 2024-03-05\nf: 1.5\nz: ~\nbig: 0x10\n", "{a: 1, b: [x, {c: d}]}\n",
    "a: |\n  line one\n  line two\nb: >\n  folded\n  text\n", "", "# only a comment\n", "---\n",
]


def front_matters() -> list[str]:
    found = []
    for folder in FOLDERS:
        for path in sorted(folder.rglob("*.md")):
            text = path.read_text(encoding="utf-8", errors="replace")
            if text.startswith("---\n") and "\n---" in text[3:]:
                found.append(text[4:text.index("\n---", 3) + 1])
    return found


def outcome(text: str, loader: type[yaml.SafeLoader], monkeypatch: pytest.MonkeyPatch) -> object:
    """The entries one loader reads, or where and why it refused the YAML."""
    monkeypatch.setattr(frontmatter, "_Loader", loader)
    try:
        return frontmatter.load_yaml_front_matter(text, Path("doc.md"), 2)
    except ParseError as exc:
        problem = exc.to_problem()
        return (problem.code, problem.line, problem.column)


def test_there_are_documents_to_compare() -> None:
    assert len(front_matters()) >= 80


@pytest.mark.parametrize("text", ODD)
def test_odd_yaml_reads_alike_with_both_loaders(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    assert outcome(text, yaml.CSafeLoader, monkeypatch) == outcome(text, yaml.SafeLoader, monkeypatch)


def test_every_document_s_front_matter_reads_alike_with_both_loaders(monkeypatch: pytest.MonkeyPatch) -> None:
    for text in front_matters():
        assert outcome(text, yaml.CSafeLoader, monkeypatch) == outcome(text, yaml.SafeLoader, monkeypatch), text
