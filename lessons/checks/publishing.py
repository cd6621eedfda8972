"""Rules about what a team publishes: notes written as action items, the site's address.

- ``not-an-action``: an "action item" that says no actions were published ("No
  engineering follow-up actions have been made public") or that there are none
  ("None", "No further action required"). It is a note about the write-up, not work
  to follow up; the site would count it as an open action for ever.
- ``site-url-placeholder`` (info): ``site_url`` in ``mkdocs.yml`` still holds the address
  `lessons init` wrote (the sitemap, the feed and the 404 page need the real one). Info,
  not a warning: a repository fresh from `lessons init` passes ``check --strict``.

The phrases are for this rule only (the parser does not read them), so they live
here rather than in the parser's language packs; English, German, Spanish and French
as the packs are.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import Level, Problem
from ..kb import KnowledgeBase

SITE_URL_PLACEHOLDER = "https://lessons.example.com/"
"""The ``site_url`` `lessons init` writes into ``mkdocs.yml``, for the team to replace."""

# A negation and a word for follow-up work, then within a few words "published": the note
# is about the work ("no outcome has been published" inside a real action is not).
_NEGATION = r"(?:no|not|none|nothing|never|keine[rs]?|nicht|ning[uú]n[oa]?|nada|pas|aucune?|non)"
_WORK = (r"(?:actions?|action\s+items?|items?|follow[- ]?ups?|remediations?|steps|measures|changes|"
         r"ma(?:ß|ss)nahmen|acciones|medidas|mesures)")
_PUBLISHED = (r"(?:(?:been|were|was|are|is|be)\s+(?:made\s+)?(?:public(?:ly)?|published|disclosed|released|shared)"
              r"|made\s+public|publicly\s+(?:available|disclosed|shared|released)"
              r"|ver(?:ö|oe)ffentlicht|publicad[oa]s?|publi(?:é|e)e?s?|rendu(?:e|es|s)?\s+publi)")
_NOT_PUBLISHED = re.compile(
    rf"\b{_NEGATION}\b(?:\W+\w+){{0,3}}?\W+{_WORK}\b(?:\W+\w+){{0,6}}?\W+{_PUBLISHED}"
    rf"|\b{_WORK}\b(?:\W+\w+){{0,3}}?\s+(?:were|was|have|has|are|is)\s+not\s+(?:been\s+)?"
    r"(?:made\s+public|published|disclosed|released)"
    rf"|\b{_NEGATION}\b(?:\W+\w+){{0,3}}?\W+{_PUBLISHED}(?:\W+\w+){{0,3}}?\W+{_WORK}\b",
    re.IGNORECASE)
# The whole item says there is nothing to do.
_NOTHING = re.compile(
    r"(?:none|n/?a|nothing|no\s+(?:further\s+|follow[- ]?up\s+)?actions?(?:\s+items?)?"
    r"(?:\s+(?:required|needed|identified|planned))?|keine|ninguna|aucune?)",
    re.IGNORECASE)


def is_not_an_action(text: str) -> bool:
    """True when an action item's text is a note that nothing was published or nothing is to do."""
    return bool(_NOTHING.fullmatch(text.strip().rstrip(".!").rstrip()) or _NOT_PUBLISHED.search(text))


def not_an_action_problems(kb: KnowledgeBase) -> list[Problem]:
    """A warning at each action item that is a note rather than work (see the module's docstring)."""
    return [Problem(doc.path, item.line, "not-an-action",
                    f"this action item is a note, not work to follow up: {item.text[:80]!r} (write it as "
                    "a sentence under the section, not as a list item)", Level.WARNING)
            for doc in kb.postmortems for item in doc.action_items if is_not_an_action(item.text)]


_SITE_URL_LINE = re.compile(r"^site_url\s*:\s*['\"]?([^'\"#\s]*)", re.MULTILINE)


def site_url_problems(root: Path) -> list[Problem]:
    """A finding when the ``mkdocs.yml`` beside the content folder keeps the placeholder address."""
    for folder in (root.parent, root):
        config = folder / "mkdocs.yml"
        try:
            text = config.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        found = _SITE_URL_LINE.search(text)
        if found and found.group(1).rstrip("/") == SITE_URL_PLACEHOLDER.rstrip("/"):
            line = text.count("\n", 0, found.start()) + 1
            return [Problem(config, line, "site-url-placeholder",
                            f"site_url is still the placeholder {SITE_URL_PLACEHOLDER} (write the address "
                            "where the site is published: the sitemap, the feed and the 404 page use it)",
                            Level.INFO)]
        return []
    return []
