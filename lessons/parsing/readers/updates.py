"""The status updates reader: a status page's ``**Resolved** - …`` paragraphs, each over the time it was posted.

Status pages and their copies are made of updates, newest first, each a bold state
("Investigating", "Identified", "Monitoring", "Resolved"), a dash, what was known then,
and a line with the time it was posted (``Jun 22, 11:40 UTC``, without a year). Where
no Timeline section gives events, these updates are the timeline. A list under an
"Updates" heading is read by the timeline reader; either way the times are those of
posting, so the durations are not read off them (`readers.narrative` reads the prose).
"""

from __future__ import annotations

import re

from ...model import TimelineEvent
from ..blocks import Outline, Paragraph, strip_inline
from ..builder import DocumentBuilder
from ..lexicon import alias_form, lexicon
from ..timeline import has_clock_time, read_stamp

_UPDATE = re.compile(
    rf"^\s*(?:\*\*|__)(?P<state>{lexicon().narrative.update_state})(?:\*\*|__)\s*[-–—:]\s*(?P<text>.*)$",
    re.IGNORECASE | re.DOTALL,
)


def read_status_updates(outline: Outline, doc: DocumentBuilder) -> None:
    """Status updates become the timeline when there is no other; an "Updates" timeline is marked posted."""
    headings = lexicon().narrative.update_headings
    timeline_sections = [section for section in outline.sections if section.name == "timeline"]
    if timeline_sections and all(alias_form(section.heading) in headings for section in timeline_sections):
        doc.timeline_posted = True
        doc.signs.add("status updates")
        return
    if any(event.at is not None and has_clock_time(event.time_text) for event in doc.timeline):
        return
    updates = [update for _, block in outline.parts() if isinstance(block, Paragraph)
               for update in [_update(block)] if update is not None]
    if len(updates) < 2:
        return
    # Newest first, as posted: read oldest first so each bare time lands on its day.
    events, previous = [], None
    for block, text, stamp_line in sorted(updates, key=lambda update: update[0].line, reverse=True):
        stamp = read_stamp(stamp_line, previous=previous, default_date=doc.date, zone=None)
        previous = stamp.at or previous
        # Without the document's day the year would be guessed: keep the time as written only.
        events.append(TimelineEvent(text, block.line, stamp.at if doc.date else None, stamp.text))
    doc.timeline = sorted(events, key=lambda event: event.line)
    doc.timeline_posted = True
    doc.signs.add("status updates")


def _update(block: Paragraph) -> tuple[Paragraph, str, str] | None:
    """A paragraph that is one update: (the paragraph, "Resolved - …", the posting time as written)."""
    head, _, stamp_line = block.source.rpartition("\n")
    match = _UPDATE.match(head)
    if match is None:
        return None
    stamp = read_stamp(stamp_line, previous=None, default_date=None, zone=None)
    if not has_clock_time(stamp.text) or stamp.rest:
        return None
    return block, f"{match.group('state')} - {strip_inline(match.group('text'))}", stamp_line
