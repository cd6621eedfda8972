"""Adoption: bringing a team's existing post-mortems in as documents lessons reads fully.

`convert` turns a source file (Markdown, HTML exported from Confluence or Google Docs,
or a Word ``.docx``) into Markdown with well-kept converters (markdownify, mammoth);
`importer` reads it with the parser and writes a new file with front matter holding
what was read, keeping the body as it was. Source files are never changed and no
file is ever overwritten.

May import parsing, `scaffold` (file names) and the domain; never the store, queries,
checks, the CLI or the site.
"""
