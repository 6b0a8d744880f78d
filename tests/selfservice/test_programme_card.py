"""A person's programme enrolment on their own page (issue #13): the programme, the cohort's dates, their
status, the partner's first name, the pair's end date, the meetings logged and the next expected; a form to
log a meeting (only the date needed), posted through the page's own actions with the pair as its target."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import formats, timezone

from kompis.participants.services import self_service_url
from kompis.programmes.activities import action_name
from kompis.programmes.models import Enrolment, PairMeeting
from tests.factories import ParticipantFactory
from tests.programmes.meeting_fixtures import make_pair

pytestmark = pytest.mark.django_db


def path_of(person) -> str:
    return self_service_url(person).split("127.0.0.1:8000", 1)[1]


def page(client, person) -> str:
    client.get("/language/en/")
    response = client.get(path_of(person))
    assert response.status_code == 200
    return response.content.decode()


def post_meeting(client, person, pair, **data):
    client.get("/language/en/")
    body = {"action": action_name(pair), "target": str(pair.uid), **data}
    return client.post(path_of(person), body, follow=True)


def days_ago(n: int):
    return timezone.localdate() - timedelta(days=n)


def test_mentee_and_mentor_each_see_their_card_with_the_partner(client, world):
    w = make_pair(world)
    html = page(client, w.mentee)
    assert "Professional mentorship" in html
    assert "Your mentor is Britt." in html
    assert formats.date_format(w.pair.ends_on, "j F Y") in html
    assert "You have logged 0 meetings so far." in html
    assert 'name="met_on"' in html and f'value="{action_name(w.pair)}"' in html

    html = page(client, w.mentor)
    assert "Your mentee is Amal." in html
    assert f'value="{action_name(w.pair)}"' in html


def test_a_waiting_mentee_sees_the_waiting_list_and_no_form(client, world):
    w = make_pair(world)
    waiting = ParticipantFactory(organisation=world.org, region=world.uppsala, first_name="Samir")
    Enrolment.objects.create(cohort=w.cohort, participant=waiting, role="mentee", status="waiting_list")
    html = page(client, waiting)
    assert "You are on the waiting list." in html
    assert 'name="met_on"' not in html


def test_logging_from_the_page_with_only_the_date_then_again_the_same_date(client, world):
    w = make_pair(world)
    response = post_meeting(client, w.mentee, w.pair, met_on=days_ago(2).isoformat())
    html = response.content.decode()
    assert "is logged" in html
    meeting = PairMeeting.objects.get(pair=w.pair)
    assert meeting.logged_by_participant == w.mentee and meeting.how == ""
    assert "You have logged 1 meeting so far." in html

    post_meeting(client, w.mentor, w.pair, met_on=days_ago(2).isoformat(), how="video", note="Good talk")
    assert PairMeeting.objects.filter(pair=w.pair).count() == 1
    assert PairMeeting.objects.get(pair=w.pair).how == "video"


def test_a_future_date_is_refused_with_a_message_naming_the_field(client, world):
    w = make_pair(world)
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = post_meeting(client, w.mentee, w.pair, met_on=tomorrow.isoformat())
    html = response.content.decode()
    assert "The date of the meeting cannot be in the future." in html
    assert not PairMeeting.objects.exists()


def test_without_a_date_the_form_asks_for_it(client, world):
    w = make_pair(world)
    html = post_meeting(client, w.mentee, w.pair, met_on="", how="phone").content.decode()
    assert "Enter the date of the meeting." in html
    assert not PairMeeting.objects.exists()


def test_a_strangers_link_cannot_log_for_the_pair(client, world):
    w = make_pair(world)
    stranger = ParticipantFactory(organisation=world.org, region=world.uppsala, first_name="Other")
    response = post_meeting(client, stranger, w.pair, met_on=days_ago(1).isoformat())
    assert response.status_code == 200
    assert not PairMeeting.objects.exists()
    assert "Britt" not in response.content.decode()


@pytest.mark.parametrize("target", ["other pair", "zzz"])
def test_a_form_pointed_at_another_pair_writes_nothing_and_says_so(client, world, target):
    w = make_pair(world)
    other = make_pair(world)
    client.get("/language/en/")
    response = client.post(
        path_of(w.mentee),
        {
            "action": action_name(w.pair),
            "target": str(other.pair.uid) if target == "other pair" else target,
            "met_on": days_ago(1).isoformat(),
        },
    )
    assert response.status_code == 200
    assert "This could not be done" in response.content.decode()
    assert not PairMeeting.objects.exists()


def test_a_tampered_link_is_refused_with_a_clear_page(client, world):
    w = make_pair(world)
    client.get("/language/en/")
    url = path_of(w.mentee)
    token = url.rstrip("/").rsplit("/", 1)[1]
    tampered = url.replace(token, token[:-2] + ("xx" if not token.endswith("xx") else "yy"))
    response = client.post(
        tampered,
        {"action": action_name(w.pair), "target": str(w.pair.uid), "met_on": days_ago(1).isoformat()},
    )
    assert response.status_code == 400
    assert not PairMeeting.objects.exists()
    html = response.content.decode()
    assert "This link does not work" in html and "Get a new link" in html
    assert "Britt" not in html


def test_an_ended_pair_shows_no_form(client, world):
    w = make_pair(world, status="ended", ended_at=timezone.now(), end_reason="completed")
    html = page(client, w.mentee)
    assert "Your pair has ended." in html
    assert 'name="met_on"' not in html
