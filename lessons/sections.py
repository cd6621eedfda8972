"""Recognising section headings the way post-mortem templates really write them."""

from __future__ import annotations

import re

# Canonical section -> headings people use for it (lower case, no punctuation).
SECTION_ALIASES: dict[str, tuple[str, ...]] = {
    "summary": (
        "summary", "overview", "executive summary", "incident summary", "description",
        "tldr", "tl dr", "abstract", "synopsis", "background", "introduction", "what happened",
    ),
    "impact": (
        "impact", "customer impact", "user impact", "business impact", "impact assessment",
        "scope", "scope and impact", "affected services", "who was affected",
    ),
    "timeline": (
        "timeline", "chronology", "sequence of events", "timeline of events", "incident timeline",
        "detailed timeline", "events",
    ),
    "causes": (
        "root cause", "root causes", "contributing factors", "contributing factor", "causes",
        "cause", "trigger", "triggers", "analysis", "root cause analysis", "rca",
        "why it happened", "technical details", "what went wrong technically",
        "root cause and trigger", "the root cause", "five whys", "5 whys", "fault", "leadup",
        "lead up", "contributing causes", "causal factors",
    ),
    "detection": ("detection", "how it was detected", "how we found out", "monitoring", "alerting"),
    "resolution": (
        "resolution", "recovery", "mitigation", "remediation", "fix", "the fix",
        "resolution and recovery", "how it was fixed", "mitigation and resolution", "restoration",
        "response",
    ),
    "lessons": (
        "lessons learned", "lessons learnt", "lessons", "learnings", "what went well",
        "what went wrong", "where we got lucky", "takeaways", "key takeaways", "what we learned",
        "what we learnt", "retrospective", "reflections",
    ),
    "action-items": (
        "action items", "actions", "follow ups", "follow up", "followups", "follow up actions",
        "follow up items", "corrective actions", "corrective and preventative actions",
        "corrective and preventive actions", "preventive actions", "preventative actions",
        "next steps", "remediation items", "repair items", "action plan", "todo", "to do",
        "what we are doing", "what were doing", "what we are changing", "prevention",
        "recommendations", "improvements",
    ),
}

_ALIAS_TO_NAME = {alias: name for name, aliases in SECTION_ALIASES.items() for alias in aliases}
_NUMBERING = re.compile(r"^\s*(?:(?:\d+|[ivxlc]+|[a-z])[.)]|\d+(?:\.\d+)*)\s+", re.IGNORECASE)
_NON_WORD = re.compile(r"[^\w\s]+")
_SPACES = re.compile(r"\s+")


def normalise_heading(heading: str) -> str:
    """Lower case, without numbering, punctuation, emoji or extra space."""
    text = _NUMBERING.sub("", heading.strip())
    text = text.replace("&", " and ").replace("-", " ")
    text = _NON_WORD.sub(" ", text.lower())
    return _SPACES.sub(" ", text).strip()


def canonical_section(heading: str) -> str | None:
    """The canonical section a heading stands for, or None for a heading of its own.

    Exact aliases first; then a heading that starts with an alias ("Root cause
    and trigger (technical)"); then a close spelling ("Root casue", "Timline").
    """
    text = normalise_heading(heading)
    if not text:
        return None
    if text in _ALIAS_TO_NAME:
        return _ALIAS_TO_NAME[text]
    for alias, name in _ALIAS_TO_NAME.items():
        if len(alias) >= 5 and (text.startswith(alias + " ") or text.endswith(" " + alias)):
            return name
    if len(text) >= 5:
        from rapidfuzz import fuzz, process

        found = process.extractOne(text, list(_ALIAS_TO_NAME), scorer=fuzz.ratio, score_cutoff=86)
        if found:
            return _ALIAS_TO_NAME[found[0]]
    return None


def slugify_heading(heading: str) -> str:
    """A stable name for a heading that is not one of the canonical sections."""
    return normalise_heading(heading).replace(" ", "-") or "section"
