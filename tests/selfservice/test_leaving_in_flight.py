"""Leaving stops mail that a delivery worker already holds, and no copy is sent later (issue 10 §3).

A worker claims a batch of mails with a lease before it sends them one by one; a worker that dies leaves
its lease behind until it expires. A participant who leaves in that window must still get no mail, and
nothing naming her must reach her partner. Staff cannot send a copy of such a mail after she has left.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from kompis.outbox.delivery import _deliver_batch, claim_due
from kompis.outbox.models import MailState, OutboxMessage
from kompis.outbox.services import deliver_due
from kompis.participants import services

pytestmark = pytest.mark.django_db


def mails_naming(person) -> list:
    return [m for m in mail.outbox if person.email in m.to or person.email in m.body]


def test_a_mail_claimed_by_a_worker_that_then_died_is_not_sent_after_she_leaves(pair, world):
    layla, _britt, _match = pair
    claimed = claim_due(now=timezone.now())  # the worker dies here: the lease stays until it expires
    assert {m.participant_id for m in claimed} >= {layla.pk}
    services.withdraw_participant(actor=world.admin, participant=layla)
    deliver_due(now=timezone.now() + timedelta(hours=1))  # lease expired: another worker runs
    assert mails_naming(layla) == []
    assert not OutboxMessage.objects.filter(participant=layla, state=MailState.SENT).exists()


def test_a_batch_being_sent_skips_her_mails_when_she_leaves_meanwhile(pair, world):
    layla, britt, _match = pair
    moment = timezone.now()
    batch = claim_due(now=moment)
    services.withdraw_participant(actor=world.admin, participant=layla)  # while the batch is on its way
    _deliver_batch(batch, moment)
    assert mails_naming(layla) == []
    intro = OutboxMessage.objects.get(template="introduction", participant=britt)
    assert intro.state == MailState.CANCELLED


def test_staff_cannot_send_a_copy_to_or_about_her_after_she_left(client, pair, world):
    """Her own introduction, and her partner's (which gives her e-mail address), cannot be sent again."""
    layla, britt, _match = pair
    OutboxMessage.objects.update(state=MailState.SENT, sent_at=timezone.now())
    services.withdraw_participant(actor=world.admin, participant=layla)
    client.force_login(world.admin)
    before = OutboxMessage.objects.count()
    for person in (layla, britt):
        intro = OutboxMessage.objects.get(template="introduction", participant=person)
        response = client.post(reverse("followup:mail_resend", args=[intro.uid]), follow=True)
        assert response.status_code == 200
        assert "someone who has left" in response.content.decode()
    assert OutboxMessage.objects.count() == before + 0  # no copy queued
    deliver_due()
    assert mails_naming(layla) == []


def test_a_copy_of_a_mail_between_people_still_here_is_sent(client, pair, world):
    _layla, britt, _match = pair
    OutboxMessage.objects.update(state=MailState.SENT, sent_at=timezone.now())
    client.force_login(world.admin)
    intro = OutboxMessage.objects.get(template="introduction", participant=britt)
    client.post(reverse("followup:mail_resend", args=[intro.uid]))
    assert OutboxMessage.objects.filter(template="introduction", state=MailState.QUEUED).count() == 1
