"""The date reader: the day an incident began, when neither the front matter, a date line nor the file name gives it.

Teams that never wrote front matter still write the day down: in the timeline
("2021-06-22 09:12 | Pipeline upgrades …") or in the first sentence ("On Tuesday 22nd
June 2021 every service …"). `read_written_date` looks there before the timeline is read
(its time-only rows need a day); `settle_date` then moves a day taken from the timeline to
the start of the impact, when the first row was an earlier change, and says so when no
day was found at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from ...errors import Problem
from ...model import Kind
from ..blocks import Block, Heading, LabelLine, Outline, Paragraph, Table
from ..builder import DocumentBuilder
from ..dates import first_date_in
from ..lexicon import lexicon
from ..timeline import read_stamp

_PROSE_SECTIONS = ("summary", "intro", "impact")
"""Where a first sentence gives the day, in this order."""


def read_written_date(outline: Outline, doc: DocumentBuilder) -> None:
    """The first full date of the timeline, else of the summary or the first paragraph."""
    if doc.date is not None or doc.kind is not Kind.POSTMORTEM:
        return
    timeline = [block for section in outline.sections if section.name == "timeline" for block in section.blocks]
    found = _first_date(timeline)
    if found is not None:
        doc.date, doc.date_source = found, "timeline"
        return
    prose: dict[str, list[Block]] = {"intro": outline.preamble}
    for section in outline.sections:
        prose.setdefault(section.name, section.blocks)
    for name in _PROSE_SECTIONS:
        found = _first_date([block for block in prose.get(name, []) if not isinstance(block, Heading)][:3])
        if found is not None:
            doc.date, doc.date_source = found, name
            return
    # A page of prose under a heading of its own ("### August 9 14:22 UTC"): its first paragraph.
    first = [block for _, block in outline.parts() if isinstance(block, Paragraph)][:1]
    found = _first_date(first)
    if found is not None:
        doc.date, doc.date_source = found, "intro"


def _first_date(blocks: Sequence[Block]) -> date | None:
    for block in blocks:
        if isinstance(block, Table):
            texts = [cell for row in block.rows for cell in row.texts]
        else:
            texts = [block.value if isinstance(block, LabelLine) else block.text]
        for text in texts:
            found = first_date_in(text)
            if found is not None:
                return found[0]
    return None


def settle_date(outline: Outline, doc: DocumentBuilder) -> None:
    """A day taken from the timeline is the day the impact started; no day at all is a finding."""
    if doc.date_source == "timeline" and "started" in doc.timeline_moments:
        started = doc.timeline_moments["started"]
        event = next((e for e in doc.timeline if e.at == started and e.time_text), None)
        # Only a start the authors marked ("(problem started)") outweighs the first date written.
        if event is not None and lexicon().moments.begins.search(event.text):
            stamp = read_stamp(event.time_text, previous=None, default_date=None, zone=None)
            if stamp.at is not None and first_date_in(event.time_text) is not None:
                doc.date = stamp.at.date()
    if doc.date is None and doc.kind is Kind.POSTMORTEM and "date" not in doc.fields.lines \
            and "date" not in doc.labelled:
        doc.problems.append(Problem(doc.path, 1, "missing-field", "missing required field 'date' (the day "
                                    "the incident began, YYYY-MM-DD; or name the file YYYY-MM-DD-….md)"))
