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
    participant: bool = False  # the URL's uuid argument is a participant
    kwargs: dict[str, str] = field(default_factory=dict)  # fixed values for the other URL arguments
    data: dict[str, str] = field(default_factory=dict)  # POST body for a request that would succeed


def _future() -> str:
    return (timezone.localdate() + timedelta(days=30)).isoformat()


EXPECTATIONS: dict[str, Rule] = {
    "core:staff_home": Rule(ANY_STAFF),
    "participants:list": Rule(PEOPLE),
    "participants:detail": Rule(PEOPLE, participant=True),
    "participants:edit": Rule(PEOPLE, participant=True),
    "participants:pause": Rule(PEOPLE, "POST", participant=True, data={"until": "FUTURE"}),
    "participants:resume": Rule(PEOPLE, "POST", participant=True),
    "participants:withdraw": Rule(PEOPLE, "POST", participant=True, data={"reason": "moved away"}),
    "participants:note": Rule(PEOPLE, "POST", participant=True, data={"text": "Called, all fine."}),
    "participants:import": Rule(PEOPLE),
    "participants:export": Rule(PEOPLE, kwargs={"fmt": "csv"}),
    "organisations:settings": Rule(ORG_ADMIN),
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


def url_for(name: str, rule: Rule, participant: Any = None) -> str:
    route = staff_routes()[name]
    kwargs: dict[str, Any] = dict(rule.kwargs)
    for m in PARAM_RE.finditer(route):
        if m["name"] in kwargs:
            continue
        if rule.participant and m["conv"] == "uuid":
            kwargs[m["name"]] = participant.uid
        else:
            pytest.fail(f"{name}: no value for URL argument {m['name']!r}; extend its Rule")
    return reverse(name, kwargs=kwargs)


def call(client: Any, rule: Rule, url: str) -> Any:
    if rule.method == "POST":
        data = {k: (_future() if v == "FUTURE" else v) for k, v in rule.data.items()}
        return client.post(url, data)
    return client.get(url)


def snapshot(participant: Any) -> tuple:
    participant.refresh_from_db()
    return (
        participant.status, participant.paused_until, participant.first_name, participant.updated_at,
        Note.objects.filter(participant=participant).count(),
        AuditEvent.objects.filter(object_id=str(participant.uid)).count(),
    )


@pytest.fixture
def people(world, uppsala_participant, danderyd_participant):
    other = ParticipantFactory(organisation=world.other_org, region=world.other_org.regions.get(),
                               first_name="Outsider", last_name="Annan", municipality_id="0380")
    return {"uppsala": uppsala_participant, "danderyd": danderyd_participant, "other": other}


NAMES = sorted(EXPECTATIONS)


@pytest.mark.parametrize("name", NAMES)
def test_anonymous_is_sent_to_login(client, people, name):
    rule = EXPECTATIONS[name]
    url = url_for(name, rule, people["uppsala"])
    before = snapshot(people["uppsala"])
    response = call(client, rule, url)
    assert response.status_code == 302, name
    target = urlsplit(response["Location"])
    assert target.path == reverse("accounts:login"), name
    assert url in response["Location"].replace("%2F", "/"), name
    assert snapshot(people["uppsala"]) == before


@pytest.mark.parametrize("name", NAMES)
def test_viewer(client, world, people, name):
    rule = EXPECTATIONS[name]
    client.force_login(world.viewer)
    before = snapshot(people["uppsala"])
    response = call(client, rule, url_for(name, rule, people["uppsala"]))
    expected = 200 if rule.access == ANY_STAFF else 403
    assert response.status_code == expected, name
    assert snapshot(people["uppsala"]) == before


@pytest.mark.parametrize("name", NAMES)
def test_coordinator(client, world, people, name):
    """Uppsala coordinator: own region yes; Danderyd and the other organisation's participants are 404."""
    rule = EXPECTATIONS[name]
    client.force_login(world.uppsala_coordinator)
    if rule.access == ORG_ADMIN:
        assert call(client, rule, url_for(name, rule, people["uppsala"])).status_code == 403, name
        return
    if not rule.participant:
        assert call(client, rule, url_for(name, rule)).status_code == 200, name
        return
    for outside in ("danderyd", "other"):
        before = snapshot(people[outside])
        response = call(client, rule, url_for(name, rule, people[outside]))
        assert response.status_code == 404, (name, outside)
        assert snapshot(people[outside]) == before, (name, outside)
    response = call(client, rule, url_for(name, rule, people["uppsala"]))
    if rule.method == "GET":
        assert response.status_code == 200, name
        assert people["uppsala"].full_name in response.content.decode()
    else:
        assert response.status_code == 302, name
        assert response["Location"] == reverse("participants:detail", args=[people["uppsala"].uid])


@pytest.mark.parametrize("name", NAMES)
def test_danderyd_coordinator_cannot_reach_uppsala(client, world, people, name):
    rule = EXPECTATIONS[name]
    if not rule.participant:
        return
    client.force_login(world.danderyd_coordinator)
    before = snapshot(people["uppsala"])
    assert call(client, rule, url_for(name, rule, people["uppsala"])).status_code == 404, name
    assert snapshot(people["uppsala"]) == before
    assert call(client, rule, url_for(name, rule, people["danderyd"])).status_code in (200, 302), name


@pytest.mark.parametrize("name", NAMES)
def test_org_admin(client, world, people, name):
    """The admin reaches every participant of the organisation, in any region, and nobody else's."""
    rule = EXPECTATIONS[name]
    client.force_login(world.admin)
    if not rule.participant:
        assert call(client, rule, url_for(name, rule)).status_code == 200, name
        return
    for inside in ("uppsala", "danderyd"):
        expected = 200 if rule.method == "GET" else 302
        assert call(client, rule, url_for(name, rule, people[inside])).status_code == expected, (name, inside)
    before = snapshot(people["other"])
    assert call(client, rule, url_for(name, rule, people["other"])).status_code == 404, name
    assert snapshot(people["other"]) == before


@pytest.mark.parametrize("name", NAMES)
def test_other_organisations_coordinator(client, world, people, name):
    rule = EXPECTATIONS[name]
    client.force_login(world.other_coordinator)
    if rule.access == ORG_ADMIN:
        assert call(client, rule, url_for(name, rule)).status_code == 403
    elif rule.participant:
        for ours in ("uppsala", "danderyd"):
            before = snapshot(people[ours])
            assert call(client, rule, url_for(name, rule, people[ours])).status_code == 404, (name, ours)
            assert snapshot(people[ours]) == before
        assert call(client, rule, url_for(name, rule, people["other"])).status_code in (200, 302), name
    else:
        assert call(client, rule, url_for(name, rule)).status_code == 200, name


@pytest.mark.parametrize("name", NAMES)
def test_logged_in_user_without_organisation_role_is_refused(client, db, django_user_model, people, name):
    rule = EXPECTATIONS[name]
    nobody = django_user_model.objects.create_user(username="nobody@kompis.test", password="x-Passw0rd-long")
    client.force_login(nobody)
    assert call(client, rule, url_for(name, rule, people["uppsala"])).status_code == 403, name


def test_out_of_scope_edit_post_is_404_and_changes_nothing(client, world, people):
    client.force_login(world.uppsala_coordinator)
    for outside in ("danderyd", "other"):
        p = people[outside]
        before = snapshot(p)
        response = client.post(reverse("participants:edit", args=[p.uid]), {
            "role": "newcomer", "first_name": "Hacked", "last_name": "Name", "email": "x@example.org",
            "birth_year": "1990", "gender": "woman", "municipality": "0380", "languages": ["sv"],
            "meeting_mode": "either", "capacity": "1",
        })
        assert response.status_code == 404
        assert snapshot(p) == before


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
    assert "Karin" not in _list_names(client, q="Karin")
    assert "Outsider" not in _list_names(client, q="Outsider")
    assert "Outsider" not in _list_names(client, q=people["other"].email)
    # filtering on a region the coordinator does not have shows nobody, not that region
    assert "Karin" not in _list_names(client, region=str(world.danderyd.uid))


def test_coordinator_sees_participants_of_own_project_outside_region(client, world, people):
    world.danderyd_coordinator.projects.set([world.project])
    in_project = ParticipantFactory(organisation=world.org, region=world.uppsala, project=world.project,
                                    first_name="Projekt", last_name="Deltagare")
    client.force_login(world.danderyd_coordinator)
    html = _list_names(client)
    assert "Projekt Deltagare" in html and "Karin Lind" in html and "Amal Haddad" not in html
    assert client.get(reverse("participants:detail", args=[in_project.uid])).status_code == 200


def test_admin_list_shows_whole_organisation_only(client, world, people):
    client.force_login(world.admin)
    html = _list_names(client)
    assert "Amal Haddad" in html and "Karin Lind" in html and "Outsider" not in html
    assert "Outsider" not in _list_names(client, q="Outsider")


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
    for user, expected in ((world.admin, 200), (world.uppsala_coordinator, 403), (world.viewer, 403),
                           (world.other_coordinator, 403)):
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

    response = client.post("/django-admin/login/?next=/django-admin/",
                           {"username": user.username, "password": PASSWORD})
    assert response.status_code == 200  # the login form again, with an error
    assert client.get("/django-admin/").status_code == 302


def test_django_admin_open_to_superuser(client, db, django_user_model):
    su = django_user_model.objects.create_superuser(username="root@kompis.test", password="x-Passw0rd-long")
    client.force_login(su)
    assert client.get("/django-admin/").status_code == 200
