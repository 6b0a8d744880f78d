"""A pause with an end date ends by itself: the sweep puts the person back in the waiting pool."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from kompis.audit.models import AuditEvent
from kompis.core.sweeps import run_all
from kompis.participants.models import FriendParticipation
from kompis.participants.services import pause_participant
from tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9)))


def test_pause_ends_the_day_after_its_last_day(world):
    today = timezone.localdate()
    person = ParticipantFactory(organisation=world.org, region=world.uppsala)
    open_ended = ParticipantFactory(organisation=world.org, region=world.uppsala)
    pause_participant(actor=world.uppsala_coordinator, participant=person, until=today + dt.timedelta(days=3))
    pause_participant(actor=world.uppsala_coordinator, participant=open_ended, until=None)

    run_all(now=_at(today + dt.timedelta(days=3)))  # the last day of the pause
    assert FriendParticipation.objects.get(pk=person.pk).status == "paused"

    run_all(now=_at(today + dt.timedelta(days=4)))
    friend = FriendParticipation.objects.get(pk=person.pk)
    assert (friend.status, friend.paused_until) == ("waiting", None)
    assert FriendParticipation.objects.get(pk=open_ended.pk).status == "paused"
    event = AuditEvent.objects.get(action="participant.pause_ended", object_id=str(person.uid))
    assert event.actor is None and event.data == {"until": (today + dt.timedelta(days=3)).isoformat()}

    run_all(now=_at(today + dt.timedelta(days=5)))  # idempotent
    assert AuditEvent.objects.filter(action="participant.pause_ended").count() == 1
