"""Every finding code the package can emit is in `lessons.codes.RULES` and in docs/FORMAT.md.

Codes are written as strings where findings are made; two nets catch one that is not
registered: a scan of the package's source for codes written at call sites, and a run
of `check` over test knowledge bases that collects every code actually reported.
"""

from __future__ import annotations

import ast
import re
import shutil
from pathlib import Path

import lessons
from lessons.checks.rules import CheckOptions, check
from lessons.codes import RULES, explain
from lessons.errors import Level

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "lessons"
FOREIGN = Path(__file__).parent / "data" / "foreign"
CASES = Path(__file__).parent / "cases"

# `Problem` is a dataclass: path, line, code, … (its fields are not a `def`).
_KNOWN_CODE_POSITIONS = {"Problem": 2}


def _code_positions(trees: list[ast.Module]) -> dict[str, int | None]:
    """Functions and classes with a parameter named `code`: its position among the positional ones."""
    positions: dict[str, int | None] = dict(_KNOWN_CODE_POSITIONS)
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                positional = [a.arg for a in (*node.args.posonlyargs, *node.args.args) if a.arg not in ("self", "cls")]
                keyword = [a.arg for a in node.args.kwonlyargs]
                if "code" in positional or "code" in keyword:
                    name = node.name
                    if name == "__init__":
                        continue  # named by its class below
                    positions[name] = positional.index("code") if "code" in positional else None
            if isinstance(node, ast.ClassDef):
                for item in node.body:
                    if isinstance(item, ast.FunctionDef) and item.name == "__init__":
                        params = [a.arg for a in (*item.args.posonlyargs, *item.args.args)][1:]
                        keyword = [a.arg for a in item.args.kwonlyargs]
                        if "code" in params or "code" in keyword:
                            positions[node.name] = params.index("code") if "code" in params else None
    return positions


def _code_defaults(tree: ast.Module) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            args = node.args
            pairs = list(zip(reversed([*args.posonlyargs, *args.args]), reversed(args.defaults), strict=False))
            pairs += [(a, d) for a, d in zip(args.kwonlyargs, args.kw_defaults, strict=True) if d is not None]
            found.update(d.value for a, d in pairs
                         if a.arg == "code" and isinstance(d, ast.Constant) and isinstance(d.value, str))
    return found


def _string(node: ast.expr, constants: dict[str, str]) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Name):
        return constants.get(node.id)
    return None


def codes_in_source() -> dict[str, str]:
    """Each code written at a call site in lessons/, with one place it is written."""
    # lessons/codes.py is the register itself, not a place findings are made.
    files = sorted(path for path in PACKAGE.rglob("*.py") if path != PACKAGE / "codes.py")
    trees = [ast.parse(path.read_text(encoding="utf-8")) for path in files]
    positions = _code_positions(trees)
    found: dict[str, str] = {}
    for path, tree in zip(files, trees, strict=True):
        where = str(path.relative_to(ROOT))
        constants = {t.id: n.value.value for n in tree.body if isinstance(n, ast.Assign)
                     for t in n.targets if isinstance(t, ast.Name)
                     and isinstance(n.value, ast.Constant) and isinstance(n.value.value, str)}
        for code in _code_defaults(tree):
            found.setdefault(code, where)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            written = [kw.value for kw in node.keywords if kw.arg == "code"]
            index = positions.get(name)
            if name in positions and index is not None and len(node.args) > index:
                written.append(node.args[index])
            for value in written:
                code = _string(value, constants)
                if code is not None:
                    found.setdefault(code, f"{where}:{node.lineno}")
    return found


def test_the_scan_finds_the_codes_of_every_kind_of_call_site() -> None:
    # If the scan stopped working, the next test would pass on nothing.
    found = codes_in_source()
    for code in ("unknown-cause", "yaml", "invalid-field", "invalid-id", "unknown-key", "possible-duplicate",
                 "symlink-outside", "taxonomy", "missing-section"):
        assert code in found, code


def test_every_code_written_in_the_package_is_registered() -> None:
    missing = {code: where for code, where in codes_in_source().items() if code not in RULES}
    assert not missing, f"codes not in lessons/codes.py: {missing}"


def test_every_registered_code_is_emitted_somewhere() -> None:
    # A registered code nobody emits is a stale entry (the scan sees every call site but
    # `ParseError.to_problem`, which passes the error's own code on).
    stale = set(RULES) - set(codes_in_source())
    assert not stale, f"registered but never written in the package: {sorted(stale)}"


def _copy(source: Path, into: Path) -> Path:
    shutil.copytree(source, into, ignore=shutil.ignore_patterns(".lessons", "expected.json"))
    return into


def test_every_code_check_reports_on_test_content_is_registered(tmp_path: Path, content_dir: Path) -> None:
    seen: dict[str, str] = {}
    folders = [content_dir, _copy(CASES, tmp_path / "cases" / "postmortems").parent]
    folders += [_copy(folder, tmp_path / "foreign" / folder.name) for folder in sorted(FOREIGN.iterdir())
                if folder.is_dir()]
    for folder in folders:
        kb = lessons.load(folder, index=":memory:")
        for problem in check(kb, CheckOptions(duplicate_threshold=0.5)):
            seen.setdefault(problem.code, str(problem))
    assert len(seen) >= 5  # the content above is meant to produce many kinds of findings
    unregistered = {code: example for code, example in seen.items() if code not in RULES}
    assert not unregistered, unregistered


def test_format_md_lists_every_code_with_its_level() -> None:
    text = (ROOT / "docs" / "FORMAT.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| `([a-z-]+)` \| (off|info|warning|error)[^|]*\|", text, re.MULTILINE))
    missing = sorted(set(RULES) - set(rows))
    assert not missing, f"docs/FORMAT.md's table of rules lacks {missing}"
    wrong = {code: rows[code] for code in RULES if rows[code] != RULES[code].level.value}
    assert not wrong, f"levels in docs/FORMAT.md differ from lessons/codes.py: {wrong}"
    unknown = sorted(set(rows) - set(RULES))
    assert not unknown, f"docs/FORMAT.md lists codes that do not exist: {unknown}"


def test_explain_says_what_a_rule_checks_and_how_to_silence_it() -> None:
    text = explain("action-item-owner")
    assert text.startswith("action-item-owner (warning)")
    assert "no owner" in text and "owner: team" in text
    assert 'action-item-owner = "off"' in text and "<!-- lessons-disable action-item-owner -->" in text
    assert "cannot be switched off" in explain("duplicate-id")
    assert RULES["file-name-id"].level is Level.INFO
