"""Answering a two-page survey on a phone (390 px) without JavaScript, in Arabic (right to left) and in
Ukrainian: the personal link opens in the invitation's language, the answers go page by page, "thank you"
ends it and the link shows "thank you" again afterwards; no page is wider than the screen, and axe finds no
serious violation on the pages."""

from __future__ import annotations

import pytest

from kompis.surveys.models import Invitation, Response
from tests.browser.a11y import axe_violations
from tests.surveys.answer_fixtures import invite, open_wave, two_page_survey

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 390, "height": 844}
NO_OVERFLOW = "document.scrollingElement.scrollWidth <= window.innerWidth"


@pytest.mark.parametrize(
    ("language", "direction", "question"),
    [("ar", "rtl", "هل لديك عمل؟"), ("uk", "ltr", "Чи маєте ви роботу?")],
)
def test_a_two_page_survey_is_answered_on_a_phone_without_javascript(
    live_server, world, browser, shot, language, direction, question
):
    wave = open_wave(two_page_survey(world))
    token, invitation = invite(wave, world=world, language=language)
    url = f"{live_server.url}/s/{token}/"
    context = browser.new_context(viewport=PHONE, java_script_enabled=False, locale="sv-SE")
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto(url)
    assert page.evaluate("document.documentElement.lang") == language
    assert page.evaluate("document.documentElement.dir") == direction
    assert question in page.inner_text("main")
    assert page.evaluate(NO_OVERFLOW)
    shot(page, f"survey-answer-page1-{language}")

    # page 1: "yes" makes the hours question show (decided by the server, no script)
    page.check("input[name=q-has_job][value=yes]")
    page.check("input[name=q-lessons][value=swedish]")
    page.click("button[name=next]")
    page.fill("input[name=q-hours]", "12")
    page.click("button[name=next]")
    # page 2: required scale left empty → the error names the question; then answered and sent
    page.click("button[name=next]")
    assert page.locator(".error-summary").count() == 1
    page.check("input[name=q-satisfied][value='4']")
    page.fill("input[name=q-started]", "2026-09-01")
    assert page.evaluate(NO_OVERFLOW)
    shot(page, f"survey-answer-page2-{language}")
    page.click("button[name=next]")
    assert page.locator("main form").count() == 0
    assert page.evaluate("document.documentElement.dir") == direction
    shot(page, f"survey-answer-thanks-{language}")

    response = Response.objects.get()
    assert response.answers == {
        "has_job": "yes",
        "hours": 12,
        "lessons": ["swedish"],
        "satisfied": 4,
        "started": "2026-09-01",
    }
    invitation = Invitation.objects.get(pk=invitation.pk)
    assert invitation.used and invitation.partial == {}
    page.goto(url)  # the link again: thank you, never the form
    assert page.locator("main form").count() == 0
    context.close()

    # axe, with scripts on (its own script): a fresh link's first page, thank-you, a link that does not work
    token2, _ = invite(wave, world=world, language=language)
    checked = browser.new_context(viewport=PHONE)
    a11y = checked.new_page()
    unknown = f"{live_server.url}/s/not-a-link-we-ever-sent-0000/"
    for target in (f"{live_server.url}/s/{token2}/", url, unknown):
        a11y.goto(target)
        assert not axe_violations(a11y), [str(v) for v in axe_violations(a11y)]
    checked.close()
