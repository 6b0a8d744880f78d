"""The access matrix: every staff URL, every persona.

Staff URLs are discovered from the URL resolver, so a URL added later under /staff/ makes
`test_every_staff_url_is_classified` fail until someone decides its access rule in EXPECTATIONS.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from kompis.audit.models import AuditEvent
from kompis.participants.models import Note
from tests.factories import ParticipantFactory

ANY_STAFF = "any_staff"  # admin, coordinator, viewer (aggregated figures only)
PEOPLE = "people"  # admin and coordinator: pages that show persons
ORG_ADMIN = "org_admin"  # organisation admins only


@dataclass(frozen=True)
class Rule:
    access: str
    method: str = "GET"
    obj: str | None = None  # the kind of object the URL's uuid argument names: participant, run, proposal
    kwargs: dict[str, str] = field(default_factory=dict)  # fixed values for the other URL arguments
    # POST body for a request that would succeed; a value "@kind" is replaced by that object's uid in scope
    data: dict[str, str] = field(default_factory=dict)
    # the status when reached, where it is not the usual (a GET: 200; a POST: 200 or a redirect)
    ok: tuple[int, ...] = ()


def _future() -> str:
    return (timezone.localdate() + timedelta(days=30)).isoformat()


EXPECTATIONS: dict[str, Rule] = {
    "core:staff_home": Rule(ANY_STAFF),
    # participants
    "participants:list": Rule(PEOPLE),
    "participants:add": Rule(PEOPLE),
    "participants:detail": Rule(PEOPLE, obj="participant"),
    "participants:edit": Rule(PEOPLE, obj="participant"),
    "participants:pause": Rule(PEOPLE, "POST", obj="participant", data={"until": "@future"}),
    "participants:resume": Rule(PEOPLE, "POST", obj="participant"),
    "participants:withdraw": Rule(PEOPLE, "POST", obj="participant", data={"reason": "moved away"}),
    "participants:note": Rule(PEOPLE, "POST", obj="participant", data={"text": "Called, all fine."}),
    "participants:import": Rule(PEOPLE),
    "participants:export": Rule(PEOPLE, kwargs={"fmt": "csv"}),
    "participants:import_preview": Rule(PEOPLE, "POST"),
    "participants:import_confirm": Rule(PEOPLE, "POST", data={"mode": "all"}),
    "participants:import_rejected": Rule(PEOPLE, "POST"),
    "participants:import_template": Rule(PEOPLE, kwargs={"fmt": "csv"}),
    # likely duplicates and merging two records (both named in the body; each must be in scope)
    "participants:duplicates": Rule(PEOPLE),
    # the record to merge away in the URL, the one to keep in the body; in the matrix the two have different
    # roles, so the service refuses (400, the page with the reason) after both passed the scope check
    "participants:duplicate_merge": Rule(
        PEOPLE, "POST", obj="participant", data={"keep": "@partner"}, ok=(400,)
    ),
    # organisation (admins only; regions, projects and staff of another organisation are 404)
    "organisations:settings": Rule(ORG_ADMIN),
    "organisations:edit": Rule(ORG_ADMIN),
    "organisations:logo_remove": Rule(ORG_ADMIN, "POST"),
    "organisations:region_new": Rule(ORG_ADMIN),
    "organisations:region_edit": Rule(ORG_ADMIN, obj="region"),
    "organisations:project_new": Rule(ORG_ADMIN),
    "organisations:project_edit": Rule(ORG_ADMIN, obj="project"),
    "team:list": Rule(ORG_ADMIN),
    "team:invite": Rule(ORG_ADMIN),
    "team:detail": Rule(ORG_ADMIN, obj="staff"),
    "team:deactivate": Rule(ORG_ADMIN, "POST", obj="staff"),
    "team:reactivate": Rule(ORG_ADMIN, "POST", obj="staff"),
    "team:resend": Rule(ORG_ADMIN, "POST", obj="staff"),
    # matching
    "matching:runs": Rule(PEOPLE),
    "matching:run_detail": Rule(PEOPLE, obj="run"),
    "matching:run_approve_page": Rule(PEOPLE, "POST", obj="run", data={"proposal": "@proposal"}),
    "matching:proposal_approve": Rule(PEOPLE, "POST", obj="proposal"),
    "matching:proposal_reject": Rule(PEOPLE, "POST", obj="proposal", data={"reason": "not a good fit"}),
    "matching:proposal_candidates": Rule(PEOPLE, obj="proposal"),
    "matching:proposal_choose": Rule(PEOPLE, "POST", obj="proposal", data={"partner": "@partner"}),
    "matching:run_progress": Rule(PEOPLE, obj="run"),
    "matching:pool": Rule(PEOPLE),
    "matching:matches": Rule(PEOPLE),
    "matching:settings": Rule(ORG_ADMIN),
    # manual match and exclusions: the participant in the URL, the partner in the body (both in scope;
    # see test_manual_match_with_a_person_outside_the_scope_is_404 for a foreign partner or query id)
    "matching:manual": Rule(PEOPLE),
    "matching:manual_match": Rule(
        PEOPLE, "POST", obj="participant", data={"partner": "@partner", "override": "language", "reason": "x"}
    ),
    "matching:exclusion_add": Rule(PEOPLE, "POST", obj="participant", data={"partner": "@partner"}),
    "matching:exclusion_remove": Rule(PEOPLE, "POST", obj="participant", data={"partner": "@partner"}),
    # follow-up
    "followup:tasks": Rule(PEOPLE),  # the work list's old address (links in sent mails and bookmarks)
    "followup:task": Rule(PEOPLE, obj="task"),
    # the staff work list (tasks from every activity)
    "worklist:tasks": Rule(PEOPLE),
    "worklist:task": Rule(PEOPLE, obj="task"),
    "worklist:assign": Rule(PEOPLE, "POST", obj="task", data={"take": "1"}),
    "followup:match": Rule(PEOPLE, obj="match"),
    "followup:match_end": Rule(PEOPLE, "POST", obj="match", data={"reason": "moved away"}),
    "followup:mail_resend": Rule(PEOPLE, "POST", obj="mail"),
    # reports: aggregated, suppressed figures for every staff role (viewers included); the theory of change
    # is edited by admins and by coordinators for the projects in their scope
    "reports:dashboard": Rule(ANY_STAFF),
    "reports:download": Rule(ANY_STAFF, kwargs={"fmt": "csv"}),
    "reports:municipality": Rule(ANY_STAFF),
    "reports:theory": Rule(PEOPLE),
    # events: a coordinator's regions and projects; the person to register is named in the body (in scope)
    "events:list": Rule(PEOPLE),
    "events:new": Rule(PEOPLE),
    "events:detail": Rule(PEOPLE, obj="event"),
    "events:register": Rule(PEOPLE, "POST", obj="event", data={"participant": "@participant"}),
    "events:cancel": Rule(PEOPLE, "POST", obj="registration"),
    "events:series_new": Rule(PEOPLE),
    "events:cancel_event": Rule(PEOPLE, "POST", obj="event"),
    "events:move": Rule(PEOPLE, "POST", obj="event"),
    # attendance register (the event is next week: a tick is refused, 400, nothing written) and calendar;
    # feed addresses for the regions in scope
    "event_attendance:register": Rule(PEOPLE, obj="event"),
    "event_attendance:mark": Rule(
        PEOPLE, "POST", obj="event", data={"participant": "@participant", "state": "present"}, ok=(200, 400)
    ),
    "event_calendar:calendar": Rule(PEOPLE),
    "event_calendar:feed_issue": Rule(PEOPLE, "POST", obj="region"),
    "event_calendar:feed_revoke": Rule(PEOPLE, "POST", obj="region"),
    # programmes: a coordinator's regions and projects; the person to enrol is named in the body (in scope)
    "programmes:list": Rule(PEOPLE),
    "programmes:new": Rule(PEOPLE),
    "programmes:cohort_new": Rule(PEOPLE, obj="programme"),
    "programmes:detail": Rule(PEOPLE, obj="programme"),
    "programmes:public_enrolment": Rule(PEOPLE, "POST", obj="programme", data={"open": "1"}),
    # survey results: aggregated for every staff role (free text and exports: admins and coordinators)
    "surveys:wave_results": Rule(ANY_STAFF, obj="wave"),
    "surveys:wave_results_export": Rule(PEOPLE, obj="wave", kwargs={"fmt": "csv"}),
    # survey waves: admins and coordinators (sending names persons); sending a draft survey's wave is refused
    "surveys:waves": Rule(PEOPLE, obj="survey"),
    "surveys:wave_new": Rule(PEOPLE, obj="survey"),
    "surveys:wave": Rule(PEOPLE, obj="wave"),
    "surveys:wave_send": Rule(PEOPLE, "POST", obj="wave"),
    # survey builder: admins and coordinators (a coordinator's regions and projects, or organisation-wide)
    "surveys:list": Rule(PEOPLE),
    "surveys:new": Rule(PEOPLE),
    "surveys:import": Rule(PEOPLE),
    "surveys:bank": Rule(PEOPLE),
    "surveys:survey": Rule(PEOPLE, obj="survey"),
    "surveys:edit": Rule(PEOPLE, obj="survey"),
    "surveys:open": Rule(PEOPLE, "POST", obj="survey"),
    "surveys:close": Rule(PEOPLE, "POST", obj="survey"),
    "surveys:translations": Rule(PEOPLE, obj="survey"),
    "surveys:export": Rule(PEOPLE, obj="survey"),
    "surveys:question_new": Rule(PEOPLE, obj="survey"),
    # the bank is organisation-wide: a bank question is named by its code
    "surveys:bank_add": Rule(PEOPLE, "POST", obj="survey", data={"bank": "has-job"}),
    "surveys:question_edit": Rule(PEOPLE, obj="question"),
    "surveys:question_move": Rule(PEOPLE, "POST", obj="question", data={"direction": "down"}),
    # deletes a question of its own, so that the other question URLs still find theirs
    "surveys:question_delete": Rule(PEOPLE, "POST", obj="spare_question"),
    "surveys:question_to_bank": Rule(PEOPLE, "POST", obj="question", data={"indicator": "Has a job"}),
    # in-depth interviews: names and notes, so admins and coordinators in scope only
    "surveys:interviews": Rule(PEOPLE),
    "surveys:interview_draw": Rule(PEOPLE),
    "surveys:interview_theme_add": Rule(PEOPLE, "POST", data={"code": "work", "label": "Work"}),
    "surveys:interview_sample": Rule(PEOPLE, obj="interview_sample"),
    "surveys:interview_note_add": Rule(PEOPLE, "POST", obj="interview_subject", data={"text": "Talked."}),
    "programmes:cohort": Rule(PEOPLE, obj="cohort"),
    "programmes:enrol": Rule(
        PEOPLE, "POST", obj="cohort", data={"participant": "@partner", "role": "mentor"}
    ),
    "programmes:complete": Rule(PEOPLE, "POST", obj="enrolment"),
    "programmes:drop_out": Rule(PEOPLE, "POST", obj="enrolment", data={"reason": "moved"}),
    # a cohort's sessions (the session's attendance is the event's tick-list above) and the completion rule
    "programmes:session_new": Rule(PEOPLE, obj="cohort"),
    "programmes:session_invite": Rule(PEOPLE, "POST", obj="session", data={"invite": "all"}),
    "programmes:completion_rule": Rule(PEOPLE, "POST", obj="cohort"),
    "programmes:pair_meeting": Rule(PEOPLE, obj="pair"),
    "programmes:pairing_rules": Rule(PEOPLE, obj="programme"),
    "programmes:pairs_propose": Rule(PEOPLE, "POST", obj="cohort"),
    "programmes:pairs_approve_all": Rule(PEOPLE, "POST", obj="cohort"),
    "programmes:pair_approve": Rule(PEOPLE, "POST", obj="pair"),
    "programmes:pair_reject": Rule(PEOPLE, "POST", obj="pair"),
    "programmes:pair_end": Rule(PEOPLE, "POST", obj="pair", data={"reason": "other"}),
    "programmes:choose_mentor": Rule(PEOPLE, "POST", obj="enrolment", data={"mentor": "@enrolment"}),
}

PARAM_RE = re.compile(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>")


def staff_routes() -> dict[str, str]:
    """Every named URL whose route starts with staff/: {"namespace:name": "staff/…/<uuid:x>/"}."""
    found: dict[str, str] = {}

    def walk(patterns: list[Any], prefix: str, namespaces: list[str]) -> None:
        for p in patterns:
            route = prefix + str(p.pattern)
            if isinstance(p, URLResolver):
                walk(p.url_patterns, route, namespaces + ([p.namespace] if p.namespace else []))
            elif isinstance(p, URLPattern) and route.lstrip("^").startswith("staff/"):
                name = ":".join([*namespaces, p.name or f"<unnamed {route}>"])
                found[name] = route

    walk(get_resolver().url_patterns, "", [])
    return found


def test_staff_urls_are_discovered():
    routes = staff_routes()
    assert "participants:detail" in routes and "core:staff_home" in routes


def test_every_staff_url_is_classified():
    routes = staff_routes()
    unclassified = sorted(set(routes) - set(EXPECTATIONS))
    assert not unclassified, (
        f"Staff URLs without an access rule: {unclassified}. Add each to EXPECTATIONS in {__file__}."
    )
    stale = sorted(set(EXPECTATIONS) - set(routes))
    assert not stale, f"EXPECTATIONS lists URLs that no longer exist: {stale}"


class Scope(dict):
    """The objects of one scope (uppsala, danderyd, other organisation): participant, partner, run, proposal."""


def make_scope(org: Any, region: Any, municipality: str, first_name: str, last_name: str) -> Scope:
    from kompis.matching.models import Match, MatchingRun, Proposal
    from kompis.outbox.models import OutboxMessage
    from kompis.worklist.models import Task

    participant = ParticipantFactory(
        organisation=org,
        region=region,
        municipality_id=municipality,
        first_name=first_name,
        last_name=last_name,
    )
    partner = ParticipantFactory(
        organisation=org,
        region=region,
        municipality_id=municipality,
        role="established",
        first_name=f"{first_name}s",
        last_name="Partner",
        languages=["sv", "ar"],
    )
    other_partner = ParticipantFactory(
        organisation=org,
        region=region,
        municipality_id=municipality,
        role="established",
        first_name=f"{first_name}s",
        last_name="Alternative",
        languages=["sv", "ar"],
    )
    run = MatchingRun.objects.create(organisation=org, region=region)
    proposal = Proposal.objects.create(run=run, newcomer=participant, established=partner, score=0.5)
    friend = ParticipantFactory(
        organisation=org,
        region=region,
        municipality_id=municipality,
        role="established",
        first_name=f"{first_name}s",
        last_name="Friend",
        status="matched",
    )
    match = Match.objects.create(
        organisation=org, newcomer=participant, established=friend, mode="digital", status="introduced"
    )
    task = Task.objects.create(
        organisation=org,
        region=region,
        subject=match,
        participant=participant,
        kind="will_not_meet",
        due_on=timezone.localdate(),
    )
    mail = OutboxMessage.objects.create(
        organisation=org,
        participant=participant,
        to_email=participant.email,
        template="signup_confirm",
        language="sv",
        dedupe_key=f"scope:{last_name}",
        message_id=f"<{last_name}@test>",
        state="sent",
    )
    from kompis.accounts.models import Role
    from kompis.organisations.models import Project
    from tests.factories import make_user

    project = Project.objects.create(
        organisation=org,
        region=region,
        name=f"{last_name} project",
        starts_on="2026-01-01",
        ends_on="2026-12-31",
    )
    staff = make_user(f"staff.{last_name.lower()}@kompis.test", org, Role.COORDINATOR)
    staff.regions.set([region])
    from kompis.events.models import Event, EventRegistration

    event = Event.objects.create(
        organisation=org,
        region=region,
        title=f"{last_name} café",
        starts_at=timezone.now() + timedelta(days=7),
        ends_at=timezone.now() + timedelta(days=7, hours=2),
        place="Library",
    )
    registration = EventRegistration.objects.create(event=event, participant=participant)
    from kompis.programmes.models import Cohort, Enrolment, Programme

    programme = Programme.objects.create(organisation=org, region=region, name=f"{last_name} mentorship")
    cohort = Cohort.objects.create(
        programme=programme, name="Spring", starts_on=timezone.localdate(), ends_on="2099-12-31"
    )
    enrolment = Enrolment.objects.create(cohort=cohort, participant=participant, role="mentee")
    from kompis.programmes.models import CohortSession

    session = CohortSession.objects.create(
        cohort=cohort,
        event=Event.objects.create(
            organisation=org,
            region=region,
            title=f"{last_name} group session",
            starts_at=timezone.now() + timedelta(days=7),
            ends_at=timezone.now() + timedelta(days=7, hours=2),
            place="Library",
            public=False,
        ),
    )
    from kompis.programmes.models import MentorPair

    mentor_enrolment = Enrolment.objects.create(cohort=cohort, participant=partner, role="mentor")
    pair = MentorPair.objects.create(
        cohort=cohort,
        mentee=enrolment,
        mentor=mentor_enrolment,
        status="active",
        started_on=timezone.localdate(),
    )
    from kompis.surveys.models import Survey, Wave

    survey = Survey.objects.create(
        organisation=org, region=region, name=f"{last_name} survey", languages=["en"]
    )
    wave = Wave.objects.create(
        survey=survey, name="Final", kind="final", closes_at=timezone.now() + timedelta(days=30)
    )
    from kompis.surveys.models import BankQuestion, Question

    question = Question.objects.create(
        survey=survey, code="job", kind="yes_no", texts={"en": {"text": "Job?"}}
    )
    spare_question = Question.objects.create(survey=survey, code="spare", kind="text", position=1)
    BankQuestion.objects.get_or_create(organisation=org, code="has-job", defaults={"kind": "yes_no"})
    from kompis.surveys.interview_models import InterviewSample, InterviewSubject

    interview_sample = InterviewSample.objects.create(
        organisation=org, cohort=cohort, region=region, strata="role", per_stratum=2, seed=1
    )
    interview_subject = InterviewSubject.objects.create(sample=interview_sample, participant=participant)
    return Scope(
        region=region,
        project=project,
        staff=staff,
        participant=participant,
        run=run,
        proposal=proposal,
        partner=other_partner,
        match=match,
        task=task,
        mail=mail,
        event=event,
        registration=registration,
        programme=programme,
        cohort=cohort,
        enrolment=enrolment,
        session=session,
        pair=pair,
        wave=wave,
        survey=survey,
        question=question,
        spare_question=spare_question,
        interview_sample=interview_sample,
        interview_subject=interview_subject,
    )


def _uid(rule: Rule, scope: Scope | None, name: str) -> Any:
    if scope is None:
        pytest.fail(f"{name}: needs an object of kind {rule.obj}")
    return scope[rule.obj].uid


def url_for(name: str, rule: Rule, scope: Scope | None = None) -> str:
    route = staff_routes()[name]
    kwargs: dict[str, Any] = dict(rule.kwargs)
    for m in PARAM_RE.finditer(route):
        if m["name"] in kwargs:
            continue
        if rule.obj and m["conv"] == "uuid":
            kwargs[m["name"]] = _uid(rule, scope, name)
        else:
            pytest.fail(f"{name}: no value for URL argument {m['name']!r}; extend its Rule")
    return reverse(name, kwargs=kwargs)


def call(client: Any, rule: Rule, url: str, scope: Scope | None = None) -> Any:
    if rule.method != "POST":
        return client.get(url)
    data = {}
    for key, value in rule.data.items():
        if value == "@future":
            value = _future()
        elif value.startswith("@"):
            value = str(scope[value[1:]].uid) if scope is not None else ""
        data[key] = value
    return client.post(url, data)


def snapshot(scope: Scope) -> tuple:
    """Everything a staff action could change about the objects of one scope."""
    from kompis.matching.models import Match
    from kompis.outbox.models import OutboxMessage

    p, proposal, run, match, task = (scope[k] for k in ("participant", "proposal", "run", "match", "task"))
    region, project, staff = (scope[k] for k in ("region", "project", "staff"))
    for obj in (p, proposal, run, match, task, region, project, staff):
        obj.refresh_from_db()
    return (
        region.name,
        sorted(region.municipalities.values_list("code", flat=True)),
        project.name,
        project.ends_on,
        staff.is_active,
        staff.role,
        staff.password,
        region.organisation.name,
        region.organisation.logo_version,
        p.friend_matching.status,  # refresh_from_db above dropped the cached participation
        p.friend_matching.paused_until,
        p.first_name,
        p.updated_at,
        proposal.state,
        proposal.reject_reason,
        proposal.decided_at,
        run.status,
        Note.objects.filter(participant=p).count(),
        AuditEvent.objects.count(),
        Match.objects.count(),
        type(proposal).objects.filter(run=run).count(),
        match.status,
        task.resolved_at,
        OutboxMessage.objects.count(),
    )


@pytest.fixture
def scopes(world) -> dict[str, Scope]:
    return {
        "uppsala": make_scope(world.org, world.uppsala, "0380", "Amal", "Haddad"),
        "danderyd": make_scope(world.org, world.danderyd, "0162", "Karin", "Lind"),
        "other": make_scope(world.other_org, world.other_org.regions.get(), "0380", "Outsider", "Annan"),
    }


@pytest.fixture
def people(scopes) -> dict[str, Any]:
    return {key: scope["participant"] for key, scope in scopes.items()}


NAMES = sorted(EXPECTATIONS)


class Checker:
    """Collects every broken expectation of one persona, so a failure lists all of them at once."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def status(self, response: Any, expected: int | tuple[int, ...], *where: Any) -> None:
        allowed = expected if isinstance(expected, tuple) else (expected,)
        if response.status_code not in allowed:
            self.problems.append(
                f"{' '.join(map(str, where))}: got {response.status_code}, expected {allowed}"
            )

    def unchanged(self, before: tuple, after: tuple, *where: Any) -> None:
        if before != after:
            self.problems.append(f"{' '.join(map(str, where))}: state changed {before} -> {after}")

    def done(self) -> None:
        assert not self.problems, "\n".join(self.problems)


