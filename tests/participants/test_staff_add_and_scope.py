"""Adding a participant by hand (a paper sign-up, issue 9) and writes outside scope (issue 10 §6): a coordinator
may only create or move people into their own regions."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kompis.audit.models import AuditEvent
from kompis.outbox.models import OutboxMessage
from kompis.participants.models import Consent, Participant
from tests.participants.helpers import edit_data, friend_of

ADD = "/staff/participants/add/"


def paper_form(**changes) -> dict:
    data = {
        "role": "newcomer",
        "first_name": "Hodan",
        "last_name": "Warsame",
        "email": "",
        "phone": "070 123 45 67",
        "share_phone": "on",  # no e-mail: the match reaches her by phone
        "birth_year": "1988",
        "gender": "woman",
        "municipality": "0162",
        "languages": ["so", "sv"],
        "interests": ["cooking"],
        "meeting_mode": "physical",
        "capacity": "1",
        "preferred_language": "so",
        "paper_consent": "on",
        "region": "",
        "project": "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def offered(form, name: str) -> set:
    """The choices the page offers (the widget's options, without the empty one)."""
    return {value for value, _label in form.fields[name].widget.choices if value != ""}


def test_coordinator_adds_a_paper_sign_up_into_own_region(client, world):
    client.force_login(world.danderyd_coordinator)
    assert client.get(ADD).status_code == 200
    response = client.post(ADD, paper_form())
    person = Participant.objects.get(first_name="Hodan")
    assert response.status_code == 302 and response["Location"] == reverse(
        "participants:detail", args=[person.uid]
    )
    friend = friend_of(person)
    assert friend.status == "waiting" and person.source == "staff" and person.region == world.danderyd
    assert (friend.role, friend.meeting_mode, friend.organisation) == ("newcomer", "physical", world.org)
    assert friend.waiting_since == person.signed_up_at
    assert person.preferred_language == "so" and person.email == "" and person.email_verified_at is None
    (consent,) = Consent.objects.filter(participant=person)
    assert consent.kind == "data_processing" and consent.method == "paper"
    (event,) = AuditEvent.objects.filter(object_id=str(person.uid))
    assert event.action == "participant.added_by_staff" and event.actor == world.danderyd_coordinator
    # the phone as written and as digits (a bare "070" can occur inside a uid)
    logged = str(event.data)
    assert "Hodan" not in logged and "070 123 45 67" not in logged and "0701234567" not in logged
    assert not OutboxMessage.objects.filter(participant=person).exists()  # no mail when added on paper
    page = client.get(reverse("participants:detail", args=[person.uid])).content.decode()
    assert (
        "Added from a paper sign-up by danderyd@kompis.test" in page and "Method: On paper, by staff." in page
    )


def test_research_consent_is_recorded_on_paper_too(client, world):
    client.force_login(world.admin)
    client.post(ADD, paper_form(consent_research="on", email="Hodan@Example.org"))
    person = Participant.objects.get(first_name="Hodan")
    assert person.email == "hodan@example.org"
    assert sorted(Consent.objects.filter(participant=person).values_list("kind", "method")) == [
        ("data_processing", "paper"),
        ("research", "paper"),
    ]


def test_without_the_signed_paper_nobody_is_added(client, world):
    client.force_login(world.danderyd_coordinator)
    response = client.post(ADD, paper_form(paper_consent=None))
    assert response.status_code == 200 and "paper_consent" in response.context["form"].errors
    assert not Participant.objects.exists() and not AuditEvent.objects.exists()


def test_a_name_in_another_script_needs_its_latin_form(client, world):
    """The partner's introduction names the person: a Swedish partner must not get "Säg hej till هدى!"."""
    client.force_login(world.danderyd_coordinator)
    response = client.post(ADD, paper_form(first_name="هدى", last_name="ورسمه"))
    assert response.status_code == 200 and "name_latin" in response.context["form"].errors
    (error,) = response.context["form"].errors["name_latin"]
    assert "as the person wants it (ask them)" in error and "Your name" not in error  # staff words
    assert "Your name in Latin letters" not in response.content.decode()
    assert not Participant.objects.exists()
    client.post(ADD, paper_form(first_name="هدى", last_name="ورسمه", name_latin="Hoda Warsame"))
    assert Participant.objects.get(first_name="هدى").name_latin == "Hoda Warsame"


@pytest.mark.parametrize(
    "changes",
    [{"share_phone": None}, {"phone": "", "share_phone": None}, {"phone": ""}],
    ids=["phone-not-shared", "no-phone", "shared-but-empty"],
)
def test_the_match_must_be_able_to_reach_the_person(client, world, changes):
    """Without an e-mail address and without a phone the match may see, nobody could reach her."""
    client.force_login(world.danderyd_coordinator)
    response = client.post(ADD, paper_form(**changes))
    assert response.status_code == 200 and "email" in response.context["form"].errors
    assert not Participant.objects.exists()
    client.post(ADD, paper_form(email="hodan@example.org", **changes))
    assert Participant.objects.filter(email="hodan@example.org").exists()


def test_duplicate_email_is_a_field_error(client, world, danderyd_participant):
    client.force_login(world.danderyd_coordinator)
    response = client.post(ADD, paper_form(email=danderyd_participant.email.upper()))
    assert response.status_code == 200
    assert "already registered" in str(response.context["form"].errors["email"])
    assert Participant.objects.count() == 1


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"municipality": "0380"}, "municipality"),  # Uppsala municipality: its region is Uppsala
        ({"municipality": "0162", "region": "UPPSALA"}, "region"),  # a region not offered
        ({"municipality": "1280"}, "municipality"),  # Malmö: in no region at all
    ],
)
def test_danderyd_coordinator_cannot_add_into_uppsala(client, world, changes, field):
    if changes.get("region") == "UPPSALA":
        changes = {**changes, "region": str(world.uppsala.pk)}
    client.force_login(world.danderyd_coordinator)
    response = client.post(ADD, paper_form(**changes))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    assert not Participant.objects.exists() and not AuditEvent.objects.exists()


