"""Reads for the matching pages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlencode

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from kompis.matching.access import AnyUser, people_viewer, runs_for_user
from kompis.matching.models import MatchingRun, Proposal, ProposalState, RunStatus
from kompis.matching.reasons import render_reasons, render_shortage, render_unmatched, rule_label
from kompis.municipalities.models import Municipality
from kompis.participants.access import participants_for_user
from kompis.participants.models import FriendParticipation, Participant
from kompis.participants.vocab import Status


def municipality_names(codes: Iterable[str] | None = None) -> dict[str, str]:
    qs = Municipality.objects.all()
    if codes is not None:
        qs = qs.filter(code__in=set(codes))
    return dict(qs.values_list("code", "name"))


def friend_of(person: Participant) -> FriendParticipation | None:
    """The person's participation in friend matching, None when they take part only in other activities."""
    try:
        return person.friend_matching
    except FriendParticipation.DoesNotExist:
        return None


def role_of(person: Participant) -> str:
    """The person's role in friend matching ("newcomer", "established"), "" without a participation."""
    friend = friend_of(person)
    return friend.role if friend is not None else ""


def waiting_days(person: Participant, today: dt.date | None = None) -> int:
    """Days since the person began waiting in friend matching (signed up, or joined again); 0 without a
    participation in friend matching."""
    today = today or timezone.localdate()
    friend = friend_of(person)
    if friend is None:
        return 0
    return max(0, (today - timezone.localtime(friend.waiting_since).date()).days)


PROPOSAL_RELATED = (
    "run",
    "newcomer",
    "established",
    "newcomer__friend_matching",
    "established__friend_matching",
    "newcomer__municipality",
    "established__municipality",
    "decided_by",
)
#: proposals per page of the review (the view and the position after a decision must agree)
REVIEW_PAGE_SIZE = 50


def run_proposals(run: MatchingRun, *, state: str | None) -> QuerySet[Proposal]:
    qs = run.proposals.select_related(*PROPOSAL_RELATED)
    if state:
        qs = qs.filter(state=state)
    return qs.order_by("rank", "id")


def review_position_url(proposal: Proposal, *, state: str) -> str:
    """Where the review continues after deciding ``proposal``: the page of the ``state`` filter that now
    holds the next proposal (the decided one may have left the filter), with an anchor on that proposal."""
    listing = run_proposals(proposal.run, state=None if state == "all" else state)
    after = Q(rank__gt=proposal.rank) | Q(rank=proposal.rank, id__gt=proposal.pk)
    target = listing.filter(after).first() or listing.filter(~after, ~Q(pk=proposal.pk)).last()
    url = reverse("matching:run_detail", args=[proposal.run.uid])
    params: dict[str, Any] = {"state": state}
    anchor = ""
    if target is not None:
        before = listing.filter(Q(rank__lt=target.rank) | Q(rank=target.rank, id__lt=target.pk)).count()
        page = before // REVIEW_PAGE_SIZE + 1
        if page > 1:
            params["page"] = page
        anchor = f"#proposal-{target.uid}"
    return f"{url}?{urlencode(params)}{anchor}"


def review_rows(proposals: Iterable[Proposal]) -> list[dict[str, Any]]:
    """Proposals with their reasons rendered in the active language and waiting days of both people."""
    proposals = list(proposals)
    names = municipality_names(
        r.get("params", {}).get("code", "")
        for p in proposals
        for r in p.reasons
        if r.get("code") == "same_municipality"
    )
    today = timezone.localdate()
    return [
        {
            "p": p,
            "reasons": render_reasons(p.reasons, names),
            "newcomer_wait": waiting_days(p.newcomer, today),
            "established_wait": waiting_days(p.established, today),
        }
        for p in proposals
    ]


def top_blocking_rules(run: MatchingRun, limit: int = 3) -> list[dict[str, Any]]:
    rules = sorted((run.stats.get("blocking_rules") or {}).items(), key=lambda kv: -kv[1])
    return [{"rule": rule, "label": rule_label(rule), "count": n} for rule, n in rules[:limit]]


def state_counts(run: MatchingRun) -> dict[str, int]:
    from django.db.models import Count

    counts = dict(run.proposals.values("state").annotate(n=Count("id")).values_list("state", "n"))
    return {state: counts.get(state, 0) for state in ProposalState.values}


def latest_runs_by_scope(user: AnyUser, limit: int = 50) -> list[MatchingRun]:
    """The newest finished run of every scope the user can see (newest first); queued, running and failed
    runs have no outcome yet."""
    seen: set[tuple[int | None, int | None]] = set()
    out = []
    finished = runs_for_user(user).filter(status__in=[RunStatus.DRAFT, RunStatus.CLOSED])
    for run in finished.select_related("region", "project")[:limit]:
        key = (run.region_id, run.project_id)
        if key not in seen:
            seen.add(key)
            out.append(run)
    return out


def pool_health(user: AnyUser, *, limit: int = 100) -> dict[str, Any]:
    """Longest waits with each person's blocker in the latest run, and shortages per scope."""
    runs = latest_runs_by_scope(user)
    # the people whose participation in friend matching waits, longest wait first
    waiting = participants_for_user(user).filter(friend_matching__status=Status.WAITING)
    viewer = people_viewer(user)
    if viewer is not None:  # the participation's own organisation: its index (organisation, status, …)
        waiting = waiting.filter(friend_matching__organisation_id=viewer[1])
    waiting = waiting.select_related("friend_matching", "municipality", "region", "project").order_by(
        "friend_matching__waiting_since", "pk"
    )
    total = waiting.count()
    people = list(waiting[:limit])
    open_proposals: set[int] = set()
    for n, e in Proposal.objects.filter(run__in=runs, state=ProposalState.PROPOSED).values_list(
        "newcomer_id", "established_id"
    ):
        open_proposals.update((n, e))
    today = timezone.localdate()
    rows = []
    for person in people:
        key = str(person.pk)
        blocker = None
        run_for_person = None
        for run in runs:  # newest first
            if key in run.unmatched:
                u = run.unmatched[key]
                blocker = render_unmatched(u.get("rule", ""), int(u.get("eliminated", 0)))
                run_for_person = run
                break
        rows.append(
            {
                "person": person,
                "days": waiting_days(person, today),
                "proposed": person.pk in open_proposals,
                "blocker": blocker,
                "run": run_for_person,
            }
        )
    codes = {
        str(s.get("municipality_code")) for run in runs for s in run.shortages if s.get("municipality_code")
    }
    names = municipality_names(codes)
    shortages = [
        {"run": run, "items": [render_shortage(s, names) for s in run.shortages[:15]]}
        for run in runs
        if run.shortages
    ]
    return {"total_waiting": total, "rows": rows, "shortages": shortages, "runs": runs}
