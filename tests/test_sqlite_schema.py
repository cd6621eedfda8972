"""The SQLite index's recorded CREATE statements are the SQLModel classes', and a build needs no SQLAlchemy."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from lessons.store.backends.sqlite import compiled_schema
from lessons.store.backends.sqlite_schema import STATEMENTS

from record_sqlite_schema import RECORD, text  # tests/ is on the path: pytest's rootdir conftest


def test_the_recorded_statements_are_the_ones_the_tables_compile_to() -> None:
    assert list(STATEMENTS) == compiled_schema(), "run `python -m tests.record_sqlite_schema` (and bump SCHEMA_VERSION)"
    assert RECORD.read_text(encoding="utf-8") == text(compiled_schema())


def test_a_first_build_does_not_import_sqlalchemy(tmp_path: Path) -> None:
    folder = tmp_path / "content" / "postmortems"
    folder.mkdir(parents=True)
    (folder / "queue.md").write_text("---\ntitle: Queue stopped\ndate: 2024-05-01\n---\n\n## Summary\n\nIt stopped.\n",
                                     encoding="utf-8")
    code = ("import sys, lessons; kb = lessons.load(sys.argv[1]); assert len(kb.documents()) == 1; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'sqlmodel')))")
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path / "content")], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "[]"
