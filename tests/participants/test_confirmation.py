"""Double opt-in: the confirmation mail, the signed link, expiry and the sweep that removes old sign-ups."""

from __future__ import annotations

import time
from datetime import timedelta
from unittest import mock
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.utils import timezone

from kompis.audit.models import AuditEvent
from kompis.participants import services
from kompis.participants.models import FriendParticipation, Participant
from tests.factories import ParticipantFactory
from tests.participants.test_signup import SIGNUP, VALID, html_tag


@pytest.fixture
def signed_up(client, world, django_capture_on_commit_callbacks):
    def do(language: str = "en") -> tuple[Participant, str]:
        client.get(f"/language/{language}/?next=/")
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post(SIGNUP, VALID).status_code == 302
        link = next(line.strip() for line in mail.outbox[-1].body.splitlines() if "/signup/confirm/" in line)
        return Participant.objects.get(), urlsplit(link).path

    return do


def status_of(p: Participant) -> str:
    """Her friend participation's status, read afresh."""
    return FriendParticipation.objects.get(pk=p.pk).status


def confirmed_events(p: Participant) -> int:
    return AuditEvent.objects.filter(action="participant.confirmed_email", object_id=str(p.uid)).count()


@pytest.mark.parametrize("language, direction", [("sv", "ltr"), ("ar", "rtl"), ("fa", "rtl"), ("en", "ltr")])
def test_confirmation_mail_has_text_and_html_in_signup_language(signed_up, language, direction):
    _participant, path = signed_up(language)
    message = mail.outbox[0]
    assert message.to == ["amal@example.org"]
    assert message.subject.strip()
    assert path in message.body  # text part carries the plain link
    html, mime = message.alternatives[0]
    assert mime == "text/html"
    assert f'lang="{language}"' in html_tag(html) and f'dir="{direction}"' in html_tag(html)
    assert f'href="http://127.0.0.1:8000{path}"' in html
    assert "Amal" in message.body and "Amal" in html
    assert "{%" not in message.body and "{{" not in html


def test_get_shows_a_button_and_changes_nothing(client, signed_up):
    p, path = signed_up()
    before = p.updated_at
    response = client.get(path)
    assert response.status_code == 200
    page = response.content.decode()
    assert '<form method="post"' in page and 'type="submit"' in page
    p.refresh_from_db()
    assert status_of(p) == "pending" and p.email_verified_at is None and p.updated_at == before
    assert confirmed_events(p) == 0


def test_post_confirms_once_and_is_idempotent(client, signed_up):
    p, path = signed_up()
    response = client.post(path)
    assert response.status_code == 200
    p.refresh_from_db()
    assert status_of(p) == "waiting" and p.email_verified_at is not None
    assert confirmed_events(p) == 1
    verified_at = p.email_verified_at

    again = client.post(path)
    assert again.status_code == 200
    p.refresh_from_db()
    assert status_of(p) == "waiting" and p.email_verified_at == verified_at
    assert confirmed_events(p) == 1
    # the link still opens a friendly page that says it is done
    assert "already confirmed" in client.get(path).content.decode()


def test_confirming_does_not_revive_a_withdrawn_participant(client, signed_up):
    p, path = signed_up()
    FriendParticipation.objects.filter(pk=p.pk).update(status="withdrawn")
    client.post(path)
    p.refresh_from_db()
    assert status_of(p) == "withdrawn" and p.email_verified_at is None


@pytest.mark.parametrize(
    "mangle",
    [
        lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),
        lambda t: "A" + t[1:] if t[0] != "A" else "B" + t[1:],
        lambda t: t[: len(t) // 2],
        lambda t: "nonsense",
    ],
)
def test_tampered_token_is_a_friendly_400(client, signed_up, mangle):
    p, path = signed_up()
    token = path.rstrip("/").rsplit("/", 1)[1]
    bad = path.replace(token, mangle(token))
    for method in (client.get, client.post):
        response = method(bad)
        assert response.status_code == 400
        page = response.content.decode()
        assert "This link does not work" in page and "Traceback" not in page
        assert 'href="/kompisforeningen/signup/"' in page
    p.refresh_from_db()
    assert status_of(p) == "pending" and p.email_verified_at is None and confirmed_events(p) == 0


def test_token_of_another_organisation_does_not_work(client, signed_up, world):
    p, path = signed_up()
    response = client.post(path.replace("/kompisforeningen/", f"/{world.other_org.slug}/"))
    assert response.status_code == 400
    p.refresh_from_db()
    assert status_of(p) == "pending"


def test_expired_token_is_a_friendly_expired_page(client, signed_up, settings):
    p, _path = signed_up()
    eight_days_ago = time.time() - (settings.SIGNUP_CONFIRM_DAYS + 1) * 86400
    with mock.patch("time.time", return_value=eight_days_ago):
        old_token = services.confirmation_token(p)
    path = f"/kompisforeningen/signup/confirm/{old_token}/"
    response = client.post(path)
    assert response.status_code == 400
    page = response.content.decode()
    assert "too old" in page and "Traceback" not in page
    p.refresh_from_db()
    assert status_of(p) == "pending" and p.email_verified_at is None


def test_token_just_inside_the_limit_still_works(client, signed_up, settings):
    p, _path = signed_up()
    almost = time.time() - settings.SIGNUP_CONFIRM_DAYS * 86400 + 3600
    with mock.patch("time.time", return_value=almost):
        token = services.confirmation_token(p)
    assert client.post(f"/kompisforeningen/signup/confirm/{token}/").status_code == 200
    p.refresh_from_db()
    assert status_of(p) == "waiting"


def test_link_of_deleted_signup_is_friendly(client, signed_up):
    p, path = signed_up()
    p.delete()
    response = client.get(path)
    assert response.status_code == 400 and "This link does not work" in response.content.decode()


def test_expire_unconfirmed_deletes_only_old_unconfirmed_signups(world, settings):
    now = timezone.now()
    old = now - timedelta(days=settings.SIGNUP_CONFIRM_DAYS, hours=1)
    recent = now - timedelta(days=settings.SIGNUP_CONFIRM_DAYS - 1)
    gone = ParticipantFactory(organisation=world.org, status="pending", signed_up_at=old, first_name="Old")
    kept = [
        ParticipantFactory(
            organisation=world.org, status="pending", signed_up_at=recent, first_name="Recent"
        ),
        ParticipantFactory(
            organisation=world.org, status="waiting", signed_up_at=old, first_name="Confirmed"
        ),
        ParticipantFactory(
            organisation=world.org, status="pending", signed_up_at=old, source="import", first_name="Imported"
        ),
    ]
    assert services.expire_unconfirmed(now=now) == 1
    assert not Participant.objects.filter(pk=gone.pk).exists()
    assert set(Participant.objects.values_list("first_name", flat=True)) == {k.first_name for k in kept}
    event = AuditEvent.objects.get(action="participant.expired_unconfirmed")
    assert event.object_id == str(gone.uid) and "Old" not in str(event.data)
    assert services.expire_unconfirmed(now=now) == 0  # idempotent


def test_expiry_runs_in_the_sweep(world, settings):
    from kompis.core.sweeps import run_all

    old = timezone.now() - timedelta(days=settings.SIGNUP_CONFIRM_DAYS + 2)
    ParticipantFactory(organisation=world.org, status="pending", signed_up_at=old)
    assert run_all()["participants.expire_unconfirmed"] == 1
    assert not Participant.objects.exists()
