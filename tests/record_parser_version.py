"""Record the hash of the reading code beside `PARSER_VERSION`.

Run ``python -m tests.record_parser_version`` after bumping
`lessons.store.schema.PARSER_VERSION`; ``tests/test_index.py`` compares the recorded
hash with the sources and fails when they changed under the same version.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "lessons"
RECORD = Path(__file__).resolve().parent / "data" / "parser_version.json"
READING_MODULES = ("model.py", "fieldspec.py", "store/tokenize.py", "store/search_text.py")
"""Besides everything under ``parsing/``: the code that decides what a file becomes."""


def reading_sources(package: Path = PACKAGE) -> list[Path]:
    """The files whose content decides how a Markdown file is read, relative to `package`."""
    parsing = [path.relative_to(package) for path in (package / "parsing").rglob("*")
               if path.is_file() and "__pycache__" not in path.parts and path.suffix not in (".pyc", ".pyo")]
    return sorted([*parsing, *map(Path, READING_MODULES)], key=lambda p: p.as_posix())


def sources_sha256(package: Path = PACKAGE) -> str:
    """One SHA-256 over the reading sources' names and contents (line endings ignored)."""
    digest = hashlib.sha256()
    for rel in reading_sources(package):
        digest.update(rel.as_posix().encode() + b"\0")
        digest.update((package / rel).read_bytes().replace(b"\r\n", b"\n") + b"\0")
    return digest.hexdigest()


def main() -> None:
    from lessons.store.schema import PARSER_VERSION

    record = {"parser_version": PARSER_VERSION, "sources_sha256": sources_sha256()}
    RECORD.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    print(f"{RECORD}: parser_version {PARSER_VERSION}, sources {record['sources_sha256'][:12]}…")


if __name__ == "__main__":
    main()
