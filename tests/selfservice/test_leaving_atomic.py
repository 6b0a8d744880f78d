"""Withdrawing stays one transaction now that the follow-up app ends the matches through the participants'
`participant_withdrawing` signal (participants imports nothing of the follow-up): when anything in it
fails, nothing is written, neither the cancelled mails, nor the ended match, nor her status."""

from __future__ import annotations

from typing import Any

import pytest

from kompis.matching.models import MatchStatus
from kompis.outbox.models import MailState, OutboxMessage
from kompis.participants import services
from kompis.participants.models import FriendParticipation
from kompis.participants.signals import participant_withdrawing

pytestmark = pytest.mark.django_db


def test_withdrawing_ends_her_matches_through_the_signal(world, pair):
    layla, _britt, match = pair
    assert services.withdraw_participant(actor=world.admin, participant=layla)
    match.refresh_from_db()
    assert match.status == MatchStatus.ENDED and match.end_reason == "withdrew"


def test_a_failure_after_the_matches_ended_rolls_everything_back(world, pair):
    layla, britt, match = pair
    before = match.status
    seen: list[str] = []

    def boom(**kwargs: Any) -> None:
        match.refresh_from_db()
        seen.append(match.status)  # the follow-up app's receiver has already ended the match
        raise RuntimeError("later step fails")

    participant_withdrawing.connect(boom, dispatch_uid="test.boom")
    try:
        with pytest.raises(RuntimeError):
            services.withdraw_participant(actor=world.admin, participant=layla)
    finally:
        participant_withdrawing.disconnect(dispatch_uid="test.boom")
    assert seen == [MatchStatus.ENDED]
    match.refresh_from_db()
    assert match.status == before and match.end_reason == ""
    assert FriendParticipation.objects.get(pk=layla.pk).status == "matched"
    intro = OutboxMessage.objects.get(template="introduction", participant=britt)
    assert intro.state == MailState.QUEUED
