"""Accessibility of every page a participant or a coordinator uses (issue 9): axe-core finds no serious or
critical violation and no page scrolls sideways, in English and Arabic, at desktop and phone width; the
sign-up form is reached through a short keyboard path.

The pages are a table (PAGES) of URL builders over one generated site: a page added later gets one line.
One browser, one context per language and width, one tab reused for every page.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.urls import reverse

from kompis.core.links import LANGUAGE_CHOSEN_COOKIE
from tests.browser.a11y import axe_violations, sideways_overflow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

LANGUAGES = ("en", "ar")
WIDTHS = ((1280, 900), (390, 844))
DEMO_PASSWORD = "kompis-demo"


@dataclass
class Site:
    """The demo organisation (generated people) and one object of each kind the pages show."""

    org: Any
    admin: Any
    viewer: Any
    region: Any
    project: Any
    waiting: Any  # a waiting newcomer
    established: Any  # a waiting established participant
    pending: Any  # signed up, e-mail not confirmed
    left: Any  # withdrawn
    run: Any
    match: Any
    task: Any
    followup: Any


def path(url: str) -> str:
    return urlsplit(url).path


@dataclass(frozen=True)
class Page:
    name: str
    url: Callable[[Site], str]
    staff: bool = False
    #: a button to press after the checks; the page it leads to is checked as "<name>, after pressing"
    press: str | None = None
    #: fills in the form before the button is pressed: prepare(tab, site)
    prepare: Callable[[Any, Site], None] | None = None


def _confirm(s: Site) -> str:
    from kompis.participants.services import confirmation_url

    return path(confirmation_url(s.pending))


def _me(person_attr: str) -> Callable[[Site], str]:
    def build(s: Site) -> str:
        from kompis.participants.services import self_service_url

        return path(self_service_url(getattr(s, person_attr)))

    return build


def _answer(s: Site) -> str:
    from kompis.followup.services import answer_url

    return path(answer_url(s.followup, "met"))


def _reset(s: Site) -> str:
    from kompis.accounts.services import RESET, password_link

    return path(password_link(s.viewer, RESET))


def _choose_import_file(tab: Any, s: Site) -> None:
    """The import template (header and a valid example row) and a row with only an id (rejected)."""
    from kompis.participants.import_files import template_file

    content, _name, _type = template_file("csv", user=s.admin)
    text = content.decode("utf-8-sig").rstrip("\r\n")
    width = len(text.splitlines()[0].split(","))
    broken = "\r\n" + ",".join(["x-1", *[""] * (width - 1)]) + "\r\n"
    file = {"name": "people.csv", "mimeType": "text/csv", "buffer": (text + broken).encode()}
    tab.set_input_files("main input[type=file]", files=[file])


PAGES: list[Page] = [
    # participants (no login)
    Page("sign-up", lambda s: reverse("public:signup", args=[s.org.slug])),
    Page("sign-up thanks", lambda s: reverse("public:signup_thanks", args=[s.org.slug])),
    Page("confirm e-mail", _confirm),
    Page("own page (/me/)", _me("waiting")),
    Page("fresh link request", lambda s: reverse("public:request_link", args=[s.org.slug])),
    Page("follow-up answer", _answer, press="main form button[type=submit]"),
    Page("you have left", _me("left")),
    # staff, logged out
    Page("log in", lambda s: reverse("accounts:login")),
    Page("forgot password", lambda s: reverse("accounts:password_reset")),
    Page("set a new password", _reset),
    # staff, logged in as the organisation admin (who sees every page a coordinator sees, and more)
    Page("staff home", lambda s: reverse("core:staff_home"), staff=True),
    Page("participant list", lambda s: reverse("participants:list"), staff=True),
    Page("participant detail", lambda s: reverse("participants:detail", args=[s.waiting.uid]), staff=True),
    Page("participant edit", lambda s: reverse("participants:edit", args=[s.waiting.uid]), staff=True),
    Page("add participant", lambda s: reverse("participants:add"), staff=True),
    Page(
        "import",
        lambda s: reverse("participants:import"),
        staff=True,
        press="main form button[type=submit]",
        prepare=_choose_import_file,
    ),
    Page("matching runs", lambda s: reverse("matching:runs"), staff=True),
    Page("run proposals", lambda s: reverse("matching:run_detail", args=[s.run.uid]), staff=True),
    Page("manual match", lambda s: reverse("matching:manual"), staff=True),
    Page(
        "manual match, a pair chosen",
        lambda s: f"{reverse('matching:manual')}?newcomer={s.waiting.uid}&established={s.established.uid}",
        staff=True,
    ),
    Page("waiting pool", lambda s: reverse("matching:pool"), staff=True),
    Page("matches", lambda s: reverse("matching:matches"), staff=True),
    Page("matching settings", lambda s: reverse("matching:settings"), staff=True),
    Page("work list", lambda s: reverse("worklist:tasks"), staff=True),
    Page("task", lambda s: reverse("worklist:task", args=[s.task.uid]), staff=True),
    Page("likely duplicates", lambda s: reverse("participants:duplicates"), staff=True),
    Page(
        "merge two records",
        lambda s: (
            reverse("participants:duplicate_merge", args=[s.established.uid]) + f"?keep={s.waiting.uid}"
        ),
        staff=True,
    ),
    Page("match timeline", lambda s: reverse("followup:match", args=[s.match.uid]), staff=True),
    Page("reports dashboard", lambda s: reverse("reports:dashboard"), staff=True),
    Page("reports by municipality", lambda s: reverse("reports:municipality"), staff=True),
    Page("theory of change", lambda s: reverse("reports:theory"), staff=True),
    Page("organisation", lambda s: reverse("organisations:settings"), staff=True),
    Page("organisation settings", lambda s: reverse("organisations:edit"), staff=True),
    Page("new region", lambda s: reverse("organisations:region_new"), staff=True),
    Page("region", lambda s: reverse("organisations:region_edit", args=[s.region.uid]), staff=True),
    Page("new project", lambda s: reverse("organisations:project_new"), staff=True),
    Page("project", lambda s: reverse("organisations:project_edit", args=[s.project.uid]), staff=True),
    Page("staff", lambda s: reverse("team:list"), staff=True),
    Page("invite staff", lambda s: reverse("team:invite"), staff=True),
    Page("staff member", lambda s: reverse("team:detail", args=[s.viewer.uid]), staff=True),
]


@pytest.fixture
def site(db) -> Site:
    from kompis.accounts.models import User
    from kompis.demo import build as demo
    from kompis.demo.organisation import ORG_SLUG
    from kompis.followup.models import FollowUp
    from kompis.followup.services import ask_due_followups, record_answer
    from kompis.matching.models import Match, MatchStatus
    from kompis.matching.runs import run_inline
    from kompis.organisations.models import Organisation
    from kompis.participants.models import Participant
    from kompis.worklist.models import Task

    demo.create_demo(seed=1, participants=300)
    org = Organisation.objects.get(slug=ORG_SLUG)
    admin = User.objects.get(username="admin@demo.kompis")
    region = org.regions.get(name="Uppsala")
    run = run_inline(actor=admin, organisation=org, region=region, name="Autumn intake")
    people = Participant.objects.filter(organisation=org)
    introduced = list(Match.objects.filter(organisation=org, status=MatchStatus.INTRODUCED).order_by("id"))
    match, declined = introduced[0], introduced[1]
    ask_due_followups(now=max(m.introduced_at for m in introduced) + timedelta(days=15))
    followup = FollowUp.objects.filter(match=match).order_by("id").first()
    assert followup is not None
    # "we will not meet" opens a task for the coordinator: the task list has a row to show
    record_answer(followup=FollowUp.objects.filter(match=declined).order_by("id")[0], answer="will_not_meet")
    task = Task.objects.filter(organisation=org, resolved_at=None).order_by("id").first()
    assert task is not None
    proposed = run.proposals.values_list("newcomer_id", "established_id")
    busy = {pk for pair in proposed for pk in pair}
    return Site(
        org=org,
        admin=admin,
        viewer=User.objects.get(username="viewer@demo.kompis"),
        region=region,
        project=org.projects.order_by("id").first(),
        waiting=people.filter(friend_matching__status="waiting", friend_matching__role="newcomer")
        .exclude(pk__in=busy)
        .order_by("id")
        .first(),
        established=people.filter(friend_matching__status="waiting", friend_matching__role="established")
        .exclude(pk__in=busy)
        .first(),
        pending=people.filter(friend_matching__status="pending").order_by("id").first(),
        left=people.filter(friend_matching__status="withdrawn").order_by("id").first(),
        run=run,
        match=match,
        task=task,
        followup=followup,
    )


def _log_in(tab: Any, base: str, username: str) -> None:
    tab.goto(f"{base}{reverse('accounts:login')}")
    tab.fill("input[name=username]", username)
    tab.fill("input[name=password]", DEMO_PASSWORD)
    tab.click("main button[type=submit]")
    tab.wait_for_url(f"{base}{reverse('core:staff_home')}")


def _context(browser: Any, base: str, language: str, width: int, height: int) -> Any:
    context = browser.new_context(viewport={"width": width, "height": height}, locale="sv-SE")
    context.set_default_timeout(15_000)
    context.add_cookies(
        [
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base},
            {"name": LANGUAGE_CHOSEN_COOKIE, "value": "1", "url": base},
        ]
    )
    return context


def test_every_page_passes_axe_and_fits_a_phone_in_english_and_arabic(live_server, browser, site):
    """axe-core: no serious or critical violation; at 390 px (and 1280 px) nothing scrolls sideways."""
    base = live_server.url
    problems: list[str] = []
    started = time.monotonic()
    for language in LANGUAGES:
        for width, height in WIDTHS:
            context = _context(browser, base, language, width, height)
            tab = context.new_page()
            logged_in = False
            for page in PAGES:
                if page.staff and not logged_in:
                    _log_in(tab, base, site.admin.username)
                    logged_in = True
                where = f"{page.name} [{language}, {width}px]"
                response = tab.goto(base + page.url(site))
                if response is None or response.status != 200:
                    problems.append(f"{where}: HTTP {response.status if response else '?'} for {tab.url}")
                    continue
                problems += _check(tab, where, language)
                if page.press:
                    if page.prepare:
                        page.prepare(tab, site)
                    with tab.expect_navigation():
                        tab.click(page.press)
                    problems += _check(tab, f"{page.name}, after pressing [{language}, {width}px]", language)
            context.close()
    print(
        f"{len(PAGES)} pages × {len(LANGUAGES)} languages × {len(WIDTHS)} widths in "
        f"{time.monotonic() - started:.1f} s"
    )
    assert not problems, f"{len(problems)} accessibility problems:\n" + "\n".join(problems)


def _check(tab: Any, where: str, language: str) -> list[str]:
    problems = []
    lang = tab.evaluate("document.documentElement.lang")
    if lang != language:
        problems.append(f"{where}: the page is in {lang!r}, not {language!r}")
    problems += [f"{where}: {v}" for v in axe_violations(tab)]
    problems += [f"{where}: scrolls sideways: {what}" for what in sideways_overflow(tab)]
    return problems


# --- the keyboard path through the sign-up form --------------------------------------------------------

#: Tab presses from the first field to the Submit button (it was 88 before the long lists were folded)
MAX_TABS_TO_SUBMIT = 40


def test_signup_reaches_submit_in_few_tab_presses(live_server, browser, world):
    base = live_server.url
    for language in LANGUAGES:
        context = _context(browser, base, language, 1280, 900)
        tab = context.new_page()
        tab.goto(f"{base}{reverse('public:signup', args=[world.org.slug])}")
        assert tab.evaluate("document.documentElement.lang") == language
        first = tab.locator("main form input:not([type=hidden]), main form select, main form textarea").first
        first.focus()
        presses = 0
        while not tab.evaluate("document.activeElement.matches('main form > button[type=submit]')"):
            tab.keyboard.press("Tab")
            presses += 1
            assert presses <= 200, "Tab never reached the Submit button"
        assert presses <= MAX_TABS_TO_SUBMIT, f"{presses} Tab presses to Submit in {language}"
        context.close()


# --- wide tables on a phone ----------------------------------------------------------------------------

_SCROLL_TO_END_JS = """
(box) => {
  const rtl = getComputedStyle(box).direction === 'rtl';
  box.scrollLeft = rtl ? -box.scrollWidth : box.scrollWidth;
  const outer = box.getBoundingClientRect();
  const first = box.querySelector('tbody tr > :first-child').getBoundingClientRect();
  const last = box.querySelector('tbody tr > :last-child').getBoundingClientRect();
  return {
    scrolled: Math.abs(box.scrollLeft),
    // the first column still touches the box's start edge; the last column is now inside the box
    firstAtStart: rtl ? Math.abs(first.right - outer.right) < 2 : Math.abs(first.left - outer.left) < 2,
    lastInside: last.left >= outer.left - 1 && last.right <= outer.right + 1,
  };
}
"""


@pytest.mark.parametrize("language", LANGUAGES)
def test_wide_tables_scroll_in_their_box_with_the_first_column_in_view(live_server, browser, site, language):
    base = live_server.url
    context = _context(browser, base, language, 390, 844)
    tab = context.new_page()
    _log_in(tab, base, site.admin.username)
    for url, box in [
        (reverse("participants:list"), "#results .table-wrap"),
        (reverse("reports:dashboard"), "#t-summary .rep-tablebox"),
    ]:
        tab.goto(base + url)
        region = tab.locator(box)
        assert region.get_attribute("role") == "region" and region.get_attribute("aria-label")
        assert tab.evaluate("document.documentElement.scrollWidth <= innerWidth")
        assert region.evaluate("b => b.scrollWidth > b.clientWidth"), (
            f"{url}: the table fits; nothing to test"
        )
        # the keyboard reaches the box and scrolls it
        region.focus()
        assert region.evaluate("b => b === document.activeElement")
        tab.keyboard.press("ArrowLeft" if language == "ar" else "ArrowRight")
        tab.wait_for_function("b => Math.abs(b.scrollLeft) > 0", arg=region.element_handle())
        outcome = region.evaluate(_SCROLL_TO_END_JS)
        assert outcome == {"scrolled": outcome["scrolled"], "firstAtStart": True, "lastInside": True}, url
        assert outcome["scrolled"] > 0
    context.close()
