"""The matching review in a real browser: a coordinator runs matching for Uppsala, rejects, chooses another
partner, approves one and approves the rest of the page; the database and the outbox show the outcome."""

from __future__ import annotations

import pytest

from kompis.matching.models import ExcludedPair, Match, MatchingRun, Proposal, ProposalState
from kompis.outbox.models import OutboxMessage
from tests.factories import PASSWORD, ParticipantFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = (390, 844)
DESKTOP = (1280, 900)


@pytest.fixture(scope="module", autouse=True)
def _compiled_matching_engine():
    """Compile (or load from numba's cache) the matching kernels before the browser's clock starts."""
    from kompis.matching.engine.warmup import warm_up

    warm_up()


@pytest.fixture
def uppsala_pool(world):
    """Six waiting newcomers and seven waiting established in Uppsala who can all meet (shared language,
    same municipality or digital); the seventh established is left over, free to be chosen by staff."""
    newcomers = [
        ParticipantFactory(
            organisation=world.org,
            region=world.uppsala,
            role="newcomer",
            first_name=f"Nyanländ{i}",
            last_name="Testsson",
            municipality_id="0380" if i % 2 else "0305",
            meeting_mode="either" if i % 2 else "digital",
            languages=["ar", "en"],
            interests=["fika", "football"] if i % 3 else ["cooking", "walks"],
            birth_year=1975 + 3 * i,
            preferred_language="ar",
        )
        for i in range(6)
    ]
    established = [
        ParticipantFactory(
            organisation=world.org,
            region=world.uppsala,
            role="established",
            first_name=f"Etablerad{i}",
            last_name="Provsson",
            municipality_id="0380",
            meeting_mode="either" if i % 2 else "digital",
            languages=["sv", "en"],
            interests=["fika", "cooking"] if i % 2 else ["football", "walks"],
            birth_year=1970 + 4 * i,
            preferred_language="sv",
        )
        for i in range(7)
    ]
    return newcomers, established


def log_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/staff/")


def proposal_rows(page):
    return page.locator("table tbody tr[id^=proposal-]")


def row_uid(row) -> str:
    return row.get_attribute("id").removeprefix("proposal-")


