"""When the incident started, was detected and was resolved, as its timeline tells it.

Read at parse time and kept on the `Document` (`Document.timeline_moments`), so that the
model only decides between the front matter and the timeline (`Document.moment`) and never
reads text itself. The words are the ``[moments]`` of the language packs.
"""

from __future__ import annotations

from datetime import datetime

from ...model import TimelineEvent
from ..blocks import Outline
from ..builder import DocumentBuilder
from ..lexicon import lexicon
from ..timeline import has_clock_time


def timeline_moments(timeline: list[TimelineEvent]) -> dict[str, datetime]:
    """``started``, ``detected`` and ``resolved`` as a timeline tells them (where it does).

    Only entries with a time of day count, and only when there are two or more: a
    timeline of days says nothing about minutes. ``started`` is the entry marked as the
    start of the impact ("<OUTAGE BEGINS>", "errors start"), else the first;
    ``detected`` the first later entry that tells of an alert, a page or a report (and
    not of one that did not fire); ``resolved`` the entry marked as the end of the
    impact, else the last that tells of a recovery.
    """
    words = lexicon().moments
    timed = sorted(((e.at, e.text) for e in timeline if e.at is not None and has_clock_time(e.time_text)),
                   key=lambda event: event[0])
    if len(timed) < 2:
        return {}
    # Where the author marked the start of the impact, it starts there, not at the lead-up.
    begins = next((i for i, (_, text) in enumerate(timed) if words.begins.search(text)), 0)
    moments = {"started": timed[begins][0]}
    after = timed[begins + 1:]
    detected = next((at for at, text in after if words.detected.search(text) and not words.negated.search(text)),
                    None)
    if detected is not None:
        moments["detected"] = detected
    ends = [at for at, text in after if words.ends.search(text)]
    resolved = ends or [at for at, text in after if words.resolved.search(text)]
    if resolved:
        moments["resolved"] = resolved[-1]
    return moments


def read_durations(outline: Outline, doc: DocumentBuilder) -> None:
    """The timeline's moments (`timeline_moments`), for the durations the front matter does not give.

    When the front matter gives all three, `Document.moment` never asks the timeline, and
    it is not read.
    """
    values = doc.fields.values
    if doc.timeline_posted:
        return  # the times a status page's updates were posted: not when things happened
    if not all(name in values for name in ("started", "detected", "resolved")):
        doc.timeline_moments = timeline_moments(doc.timeline)
