"""The insights charts, drawn at build time as inline SVG with pygal.

Each chart is drawn twice, wide for a desktop and narrow for a phone (the
stylesheet shows one), so its text stays readable at 390 px, and comes with its
numbers as a table behind a disclosure: the text alternative a screen reader, a
search engine or a reader who wants the exact figures uses. Every bar or dot
carries a ``<title>`` (the browser's tooltip and the link's accessible name) and
the dots link to their incidents. The SVGs carry no script (pygal's tooltip script
is switched off), take their text colour from the page (``currentColor``) so they
read in light and dark palettes alike, and have fixed ids (``chart-per-quarter``),
so the same content builds the same bytes.
"""

from __future__ import annotations

import html
import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ..display import format_duration
from ..model import Document

LABEL_LIMIT = 40
"""Axis labels are cut to this many characters: pygal never returns when labels leave
no room for the axis title (a cause title of about 110 characters did that)."""

_COLOURS = ("#3f51b5", "#e5533d", "#26a69a", "#f9a825", "#8e24aa", "#6d4c41", "#00897b", "#546e7a")
_SVG = "{http://www.w3.org/2000/svg}"
_XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
_XLINK_DECLARATION = ' xmlns:xlink="http://www.w3.org/1999/xlink"'
_HOUR_TICKS = ((1 / 3600, "1 s"), (1 / 60, "1 min"), (0.1, "6 min"), (1, "1 h"), (6, "6 h"), (24, "1 day"),
               (168, "1 week"), (720, "30 days"), (8760, "1 year"), (87600, "10 years"))
"""Ticks of the time-to-resolve axis (hours, drawn on a log scale), and how they read."""


@dataclass(frozen=True, slots=True)
class Size:
    """One drawing of a chart: the wide one for desktops, the narrow one for phones."""

    name: str
    width: int
    height: int
    rotation: int


WIDE, NARROW = Size("wide", 860, 380, -45), Size("narrow", 420, 340, -60)


def _style() -> Any:
    from pygal.style import Style

    return Style(
        background="transparent", plot_background="transparent",
        foreground="currentColor", foreground_strong="currentColor",
        foreground_subtle="rgba(127, 127, 127, 0.35)",
        opacity="0.85", opacity_hover="1", colors=_COLOURS, font_family="inherit",
        label_font_size=13, major_label_font_size=13, value_font_size=12,
        title_font_size=16, legend_font_size=13, tooltip_font_size=13,
    )


def _options(size: Size = WIDE, **extra: Any) -> dict[str, Any]:
    return {"style": _style(), "js": [], "disable_xml_declaration": True, "show_legend": False,
            "width": size.width, "height": size.height, "margin": 16, "truncate_label": -1, **extra}


def _render(chart: Any, name: str, summary: str, role: str = "img") -> str:
    """The chart's SVG: named for assistive technology, a ``<title>`` on each value, no script.

    pygal's ``<desc>`` elements (data for its tooltip script) become one ``<title>``
    per bar or dot; ``xlink:href`` becomes ``href``, which every browser reads.
    """
    from xml.etree import ElementTree as ET

    chart.uuid = name  # the id pygal uses in its <style> and on the <svg>: fixed, not random
    root = chart.render_tree()
    for parent in list(root.iter()):
        if not isinstance(parent.tag, str):
            continue
        label = None
        for child in list(parent):
            tag = child.tag.rsplit("}", 1)[-1] if isinstance(child.tag, str) else ""
            if tag == "script" or tag == "desc":
                if tag == "desc" and (child.get("class") or "") == "label":
                    label = child.text
                parent.remove(child)
        if label:
            title = parent.makeelement(f"{_SVG}title" if parent.tag.startswith(_SVG) else "title", {})
            title.text = label
            parent.insert(0, title)
        if parent.get(_XLINK_HREF) is not None:
            parent.set("href", parent.attrib.pop(_XLINK_HREF))
            parent.attrib.pop("target", None)
    root.set("role", role)
    root.set("aria-label", summary)
    if hasattr(root, "getroottree"):  # pygal drew with lxml
        from lxml import etree  # type: ignore[import-untyped]

        svg = str(etree.tostring(root, encoding="unicode"))
    else:
        ET.register_namespace("", "http://www.w3.org/2000/svg")
        ET.register_namespace("xlink", "http://www.w3.org/1999/xlink")
        svg = ET.tostring(root, encoding="unicode")
    # Inline SVG in HTML needs no namespace declarations; without them the page is the
    # same with or without lxml.
    return svg.replace(_XLINK_DECLARATION, "")


