"""The index's JSON writes each kind of value as `Document.to_dict` does (`jsonable`), decided once per type."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from enum import Enum
from pathlib import Path

import pytest

from lessons.fieldspec import Status
from lessons.model import jsonable
from lessons.store import prepare


class _Colour(Enum):
    RED = "red"


class _Day(date):
    """A subclass: written as a date, as `jsonable` writes it."""


@pytest.mark.parametrize("value", [
    datetime(2024, 3, 1, 12, 30), datetime(2024, 3, 1, 12, 30, tzinfo=timezone(timedelta(hours=2))),
    date(2024, 3, 1), _Day(2024, 3, 2), _Colour.RED, Path("incidents/a.md"), next(iter(Status)),
])
def test_each_kind_of_value_is_written_as_to_dict_writes_it(value: object) -> None:
    # Twice: the first value of a type finds its writer, the second uses the one kept.
    for _ in range(2):
        assert prepare._ENCODER.encode([value]) == json.dumps([jsonable(value)], ensure_ascii=False)


def test_a_value_json_has_no_type_for_is_refused_every_time() -> None:
    for _ in range(2):  # a refused type is not kept as if it had a writer
        with pytest.raises(TypeError, match="complex cannot be stored"):
            prepare._ENCODER.encode({"odd": 1j})