def test_add_form_offers_only_own_regions_and_their_municipalities(client, world):
    client.force_login(world.danderyd_coordinator)
    form = client.get(ADD).context["form"]
    assert offered(form, "region") == {world.danderyd.pk}
    assert offered(form, "municipality") == {"0162", "0160", "0186"}
    client.force_login(world.admin)
    form = client.get(ADD).context["form"]
    assert offered(form, "region") == {world.uppsala.pk, world.danderyd.pk, world.lulea.pk}


def test_admin_may_add_anywhere_and_region_follows_the_municipality(client, world):
    client.force_login(world.admin)
    client.post(ADD, paper_form(municipality="0380"))
    assert Participant.objects.get(first_name="Hodan").region == world.uppsala


# --- moving people: the edit page ------------------------------------------------------------------


@pytest.mark.parametrize(
    "changes",
    [
        {"region": "UPPSALA"},  # region chosen directly (every region was offered before the fix)
        {"region": "", "municipality": "0380"},  # region following an Uppsala municipality
        {"municipality": "0380", "region": "UPPSALA"},
        {"region": "", "municipality": "1280"},  # Malmö, in no region: out of every coordinator's scope
    ],
)
def test_danderyd_coordinator_cannot_move_a_participant_to_uppsala(
    client, world, danderyd_participant, changes
):
    """Regression (issue 10 §6): this POST moved Karin to Uppsala before the fix."""
    changes = {k: (str(world.uppsala.pk) if v == "UPPSALA" else v) for k, v in changes.items()}
    client.force_login(world.danderyd_coordinator)
    url = reverse("participants:edit", args=[danderyd_participant.uid])
    response = client.post(url, edit_data(danderyd_participant, **changes))
    assert response.status_code == 200
    html = response.content.decode()
    assert "You can only place people in your own regions (Danderyd)." in html
    danderyd_participant.refresh_from_db()
    assert danderyd_participant.region == world.danderyd and danderyd_participant.municipality_id == "0162"
    assert not AuditEvent.objects.filter(action="participant.updated").exists()


def test_edit_page_offers_only_own_regions(client, world, danderyd_participant):
    client.force_login(world.danderyd_coordinator)
    form = client.get(reverse("participants:edit", args=[danderyd_participant.uid])).context["form"]
    assert offered(form, "region") == {world.danderyd.pk}
    assert "0380" not in offered(form, "municipality") and "0162" in offered(form, "municipality")