def reached(rule: Rule) -> tuple[int, ...]:
    # a GET shows the page; a POST redirects back (also when the service refuses the action)
    if rule.ok:
        return rule.ok
    return (200,) if rule.method == "GET" else (200, 302)


def test_anonymous_is_sent_to_login(client, scopes):
    check = Checker()
    for name in NAMES:
        rule = EXPECTATIONS[name]
        url = url_for(name, rule, scopes["uppsala"])
        before = snapshot(scopes["uppsala"])
        response = call(client, rule, url, scopes["uppsala"])
        check.status(response, 302, name)
        location = response.get("Location", "")
        if urlsplit(location).path != reverse("accounts:login") or url not in location.replace("%2F", "/"):
            check.problems.append(f"{name}: redirected to {location!r}, not to the login page")
        check.unchanged(before, snapshot(scopes["uppsala"]), name)
    check.done()


def test_viewer_sees_only_overview(client, world, scopes):
    client.force_login(world.viewer)
    check = Checker()
    for name in NAMES:
        rule = EXPECTATIONS[name]
        before = snapshot(scopes["uppsala"])
        response = call(client, rule, url_for(name, rule, scopes["uppsala"]), scopes["uppsala"])
        check.status(response, 200 if rule.access == ANY_STAFF else 403, name)
        check.unchanged(before, snapshot(scopes["uppsala"]), name)
    check.done()


