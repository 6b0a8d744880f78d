"""An SMTP outage or a refusing server never marks people as bouncing (issue 10 §2).

Against a real SMTP server (aiosmtpd); time is simulated with deliver_due(now=…).
"""

from __future__ import annotations

import smtplib
from datetime import datetime, timedelta
from itertools import pairwise

import pytest
from django.utils import timezone

from kompis.followup.models import TaskKind
from kompis.outbox.models import Failure, MailState, OutboxMessage
from kompis.outbox.services import deliver_due, queue_mail
from kompis.outbox.smtp_replies import classify
from kompis.participants.models import Participant
from kompis.worklist.models import Task
from tests.factories import ParticipantFactory


def mails_for(world, n: int, *, domain: str = "example.org", prefix: str = "p") -> list[Participant]:
    people = []
    for i in range(n):
        p = ParticipantFactory(organisation=world.org, region=world.uppsala, email=f"{prefix}{i}@{domain}")
        queue_mail(
            to_email=p.email,
            template="signup_confirm",
            language="sv",
            context={"first_name": p.first_name, "organisation": "Test", "confirm_url": "x", "days": 7},
            dedupe_key=f"{prefix}:{i}",
            organisation=world.org,
            participant=p,
        )
        people.append(p)
    return people


def nobody_flagged() -> bool:
    return (
        not Participant.objects.filter(email_bouncing=True).exists()
        and not Task.objects.filter(kind=TaskKind.EMAIL_BOUNCING).exists()
    )


def server_tasks(world) -> list[Task]:
    return list(Task.objects.filter(organisation=world.org, kind=TaskKind.MAIL_SERVER_REFUSES))


def run_clock(start: datetime, hours: float, step_minutes: int = 10) -> datetime:
    """Run the worker every `step_minutes` for `hours` of simulated time; returns the end time."""
    t = start
    while t < start + timedelta(hours=hours):
        deliver_due(now=t)
        t += timedelta(minutes=step_minutes)
    return t


@pytest.mark.django_db
def test_six_hour_outage_then_server_back_every_mail_delivered_once_nobody_flagged(smtp_server, world):
    mails_for(world, 30)
    smtp_server.stop()
    t0 = timezone.now()
    end = run_clock(t0, hours=6)
    rows = list(OutboxMessage.objects.all())
    assert {r.state for r in rows} == {MailState.QUEUED}
    assert {r.last_failure for r in rows} == {Failure.TEMPORARY}
    assert all(r.next_attempt_at - r.last_attempt_at <= timedelta(hours=1) for r in rows)
    assert nobody_flagged()
    smtp_server.start()
    assert deliver_due(now=end + timedelta(hours=1)) == 30
    ids = smtp_server.handler.message_ids()
    assert len(ids) == 30 and set(ids) == set(OutboxMessage.objects.values_list("message_id", flat=True))
    assert deliver_due(now=end + timedelta(hours=3)) == 0
    assert len(smtp_server.handler.message_ids()) == 30  # exactly once
    assert set(OutboxMessage.objects.values_list("state", flat=True)) == {MailState.SENT}
    assert nobody_flagged() and not Task.objects.exists()


@pytest.mark.django_db
def test_5xx_to_rcpt_for_one_address_flags_that_person_only(smtp_server, world):
    good = mails_for(world, 3)
    bad = mails_for(world, 1, domain="bounce.invalid", prefix="bad")[0]
    t0 = timezone.now()
    assert deliver_due(now=t0) == 3
    assert deliver_due(now=t0 + timedelta(minutes=16)) == 0
    bad.refresh_from_db()
    assert bad.email_bouncing
    assert OutboxMessage.objects.get(participant=bad).state == MailState.FAILED
    task = Task.objects.get(kind=TaskKind.EMAIL_BOUNCING)
    assert task.participant == bad and task.is_open
    assert not Participant.objects.filter(pk__in=[p.pk for p in good], email_bouncing=True).exists()
    assert not server_tasks(world)


@pytest.mark.django_db
def test_5xx_to_data_flags_nobody_and_opens_one_server_task(smtp_server, world, client):
    mails_for(world, 12)
    smtp_server.handler.data_reply = "554 5.7.1 Message rejected by policy"
    t0 = timezone.now()
    end = run_clock(t0, hours=3)
    assert nobody_flagged()
    assert set(OutboxMessage.objects.values_list("state", flat=True)) == {MailState.QUEUED}
    assert set(OutboxMessage.objects.values_list("last_failure", flat=True)) == {Failure.SERVER}
    tasks = server_tasks(world)
    assert len(tasks) == 1 and tasks[0].participant is None and tasks[0].region is None and tasks[0].is_open
    # the admin sees the server's reply on the staff home
    client.force_login(world.admin)
    page = client.get("/staff/").content.decode()
    assert "554 5.7.1 Message rejected by policy" in page
    # Fixed: everything goes out, once.
    smtp_server.handler.data_reply = None
    assert deliver_due(now=end + timedelta(hours=1)) == 12
    assert len(set(smtp_server.handler.message_ids())) == 12


@pytest.mark.django_db
def test_5xx_to_mail_from_flags_nobody(smtp_server, world):
    mails_for(world, 2)
    smtp_server.handler.mail_from_reply = "553 5.7.1 Sender address rejected: not owned by user"
    t0 = timezone.now()
    deliver_due(now=t0)
    deliver_due(now=t0 + timedelta(hours=1))
    assert nobody_flagged() and len(server_tasks(world)) == 1


