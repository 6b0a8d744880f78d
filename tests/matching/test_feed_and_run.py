from __future__ import annotations

import pytest

from kompis.audit.models import AuditEvent
from kompis.matching import feed, runs
from kompis.matching.models import ExcludedPair, MatchingRun, ProposalState, RunStatus
from kompis.participants.models import Participant
from tests.factories import MatchFactory
from tests.matching.helpers import person

pytestmark = pytest.mark.django_db


def engine_ids(pool):
    return {p.id for p in pool.newcomers}, {p.id for p in pool.established}


def test_feed_respects_status_bouncing_capacity_and_exclusions(world):
    ok_n = person(world, "newcomer")
    person(world, "newcomer", status="pending")
    person(world, "newcomer", status="paused")
    person(world, "newcomer", email_bouncing=True)
    ok_e = person(world, "established", capacity=2)
    full = person(world, "established", capacity=1)
    other_n = person(world, "newcomer", capacity=3)
    MatchFactory(newcomer=other_n, established=full)
    MatchFactory(newcomer=other_n, established=ok_e)
    ExcludedPair.objects.create(organisation=world.org, newcomer=ok_n, established=ok_e, reason="rejected")

    pool = feed.build_pool(feed.scope_participants(organisation=world.org), organisation=world.org)
    newcomers, established = engine_ids(pool)
    assert newcomers == {str(ok_n.pk), str(other_n.pk)}
    assert established == {str(ok_e.pk)}  # `full` has no capacity left
    by_id = {p.id: p for p in pool.established}
    assert by_id[str(ok_e.pk)].capacity == 1  # capacity 2 minus one active match
    assert (str(ok_n.pk), str(ok_e.pk)) in pool.exclude
    assert (str(other_n.pk), str(ok_e.pk)) in pool.exclude  # an earlier match is never proposed again


def test_feed_uses_constant_number_of_queries(world, django_assert_max_num_queries):
    for i in range(30):
        person(world, "newcomer" if i % 2 else "established")
    with django_assert_max_num_queries(6):
        pool = feed.build_pool(feed.scope_participants(organisation=world.org), organisation=world.org)
    assert len(pool.newcomers) + len(pool.established) == 30


def test_run_in_uppsala_proposes_only_uppsala_pairs(world):
    up = [person(world, "newcomer"), person(world, "established")]
    da = [person(world, "newcomer", "danderyd"), person(world, "established", "danderyd")]
    run = runs.run_inline(actor=world.uppsala_coordinator, organisation=world.org, region=world.uppsala)
    pairs = set(run.proposals.values_list("newcomer_id", "established_id"))
    assert pairs == {(up[0].pk, up[1].pk)}
    assert all(pk not in {da[0].pk, da[1].pk} for pair in pairs for pk in pair)
    assert run.status == RunStatus.DRAFT and run.stats["pairs"] == 1
    assert AuditEvent.objects.filter(action="matching.run", object_id=str(run.uid)).exists()


def test_proposals_never_break_hard_rules(world):
    for i in range(12):
        person(
            world,
            "newcomer",
            languages=[["ar"], ["fa"], ["sv", "ar"]][i % 3],
            gender=["woman", "man"][i % 2],
            same_gender_only=i % 4 == 0,
            wants_family_match=i % 5 == 0,
            meeting_mode=["physical", "digital", "either"][i % 3],
            municipality_id=["0380", "0305"][i % 2],
        )
        person(
            world,
            "established",
            languages=[["sv"], ["sv", "ar"], ["fa", "sv"]][i % 3],
            gender=["man", "woman", "woman"][i % 3],
            same_gender_only=i % 3 == 0,
            wants_family_match=i % 6 == 0,
            meeting_mode=["either", "physical", "digital"][i % 3],
            municipality_id=["0380", "0360"][i % 2],
        )
    run = runs.run_inline(actor=world.admin, organisation=world.org, region=world.uppsala)
    proposals = list(
        run.proposals.select_related(
            "newcomer", "established", "newcomer__friend_matching", "established__friend_matching"
        )
    )
    assert proposals, "expected some proposals"
    for p in proposals:
        n, e = p.newcomer, p.established
        assert set(n.languages) & set(e.languages), "shared language"
        if n.same_gender_only or e.same_gender_only:
            assert n.gender == e.gender
        nf, ef = n.friend_matching, e.friend_matching
        assert nf.wants_family_match == ef.wants_family_match
        digital = nf.meeting_mode != "physical" and ef.meeting_mode != "physical"
        physical = (
            nf.meeting_mode != "digital"
            and ef.meeting_mode != "digital"
            and n.municipality_id == e.municipality_id
        )
        assert digital or physical
        assert p.reasons and {"code", "params", "points"} <= set(p.reasons[0])
    ranks = [p.rank for p in sorted(proposals, key=lambda p: -p.score)]
    assert ranks == sorted(ranks)
    # each person at most once (capacity 1)
    assert len({p.newcomer_id for p in proposals}) == len(proposals)
    assert len({p.established_id for p in proposals}) == len(proposals)


def test_new_run_supersedes_open_proposals_of_same_scope(world):
    person(world, "newcomer")
    person(world, "established")
    first = runs.run_inline(actor=world.admin, organisation=world.org, region=world.uppsala)
    person(world, "newcomer", "danderyd")
    person(world, "established", "danderyd")
    other_scope = runs.run_inline(actor=world.admin, organisation=world.org, region=world.danderyd)
    second = runs.run_inline(actor=world.admin, organisation=world.org, region=world.uppsala)
    first.refresh_from_db()
    assert first.status == RunStatus.CLOSED
    assert set(first.proposals.values_list("state", flat=True)) == {ProposalState.SUPERSEDED}
    assert set(second.proposals.values_list("state", flat=True)) == {ProposalState.PROPOSED}
    assert set(other_scope.proposals.values_list("state", flat=True)) == {ProposalState.PROPOSED}
    assert MatchingRun.objects.get(pk=other_scope.pk).status == RunStatus.DRAFT


def test_unmatched_reason_is_stored(world):
    lonely = person(world, "newcomer", languages=["ti"])
    person(world, "established", languages=["sv"])
    run = runs.run_inline(actor=world.admin, organisation=world.org, region=world.uppsala)
    assert run.unmatched[str(lonely.pk)]["rule"] == "language"
    assert run.shortages and run.shortages[0]["language"] in {"ti", "sv"}


def test_project_scope(world):
    n = person(world, "newcomer", project=world.project)
    e = person(world, "established", project=world.project)
    person(world, "established")  # Uppsala but not in the project
    run = runs.run_inline(actor=world.admin, organisation=world.org, project=world.project)
    assert set(run.proposals.values_list("newcomer_id", "established_id")) == {(n.pk, e.pk)}
    assert Participant.objects.count() == 3


def test_match_command(world):
    from io import StringIO

    from django.core.management import call_command

    person(world, "newcomer")
    person(world, "established")
    out = StringIO()
    call_command("run_matching", "--organisation", world.org.slug, "--region", "Uppsala", stdout=out)
    run = MatchingRun.objects.get()
    assert run.region == world.uppsala and run.created_by is None
    assert "1 proposals" in out.getvalue()
