"""The sign-up journey in a real browser: phone, Arabic (right-to-left), confirm by mail, found by staff."""

from __future__ import annotations

import time
from urllib.parse import urlsplit

import pytest
from django.core import mail

from kompis.participants.models import Participant
from tests.factories import PASSWORD, ParticipantFactory

# serialized_rollback: the flush after a live-server test would otherwise drop the municipalities, which
# are loaded by a data migration, for every later test.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = (390, 844)
DESKTOP = (1280, 900)


def confirmation_link(live_server_url: str, timeout: float = 10.0) -> str:
    """The link of the confirmation mail (sent from the server thread), pointed at the live server."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for message in mail.outbox:
            for line in message.body.splitlines():
                if "/signup/confirm/" in line:
                    return live_server_url + urlsplit(line.strip()).path
        from kompis.outbox.models import OutboxMessage

        row = OutboxMessage.objects.filter(template="signup_confirm").first()
        if row is not None:
            return live_server_url + urlsplit(row.context["confirm_url"]).path
        time.sleep(0.1)
    raise AssertionError("no confirmation mail was sent")


def log_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/staff/")


def test_newcomer_signs_up_in_arabic_on_a_phone_and_coordinator_finds_her(live_server, world, new_page, shot):
    base = live_server.url
    page = new_page(*PHONE)
    page.goto(f"{base}/kompisforeningen/signup/")
    assert page.evaluate("document.documentElement.lang") == "sv"
    shot(page, "01-signup-phone-sv")

    page.click("nav.languages a[hreflang=ar]")
    page.wait_for_load_state()
    assert page.url == f"{base}/kompisforeningen/signup/"
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert page.evaluate("document.documentElement.lang") == "ar"
    assert page.evaluate("getComputedStyle(document.querySelector('main label')).direction") == "rtl"
    # in right-to-left the page's start is on the right: the heading and the submit button sit there
    h1 = page.locator("main h1").bounding_box()
    assert h1["x"] + h1["width"] > PHONE[0] - 40
    button = page.locator("main form > button[type=submit]").bounding_box()
    assert button["x"] + button["width"] / 2 > PHONE[0] / 2, button
    shot(page, "02-signup-phone-ar")

    page.check("input[name=role][value=newcomer]")
    page.fill("input[name=first_name]", "Layla")
    page.fill("input[name=last_name]", "Testsson")
    page.fill("input[name=email]", "layla.testsson@example.org")
    page.fill("input[name=phone]", "070 123 45 67")
    page.fill("input[name=birth_year]", "1990")
    page.check("input[name=gender][value=woman]")
    page.select_option("select[name=municipality]", "0380")
    page.fill("input[name=postal_code]", "753 20")
    page.check("input[name=languages][value=ar]")
    page.check("input[name=languages][value=sv]")
    page.check("input[name=interests][value=fika]")
    page.check("input[name=meeting_mode][value=either]")
    page.fill("input[name=capacity]", "1")
    page.check("input[name=consent_data]")
    shot(page, "03-signup-phone-ar-filled")
    page.click("main form > button[type=submit]")
    page.wait_for_url(f"{base}/kompisforeningen/signup/thanks/")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    shot(page, "04-thanks-phone-ar")

    participant = Participant.objects.get(email="layla.testsson@example.org")
    assert participant.friend_matching.status == "pending" and participant.preferred_language == "ar"

    page.goto(confirmation_link(base))
    assert page.evaluate("document.documentElement.dir") == "rtl"  # the cookie is still there
    shot(page, "05-confirm-phone-ar")
    participant.refresh_from_db()
    assert participant.friend_matching.status == "pending"  # opening the link changes nothing
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    shot(page, "06-confirmed-phone-ar")
    participant.refresh_from_db()
    assert participant.friend_matching.status == "waiting" and participant.email_verified_at

    staff = new_page(*DESKTOP)
    log_in(staff, base, world.uppsala_coordinator.username)
    shot(staff, "07-staff-overview-desktop")
    staff.click("nav.staff a[href='/staff/participants/']")
    staff.wait_for_url(f"{base}/staff/participants/")
    staff.fill("input[name=q]", "Layla")
    staff.press("input[name=q]", "Enter")
    staff.wait_for_url("**/staff/participants/?*q=Layla*")
    # The live search replaces the rows in place: wait until they show the result, then count.
    staff.locator("#results tbody tr a:has-text('Layla Testsson')").wait_for()
    results = staff.locator("#results tbody tr")
    assert results.count() == 1
    shot(staff, "08-participants-search-desktop")
    staff.click("#results a:has-text('Layla Testsson')")
    staff.wait_for_url(f"{base}/staff/participants/{participant.uid}/")
    assert staff.locator("h1 .badge.waiting").count() == 1
    assert "layla.testsson@example.org" in staff.inner_text("main")
    shot(staff, "09-participant-detail-desktop")


def test_staff_participant_list_fits_a_phone(live_server, world, new_page, shot):
    for i in range(6):
        ParticipantFactory(
            organisation=world.org,
            region=world.uppsala,
            first_name=f"Långnamnsdeltagare{i}",
            last_name="Med-Ett-Mycket-Långt-Efternamn",
            languages=["ar", "en", "sv", "fa"],
        )
    page = new_page(*PHONE)
    log_in(page, live_server.url, world.uppsala_coordinator.username)
    shot(page, "10-staff-overview-phone")
    page.goto(f"{live_server.url}/staff/participants/")
    assert page.locator("#results tbody tr").count() == 6
    shot(page, "11-participants-list-phone")
    overflow = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert overflow[0] <= overflow[1] + 1, f"page scrolls sideways: {overflow}"
    page.goto(f"{live_server.url}/staff/participants/{Participant.objects.first().uid}/")
    shot(page, "12-participant-detail-phone")
    overflow = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert overflow[0] <= overflow[1] + 1, f"detail page scrolls sideways: {overflow}"
