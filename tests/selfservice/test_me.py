"""The participant's own page, reached by a signed link without a password."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone

from kompis.audit.models import AuditEvent
from kompis.participants.models import FriendParticipation
from kompis.participants.services import self_service_url
from tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(world):
    return ParticipantFactory(
        organisation=world.org,
        region=world.uppsala,
        email="me@example.org",
        first_name="Layla",
        preferred_language="ar",
    )


def friend(person) -> FriendParticipation:
    """Her participation in friend matching, read afresh."""
    return FriendParticipation.objects.get(pk=person.pk)


def path_of(url: str) -> str:
    return url.split("127.0.0.1:8000", 1)[1]


def test_page_shows_status_in_the_visitors_language(client, person):
    client.cookies["kompis_language"] = "ar"
    page = client.get(path_of(self_service_url(person)))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'dir="rtl"' in html and "Layla" in html


def test_pause_until_a_date_then_resume(client, person):
    url = path_of(self_service_url(person))
    until = (timezone.localdate() + timedelta(days=30)).isoformat()
    assert client.post(url, {"action": "pause", "until": until}).status_code == 302
    assert friend(person).status == "paused" and friend(person).paused_until.isoformat() == until
    client.post(url, {"action": "resume"})
    assert friend(person).status == "waiting" and friend(person).paused_until is None
    actions = list(AuditEvent.objects.filter(object_id=str(person.uid)).values_list("actor_label", "action"))
    assert ("participant", "participant.paused") in actions and (
        "participant",
        "participant.resumed",
    ) in actions


def test_pause_with_a_past_date_is_refused_with_a_field_error(client, person):
    # She reads English on this visit: chosen with the language switcher (her own language is Arabic).
    client.get("/language/en/")
    url = path_of(self_service_url(person))
    page = client.post(url, {"action": "pause", "until": "2020-01-01"})
    assert page.status_code == 200 and "future" in page.content.decode()
    assert friend(person).status == "waiting"


def test_update_languages_and_interests(client, person):
    url = path_of(self_service_url(person))
    client.post(
        url,
        {
            "action": "update",
            "languages": ["sv", "so"],
            "interests": ["music"],
            "availability": ["weekend"],
            "meeting_mode": "digital",
        },
    )
    person.refresh_from_db()
    assert person.languages == ["so", "sv"] and person.interests == ["music"]
    assert friend(person).availability == ["weekend"] and friend(person).meeting_mode == "digital"


def test_update_without_a_language_is_refused_and_changes_nothing(client, person):
    url = path_of(self_service_url(person))
    page = client.post(url, {"action": "update", "languages": [], "meeting_mode": "digital"})
    assert page.status_code == 200 and 'id="errors"' in page.content.decode()
    assert friend(person).meeting_mode == "either"


def test_unsubscribe_is_idempotent_and_withdraw_ends_everything(client, person):
    url = path_of(self_service_url(person))
    client.post(url, {"action": "unsubscribe"})
    client.post(url, {"action": "unsubscribe"})
    person.refresh_from_db()
    assert person.unsubscribed_at is not None
    assert (
        AuditEvent.objects.filter(object_id=str(person.uid), action="participant.unsubscribed").count() == 1
    )
    client.post(url, {"action": "withdraw", "reason": "moved"})
    assert friend(person).status == "withdrawn"
    client.post(url, {"action": "resume"})
    assert friend(person).status == "withdrawn"


@pytest.mark.parametrize("tamper", [lambda t: t[:-2] + "xy", lambda t: "nonsense", lambda t: t + "a"])
def test_tampered_link_gives_a_friendly_page_and_changes_nothing(client, person, tamper):
    url = path_of(self_service_url(person))
    prefix, token = url.rstrip("/").rsplit("/", 1)
    bad = f"{prefix}/{tamper(token)}/"
    page = client.post(bad, {"action": "withdraw"})
    assert page.status_code == 400
    assert "Get a new link" in page.content.decode()
    assert friend(person).status == "waiting"


def test_expired_link(client, person, settings):
    url = path_of(self_service_url(person))
    later = timezone.now().timestamp() + (settings.SELF_SERVICE_LINK_DAYS + 1) * 86400
    with mock.patch("time.time", return_value=later):
        page = client.get(url)
        assert page.status_code == 400 and 'lang="ar"' in page.content.decode()  # in Layla's language
        client.get("/language/en/")  # she switches to English on this visit
        page = client.get(url)
    assert page.status_code == 400 and "too old" in page.content.decode()


def test_request_a_fresh_link_by_email(client, person, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(f"/{person.organisation.slug}/me/", {"email": "ME@example.org"})
        client.post(f"/{person.organisation.slug}/me/", {"email": "unknown@example.org"})
    assert page.status_code == 200
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["me@example.org"]
    link = next(line for line in mail.outbox[0].body.splitlines() if "/me/" in line).strip()
    assert client.get(path_of(link)).status_code == 200


def test_another_organisations_link_does_not_work(client, person, world):
    url = path_of(self_service_url(person)).replace(f"/{world.org.slug}/", f"/{world.other_org.slug}/")
    assert client.get(url).status_code == 400
