"""Checks: the rules a knowledge base must satisfy and the report formats (`lessons check`).

May import the knowledge base (`lessons.kb`) and everything below it; never the CLI
or the site.
"""