@pytest.mark.parametrize(
    "persona, own, outside",
    [
        ("uppsala_coordinator", "uppsala", ("danderyd", "other")),
        ("danderyd_coordinator", "danderyd", ("uppsala", "other")),
        ("other_coordinator", "other", ("uppsala", "danderyd")),
    ],
)
def test_coordinator_reaches_own_scope_only(client, world, scopes, persona, own, outside):
    """A coordinator: objects of the own region yes; other regions' and organisations' objects are 404."""
    client.force_login(getattr(world, persona))
    check = Checker()
    for name in NAMES:
        rule = EXPECTATIONS[name]
        if rule.access == ORG_ADMIN:
            before = snapshot(scopes[own])
            check.status(call(client, rule, url_for(name, rule, scopes[own]), scopes[own]), 403, name)
            check.unchanged(before, snapshot(scopes[own]), name)
            continue
        if not rule.obj:
            check.status(call(client, rule, url_for(name, rule)), reached(rule), name)
            continue
        for other in outside:
            before = snapshot(scopes[other])
            # the URL names the outside object; the body (if any) names objects the coordinator may see
            response = call(client, rule, url_for(name, rule, scopes[other]), scopes[own])
            check.status(response, 404, name, other)
            check.unchanged(before, snapshot(scopes[other]), name, other)
        response = call(client, rule, url_for(name, rule, scopes[own]), scopes[own])
        check.status(response, reached(rule), name, own)
        own_name = scopes[own]["participant"].full_name
        if rule.obj == "participant" and rule.method == "GET" and own_name not in response.content.decode():
            check.problems.append(f"{name}: own participant's name not shown")
    check.done()


