"""Raw HTML that content contributes to the site, made safe with nh3; front matter made inert.

`lessons check` already rejects the obvious attacks (``<script>``, ``on*=``
handlers, ``javascript:`` links) at check time. The sanitiser is the second wall:
whatever reaches a page from content is cleaned with an allowlist, so an
encoding trick the checker does not know still cannot run script in the site.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
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

# What the generated pages add: the home page's search form, and the charts' inline SVG
# as pygal draws it (its <style> sheet, its groups, bars, dots and labels).
_GENERATED_TAGS = {"form", "button", "svg", "defs", "style", "title", "desc", "g", "path", "rect", "circle", "text"}
_GENERATED_ATTRIBUTES: dict[str, set[str]] = {
    "form": {"action", "method"},
    "input": {"name", "placeholder", "required"},
    "button": {"type"},
    "label": {"for"},
    "svg": {"viewBox", "xmlns"},
    "style": {"type"},
    "g": {"transform"},
    "path": {"d"},
    "rect": {"x", "y", "width", "height", "rx", "ry"},
    "circle": {"cx", "cy", "r"},
    "text": {"x", "y", "transform"},
}


@lru_cache(maxsize=2)
def _cleaner(generated: bool) -> Any:
    import nh3

    attributes = {tag: set(names) for tag, names in nh3.ALLOWED_ATTRIBUTES.items()}
    extra = [_TAG_ATTRIBUTES, _GENERATED_ATTRIBUTES] if generated else [_TAG_ATTRIBUTES]
    for table in extra:
        for tag, names in table.items():
            attributes.setdefault(tag, set()).update(names)
    attributes["*"] = set(_GENERIC_ATTRIBUTES)
    return nh3.Cleaner(
        tags=set(nh3.ALLOWED_TAGS) | _EXTRA_TAGS | (_GENERATED_TAGS if generated else set()),
        clean_content_tags={"script"} if generated else {"script", "style"},
        attributes=attributes,
        url_schemes={"http", "https", "mailto"},
        # nh3 cannot filter properties once <style> is allowed; the sheet is pygal's.
        filter_style_properties=None if generated else _STYLE_PROPERTIES,
        strip_comments=True,
        link_rel=None,
    )


def clean_html(html: str) -> str:
    """The HTML with every element, attribute and URL that could run script removed."""
    return str(_cleaner(False).clean(html))


def clean_generated_html(html: str) -> str:
    """A generated page's HTML, cleaned like content but keeping its search form and charts.

    The pages escape every value they print; this is the second wall, in case one
    ever does not. Its allowlist adds the form and pygal's SVG (with its ``<style>``
    sheet, so at worst a missed escape could add CSS, never script).
    """
    return str(_cleaner(True).clean(html))


_OPENING_QUOTE = re.compile(r"(^|[\s(\[{])([\"'])")
_ENTITY_START = re.compile(r"&(?=#|\w+;)")
_ICON = re.compile(r"^[a-z0-9-]+(?:/[a-z0-9-]+)+$")
# Front-matter keys that make a theme choose a template or send the reader elsewhere
# (Material's redirect.html puts `location` into a script): never from content.
_UNSAFE_META = frozenset({"template", "location"})


def safe_title(title: str) -> str:
    """A title that is safe in any theme template, escaped or not, in text or in an attribute.

    Themes print page titles unescaped (readthedocs even inside ``title="…"``), or
    through Jinja's ``striptags``, which decodes entities again; so angle brackets
    become look-alikes (``‹›``), straight quotes become typographic ones, and an
    ampersand that would start an entity becomes a full-width ``＆``.
    """
    title = title.replace("<", "‹").replace(">", "›")
    title = _OPENING_QUOTE.sub(lambda m: m.group(1) + ("“" if m.group(2) == '"' else "‘"), title)
    title = title.replace('"', "”").replace("'", "’")
    return _ENTITY_START.sub("＆", title)


def inert_meta(meta: Mapping[str, Any]) -> dict[str, Any]:
    """A document's front matter as a theme may safely see it.

    Themes print front-matter values into pages without escaping (Material:
    ``description`` and ``author`` in ``<meta content="…">``, ``subtitle`` and
    ``status`` in the navigation, ``icon`` in a template path). Every text becomes
    `safe_title` text, an ``icon`` that is not an icon name is left out (it would
    stop the build), and ``template``/``location`` are left out.
    """
    inert: dict[str, Any] = {}
    for key, value in meta.items():
        if key in _UNSAFE_META or (key == "icon" and not (isinstance(value, str) and _ICON.match(value))):
            continue
        inert[key] = _inert(value)
    return inert


def _inert(value: Any) -> Any:
    if isinstance(value, str):
        return safe_title(value)
    if isinstance(value, Mapping):
        return {key: _inert(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_inert(item) for item in value]
    return value
