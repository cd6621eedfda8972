"""The site: an MkDocs plugin and the plain page generators behind it.

`pages` writes Markdown from a `KnowledgeBase`; `plugin.LessonsPlugin` injects
it into an MkDocs build; `export` writes the same pages as a docs tree that any
MkDocs-compatible builder can build; `build` backs ``lessons build``/``serve``.
"""
