"""The match lifecycle after approval: introduction, "did you meet?", reminders, tasks, resolution."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from kompis.audit.models import AuditEvent
from kompis.followup import services
from kompis.followup.models import FollowUp
from kompis.matching.models import ExcludedPair, MatchStatus
from kompis.outbox.models import OutboxMessage
from kompis.outbox.services import deliver_due
from kompis.worklist import services as worklist
from kompis.worklist.models import Task

pytestmark = pytest.mark.django_db


def later(match, days):
    return match.introduced_at + timedelta(days=days, minutes=1)


def test_introduction_goes_to_both_in_their_own_language_with_shared_contacts(make_match):
    match = make_match()
    assert match.status == MatchStatus.INTRODUCED and match.introduced_at
    rows = {m.participant_id: m for m in OutboxMessage.objects.filter(template="introduction")}
    assert set(rows) == {match.newcomer_id, match.established_id}
    assert rows[match.newcomer_id].language == "ar" and rows[match.established_id].language == "sv"
    # The established agreed to share the phone number; the newcomer did not.
    assert rows[match.newcomer_id].context["other"]["phone"] == "070-1740605"
    assert "phone" not in rows[match.established_id].context["other"]
    deliver_due()
    by_to = {m.to[0]: m for m in mail.outbox}
    arabic = by_to[match.newcomer.email]
    html = arabic.alternatives[0][0]
    assert 'dir="rtl"' in html and "Britt" in arabic.body and "070-1740605" in arabic.body
    assert "/me/" in arabic.body  # every mail carries the personal self-service link
    assert "Samir" in by_to[match.established.email].body


def test_introduction_is_never_queued_twice(make_match, world):
    match = make_match()
    match.status = MatchStatus.APPROVED
    services.introduce_match(actor=world.uppsala_coordinator, match=match)
    assert OutboxMessage.objects.filter(template="introduction").count() == 2


def test_followup_is_asked_after_14_days_and_not_before(make_match):
    match = make_match()
    assert services.ask_due_followups(now=later(match, 13)) == 0
    assert services.ask_due_followups(now=later(match, 14)) == 1
    assert services.ask_due_followups(now=later(match, 15)) == 0  # once only
    match.refresh_from_db()
    assert match.status == MatchStatus.FOLLOWUP_ASKED
    assert FollowUp.objects.filter(match=match, round=1).count() == 2
    assert OutboxMessage.objects.filter(template="followup_question").count() == 2


def test_followup_days_is_an_organisation_setting(make_match, world):
    world.org.followup_days = 7
    world.org.save()
    match = make_match()
    assert services.ask_due_followups(now=later(match, 7)) == 1


def answer(client, followup, value):
    """Open the answer link from the mail (shows the answer), then press the button (records it)."""
    link = services.answer_url(followup, value).split("8000", 1)[1]
    shown = client.get(link)
    assert shown.status_code == 200
    return client.post(link, {"comment": ""})


def test_yes_marks_the_match_met_and_is_idempotent(client, make_match):
    match = make_match()
    services.ask_due_followups(now=later(match, 14))
    followup = FollowUp.objects.get(match=match, participant=match.newcomer)
    page = answer(client, followup, "met")
    assert page.status_code == 200
    assert 'lang="ar"' in page.content.decode()  # the participant's language
    match.refresh_from_db()
    assert match.status == MatchStatus.MET and match.met_at
    first_met_at = match.met_at
    answer(client, followup, "met")
    match.refresh_from_db()
    assert match.met_at == first_met_at
    assert AuditEvent.objects.filter(action="followup.answered", object_id=str(match.uid)).count() == 1


def test_comment_after_answering(client, make_match):
    match = make_match()
    services.ask_due_followups(now=later(match, 14))
    followup = FollowUp.objects.get(match=match, participant=match.established)
    link = services.answer_url(followup, "met").split("8000", 1)[1]
    client.get(link)
    client.post(link, {"comment": "Vi fikade på biblioteket."})
    followup.refresh_from_db()
    assert followup.comment == "Vi fikade på biblioteket." and followup.answer == "met"


def test_will_not_meet_creates_a_task_for_the_coordinator_of_the_participants_region(make_match, world):
    match = make_match(newcomer_region=world.danderyd)
    services.ask_due_followups(now=later(match, 14))
    followup = FollowUp.objects.get(match=match, participant=match.newcomer)
    services.record_answer(followup=followup, answer="will_not_meet")
    task = Task.objects.get()
    assert task.region == world.danderyd and task.participant == match.newcomer and task.is_open
    assert task.due_on > timezone.localdate()
    match.refresh_from_db()
    assert match.status == MatchStatus.ESCALATED
    from kompis.worklist.access import tasks_for_user

    assert list(tasks_for_user(world.danderyd_coordinator)) == [task]
    assert list(tasks_for_user(world.uppsala_coordinator)) == []


def test_no_answer_reminder_after_5_days_then_task(make_match):
    match = make_match()
    t = later(match, 14)
    services.ask_due_followups(now=t)
    assert services.send_due_reminders(now=t + timedelta(days=4)) == 0
    assert services.send_due_reminders(now=t + timedelta(days=5, minutes=1)) == 2
    assert services.send_due_reminders(now=t + timedelta(days=6)) == 0  # one reminder only
    assert OutboxMessage.objects.filter(template="followup_reminder").count() == 2
    assert services.escalate_unanswered(now=t + timedelta(days=9)) == 0
    assert services.escalate_unanswered(now=t + timedelta(days=10, minutes=2)) == 2
    assert Task.objects.filter(kind="no_answer").count() == 2
    assert services.escalate_unanswered(now=t + timedelta(days=20)) == 0


def test_one_yes_is_enough_no_reminder_for_the_other(make_match):
    match = make_match()
    t = later(match, 14)
    services.ask_due_followups(now=t)
    services.record_answer(
        followup=FollowUp.objects.get(match=match, participant=match.newcomer), answer="met"
    )
    assert services.send_due_reminders(now=t + timedelta(days=6)) == 0


def test_not_yet_asks_again_after_7_days_and_becomes_a_task_after_3_rounds(make_match):
    match = make_match()
    t = later(match, 14)
    services.ask_due_followups(now=t)
    person = match.newcomer
    for round_ in (1, 2, 3):
        followup = FollowUp.objects.get(match=match, participant=person, round=round_)
        services.record_answer(followup=followup, answer="not_yet", now=t)
        match.refresh_from_db()
        assert match.status == MatchStatus.NOT_YET or round_ == 3
        assert services.reask_not_yet(now=t + timedelta(days=6)) == 0
        t = t + timedelta(days=7, minutes=1)
        assert services.reask_not_yet(now=t) == 1
    assert FollowUp.objects.filter(match=match, participant=person).count() == 3
    assert Task.objects.filter(kind="not_met", participant=person).count() == 1


def test_resolve_task_rematch_returns_participant_to_pool_with_priority_and_excludes_pair(make_match, world):
    match = make_match()
    services.ask_due_followups(now=later(match, 14))
    services.record_answer(
        followup=FollowUp.objects.get(match=match, participant=match.newcomer), answer="will_not_meet"
    )
    task = Task.objects.get()
    worklist.resolve_task(actor=world.uppsala_coordinator, task=task, outcome="rematch", note="ringde")
    match.refresh_from_db()
    newcomer, established = match.newcomer.friend_matching, match.established.friend_matching
    newcomer.refresh_from_db()
    established.refresh_from_db()
    assert match.status == MatchStatus.ENDED and match.end_reason == "re-match"
    assert newcomer.status == "waiting" and newcomer.rematch_priority
    assert established.status == "waiting" and not established.rematch_priority
    assert ExcludedPair.objects.filter(newcomer=match.newcomer, established=match.established).exists()
    with pytest.raises(worklist.TaskAlreadyResolved):
        worklist.resolve_task(actor=world.uppsala_coordinator, task=task, outcome="close")


def test_resolve_task_met_after_all(make_match, world):
    match = make_match()
    services.ask_due_followups(now=later(match, 14))
    services.record_answer(
        followup=FollowUp.objects.get(match=match, participant=match.newcomer), answer="will_not_meet"
    )
    worklist.resolve_task(actor=world.uppsala_coordinator, task=Task.objects.get(), outcome="met")
    match.refresh_from_db()
    assert match.status == MatchStatus.MET and match.met_at


@pytest.mark.parametrize("mangle", [lambda t: t[:-3] + "abc", lambda t: "x" + t, lambda t: "garbage"])
def test_tampered_answer_link_is_a_friendly_page_without_state_change(client, make_match, mangle):
    match = make_match()
    services.ask_due_followups(now=later(match, 14))
    followup = FollowUp.objects.get(match=match, participant=match.newcomer)
    link = services.answer_url(followup, "met").split("8000", 1)[1]
    prefix, token = link.rstrip("/").rsplit("/", 1)
    page = client.get(f"{prefix}/{mangle(token)}/")
    assert page.status_code == 400 and "does not work" in page.content.decode()
    followup.refresh_from_db()
    assert followup.answer == ""


def test_expired_answer_link(client, make_match, settings):
    from unittest import mock

    match = make_match()
    services.ask_due_followups(now=later(match, 14))
    followup = FollowUp.objects.get(match=match, participant=match.newcomer)
    link = services.answer_url(followup, "met").split("8000", 1)[1]
    with mock.patch(
        "time.time", return_value=timezone.now().timestamp() + 86400 * (settings.FOLLOWUP_LINK_DAYS + 1)
    ):
        page = client.get(link)
        assert page.status_code == 400 and 'lang="ar"' in page.content.decode()  # in Samir's language
        client.get("/language/en/")  # he switches to English on this visit
        page = client.get(link)
    assert page.status_code == 400 and "too old" in page.content.decode()
    followup.refresh_from_db()
    assert followup.answer == ""


def test_followups_command_with_now_catches_up(make_match, capsys):
    from django.core.management import call_command

    match = make_match()
    call_command("followups", now=(match.introduced_at + timedelta(days=30)).isoformat())
    out = capsys.readouterr().out
    assert "asked: 1" in out
    match.refresh_from_db()
    assert match.status == MatchStatus.FOLLOWUP_ASKED


def test_unsubscribed_participant_gets_no_question(make_match):
    match = make_match()
    match.newcomer.unsubscribed_at = timezone.now()
    match.newcomer.save()
    services.ask_due_followups(now=later(match, 14))
    assert OutboxMessage.objects.filter(template="followup_question", participant=match.newcomer).count() == 0
    assert (
        OutboxMessage.objects.filter(template="followup_question", participant=match.established).count() == 1
    )


def test_rematch_priority_puts_the_person_first_in_line_until_matched_again(make_match, world):
    from kompis.matching.feed import (
        REMATCH_PRIORITY_DAYS,
        build_pool,
        scope_participants,
        waiting_participants,
    )

    match = make_match()
    services.ask_due_followups(now=later(match, 14))
    services.record_answer(
        followup=FollowUp.objects.get(match=match, participant=match.newcomer), answer="will_not_meet"
    )
    worklist.resolve_task(actor=world.uppsala_coordinator, task=Task.objects.get(), outcome="rematch")
    pool = build_pool(
        waiting_participants(scope_participants(organisation=world.org)), organisation=world.org
    )
    newcomer = next(p for p in pool.newcomers if p.id == str(match.newcomer.pk))
    signed = timezone.localtime(match.newcomer.signed_up_at).date()
    assert (signed - newcomer.signed_up).days == REMATCH_PRIORITY_DAYS
    assert (str(match.newcomer.pk), str(match.established.pk)) in pool.exclude
