"""Parsing: a Markdown file with front matter becomes a validated `Document`.

`parse.parse_text` reads the front matter (`frontmatter`, `fields`), turns markdown-it's
tokens into an outline of typed blocks (`outline`, `blocks`), and runs the readers of
`readers.READERS` over it (sections, links, labels, timeline, action items, durations).
The words of each language are data in `lexicon/*.toml`. May import the domain
(`lessons.model`, `lessons.errors`, `lessons.suggest`) and markdown-it-py, mdit-py-plugins
and PyYAML; never the store, queries, checks, the CLI or the site.
"""
