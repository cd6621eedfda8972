"""SARIF 2.1.0 output, for code-scanning dashboards (GitHub, GitLab, Azure DevOps)."""

from __future__ import annotations

import json
from collections.abc import Sequence

from .. import __version__
from ..errors import Level, Problem, display_path

_LEVELS = {Level.ERROR: "error", Level.WARNING: "warning", Level.INFO: "note"}


def render_sarif(problems: Sequence[Problem]) -> str:
    rules = sorted({p.code for p in problems})
    results = [
        {
            "ruleId": p.code,
            "ruleIndex": rules.index(p.code),
            "level": _LEVELS[p.level],
            "message": {"text": p.message},
            "locations": [{
                "physicalLocation": {
                    "artifactLocation": {"uri": display_path(p.path).replace("\\", "/")},
                    "region": {"startLine": max(p.line, 1), "startColumn": max(p.column, 1)},
                }
            }],
        }
        for p in problems
    ]
    log = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "lessons",
                "version": __version__,
                "informationUri": "https://pypi.org/project/lessons/",
                "rules": [{"id": code, "name": code} for code in rules],
            }},
            "results": results,
        }],
    }
    return json.dumps(log, indent=2, ensure_ascii=False)
