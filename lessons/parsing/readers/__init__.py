"""Readers: each takes one kind of meaning from a document's outline.

A reader is a callable ``reader(outline, doc)`` that reads the `Outline` and fills in the
`DocumentBuilder`. `READERS` runs in order, the way markdown-it runs its rules: a reader
may use what an earlier one found (the timeline needs the date the labels gave; the
durations need the timeline). A new template family is one reader module and one line
here (docs/DESIGN.md, "How to add a reader").
"""

from __future__ import annotations

from collections.abc import Callable

from ..blocks import Outline
from ..builder import DocumentBuilder
from .actions import read_action_items
from .dates import read_written_date, settle_date
from .durations import read_durations
from .labels import read_labels
from .links import read_links
from .narrative import read_narrative
from .sections import read_sections
from .stated import read_stated_durations
from .timeline import read_timeline
from .updates import read_status_updates
from .years import read_years

Reader = Callable[[Outline, DocumentBuilder], None]

READERS: list[Reader] = [
    read_sections,  # sections and their text, the summary
    read_links,  # links, images and raw HTML
    read_labels,  # facts written as labels; title, date and id
    read_written_date,  # the date from the timeline or the first paragraph, when nothing else gave it
    read_timeline,  # timeline events (needs the date)
    read_status_updates,  # a status page's updates are its timeline, when it has no other
    read_action_items,  # action items (needs the id)
    read_durations,  # started, detected and resolved from the timeline (needs the timeline)
    read_stated_durations,  # "Time to detection: 8 minutes" (an approximate one needs the timeline's)
    read_narrative,  # "between 09:12 and 11:40 UTC", where neither of the above gives a duration
    settle_date,  # a date from the timeline moves to the start of the impact (needs the durations)
    read_years,  # years that cannot be right: 20202-01-16, 1921 in a 2021 timeline (needs the date)
]
