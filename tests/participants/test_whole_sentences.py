"""Staff and sign-up pages: whole sentences instead of pieces, a neutral staff word for the role
(translators' review, issue 9)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from kompis.participants.models import Consent, FriendParticipation
from tests.factories import ParticipantFactory
from tests.participants.test_signup import SIGNUP

pytestmark = pytest.mark.django_db


def test_signup_asks_a_question_and_staff_see_role(client, world):
    client.get("/language/en/?next=/")
    html = client.get(SIGNUP).content.decode()
    assert "Which describes you best?" in html and ">I am<" not in html
    assert str(FriendParticipation._meta.get_field("role").verbose_name) == "role"
    person = ParticipantFactory(organisation=world.org, region=world.uppsala)
    client.force_login(world.admin)
    edit = client.get(reverse("participants:edit", args=[person.uid])).content.decode()
    assert "Role" in edit and "Which describes you best?" not in edit


def test_consent_line_is_whole_sentences(client, world):
    person = ParticipantFactory(
        organisation=world.org, region=world.uppsala, has_children=True, household_size=1
    )
    consent = Consent.objects.filter(participant=person).first()
    if consent is None:
        consent = Consent.objects.create(participant=person, kind="data_processing", policy_version="2026-01")
    given = timezone.now() - timedelta(days=3)
    Consent.objects.filter(pk=consent.pk).update(given_at=given, withdrawn_at=timezone.now())
    client.force_login(world.admin)
    html = client.get(reverse("participants:detail", args=[person.uid])).content.decode()
    assert (
        f'given on <span class="ltr">{timezone.localtime(given):%Y-%m-%d}</span>. Method: ' in html
    )  # the page shows local dates
    assert f"Policy version: {consent.policy_version}." in html
    assert "Withdrawn on <span" in html and "(policy " not in html
    assert "household of 1 person" in html