def _figure(name: str, draw: Callable[[Size], str], caption: str, table: str) -> str:
    """Both drawings of a chart and its numbers behind a disclosure, as one HTML block."""
    return (f'<figure class="lessons-chart" id="{name}">\n'
            f'<div class="lessons-chart-wide">{draw(WIDE)}</div>\n'
            f'<div class="lessons-chart-narrow">{draw(NARROW)}</div>\n'
            f"<figcaption>{html.escape(caption)}</figcaption>\n"
            f"<details><summary>The numbers as a table</summary>\n{table}\n</details>\n</figure>")


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """An HTML table; cells are HTML already escaped by the caller."""
    head = "".join(f"<th>{html.escape(cell)}</th>" for cell in header)
    body = "\n".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return f"<table>\n<thead>\n<tr>{head}</tr>\n</thead>\n<tbody>\n{body}\n</tbody>\n</table>"


def _count_ticks(most: int) -> list[int]:
    """Whole-number ticks from 0 to the first at or past `most`: 1, 2, 5, 10, 20 … apart, six at most."""
    step = 1
    while math.ceil(most / step) > 5:
        step = step * 5 // 2 if str(step).startswith("2") else step * 2
    return list(range(0, step * max(1, math.ceil(most / step)) + 1, step))


def _label(text: str) -> str:
    """`text` on one line, cut at a word to `LABEL_LIMIT` characters (the whole text is in the title)."""
    text = " ".join(text.split())
    if len(text) <= LABEL_LIMIT:
        return text
    cut = text.rfind(" ", LABEL_LIMIT // 2, LABEL_LIMIT)
    return text[: cut if cut > 0 else LABEL_LIMIT - 1].rstrip(",;:") + "…"


def per_quarter(postmortems: Sequence[Document]) -> str:
    """Bars: how many incidents began in each quarter, gaps included. Empty when nothing is dated."""
    import pygal

    quarters = Counter((d.date.year, (d.date.month - 1) // 3 + 1) for d in postmortems if d.date)
    if not quarters:
        return ""
    first, last = min(quarters), max(quarters)
    labels, values = [], []
    year, quarter = first
    while (year, quarter) <= last:
        labels.append(f"{year} Q{quarter}")
        values.append(quarters.get((year, quarter), 0))
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)

    def draw(size: Size) -> str:
        chart = pygal.Bar(**_options(size, x_label_rotation=size.rotation, show_minor_x_labels=False,
                                     y_title="incidents", title="Incidents per quarter",
                                     y_labels=_count_ticks(max(values))))
        chart.x_labels = labels
        # Every year's first quarter is labelled (the year), the others are ticks only.
        chart.x_labels_major = [label for label in labels if label.endswith("Q1")] or labels[:1]
        chart.add("incidents", [{"value": n, "label": f"{label}: {n} incident{'s' if n != 1 else ''}"}
                                for label, n in zip(labels, values, strict=True)])
        return _render(chart, f"chart-per-quarter-{size.name}",
                       f"Bar chart: incidents per quarter from {labels[0]} to {labels[-1]}, "
                       f"at most {max(values)} in a quarter; the numbers are in the table below.")

    rows = [(html.escape(label), str(n)) for label, n in zip(labels, values, strict=True) if n]
    return _figure("chart-per-quarter", draw, f"Incidents per quarter, {labels[0]} to {labels[-1]}.",
                   _table(("quarter", "incidents"), rows))


def by_cause(postmortems: Sequence[Document], title_of: Callable[[str], str]) -> str:
    """Horizontal bars: how many incidents name each cause, most common first."""
    import pygal

    counts = Counter(cause for d in postmortems for cause in d.causes)
    if not counts:
        return ""
    ranked = sorted(counts.items(), key=lambda pair: (pair[1], title_of(pair[0])))

    def draw(size: Size) -> str:
        chart = pygal.HorizontalBar(**_options(size, height=max(220, 42 * len(ranked) + 90),
                                               title="Incidents by cause", x_title="incidents",
                                               y_labels=_count_ticks(ranked[-1][1])))
        chart.x_labels = [_label(title_of(cause)) for cause, _ in ranked]
        chart.add("incidents", [{"value": count, "label": f"{title_of(cause)}: {count}"}
                                for cause, count in ranked])
        return _render(chart, f"chart-by-cause-{size.name}",
                       f"Bar chart: incidents by cause, {len(ranked)} causes; the most common is "
                       f"{title_of(ranked[-1][0])} ({ranked[-1][1]}). The numbers are in the table below.")

    rows = [(html.escape(title_of(cause)), str(count)) for cause, count in reversed(ranked)]
    return _figure("chart-by-cause", draw, "How many incidents name each cause.",
                   _table(("cause", "incidents"), rows))


def time_to_resolve(postmortems: Sequence[Document], href: Callable[[Document], str] | None = None) -> str:
    """Dots: each incident's time to resolve (log scale) against its day, each linking to it."""
    import pygal

    points = sorted(((d.date, d.time_to_resolve.total_seconds() / 3600, d) for d in postmortems
                     if d.date and d.time_to_resolve is not None and d.time_to_resolve.total_seconds() > 0),
                    key=lambda p: (p[0], p[1], p[2].id))
    if not points:
        return ""
    low, high = math.log10(min(p[1] for p in points)), math.log10(max(p[1] for p in points))
    ticks = _hour_ticks(low, high)
    first, last = points[0][0].year, points[-1][0].year
    years = [_day(year) for year in range(first, last + 2)]

    def draw(size: Size) -> str:
        chart = pygal.DateLine(**_options(size, stroke=False, dots_size=5, x_label_rotation=size.rotation,
                                          y_title="time to resolve (log scale)",
                                          title="Time to resolve over time", y_labels=ticks,
                                          x_value_formatter=lambda d: d.strftime("%Y")))
        chart.x_labels = years
        chart.add("time to resolve", [_dot(day, hours, doc, href) for day, hours, doc in points])
        return _render(chart, f"chart-time-to-resolve-{size.name}",
                       f"Dot chart: time to resolve of {len(points)} incidents from {first} to {last}, "
                       "one dot per incident linking to it; the numbers are in the table below.", role="group")

    rows = [(day.isoformat(), _incident_cell(doc, href), html.escape(format_duration(doc.time_to_resolve)))
            for day, _, doc in reversed(points) if doc.time_to_resolve is not None]
    return _figure("chart-time-to-resolve", draw, "Each incident's time to resolve, by the day it began.",
                   _table(("date", "incident", "time to resolve"), rows))


def _hour_ticks(low: float, high: float) -> list[dict[str, Any]]:
    """The ticks from the last at or under the quickest incident to the first at or over the slowest."""
    marks = [(math.log10(hours), text) for hours, text in _HOUR_TICKS]
    start = max([i for i, (value, _) in enumerate(marks) if value <= low], default=0)
    end = min([i for i, (value, _) in enumerate(marks) if value >= high], default=len(marks) - 1)
    return [{"value": value, "label": text} for value, text in marks[start:end + 1]]


def _day(year: int) -> Any:
    from datetime import date

    return date(year, 1, 1)


def _dot(day: Any, hours: float, doc: Document, href: Callable[[Document], str] | None) -> dict[str, Any]:
    assert doc.time_to_resolve is not None
    dot: dict[str, Any] = {"value": (day, math.log10(hours)),
                           "label": f"{doc.title} ({day.isoformat()}): {format_duration(doc.time_to_resolve)}"}
    if href is not None:
        dot["xlink"] = {"href": href(doc), "target": "_self"}
    return dot


def _incident_cell(doc: Document, href: Callable[[Document], str] | None) -> str:
    title = html.escape(doc.title)
    return f'<a href="{html.escape(href(doc), quote=True)}">{title}</a>' if href else title
