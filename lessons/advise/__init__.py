"""Advice on a planned change from the knowledge base (`KnowledgeBase.advise`, `lessons advise`)."""

from __future__ import annotations

from .core import advise
from .model import Advice, CauseAdvice, Change, IncidentAdvice, PracticeAdvice

__all__ = ["Advice", "CauseAdvice", "Change", "IncidentAdvice", "PracticeAdvice", "advise"]
