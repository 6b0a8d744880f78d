"""Enrolment in a mentor programme in a real browser: a phone, Arabic chosen (right to left), the form filled
and sent, "check your e-mail" in Arabic; then the link from the mail opened and confirmed, still on the phone
and in Arabic; nothing wider than the screen."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from kompis.outbox.models import OutboxMessage
from kompis.programmes import services
from kompis.programmes.models import Enrolment
from kompis.programmes.services import CohortData, ProgrammeData

# serialized_rollback: the flush after a live-server test would otherwise drop the municipalities (loaded by a
# data migration) for every later test.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = (390, 844)
NO_OVERFLOW = "document.scrollingElement.scrollWidth <= window.innerWidth"


def test_a_mentee_enrols_in_arabic_on_a_phone(live_server, world, new_page, shot):
    programme = services.create_programme(
        actor=world.admin,
        organisation=world.org,
        data=ProgrammeData(name="Yrkesmentor", region=world.uppsala, public_enrolment=True),
    )
    today = timezone.localdate()
    for name, starts in (("Vår", today), ("Höst", today + timedelta(days=90))):
        services.create_cohort(
            actor=world.admin,
            programme=programme,
            data=CohortData(name=name, starts_on=starts, ends_on=starts + timedelta(days=180)),
        )
    base = live_server.url
    path = f"/kompisforeningen/programmes/{programme.uid}/"
    page = new_page(*PHONE)
    page.goto(f"{base}/kompisforeningen/programmes/")
    page.click(f"a[href='{path}']")
    page.wait_for_url(f"{base}{path}")
    page.click("nav.languages a[hreflang=ar]")
    page.wait_for_load_state()
    assert page.url == f"{base}{path}"
    assert page.evaluate("document.documentElement.lang") == "ar"
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert page.evaluate("getComputedStyle(document.querySelector('main form')).direction") == "rtl"
    assert page.evaluate(NO_OVERFLOW)
    # the language chosen on the page is the language of her mails
    assert page.input_value("select[name=language]") == "ar"
    shot(page, "programme-enrol-phone-ar")

    page.check("input[name=cohort] >> nth=1")
    page.fill("input[name=first_name]", "أمينة")
    page.fill("input[name=last_name]", "يوسف")
    page.fill("input[name=name_latin]", "Amina Yusuf")
    page.fill("input[name=email]", "amina@example.org")
    page.check("input[name=role][value=mentee]")
    page.select_option("select[name=field]", "health")
    page.check("input[name=meeting_mode][value=digital]")
    page.select_option("select[name=municipality]", "0380")
    page.fill("textarea[name=goals]", "أريد العمل ممرضة")
    # sent once without the consent: the form comes back, right to left, with the error at the field
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#field-consent.has-error").count() == 1
    assert page.evaluate("document.documentElement.dir") == "rtl" and page.evaluate(NO_OVERFLOW)
    assert not Enrolment.objects.exists()
    shot(page, "programme-enrol-phone-ar-error")

    page.check("input[name=consent]")
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{base}{path}thanks/")
    assert page.evaluate("document.documentElement.lang") == "ar"
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert page.locator("#enrolment-thanks h1").count() == 1
    assert page.evaluate(NO_OVERFLOW)
    shot(page, "programme-enrol-phone-ar-thanks")
    assert not Enrolment.objects.exists()  # nothing before she confirms

    mail = OutboxMessage.objects.get(template="programme_confirm", to_email="amina@example.org")
    assert mail.language == "ar"
    page.goto(base + mail.context["confirm_url"].removeprefix(settings.SITE_ROOT))
    assert page.evaluate("document.documentElement.lang") == "ar"
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert page.locator("#enrolment-confirm[data-state=ask] dl").count() == 1
    shot(page, "programme-enrol-phone-ar-confirm")
    assert page.evaluate(NO_OVERFLOW)
    page.click("#enrolment-confirm form button[type=submit]")
    page.wait_for_selector("#enrolment-confirm[data-state=enrolled]")
    assert page.evaluate("document.documentElement.dir") == "rtl" and page.evaluate(NO_OVERFLOW)
    shot(page, "programme-enrol-phone-ar-confirmed")

    enrolment = Enrolment.objects.select_related("participant", "cohort").get()
    assert enrolment.cohort.name == "Höst" and enrolment.meeting_mode == "digital"
    assert enrolment.participant.name_latin == "Amina Yusuf"
    assert enrolment.participant.preferred_language == "ar"
