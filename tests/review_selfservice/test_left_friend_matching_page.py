"""Review of issue #12: a person who has left friend matching (but kept her other activities) is not asked,
on her own page, when and how she wants to meet a friend; she can still save her languages."""

from __future__ import annotations

import pytest

from kompis.audit.actors import ParticipantActor
from kompis.participants import services
from kompis.participants.models import Consent, FriendParticipation
from kompis.participants.services import self_service_url
from tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db


def path_of(url: str) -> str:
    return url.split("127.0.0.1:8000", 1)[1]


def test_after_leaving_friend_matching_her_page_has_no_friend_matching_questions(client, world):
    person = ParticipantFactory(organisation=world.org, region=world.uppsala, email="mona@example.org")
    Consent.objects.create(participant=person, kind="data_processing", policy_version="2026-01")
    url = path_of(self_service_url(person))
    before = client.get(url).content.decode()
    assert 'name="meeting_mode"' in before and 'name="availability"' in before

    services.leave_friend_matching(actor=ParticipantActor(person.pk), participant=person)
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="meeting_mode"' not in html and 'name="availability"' not in html
    assert 'name="languages"' in html

    saved = client.post(url, {"action": "update", "languages": ["sv", "so"], "interests": ["music"]})
    assert saved.status_code == 302
    person.refresh_from_db()
    assert person.languages == ["so", "sv"]
    assert FriendParticipation.objects.get(pk=person.pk).status == "withdrawn"