def test_org_admin_reaches_whole_organisation_only(client, world, scopes):
    client.force_login(world.admin)
    check = Checker()
    for name in NAMES:
        rule = EXPECTATIONS[name]
        if not rule.obj:
            check.status(call(client, rule, url_for(name, rule)), reached(rule), name)
            continue
        before = snapshot(scopes["other"])
        check.status(
            call(client, rule, url_for(name, rule, scopes["other"]), scopes["uppsala"]), 404, name, "other"
        )
        check.unchanged(before, snapshot(scopes["other"]), name, "other")
        for inside in ("uppsala", "danderyd"):
            check.status(
                call(client, rule, url_for(name, rule, scopes[inside]), scopes[inside]),
                reached(rule),
                name,
                inside,
            )
    check.done()


def test_list_pages_of_other_organisation_show_none_of_ours(client, world, scopes):
    client.force_login(world.other_coordinator)
    for name in NAMES:
        rule = EXPECTATIONS[name]
        if rule.obj or rule.method != "GET" or rule.access == ORG_ADMIN:
            continue
        html = client.get(url_for(name, rule)).content.decode()
        assert "Amal" not in html and "Karin" not in html, name


def test_logged_in_user_without_organisation_role_is_refused(client, db, django_user_model, scopes):
    nobody = django_user_model.objects.create_user(username="nobody@kompis.test", password="x-Passw0rd-long")
    client.force_login(nobody)
    check = Checker()
    for name in NAMES:
        rule = EXPECTATIONS[name]
        before = snapshot(scopes["uppsala"])
        check.status(call(client, rule, url_for(name, rule, scopes["uppsala"]), scopes["uppsala"]), 403, name)
        check.unchanged(before, snapshot(scopes["uppsala"]), name)
    check.done()