def test_coordinator_reviews_a_matching_run(live_server, world, uppsala_pool, new_page, shot):
    base = live_server.url
    page = new_page(*DESKTOP)
    log_in(page, base, world.uppsala_coordinator.username)

    page.click("nav.staff a[href='/staff/matching/']")
    page.wait_for_url(f"{base}/staff/matching/")
    shot(page, "20-matching-runs-desktop")
    page.select_option("#id_scope", f"region:{world.uppsala.uid}")
    page.fill("#id_name", "Uppsala höst")
    page.click("main form[method=post] button[type=submit]")
    page.wait_for_url(f"{base}/staff/matching/runs/*/")
    run = MatchingRun.objects.get()
    assert page.url == f"{base}/staff/matching/runs/{run.uid}/"
    rows = proposal_rows(page)
    assert rows.count() == 6
    first = rows.first
    # both profiles side by side, a score and the reasons
    assert first.locator("td").nth(1).locator("a[href^='/staff/participants/']").count() == 1
    assert first.locator("td").nth(2).locator("a[href^='/staff/participants/']").count() == 1
    assert first.locator("td").nth(3).inner_text().strip()
    assert first.locator("ul.reasons li").count() >= 1
    shot(page, "21-run-review-desktop")

    # reject one proposal, with a reason
    rejected = Proposal.objects.get(uid=row_uid(rows.nth(0)))
    row = page.locator(f"#proposal-{rejected.uid}")
    row.locator("details summary").nth(0).click()
    row.locator("input[name=reason]").fill("Känner varandra redan")
    shot(page, "22-run-reject-open-desktop")
    row.locator("form[action$='/reject/'] button[type=submit]").click()
    # htmx swaps the row in place: it says what happened and the page does not reload
    row = page.locator(f"#proposal-{rejected.uid}")
    row.locator("ul.messages li.success").wait_for()
    assert row.locator(".badge.withdrawn").count() == 1  # "rejected"
    assert row.locator("form[action$='/approve/']").count() == 0
    shot(page, "23-run-after-reject-desktop")
    page.reload()
    assert page.locator(f"#proposal-{rejected.uid}").count() == 0  # the list shows open proposals only
    assert proposal_rows(page).count() == 5
    rejected.refresh_from_db()
    assert rejected.state == ProposalState.REJECTED and rejected.reject_reason == "Känner varandra redan"

    # choose another partner: the left-over established person
    proposed_established = set(Proposal.objects.filter(run=run).values_list("established_id", flat=True))
    spare = next(e for e in uppsala_pool[1] if e.pk not in proposed_established)
    replaced = Proposal.objects.get(uid=row_uid(proposal_rows(page).nth(0)))
    row = page.locator(f"#proposal-{replaced.uid}")
    row.locator("details summary").nth(1).click()
    row.locator("details a[href$='?for=newcomer']").click()
    candidates = row.locator(f"#cand-{replaced.uid} table tbody tr")
    candidates.first.wait_for()
    choice = candidates.filter(has_text=spare.full_name)
    assert choice.count() == 1
    shot(page, "24-run-candidates-desktop")
    choice.locator("form[action$='/choose/'] button[type=submit]").click()
    page.wait_for_load_state()
    replaced.refresh_from_db()
    assert replaced.state == ProposalState.SUPERSEDED
    chosen = Proposal.objects.get(
        run=run, newcomer=replaced.newcomer, established=spare, state=ProposalState.PROPOSED
    )
    assert chosen.chosen_by_staff
    assert page.locator(f"#proposal-{chosen.uid}").count() == 1
    assert proposal_rows(page).count() == 5
    shot(page, "25-run-after-choose-desktop")

    # approve one proposal
    single = Proposal.objects.get(uid=row_uid(proposal_rows(page).nth(1)))
    page.locator(f"#proposal-{single.uid} form[action$='/approve/'] button[type=submit]").click()
    page.locator(f"#proposal-{single.uid} ul.messages li.success").wait_for()
    page.reload()
    assert page.locator(f"#proposal-{single.uid}").count() == 0
    assert proposal_rows(page).count() == 4
    shot(page, "26-run-after-approve-desktop")
    single.refresh_from_db()
    assert single.state == ProposalState.APPROVED

    # phone width: the review page does not scroll sideways
    phone = new_page(*PHONE)
    log_in(phone, base, world.uppsala_coordinator.username)
    phone.goto(f"{base}/staff/matching/runs/{run.uid}/")
    assert proposal_rows(phone).count() == 4
    shot(phone, "27-run-review-phone")
    widths = phone.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1] + 1, f"the review page scrolls sideways on a phone: {widths}"
    # the cards fit: every decision control is on screen without scrolling the table sideways
    for button in phone.locator("table tbody form[action$='/approve/'] button").all():
        box = button.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE[0], box
    reasons = phone.locator("table tbody ul.reasons").first.bounding_box()
    assert reasons["x"] + reasons["width"] <= PHONE[0], reasons

    # approve all on this page
    rest = [row_uid(r) for r in proposal_rows(page).all()]
    page.click(f"main form[action='/staff/matching/runs/{run.uid}/approve/'] button[type=submit]")
    page.wait_for_load_state()
    assert proposal_rows(page).count() == 0
    shot(page, "28-run-after-approve-all-desktop")
    page.click("a[href='?state=approved']")
    page.wait_for_load_state()
    assert proposal_rows(page).count() == 5
    shot(page, "29-run-approved-desktop")

    approved = list(Proposal.objects.filter(run=run, state=ProposalState.APPROVED))
    assert {str(p.uid) for p in approved} == {str(single.uid), *rest}
    assert str(chosen.uid) in rest
    matches = list(Match.objects.all())
    assert len(matches) == 5
    assert {m.proposal_id for m in matches} == {p.pk for p in approved}
    assert all(m.status == "introduced" and m.introduced_at for m in matches)
    assert ExcludedPair.objects.filter(newcomer=rejected.newcomer, established=rejected.established).exists()
    assert not Match.objects.filter(newcomer=rejected.newcomer, established=rejected.established).exists()

    intros = OutboxMessage.objects.filter(template="introduction")
    for m in matches:
        for person in (m.newcomer, m.established):
            mine = intros.filter(participant=person)
            assert mine.count() == 1, person
            assert mine.get().dedupe_key == f"introduction:{m.uid}:{person.uid}"
            assert mine.get().language == person.preferred_language
    assert intros.count() == 10
    for person in (rejected.newcomer, rejected.established):
        assert not intros.filter(participant=person).exists()


