"""The years reader: a year that cannot be right is named, not silently dropped or believed.

Typed by hand, a year gains a digit (``20202-01-16``) and the row vanishes from the
timeline, or loses touch with the document (``1921`` in a 2021 post-mortem) and the
durations come out as a century. Both are warnings with the line; the rest is read as
it was.
"""

from __future__ import annotations

import re

from ...errors import Level, Problem
from ..blocks import Outline
from ..builder import DocumentBuilder

_LONG_YEAR = re.compile(r"(\d{5,8})-(?:0?[1-9]|1[0-2])-(?:0?[1-9]|[12]\d|3[01])(?!\d)")
"""A date whose year has five or more digits (bounded, so a run of digits costs nothing more)."""
FAR = 50
"""How many years from the document's date a timeline entry may be before it is named.

Real timelines reach years back (when a system was built) and years on (the fine, the
court case): only a mistyped century (``1921`` in a 2021 post-mortem, ``2201``) is named."""


def _five_digits_then_dash(text: str) -> bool:
    """Whether five digits stand before a ``-`` somewhere: what every `_LONG_YEAR` holds.

    A scan of the dashes, with `str.isdigit` (which every ``\\d`` passes), costs a third of
    searching the whole body with `_LONG_YEAR`, and most bodies have no such year.
    """
    at = text.find("-", 5)
    while at != -1:
        if text[at - 5:at].isdigit():
            return True
        at = text.find("-", at + 1)
    return False


def read_years(outline: Outline, doc: DocumentBuilder) -> None:
    """Name years that cannot be right: five-digit years, and timeline years far from the date."""
    body = doc.body
    for match in _LONG_YEAR.finditer(body) if _five_digits_then_dash(body) else ():
        if match.start() and body[match.start() - 1] in "0123456789.":
            continue  # the end of a longer number, or of a version (1.20202-01-16)
        line_start = body.rfind("\n", 0, match.start()) + 1
        doc.problems.append(Problem(
            doc.path, doc.body_line + body.count("\n", 0, match.start()), "impossible-year",
            f"{match.group(0)!r} has a year of {len(match.group(1))} digits; a typo for "
            f"{match.group(1)[:4]}? (the entry is not read as a date)", Level.WARNING,
            column=match.start() - line_start + 1))
    if doc.date is None:
        return
    for event in doc.timeline:
        if event.at is not None and abs(event.at.year - doc.date.year) > FAR:
            doc.problems.append(Problem(
                doc.path, event.line, "impossible-year",
                f"the timeline entry {event.time_text!r} is in {event.at.year}, but the document's date is "
                f"{doc.date.isoformat()}; a typo?", Level.WARNING))
