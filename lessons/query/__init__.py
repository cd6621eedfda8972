"""Queries: ranking, typo tolerance, `similar()`, snippets and the reasons for a match.

May import the store, parsing and the domain; never checks, the CLI or the site.
"""
