"""The store: the SQLite index, a cache of the content folder that can always be rebuilt.

Owns finding the files, the tables, the sync that re-reads what changed, the packed
postings and the parallel parse workers. May import parsing and the domain; never
queries, checks, the CLI or the site.
"""