@pytest.fixture
def long_review(world, monkeypatch):
    """A run with 10 open proposals, 4 per page, so that page 2 and scrolling matter."""
    from kompis.matching import runs, selectors, views

    monkeypatch.setattr(selectors, "REVIEW_PAGE_SIZE", 4)
    monkeypatch.setattr(views, "PAGE_SIZE", 4)
    for i in range(10):
        for role in ("newcomer", "established"):
            ParticipantFactory(
                organisation=world.org,
                region=world.uppsala,
                role=role,
                first_name=f"{role.title()}{i}",
                last_name="Lång",
                languages=["sv", "ar"],
                birth_year=1960 + 2 * i,
            )
    run = runs.run_inline(actor=world.admin, organisation=world.org, region=world.uppsala)
    assert run.proposals.count() == 10
    return run


def test_review_stays_in_place_after_approving(live_server, world, long_review, new_page, shot):
    """Issue 9: after approving, the coordinator is where they were (same page, same filter), with and
    without JavaScript."""
    base, run = live_server.url, long_review
    page = new_page(*PHONE)
    log_in(page, base, world.uppsala_coordinator.username)
    url = f"{base}/staff/matching/runs/{run.uid}/?state=proposed&page=2"
    page.goto(url)
    rows = proposal_rows(page)
    assert rows.count() == 4
    target, following = row_uid(rows.nth(1)), row_uid(rows.nth(2))
    page.locator(f"#proposal-{target} form[action$='/approve/'] button").scroll_into_view_if_needed()
    page.evaluate("window.scrollBy(0, 120)")
    before = page.evaluate("window.scrollY")
    assert before > 300, "the row should be well down the page"
    page.locator(f"#proposal-{target} form[action$='/approve/'] button").click()
    message = page.locator(f"#proposal-{target} ul.messages li.success")
    message.wait_for()
    assert page.url == url  # no navigation: same page, same filter
    assert abs(page.evaluate("window.scrollY") - before) < 150, "the page jumped"
    # focus moves into the decided row once the swapped-in row has settled (a moment after the message shows)
    page.wait_for_function(
        "id => document.activeElement && document.activeElement.closest('tr')"
        " && document.activeElement.closest('tr').id === id",
        arg=f"proposal-{target}",
        timeout=5000,
    )
    box = page.locator(f"#proposal-{following}").bounding_box()
    assert box["y"] < PHONE[1], "the next proposal is right below the decided one"
    shot(page, "30-review-after-approve-in-place-phone")
    assert Proposal.objects.get(uid=target).state == ProposalState.APPROVED

    # without JavaScript: the plain form posts and comes back to page 2 at the next proposal
    context = page.context.browser.new_context(
        viewport={"width": PHONE[0], "height": PHONE[1]}, java_script_enabled=False
    )
    try:
        plain = context.new_page()
        log_in(plain, base, world.uppsala_coordinator.username)
        plain.goto(url)
        rows = proposal_rows(plain)
        target, following = row_uid(rows.nth(1)), row_uid(rows.nth(2))
        plain.locator(f"#proposal-{target} form[action$='/approve/'] button").click()
        plain.wait_for_load_state()
        assert plain.url == f"{url}#proposal-{following}"
        assert plain.locator(f"#proposal-{target}").count() == 0
        assert plain.evaluate("window.scrollY") > 300
        box = plain.locator(f"#proposal-{following}").bounding_box()
        assert -2 <= box["y"] < PHONE[1] / 2, box  # scrolled to the anchor
        shot(plain, "31-review-after-approve-no-js-phone")
    finally:
        context.close()


def test_run_page_follows_a_background_run_until_its_proposals_are_there(
    live_server, world, uppsala_pool, new_page, settings, shot
):
    """The run is queued by the page; a worker (here: the test) runs it; the open page polls and then
    shows the proposals without anyone reloading it."""
    from kompis.matching.tasks import execute_matching_run

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    base = live_server.url
    page = new_page(*DESKTOP)
    log_in(page, base, world.uppsala_coordinator.username)
    page.goto(f"{base}/staff/matching/")
    page.select_option("#id_scope", f"region:{world.uppsala.uid}")
    page.click("main form[method=post] button[type=submit]")
    page.wait_for_url(f"{base}/staff/matching/runs/*/")
    run = MatchingRun.objects.get()
    assert run.status == "queued"
    assert page.locator("#run-progress-live progress").count() == 1
    shot(page, "32-run-queued-desktop")
    execute_matching_run.call(run.pk)
    proposal_rows(page).first.wait_for(timeout=15_000)  # the poll saw the run finish and reloaded the page
    assert proposal_rows(page).count() == 6
    assert page.url == f"{base}/staff/matching/runs/{run.uid}/"
