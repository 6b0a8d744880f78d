from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from kompis.audit.models import AuditEvent
from kompis.worklist import services
from kompis.worklist.models import MAIL_SERVER, Task


@pytest.mark.django_db
def test_a_task_without_participant_is_listed_filtered_and_resolved(client, world):
    today = timezone.localdate()
    task = services.open_task(
        actor=world.admin,
        organisation=world.org,
        kind="mail_server_refuses",
        due_on=today - timedelta(days=1),
        subject_type=MAIL_SERVER,
    )
    assert task is not None and task.participant is None
    later = services.open_task(
        actor=world.admin,
        organisation=world.org,
        kind="mail_undelivered",
        due_on=today + timedelta(days=30),
        subject_type=MAIL_SERVER,
    )
    client.force_login(world.admin)
    assert str(task.uid) in client.get("/staff/tasks/?due=overdue").content.decode()
    assert str(later.uid) not in client.get("/staff/tasks/?due=overdue").content.decode()
    assert str(later.uid) in client.get("/staff/tasks/?due=later&kind=mail_undelivered").content.decode()
    assert str(task.uid) not in client.get("/staff/tasks/?mine=1").content.decode()
    client.post(f"/staff/tasks/{task.uid}/assign/", {"take": "1"})
    assert str(task.uid) in client.get("/staff/tasks/?mine=1").content.decode()
    client.post(f"/staff/tasks/{task.uid}/", {"outcome": "none", "note": "fixed"})
    task.refresh_from_db()
    assert task.outcome == "none" and task.resolved_by == world.admin
    codes = set(
        AuditEvent.objects.filter(object_type="worklist.task", object_id=str(task.uid)).values_list(
            "action", flat=True
        )
    )
    assert codes == {"worklist.task_created", "worklist.task_assigned", "worklist.task_resolved"}
    assert Task.objects.count() == 2
