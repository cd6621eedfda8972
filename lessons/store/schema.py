"""The index's version and the search fields it counts words in.

Kept apart from the table classes (`tables`), which import SQLModel: the search path
reads these without importing SQLAlchemy.
"""

from __future__ import annotations

SCHEMA_VERSION = "10"
"""Bumped whenever the tables or what goes into them change; an index of another
version is emptied and rebuilt."""
FIELD_NAMES = ("title", "summary", "labels", "text")
"""The fields a stem is counted in: ``postings.tf_title`` … ``postings.tf_text``."""
