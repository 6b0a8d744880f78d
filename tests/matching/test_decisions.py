from __future__ import annotations

import pytest

from kompis.audit.models import AuditEvent
from kompis.matching import runs, services
from kompis.matching.models import ExcludedPair, Match, Proposal, ProposalState
from kompis.matching.services import MatchConflict
from tests.matching.helpers import person

pytestmark = pytest.mark.django_db


def run_uppsala(world):
    return runs.run_inline(actor=world.uppsala_coordinator, organisation=world.org, region=world.uppsala)


def test_approve_creates_match_sets_statuses_and_audits(world):
    n = person(world, "newcomer", wants_family_match=True, meeting_mode="physical")
    e = person(world, "established", wants_family_match=True, capacity=2)
    proposal = run_uppsala(world).proposals.get()
    match = services.approve_proposal(actor=world.uppsala_coordinator, proposal=proposal)
    assert match.newcomer == n and match.established == e and match.proposal == proposal
    assert match.kind == "family" and match.mode == "physical"
    assert match.status == "introduced"  # approval introduces both at once (the mails are outbox rows)
    assert match.score == proposal.score and match.reasons == proposal.reasons
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.APPROVED and proposal.decided_by == world.uppsala_coordinator
    n.friend_matching.refresh_from_db()
    e.friend_matching.refresh_from_db()
    assert n.friend_matching.status == "matched"
    assert e.friend_matching.status == "waiting"  # capacity 2: room for one more
    assert AuditEvent.objects.filter(action="matching.match_approved", object_id=str(match.uid)).exists()
    assert AuditEvent.objects.filter(action="participant.matched", object_id=str(n.uid)).exists()
    with pytest.raises(MatchConflict):
        services.approve_proposal(actor=world.uppsala_coordinator, proposal=proposal)
    assert Match.objects.count() == 1


def test_approve_conflict_when_capacity_used(world):
    n1, n2 = person(world, "newcomer"), person(world, "newcomer")
    e = person(world, "established")
    run = run_uppsala(world)
    p1 = run.proposals.get()
    other = n2 if p1.newcomer == n1 else n1
    # staff added a second proposal for the same established person (e.g. an older run)
    p2 = Proposal.objects.create(run=run, newcomer=other, established=e, score=1, rank=2)
    services.approve_proposal(actor=world.admin, proposal=p1)
    with pytest.raises(MatchConflict) as info:
        services.approve_proposal(actor=world.admin, proposal=p2)
    assert str(info.value)
    assert Match.objects.count() == 1
    e.friend_matching.refresh_from_db()
    assert e.friend_matching.status == "matched"


def test_reject_excludes_pair_from_next_run(world):
    n = person(world, "newcomer")
    e = person(world, "established")
    proposal = run_uppsala(world).proposals.get()
    services.reject_proposal(actor=world.uppsala_coordinator, proposal=proposal, reason="Known to each other")
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.REJECTED and proposal.reject_reason == "Known to each other"
    assert ExcludedPair.objects.filter(newcomer=n, established=e, reason="rejected").exists()
    again = run_uppsala(world)
    assert again.proposals.count() == 0
    assert again.unmatched[str(n.pk)]["rule"] == "excluded"
    assert AuditEvent.objects.filter(action="matching.proposal_rejected").exists()


def test_approve_many_reports_successes_and_conflicts(world):
    for _ in range(3):
        person(world, "newcomer")
        person(world, "established")
    run = run_uppsala(world)
    proposals = list(run.proposals.all())
    assert len(proposals) == 3
    services.reject_proposal(actor=world.admin, proposal=proposals[0], reason="")
    result = services.approve_many(actor=world.admin, proposals=proposals)
    assert len(result.approved) == 2
    assert [p.pk for p, _msg in result.conflicts] == [proposals[0].pk]
    assert Match.objects.count() == 2


def test_choose_partner(world):
    n1 = person(world, "newcomer", interests=["fika"])
    n2 = person(world, "newcomer", interests=["music"])
    e1 = person(world, "established", interests=["fika"])
    e2 = person(world, "established", interests=["music"])
    run = run_uppsala(world)
    p1 = run.proposals.get(newcomer=n1)
    assert p1.established == e1
    p2 = run.proposals.get(newcomer=n2)
    ranked = services.candidates(proposal=p1, side="newcomer")
    assert {c.partner_id for c in ranked} == {str(e1.pk), str(e2.pk)}
    assert ranked[0].partner_id == str(e1.pk)  # shares an interest
    assert not next(c for c in ranked if c.partner_id == str(e2.pk)).available  # proposed to n2
    new = services.choose_partner(actor=world.uppsala_coordinator, proposal=p1, partner=e2)
    assert new.run == run and new.newcomer == n1 and new.established == e2 and new.chosen_by_staff
    assert new.state == ProposalState.PROPOSED and new.reasons
    p1.refresh_from_db()
    p2.refresh_from_db()
    assert p1.state == ProposalState.SUPERSEDED
    assert p2.state == ProposalState.SUPERSEDED  # held e2's only capacity
    assert AuditEvent.objects.filter(action="matching.partner_chosen").exists()
    services.approve_proposal(actor=world.uppsala_coordinator, proposal=new)


def test_choose_partner_refuses_incompatible(world):
    person(world, "newcomer", languages=["ar"])
    person(world, "established", languages=["ar", "sv"])
    stranger = person(world, "established", languages=["fi"])
    proposal = run_uppsala(world).proposals.get()
    with pytest.raises(MatchConflict):
        services.choose_partner(actor=world.admin, proposal=proposal, partner=stranger)
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.PROPOSED


def test_reasons_render_in_staff_language():
    from django.utils import translation

    from kompis.matching.reasons import render_reason, render_shortage

    with translation.override("en"):
        text = render_reason("shared_interests", {"count": 2, "items": ["football", "board_games"]})
        assert text == "2 shared interests: Football, Board games"
        assert render_reason("shared_interests", {"count": 1, "items": ["fika"]}) == "1 shared interest: Fika"
        line = render_shortage(
            {
                "role": "newcomer",
                "language": "ar",
                "mode": "physical",
                "municipality_code": "2580",
                "waiting": 38,
                "compatible": 4,
                "free": 1,
            },
            {"2580": "Luleå"},
        )
        assert line.startswith("38 Arabic-speaking newcomers in Luleå want to meet physically; 4 compatible")
