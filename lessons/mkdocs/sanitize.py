"""Raw HTML that content contributes to the site, made safe with nh3.

`lessons check` already rejects the obvious attacks (``<script>``, ``on*=``
handlers, ``javascript:`` links) at check time. The sanitiser is the second wall:
whatever reaches a page from content is cleaned with an allowlist, so an
encoding trick the checker does not know still cannot run script in the site.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

# What Python-Markdown, its standard extensions and the pymdownx extensions that
# Material recommends produce, plus what `pages` writes. Everything else goes.
_EXTRA_TAGS = {"input", "label"}
_GENERIC_ATTRIBUTES = {"class", "id", "title", "lang", "dir", "role", "aria-label", "aria-hidden",
                       "align", "style"}
_TAG_ATTRIBUTES: dict[str, set[str]] = {
    "a": {"href", "name", "target"},
    "img": {"src", "alt", "width", "height", "loading"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start", "type"},
    "input": {"type", "checked", "disabled"},
    "time": {"datetime"},
    "details": {"open"},
    "abbr": {"title"},
}
# Table alignment is the only style Markdown writes; anything else could hide or
# overlay content.
_STYLE_PROPERTIES = {"text-align"}


@lru_cache(maxsize=1)
def _cleaner() -> Any:
    import nh3

    attributes = {tag: set(names) for tag, names in nh3.ALLOWED_ATTRIBUTES.items()}
    for tag, names in _TAG_ATTRIBUTES.items():
        attributes.setdefault(tag, set()).update(names)
    attributes["*"] = set(_GENERIC_ATTRIBUTES)
    return nh3.Cleaner(
        tags=set(nh3.ALLOWED_TAGS) | _EXTRA_TAGS,
        clean_content_tags={"script", "style"},
        attributes=attributes,
        url_schemes={"http", "https", "mailto"},
        filter_style_properties=_STYLE_PROPERTIES,
        strip_comments=True,
        link_rel=None,
    )


def clean_html(html: str) -> str:
    """The HTML with every element, attribute and URL that could run script removed."""
    return str(_cleaner().clean(html))


def safe_title(title: str) -> str:
    """A title that is safe in any theme template, escaped or not.

    Themes print page titles unescaped, or through Jinja's ``striptags``, which
    decodes entities again; so angle brackets become look-alikes (``‹›``) and an
    ampersand that would start an entity becomes a full-width ``＆``.
    """
    import re

    title = title.replace("<", "‹").replace(">", "›")
    return re.sub(r"&(?=#|\w+;)", "＆", title)
