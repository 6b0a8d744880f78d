"""A mentor pair's meeting log (issue #13): one of the two (or staff) log a meeting; one row per pair and
date; `last_met_on` follows the latest date; the audit holds ids and codes, never the pair's words."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from kompis.audit.actors import ParticipantActor, SystemActor
from kompis.audit.models import AuditEvent
from kompis.programmes.meetings import MeetingRefused, log_meeting
from kompis.programmes.models import PairMeeting
from tests.factories import ParticipantFactory
from tests.programmes.meeting_fixtures import make_pair

pytestmark = pytest.mark.django_db

NOTE = "We talked about her CV at Café Linné"


def days_ago(n: int):
    return timezone.localdate() - timedelta(days=n)


def test_the_mentee_logs_a_meeting_and_the_pair_remembers_when_they_last_met(world):
    w = make_pair(world)
    logged = log_meeting(
        actor=ParticipantActor(w.mentee.pk), pair=w.pair, met_on=days_ago(3), how="in_person", note=NOTE
    )
    assert logged.created
    meeting = PairMeeting.objects.get(pair=w.pair)
    assert (meeting.met_on, meeting.how, meeting.note) == (days_ago(3), "in_person", NOTE)
    assert meeting.logged_by_participant == w.mentee and meeting.logged_by_staff is None
    w.pair.refresh_from_db()
    assert w.pair.last_met_on == days_ago(3)

    event = AuditEvent.objects.get(action="programme.meeting_logged")
    assert event.actor_label == "participant"
    assert event.object_id == str(w.programme.uid) and event.data["pair"] == str(w.pair.uid)
    assert event.data["participant"] == str(w.mentee.uid)
    assert event.data["met_on"] == days_ago(3).isoformat()
    assert "CV" not in str(event.data) and "note" not in event.data


def test_the_same_date_twice_leaves_one_row_updated(world):
    w = make_pair(world)
    log_meeting(actor=ParticipantActor(w.mentee.pk), pair=w.pair, met_on=days_ago(2), how="phone")
    again = log_meeting(actor=ParticipantActor(w.mentor.pk), pair=w.pair, met_on=days_ago(2), how="video")
    assert not again.created
    assert PairMeeting.objects.filter(pair=w.pair).count() == 1
    assert PairMeeting.objects.get(pair=w.pair).how == "video"
    assert AuditEvent.objects.filter(action="programme.meeting_logged").count() == 2


def test_a_later_empty_log_of_the_same_date_keeps_the_earlier_note_and_how(world):
    w = make_pair(world)
    log_meeting(
        actor=ParticipantActor(w.mentee.pk), pair=w.pair, met_on=days_ago(1), how="in_person", note=NOTE
    )
    again = log_meeting(actor=ParticipantActor(w.mentor.pk), pair=w.pair, met_on=days_ago(1), note="  ")
    assert not again.created
    meeting = PairMeeting.objects.get(pair=w.pair)
    assert (meeting.how, meeting.note) == ("in_person", NOTE)
    assert meeting.logged_by_participant == w.mentee  # the mentor's log changed nothing
    # a non-empty value replaces; the other field stays
    log_meeting(actor=ParticipantActor(w.mentor.pk), pair=w.pair, met_on=days_ago(1), note="Fika")
    meeting.refresh_from_db()
    assert (meeting.how, meeting.note) == ("in_person", "Fika")
    assert meeting.logged_by_participant == w.mentor
    assert PairMeeting.objects.filter(pair=w.pair).count() == 1


def test_an_earlier_meeting_logged_later_keeps_the_latest_date(world):
    w = make_pair(world)
    log_meeting(actor=ParticipantActor(w.mentor.pk), pair=w.pair, met_on=days_ago(1))
    log_meeting(actor=ParticipantActor(w.mentee.pk), pair=w.pair, met_on=days_ago(8))
    w.pair.refresh_from_db()
    assert w.pair.last_met_on == days_ago(1)
    assert PairMeeting.objects.filter(pair=w.pair).count() == 2


def test_only_the_date_is_needed(world):
    w = make_pair(world)
    log_meeting(actor=ParticipantActor(w.mentee.pk), pair=w.pair, met_on=timezone.localdate())
    meeting = PairMeeting.objects.get(pair=w.pair)
    assert (meeting.how, meeting.note) == ("", "")


@pytest.mark.parametrize(
    "met_on, code",
    [
        (lambda: timezone.localdate() + timedelta(days=1), "future"),
        (lambda: days_ago(11), "before_start"),  # the pair started 10 days ago
    ],
)
def test_a_date_outside_the_pair_is_refused_and_nothing_is_written(world, met_on, code):
    w = make_pair(world)
    with pytest.raises(MeetingRefused) as refused:
        log_meeting(actor=ParticipantActor(w.mentee.pk), pair=w.pair, met_on=met_on())
    assert (refused.value.code, refused.value.field) == (code, "met_on")
    assert not PairMeeting.objects.exists()
    assert not AuditEvent.objects.filter(action="programme.meeting_logged").exists()
    w.pair.refresh_from_db()
    assert w.pair.last_met_on is None


def test_anyone_but_the_two_and_the_organisations_staff_is_refused(world):
    w = make_pair(world)
    stranger = ParticipantFactory(organisation=world.org, region=world.uppsala)
    for actor in (
        ParticipantActor(stranger.pk),
        ParticipantActor(None),
        SystemActor("programmes.test"),
        world.other_coordinator,
    ):
        with pytest.raises(MeetingRefused) as refused:
            log_meeting(actor=actor, pair=w.pair, met_on=days_ago(1))
        assert refused.value.code == "not_in_pair"
    assert not PairMeeting.objects.exists()


def test_staff_log_a_meeting_for_the_pair(world):
    w = make_pair(world)
    log_meeting(actor=world.uppsala_coordinator, pair=w.pair, met_on=days_ago(1), how="phone")
    meeting = PairMeeting.objects.get(pair=w.pair)
    assert meeting.logged_by_staff == world.uppsala_coordinator and meeting.logged_by_participant is None
    event = AuditEvent.objects.get(action="programme.meeting_logged")
    assert event.actor_id == world.uppsala_coordinator.pk and "participant" not in event.data


def test_a_proposed_pair_cannot_log_a_meeting(world):
    w = make_pair(world, status="proposed")
    with pytest.raises(MeetingRefused) as refused:
        log_meeting(actor=ParticipantActor(w.mentee.pk), pair=w.pair, met_on=days_ago(1))
    assert refused.value.code == "not_open"


# --- staff log a meeting for the pair and see its meetings -------------------------------------------------


def meeting_url(pair) -> str:
    from django.urls import reverse

    return reverse("programmes:pair_meeting", kwargs={"pair_id": pair.uid})


def test_staff_see_the_meetings_without_the_pairs_words_and_log_one(client, world):
    w = make_pair(world)
    log_meeting(actor=ParticipantActor(w.mentee.pk), pair=w.pair, met_on=days_ago(5), how="video", note=NOTE)
    client.force_login(world.uppsala_coordinator)
    html = client.get(meeting_url(w.pair)).content.decode()
    assert days_ago(5).isoformat() in html and "By video" in html
    assert "Café Linné" not in html and 'name="note"' not in html

    response = client.post(meeting_url(w.pair), {"met_on": days_ago(1).isoformat(), "how": "phone"})
    assert response.status_code == 302
    assert PairMeeting.objects.filter(pair=w.pair).count() == 2
    assert PairMeeting.objects.get(met_on=days_ago(1)).logged_by_staff == world.uppsala_coordinator


def test_staff_get_a_message_naming_the_date_and_nothing_is_written(client, world):
    w = make_pair(world)
    client.force_login(world.uppsala_coordinator)
    response = client.post(meeting_url(w.pair), {"met_on": days_ago(30).isoformat()})
    assert response.status_code == 400
    assert "The date of the meeting cannot be before the pair started" in response.content.decode()
    assert not PairMeeting.objects.exists()


def test_a_coordinator_of_another_region_gets_404(client, world):
    w = make_pair(world)
    client.force_login(world.danderyd_coordinator)
    assert client.get(meeting_url(w.pair)).status_code == 404
    assert client.post(meeting_url(w.pair), {"met_on": days_ago(1).isoformat()}).status_code == 404
    assert not PairMeeting.objects.exists()
