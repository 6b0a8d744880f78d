"""Matching reads the people's participations in friend matching (issue #12): who waits, their role, wishes
and since when they wait; a person who takes part only in other activities is never in the pool, never a
partner, never picked by hand."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from kompis.matching import feed, manual, runs, selectors, services
from kompis.participants.models import FriendParticipation
from tests.matching.helpers import person

pytestmark = pytest.mark.django_db


def pool_ids(world):
    pool = feed.build_pool(feed.scope_participants(organisation=world.org), organisation=world.org)
    return {p.id for p in (*pool.newcomers, *pool.established)}, pool


def test_people_without_a_participation_in_friend_matching_are_never_in_the_pool(world):
    n = person(world, "newcomer")
    e = person(world, "established")
    event_only = person(world, "newcomer", friend_matching=False)
    ids, _pool = pool_ids(world)
    assert ids == {str(n.pk), str(e.pk)}
    assert str(event_only.pk) not in ids
    assert not FriendParticipation.objects.filter(pk=event_only.pk).exists()


def test_a_person_without_year_of_birth_is_left_out_of_the_pool(world):
    n = person(world, "newcomer")
    unborn = person(world, "newcomer", birth_year=None)
    ids, _pool = pool_ids(world)
    assert str(n.pk) in ids and str(unborn.pk) not in ids


def test_the_engine_counts_the_wait_from_waiting_since_not_from_registration(world):
    long_ago = timezone.now() - dt.timedelta(days=400)
    rejoined = timezone.now() - dt.timedelta(days=3)
    n = person(world, "newcomer", signed_up_at=long_ago, waiting_since=rejoined)
    _ids, pool = pool_ids(world)
    (me,) = pool.newcomers
    assert me.id == str(n.pk)
    assert me.signed_up == timezone.localtime(rejoined).date()
    # and so does the review's "waiting … days"
    assert selectors.waiting_days(n) == 3


def test_the_pool_follows_the_participation_status_and_its_organisation(world):
    waiting = person(world, "newcomer")
    paused = person(world, "newcomer")
    FriendParticipation.objects.filter(pk=paused.pk).update(status="paused")
    ids, _pool = pool_ids(world)
    assert ids == {str(waiting.pk)}


def test_the_pool_page_lists_waiting_participations_longest_wait_first(client, world):
    now = timezone.now()
    recent = person(world, "newcomer", first_name="Recent", waiting_since=now - dt.timedelta(days=2))
    early = person(
        world,
        "established",
        first_name="Early",
        signed_up_at=now - dt.timedelta(days=1),  # registered later, but waits longer (re-joined earlier)
        waiting_since=now - dt.timedelta(days=30),
    )
    person(world, "newcomer", first_name="Eventonly", friend_matching=False)
    person(world, "newcomer", first_name="Pausedperson", status="paused")
    client.force_login(world.admin)
    html = client.get(reverse("matching:pool")).content.decode()
    assert "Eventonly" not in html and "Pausedperson" not in html
    assert html.index(early.full_name) < html.index(recent.full_name)
    health = selectors.pool_health(world.admin)
    assert health["total_waiting"] == 2
    assert [row["days"] for row in health["rows"]] == [30, 2]


def test_approving_sets_the_status_of_the_participation(world):
    n = person(world, "newcomer")
    person(world, "established", capacity=2)
    proposal = runs.run_inline(
        actor=world.admin, organisation=world.org, region=world.uppsala
    ).proposals.get()
    services.approve_proposal(actor=world.admin, proposal=proposal)
    assert FriendParticipation.objects.get(pk=n.pk).status == "matched"
    assert FriendParticipation.objects.get(pk=proposal.established_id).status == "waiting"


def test_manual_pages_refuse_a_person_without_a_participation_in_friend_matching(client, world):
    n = person(world, "newcomer")
    event_only = person(world, "established", friend_matching=False)
    client.force_login(world.admin)
    assert client.get(reverse("matching:manual"), {"established": event_only.uid}).status_code == 404
    for name in ("matching:manual_match", "matching:exclusion_add"):
        response = client.post(reverse(name, args=[n.uid]), {"partner": str(event_only.uid)})
        assert response.status_code == 404
    check = manual.check_pair(n, event_only)
    assert [r.code for r in check.blocking] == ["friend_matching"]
    with pytest.raises(services.MatchConflict):
        manual.create_manual_match(
            actor=world.admin, newcomer=n, established=event_only, overrides=(), reason=""
        )


def test_manual_search_lists_only_waiting_participations_of_the_role(client, world):
    person(world, "newcomer", first_name="Waitingnew")
    person(world, "newcomer", first_name="Eventnew", friend_matching=False)
    person(world, "newcomer", first_name="Matchednew", status="matched")
    person(world, "established", first_name="Waitingest")
    client.force_login(world.admin)
    html = client.get(reverse("matching:manual"), {"qn": ""}).content.decode()
    assert "Waitingnew" in html
    assert "Eventnew" not in html and "Matchednew" not in html


def test_choosing_a_partner_without_a_participation_is_404(client, world):
    person(world, "newcomer")
    person(world, "established")
    event_only = person(world, "established", friend_matching=False)
    proposal = runs.run_inline(
        actor=world.admin, organisation=world.org, region=world.uppsala
    ).proposals.get()
    client.force_login(world.admin)
    response = client.post(
        reverse("matching:proposal_choose", args=[proposal.uid]), {"partner": str(event_only.uid)}
    )
    assert response.status_code == 404
