"""Reading a severity as teams write it: ``2``, ``SEV-0``, ``P2 (High)``, ``2 - High``, ``🔴 Critical``.

The level words of every language are in the packs (``lexicon/*.toml``). A value that is
no level raises `SeverityError`, whose message says what was expected and shows what was
written, cut short when it is long (a pasted log, a number of 5,000 digits).
"""

from __future__ import annotations

import re
from typing import Any

from ..display import brief
from .lexicon import lexicon

_SEVERITY_WORDS = lexicon().severities
# The first whole number is the level: "SEV-0", "P2 (High)", "2 - High", "Sev2 / Major". A decimal
# such as 2.5 is no level at all, so a digit next to a dot does not count.
_SEVERITY_NUMBER = re.compile(r"(?<![\d.])\d+(?![\d.])")
# "-1" is a negative number, not level 1 behind a dash.
_NEGATIVE = re.compile(r"^\s*-\s*\d")
# Emoji, brackets and punctuation around a severity word carry no meaning ("🔴 Critical").
_SEVERITY_DECORATION = re.compile(r"^[\W_]+|[\W_]+$")
_NUMBER_LITERAL = re.compile(
    r"[-+]?(?:0[xob][\da-f_]+|\d[\d_]*(?:\.[\d_]*)?(?:e[-+]?\d+)?|\.\d[\d_]*(?:e[-+]?\d+)?|\.?inf|\.?nan)",
    re.IGNORECASE)
"""A number as YAML or Python writes one: 2.5, -1, 1e999, 0x1F, .inf (each part unambiguous, so linear)."""


class SeverityError(ValueError):
    """A value that is no severity; the message says what was expected."""


def read_severity(value: Any, raw: str | None) -> int:
    """0 (worst) … 5, from a number, a level such as SEV-0, P2 (High), "2 - High", or a word.

    Args:
        value: the value as YAML typed it.
        raw: the scalar as written (None for lists and mappings).
    """
    if isinstance(value, dict):
        # Incident tools export `severity: {id: 01HTQ…, name: Minor, rank: 3}`: the name says
        # it (the id's digits do not).
        named = next((value[k] for k in ("name", "label", "level", "value") if isinstance(value.get(k), (str, int))),
                     None)
        if named is None:
            raise SeverityError("expected a number from 0 (worst) to 5, or a mapping with a `name`")
        return read_severity(named, str(named))
    # Messages teach the 1 … 5 scale most templates use; SEV0, the rare level above it, is read too.
    if isinstance(value, bool):
        raise SeverityError("expected a number from 0 (worst) to 5")
    number_written = isinstance(value, (int, float))
    written = str(raw if raw is not None and not number_written else value).strip()
    # The value is shown as written: a number bare, text quoted, so "SEV9" is not mistaken for 9.
    shown = written if number_written and len(written) <= 40 else brief(written)
    number = _SEVERITY_NUMBER.search(written)
    # 2.5, -1 or 1e999 is a number, but no level: its digits are not one either.
    plain_number = not _NUMBER_LITERAL.fullmatch(written) or (written.isascii() and written.isdigit())
    if number is not None and plain_number and not _NEGATIVE.match(written):
        digits = number.group()
        if len(digits) > 2 or not 0 <= int(digits) <= 5:  # int() of 5,000 digits raises
            raise SeverityError(f"expected a number from 0 (worst) to 5, got {shown}")
        return int(digits)
    word = _SEVERITY_DECORATION.sub("", written).lower()
    if word in _SEVERITY_WORDS:
        return _SEVERITY_WORDS[word]
    raise SeverityError(f"expected a number from 0 (worst) to 5 (or SEV0, SEV1, P2 …), got {shown}")
