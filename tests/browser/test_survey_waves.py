"""A coordinator creates a survey wave for a cohort, reads how many it reaches, and sends it (issue #14)."""

from __future__ import annotations

import pytest

from kompis.surveys.models import Invitation
from tests.factories import PASSWORD
from tests.surveys.wave_fixtures import cohort_of, enrolled, open_survey

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_coordinator_sends_a_wave_at_phone_and_desk_width(live_server, world, new_page, shot):
    survey = open_survey(world, region=world.uppsala)
    cohort = cohort_of(world)
    for _ in range(3):
        enrolled(world, cohort)
    base = live_server.url
    for width, height in ((390, 844), (1280, 900)):
        page = new_page(width, height)
        page.goto(f"{base}/accounts/login/")
        page.fill("#id_username", world.uppsala_coordinator.username)
        page.fill("#id_password", PASSWORD)
        page.click("main button[type=submit]")
        page.wait_for_url(f"{base}/staff/")
        page.goto(f"{base}/staff/surveys/{survey.uid}/waves/new/")
        shot(page, f"survey-wave-new-{width}")
        page.fill("#id_name", f"Start {width}")
        page.select_option("#id_kind", "baseline")
        page.select_option("#id_cohort", str(cohort.uid))
        page.fill("#id_closes_on", "2099-12-31")
        page.click("main form button[type=submit]")
        page.wait_for_url("**/staff/surveys/waves/*/")
        shot(page, f"survey-wave-{width}")
        # the staff pages speak the user's language (Swedish): find the send button by its form
        page.click("form[action$='/send/'] button[type=submit]")
        page.wait_for_selector("ul.messages li")
        shot(page, f"survey-wave-sent-{width}")
    assert Invitation.objects.count() == 6
