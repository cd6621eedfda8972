"""Reading action items: task-list items, plain bullets and table rows."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..errors import Level, Problem
from .dates import DATE_TEXT, MONTH_NAME, date_problem, parse_date
from .lexicon import lexicon

_CHECKBOX = re.compile(r"^\s*\[(?P<mark>[ xX✓✔-])\]\s*")
_WORDS = lexicon().actions
"""Keys, closing words and column names of every language pack (lexicon/*.toml)."""
_OWNER_KEY = f"(?:{_WORDS.owner_key})"
_DUE_KEY = f"(?:{_WORDS.due_key})"
# Without a colon, "due", "by" and "ETA" start a due date only when a date follows: "due to load"
# and "by the platform team" are prose. A month and day without a year still counts ("by March
# 22"), so that the missing year is reported rather than the words kept in the item's text.
_DATE_AHEAD = rf"(?:{DATE_TEXT}|{MONTH_NAME}\.?\s+\d{{1,2}}(?:{lexicon().dates.ordinal_word})?)(?![\w/-])"
_DUE_WORD = re.compile(rf"\b(?:{_WORDS.due_word})\s+(?P<due>{_DATE_AHEAD})", re.IGNORECASE)
# A value runs to the next comma, bracket or dash separator ("owner: ops — due: …"), or to the
# next key when the keys follow each other without one ("owner: sam due: Q2").
_VALUE_END = (rf"(?=\s*(?:[,;)\]—–\n]|\s-\s|$)|\s+[*_]*(?:{_OWNER_KEY}|{_DUE_KEY})[*_]*\s*[:=]"
              rf"|\s+(?:{_WORDS.due_word})\s+{_DATE_AHEAD})")
# A value is words with gaps between them, ended where `_VALUE_END` holds after a word (or a lone
# blank when nothing is written). Lazily "any character" instead, the end was looked for after
# every character, and the look-ahead read the rest of each run of spaces: cubic on long runs.
_VALUE_WORDS = r"[^\s,;)\]—–]+(?:[^\S\n]+[^\s,;)\]—–]+)*?"
_OWNER = re.compile(rf"\b{_OWNER_KEY}\s*[:=]\s*(?P<owner>{_VALUE_WORDS}|[^\S\n]){_VALUE_END}", re.IGNORECASE)
# A written date is tried first so that "due: March 22nd, 2024" is not cut at its comma; a dash
# alone ("due: —") is a value, a placeholder, not a separator.
_DUE = re.compile(rf"\b{_DUE_KEY}\s*[:=]\s*(?P<due>{DATE_TEXT}|[—–](?=\s*(?:[,;)\]]|$))|{_VALUE_WORDS})"
                  rf"{_VALUE_END}", re.IGNORECASE)
_MENTION = re.compile(r"(?<![\w.])@(?P<owner>[A-Za-z0-9][\w.-]*[\w])")
# Starting only where a run of blanks starts: from inside one, the leading \s* read the rest of
# the run again, from every position (quadratic). The leftmost match is the same.
_TRAILER = re.compile(rf"(?<!\s)\s*(?:[—–]|\s-\s|\(|\[)\s*(?={_OWNER_KEY}\s*[:=]|{_DUE_KEY}\s*[:=])",
                      re.IGNORECASE)
# What may stand between the parts of an owner/due tail: "— @karim — due 2024-03-18".
_TAIL_GAP = re.compile(r"[\s,;:()\[\]—–-]*")
# A tail of mentions alone is stripped only after a separator: "Load-test it @sre" keeps its
# mention as part of the sentence, "Load-test it — @sre" does not.
_SEPARATED = re.compile(r"(?:[—–(\[,;]|\s-)\s*$")
_DONE_MARK = re.compile(r"\bDONE\b|✅|✔|☑|\[x\]")
# A status cell closes an item when it starts with a word for done, or for closed without being
# done ("Won't fix", "Duplicate"): such an item is never overdue. "Unresolved" and "Not done" do not.
# Teams without checkboxes close an item in its text: "Pin the chart version (done)",
# "… [completed]", "… - fixed", "… ✅". Searched in the last characters only, so a long
# item costs nothing more. Linear on any text all the same: a run of blanks is read from its start
# only, and no two optional parts can take the same blanks (`\s*[)\]]?\s*` tried every split).
_CLOSED_AT_END = re.compile(
    rf"(?:(?<!\s)\s*(?:[(\[]|(?<=\s)[—–-])|:)\s*(?:{_WORDS.closed})(?:\s*[)\]])?(?:\s*[.!])?\s*$"
    rf"|(?<!\s)\s*[✅✔☑](?:\s*[.!])?\s*$", re.IGNORECASE)
_CLOSED_AT_END_REACH = 40
_CLOSED_STATUS = re.compile(rf"^(?:{_WORDS.closed}|✓|✔|☑)(?![\w'])|^(?:{_WORDS.yes}|x)\s*$", re.IGNORECASE)
_STRUCK = re.compile(r"~~.*?~~")
_DIGIT = re.compile(r"\d")
_WHOLLY_STRUCK = re.compile(r"^\s*~~(.+?)~~(.*)$", re.DOTALL)


@dataclass(slots=True)
class ParsedItem:
    """One action item as written, before it becomes an `ActionItem`."""

    text: str
    """The task, without checkbox, owner and due date."""
    done: bool
    checkbox: bool
    """Written as a task-list item (``[ ]`` or ``[x]``)."""
    owner: str | None
    due: date | None
    """The due date, when one is written and can be read."""
    due_text: str | None
    """The due date as written, also when it is a placeholder (``TBD``, ``Q3``) or unreadable."""

    def due_problems(self, path: Path, line: int) -> list[Problem]:
        """A warning when the due date looks like a date but cannot be read; else nothing.

        A placeholder (``TBD``, ``—``, ``ongoing``, ``Q3 2024``) means "no due date" and is no
        finding. An unreadable date is only a warning: the item is still worth reading.
        """
        if self.due is not None or not self.due_text:
            return []
        reason = date_problem(self.due_text)
        if reason is None:
            return []
        return [Problem(path, line, "invalid-date", f"action item due date {self.due_text!r} {reason}",
                        Level.WARNING)]


def clean_owner(written: str) -> str | None:
    """An owner as written, without markup or the ``@`` of a mention (``**@sre**`` -> ``sre``)."""
    owner = written.strip(" .*_`").lstrip("@").strip()
    return owner or None


def read_item(content: str) -> ParsedItem:
    """Split ``[ ] Add a canary — owner: payments, due: 2024-05-01`` into its parts.

    The owner is an ``owner:``/``assignee:`` value or an ``@mention``; the due date a ``due:``,
    ``deadline:``, ``by:`` or ``ETA:`` value, or ``due``/``by``/``ETA`` directly followed by a date.
    Owner and due date are removed from the text when they are written after it.
    """
    return _house_item(content) or _item_by_patterns(content)


_HOUSE_ITEM = re.compile(r"^(?:\[(?P<mark>[ xX])\]\s+)?(?P<task>[^\s\[:=@~—–\n](?:[^:=@~—–\n]*[^\s:=@~—–\n])?)"
                         r" — owner: (?P<owner>[\w-]+)(?:, due: (?P<due>\d{4}-\d{2}-\d{2}))?\Z")
"""``[ ] Add a canary — owner: payments, due: 2024-05-01``: the shape of the template's items (and
of `lessons new`'s), where no other key, mention, dash or strike-through can stand in the task."""


def _house_item(content: str) -> ParsedItem | None:
    """`read_item` of an item in `_HOUSE_ITEM`'s shape, without the keys' alternations; None for any other.

    Gives what `_item_by_patterns` gives (tests/test_readers_fast.py compares them). Without a
    due date, an item with a digit (a due date without its key: "by March 22") or ending in a
    closing word ("owner: done") is left to the patterns.
    """
    match = _HOUSE_ITEM.match(content)
    if match is None:
        return None
    due_text = match.group("due")
    if due_text is None and (_DIGIT.search(content) or _CLOSED_AT_END.search(content[-_CLOSED_AT_END_REACH:])):
        return None
    mark = match.group("mark")
    return _item(content, match.group("task"), mark in ("x", "X"), mark is not None,
                 clean_owner(match.group("owner")), due_text)


def _item_by_patterns(content: str) -> ParsedItem:
    """`read_item` of any item, with the keys' patterns."""
    checkbox = _CHECKBOX.match(content)
    done = bool(checkbox and checkbox.group("mark") not in " -")
    text = content[checkbox.end():] if checkbox else content
    struck = _WHOLLY_STRUCK.match(text)
    if struck:  # "~~Add a retry~~": crossed out when it was done (or dropped)
        text, done = struck.group(1) + struck.group(2), True
    tail = max(0, len(text) - _CLOSED_AT_END_REACH)
    closed_at_end = _CLOSED_AT_END.search(text[tail:]) if _may_end_closed(text) else None  # a slice: blanks
    # before it are not looked behind at
    if closed_at_end and tail + closed_at_end.start() > 0:
        text, done = text[:tail + closed_at_end.start()], True
    # Cheap necessary tests before the keys' alternations: a key is followed by ":" or "=",
    # a mention has an "@", a due date without a key has a digit.
    keys = ":" in text or "=" in text
    owner_match = _OWNER.search(text) if keys else None
    due_keyed = _DUE.search(text) if keys else None
    due_match = due_keyed or (_DUE_WORD.search(text) if _DIGIT.search(text) else None)
    owner = clean_owner(owner_match.group("owner")) if owner_match else None
    due_text = due_match.group("due").strip(" .*_`") if due_match else None
    mentions = list(_MENTION.finditer(text)) if "@" in text else []
    if owner is None and mentions:
        owner = mentions[0].group("owner")
    cut = len(text)
    trailer = _TRAILER.search(text) if keys else None
    keyed = [m for m in (owner_match, due_keyed) if m]
    if trailer:
        cut = trailer.start()
    elif keyed:
        cut = min(m.start() for m in keyed)
    parts = [m.span() for m in (owner_match, due_match) if m]
    cut = min(cut, _tail_start(text, parts, [m.span() for m in mentions]))
    return _item(content, text[:cut], done, bool(checkbox), owner, due_text)


def _item(content: str, task: str, done: bool, checkbox: bool, owner: str | None, due_text: str | None) -> ParsedItem:
    """The item, once its task (up to the owner and due date) and their values are known."""
    if task.count("(") > task.count(")"):
        task = task[: task.rfind("(")]
    task = task.strip(" —–-,;([").strip()
    due = parse_date(due_text) if due_text else None
    return ParsedItem(task or content.strip(), done, checkbox, owner or None, due, due_text)


_CLOSING_TRAIL = frozenset(".!)]")
_CLOSING_MARKS = frozenset("✅✔☑")


def _may_end_closed(text: str) -> bool:
    """False when `_CLOSED_AT_END` cannot match `text`; True when it may.

    Every match ends in a closing word (a letter) or a check mark, then perhaps ``)``, ``]``,
    ``.``, ``!`` and blanks: an item that ends in a date or a number ("due: 2024-03-18")
    cannot match, and the look for it from every one of its last 40 characters is skipped.
    """
    end = len(text)
    while end and (text[end - 1] in _CLOSING_TRAIL or text[end - 1].isspace()):
        end -= 1
    return end > 0 and (text[end - 1].isalpha() or text[end - 1] in _CLOSING_MARKS)


def _tail_start(text: str, parts: list[tuple[int, int]], mentions: list[tuple[int, int]]) -> int:
    """Where the owner/due tail at the end of `text` begins (``len(text)`` when there is none).

    The tail is the run of owner and due parts and mentions, with separators between them, that
    reaches the end of the text: "Checklist b @billing by 2024-03-25" has the tail
    "@billing by 2024-03-25".
    """
    spans = sorted(parts + mentions)
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    tail = len(text)
    for start, end in reversed(merged):
        if _TAIL_GAP.fullmatch(text, end, tail) is None:
            break
        tail = start
    if tail == len(text):
        return tail
    only_mentions = not any(tail <= start for start, _ in parts)
    if only_mentions and not _SEPARATED.search(text, 0, tail):
        return len(text)
    return tail


def read_row(header: list[str], cells: list[str]) -> ParsedItem | None:
    """An action item from a table row, using the header to find the columns.

    The task is read from a column such as Action, Task or Summary (a Jira export's key column is
    skipped), the state from Status, State or Resolution: a closing word there (``Done (PR #123)``,
    ``Won't fix``, ``Duplicate``, ``Fixed``) ticks the item, as does ``DONE``/✅ in any cell.
    """
    columns = {name.strip().lower(): i for i, name in enumerate(header)}

    def cell(*names: str) -> str | None:
        for name in columns:
            if any(word in name for word in names):
                index = columns[name]
                return cells[index].strip() if index < len(cells) else None
        return None

    def cell_exactly(name: str) -> str | None:
        index = columns.get(name)
        return cells[index].strip() if index is not None and index < len(cells) else None

    owner = clean_owner(cell(*_WORDS.owner_columns) or "")
    # "Due" or "Deadline" first: a "Start date" or "Created" column is no due date.
    due_text = (cell(*_WORDS.due_columns) or cell(*_WORDS.loose_due_columns)
                or next(filter(None, map(cell_exactly, _WORDS.exact_due_columns)), None))
    states = [cell(*_WORDS.status_columns), cell(*_WORDS.resolution_columns)]
    # The task is in the first column whose header names it: a Jira export puts the issue key
    # first and the task under Summary.
    text = cell(*_WORDS.text_columns)
    if text is None:
        if owner is None and due_text is None and not any(states):
            return None  # a table of something else ("| Metric | Target | Current |")
        text = cells[0] if cells else ""
    parsed = read_item(text)
    if not parsed.text:
        return None
    # Templates without a status column mark done items in the text ("n/a **DONE**").
    marked = any(_DONE_MARK.search(c) for c in cells)
    done = parsed.done or marked or any(_closed(state) for state in states if state)
    due = parse_date(due_text) if due_text else parsed.due
    return ParsedItem(
        parsed.text, done, parsed.checkbox, owner or parsed.owner or None, due, due_text or parsed.due_text
    )


def _closed(state: str) -> bool:
    # "~~Open~~ Done": what is struck through no longer holds.
    written = _STRUCK.sub("", state).replace("’", "'").strip(" *_`")
    return _CLOSED_STATUS.match(written) is not None


# Where an action item says the work is tracked. A URL runs to a blank, quote, bracket or angle
# bracket, and loses the punctuation a sentence puts after it.
_TRACKER_URL = re.compile(r"https?://[^\s<>()\[\]\"'`]+")
# An issue key (Jira, Linear, YouTrack: ``OPS-123``): two capitals or more, then digits; never part of a
# longer word or number ("CVE-2021-44228", "x-OPS-1").
_TRACKER_KEY = re.compile(r"(?<![\w-])(?P<key>[A-Z]{2}[A-Z0-9]{0,8}-[0-9]{1,7})(?![\w-])")
_NOT_TRACKERS = frozenset({"SHA", "UTF", "ISO", "RFC", "HTTP", "HTTPS", "TLS", "SSL", "ORA", "CVE", "AES",
                           "TCP", "UDP", "SEV", "IPV", "GPT", "PEP", "CWE", "GHSA", "ECMA", "IEEE"})
"""Standards, error codes and severities that look like issue keys (``SHA-256``, ``SEV-1``)."""


def find_tracker(source: str) -> str | None:
    """The tracker reference of an action item as written: its first http(s) link, else an issue key.

    ``[OPS-123](https://jira.example.com/browse/OPS-123)`` gives the URL; ``(OPS-123)`` or
    ``— tracked in OPS-123`` the key, which the settings' ``[trackers]`` turn into a link.
    """
    url = _TRACKER_URL.search(source)
    if url:
        return url.group().rstrip(".,;:!?*_")
    for key in _TRACKER_KEY.finditer(source):
        if key.group("key").split("-")[0].rstrip("0123456789") not in _NOT_TRACKERS:
            return key.group("key")
    return None
