"""Survey waves (issue #14): who a wave goes to, one invitation and one mail per person in their language,
a retried send never doubles, people without e-mail get a call task, a draft survey cannot have waves."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from kompis.audit.models import AuditEvent
from kompis.matching.models import Match
from kompis.outbox.models import OutboxMessage
from kompis.outbox.rendering import render
from kompis.participants.selectors import ParticipantFilter
from kompis.programmes.models import EnrolmentStatus
from kompis.surveys import waves
from kompis.surveys.models import Invitation, SurveyStatus, WaveKind, WaveStatus
from kompis.surveys.tokens import find_invitation
from kompis.surveys.worklist_kinds import SURVEY_CALL
from kompis.worklist.models import Task
from tests.factories import MatchFactory, ParticipantFactory
from tests.surveys.wave_fixtures import cohort_of, enrolled, open_survey

pytestmark = pytest.mark.django_db


def a_wave(world, survey, kind=WaveKind.BASELINE, **kw):
    kw.setdefault("closes_at", timezone.now() + timedelta(days=30))
    return waves.create_wave(actor=world.admin, survey=survey, kind=kind, name="Start", **kw)


def test_a_baseline_invites_the_active_enrolments_each_in_their_language(world):
    survey = open_survey(world)
    cohort = cohort_of(world)
    olena = enrolled(world, cohort, preferred_language="uk", languages=["uk", "en"], first_name="Olena")
    samir = enrolled(world, cohort, preferred_language="ar", languages=["ar"], first_name="Samir")
    tigist = enrolled(world, cohort, preferred_language="ti", languages=["ti"], first_name="Tigist")
    enrolled(world, cohort, status=EnrolmentStatus.WAITING)
    enrolled(world, cohort, status=EnrolmentStatus.DROPPED_OUT)
    enrolled(world, cohort, unsubscribed_at=timezone.now())
    wave = a_wave(world, survey, cohort=cohort)

    assert waves.send_wave(actor=world.admin, wave=wave) == 3

    wave.refresh_from_db()
    assert wave.status == WaveStatus.OPEN
    languages = dict(Invitation.objects.filter(wave=wave).values_list("participant_id", "language"))
    # Ukrainian is not a survey language: the first one she speaks that it has; Tigrinya: the survey's first
    assert languages == {olena.pk: "en", samir.pk: "ar", tigist.pk: "sv"}
    mails = OutboxMessage.objects.filter(template=waves.INVITATION_TEMPLATE)
    assert sorted(mails.values_list("to_email", flat=True)) == sorted(
        [olena.email, samir.email, tigist.email]
    )
    arabic = mails.get(to_email=samir.email)
    subject, text, _html = render(arabic)
    assert "كيف الحال؟" in subject and "Samir" in text
    # the link in the mail opens this person's invitation; the database keeps only the token's hash
    token = arabic.context["url"].rstrip("/").rsplit("/", 1)[1]
    found = find_invitation(token)
    assert found is not None and found.participant_id == samir.pk and found.token_hash != token
    event = AuditEvent.objects.get(action="survey.wave_sent")
    assert event.data["invited"] == 3 and event.data["mailed"] == 3
    assert "Samir" not in str(event.data) and samir.email not in str(event.data)


def test_a_retried_send_never_doubles_and_invites_only_newcomers(world):
    survey = open_survey(world)
    cohort = cohort_of(world)
    enrolled(world, cohort)
    wave = a_wave(world, survey, cohort=cohort)
    waves.send_wave(actor=world.admin, wave=wave)
    assert waves.send_wave(actor=world.admin, wave=wave) == 0
    late = enrolled(world, cohort)
    assert waves.send_wave(actor=world.admin, wave=wave) == 1
    assert Invitation.objects.filter(wave=wave).count() == 2
    assert OutboxMessage.objects.filter(template=waves.INVITATION_TEMPLATE).count() == 2
    assert OutboxMessage.objects.filter(participant=late).count() == 1


def test_final_and_follow_up_invite_the_completed(world):
    survey = open_survey(world)
    cohort = cohort_of(world, ends_on=timezone.localdate() - timedelta(days=200))
    done = enrolled(world, cohort, status=EnrolmentStatus.COMPLETED)
    still = enrolled(world, cohort)
    final = a_wave(world, survey, WaveKind.FINAL, cohort=cohort)
    assert set(waves.to_invite(final).values_list("pk", flat=True)) == {done.pk}
    with_active = a_wave(world, survey, WaveKind.FINAL, cohort=cohort, include_active=True)
    assert set(waves.to_invite(with_active).values_list("pk", flat=True)) == {done.pk, still.pk}
    follow = a_wave(world, survey, WaveKind.FOLLOW_UP, cohort=cohort, months_after=6)
    assert timezone.localdate(follow.opens_at) >= cohort.ends_on + timedelta(days=180)
    assert set(waves.to_invite(follow).values_list("pk", flat=True)) == {done.pk}


def test_a_follow_up_cannot_be_sent_before_it_opens(world):
    survey = open_survey(world)
    cohort = cohort_of(world, ends_on=timezone.localdate() - timedelta(days=10))
    enrolled(world, cohort, status=EnrolmentStatus.COMPLETED)
    wave = a_wave(
        world,
        survey,
        WaveKind.FOLLOW_UP,
        cohort=cohort,
        months_after=3,
        closes_at=timezone.now() + timedelta(days=200),
    )
    with pytest.raises(waves.WaveError, match="opens on"):
        waves.send_wave(actor=world.admin, wave=wave)
    assert not Invitation.objects.exists()


def test_a_friend_match_wave_invites_both_of_the_matches_approved_in_the_period(world):
    survey = open_survey(world)
    today = timezone.localdate()
    inside = MatchFactory(newcomer=ParticipantFactory(organisation=world.org))
    outside = MatchFactory(newcomer=ParticipantFactory(organisation=world.org))
    Match.objects.filter(pk=outside.pk).update(created_at=timezone.now() - timedelta(days=60))
    matches = a_wave(world, survey, matches_from=today - timedelta(days=7), matches_to=today)
    assert matches.cohort is None
    invited = set(waves.to_invite(matches).values_list("pk", flat=True))
    assert invited == {inside.newcomer_id, inside.established_id}


def test_an_ad_hoc_wave_uses_the_list_filter_within_the_senders_scope(world):
    survey = open_survey(world)
    up = ParticipantFactory(organisation=world.org, region=world.uppsala, languages=["sv"])
    ParticipantFactory(organisation=world.org, region=world.danderyd, languages=["sv"])
    ParticipantFactory(organisation=world.org, region=world.uppsala, languages=["ar"])
    wave = waves.create_wave(
        actor=world.uppsala_coordinator,
        survey=survey,
        kind=WaveKind.AD_HOC,
        name="Swedish speakers",
        closes_at=timezone.now() + timedelta(days=5),
        filters=ParticipantFilter(language="sv"),
    )
    assert wave.group == {"language": "sv"}
    assert waves.send_wave(actor=world.uppsala_coordinator, wave=wave) == 1
    assert Invitation.objects.get().participant_id == up.pk


def test_people_without_e_mail_get_a_call_task_when_the_wave_has_phone_follow_up(world):
    survey = open_survey(world)
    cohort = cohort_of(world)
    quiet = enrolled(world, cohort, email="", first_name="Noor")
    enrolled(world, cohort)
    wave = a_wave(world, survey, cohort=cohort, phone_follow_up=True)
    assert waves.send_wave(actor=world.admin, wave=wave) == 2
    task = Task.objects.get(kind=SURVEY_CALL)
    assert task.participant_id == quiet.pk and task.region_id == world.uppsala.pk
    assert not OutboxMessage.objects.filter(participant=quiet).exists()
    waves.send_wave(actor=world.admin, wave=wave)
    assert Task.objects.filter(kind=SURVEY_CALL).count() == 1


def test_a_draft_survey_has_no_waves_and_bad_input_names_the_field(world):
    survey = open_survey(world)
    survey.status = SurveyStatus.DRAFT
    survey.save()
    with pytest.raises(waves.WaveError, match="open the survey first"):
        a_wave(world, survey, cohort=cohort_of(world))
    survey.status = SurveyStatus.OPEN
    survey.save()
    with pytest.raises(waves.WaveError) as error:
        a_wave(world, survey, cohort=None)
    assert error.value.field == "cohort"
    with pytest.raises(waves.WaveError) as error:
        a_wave(world, survey, WaveKind.AD_HOC, closes_at=timezone.now() - timedelta(days=1))
    assert error.value.field == "closes_at"
    assert not survey.waves.exists()


def test_an_open_wave_has_a_public_key_and_invites_nobody(world):
    survey = open_survey(world)
    ParticipantFactory(organisation=world.org, region=world.uppsala)
    wave = a_wave(world, survey, WaveKind.OPEN)
    assert len(wave.public_key) >= 32
    assert waves.send_wave(actor=world.admin, wave=wave) == 0
    wave.refresh_from_db()
    assert wave.status == WaveStatus.OPEN and not Invitation.objects.exists()


def test_coordinator_creates_a_wave_sees_the_count_and_sends_it(client, world):
    from django.urls import reverse

    survey = open_survey(world, region=world.uppsala)
    cohort = cohort_of(world)
    enrolled(world, cohort, first_name="Olena")
    enrolled(world, cohort, first_name="Taras")
    client.force_login(world.uppsala_coordinator)
    closes = (timezone.localdate() + timedelta(days=20)).isoformat()
    form = {
        "name": "Start",
        "kind": "baseline",
        "closes_on": closes,
        "reminder_days": "7",
        "max_reminders": "2",
    }
    page = client.post(reverse("surveys:wave_new", args=[survey.uid]), form)
    assert "Choose the cohort the wave is about" in page.content.decode()  # no cohort, no period
    created = client.post(reverse("surveys:wave_new", args=[survey.uid]), {**form, "cohort": str(cohort.uid)})
    wave = survey.waves.get()
    assert created.status_code == 302 and created["Location"] == reverse("surveys:wave", args=[wave.uid])
    page = client.get(created["Location"]).content.decode()
    assert "Send to 2 people" in page
    assert not Invitation.objects.exists()  # GET sends nothing
    client.post(reverse("surveys:wave_send", args=[wave.uid]))
    page = client.get(reverse("surveys:waves", args=[survey.uid])).content.decode()
    assert Invitation.objects.filter(wave=wave).count() == 2 and "Start" in page
    client.force_login(world.danderyd_coordinator)
    assert client.get(reverse("surveys:wave", args=[wave.uid])).status_code == 404
