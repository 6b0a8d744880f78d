"""Staff are invited by mail, set their own password, and can reset a forgotten one."""

from __future__ import annotations

import re
import time
from types import SimpleNamespace

import pytest
from django.core import signing
from django.urls import reverse

from kompis.accounts.models import Role, User
from kompis.audit.models import AuditEvent
from kompis.outbox.models import OutboxMessage
from tests.accounts.conftest import mail_link
from tests.factories import PASSWORD

NEW_PASSWORD = "Fika-i-Uppsala-2026"


def invite(client, world, email="ny.samordnare@kompis.test", **extra):
    client.force_login(world.admin)
    data = {"email": email, "role": "coordinator", "regions": [world.uppsala.pk], **extra}
    response = client.post(reverse("team:invite"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    client.logout()
    return User.objects.get(username=email)


def without_csrf(html: bytes) -> str:
    return re.sub(r'"X-CSRFToken": "[^"]*"', "", html.decode())


def state(user: User) -> tuple:
    user.refresh_from_db()
    return (user.password, user.last_login, user.is_active, AuditEvent.objects.count())


def log_in(client, username: str, password: str) -> bool:
    response = client.post(reverse("accounts:login"), {"username": username, "password": password})
    return response.status_code == 302 and response["Location"] == reverse("core:staff_home")


def test_invitation_mail_link_sets_password_and_person_can_log_in(client, world):
    user = invite(client, world, first_name="Nadia")
    assert user.organisation == world.org and user.role == Role.COORDINATOR
    assert list(user.regions.all()) == [world.uppsala]
    assert not user.has_usable_password()
    link = mail_link("staff_invitation", "ny.samordnare@kompis.test")

    before = state(user)
    page = client.get(link)
    assert page.status_code == 200 and "ny.samordnare@kompis.test" in page.content.decode()
    client.head(link)
    assert state(user) == before, "opening the link (GET/HEAD) must change nothing"

    response = client.post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:login")
    assert log_in(client, "ny.samordnare@kompis.test", NEW_PASSWORD)
    assert client.get(reverse("participants:list")).status_code == 200
    events = AuditEvent.objects.filter(object_id=str(user.uid)).values_list("action", flat=True)
    assert set(events) >= {"staff.invited", "staff.invitation_accepted"}


def test_invitation_audit_holds_ids_not_addresses(client, world):
    user = invite(client, world)
    event = AuditEvent.objects.get(action="staff.invited", object_id=str(user.uid))
    assert "@" not in str(event.data)
    assert event.data["regions"] == [str(world.uppsala.uid)]


def test_used_invitation_link_shows_friendly_page(client, world):
    invite(client, world)
    link = mail_link("staff_invitation", "ny.samordnare@kompis.test")
    client.post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    again = client.get(link)
    assert again.status_code == 400
    assert "has been used already" in again.content.decode()
    second = client.post(link, {"new_password1": "Another-Pass-2026", "new_password2": "Another-Pass-2026"})
    assert second.status_code == 400
    assert log_in(client, "ny.samordnare@kompis.test", NEW_PASSWORD)


def test_expired_invitation_link_shows_friendly_page(client, world, monkeypatch, settings):
    user = invite(client, world)
    link = mail_link("staff_invitation", "ny.samordnare@kompis.test")
    later = time.time() + (settings.STAFF_INVITE_DAYS + 1) * 86400
    monkeypatch.setattr(signing, "time", SimpleNamespace(time=lambda: later))
    before = state(user)
    response = client.get(link)
    assert response.status_code == 400 and "has expired" in response.content.decode()
    response = client.post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 400
    assert state(user) == before


def test_tampered_invitation_link_is_refused(client, world):
    invite(client, world)
    link = mail_link("staff_invitation", "ny.samordnare@kompis.test")
    response = client.get(link[:-6] + "xxxxx/")
    assert response.status_code == 400 and "not valid" in response.content.decode()


def test_weak_password_is_refused_with_a_message(client, world):
    user = invite(client, world)
    link = mail_link("staff_invitation", "ny.samordnare@kompis.test")
    response = client.post(link, {"new_password1": "123", "new_password2": "123"})
    assert response.status_code == 200 and "too short" in response.content.decode()
    user.refresh_from_db()
    assert not user.has_usable_password()


def test_resent_invitation_replaces_the_old_link(client, world):
    user = invite(client, world)
    old = mail_link("staff_invitation", user.email)
    client.force_login(world.admin)
    assert client.post(reverse("team:resend", args=[user.uid])).status_code == 302
    client.logout()
    new = mail_link("staff_invitation", user.email)
    assert new != old
    assert client.get(old).status_code == 400
    assert client.get(new).status_code == 200


def test_invitation_of_deactivated_person_no_longer_works(client, world):
    user = invite(client, world)
    link = mail_link("staff_invitation", user.email)
    client.force_login(world.admin)
    client.post(reverse("team:deactivate", args=[user.uid]))
    client.logout()
    assert client.get(link).status_code == 400


# --- forgotten password ---------------------------------------------------------------------------


def test_login_page_links_to_forgotten_password(client, db):
    html = client.get(reverse("accounts:login")).content.decode()
    assert reverse("accounts:password_reset") in html and "Forgot password?" in html


def test_password_reset_by_mail(client, world):
    admin = world.admin
    admin.email = "admin@kompis.test"
    admin.save()
    response = client.post(reverse("accounts:password_reset"), {"email": "ADMIN@kompis.test"})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:password_reset_sent")
    link = mail_link("staff_password_reset", "admin@kompis.test")
    before = state(admin)
    assert client.get(link).status_code == 200
    assert state(admin) == before
    response = client.post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert not log_in(client, "admin@kompis.test", PASSWORD)
    assert log_in(client, "admin@kompis.test", NEW_PASSWORD)
    client.logout()
    assert client.get(link).status_code == 400  # once only


def test_password_reset_answers_the_same_for_unknown_addresses(client, world):
    world.admin.email = "admin@kompis.test"
    world.admin.save()
    known = client.post(reverse("accounts:password_reset"), {"email": "admin@kompis.test"}, follow=True)
    unknown = client.post(reverse("accounts:password_reset"), {"email": "nobody@kompis.test"}, follow=True)
    assert known.redirect_chain == unknown.redirect_chain
    assert without_csrf(known.content) == without_csrf(unknown.content)
    assert not OutboxMessage.objects.filter(to_email="nobody@kompis.test").exists()
    assert (
        OutboxMessage.objects.filter(to_email="admin@kompis.test", template="staff_password_reset").count()
        == 1
    )


def test_invited_person_with_an_expired_invitation_can_use_forgotten_password(client, world):
    user = invite(client, world)
    client.post(reverse("accounts:password_reset"), {"email": user.email})
    link = mail_link("staff_password_reset", user.email)
    response = client.post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert log_in(client, user.username, NEW_PASSWORD)


def test_deactivated_staff_get_no_reset_mail(client, world):
    world.viewer.email = "viewer@kompis.test"
    world.viewer.is_active = False
    world.viewer.save()
    response = client.post(reverse("accounts:password_reset"), {"email": "viewer@kompis.test"})
    assert response.status_code == 302
    assert not OutboxMessage.objects.filter(to_email="viewer@kompis.test").exists()


def test_password_reset_is_rate_limited(client, db, settings):
    settings.SIGNUP_RATE = "3/h"
    codes = [
        client.post(reverse("accounts:password_reset"), {"email": f"x{i}@kompis.test"}).status_code
        for i in range(5)
    ]
    assert codes[:3] == [302, 302, 302] and codes[-1] == 429


@pytest.mark.parametrize("language", ["ar", "sv"])
def test_password_pages_render_in_every_direction(client, world, language):
    client.cookies["kompis_language"] = language
    response = client.get(reverse("accounts:password_reset"))
    assert response.status_code == 200
    assert f'lang="{language}"' in response.content.decode()
