"""The index's views: each document's sections, action items and timeline as rows, read from its JSON.

They were tables until schema version 14, written on every build and read by nothing
in lessons: each held again what ``documents.data`` holds (the sections' text twice
over), and writing their 150,000 rows was a third of the writer's inserts at 10,000
documents. As views over ``documents.data`` they answer the same SQL (``SELECT text,
owner FROM action_items WHERE done = 0``) and cost nothing to build; a query pays for
reading the JSON of the documents it reaches, which a ``WHERE doc_key = ?`` keeps to one.
``position`` (0, 1, 2 … within the document) replaces the tables' ``rowid``.
"""

from __future__ import annotations

VIEWS: dict[str, tuple[str, tuple[tuple[str, str], ...]]] = {
    # view: (the document's JSON list it reads, its columns with their SQL types)
    "sections": ("sections", (("name", "text"), ("heading", "text"), ("line", "integer"), ("text", "text"))),
    "action_items": ("action_items", (("line", "integer"), ("text", "text"), ("done", "boolean"),
                                      ("owner", "text"), ("due", "text"))),
    "timeline_events": ("timeline", (("line", "integer"), ("at", "text"), ("text", "text"))),
}
"""Every view and what it reads; the names are `schema.VIEW_NAMES`."""


def view_statements(dialect: str) -> list[str]:
    """The CREATE VIEW statements in a dialect (``sqlite`` or ``postgresql``)."""
    return [_create(name, items, columns, dialect) for name, (items, columns) in VIEWS.items()]


def _create(name: str, items: str, columns: tuple[tuple[str, str], ...], dialect: str) -> str:
    names = ", ".join(["doc_key", "position", *(column for column, _ in columns)])
    if dialect == "sqlite":
        # JSON numbers and true/false come back as SQLite integers: ``done`` is 0 or 1, as the tables held.
        values = "".join(f",\n\tjson_extract(item.value, '$.{column}')" for column, _ in columns)
        return (f"CREATE VIEW IF NOT EXISTS {name}({names}) AS\nSELECT d.\"key\", item.\"key\"{values}\n"
                f"FROM documents AS d, json_each(d.data, '$.{items}') AS item")
    if dialect == "postgresql":
        # json, not jsonb: it reads the text as stored, without converting every document.
        values = "".join(f",\n\titem.value ->> '{column}'" if kind == "text"
                         else f",\n\t(item.value ->> '{column}')::{kind}" for column, kind in columns)
        return (f"CREATE OR REPLACE VIEW {name}({names}) AS\nSELECT d.\"key\", item.position - 1{values}\n"
                f"FROM documents AS d CROSS JOIN LATERAL json_array_elements(d.data::json -> '{items}')\n"
                "\tWITH ORDINALITY AS item(value, position)")
    raise ValueError(f"no views for the SQL dialect {dialect!r}")
