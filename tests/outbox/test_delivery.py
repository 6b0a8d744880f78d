"""Delivery guarantees of the outbox against a real SMTP server: nothing lost, nothing sent twice."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from kompis.outbox.models import MailState, OutboxMessage
from kompis.outbox.services import deliver_due, queue_mail


def queue(n: int, *, prefix: str = "m", bounce: bool = False) -> list[OutboxMessage]:
    rows = []
    for i in range(n):
        to = f"{prefix}{i}@bounce.invalid" if bounce else f"{prefix}{i}@example.org"
        rows.append(
            queue_mail(
                to_email=to,
                template="signup_confirm",
                language="sv",
                context={"first_name": f"P{i}", "organisation": "Test", "confirm_url": "x", "days": 7},
                dedupe_key=f"{prefix}:{i}",
            )
        )
    return rows


@pytest.mark.django_db
def test_queue_mail_is_idempotent_on_its_key():
    first = queue_mail(
        to_email="a@example.org", template="signup_confirm", language="sv", context={}, dedupe_key="once"
    )
    second = queue_mail(
        to_email="a@example.org", template="signup_confirm", language="sv", context={}, dedupe_key="once"
    )
    assert first is not None and second is None
    assert OutboxMessage.objects.count() == 1


@pytest.mark.django_db
def test_smtp_down_for_a_while_then_everything_is_delivered_once(smtp_server):
    queue(20)
    smtp_server.stop()
    t0 = timezone.now()
    assert deliver_due(now=t0) == 0
    assert OutboxMessage.objects.filter(state=MailState.QUEUED, attempts=1).count() == 20
    # Still down at the first retry: backoff grows.
    assert deliver_due(now=t0 + timedelta(minutes=2)) == 0
    assert set(OutboxMessage.objects.values_list("attempts", flat=True)) == {2}
    smtp_server.start()
    assert deliver_due(now=t0 + timedelta(minutes=3)) == 0  # not due yet: nobody hammers the server
    assert deliver_due(now=t0 + timedelta(hours=1)) == 20
    ids = smtp_server.handler.message_ids()
    assert len(ids) == 20 and len(set(ids)) == 20
    assert set(ids) == set(OutboxMessage.objects.values_list("message_id", flat=True))
    assert deliver_due(now=t0 + timedelta(hours=2)) == 0
    assert len(smtp_server.handler.message_ids()) == 20


@pytest.mark.django_db
def test_refused_address_fails_permanently_and_marks_participant_bouncing(smtp_server, world):
    from tests.factories import ParticipantFactory

    p = ParticipantFactory(organisation=world.org, email="nobody@bounce.invalid")
    queue_mail(
        to_email=p.email, template="signup_confirm", language="sv", context={}, dedupe_key="b", participant=p
    )
    t0 = timezone.now()
    assert deliver_due(now=t0) == 0
    # A first 5xx to RCPT TO is held for confirmation (a server-wide refusal would show meanwhile) ...
    row = OutboxMessage.objects.get()
    assert row.state == MailState.QUEUED and row.last_failure == "recipient"
    p.refresh_from_db()
    assert not p.email_bouncing
    # ... and the same refusal a quarter of an hour later is a bounce.
    assert deliver_due(now=t0 + timedelta(minutes=16)) == 0
    row = OutboxMessage.objects.get()
    assert row.state == MailState.FAILED and "550" in row.last_error
    p.refresh_from_db()
    assert p.email_bouncing
    # ... and staff are told: a task for the coordinator of the participant's region
    from kompis.worklist.models import Task

    task = Task.objects.get(participant=p)
    assert task.kind == "email_bouncing" and task.is_open


def _worker_env(smtp_port: int) -> dict[str, str]:
    settings_dict = connection.settings_dict
    if connection.vendor == "sqlite":
        url = f"sqlite:///{settings_dict['NAME']}"
    else:
        url = (
            f"postgres://{settings_dict['USER']}@{settings_dict['HOST'] or '127.0.0.1'}:"
            f"{settings_dict['PORT'] or 5432}/{settings_dict['NAME']}"
        )
    return {
        **os.environ,
        "DATABASE_URL": url,
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "OUTBOX_LEASE_SECONDS": "1",
        "DEBUG": "true",
    }


def _start_worker(env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "kompis.cli", "deliver", "--loop", "--interval", "0.05", "--batch", "10"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def _wait_until_all_sent(total: int, deadline: float) -> None:
    while time.monotonic() < deadline:
        if OutboxMessage.objects.filter(state=MailState.SENT).count() == total:
            return
        time.sleep(0.1)
    raise AssertionError(f"only {OutboxMessage.objects.filter(state=MailState.SENT).count()} of {total} sent")


@pytest.mark.django_db(
    transaction=True, serialized_rollback=True
)  # no post_migrate re-creation of content types for later serialized tests
def test_worker_killed_again_and_again_loses_nothing(smtp_server, capsys):
    total = 150
    queue(total)
    smtp_server.handler.delay = 0.04  # so that kills land in the middle of batches
    env = _worker_env(smtp_server.port)
    rng = random.Random(7)
    kills = 0
    for _ in range(6):
        worker = _start_worker(env)
        # Kill right after the server accepted a few more mails: in the middle of a batch.
        target = len(smtp_server.handler.message_ids()) + rng.randint(3, 15)
        deadline = time.monotonic() + 30
        while len(smtp_server.handler.message_ids()) < min(target, total) and time.monotonic() < deadline:
            time.sleep(0.001)
        worker.send_signal(signal.SIGKILL)
        worker.wait()
        kills += 1
    worker = _start_worker(env)
    try:
        _wait_until_all_sent(total, time.monotonic() + 120)
    finally:
        worker.terminate()
        worker.wait(10)
    ids = smtp_server.handler.message_ids()
    expected = set(OutboxMessage.objects.values_list("message_id", flat=True))
    duplicates = len(ids) - len(set(ids))
    with capsys.disabled():
        print(
            f"\n[outbox kill test] {total} mails, {kills} SIGKILLs, {len(ids)} deliveries, "
            f"{duplicates} duplicates (each with the same Message-ID)"
        )
    assert set(ids) == expected  # nothing lost, nothing unexpected
    assert kills >= 3 and len(ids) > 0
    # A mail goes out twice only when a kill fell between the server's acceptance and the commit:
    # at most one mail per kill, and always with its own Message-ID (so the recipient's client merges it).
    assert duplicates <= kills


@pytest.mark.django_db(
    transaction=True, serialized_rollback=True
)  # no post_migrate re-creation of content types for later serialized tests
def test_two_workers_at_once_never_send_a_mail_twice(smtp_server):
    total = 200
    queue(total)
    smtp_server.handler.delay = 0.002
    env = _worker_env(smtp_server.port)
    env["OUTBOX_LEASE_SECONDS"] = "300"
    workers = [_start_worker(env) for _ in range(2)]
    try:
        _wait_until_all_sent(total, time.monotonic() + 120)
    finally:
        for w in workers:
            w.terminate()
            w.wait(10)
    ids = smtp_server.handler.message_ids()
    assert len(ids) == total and len(set(ids)) == total
