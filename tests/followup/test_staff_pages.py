"""Staff pages of the follow-up: the task list, logging a contact, a match's timeline, resending a mail."""

from __future__ import annotations

from datetime import timedelta

import pytest

from kompis.followup import services
from kompis.followup.models import FollowUp
from kompis.matching.models import MatchStatus
from kompis.outbox.models import OutboxMessage
from kompis.worklist.models import Task

pytestmark = pytest.mark.django_db


@pytest.fixture
def escalated(make_match, world):
    match = make_match()
    services.ask_due_followups(now=match.introduced_at + timedelta(days=15))
    services.record_answer(
        followup=FollowUp.objects.get(match=match, participant=match.newcomer), answer="will_not_meet"
    )
    return match


def test_task_list_shows_the_regions_tasks_only(client, world, escalated):
    client.force_login(world.uppsala_coordinator)
    page = client.get("/staff/followup/tasks/")
    assert page.status_code == 200 and "Samir" in page.content.decode()
    client.force_login(world.danderyd_coordinator)
    page = client.get("/staff/followup/tasks/")
    assert "Samir" not in page.content.decode()
    task = Task.objects.get()
    assert client.get(f"/staff/followup/tasks/{task.uid}/").status_code == 404
    assert client.post(f"/staff/followup/tasks/{task.uid}/", {"outcome": "close"}).status_code == 404
    task.refresh_from_db()
    assert task.is_open


def test_logging_the_contact_resolves_the_task(client, world, escalated):
    task = Task.objects.get()
    client.force_login(world.uppsala_coordinator)
    response = client.post(
        f"/staff/followup/tasks/{task.uid}/", {"outcome": "close", "note": "Ringde, avslutat."}
    )
    assert response.status_code == 302
    task.refresh_from_db()
    escalated.refresh_from_db()
    assert not task.is_open and task.outcome == "close" and task.resolved_by == world.uppsala_coordinator
    assert escalated.status == MatchStatus.ENDED
    # a second submit (another coordinator, an old tab) is refused with a message, nothing changes
    response = client.post(f"/staff/followup/tasks/{task.uid}/", {"outcome": "met"}, follow=True)
    assert "already resolved" in response.content.decode()
    escalated.refresh_from_db()
    assert escalated.status == MatchStatus.ENDED


def test_resolve_form_without_outcome_names_the_field(client, world, escalated):
    task = Task.objects.get()
    client.force_login(world.uppsala_coordinator)
    page = client.post(f"/staff/followup/tasks/{task.uid}/", {"outcome": "nonsense"})
    assert page.status_code == 200 and 'href="#field-outcome"' in page.content.decode()
    task.refresh_from_db()
    assert task.is_open


def test_match_timeline_and_resend(client, world, escalated):
    client.force_login(world.uppsala_coordinator)
    page = client.get(f"/staff/followup/matches/{escalated.uid}/")
    html = page.content.decode()
    assert page.status_code == 200 and "introduction" in html
    # the history in sentences, not codes (issue 9)
    assert "followup.answered" not in html and "Samir Person answered “We will not meet”" in html
    mail = OutboxMessage.objects.filter(template="introduction", participant=escalated.newcomer).get()
    response = client.post(f"/staff/followup/mails/{mail.uid}/resend/", {"next": "https://evil.example/"})
    assert response.status_code == 302 and "evil" not in response["Location"]
    copies = OutboxMessage.objects.filter(dedupe_key__startswith=f"resend:{mail.uid}:")
    assert copies.count() == 1 and copies.get().message_id != mail.message_id
    client.force_login(world.danderyd_coordinator)
    assert client.get(f"/staff/followup/matches/{escalated.uid}/").status_code == 404
    assert client.post(f"/staff/followup/mails/{mail.uid}/resend/").status_code == 404
    assert copies.count() == 1


def test_viewer_and_anonymous(client, world, escalated):
    task = Task.objects.get()
    assert client.get("/staff/followup/tasks/").status_code == 302
    client.force_login(world.viewer)
    assert client.get("/staff/followup/tasks/").status_code == 403
    assert client.get(f"/staff/followup/tasks/{task.uid}/").status_code == 403
