"""Recognising section headings the way post-mortem templates really write them."""

from __future__ import annotations

import re

# Canonical section -> headings people use for it (lower case, no punctuation).
SECTION_ALIASES: dict[str, tuple[str, ...]] = {
    "summary": (
        "summary", "overview", "executive summary", "incident summary", "description",
        "tldr", "tl dr", "abstract", "synopsis", "background", "introduction", "what happened",
        "incident overview", "incident description", "context",
    ),
    "impact": (
        "impact", "customer impact", "user impact", "business impact", "impact assessment",
        "scope", "scope and impact", "affected services", "who was affected", "who was impacted",
        "what was affected", "affected customers", "affected systems", "blast radius",
        "user facing impact", "customer facing impact", "severity and impact", "impact and severity",
    ),
    "timeline": (
        "timeline", "chronology", "sequence of events", "timeline of events", "incident timeline",
        "detailed timeline", "events", "time line", "event log", "log of events",
        "chronology of events", "how did we respond",
    ),
    "causes": (
        "root cause", "root causes", "contributing factors", "contributing factor", "causes",
        "cause", "trigger", "triggers", "analysis", "root cause analysis", "rca",
        "why it happened", "technical details", "what went wrong technically",
        "root cause and trigger", "the root cause", "five whys", "5 whys", "fault", "leadup",
        "lead up", "contributing causes", "causal factors", "why did it happen", "what caused it",
        "what caused the outage", "what caused the incident", "underlying cause", "underlying causes",
        "technical analysis", "causal analysis", "incident analysis", "what went wrong and why",
    ),
    "detection": (
        "detection", "how it was detected", "how we found out", "monitoring", "alerting",
        "how was it detected", "how did we detect it", "how we detected it", "how did we find out",
        "discovery", "identification", "alerts",
    ),
    "resolution": (
        "resolution", "recovery", "mitigation", "remediation", "fix", "the fix",
        "resolution and recovery", "how it was fixed", "mitigation and resolution", "restoration",
        "response", "how did we fix it", "how we fixed it", "how was it fixed", "how was it resolved",
        "resolution steps", "mitigation steps", "recovery steps", "remediation steps", "workaround",
        "response and recovery", "incident response", "what we did",
    ),
    "lessons": (
        "lessons learned", "lessons learnt", "lessons", "learnings", "what went well",
        "what went wrong", "where we got lucky", "takeaways", "key takeaways", "what we learned",
        "what we learnt", "retrospective", "reflections", "what could have gone better",
        "what could have been better", "what could we have done better", "what didn t go well",
        "what did not go well", "what went badly", "things that went well", "things that went wrong",
        "learnings and takeaways", "where we were lucky", "observations", "insights",
    ),
    "action-items": (
        "action items", "actions", "follow ups", "follow up", "followups", "follow up actions",
        "follow up items", "corrective actions", "corrective and preventative actions",
        "corrective and preventive actions", "preventive actions", "preventative actions",
        "next steps", "remediation items", "repair items", "action plan", "todo", "to do",
        "what we are doing", "what were doing", "what we are changing", "prevention",
        "recommendations", "improvements", "what we re doing", "what we re changing",
        "what are we doing to prevent it", "what we re doing about it", "what we are doing about it",
        "how will we prevent this", "how we will prevent this", "preventing recurrence",
        "prevention measures", "preventive measures", "preventative measures", "follow up work",
        "remediations", "future work", "next actions", "going forward", "corrective action plan",
        "how are we making incidents like this less likely or less impactful",
        "how are we making incidents like this less likely", "repair items and next steps",
    ),
}

# The same sections in German and Spanish, the languages teams most often asked about.
_TRANSLATED: dict[str, tuple[str, ...]] = {
    "summary": ("zusammenfassung", "überblick", "resumen", "descripción", "qué pasó"),
    "impact": ("auswirkungen", "auswirkung", "impacto"),
    "timeline": ("zeitablauf", "zeitleiste", "chronologie", "ablauf", "cronología", "línea de tiempo"),
    "causes": ("ursache", "ursachen", "grundursache", "fehlerursache", "causa raíz", "causas", "causa"),
    "detection": ("erkennung", "detección"),
    "resolution": ("behebung", "lösung", "wiederherstellung", "resolución", "mitigación", "solución"),
    "lessons": ("erkenntnisse", "lektionen", "lecciones aprendidas", "aprendizajes"),
    "action-items": ("maßnahmen", "massnahmen", "nächste schritte", "acciones", "acciones correctivas",
                     "próximos pasos"),
}
_ALIAS_TO_NAME = {alias: name for name, aliases in SECTION_ALIASES.items() for alias in aliases}
_ALIAS_TO_NAME.update({alias: name for name, aliases in _TRANSLATED.items() for alias in aliases})
_NOT_SECTIONS = frozenset({
    "incident review", "post incident review", "incident report", "post incident report", "postmortem",
    "post mortem", "incident postmortem", "incident post mortem", "review", "report", "notes", "appendix",
})
"""Headings that wrap a whole document or hold extras: close in spelling to a section
("incident review" / "incident overview"), but never one."""
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
    if text in _NOT_SECTIONS:
        return None
    for alias, name in _ALIAS_TO_NAME.items():
        # "Root cause and trigger (technical)" starts with a section's name; a heading that
        # only ends with one ("Cost analysis") is about something else, unless the name is
        # a phrase ("Customer-facing root cause").
        if len(alias) >= 5 and (text.startswith(alias + " ") or (" " in alias and text.endswith(" " + alias))):
            return name
    if len(text) >= 5:
        from rapidfuzz import fuzz, process
        from rapidfuzz.distance import OSA

        found = process.extractOne(text, list(_ALIAS_TO_NAME), scorer=fuzz.ratio, score_cutoff=86)
        if found:
            return _ALIAS_TO_NAME[found[0]]
        # Two letters swapped ("Impcat") is one slip of the fingers, as in search.
        close = process.extractOne(text, list(_ALIAS_TO_NAME), scorer=OSA.distance,
                                   score_cutoff=2 if len(text) >= 9 else 1)
        if close:
            return _ALIAS_TO_NAME[close[0]]
    return None


def slugify_heading(heading: str) -> str:
    """A stable name for a heading that is not one of the canonical sections."""
    return normalise_heading(heading).replace(" ", "-") or "section"