def test_out_of_scope_edit_post_is_404_and_changes_nothing(client, world, scopes):
    client.force_login(world.uppsala_coordinator)
    for outside in ("danderyd", "other"):
        p = scopes[outside]["participant"]
        before = snapshot(scopes[outside])
        response = client.post(
            reverse("participants:edit", args=[p.uid]),
            {
                "role": "newcomer",
                "first_name": "Hacked",
                "last_name": "Name",
                "email": "x@example.org",
                "birth_year": "1990",
                "gender": "woman",
                "municipality": "0380",
                "languages": ["sv"],
                "meeting_mode": "either",
                "capacity": "1",
            },
        )
        assert response.status_code == 404
        assert snapshot(scopes[outside]) == before


def test_manual_match_with_a_person_outside_the_scope_is_404(client, world, scopes):
    """The manual-match page and its POSTs name a second person in the query or body: outside the
    coordinator's scope (another region, another organisation) that is 404 and nothing changes."""
    from kompis.matching.models import ExcludedPair, Match

    client.force_login(world.danderyd_coordinator)
    own, own_partner = scopes["danderyd"]["participant"], scopes["danderyd"]["partner"]
    for outside in ("uppsala", "other"):
        foreign, foreign_partner = scopes[outside]["participant"], scopes[outside]["partner"]
        before = snapshot(scopes[outside]), Match.objects.count(), ExcludedPair.objects.count()
        manual = reverse("matching:manual")
        assert client.get(manual, {"newcomer": foreign.uid}).status_code == 404, outside
        assert client.get(manual, {"established": foreign_partner.uid}).status_code == 404, outside
        assert (
            client.get(manual, {"newcomer": own.uid, "established": foreign_partner.uid}).status_code == 404
        )
        for name in ("matching:manual_match", "matching:exclusion_add", "matching:exclusion_remove"):
            data = {"partner": str(foreign_partner.uid), "override": "language", "reason": "x"}
            assert client.post(reverse(name, args=[own.uid]), data).status_code == 404, (name, outside)
            data = {"partner": str(own_partner.uid), "override": "language", "reason": "x"}
            assert client.post(reverse(name, args=[foreign.uid]), data).status_code == 404, (name, outside)
        assert (snapshot(scopes[outside]), Match.objects.count(), ExcludedPair.objects.count()) == before
    # a tampered id is 404 too, not an error
    assert client.get(reverse("matching:manual"), {"newcomer": "not-a-uuid"}).status_code == 404
    response = client.post(reverse("matching:exclusion_add", args=[own.uid]), {"partner": "not-a-uuid"})
    assert response.status_code == 404


