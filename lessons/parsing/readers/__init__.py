"""Readers: each takes what one kind of content says from the outline of a document."""