def test_coordinator_may_move_within_own_regions(client, world, danderyd_participant):
    client.force_login(world.danderyd_coordinator)
    url = reverse("participants:edit", args=[danderyd_participant.uid])
    response = client.post(url, edit_data(danderyd_participant, municipality="0186", region=""))
    assert response.status_code == 302
    danderyd_participant.refresh_from_db()
    assert danderyd_participant.municipality_id == "0186" and danderyd_participant.region == world.danderyd


def test_project_coordinator_keeps_a_person_in_their_own_region(client, world):
    """Seen through a project: editing keeps the person's region (not a move) and cannot move them elsewhere."""
    from tests.factories import ParticipantFactory

    world.danderyd_coordinator.projects.set([world.project])
    person = ParticipantFactory(
        organisation=world.org, region=world.uppsala, project=world.project, first_name="Projekt"
    )
    client.force_login(world.danderyd_coordinator)
    url = reverse("participants:edit", args=[person.uid])
    assert client.post(url, edit_data(person, phone="070 555 66 77")).status_code == 302
    person.refresh_from_db()
    assert person.phone == "070 555 66 77" and person.region == world.uppsala
    response = client.post(url, edit_data(person, region=str(world.lulea.pk)))
    assert response.status_code == 200
    person.refresh_from_db()
    assert person.region == world.uppsala


def test_admin_may_move_anywhere(client, world, danderyd_participant):
    client.force_login(world.admin)
    url = reverse("participants:edit", args=[danderyd_participant.uid])
    assert client.post(url, edit_data(danderyd_participant, region=str(world.uppsala.pk))).status_code == 302
    danderyd_participant.refresh_from_db()
    assert danderyd_participant.region == world.uppsala


def test_service_refuses_out_of_scope_moves_whatever_the_form(world, danderyd_participant):
    from kompis.participants.staff_services import OutOfScope, update_participant_in_scope

    with pytest.raises(OutOfScope):
        update_participant_in_scope(
            actor=world.danderyd_coordinator, participant=danderyd_participant, data={"region": world.uppsala}
        )
    danderyd_participant.refresh_from_db()
    assert danderyd_participant.region == world.danderyd


def test_edit_to_an_address_someone_else_has_is_a_clear_field_error(client, world, danderyd_participant):
    from tests.factories import ParticipantFactory

    other = ParticipantFactory(organisation=world.org, region=world.danderyd, email="taken@example.org")
    client.force_login(world.danderyd_coordinator)
    url = reverse("participants:edit", args=[danderyd_participant.uid])
    response = client.post(url, edit_data(danderyd_participant, email="Taken@example.org"))
    assert response.status_code == 200
    assert "already registered" in str(response.context["form"].errors["email"])
    assert (
        client.post(url, edit_data(danderyd_participant, phone="070 1")).status_code == 200
    )  # own address ok
    # keeping their own address is no clash
    assert client.post(url, edit_data(danderyd_participant, phone="070 123 45 67")).status_code == 302
    other.refresh_from_db()
    assert other.email == "taken@example.org"


def test_the_partner_of_a_paper_sign_up_without_e_mail_gets_her_phone(client, world):
    """Added by hand with a phone the match may see and no e-mail: the partner's introduction gives the phone,
    not an empty address (it read "Hodan: , 070 123 45 67", or "Hodan: " without a phone)."""
    from django.core import mail

    from kompis.followup.services import introduce_match
    from kompis.matching.models import Match
    from kompis.outbox.services import deliver_due
    from tests.factories import ParticipantFactory

    client.force_login(world.danderyd_coordinator)
    client.post(ADD, paper_form())
    hodan = Participant.objects.get(first_name="Hodan")
    britt = ParticipantFactory(
        organisation=world.org, region=world.danderyd, municipality_id="0162", role="established"
    )
    match = Match.objects.create(
        organisation=world.org, newcomer=hodan, established=britt, mode="physical", status="approved"
    )
    introduce_match(actor=world.danderyd_coordinator, match=match)
    deliver_due()
    (intro,) = mail.outbox  # Hodan has no e-mail: only the partner is written to
    assert intro.to == [britt.email]
    assert "Hodan: 070 123 45 67\n" in intro.body and "Hodan: ," not in intro.body
    html = intro.alternatives[0][0]
    assert '<strong>Hodan</strong><br><span dir="ltr">070 123 45 67</span>' in html
