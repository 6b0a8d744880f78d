"""Staff see the outbox backlog and what the mail server said (issue 10 §2)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from kompis.followup.mail_tasks import open_organisation_task
from kompis.followup.models import TaskKind
from kompis.outbox.models import Failure, MailState, OutboxMessage
from kompis.outbox.selectors import outbox_health
from kompis.worklist.models import Task
from tests.factories import ParticipantFactory

REPLY = "554 5.7.1 Message rejected by policy"


def waiting(world, n: int, *, age: timedelta, failure: str = "", state: str = MailState.QUEUED) -> None:
    now = timezone.now()
    for i in range(n):
        p = ParticipantFactory(organisation=world.org, region=world.uppsala)
        OutboxMessage.objects.create(
            organisation=world.org,
            participant=p,
            to_email=p.email,
            template="signup_confirm",
            language="sv",
            dedupe_key=f"w:{p.pk}:{i}",
            message_id=f"<{p.pk}.{i}@test>",
            state=state,
            created_at=now - age,
            last_failure=failure,
            last_error=REPLY if failure else "",
            last_attempt_at=now - timedelta(minutes=1) if failure else None,
        )


@pytest.mark.django_db
def test_backlog_counts_queued_mail_of_the_organisation_and_the_oldest_age(world):
    waiting(world, 3, age=timedelta(hours=2))
    waiting(world, 2, age=timedelta(minutes=1))
    waiting(world, 4, age=timedelta(days=4), state=MailState.SENT)
    health = outbox_health(organisation_id=world.org.pk)
    assert health.queued == 5 and health.delayed
    assert timezone.now() - health.oldest_queued_at >= timedelta(hours=2)
    assert outbox_health(organisation_id=world.other_org.pk).queued == 0


@pytest.mark.django_db
def test_admin_always_sees_the_backlog_coordinators_only_when_mail_is_delayed(client, world):
    waiting(world, 2, age=timedelta(minutes=1))
    client.force_login(world.admin)
    page = client.get("/staff/").content.decode()
    assert "Waiting to be sent" in page and "2 mails" in page
    for user in (world.uppsala_coordinator, world.viewer):
        client.force_login(user)
        assert "Waiting to be sent" not in client.get("/staff/").content.decode()
    waiting(world, 1, age=timedelta(hours=1), failure=Failure.TEMPORARY)
    client.force_login(world.uppsala_coordinator)
    assert "Mail is delayed" in client.get("/staff/").content.decode()
    client.force_login(world.viewer)
    assert "Waiting to be sent" not in client.get("/staff/").content.decode()


@pytest.mark.django_db
def test_server_refuses_task_page_shows_the_reply_to_the_admin_only(client, world):
    waiting(world, 2, age=timedelta(minutes=30), failure=Failure.SERVER)
    # older mails given up after an outage do not hide what the server says now
    waiting(world, 1, age=timedelta(days=3, hours=1), failure=Failure.TEMPORARY, state=MailState.UNDELIVERED)
    OutboxMessage.objects.filter(state=MailState.UNDELIVERED).update(last_error="ConnectionRefusedError")
    task = open_organisation_task(organisation_id=world.org.pk, kind=TaskKind.MAIL_SERVER_REFUSES)
    assert open_organisation_task(organisation_id=world.org.pk, kind=TaskKind.MAIL_SERVER_REFUSES) is None
    assert Task.objects.count() == 1
    client.force_login(world.admin)
    home = client.get("/staff/").content.decode()
    assert REPLY in home and "The mail server refuses our mail." in home
    listing = client.get("/staff/followup/tasks/")
    assert listing.status_code == 200
    page = client.get(f"/staff/followup/tasks/{task.uid}/")
    assert page.status_code == 200 and REPLY in page.content.decode()
    client.force_login(world.uppsala_coordinator)
    assert client.get(f"/staff/followup/tasks/{task.uid}/").status_code == 404


@pytest.mark.django_db
def test_undelivered_task_page_lists_the_mails(client, world):
    waiting(world, 2, age=timedelta(days=3, hours=1), failure=Failure.TEMPORARY, state=MailState.UNDELIVERED)
    task = open_organisation_task(organisation_id=world.org.pk, kind=TaskKind.MAIL_UNDELIVERED)
    client.force_login(world.admin)
    page = client.get(f"/staff/followup/tasks/{task.uid}/").content.decode()
    assert "Mails not delivered" in page
    assert page.count("signup_confirm") == 2
