"""Names written in another script: asked in Latin letters too, and used in mails to the partner (issue 9)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.core import mail

from kompis.followup.services import introduce_match
from kompis.matching.models import Match
from kompis.outbox.models import OutboxMessage
from kompis.outbox.services import deliver_due
from kompis.participants.models import Participant
from kompis.participants.names import display_name_for, needs_latin
from tests.factories import ParticipantFactory
from tests.participants.test_signup import SIGNUP, VALID


def person(first: str, last: str, latin: str = "") -> SimpleNamespace:
    return SimpleNamespace(
        first_name=first, last_name=last, name_latin=latin, full_name=f"{first} {last}".strip()
    )


LAYLA = person("ليلى", "حداد", "Layla Haddad")


@pytest.mark.parametrize(
    ("reader", "expected"),
    [("sv", "Layla"), ("en", "Layla"), ("so", "Layla"), ("uk", "Layla"), ("ar", "ليلى"), ("fa", "ليلى")],
)
def test_display_name_for_a_reader_of_another_script_is_in_latin_letters(reader, expected):
    assert display_name_for(LAYLA, reader) == expected


def test_display_name_for_other_scripts_and_edge_cases():
    olena = person("Олена", "Шевченко", "Olena Shevchenko")
    assert display_name_for(olena, "uk") == "Олена" and display_name_for(olena, "sv") == "Olena"
    assert display_name_for(olena, "sv", full=True) == "Olena Shevchenko"
    # no Latin form given: the name as written (better than nothing)
    assert display_name_for(person("ليلى", "حداد"), "sv") == "ليلى"
    # words do not line up with first + last name: the whole Latin name
    assert display_name_for(person("عبد الرحمن", "علي", "Abdulrahman Ali"), "sv") == "Abdulrahman Ali"
    # Latin names stay as they are, with their diacritics
    assert display_name_for(person("Åsa", "Öberg", "x"), "ar") == "Åsa"


def test_needs_latin():
    assert needs_latin("ليلى") and needs_latin("Layla", "حداد") and needs_latin("Олена")
    assert not needs_latin("Åsa", "Öberg") and not needs_latin("Zoë-Anne", "N'Diaye") and not needs_latin("")


@pytest.mark.django_db
def test_signup_with_a_name_in_another_script_requires_the_latin_name(client, world):
    data = {**VALID, "first_name": "ليلى", "last_name": "حداد"}
    response = client.post(SIGNUP, data)
    assert response.status_code == 200
    assert "name_latin" in response.context["form"].errors
    assert not Participant.objects.exists()
    client.post(SIGNUP, {**data, "name_latin": "  Layla   Haddad "})
    assert Participant.objects.get().name_latin == "Layla Haddad"


@pytest.mark.django_db
def test_signup_with_a_latin_name_does_not_ask_and_the_field_is_shown_without_javascript(client, world):
    page = client.get(SIGNUP).content.decode()
    assert 'name="name_latin"' in page  # always there: no script needed
    client.post(SIGNUP, VALID)
    assert Participant.objects.get().name_latin == ""


@pytest.mark.django_db
def test_the_latin_name_must_be_in_latin_letters(client, world):
    response = client.post(SIGNUP, {**VALID, "first_name": "ليلى", "name_latin": "ليلى"})
    assert "name_latin" in response.context["form"].errors and not Participant.objects.exists()


@pytest.mark.django_db
def test_introduction_names_the_partner_in_latin_letters_for_a_swedish_reader(world):
    layla = ParticipantFactory(
        organisation=world.org,
        region=world.uppsala,
        role="newcomer",
        status="matched",
        first_name="ليلى",
        last_name="حداد",
        name_latin="Layla Haddad",
        preferred_language="ar",
    )
    britt = ParticipantFactory(
        organisation=world.org,
        region=world.uppsala,
        role="established",
        status="matched",
        first_name="Britt",
        preferred_language="sv",
    )
    match = Match.objects.create(
        organisation=world.org, newcomer=layla, established=britt, mode="physical", status="approved"
    )
    introduce_match(actor=world.uppsala_coordinator, match=match)
    deliver_due()
    by_to = {m.to[0]: m for m in mail.outbox}
    swedish = by_to[britt.email]
    assert "Säg hej till Layla!" in swedish.body and "ليلى" not in swedish.body
    assert "Layla" in swedish.subject and "ليلى" not in swedish.alternatives[0][0]
    arabic = by_to[layla.email]
    assert "Britt" in arabic.body
    assert OutboxMessage.objects.get(participant=britt).context["other"]["name"] == "Layla"


@pytest.mark.django_db
def test_staff_edit_form_accepts_the_latin_name_but_does_not_require_it(world):
    from kompis.participants.forms import StaffEditForm

    data = {**VALID, "first_name": "ليلى", "last_name": "حداد", "municipality": "0380"}
    form = StaffEditForm(data=data, organisation=world.org)
    assert form.is_valid(), form.errors  # staff may not know it: not required
    form = StaffEditForm(data={**data, "name_latin": "Layla Haddad"}, organisation=world.org)
    assert form.is_valid() and form.cleaned_data["name_latin"] == "Layla Haddad"
    form = StaffEditForm(data={**data, "name_latin": "ليلى"}, organisation=world.org)
    assert "name_latin" in form.errors


@pytest.mark.django_db
def test_import_reads_the_name_latin_column_and_checks_it(world):
    from kompis.participants import importing

    header = "id,role,birth_year,gender,municipality_code,postal_code,languages,interests,has_children,"
    header += "wants_family_match,meeting_mode,same_gender_only,signed_up,first_name,last_name,name_latin"
    common = "newcomer,1990,woman,0380,75320,ar,fika,false,false,either,false,2026-01-10"
    rows = [f"A1,{common},ليلى,حداد,Layla Haddad", f"A2,{common},ليلى,حداد,ليلى", f"A3,{common},Åsa,Berg,"]
    data = "\n".join([header, *rows]).encode()
    result = importing.check_file(data, "people.csv", organisation=world.org)
    assert [v.values["name_latin"] for v in result.valid] == ["Layla Haddad", ""]
    assert [(e.line, e.column) for e in result.errors] == [(3, "name_latin")]