def test_own_url_with_foreign_ids_in_the_body_changes_nothing(client, world, scopes):
    """Every POST whose body names a second object (a partner, a proposal): the URL names the coordinator's
    own object, the body one of another region or organisation. Refused (404) or ignored, nothing changes."""
    client.force_login(world.danderyd_coordinator)
    check = Checker()
    posts = [
        name
        for name in NAMES
        if EXPECTATIONS[name].method == "POST"
        and EXPECTATIONS[name].access != ORG_ADMIN
        and any(v.startswith("@") and v != "@future" for v in EXPECTATIONS[name].data.values())
    ]
    assert {"matching:proposal_choose", "matching:run_approve_page", "matching:manual_match"} <= set(posts)
    for name in posts:
        rule = EXPECTATIONS[name]
        for other in ("uppsala", "other"):
            before = snapshot(scopes[other]), snapshot(scopes["danderyd"])
            response = call(client, rule, url_for(name, rule, scopes["danderyd"]), scopes[other])
            check.status(response, (302, 404), name, other)
            check.unchanged(before, (snapshot(scopes[other]), snapshot(scopes["danderyd"])), name, other)
    check.done()


# --- a match across regions: the partner outside the scope is seen by first name and region only --------

#: every page about a match that crosses regions, and the object its URL names
CROSS_REGION_PAGES = {
    "followup:match": "match",
    "followup:task": "task",
    "followup:tasks": None,
    "worklist:task": "task",
    "worklist:tasks": None,
    "matching:matches": None,
    "participants:detail": "participant",
}


