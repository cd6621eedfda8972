"""Parsing: a Markdown file with front matter becomes a validated `Document`.

Owns the front-matter reader, the field rules, and the readers of sections,
timelines and action items. May import the domain (`lessons.model`,
`lessons.errors`, `lessons.suggest`) and markdown-it-py, mdit-py-plugins and
PyYAML; never the store, queries, checks, the CLI or the site.
"""
