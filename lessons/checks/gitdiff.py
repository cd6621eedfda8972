"""Which files a branch changed, for `lessons check --changed`."""

from __future__ import annotations

import subprocess
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
    top = Path(_git(root, "rev-parse", "--show-toplevel",
                    error=f"{root} is not inside a git repository; --changed needs one").strip())
    _git(top, "rev-parse", "--verify", "--quiet", f"{base}^{{commit}}",
         error=f"unknown git ref {base!r}: check the name, or fetch it first "
               f"(e.g. `git fetch origin {base.removeprefix('origin/')}`)")
    merge_base = _git(top, "merge-base", base, "HEAD",
                      error=f"{base!r} and HEAD have no common history to compare").strip()
    changed = _git(top, "diff", "--name-only", "-z", "--no-renames", "--diff-filter=d",
                   merge_base, "--", error="git diff failed")
    untracked = _git(top, "ls-files", "--others", "--exclude-standard", "-z",
                     error="git ls-files failed")
    paths = {(top / name).resolve() for name in (changed + untracked).split("\0") if name}
    return sorted(p for p in paths if p.is_relative_to(root) and p.is_file())


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
