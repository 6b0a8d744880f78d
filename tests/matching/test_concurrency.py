"""Two coordinators approving at the same moment: exactly one wins (needs real row locks: PostgreSQL)."""

from __future__ import annotations

import functools
import threading

import pytest
from django.db import connection

from kompis.matching import runs, services
from kompis.matching.models import Match, Proposal
from kompis.matching.services import MatchConflict
from kompis.participants.models import FriendParticipation
from tests.factories import make_world
from tests.matching.helpers import person

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def approve_concurrently(actors, proposals):
    barrier = threading.Barrier(len(proposals))
    outcomes: list[object] = [None] * len(proposals)

    def work(i: int) -> None:
        try:
            barrier.wait(timeout=10)
            outcomes[i] = services.approve_proposal(actor=actors[i], proposal=proposals[i])
        except MatchConflict as exc:
            outcomes[i] = exc
        except Exception as exc:  # reported by the assertions below
            outcomes[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(proposals))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return outcomes


def test_overlapping_proposals_one_wins():
    world = make_world()
    n1, n2 = person(world, "newcomer"), person(world, "newcomer")
    e = person(world, "established", capacity=1)
    run = runs.run_inline(actor=world.admin, organisation=world.org, region=world.uppsala)
    p1 = run.proposals.get()
    other = n2 if p1.newcomer_id == n1.pk else n1
    p2 = Proposal.objects.create(run=run, newcomer=other, established=e, score=1, rank=2)
    for _ in range(3):  # a few rounds to make the race real
        outcomes = approve_concurrently([world.admin, world.uppsala_coordinator], [p1, p2])
        wins = [o for o in outcomes if isinstance(o, Match)]
        conflicts = [o for o in outcomes if isinstance(o, MatchConflict)]
        assert len(wins) == 1 and len(conflicts) == 1, outcomes
        assert Match.objects.filter(established=e).count() == 1
        Match.objects.all().delete()
        Proposal.objects.filter(pk__in=[p1.pk, p2.pk]).update(state="proposed")
        FriendParticipation.objects.filter(pk__in=[n1.pk, n2.pk, e.pk]).update(status="waiting")


def test_same_proposal_twice_gives_one_match():
    world = make_world()
    person(world, "newcomer", capacity=3)
    person(world, "established", capacity=3)
    run = runs.run_inline(actor=world.admin, organisation=world.org, region=world.uppsala)
    proposal = run.proposals.get()
    copy = Proposal.objects.get(pk=proposal.pk)
    outcomes = approve_concurrently([world.admin, world.uppsala_coordinator], [proposal, copy])
    assert sum(isinstance(o, Match) for o in outcomes) == 1, outcomes
    assert sum(isinstance(o, MatchConflict) for o in outcomes) == 1, outcomes
    assert Match.objects.count() == 1


def run_concurrently(calls):
    """Run the callables at the same moment, each on its own database connection; returns results or errors."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[object] = [None] * len(calls)

    def work(i: int) -> None:
        try:
            barrier.wait(timeout=10)
            outcomes[i] = calls[i]()
        except Exception as exc:  # reported by the assertions of the test
            outcomes[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return outcomes


def test_two_simultaneous_overlapping_starts_only_one_runs():
    from kompis.matching import runs
    from kompis.matching.models import MatchingRun

    world = make_world()
    for scopes in ([{"region": world.uppsala}, {}], [{"region": world.uppsala}, {"region": world.uppsala}]):
        for _ in range(3):  # a few rounds to make the race real
            calls = [
                lambda scope=scope, actor=actor: runs.start_run(
                    actor=actor, organisation=world.org, enqueue=False, **scope
                )
                for scope, actor in zip(scopes, [world.admin, world.uppsala_coordinator], strict=True)
            ]
            outcomes = run_concurrently(calls)
            started = [o for o in outcomes if isinstance(o, MatchingRun)]
            refused = [o for o in outcomes if isinstance(o, runs.RunRefused)]
            assert len(started) == 1 and len(refused) == 1, outcomes
            assert MatchingRun.objects.count() == 1
            MatchingRun.objects.all().delete()


def test_two_workers_claim_a_run_once():
    from kompis.matching import runs
    from kompis.matching.models import MatchingRun

    world = make_world()
    for _ in range(3):
        run = runs.start_run(actor=world.admin, organisation=world.org, region=world.uppsala, enqueue=False)
        claim = functools.partial(runs.claim_run, run.pk)
        outcomes = run_concurrently([claim, claim])
        claimed = [o for o in outcomes if isinstance(o, MatchingRun)]
        assert len(claimed) == 1 and outcomes.count(None) == 1, outcomes
        assert MatchingRun.objects.get(pk=run.pk).attempts == 1
        MatchingRun.objects.all().delete()
