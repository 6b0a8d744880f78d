"""Matching pages: scope (404 outside it), roles (viewer 403), anonymous → login, and the happy paths."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from kompis.matching.models import ExcludedPair, Match, MatchingRun, MatchingSettings, Proposal, ProposalState
from kompis.matching.runs import run_inline
from tests.matching.helpers import person

pytestmark = pytest.mark.django_db


@pytest.fixture
def runs(world):
    up_n, up_e = (
        person(world, "newcomer", first_name="Amal"),
        person(world, "established", first_name="Karin"),
    )
    person(world, "newcomer", "danderyd")
    person(world, "established", "danderyd")
    uppsala = run_inline(actor=world.admin, organisation=world.org, region=world.uppsala)
    danderyd = run_inline(actor=world.admin, organisation=world.org, region=world.danderyd)
    return {"uppsala": uppsala, "danderyd": danderyd, "n": up_n, "e": up_e}


def proposal_urls(proposal):
    return [
        ("get", reverse("matching:run_detail", args=[proposal.run.uid])),
        ("get", reverse("matching:proposal_candidates", args=[proposal.uid]) + "?for=newcomer"),
        ("post", reverse("matching:proposal_approve", args=[proposal.uid])),
        ("post", reverse("matching:proposal_reject", args=[proposal.uid])),
        ("post", reverse("matching:proposal_choose", args=[proposal.uid])),
        ("post", reverse("matching:run_approve_page", args=[proposal.run.uid])),
    ]


def test_danderyd_coordinator_gets_404_on_uppsala_run_and_proposal(client, world, runs):
    proposal = runs["uppsala"].proposals.get()
    client.force_login(world.danderyd_coordinator)
    for method, url in proposal_urls(proposal):
        data = {"proposal": str(proposal.uid), "partner": str(runs["e"].uid)} if method == "post" else {}
        assert getattr(client, method)(url, data).status_code == 404, url
    assert Proposal.objects.get(pk=proposal.pk).state == ProposalState.PROPOSED
    assert not Match.objects.exists() and not ExcludedPair.objects.exists()
    # their own run is fine
    assert client.get(reverse("matching:run_detail", args=[runs["danderyd"].uid])).status_code == 200
    runs_page = client.get(reverse("matching:runs")).content.decode()
    assert str(runs["danderyd"].uid) in runs_page and str(runs["uppsala"].uid) not in runs_page


def test_other_organisation_gets_404(client, world, runs):
    proposal = runs["uppsala"].proposals.get()
    client.force_login(world.other_coordinator)
    for method, url in proposal_urls(proposal):
        assert getattr(client, method)(url, {"proposal": str(proposal.uid)}).status_code == 404, url
    assert not Match.objects.exists()


def test_viewer_403_and_anonymous_login(client, world, runs):
    proposal = runs["uppsala"].proposals.get()
    urls = [
        *proposal_urls(proposal),
        ("get", reverse("matching:pool")),
        ("get", reverse("matching:matches")),
        ("get", reverse("matching:runs")),
        ("get", reverse("matching:settings")),
    ]
    for method, url in urls:
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert urlsplit(response["Location"]).path == reverse("accounts:login")
    client.force_login(world.viewer)
    for method, url in urls:
        assert getattr(client, method)(url).status_code == 403, url
    client.force_login(world.uppsala_coordinator)
    assert client.get(reverse("matching:settings")).status_code == 403
    assert not Match.objects.exists()


def test_review_approve_reject_flow(client, world, runs):
    client.force_login(world.uppsala_coordinator)
    run = runs["uppsala"]
    html = client.get(reverse("matching:run_detail", args=[run.uid])).content.decode()
    assert "Amal" in html and "Karin" in html and "shared interests" in html
    proposal = run.proposals.get()
    response = client.post(reverse("matching:proposal_approve", args=[proposal.uid]))
    assert response.status_code == 302
    assert Match.objects.filter(proposal=proposal).exists()
    # second click: a clear message, no second match
    response = client.post(reverse("matching:proposal_approve", args=[proposal.uid]), follow=True)
    assert "already been decided" in response.content.decode()
    assert Match.objects.count() == 1
    matches = client.get(reverse("matching:matches")).content.decode()
    assert "Amal" in matches and reverse("participants:detail", args=[runs["n"].uid]) in matches


def test_run_form_and_approve_page(client, world, django_capture_on_commit_callbacks):
    for _ in range(3):
        person(world, "newcomer")
        person(world, "established")
    person(world, "newcomer", "danderyd")
    client.force_login(world.uppsala_coordinator)
    form_html = client.get(reverse("matching:runs")).content.decode()
    assert "Danderyd" not in form_html
    # the run is queued and its task enqueued after commit (the tests' task backend runs it at once)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("matching:runs"), {"scope": f"region:{world.uppsala.uid}", "solver": "fast"}
        )
    run = MatchingRun.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "matching:run_detail", args=[run.uid]
    )
    assert run.region == world.uppsala and run.created_by == world.uppsala_coordinator
    # a coordinator cannot run matching for a region that is not theirs
    response = client.post(
        reverse("matching:runs"), {"scope": f"region:{world.danderyd.uid}", "solver": "fast"}
    )
    assert response.status_code == 400 and MatchingRun.objects.count() == 1
    uids = [str(u) for u in run.proposals.values_list("uid", flat=True)]
    response = client.post(
        reverse("matching:run_approve_page", args=[run.uid]), {"proposal": uids}, follow=True
    )
    assert "3 matches approved" in response.content.decode()
    assert Match.objects.count() == 3


def test_reject_and_choose_views(client, world):
    n1 = person(world, "newcomer", interests=["fika"])
    person(world, "newcomer", interests=["music"])
    e1 = person(world, "established", interests=["fika"])
    e2 = person(world, "established", interests=["music"], first_name="Berit")
    run = run_inline(actor=world.admin, organisation=world.org, region=world.uppsala)
    p1 = run.proposals.get(newcomer=n1)
    client.force_login(world.uppsala_coordinator)
    html = client.get(
        reverse("matching:proposal_candidates", args=[p1.uid]), {"for": "newcomer"}
    ).content.decode()
    assert "Berit" in html
    response = client.post(reverse("matching:proposal_choose", args=[p1.uid]), {"partner": str(e2.uid)})
    assert response.status_code == 302
    new = Proposal.objects.get(run=run, newcomer=n1, state=ProposalState.PROPOSED)
    assert new.established == e2
    response = client.post(reverse("matching:proposal_reject", args=[new.uid]), {"reason": "Neighbours"})
    assert response.status_code == 302
    assert ExcludedPair.objects.filter(newcomer=n1, established=e2, reason="rejected").exists()
    assert e1  # still waiting for someone else


def test_pool_page_shows_blocker_and_shortage(client, world):
    person(world, "newcomer", languages=["ti"], first_name="Selam", meeting_mode="physical")
    person(world, "established", languages=["sv"])
    run_inline(actor=world.admin, organisation=world.org, region=world.uppsala)
    client.force_login(world.uppsala_coordinator)
    html = client.get(reverse("matching:pool")).content.decode()
    assert "Selam" in html
    assert "no shared language" in html
    assert "Tigrinya-speaking newcomer in Uppsala wants to meet physically" in html


def test_settings_page_saves_weights_used_by_next_run(client, world):
    client.force_login(world.admin)
    response = client.get(reverse("matching:settings"))
    assert response.status_code == 200
    data = {"interests_full_at": 3, "age_span_years": 20, "waiting_cap_days": 365}
    for name, w in {
        "interests": 40,
        "age": 15,
        "waiting": 20,
        "swedish": 10,
        "proximity": 15,
        "family_situation": 5,
        "availability": 10,
    }.items():
        data[f"{name}_weight"] = w
    data["interests_must"] = "on"
    response = client.post(reverse("matching:settings"), data)
    assert response.status_code == 302
    saved = MatchingSettings.objects.get(organisation=world.org).weights
    assert saved["interests"] == {"weight": 40.0, "must": True}
    # the must rule applies: no shared interest → no proposal
    person(world, "newcomer", interests=["fika"])
    person(world, "established", interests=["music"])
    run = run_inline(actor=world.admin, organisation=world.org, region=world.uppsala)
    assert run.proposals.count() == 0 and run.weights["interests"]["must"] is True
    bad = dict(data, interests_weight=-1)
    assert client.post(reverse("matching:settings"), bad).status_code == 200