def test_cross_region_match_pages_hide_the_partners_data(client, world, scopes):
    """Issue 10 §5: an admin approved a Danderyd–Uppsala pair; the Danderyd coordinator opens its pages."""
    from kompis.followup.services import introduce_match
    from kompis.matching.models import Match
    from kompis.outbox.models import OutboxMessage
    from kompis.participants.models import FriendParticipation
    from kompis.worklist.models import Task

    own = scopes["danderyd"]["participant"]
    partner = scopes["uppsala"]["partner"]  # Amals Alternative, Uppsala
    type(partner).objects.filter(pk=partner.pk).update(phone="070 222 33 44")
    FriendParticipation.objects.filter(pk=partner.pk).update(status="matched")
    partner.refresh_from_db()
    match = Match.objects.create(
        organisation=world.org, newcomer=own, established=partner, mode="digital", created_by=world.admin
    )
    introduce_match(actor=world.admin, match=match)
    OutboxMessage.objects.filter(participant=partner).update(
        subject="Subject only Uppsala may read", state="sent"
    )
    task = Task.objects.create(
        organisation=world.org,
        region=world.danderyd,
        subject=match,
        participant=own,
        kind="will_not_meet",
        due_on=timezone.localdate(),
    )
    objects = {"match": match, "task": task, "participant": own}
    client.force_login(world.danderyd_coordinator)
    check = Checker()
    for name, kind in CROSS_REGION_PAGES.items():
        url = reverse(name, args=[objects[kind].uid]) if kind else reverse(name)
        response = client.get(url)
        check.status(response, 200, name)
        html = response.content.decode()
        for secret in (partner.email, partner.phone, partner.last_name, "Subject only Uppsala may read"):
            if secret in html:
                check.problems.append(f"{name}: shows the Uppsala partner's {secret!r}")
        if partner.first_name not in html:
            check.problems.append(f"{name}: the partner's first name is missing")
    for mail in OutboxMessage.objects.filter(participant=partner):
        response = client.post(reverse("followup:mail_resend", args=[mail.uid]))
        check.status(response, 404, "followup:mail_resend of the partner's mail")
    check.done()
    client.force_login(world.admin)
    html = client.get(reverse("followup:match", args=[match.uid])).content.decode()
    assert partner.email in html and partner.last_name in html  # admins see both in full


