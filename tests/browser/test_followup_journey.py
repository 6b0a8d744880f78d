"""Introduction and follow-up in a real browser: the mails in each participant's language (Arabic right to
left, Swedish), the one-click answers from the follow-up mail on a phone, and the staff task that a
"we will not meet" leads to, seen only by the coordinator of the participant's region."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core import mail

from kompis.followup.models import Answer, FollowUp, TaskKind
from kompis.followup.services import introduce_match, run_followups
from kompis.matching.models import Match
from kompis.outbox.models import OutboxMessage
from kompis.outbox.services import deliver_due
from kompis.worklist.models import Task
from tests.factories import PASSWORD, ParticipantFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = (390, 844)
DESKTOP = (1280, 900)
MAIL_ROOT = "http://127.0.0.1:8000"  # SITE_ROOT of the test settings: links in mails point there
ANSWER_LINK = re.compile(r'href="(http://127\.0\.0\.1:8000/f/[^"/]+/)"')


def introduced_match(
    world, region, municipality: str, *, newcomer_language: str, established_language: str
) -> Match:
    newcomer = ParticipantFactory(
        organisation=world.org,
        region=region,
        municipality_id=municipality,
        role="newcomer",
        status="matched",
        preferred_language=newcomer_language,
        languages=["ar", "sv"],
        first_name="Samira",
        last_name="Provdottir",
    )
    established = ParticipantFactory(
        organisation=world.org,
        region=region,
        municipality_id=municipality,
        role="established",
        status="matched",
        preferred_language=established_language,
        languages=["sv", "ar"],
        first_name="Britt",
        last_name="Exempelsson",
    )
    match = Match.objects.create(
        organisation=world.org,
        newcomer=newcomer,
        established=established,
        mode="physical",
        created_by=world.admin,
    )
    introduce_match(actor=world.admin, match=match)
    match.refresh_from_db()
    assert match.status == "introduced" and match.introduced_at
    return match


def mails_to(person, subject_template: str):
    """The sent mails to one person made from one outbox template (matched by the outbox's Message-ID)."""
    ids = set(
        OutboxMessage.objects.filter(participant=person, template=subject_template).values_list(
            "message_id", flat=True
        )
    )
    return [m for m in mail.outbox if m.extra_headers.get("Message-ID") in ids]


def html_of(message) -> str:
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return html


def answer_links(message) -> list[str]:
    links = ANSWER_LINK.findall(html_of(message))
    assert len(links) == 3 and len(set(links)) == 3, links  # yes we met / not yet / we will not meet
    for link in links:
        assert link in message.body  # the plain-text part has the same links
    return links


def on_live_server(link: str, base: str) -> str:
    assert link.startswith(MAIL_ROOT + "/")
    return base + urlsplit(link).path


def ask_followup(match: Match) -> None:
    """Move the clock past the organisation's follow-up day and deliver the questions."""
    result = run_followups(now=match.introduced_at + timedelta(days=14, minutes=1))
    assert result["asked"] >= 1
    deliver_due()
    match.refresh_from_db()
    assert match.status == "followup_asked"


def log_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/staff/")


def html_attrs(page) -> tuple[str, str]:
    return tuple(page.evaluate("[document.documentElement.lang, document.documentElement.dir]"))


def assert_fits(page) -> None:
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1] + 1, f"page scrolls sideways: {widths}"


def test_arabic_newcomer_says_we_met_from_the_followup_mail(live_server, world, new_page, shot):
    base = live_server.url
    match = introduced_match(world, world.uppsala, "0380", newcomer_language="ar", established_language="sv")
    newcomer, established = match.newcomer, match.established
    deliver_due()

    [intro_ar] = mails_to(newcomer, "introduction")
    [intro_sv] = mails_to(established, "introduction")
    assert intro_ar.to == [newcomer.email] and intro_sv.to == [established.email]
    assert re.search(r'<html lang="ar" dir="rtl"', html_of(intro_ar))
    assert re.search(r'<html lang="sv" dir="ltr"', html_of(intro_sv))
    assert (
        established.email in intro_ar.body and newcomer.email in intro_sv.body
    )  # each gets the other's contact

    ask_followup(match)
    [question_ar] = mails_to(newcomer, "followup_question")
    [question_sv] = mails_to(established, "followup_question")
    assert re.search(r'<html lang="ar" dir="rtl"', html_of(question_ar))
    assert re.search(r'<html lang="sv" dir="ltr"', html_of(question_sv))
    met_link, _not_yet, _will_not = answer_links(question_ar)
    answer_links(question_sv)

    page = new_page(*PHONE)
    response = page.goto(on_live_server(met_link, base))
    assert response.status == 200
    assert html_attrs(page) == ("ar", "rtl")
    assert page.evaluate("getComputedStyle(document.querySelector('main h1')).direction") == "rtl"
    h1 = page.locator("main h1").bounding_box()
    assert h1["x"] + h1["width"] > PHONE[0] - 60  # right to left: the heading starts on the right
    assert page.locator("main form textarea[name=comment]").count() == 1
    assert page.locator("main form button[type=submit]").count() == 1
    assert_fits(page)
    shot(page, "30-followup-met-phone-ar")

    # Opening the link (as a mail scanner would) records nothing: only the button does.
    match.refresh_from_db()
    followup = FollowUp.objects.get(match=match, participant=newcomer)
    assert match.status == "followup_asked" and match.met_at is None and followup.answer == ""

    page.fill("main form textarea[name=comment]", "التقينا في المكتبة وشربنا القهوة.")
    shot(page, "31-followup-comment-phone-ar")
    page.click("main form button[type=submit]")  # a fresh browser: the page's CSRF cookie lets it post
    page.wait_for_load_state()
    assert html_attrs(page) == ("ar", "rtl")
    assert page.locator("main form textarea[name=comment]").count() == 0
    assert_fits(page)
    shot(page, "32-followup-commented-phone-ar")
    match.refresh_from_db()
    assert match.status == "met" and match.met_at is not None
    met_at = match.met_at
    followup.refresh_from_db()
    assert followup.answer == Answer.MET
    answered_at = followup.answered_at
    assert followup.comment == "التقينا في المكتبة وشربنا القهوة."

    # the same link again: the answer page says we have it already, nothing changes
    response = page.goto(on_live_server(met_link, base))
    assert response.status == 200
    assert html_attrs(page) == ("ar", "rtl")
    shot(page, "33-followup-met-again-phone-ar")
    match.refresh_from_db()
    followup.refresh_from_db()
    assert match.status == "met" and match.met_at == met_at
    assert followup.answer == Answer.MET and followup.answered_at == answered_at
    assert followup.comment == "التقينا في المكتبة وشربنا القهوة."
    assert not Task.objects.exists()

    # a tampered link: a friendly page, no stack trace, nothing changes
    token = urlsplit(met_link).path.split("/")[2]
    tampered = f"{base}/f/{token[:-3]}{'xyz' if not token.endswith('xyz') else 'abc'}/"
    response = page.goto(tampered)
    assert response.status == 400
    assert page.locator("main h1").count() == 1
    text = page.inner_text("body")
    assert "Traceback" not in text and "Exception" not in text and "BadSignature" not in text
    assert_fits(page)
    shot(page, "34-followup-tampered-link-phone")
    match.refresh_from_db()
    assert match.status == "met"


