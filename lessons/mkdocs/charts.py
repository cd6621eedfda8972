"""The insights charts, drawn at build time as inline SVG with pygal.

The SVGs carry no script (pygal's tooltips script is switched off) and take
their text colour from the page (``currentColor``), so they read in light and
dark palettes alike.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from ..model import Document

LABEL_LIMIT = 40
"""Axis labels are cut to this many characters: pygal never returns when labels leave
no room for the axis title (a cause title of about 110 characters did that)."""

_COLOURS = ("#3f51b5", "#e5533d", "#26a69a", "#f9a825", "#8e24aa", "#6d4c41", "#00897b", "#546e7a")


def _style() -> Any:
    from pygal.style import Style

    return Style(
        background="transparent",
        plot_background="transparent",
        foreground="currentColor",
        foreground_strong="currentColor",
        foreground_subtle="rgba(127, 127, 127, 0.35)",
        opacity="0.85",
        opacity_hover="1",
        colors=_COLOURS,
        font_family="inherit",
        label_font_size=13,
        major_label_font_size=13,
        value_font_size=12,
        title_font_size=16,
        legend_font_size=13,
        tooltip_font_size=13,
    )


def _options(**extra: Any) -> dict[str, Any]:
    return {"style": _style(), "js": [], "disable_xml_declaration": True, "show_legend": False,
            "width": 860, "height": 380, "margin": 16, **extra}


def _render(chart: Any, name: str) -> str:
    """The chart's SVG without the ``<script>`` pygal always adds (its tooltip config).

    The chart's id is ``chart-{name}`` rather than a random one, so the same content
    builds the same site.
    """
    from xml.etree import ElementTree as ET

    chart.uuid = name
    root = chart.render_tree()
    for parent in list(root.iter()):
        for child in list(parent):
            if isinstance(child.tag, str) and child.tag.rsplit("}", 1)[-1] == "script":
                parent.remove(child)
    if hasattr(root, "getroottree"):  # pygal drew with lxml
        from lxml import etree  # type: ignore[import-untyped]

        svg = str(etree.tostring(root, encoding="unicode"))
    else:
        ET.register_namespace("", "http://www.w3.org/2000/svg")
        ET.register_namespace("xlink", "http://www.w3.org/1999/xlink")
        svg = ET.tostring(root, encoding="unicode")
    # lxml declares the xlink namespace even when nothing uses it; inline SVG in HTML
    # needs no declarations, and without it the page is the same with or without lxml.
    if "xlink:" not in svg.replace(_XLINK_DECLARATION, ""):
        svg = svg.replace(_XLINK_DECLARATION, "")
    return svg


_XLINK_DECLARATION = ' xmlns:xlink="http://www.w3.org/1999/xlink"'


def _label(text: str) -> str:
    """`text` on one line, cut at a word to `LABEL_LIMIT` characters (the whole text is in the tooltip)."""
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
    chart = pygal.Bar(**_options(x_label_rotation=-45, show_minor_x_labels=False,
                                 y_title="incidents", title="Incidents per quarter"))
    chart.x_labels = labels
    chart.x_labels_major = [label for label in labels if label.endswith("Q1")] or labels[:1]
    chart.add("incidents", values)
    return _render(chart, "per-quarter")


def by_cause(postmortems: Sequence[Document], title_of: Callable[[str], str]) -> str:
    """Horizontal bars: how many incidents name each cause, most common first."""
    import pygal

    counts = Counter(cause for d in postmortems for cause in d.causes)
    if not counts:
        return ""
    ranked = sorted(counts.items(), key=lambda pair: (pair[1], title_of(pair[0])))
    chart = pygal.HorizontalBar(**_options(height=max(220, 42 * len(ranked) + 90),
                                           title="Incidents by cause", x_title="incidents"))
    chart.x_labels = [_label(title_of(cause)) for cause, _ in ranked]
    chart.add("incidents", [{"value": count, "label": title_of(cause)} for cause, count in ranked])
    return _render(chart, "by-cause")


def time_to_resolve(postmortems: Sequence[Document]) -> str:
    """Dots: each incident's time to resolve (hours, log scale) against the day it began."""
    import pygal

    points = [(d.date, d.time_to_resolve.total_seconds() / 3600, d.title) for d in postmortems
              if d.date and d.time_to_resolve is not None and d.time_to_resolve.total_seconds() > 0]
    if not points:
        return ""
    chart = pygal.DateLine(**_options(stroke=False, dots_size=5, logarithmic=True,
                                      x_label_rotation=-45, y_title="hours to resolve",
                                      title="Time to resolve over time",
                                      x_value_formatter=lambda d: d.strftime("%Y"),
                                      value_formatter=lambda h: f"{h:.1f} h"))
    chart.add("time to resolve", [{"value": (day, hours), "label": title}
                                  for day, hours, title in sorted(points)])
    return _render(chart, "time-to-resolve")
