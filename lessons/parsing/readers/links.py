"""The links and HTML reader: what `lessons check` follows and refuses."""

from __future__ import annotations

from ...model import Link
from ..blocks import Outline
from ..builder import DocumentBuilder


def read_links(outline: Outline, doc: DocumentBuilder) -> None:
    """Links and images (to check that their files exist), and raw HTML (to check it runs no script)."""
    for ref in outline.refs:
        if isinstance(ref, Link):
            doc.links.append(ref)
        else:
            doc.html.append(ref)
