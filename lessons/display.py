"""How values read for a person, the same in the terminal and on the site."""

from __future__ import annotations

from datetime import date, timedelta
from enum import Enum
from typing import Any


def format_duration(span: timedelta | None) -> str:
    """``1 d 7 h``, ``3 h 5 min``, ``12 min``; "unknown" for None."""
    if span is None:
        return "unknown"
    minutes = int(span.total_seconds() // 60)
    if minutes < 0:
        return "negative (check the timestamps)"
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = [f"{days} d" if days else "", f"{hours} h" if hours else "",
             f"{minutes} min" if minutes and not days else ""]
    return " ".join(part for part in parts if part) or "0 min"


def brief(text: str, width: int = 40) -> str:
    """`text` quoted for a message, cut when long: a pasted log must not become the message."""
    if len(text) <= width:
        return repr(text)
    return f"{text[:width]!r}… ({len(text):,} characters)"


def value_text(value: Any) -> str:
    """A field's value as one line of text: lists joined with commas, nothing for no value."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return ", ".join(value_text(item) for item in value)
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
