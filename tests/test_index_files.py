"""Odd things in a content folder are named, never a crash, a hang or a memory blow-up.

A name that is not UTF-8, a symlink that loops, a FIFO or a device called ``*.md``, a
huge sparse file, a symlinked or unreadable folder: each becomes one finding naming
the path, and every other file still loads. Whatever could hang or eat memory runs in a
child process with a time and memory limit, so a regression fails instead of stalling.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import lessons

LOAD_AND_REPORT = textwrap.dedent("""
    import json, resource, sys
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))  # 1 GB: reading a device would pass it
    import lessons
    kb = lessons.load(sys.argv[1])
    print(json.dumps({"ids": sorted(kb.ids),
                      "problems": [[p.path.name, p.code, p.level.value, p.message] for p in kb.problems
                                   if p.code != "missing-section"]}))
""")


def load_in_child(content: Path, timeout: float = 60) -> dict[str, list]:  # type: ignore[type-arg]
    try:
        done = subprocess.run([sys.executable, "-c", LOAD_AND_REPORT, str(content)], capture_output=True,
                              text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        pytest.fail(f"loading {content} did not finish within {timeout} s")
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def write_postmortem(folder: Path | bytes, name: str | bytes = "fine.md") -> None:
    path = os.path.join(folder, name)  # type: ignore[arg-type]
    with open(path, "w", encoding="utf-8") as out:
        out.write("---\ntitle: A fine incident\ndate: 2024-01-01\n---\n\n## Summary\n\nAll good again.\n")


@pytest.fixture
def content(tmp_path: Path) -> Path:
    folder = tmp_path / "kb" / "postmortems"
    folder.mkdir(parents=True)
    write_postmortem(folder)
    return tmp_path / "kb"


def codes(report: dict[str, list]) -> list[tuple[str, str]]:  # type: ignore[type-arg]
    return sorted((name, code) for name, code, _, _ in report["problems"])


def test_a_file_name_that_is_not_utf8_is_reported_and_the_rest_loads(content, cli):
    write_postmortem(bytes(content / "postmortems"), b"bad-\xff-name.md")
    report = load_in_child(content)
    assert report["ids"] == ["fine"]
    assert codes(report) == [("bad-\ufffd-name.md", "file-name-encoding")]
    assert "rename the file" in report["problems"][0][3]
    result = cli("check", "--content", content)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "bad-\ufffd-name.md:1:1: warning file-name-encoding" in result.output


def test_a_folder_name_that_is_not_utf8_is_reported(content):
    odd = os.path.join(bytes(content / "postmortems"), b"folder-\xfe")
    os.mkdir(odd)
    write_postmortem(odd, b"inside.md")
    report = load_in_child(content)
    assert report["ids"] == ["fine"]
    assert codes(report) == [("folder-\ufffd", "file-name-encoding")]


def test_symlinks_that_loop_are_reported(content, cli):
    folder = content / "postmortems"
    (folder / "self.md").symlink_to("self.md")
    (folder / "ping.md").symlink_to("pong.md")
    (folder / "pong.md").symlink_to("ping.md")
    report = load_in_child(content)
    assert report["ids"] == ["fine"]
    assert codes(report) == [("ping.md", "symlink-loop"), ("pong.md", "symlink-loop"), ("self.md", "symlink-loop")]
    for args in (["--content", content], [folder]):
        result = cli("check", *args)
        assert result.exit_code == 0 and result.exception is None or isinstance(result.exception, SystemExit)
        assert "self.md:1:1: warning symlink-loop" in result.output, result.output


def test_a_fifo_named_md_neither_blocks_nor_stops_the_other_files(content):
    os.mkfifo(content / "postmortems" / "pipe.md")
    report = load_in_child(content, timeout=30)
    assert report["ids"] == ["fine"]
    assert codes(report) == [("pipe.md", "not-a-file")]
    assert "FIFO" in report["problems"][0][3]


def test_a_device_named_md_is_not_read(content):
    import stat

    try:
        os.mknod(content / "postmortems" / "zero.md", 0o600 | stat.S_IFCHR, os.makedev(1, 5))  # /dev/zero
    except PermissionError:
        pytest.skip("making a device file needs CAP_MKNOD")
    report = load_in_child(content, timeout=30)
    assert report["ids"] == ["fine"]
    assert codes(report) == [("zero.md", "not-a-file")]


def test_a_huge_sparse_file_is_refused_after_reading_the_limit(content):
    with open(content / "postmortems" / "huge.md", "wb") as out:
        out.truncate(8 << 30)  # 8 GB of nothing: reading it whole would pass the 1 GB limit
    report = load_in_child(content, timeout=30)
    assert report["ids"] == ["fine"]
    assert codes(report) == [("huge.md", "file-too-large")]
    assert "8192.0 MB" in report["problems"][0][3]


def test_what_replaces_a_listed_file_is_checked_again_when_it_is_read(tmp_path):
    # Between the listing and the reading, a file can become a FIFO or a device.
    code = textwrap.dedent("""
        import os, sys
        from pathlib import Path
        from lessons.store.prepare import read_file
        os.mkfifo(sys.argv[1])
        for path in (sys.argv[1], "/dev/zero"):
            text, digest, error = read_file(Path(path))
            print(text == "", error.code)
    """)
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path / "pipe.md")], capture_output=True,
                          text=True, timeout=30)
    assert done.stdout.split("\n")[:2] == ["True not-a-file", "True not-a-file"], done.stderr[-2000:]


def test_a_symlinked_folder_is_named_not_skipped_without_a_word(content, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    write_postmortem(elsewhere, "outside.md")
    (content / "postmortems" / "linked").symlink_to(elsewhere)
    (content / "postmortems" / "again").symlink_to(".")
    kb = lessons.load(content)
    assert kb.ids == ["fine"]
    found = {p.path.name: p for p in kb.problems if p.code == "symlinked-folder"}
    assert sorted(found) == ["again", "linked"]
    assert str(elsewhere) in found["linked"].message and found["linked"].level.value == "warning"


def test_an_unreadable_folder_is_named(content, monkeypatch):
    locked = content / "postmortems" / "locked"
    locked.mkdir()
    write_postmortem(locked, "secret.md")
    real_scandir = os.scandir

    def scandir(path: object = ".") -> object:
        if Path(os.fsdecode(path)) == locked:  # type: ignore[arg-type]
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "scandir", scandir)  # root may read any folder: pretend it may not
    kb = lessons.load(content)
    assert kb.ids == ["fine"]
    found = [p for p in kb.problems if p.code == "unreadable-folder"]
    assert [(p.path, p.level.value) for p in found] == [(locked, "warning")]
    assert "Permission denied" in found[0].message


# -- what comes in besides the content folder ------------------------------------------


@pytest.mark.parametrize("locale", ["C", "C.UTF-8"])
def test_similar_reads_standard_input_that_is_not_utf8(content, locale):
    env = {k: v for k, v in os.environ.items() if k not in ("LESSONS_INDEX", "LESSONS_PATH", "PYTHONIOENCODING")}
    env |= {"LC_ALL": locale, "PYTHONUTF8": "0"}
    done = subprocess.run([sys.executable, "-m", "lessons", "similar", "-", "--kind", "any", "--json",
                           "--content", str(content)], input=b"all good \xff\xfe again, a fine incident\n",
                          capture_output=True, timeout=60, env=env)
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-2000:]
    assert [hit["id"] for hit in json.loads(done.stdout)] == ["fine"]


def test_new_refuses_to_write_through_a_symlinked_folder_to_outside_the_content(tmp_path, cli):
    from lessons.scaffold import new_postmortem, new_practice

    content = tmp_path / "kb"
    content.mkdir()
    outside = tmp_path / "outside"
    outside.mkdir()
    (content / "postmortems").symlink_to(outside)
    (content / "practices").symlink_to(tmp_path / "nowhere")  # dangling, and outside too
    with pytest.raises(lessons.LessonsError, match="leads outside the content folder"):
        new_postmortem(content, "Checkout fails after config push")
    with pytest.raises(lessons.LessonsError, match="leads outside the content folder"):
        new_practice(content, "Canary releases")
    result = cli("new", "postmortem", "Checkout fails", "--content", content)
    assert result.exit_code == 2 and "leads outside the content folder" in result.stderr
    assert list(outside.iterdir()) == [] and not (tmp_path / "nowhere").exists()


def test_new_writes_through_a_symlinked_folder_that_stays_inside_the_content(tmp_path):
    from lessons.scaffold import new_postmortem

    content = tmp_path / "kb"
    (content / "archive" / "incidents").mkdir(parents=True)
    (content / "postmortems").symlink_to(Path("archive") / "incidents")
    written = new_postmortem(content, "Checkout fails after config push")
    assert written.parent == content / "postmortems"
    assert (content / "archive" / "incidents" / written.name).is_file()