def test_unknown_participant_id_is_404(client, world, people):
    client.force_login(world.admin)
    assert client.get("/staff/participants/00000000-0000-0000-0000-000000000000/").status_code == 404


# --- lists, search and export show only what the user may see ------------------------------------


def _list_names(client: Any, **params: str) -> str:
    response = client.get(reverse("participants:list"), params)
    assert response.status_code == 200
    return response.content.decode()


def test_coordinator_list_and_search_show_only_own_region(client, world, people):
    client.force_login(world.uppsala_coordinator)
    html = _list_names(client)
    assert "Amal Haddad" in html
    assert "Karin Lind" not in html and "Outsider" not in html
    assert "Karin Lind" not in _list_names(client, q="Karin")
    assert "Outsider Annan" not in _list_names(client, q="Outsider")
    assert "Outsider Annan" not in _list_names(client, q=people["other"].email)
    # filtering on a region the coordinator does not have shows nobody, not that region
    assert "Karin Lind" not in _list_names(client, region=str(world.danderyd.uid))


def test_coordinator_sees_participants_of_own_project_outside_region(client, world, scopes):
    world.danderyd_coordinator.projects.set([world.project])
    in_project = ParticipantFactory(
        organisation=world.org,
        region=world.uppsala,
        project=world.project,
        first_name="Projekt",
        last_name="Deltagare",
    )
    client.force_login(world.danderyd_coordinator)
    html = _list_names(client)
    assert "Projekt Deltagare" in html and "Karin Lind" in html and "Amal Haddad" not in html
    assert client.get(reverse("participants:detail", args=[in_project.uid])).status_code == 200


def test_admin_list_shows_whole_organisation_only(client, world, people):
    client.force_login(world.admin)
    html = _list_names(client)
    assert "Amal Haddad" in html and "Karin Lind" in html and "Outsider" not in html
    assert "Outsider Annan" not in _list_names(client, q="Outsider")


def test_viewer_overview_has_no_names(client, world, people):
    client.force_login(world.viewer)
    html = client.get(reverse("core:staff_home")).content.decode()
    assert "Amal" not in html and "Karin" not in html
    assert reverse("participants:list") not in html  # no link to person pages


def test_export_contains_only_participants_in_scope(client, world, people):
    client.force_login(world.uppsala_coordinator)
    response = client.get(reverse("participants:export", args=["csv"]))
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = body.decode("utf-8-sig")
    assert "Karin" not in text and "Outsider" not in text and people["danderyd"].email not in text
    assert "Amal" in text, "the export should contain the coordinator's own participants"


# --- organisation settings and Django admin -----------------------------------------------------


def test_organisation_settings_admin_only(client, world):
    for user, expected in (
        (world.admin, 200),
        (world.uppsala_coordinator, 403),
        (world.viewer, 403),
        (world.other_coordinator, 403),
    ):
        client.force_login(user)
        assert client.get("/staff/organisation/").status_code == expected, user.username
    client.force_login(world.admin)
    html = client.get("/staff/organisation/").content.decode()
    assert "Danderyd" in html and "Annan förening" not in html


@pytest.mark.parametrize("persona", ["admin", "uppsala_coordinator", "viewer", "other_coordinator"])
def test_django_admin_is_closed_to_staff_personas(client, world, persona):
    user = getattr(world, persona)
    assert not user.is_staff and not user.is_superuser
    client.force_login(user)
    response = client.get("/django-admin/")
    assert response.status_code == 302 and urlsplit(response["Location"]).path == "/django-admin/login/"
    assert client.get("/django-admin/participants/participant/").status_code == 302
    client.logout()
    from tests.factories import PASSWORD

    response = client.post(
        "/django-admin/login/?next=/django-admin/", {"username": user.username, "password": PASSWORD}
    )
    assert response.status_code == 200  # the login form again, with an error
    assert client.get("/django-admin/").status_code == 302


def test_django_admin_open_to_superuser(client, db, django_user_model):
    su = django_user_model.objects.create_superuser(username="root@kompis.test", password="x-Passw0rd-long")
    client.force_login(su)
    assert client.get("/django-admin/").status_code == 200
