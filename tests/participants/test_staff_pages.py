"""Staff participant pages: list filters, pagination, htmx rows, detail, edit, pause, resume, withdraw, notes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kompis.audit.models import AuditEvent
from kompis.participants.models import FriendParticipation, Note, Participant
from tests.factories import ParticipantFactory
from tests.participants.helpers import edit_data, friend_of

LIST = "/staff/participants/"


@pytest.fixture
def admin_client(client, world):
    client.force_login(world.admin)
    return client


@pytest.fixture
def roster(world):
    """A small, varied set of participants of the organisation (and one outsider)."""
    now = timezone.now()
    make = ParticipantFactory
    return {
        "amal": make(
            organisation=world.org,
            region=world.uppsala,
            municipality_id="0380",
            first_name="Amal",
            last_name="Haddad",
            email="amal@example.org",
            role="newcomer",
            languages=["ar", "en"],
            meeting_mode="physical",
            signed_up_at=now - timedelta(days=40),
        ),
        "olena": make(
            organisation=world.org,
            region=world.uppsala,
            municipality_id="0305",
            first_name="Olena",
            last_name="Koval",
            role="newcomer",
            languages=["uk"],
            meeting_mode="digital",
            signed_up_at=now - timedelta(days=5),
        ),
        "karin": make(
            organisation=world.org,
            region=world.danderyd,
            municipality_id="0162",
            first_name="Karin",
            last_name="Lind",
            email="karin.lind@example.org",
            role="established",
            languages=["sv", "en"],
            meeting_mode="either",
            signed_up_at=now - timedelta(days=60),
        ),
        "pending": make(
            organisation=world.org,
            region=world.lulea,
            municipality_id="2580",
            first_name="Pia",
            last_name="Väntar",
            status="pending",
            role="established",
            languages=["sv"],
        ),
        "paused": make(
            organisation=world.org,
            region=world.lulea,
            municipality_id="2581",
            first_name="Paul",
            last_name="Paus",
            status="paused",
            languages=["fa"],
        ),
    }


def rows(client, **params) -> set[str]:
    response = client.get(LIST, params)
    assert response.status_code == 200
    return {p.first_name for p in response.context["page"]}


def test_list_without_filters_shows_everyone_of_the_organisation(admin_client, roster):
    assert rows(admin_client) == {"Amal", "Olena", "Karin", "Pia", "Paul"}


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"role": "established"}, {"Karin", "Pia"}),
        ({"role": "newcomer"}, {"Amal", "Olena", "Paul"}),
        ({"status": "pending"}, {"Pia"}),
        ({"status": "paused"}, {"Paul"}),
        ({"status": "waiting"}, {"Amal", "Olena", "Karin"}),
        ({"municipality": "0305"}, {"Olena"}),
        ({"language": "uk"}, {"Olena"}),
        ({"language": "en"}, {"Amal", "Karin"}),
        ({"language": "sv"}, {"Karin", "Pia"}),
        ({"meeting_mode": "digital"}, {"Olena"}),
        ({"meeting_mode": "physical"}, {"Amal"}),
        ({"waiting_days": "30"}, {"Amal", "Karin"}),
        ({"waiting_days": "50"}, {"Karin"}),
        ({"q": "haddad"}, {"Amal"}),
        ({"q": "OLENA"}, {"Olena"}),
        ({"q": "karin.lind@example"}, {"Karin"}),
        ({"q": "Amal Haddad"}, {"Amal"}),
        ({"q": "Amal Lind"}, set()),
        ({"q": "nobody-like-this"}, set()),
        ({"role": "newcomer", "language": "ar"}, {"Amal"}),
        ({"waiting_days": "not-a-number"}, {"Amal", "Olena", "Karin", "Pia", "Paul"}),
        ({"region": "not-a-uuid"}, set()),
    ],
)
def test_list_filters(admin_client, roster, params, expected):
    assert rows(admin_client, **params) == expected


def test_region_filter(admin_client, world, roster):
    assert rows(admin_client, region=str(world.uppsala.uid)) == {"Amal", "Olena"}
    assert rows(admin_client, region=str(world.lulea.uid)) == {"Pia", "Paul"}


def test_filters_are_kept_in_the_form(admin_client, roster):
    page = admin_client.get(LIST, {"q": "Amal", "role": "newcomer"}).content.decode()
    assert 'value="Amal"' in page and '<option value="newcomer" selected>' in page


def test_pagination(admin_client, world):
    for i in range(53):
        ParticipantFactory(organisation=world.org, region=world.uppsala, first_name=f"Bulk{i:02d}")
    first = admin_client.get(LIST)
    assert len(first.context["page"]) == 50 and first.context["page"].paginator.num_pages == 2
    html = first.content.decode()
    assert "?page=2" in html and "(53)" in html
    second = admin_client.get(LIST, {"page": "2"})
    assert len(second.context["page"]) == 3
    names = {p.first_name for p in first.context["page"]} | {p.first_name for p in second.context["page"]}
    assert len(names) == 53
    # filters survive paging
    assert "q=Bulk" in admin_client.get(LIST, {"q": "Bulk"}).content.decode()
    assert admin_client.get(LIST, {"page": "99"}).status_code == 200  # past the end: last page
    assert admin_client.get(LIST, {"page": "x"}).status_code == 200


def test_htmx_request_returns_only_the_rows(admin_client, roster):
    response = admin_client.get(LIST, {"q": "Amal"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html and '<form class="filters' not in html
    assert "<table" in html and "Amal Haddad" in html and "Karin Lind" not in html
    assert 'id="count"' in html  # the count is updated out of band
    full = admin_client.get(LIST, {"q": "Amal"}).content.decode()
    assert "<html" in full and 'class="filters' in full


def test_list_links_to_detail_by_opaque_id(admin_client, roster):
    html = admin_client.get(LIST).content.decode()
    amal = roster["amal"]
    assert reverse("participants:detail", args=[amal.uid]) in html
    assert f"/staff/participants/{amal.pk}/" not in html


# --- detail and actions --------------------------------------------------------------------------


def events(p: Participant, action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(object_id=str(p.uid), action=action))


def test_detail_shows_profile_history_and_notes(admin_client, world, roster):
    amal = roster["amal"]
    Note.objects.create(participant=amal, author=world.uppsala_coordinator, text="Prefers weekends.")
    from kompis.audit.services import record

    record(
        actor=world.uppsala_coordinator, action="participant.updated", obj=amal, data={"fields": ["phone"]}
    )
    html = admin_client.get(reverse("participants:detail", args=[amal.uid])).content.decode()
    assert "Amal Haddad" in html and "amal@example.org" in html
    assert "Prefers weekends." in html and "uppsala@kompis.test" in html
    # the history in sentences, not codes (issue 9)
    assert "participant.updated" not in html and "Profile changed: phone by uppsala@kompis.test" in html


def test_edit_changes_fields_and_audits_which(admin_client, roster):
    amal = roster["amal"]
    url = reverse("participants:edit", args=[amal.uid])
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(
        url, edit_data(amal, last_name="Haddad-Svensson", phone="070 555 11 22", interests=["fika", "music"])
    )
    assert response.status_code == 302 and response["Location"] == reverse(
        "participants:detail", args=[amal.uid]
    )
    amal.refresh_from_db()
    assert amal.last_name == "Haddad-Svensson" and amal.phone == "070 555 11 22"
    assert amal.interests == ["fika", "music"]
    (event,) = events(amal, "participant.updated")
    assert event.data["fields"] == ["interests", "last_name", "phone"]
    # values are not logged (the phone as written and as digits: a bare "070" can occur inside a uid)
    logged = str(event.data)
    assert "Haddad-Svensson" not in logged and "070 555 11 22" not in logged and "0705551122" not in logged


def test_edit_without_changes_records_nothing(admin_client, roster):
    amal = roster["amal"]
    response = admin_client.post(reverse("participants:edit", args=[amal.uid]), edit_data(amal))
    assert response.status_code == 302
    assert events(amal, "participant.updated") == []


def test_edit_with_invalid_value_shows_errors_and_changes_nothing(admin_client, roster):
    amal = roster["amal"]
    response = admin_client.post(
        reverse("participants:edit", args=[amal.uid]), edit_data(amal, postal_code="12", first_name="Changed")
    )
    assert response.status_code == 200 and "postal_code" in response.context["form"].errors
    amal.refresh_from_db()
    assert amal.first_name == "Amal" and events(amal, "participant.updated") == []


def test_edit_can_move_municipality(admin_client, world, roster):
    amal = roster["amal"]
    admin_client.post(
        reverse("participants:edit", args=[amal.uid]), edit_data(amal, municipality="0162", region="")
    )
    amal.refresh_from_db()
    assert amal.municipality_id == "0162"


def test_pause_with_future_date_then_resume(admin_client, roster):
    amal = roster["amal"]
    until = timezone.localdate() + timedelta(days=30)
    response = admin_client.post(reverse("participants:pause", args=[amal.uid]), {"until": until.isoformat()})
    assert response.status_code == 302
    friend = friend_of(amal)
    assert friend.status == "paused" and friend.paused_until == until
    (event,) = events(amal, "participant.paused")
    assert event.data["until"] == until.isoformat()

    response = admin_client.post(reverse("participants:resume", args=[amal.uid]))
    assert response.status_code == 302
    friend = friend_of(amal)
    assert friend.status == "waiting" and friend.paused_until is None
    assert len(events(amal, "participant.resumed")) == 1


@pytest.mark.parametrize("days", [0, -1, -365])
def test_pause_with_past_date_is_a_field_error(admin_client, roster, days):
    amal = roster["amal"]
    until = timezone.localdate() + timedelta(days=days)
    response = admin_client.post(
        reverse("participants:pause", args=[amal.uid]), {"until": until.isoformat()}, follow=True
    )
    assert "Choose a date in the future." in response.content.decode()
    assert friend_of(amal).status == "waiting" and events(amal, "participant.paused") == []


def test_pause_pending_is_refused_and_resume_of_waiting_is_refused(admin_client, roster):
    pending, amal = roster["pending"], roster["amal"]
    admin_client.post(reverse("participants:pause", args=[pending.uid]), {"until": ""})
    assert friend_of(pending).status == "pending" and events(pending, "participant.paused") == []
    admin_client.post(reverse("participants:resume", args=[amal.uid]))
    assert friend_of(amal).status == "waiting" and events(amal, "participant.resumed") == []


def test_withdraw_records_reason(admin_client, roster):
    amal = roster["amal"]
    response = admin_client.post(
        reverse("participants:withdraw", args=[amal.uid]), {"reason": "Moved to Malmö"}
    )
    assert response.status_code == 302
    assert friend_of(amal).status == "withdrawn"
    (event,) = events(amal, "participant.withdrawn")
    assert event.actor_label == "admin@kompis.test" and event.data["reason_given"] is True
    # The reason is free text (personal data): a note on her record, not in the audit log.
    assert "Malmö" not in str(event.data)
    assert Note.objects.filter(participant=amal, text__contains="Moved to Malmö").count() == 1
    admin_client.post(reverse("participants:withdraw", args=[amal.uid]), {"reason": "again"})
    assert len(events(amal, "participant.withdrawn")) == 1


def test_note_is_added_and_audited(admin_client, world, roster):
    amal = roster["amal"]
    response = admin_client.post(
        reverse("participants:note", args=[amal.uid]), {"text": "Met at the library."}
    )
    assert response.status_code == 302
    (note,) = Note.objects.filter(participant=amal)
    assert note.text == "Met at the library." and note.author == world.admin
    assert len(events(amal, "participant.note_added")) == 1
    assert (
        "Met at the library."
        in admin_client.get(reverse("participants:detail", args=[amal.uid])).content.decode()
    )


def test_empty_note_is_refused(admin_client, roster):
    amal = roster["amal"]
    admin_client.post(reverse("participants:note", args=[amal.uid]), {"text": "  "})
    assert not Note.objects.exists() and events(amal, "participant.note_added") == []


@pytest.mark.parametrize("action", ["pause", "resume", "withdraw", "note"])
def test_actions_refuse_get(admin_client, roster, action):
    amal = roster["amal"]
    assert admin_client.get(reverse(f"participants:{action}", args=[amal.uid])).status_code == 405
    assert friend_of(amal).status == "waiting"


# --- the person and their participation in friend matching (issue 12) -----------------------------------------


@pytest.fixture
def eva(world):
    """A person who registered only for an event: no participation in friend matching."""
    return ParticipantFactory(
        organisation=world.org,
        region=world.uppsala,
        municipality_id="0380",
        first_name="Eva",
        last_name="Evenemang",
        friend_matching=False,
    )


def test_the_list_filters_and_shows_the_friend_participation(admin_client, roster, eva):
    assert "Eva" in rows(admin_client)
    assert "Eva" not in rows(admin_client, status="waiting") | rows(admin_client, role="newcomer")
    assert "Eva" not in rows(admin_client, meeting_mode="either") | rows(admin_client, waiting_days="0")
    html = admin_client.get(LIST, {"q": "Evenemang"}).content.decode()
    row = html[html.index("Eva Evenemang</a>") :].split("</tr>")[0]
    assert row.count("—") == 3  # role, status, meeting mode
    html = admin_client.get(LIST, {"q": "Väntar"}).content.decode()
    row = html[html.index("Pia Väntar</a>") :].split("</tr>")[0]
    assert 'class="badge pending"' in row and 'class="badge established"' in row


def test_the_list_reads_friend_participations_in_the_same_query(admin_client, world, roster):
    with CaptureQueriesContext(connection) as few:
        admin_client.get(LIST)
    for i in range(20):
        ParticipantFactory(organisation=world.org, region=world.uppsala, first_name=f"N{i}")
    with CaptureQueriesContext(connection) as many:
        admin_client.get(LIST)
    assert len(many) == len(few)


def test_the_detail_shows_a_person_without_friend_matching(admin_client, eva):
    html = admin_client.get(reverse("participants:detail", args=[eva.uid])).content.decode()
    assert "Friend matching</dt><dd>—</dd>" in html
    assert reverse("participants:pause", args=[eva.uid]) not in html
    assert reverse("matching:manual") not in html


def test_the_detail_shows_the_friend_participation(admin_client, roster):
    karin = roster["karin"]
    html = admin_client.get(reverse("participants:detail", args=[karin.uid])).content.decode()
    assert 'class="badge established"' in html and 'class="badge waiting"' in html
    assert reverse("participants:pause", args=[karin.uid]) in html


def test_edit_writes_person_and_friend_fields_in_one_event(admin_client, roster):
    karin = roster["karin"]
    response = admin_client.post(
        reverse("participants:edit", args=[karin.uid]),
        edit_data(karin, capacity=3, meeting_mode="digital", phone="070 555 11 22"),
    )
    assert response.status_code == 302, response.context["form"].errors
    friend = friend_of(karin)
    assert (friend.capacity, friend.meeting_mode) == (3, "digital")
    karin.refresh_from_db()
    assert karin.phone == "070 555 11 22"
    (event,) = events(karin, "participant.updated")
    # (the form may also write her languages back in its own order)
    assert {"capacity", "meeting_mode", "phone"} <= set(event.data["fields"])
    assert not {"role", "availability", "wants_family_match"} & set(event.data["fields"])


def test_edit_of_a_person_without_friend_matching_leaves_it_out(admin_client, eva):
    url = reverse("participants:edit", args=[eva.uid])
    form = admin_client.get(url).context["form"]
    assert not {"role", "capacity", "meeting_mode", "availability"} & set(form.fields)
    response = admin_client.post(url, edit_data(eva, last_name="Ek", role="newcomer", capacity=2))
    assert response.status_code == 302, response.context["form"].errors
    eva.refresh_from_db()
    assert eva.last_name == "Ek"
    assert not FriendParticipation.objects.filter(pk=eva.pk).exists()
    (event,) = events(eva, "participant.updated")
    assert event.data["fields"] == ["last_name"]
