"""No GET or HEAD of any link in any mail Kompis writes changes anything (issue 10 §4).

Mail security scanners open every link of a mail, with HEAD and GET, often following redirects. The test
makes Kompis write every kind of mail it has (sign-up confirmation, "already signed up", fresh personal link,
introduction, follow-up question and reminder, partner-left notice, staff invitation and password reset),
collects every link to the site from the rendered mails, opens each in a fresh browser with GET and HEAD,
and compares every table (row count and a hash of all rows) before and after.
"""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest
from django.apps import apps
from django.conf import settings
from django.test import Client

from kompis.followup import services as followup
from kompis.matching.models import Match
from kompis.outbox.models import OutboxMessage
from kompis.outbox.rendering import render
from kompis.participants import services
from tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db

SIGNUP = "/kompisforeningen/signup/"
FORM = {
    "role": "newcomer",
    "first_name": "Amal",
    "last_name": "Haddad",
    "email": "amal@example.org",
    "birth_year": "1991",
    "gender": "woman",
    "municipality": "0380",
    "languages": ["ar", "en"],
    "interests": ["fika"],
    "meeting_mode": "either",
    "capacity": "1",
    "consent_data": "on",
}


def snapshot() -> dict[str, tuple[int, str]]:
    """Every table: its row count and a hash of all its rows."""
    state = {}
    for model in apps.get_models():
        rows = list(model._default_manager.order_by("pk").values_list())
        state[model._meta.label] = (len(rows), hashlib.sha256(repr(rows).encode()).hexdigest())
    return state


def write_every_kind_of_mail(client, world) -> None:
    client.post(SIGNUP, FORM)  # confirmation
    client.post(SIGNUP, FORM)  # "already signed up", with the confirmation link again
    waiting = ParticipantFactory(organisation=world.org, region=world.uppsala, email="w@example.org")
    services.request_self_service_link(organisation=world.org, email=waiting.email, language="sv")
    people = []
    for role in ("newcomer", "established", "newcomer", "established"):
        people.append(
            ParticipantFactory(
                organisation=world.org,
                region=world.uppsala,
                role=role,
                status="matched",
                preferred_language="ar",
            )
        )
    matches = []
    for newcomer, established in (people[:2], people[2:]):
        match = Match.objects.create(
            organisation=world.org, newcomer=newcomer, established=established, created_by=world.admin
        )
        followup.introduce_match(actor=world.admin, match=match)
        match.refresh_from_db()
        matches.append(match)
    now = matches[0].introduced_at + timedelta(days=15)
    followup.ask_due_followups(now=now)
    followup.send_due_reminders(now=now + timedelta(days=world.org.reminder_days + 1))
    # The second pair's introductions went out; then the newcomer leaves: her partner is told.
    OutboxMessage.objects.filter(template="introduction", participant__in=people[2:]).update(state="sent")
    services.withdraw_participant(actor=world.admin, participant=people[2])
    try:
        from kompis.accounts import services as accounts
    except ImportError:  # pragma: no cover - staff invitations are another part of the system
        return
    if hasattr(accounts, "invite_staff"):
        accounts.invite_staff(
            actor=world.admin,
            organisation=world.org,
            email="new.staff@kompis.test",
            role="coordinator",
            regions=[world.uppsala],
            language="sv",
        )
    if hasattr(accounts, "request_password_reset"):
        accounts.request_password_reset(email="new.staff@kompis.test", language="sv")  # personas have none


def links_in_mails() -> dict[str, set[str]]:
    """Path of every link to the site in every mail written, by mail template."""
    found: dict[str, set[str]] = {}
    pattern = re.compile(re.escape(settings.SITE_ROOT) + r"(/[^\s\"'<>]*)")
    for message in OutboxMessage.objects.all():
        _subject, text, html = render(message)
        found.setdefault(message.template, set()).update(pattern.findall(text + html))
    return found


def test_no_get_or_head_of_any_mail_link_changes_any_row(client, world, django_capture_on_commit_callbacks):
    write_every_kind_of_mail(client, world)
    links = links_in_mails()
    every = sorted(set().union(*links.values()))
    # every kind of public link is there
    for kind in ("/signup/confirm/", "/me/", "/f/"):
        assert any(kind in path for path in every), (kind, links)
    for template in (
        "signup_confirm",
        "signup_duplicate",
        "self_service_link",
        "introduction",
        "followup_question",
        "followup_reminder",
        "partner_left",
        "staff_invitation",
        "staff_password_reset",
    ):
        assert links.get(template), f"no links found in {template} mails"
    assert sum("/f/" in path for path in every) >= 3 * 4  # met / not yet / will not meet, per question

    before = snapshot()
    statuses = {}
    for path in every:
        for method in ("get", "head"):
            scanner = Client()  # no cookies, no session: a scanner or a fresh browser
            response = getattr(scanner, method)(path, follow=method == "get")
            statuses[(method, path)] = response.status_code
            assert response.status_code < 500, (method, path)
    after = snapshot()
    changed = {table for table in before if before[table] != after[table]}
    assert not changed, f"GET/HEAD changed {changed}"
    assert any(code == 200 for code in statuses.values())
