"""An Atom feed of post-mortems, newest first, so people can subscribe.

ElementTree escapes text and attributes; what it does not do is leave out the
characters XML 1.0 forbids (most control characters), which would make the whole
feed unreadable, so every value from content goes through `_text` first.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import datetime, time, timezone
from xml.etree import ElementTree as ET

from ..model import Document

ATOM = "http://www.w3.org/2005/Atom"
FEED_LIMIT = 50
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def atom(postmortems: Sequence[Document], *, url_of: Callable[[Document], str], title: str,
         site_url: str | None = None, feed_url: str = "feed.xml", limit: int = FEED_LIMIT) -> str:
    """The feed as an XML string.

    Args:
        postmortems: newest first; the first `limit` become entries.
        url_of: a document's page URL relative to the site root (``postmortems/x/``).
        site_url: the site's public address; without it links stay relative to the feed.
    """
    base = (site_url or "").rstrip("/") + "/" if site_url else ""
    entries = [doc for doc in postmortems if doc.date][:limit]
    feed = ET.Element("feed", xmlns=ATOM)
    title = _text(title)
    ET.SubElement(feed, "title").text = title
    ET.SubElement(feed, "id").text = base + feed_url if base else f"urn:lessons:feed:{title}"
    ET.SubElement(feed, "link", rel="self", href=base + feed_url if base else feed_url)
    ET.SubElement(feed, "link", rel="alternate", href=base or "./")
    ET.SubElement(feed, "updated").text = _stamp(entries[0]) if entries else _stamp(None)
    ET.SubElement(ET.SubElement(feed, "author"), "name").text = title
    ET.SubElement(feed, "generator").text = "lessons"
    for doc in entries:
        entry = ET.SubElement(feed, "entry")
        ET.SubElement(entry, "title").text = _text(doc.title)
        href = base + _text(url_of(doc))
        ET.SubElement(entry, "id").text = href if base else f"urn:lessons:{_text(doc.id)}"
        ET.SubElement(entry, "link", rel="alternate", type="text/html", href=href)
        ET.SubElement(entry, "published").text = _stamp(doc)
        ET.SubElement(entry, "updated").text = _stamp(doc)
        if doc.organization:
            ET.SubElement(ET.SubElement(entry, "author"), "name").text = _text(doc.organization)
        for cause in doc.causes:
            ET.SubElement(entry, "category", term=_text(cause))
        if doc.summary:
            ET.SubElement(entry, "summary").text = _text(doc.summary)
    ET.indent(feed)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"


def _text(value: str) -> str:
    """`value` without the characters XML 1.0 cannot hold."""
    return _NOT_XML.sub("", value)


def _stamp(doc: Document | None) -> str:
    when = doc.started if doc and doc.started else None
    if when is None:
        day = doc.date if doc and doc.date else datetime.now(timezone.utc).date()
        when = datetime.combine(day, time(0, 0), tzinfo=timezone.utc)
    return when.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
