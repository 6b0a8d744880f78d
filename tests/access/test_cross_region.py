"""Leaks across regions (issue 10 §5): an admin approves a Danderyd–Uppsala pair. On every page about the match the
Danderyd coordinator sees their own participant in full and of the Uppsala partner only the first name, the
region and the dates of mails sent to her; nothing unrelated to the match. Admins see both in full.

Each test here failed on the code before the fix: the timeline listed every mail of both people with subject and
address, the task page and participant page printed the partner's full name.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from kompis.followup import services as followup
from kompis.followup.models import FollowUp
from kompis.matching.models import Match
from kompis.outbox.models import OutboxMessage
from kompis.outbox.services import queue_mail
from kompis.worklist.models import Task
from tests.factories import ParticipantFactory

PARTNER_SECRETS = ("Uppsalasson", "layla.u@example.org", "070 111 22 33", "0701112233")
PARTNER_SUBJECTS = ("Säg hej till Karin", "Din personliga länk", "Träffades ni?")


@pytest.fixture
def cross(world):
    karin = ParticipantFactory(
        organisation=world.org,
        region=world.danderyd,
        municipality_id="0162",
        first_name="Karin",
        last_name="Danielsson",
        email="karin.d@example.org",
        phone="070 999 00 11",
        role="newcomer",
        status="matched",
    )
    layla = ParticipantFactory(
        organisation=world.org,
        region=world.uppsala,
        municipality_id="0380",
        first_name="Layla",
        last_name="Uppsalasson",
        email="layla.u@example.org",
        phone="070 111 22 33",
        share_phone=True,
        role="established",
        status="matched",
    )
    match = Match.objects.create(
        organisation=world.org, newcomer=karin, established=layla, mode="physical", created_by=world.admin
    )
    followup.introduce_match(actor=world.admin, match=match)
    followup.ask_due_followups(now=timezone.now() + timedelta(days=30))
    # an unrelated mail to each of them (their own self-service link)
    for person in (karin, layla):
        queue_mail(
            to_email=person.email,
            template="self_service_link",
            language="sv",
            context={"first_name": person.first_name},
            dedupe_key=f"self_service_link:{person.uid}:test",
            organisation=world.org,
            participant=person,
        )
    # subjects are set when a mail is sent; sent mails with the subjects a person would read
    sent = timezone.now() - timedelta(days=2)
    OutboxMessage.objects.filter(participant=layla, template="introduction").update(
        subject=PARTNER_SUBJECTS[0], state="sent", sent_at=sent
    )
    OutboxMessage.objects.filter(participant=layla, template="self_service_link").update(
        subject=PARTNER_SUBJECTS[1], state="sent", sent_at=sent
    )
    OutboxMessage.objects.filter(participant=layla, template="followup_question").update(
        subject=PARTNER_SUBJECTS[2], state="sent", sent_at=sent
    )
    OutboxMessage.objects.filter(participant=karin, template="introduction").update(
        subject="Say hello to Layla", state="sent", sent_at=sent
    )
    OutboxMessage.objects.filter(participant=karin, template="self_service_link").update(
        subject="Own link of Karin", state="sent", sent_at=sent
    )
    layla_question = FollowUp.objects.get(match=match, participant=layla)
    followup.record_answer(followup=layla_question, answer="will_not_meet")
    FollowUp.objects.filter(pk=layla_question.pk).update(comment="Private words to Uppsala")
    karin_question = FollowUp.objects.get(match=match, participant=karin)
    followup.record_answer(followup=karin_question, answer="will_not_meet")
    task = Task.objects.about(match).get(participant=karin)
    return {"karin": karin, "layla": layla, "match": match, "task": task, "sent": sent}


def pages(cross) -> dict[str, str]:
    return {
        "match timeline": reverse("followup:match", args=[cross["match"].uid]),
        "task": reverse("followup:task", args=[cross["task"].uid]),
        "task list": reverse("followup:tasks"),
        "match list": reverse("matching:matches"),
        "participant": reverse("participants:detail", args=[cross["karin"].uid]),
    }


def test_danderyd_coordinator_sees_the_partner_only_by_first_name_and_region(client, world, cross):
    client.force_login(world.danderyd_coordinator)
    for name, url in pages(cross).items():
        response = client.get(url)
        assert response.status_code == 200, name
        html = response.content.decode()
        for secret in (*PARTNER_SECRETS, *PARTNER_SUBJECTS, "Private words to Uppsala"):
            assert secret not in html, f"{name} shows {secret!r}"
        assert "Layla" in html, name
        assert reverse("participants:detail", args=[cross["layla"].uid]) not in html, name
    timeline = client.get(pages(cross)["match timeline"]).content.decode()
    assert "Uppsala" in timeline and timezone.localtime(cross["sent"]).strftime("%Y-%m-%d") in timeline
    # their own participant in full
    assert (
        "Karin Danielsson" in timeline
        and "karin.d@example.org" in timeline
        and "Say hello to Layla" in timeline
    )


def test_timeline_shows_only_mails_of_this_match_for_either_side(client, world, cross):
    client.force_login(world.admin)
    response = client.get(pages(cross)["match timeline"])
    rows = response.context["mails"]
    templates = sorted(r.mail.template for r in rows)
    assert templates == ["followup_question", "followup_question", "introduction", "introduction"]
    html = response.content.decode()
    assert "Own link of Karin" not in html and "Din personliga länk" not in html


def test_admin_sees_both_in_full(client, world, cross):
    client.force_login(world.admin)
    html = client.get(pages(cross)["match timeline"]).content.decode()
    for shown in ("Layla Uppsalasson", "layla.u@example.org", "Säg hej till Karin", "Karin Danielsson"):
        assert shown in html
    task = client.get(pages(cross)["task"]).content.decode()
    assert "Layla Uppsalasson" in task and "Private words to Uppsala" in task


def test_mail_resend_of_the_partners_mail_is_404(client, world, cross):
    theirs = OutboxMessage.objects.get(participant=cross["layla"], template="introduction")
    mine = OutboxMessage.objects.get(participant=cross["karin"], template="introduction")
    client.force_login(world.danderyd_coordinator)
    before = OutboxMessage.objects.count()
    assert client.post(reverse("followup:mail_resend", args=[theirs.uid])).status_code == 404
    assert OutboxMessage.objects.count() == before
    assert client.post(reverse("followup:mail_resend", args=[mine.uid])).status_code == 302
    assert OutboxMessage.objects.count() == before + 1


def test_resent_copies_stay_on_the_timeline(client, world, cross):
    mine = OutboxMessage.objects.get(participant=cross["karin"], template="introduction")
    followup.resend_mail(actor=world.admin, message=mine)
    client.force_login(world.danderyd_coordinator)
    rows = client.get(pages(cross)["match timeline"]).context["mails"]
    assert sum(1 for r in rows if r.mail.template == "introduction" and r.full) == 2


def test_history_names_the_partner_by_first_name_only(client, world, cross):
    client.force_login(world.danderyd_coordinator)
    html = client.get(pages(cross)["match timeline"]).content.decode()
    assert "Layla answered “We will not meet”" in html
    assert "Karin Danielsson answered “We will not meet”" in html
    assert "followup.answered" not in html