def test_will_not_meet_in_swedish_becomes_a_task_for_the_danderyd_coordinator(
    live_server, world, new_page, shot
):
    base = live_server.url
    match = introduced_match(world, world.danderyd, "0162", newcomer_language="ar", established_language="sv")
    newcomer, established = match.newcomer, match.established
    deliver_due()
    assert len(mails_to(established, "introduction")) == 1
    ask_followup(match)
    [question_sv] = mails_to(established, "followup_question")
    assert re.search(r'<html lang="sv" dir="ltr"', html_of(question_sv))
    _met, _not_yet, will_not_link = answer_links(question_sv)

    page = new_page(*PHONE)
    response = page.goto(on_live_server(will_not_link, base))
    assert response.status == 200
    assert html_attrs(page) == ("sv", "ltr")
    assert_fits(page)
    shot(page, "35-followup-will-not-meet-phone-sv")
    assert not Task.objects.exists()  # opening the link decides nothing
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert html_attrs(page) == ("sv", "ltr")
    match.refresh_from_db()
    assert match.status == "escalated"
    task = Task.objects.get()
    assert task.kind == TaskKind.WILL_NOT_MEET and task.participant == established
    assert task.region == world.danderyd and list(Task.objects.about(match)) == [task] and task.is_open

    # twice: the same page, still one task
    response = page.goto(on_live_server(will_not_link, base))
    assert response.status == 200 and html_attrs(page) == ("sv", "ltr")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert Task.objects.count() == 1

    # the Uppsala coordinator does not see the task, not even by its address
    uppsala = new_page(*DESKTOP)
    log_in(uppsala, base, world.uppsala_coordinator.username)
    uppsala.click("nav.staff a[href='/staff/tasks/']")
    uppsala.wait_for_url(f"{base}/staff/tasks/")
    assert uppsala.locator(f"a[href='/staff/tasks/{task.uid}/']").count() == 0
    assert established.full_name not in uppsala.inner_text("main")
    shot(uppsala, "36-tasks-uppsala-desktop")
    response = uppsala.goto(f"{base}/staff/tasks/{task.uid}/")
    assert response.status == 404

    # the Danderyd coordinator sees it, opens it and logs a re-match
    staff = new_page(*DESKTOP)
    log_in(staff, base, world.danderyd_coordinator.username)
    staff.click("nav.staff a[href='/staff/tasks/']")
    staff.wait_for_url(f"{base}/staff/tasks/")
    link = staff.locator(f"main table a[href='/staff/tasks/{task.uid}/']")
    assert link.count() == 1
    assert established.full_name in staff.locator("main table tbody").inner_text()
    shot(staff, "37-tasks-danderyd-desktop")
    link.click()
    staff.wait_for_url(f"{base}/staff/tasks/{task.uid}/")
    assert established.email in staff.inner_text("main")
    staff.check("input[name=outcome][value=rematch]")
    staff.fill("textarea[name=note]", "Ringde Britt: de bor för långt ifrån varandra. Ny matchning.")
    shot(staff, "38-task-detail-desktop")
    staff.click("main form.resolve button[type=submit]")
    staff.wait_for_url(f"{base}/staff/tasks/")
    assert staff.locator("ul.messages li.success").count() == 1
    assert staff.locator(f"a[href='/staff/tasks/{task.uid}/']").count() == 0
    shot(staff, "39-tasks-after-rematch-desktop")

    task.refresh_from_db()
    assert task.outcome == "rematch" and task.resolved_by == world.danderyd_coordinator and task.resolved_at
    match.refresh_from_db()
    assert match.status == "ended" and match.ended_at is not None
    established.friend_matching.refresh_from_db()
    newcomer.friend_matching.refresh_from_db()
    assert established.friend_matching.status == "waiting" and established.friend_matching.rematch_priority
    assert newcomer.friend_matching.status == "waiting" and not newcomer.friend_matching.rematch_priority

    # the task page on a phone, done
    phone = new_page(*PHONE)
    log_in(phone, base, world.danderyd_coordinator.username)
    phone.goto(f"{base}/staff/tasks/{task.uid}/")
    assert_fits(phone)
    shot(phone, "40-task-done-phone")
