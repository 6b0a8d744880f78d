"""Issue 11: one participant CSV contract. The importer and the matching engine's reader accept and refuse
the same values at the contract's limits (capacity, birth year) and in its vocabularies (role, gender,
meeting mode). Before the contract the engine took capacity 0 and 6 to 20, which the importer refused."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from kompis.contract import participants as contract
from kompis.matching.engine import csvio
from kompis.matching.engine import model as engine_model
from kompis.participants import import_reading, importing, vocab

ROW = {
    "id": "n1", "role": "newcomer", "birth_year": "1990", "gender": "woman", "municipality_code": "0380",
    "postal_code": "75220", "languages": "ar;en", "interests": "football", "has_children": "false",
    "wants_family_match": "false", "meeting_mode": "physical", "same_gender_only": "false", "capacity": "1",
    "signed_up": "2025-06-01",
}  # fmt: skip


def engine_accepts(column: str, value: str) -> bool:
    row = {**ROW, column: value}
    text = (
        ",".join(contract.CONTRACT_COLUMNS)
        + "\n"
        + ",".join(row[c] for c in contract.CONTRACT_COLUMNS)
        + "\n"
    )
    result = csvio.parse_participants(io.StringIO(text), today=timezone.localdate())
    assert all(e.column == column for e in result.errors), result.errors
    return result.ok


def importer_accepts(conv: Callable[[str], Any], value: str) -> bool:
    try:
        conv(value)
    except importing.Invalid:
        return False
    return True


def _converter(column: str) -> Callable[[str], Any]:
    return importing._converters(timezone.localdate(), {"0380": "Uppsala"}, None)[column][0]


YEAR = dt.date.today().year


@pytest.mark.parametrize(
    "column, value, ok",
    [
        ("capacity", "", True),
        ("capacity", "0", False),
        ("capacity", str(contract.MIN_CAPACITY), True),
        ("capacity", str(contract.MAX_CAPACITY), True),
        ("capacity", str(contract.MAX_CAPACITY + 1), False),
        ("capacity", "20", False),
        ("capacity", "lots", False),
        ("birth_year", str(YEAR - contract.MIN_AGE + 1), False),
        ("birth_year", str(YEAR - contract.MIN_AGE), True),
        ("birth_year", str(YEAR - contract.MAX_AGE), True),
        ("birth_year", str(YEAR - contract.MAX_AGE - 1), False),
        ("birth_year", str(YEAR + 1), False),
        *[("role", code, True) for code in contract.ROLES],
        ("role", "volunteer", False),
        *[("gender", code, True) for code in contract.GENDERS],
        ("gender", "other", False),
        *[("meeting_mode", code, True) for code in contract.MEETING_MODES],
        ("meeting_mode", "phone", False),
    ],
)
def test_importer_and_engine_agree_at_the_limits(column: str, value: str, ok: bool) -> None:
    assert engine_accepts(column, value) is ok
    assert importer_accepts(_converter(column), value) is ok


def test_both_sides_take_the_contract_from_one_place() -> None:
    assert import_reading.CONTRACT_COLUMNS == contract.CONTRACT_COLUMNS
    assert csvio.REQUIRED_COLUMNS == contract.REQUIRED_COLUMNS
    assert importing.MAX_CAPACITY == contract.MAX_CAPACITY
    assert (engine_model.ROLES, engine_model.GENDERS, engine_model.MEETING_MODES) == (
        contract.ROLES, contract.GENDERS, contract.MEETING_MODES,
    )  # fmt: skip
    assert tuple(vocab.INTERESTS) == contract.INTEREST_CODES
    assert tuple(vocab.LANGUAGES) == contract.LANGUAGE_CODES
    assert tuple(vocab.AVAILABILITY) == engine_model.AVAILABILITY_SLOTS == contract.AVAILABILITY_SLOTS