@pytest.mark.django_db
def test_same_5xx_to_rcpt_for_many_recipients_is_the_server_not_them(smtp_server, world):
    mails_for(world, 8)
    smtp_server.handler.rcpt_reply = "554 5.7.1 Relay access denied"
    t0 = timezone.now()
    run_clock(t0, hours=2)
    assert nobody_flagged()
    assert set(OutboxMessage.objects.values_list("state", flat=True)) == {MailState.QUEUED}
    assert len(server_tasks(world)) == 1


@pytest.mark.django_db
def test_same_5xx_to_rcpt_for_mails_trickling_in_one_by_one_flags_nobody(smtp_server, world):
    """Mails that arrive one at a time each get the refusal alone; the confirmation wait lets the third
    refusal reveal the server before the first is judged."""
    smtp_server.handler.rcpt_reply = "554 5.7.1 <{address}>: Relay access denied"
    t0 = timezone.now()
    for i in range(4):
        mails_for(world, 1, prefix=f"t{i}-")
        deliver_due(now=t0 + timedelta(minutes=5 * i))
    run_clock(t0 + timedelta(minutes=20), hours=1, step_minutes=5)
    assert nobody_flagged()
    assert len(server_tasks(world)) == 1


@pytest.mark.django_db
def test_4xx_is_retried_with_back_off_capped_at_one_hour(smtp_server, world):
    mails_for(world, 3)
    smtp_server.handler.rcpt_reply = "451 4.7.1 Greylisted, try again later"
    t = timezone.now()
    waits = []
    for _ in range(12):  # step to each next attempt
        deliver_due(now=t)
        row = OutboxMessage.objects.order_by("id").first()
        waits.append(row.next_attempt_at - row.last_attempt_at)
        t = row.next_attempt_at
    assert waits[0] <= timedelta(minutes=2)
    assert all(b >= a for a, b in pairwise(waits))  # grows ...
    assert max(waits) == timedelta(hours=1)  # ... up to one hour, never more
    assert set(OutboxMessage.objects.values_list("state", flat=True)) == {MailState.QUEUED}
    assert OutboxMessage.objects.first().attempts == 12
    assert nobody_flagged() and not server_tasks(world)
    smtp_server.handler.rcpt_reply = None
    assert deliver_due(now=t + timedelta(hours=1)) == 3


@pytest.mark.django_db
def test_three_days_of_failures_make_mails_undelivered_with_one_task(smtp_server, world):
    mails_for(world, 20)
    smtp_server.stop()
    t0 = timezone.now()
    run_clock(t0, hours=71, step_minutes=60)
    assert set(OutboxMessage.objects.values_list("state", flat=True)) == {MailState.QUEUED}
    assert not Task.objects.exists()
    run_clock(t0 + timedelta(hours=71), hours=3, step_minutes=60)
    assert set(OutboxMessage.objects.values_list("state", flat=True)) == {MailState.UNDELIVERED}
    tasks = list(Task.objects.filter(kind=TaskKind.MAIL_UNDELIVERED))
    assert len(tasks) == 1 and tasks[0].organisation == world.org and tasks[0].participant is None
    assert nobody_flagged()
    # the worker leaves undelivered mail alone once the server is back
    smtp_server.start()
    assert deliver_due(now=t0 + timedelta(days=4)) == 0


@pytest.mark.django_db
def test_resolved_server_task_opens_again_when_the_server_refuses_again(smtp_server, world):
    mails_for(world, 2)
    smtp_server.handler.data_reply = "554 5.7.1 Rejected"
    t0 = timezone.now()
    deliver_due(now=t0)
    Task.objects.update(resolved_at=t0)
    deliver_due(now=t0 + timedelta(hours=1))
    assert Task.objects.filter(kind=TaskKind.MAIL_SERVER_REFUSES, resolved_at=None).count() == 1


@pytest.mark.parametrize(
    ("exc", "failure"),
    [
        (smtplib.SMTPRecipientsRefused({"a@x.se": (550, b"5.1.1 <a@x.se> unknown")}), Failure.RECIPIENT),
        (smtplib.SMTPRecipientsRefused({"a@x.se": (452, b"4.2.2 mailbox full")}), Failure.TEMPORARY),
        (smtplib.SMTPDataError(554, b"5.7.1 spam"), Failure.SERVER),
        (smtplib.SMTPDataError(451, b"4.3.0 try later"), Failure.TEMPORARY),
        (smtplib.SMTPSenderRefused(553, b"5.7.1 not yours", "noreply@x.se"), Failure.SERVER),
        (smtplib.SMTPAuthenticationError(535, b"5.7.8 bad credentials"), Failure.SERVER),
        (smtplib.SMTPServerDisconnected("gone"), Failure.TEMPORARY),
        (ConnectionRefusedError(111, "Connection refused"), Failure.TEMPORARY),
        (TimeoutError("timed out"), Failure.TEMPORARY),
    ],
)
def test_classify(exc, failure):
    outcome = classify(exc)
    assert outcome.failure == failure
    assert "a@x.se" not in outcome.reply  # addresses are masked: the reply is shown to staff
