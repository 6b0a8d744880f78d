"""Leaving friend matching only (`services.leave_friend_matching`): her matches end as when she leaves
everything (through `participant_withdrawing`), the friend-matching mails to or about her stop, but her
consents, her personal link and her other mails stay; she may sign up for friend matching again."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from kompis.audit.actors import ParticipantActor
from kompis.audit.models import AuditEvent
from kompis.matching.models import MatchStatus
from kompis.outbox.models import MailState, OutboxMessage
from kompis.participants import services
from kompis.participants.models import Consent, FriendParticipation
from kompis.participants.signals import participant_withdrawing
from tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db


def friend(person) -> FriendParticipation:
    return FriendParticipation.objects.get(pk=person.pk)


def test_leaving_friend_matching_ends_her_matches_and_keeps_everything_else(world, pair):
    layla, britt, match = pair
    services.request_self_service_link(organisation=world.org, email=layla.email, language="ar")
    seen: list[bool] = []

    def spy(*, everything: bool, **_: Any) -> None:
        seen.append(everything)

    participant_withdrawing.connect(spy, dispatch_uid="test.spy")
    try:
        assert services.leave_friend_matching(actor=ParticipantActor(layla.pk), participant=layla)
    finally:
        participant_withdrawing.disconnect(dispatch_uid="test.spy")
    assert seen == [False]
    assert layla.friend_matching.status == "withdrawn"  # the object she was given is up to date
    assert friend(layla).status == "withdrawn" and not friend(layla).rematch_priority
    match.refresh_from_db()
    assert match.status == MatchStatus.ENDED and match.end_reason == "withdrew"
    assert friend(britt).status == "waiting" and friend(britt).rematch_priority
    # the introductions (hers and Britt's, which names her) never go out; her personal link does
    assert set(OutboxMessage.objects.filter(template="introduction").values_list("state", flat=True)) == {
        MailState.CANCELLED
    }
    assert OutboxMessage.objects.get(template="self_service_link").state == MailState.QUEUED
    # her consents and her personal page stay: she has not left everything
    assert Consent.objects.get(participant=layla).withdrawn_at is None
    assert not services.has_left(layla)
    token_url = services.self_service_url(layla)
    assert (
        services.participant_from_self_service(
            organisation=world.org, token=token_url.rstrip("/").rsplit("/", 1)[1]
        ).pk
        == layla.pk
    )
    event = AuditEvent.objects.get(action="participant.left_friend_matching", object_id=str(layla.uid))
    assert event.actor_label == "participant"
    assert event.data["matches_ended"] == 1 and event.data["mails_cancelled"] >= 2
    assert not AuditEvent.objects.filter(action="participant.withdrawn").exists()


def test_leaving_friend_matching_twice_or_without_it_does_nothing(world, pair):
    layla, _britt, _match = pair
    actor = ParticipantActor(layla.pk)
    assert services.leave_friend_matching(actor=actor, participant=layla)
    assert not services.leave_friend_matching(actor=actor, participant=layla)
    only_events = ParticipantFactory(organisation=world.org, region=world.uppsala, friend_matching=False)
    assert not services.leave_friend_matching(actor=ParticipantActor(only_events.pk), participant=only_events)
    assert AuditEvent.objects.filter(action="participant.left_friend_matching").count() == 1


def test_leaving_everything_after_leaving_friend_matching_still_withdraws_her_consents(world, pair):
    layla, _britt, _match = pair
    services.leave_friend_matching(actor=ParticipantActor(layla.pk), participant=layla)
    assert services.withdraw_participant(actor=world.admin, participant=layla)
    assert Consent.objects.get(participant=layla).withdrawn_at is not None
    assert services.has_left(layla)
    assert not services.withdraw_participant(actor=world.admin, participant=layla)


def test_a_person_without_friend_matching_can_leave_everything(world):
    person = ParticipantFactory(organisation=world.org, region=world.uppsala, friend_matching=False)
    Consent.objects.create(participant=person, kind="data_processing", policy_version="2026-01")
    assert services.withdraw_participant(actor=world.admin, participant=person)
    assert not FriendParticipation.objects.filter(pk=person.pk).exists()
    assert services.has_left(person)
    assert not services.withdraw_participant(actor=world.admin, participant=person)


def rejoin_data(person) -> dict[str, Any]:
    return {
        "role": "newcomer",
        "first_name": "Layla",
        "last_name": "Again",
        "email": person.email,
        "birth_year": 1991,
        "gender": "woman",
        "municipality": person.municipality,
        "languages": ["ar"],
        "meeting_mode": "digital",
        "capacity": 1,
    }


def test_she_may_join_friend_matching_again_and_an_unconfirmed_return_keeps_her_consent(world, pair):
    layla, _britt, _match = pair
    signed_up_at = layla.signed_up_at
    services.leave_friend_matching(actor=ParticipantActor(layla.pk), participant=layla)
    services.signup_participant(organisation=world.org, data=rejoin_data(layla), language="ar")
    again = friend(layla)
    assert again.status == "pending" and again.meeting_mode == "digital"
    assert again.waiting_since > signed_up_at
    layla.refresh_from_db()
    assert layla.signed_up_at == signed_up_at  # her registration date stays
    # not confirmed in time: back to having left friend matching; the consent she kept stays given
    services.expire_unconfirmed(now=timezone.now() + timedelta(days=8))
    assert friend(layla).status == "withdrawn"
    layla.refresh_from_db()
    assert layla.first_name == "Layla"
    assert Consent.objects.filter(participant=layla, withdrawn_at__isnull=True).count() == 1
    assert AuditEvent.objects.filter(action="participant.rejoin_expired", object_id=str(layla.uid)).exists()


def test_sign_up_creates_the_person_and_her_friend_participation_together(world):
    data = {**rejoin_data(ParticipantFactory.build(organisation=world.org)), "email": "new@example.org"}
    data["availability"] = ["weekend"]
    data["wants_family_match"] = False
    person = services.signup_participant(organisation=world.org, data=data, language="sv").participant
    assert person is not None
    fm = friend(person)
    assert (fm.role, fm.status, fm.meeting_mode, fm.availability, fm.capacity) == (
        "newcomer",
        "pending",
        "digital",
        ["weekend"],
        1,
    )
    assert fm.organisation_id == world.org.pk and fm.waiting_since == person.signed_up_at
