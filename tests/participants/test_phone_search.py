"""Phone search: "0701234567" finds the number however it was written (issue 9)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kompis.participants.models import Participant
from kompis.participants.phones import normalise_phone, phone_query
from tests.factories import ParticipantFactory

LIST = "/staff/participants/"

WRITTEN = {
    "spaces": "070 123 45 67",
    "plus46": "+46 70 123 45 67",
    "dash": "070-123 45 67",
    "double_zero": "0046 70 123 45 67",
    "compact_plus": "+46701234567",
}


@pytest.fixture
def phones(world):
    people = {
        key: ParticipantFactory(organisation=world.org, region=world.uppsala, first_name=key, phone=phone)
        for key, phone in WRITTEN.items()
    }
    people["other"] = ParticipantFactory(
        organisation=world.org, region=world.uppsala, first_name="other", phone="070 999 88 77"
    )
    people["finnish"] = ParticipantFactory(
        organisation=world.org, region=world.uppsala, first_name="finnish", phone="+358 40 123 4567"
    )
    return people


def found(client, q: str) -> set[str]:
    response = client.get(LIST, {"q": q})
    assert response.status_code == 200
    return {p.first_name for p in response.context["page"]}


@pytest.mark.parametrize(
    "q", ["0701234567", "070 123 45 67", "+46 70 123 45 67", "070-123 45 67", "+46701234567", "0046701234567"]
)
def test_any_writing_finds_every_writing(client, world, phones, q):
    client.force_login(world.admin)
    assert found(client, q) == set(WRITTEN)


def test_the_start_of_a_number_finds_it_and_other_numbers_are_not_found(client, world, phones):
    client.force_login(world.admin)
    assert found(client, "070 123") == set(WRITTEN)
    assert found(client, "0709998877") == {"other"}
    assert found(client, "+358401234567") == {"finnish"}
    assert found(client, "0701234568") == set()


def test_phone_search_stays_in_scope(client, world, phones):
    ParticipantFactory(
        organisation=world.org, region=world.danderyd, first_name="danderyd", phone="0701234567"
    )
    client.force_login(world.uppsala_coordinator)
    assert found(client, "0701234567") == set(WRITTEN)


def test_normalised_copy_is_kept_by_the_database(world):
    p = ParticipantFactory(organisation=world.org, region=world.uppsala, phone="+46 (0)70.123/45 67")
    p.refresh_from_db()
    assert p.phone_digits == normalise_phone(p.phone)
    Participant.objects.filter(pk=p.pk).update(phone="070-555 11 22")  # also for bulk updates
    p.refresh_from_db()
    assert p.phone_digits == "0705551122"


@pytest.mark.parametrize(
    "written, digits",
    [
        ("070 123 45 67", "0701234567"),
        ("+46 70 123 45 67", "0701234567"),
        ("0046-70-1234567", "0701234567"),
        ("+358 40 123", "35840123"),
        ("", ""),
    ],
)
def test_normalise_phone(written, digits):
    assert normalise_phone(written) == digits


@pytest.mark.parametrize("q, digits", [("Amal", ""), ("070", ""), ("070 12", "07012"), ("a0701234567", "")])
def test_phone_query_only_for_phone_like_text(q, digits):
    assert phone_query(q) == digits


def test_phone_search_uses_the_normalised_column(client, world, phones):
    client.force_login(world.admin)
    with CaptureQueriesContext(connection) as ctx:
        found(client, "0701234567")
    sql = " ".join(q["sql"] for q in ctx.captured_queries)
    assert "phone_digits" in sql and "REPLACE" not in sql.upper() and "LIKE" not in sql.upper()


@pytest.mark.parametrize(
    "prefix, expected",
    [
        ("07012", ("07012", "07013")),
        ("07019", ("07019", "0702")),
        ("0799", ("0799", "08")),
        ("99", ("99", None)),
    ],
)
def test_digits_range(prefix, expected):
    from kompis.participants.phones import digits_range

    assert digits_range(prefix) == expected


def test_a_number_ending_in_nine_is_found(client, world):
    ParticipantFactory(organisation=world.org, region=world.uppsala, first_name="nine", phone="070 999 99 99")
    ParticipantFactory(organisation=world.org, region=world.uppsala, first_name="next", phone="071 000 00 00")
    client.force_login(world.admin)
    assert found(client, "070 999 99 99") == {"nine"}
    assert found(client, "07099") == {"nine"}


def test_external_id_that_looks_like_a_number_is_still_found(client, world):
    ParticipantFactory(
        organisation=world.org, region=world.uppsala, first_name="ref", external_ref="20240117"
    )
    client.force_login(world.admin)
    assert found(client, "20240117") == {"ref"}


def test_phone_lookup_is_an_index_range_not_a_scan(world):
    """With 100,000 participants the search must not read them all: the plan uses the (organisation,
    phone_digits) index for the range."""
    from kompis.participants.access import participants_for_user
    from kompis.participants.phones import digits_range

    if connection.vendor == "postgresql":  # a test table is tiny: ask whether the index *can* serve the range
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
    low, high = digits_range("0701234567")
    plan = (
        participants_for_user(world.admin)
        .filter(phone_digits__gte=low, phone_digits__lt=high)
        .order_by()
        .explain()
    )
    assert "participant_org_phone_digits" in plan
