"""Two coordinators approving at the same moment: exactly one wins (needs real row locks: PostgreSQL)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from kompis.matching import services
from kompis.matching.models import Match, Proposal
from kompis.matching.services import MatchConflict
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
    run = services.run_matching(actor=world.admin, organisation=world.org, region=world.uppsala)
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
        type(e).objects.filter(pk__in=[n1.pk, n2.pk, e.pk]).update(status="waiting")


def test_same_proposal_twice_gives_one_match():
    world = make_world()
    person(world, "newcomer", capacity=3)
    person(world, "established", capacity=3)
    run = services.run_matching(actor=world.admin, organisation=world.org, region=world.uppsala)
    proposal = run.proposals.get()
    copy = Proposal.objects.get(pk=proposal.pk)
    outcomes = approve_concurrently([world.admin, world.uppsala_coordinator], [proposal, copy])
    assert sum(isinstance(o, Match) for o in outcomes) == 1, outcomes
    assert sum(isinstance(o, MatchConflict) for o in outcomes) == 1, outcomes
    assert Match.objects.count() == 1
