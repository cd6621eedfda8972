"""Which files a branch changed, for `lessons check --changed`; what a range holds, for `lessons advise --base`."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from ..errors import LessonsError


def changed_files(root: Path, base: str) -> list[Path]:
    """Files under `root` that differ from where the work tree left `base`.

    Counts everything a pull request would contain plus what is not committed
    yet: commits since the merge base of `base` and ``HEAD``, staged and
    unstaged changes, and untracked files that are not ignored. Deleted files
    are left out (there is nothing left to check in them).

    Args:
        root: the content folder (or any folder inside the repository).
        base: a git ref or commit, e.g. ``main`` or ``origin/main``.

    Returns:
        Absolute paths, sorted.

    Raises:
        LessonsError: git is missing, `root` is not in a git repository, or
            `base` is not a known ref.
    """
    root = root.resolve()
    top, merge_base = _merge_base(root, base, "--changed")
    changed = _git(top, "diff", "--name-only", "-z", "--no-renames", "--diff-filter=d",
                   merge_base, "--", error="git diff failed")
    untracked = _git(top, "ls-files", "--others", "--exclude-standard", "-z",
                     error="git ls-files failed")
    paths = {(top / name).resolve() for name in (changed + untracked).split("\0") if name}
    return sorted(p for p in paths if p.is_relative_to(root) and p.is_file())


@dataclass(frozen=True, slots=True)
class GitRange:
    """What a branch holds against a base: for advice on the change it makes."""

    top: Path
    """The repository's top folder."""
    messages: str
    """The commit messages since the merge base, oldest first."""
    paths: list[str]
    """The changed files, relative to `top` (``/``-separated), deleted ones too."""
    words: str
    """The text of the lines the diff adds and removes (at most 200 KB of it)."""


def read_range(cwd: Path, base: str) -> GitRange:
    """The commits, changed paths and diff lines between the merge base of `base` and ``HEAD``.

    Raises:
        LessonsError: git is missing, `cwd` is not in a repository, or `base` is unknown.
    """
    top, merge_base = _merge_base(cwd.resolve(), base, "--base")
    messages = _git(top, "log", "--reverse", "--format=%B", f"{merge_base}..HEAD", error="git log failed")
    names = _git(top, "diff", "--name-only", "-z", "--no-renames", merge_base, "HEAD", "--",
                 error="git diff failed")
    diff = _git(top, "diff", "--unified=0", "--no-color", "--no-renames", merge_base, "HEAD", "--",
                error="git diff failed")
    lines = [line[1:] for line in diff.splitlines()
             if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    return GitRange(top, messages.strip(), [n for n in names.split("\0") if n], "\n".join(lines)[:200_000])


def _merge_base(root: Path, base: str, option: str) -> tuple[Path, str]:
    top = Path(_git(root, "rev-parse", "--show-toplevel",
                    error=f"{root} is not inside a git repository; {option} needs one").strip())
    _git(top, "rev-parse", "--verify", "--quiet", f"{base}^{{commit}}",
         error=f"unknown git ref {base!r}: check the name, or fetch it first "
               f"(e.g. `git fetch origin {base.removeprefix('origin/')}`)")
    merge_base = _git(top, "merge-base", base, "HEAD",
                      error=f"{base!r} and HEAD have no common history to compare").strip()
    return top, merge_base


def _git(cwd: Path, *args: str, error: str) -> str:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True,
                              encoding="utf-8", check=False)
    except FileNotFoundError:
        raise LessonsError("git is not installed or not on PATH; --changed needs it") from None
    if done.returncode != 0:
        detail = done.stderr.strip().splitlines()
        raise LessonsError(error + (f" (git: {detail[-1]})" if detail else ""))
    return done.stdout
