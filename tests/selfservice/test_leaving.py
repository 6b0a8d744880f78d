"""Leaving stops everything at once (issue 10 §3): no mail to or about her goes out any more, her matches
end with "withdrew" (the partner first in line, told neutrally), her consent is withdrawn, her links show
a "you have left" page, and signing up again brings the same record back."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from kompis.audit.models import AuditEvent
from kompis.followup import services as followup
from kompis.followup.models import FollowUp
from kompis.matching.models import MatchStatus
from kompis.outbox.models import MailState, OutboxMessage
from kompis.outbox.services import deliver_due
from kompis.participants import services
from kompis.participants.models import Consent, FriendParticipation, Participant
from kompis.participants.services import self_service_url
from kompis.worklist.models import Task

pytestmark = pytest.mark.django_db

SIGNUP = "/kompisforeningen/signup/"


def path_of(url: str) -> str:
    return url.split("127.0.0.1:8000", 1)[1]


def leave_on_her_page(client, person) -> None:
    url = path_of(self_service_url(person))
    response = client.post(url, {"action": "withdraw", "reason": ""})
    assert response.status_code == 302


def friend(person) -> FriendParticipation:
    """Her participation in friend matching, read afresh."""
    return FriendParticipation.objects.get(pk=person.pk)


def sent_to(address: str) -> list:
    return [m for m in mail.outbox if address in m.to]


def test_after_leaving_nothing_to_or_about_her_is_sent(client, pair):
    layla, britt, _match = pair
    leave_on_her_page(client, layla)
    deliver_due()
    assert sent_to(layla.email) == []
    # Britt's introduction (with Layla's e-mail address) never went out either.
    for message in mail.outbox:
        assert layla.email not in message.body and "Layla" not in message.body
    intro = OutboxMessage.objects.get(template="introduction", participant=britt)
    assert intro.state == MailState.CANCELLED
    assert not OutboxMessage.objects.filter(state=MailState.QUEUED, participant=layla).exists()


def test_partner_back_in_pool_first_in_line_and_told_neutrally(client, pair):
    layla, britt, match = pair
    deliver_due()  # both introductions went out: Britt knows about the match
    mail.outbox.clear()
    leave_on_her_page(client, layla)
    match.refresh_from_db()
    assert match.status == MatchStatus.ENDED and match.end_reason == "withdrew"
    assert friend(britt).status == "waiting" and friend(britt).rematch_priority
    notice = OutboxMessage.objects.get(template="partner_left", participant=britt)
    assert notice.state == MailState.QUEUED and notice.language == "sv"
    deliver_due()
    [message] = sent_to(britt.email)
    assert "Layla" not in message.body and layla.email not in message.body  # no details
    assert sent_to(layla.email) == []
    assert AuditEvent.objects.filter(action="followup.match_ended", object_id=str(match.uid)).exists()


def test_partner_who_never_got_the_introduction_gets_no_notice(client, pair):
    layla, britt, _match = pair
    leave_on_her_page(client, layla)
    assert friend(britt).status == "waiting" and friend(britt).rematch_priority
    assert not OutboxMessage.objects.filter(template="partner_left").exists()


def test_consent_withdrawn_and_open_tasks_closed(client, pair):
    layla, britt, match = pair
    followup.ask_due_followups(now=match.introduced_at + timedelta(days=15))
    question = FollowUp.objects.get(match=match, participant=britt)
    followup.record_answer(followup=question, answer="will_not_meet")
    assert Task.objects.filter(resolved_at__isnull=True).count() == 1
    leave_on_her_page(client, layla)
    assert Consent.objects.get(participant=layla).withdrawn_at is not None
    assert not Task.objects.filter(resolved_at__isnull=True).exists()
    event = AuditEvent.objects.get(action="participant.withdrawn", object_id=str(layla.uid))
    assert event.actor_label == "participant" and event.data["matches_ended"] == 1


def test_staff_withdrawal_does_the_same(client, pair, world):
    layla, britt, match = pair
    client.force_login(world.uppsala_coordinator)
    response = client.post(reverse("participants:withdraw", args=[layla.uid]), {"reason": ""})
    assert response.status_code == 302
    deliver_due()
    assert sent_to(layla.email) == [] and sent_to(britt.email) == []
    match.refresh_from_db()
    assert match.status == MatchStatus.ENDED and match.end_reason == "withdrew"
    assert Consent.objects.get(participant=layla).withdrawn_at is not None


def test_her_links_show_the_left_page_in_her_language_and_do_nothing(client, pair):
    layla, _britt, match = pair
    followup.ask_due_followups(now=match.introduced_at + timedelta(days=15))
    question = FollowUp.objects.get(match=match, participant=layla)
    will_not = path_of(followup.answer_url(question, "will_not_meet"))
    leave_on_her_page(client, layla)
    fresh = client.__class__()  # a new browser: no cookies
    for url in (will_not, path_of(self_service_url(layla))):
        page = fresh.get(url)
        assert page.status_code == 200
        html = page.content.decode()
        assert '<html lang="ar" dir="rtl">' in html and "Layla" in html
        assert reverse("public:signup", args=["kompisforeningen"]) in html  # she may come back
    fresh.get(will_not)
    fresh.post(will_not, {"comment": "x"})
    fresh.post(path_of(self_service_url(layla)), {"action": "resume"})
    question.refresh_from_db()
    assert question.answer == "" and question.comment == ""
    assert not Task.objects.exists()
    assert friend(layla).status == "withdrawn"


def test_unsubscribe_cancels_queued_questions_but_not_the_introduction(client, pair):
    layla, britt, match = pair
    followup.ask_due_followups(now=match.introduced_at + timedelta(days=15))
    client.post(path_of(self_service_url(layla)), {"action": "unsubscribe"})
    assert OutboxMessage.objects.get(template="followup_question", participant=layla).state == "cancelled"
    assert OutboxMessage.objects.get(template="introduction", participant=layla).state == "queued"
    assert OutboxMessage.objects.get(template="followup_question", participant=britt).state == "queued"


def test_signing_up_again_revives_the_same_record(client, pair, world, django_capture_on_commit_callbacks):
    layla, _britt, match = pair
    leave_on_her_page(client, layla)
    form = {
        "role": "newcomer",
        "first_name": "Layla",
        "last_name": "Nasser",
        "email": "LAYLA@example.org",
        "birth_year": "1991",
        "gender": "woman",
        "municipality": "0380",
        "languages": ["ar", "sv"],
        "interests": ["fika"],
        "meeting_mode": "digital",
        "capacity": "1",
        "consent_data": "on",
    }
    client.cookies["kompis_language"] = "sv"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SIGNUP, form)
    assert response.status_code == 302
    assert Participant.objects.filter(email="layla@example.org").count() == 1
    again = Participant.objects.get(email="layla@example.org")
    assert again.uid == layla.uid and friend(again).status == "pending"
    assert again.last_name == "Nasser" and friend(again).meeting_mode == "digital"
    consents = list(Consent.objects.filter(participant=again).order_by("id"))
    assert consents[0].withdrawn_at is not None and consents[-1].withdrawn_at is None  # history kept
    assert not OutboxMessage.objects.filter(template="signup_duplicate").exists()
    [confirm] = [m for m in mail.outbox if m.to == ["layla@example.org"]]
    link = re.search(r"http://127\.0\.0\.1:8000(/\S+/signup/confirm/\S+/)", confirm.body).group(1)
    client.post(link)
    again.refresh_from_db()
    assert friend(again).status == "waiting" and again.email_verified_at is not None
    actions = set(AuditEvent.objects.filter(object_id=str(layla.uid)).values_list("action", flat=True))
    assert {"participant.withdrawn", "participant.rejoined", "participant.confirmed_email"} <= actions
    match.refresh_from_db()
    assert match.status == MatchStatus.ENDED  # the old match stays in her history


def test_an_unconfirmed_return_expires_back_to_left_and_keeps_her_history(client, pair, world):
    layla, _britt, _match = pair
    services.withdraw_participant(actor=world.admin, participant=layla)
    data = {
        "role": "newcomer",
        "first_name": "Layla",
        "last_name": "Person",
        "email": "layla@example.org",
        "birth_year": 1991,
        "gender": "woman",
        "municipality": layla.municipality,
        "languages": ["ar"],
        "meeting_mode": "either",
    }
    services.signup_participant(organisation=world.org, data=data, language="ar")
    services.expire_unconfirmed(now=timezone.now() + timedelta(days=8))
    assert friend(layla).status == "withdrawn"
    assert not Consent.objects.filter(participant=layla, withdrawn_at__isnull=True).exists()


def test_mails_naming_her_are_found_by_their_about_key_too(client, pair, world):
    """The partner's question names her, and a copy staff sent again of the partner's introduction has a
    key of its own: both are found because their context says whom they are about."""
    layla, britt, match = pair
    intro = OutboxMessage.objects.get(template="introduction", participant=britt)
    OutboxMessage.objects.filter(pk=intro.pk).update(state="sent")
    copy = followup.resend_mail(actor=world.admin, message=intro)
    followup.ask_due_followups(now=match.introduced_at + timedelta(days=15))
    question = OutboxMessage.objects.get(template="followup_question", participant=britt)
    leave_on_her_page(client, layla)
    copy.refresh_from_db()
    question.refresh_from_db()
    assert copy.state == MailState.CANCELLED and question.state == MailState.CANCELLED
    deliver_due()
    assert [m.subject for m in sent_to(britt.email)] == [
        OutboxMessage.objects.get(template="partner_left").subject
    ]
