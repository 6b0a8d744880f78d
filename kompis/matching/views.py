"""Staff pages for matching. Thin: access helper → form → service → redirect."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from kompis.accounts.access import org_admin_required, people_required
from kompis.accounts.requests import StaffRequest
from kompis.matching import runs, selectors, services
from kompis.matching.access import get_proposal_for_user, get_run_for_user, matches_for_user, runs_for_user
from kompis.matching.forms import RejectForm, RunForm, WeightsForm
from kompis.matching.models import (
    ACTIVE_RUN_STATUSES,
    MatchingRun,
    MatchingSettings,
    Proposal,
    ProposalState,
    RunStatus,
)
from kompis.matching.reasons import reasons_to_json, render_reasons
from kompis.matching.views_manual import not_told_by_mail
from kompis.organisations.models import Organisation
from kompis.participants.access import participants_for_user, visible_people
from kompis.participants.models import Participant

PAGE_SIZE = selectors.REVIEW_PAGE_SIZE


def _back(request: StaffRequest, default: str) -> HttpResponseRedirect:
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(target)
    return HttpResponseRedirect(default)


def _organisation(request: StaffRequest) -> Organisation:
    """The staff member's organisation (the access decorators let only members of one through)."""
    organisation = request.user.organisation
    if organisation is None:
        raise PermissionDenied
    return organisation


def _runs_page(request: StaffRequest) -> Page[MatchingRun]:
    qs = runs_for_user(request.user).select_related("region", "project", "created_by")
    q = (request.GET.get("q") or "").strip()[:100]
    for word in q.split()[:4]:
        qs = qs.filter(name__icontains=word)
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


def _run_list(request: StaffRequest, form: RunForm, status: int = 200) -> HttpResponse:
    context = {
        "nav": "matching",
        "page": _runs_page(request),
        "form": form,
        "q": (request.GET.get("q") or "").strip()[:100],
    }
    return render(request, "matching/run_list.html", context, status=status)


@people_required
def run_list(request: StaffRequest) -> HttpResponse:
    """GET: the runs (filtered by name with ?q=); POST: queue a matching run for the chosen scope."""
    if request.method != "POST":
        return _run_list(request, RunForm(user=request.user))
    form = RunForm(request.POST, user=request.user)
    if not form.is_valid():
        return _run_list(request, form, status=400)
    try:
        run = runs.start_run(
            actor=request.user,
            organisation=_organisation(request),
            region=form.cleaned_data["region"],
            project=form.cleaned_data["project"],
            solver=form.cleaned_data["solver"],
            name=form.cleaned_data["name"],
        )
    except runs.RunRefused as exc:
        form.add_error(None, str(exc))
        return _run_list(request, form, status=409)
    messages.success(request, _("Matching has started. You can leave this page and come back later."))
    return redirect("matching:run_detail", run_id=run.uid)


def _progress_context(run: MatchingRun) -> dict[str, Any]:
    now = timezone.now()
    return {
        "run": run,
        "active": run.is_active,
        "stale": run.status == RunStatus.RUNNING and run.lease_until is not None and run.lease_until < now,
        "waiting_long": run.status == RunStatus.QUEUED and (now - run.created_at).total_seconds() > 60,
    }


@people_required
def run_detail(request: StaffRequest, run_id: UUID) -> HttpResponse:
    run = get_run_for_user(request.user, run_id)
    if run.status in (*ACTIVE_RUN_STATUSES, RunStatus.FAILED):
        return render(
            request,
            "matching/run_detail.html",
            {"nav": "matching", "pending": True, **_progress_context(run)},
        )
    state = request.GET.get("state", ProposalState.PROPOSED)
    if state not in ProposalState.values and state != "all":
        state = ProposalState.PROPOSED
    page = Paginator(
        selectors.run_proposals(run, state=None if state == "all" else state), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "matching/run_detail.html",
        {
            "nav": "matching",
            "run": run,
            "page": page,
            "rows": selectors.review_rows(page),
            "state": state,
            "states": [("all", _("All")), *ProposalState.choices],
            "counts": selectors.state_counts(run),
            "blocking": selectors.top_blocking_rules(run),
            "reject_form": RejectForm(),
        },
    )


@people_required
def run_progress(request: StaffRequest, run_id: UUID) -> HttpResponse:
    """The progress box, polled by htmx; once the run is over the page reloads to show the outcome."""
    run = get_run_for_user(request.user, run_id)
    if not request.headers.get("HX-Request"):
        return render(request, "matching/_run_progress.html", _progress_context(run))
    # htmx replaces the content of the live region (a region that stays is what screen readers announce)
    response = render(request, "matching/_run_progress_live.html", _progress_context(run))
    if not run.is_active:
        response["HX-Refresh"] = "true"
    return response


def _decided(request: StaffRequest, proposal: Proposal, message: str, ok: bool) -> HttpResponse:
    """After approve/reject: the row itself for htmx (the page stays put), else back to the same page and
    filter, scrolled to the next proposal (#anchor)."""
    if request.headers.get("HX-Request"):
        proposal.refresh_from_db()
        row = selectors.review_rows(
            [Proposal.objects.select_related(*selectors.PROPOSAL_RELATED).get(pk=proposal.pk)]
        )[0]
        return render(
            request, "matching/_proposal_row.html", {"row": row, "message": message, "ok": ok, "state": ""}
        )
    (messages.success if ok else messages.error)(request, message)
    state = request.POST.get("state") or ProposalState.PROPOSED
    if state not in ProposalState.values and state != "all":
        state = ProposalState.PROPOSED
    return HttpResponseRedirect(selectors.review_position_url(proposal, state=state))


@require_POST
@people_required
def proposal_approve(request: StaffRequest, proposal_id: UUID) -> HttpResponse:
    proposal = get_proposal_for_user(request.user, proposal_id)
    try:
        services.approve_proposal(actor=request.user, proposal=proposal)
    except services.MatchConflict as exc:
        return _decided(request, proposal, str(exc), ok=False)
    message = _("Match approved: %(a)s and %(b)s.") % {
        "a": proposal.newcomer.full_name,
        "b": proposal.established.full_name,
    }
    if unreached := not_told_by_mail(proposal.newcomer, proposal.established):
        message = f"{message} {unreached}"
    return _decided(request, proposal, message, ok=True)


@require_POST
@people_required
def run_approve_page(request: StaffRequest, run_id: UUID) -> HttpResponse:
    run = get_run_for_user(request.user, run_id)
    uids = request.POST.getlist("proposal")
    proposals = []
    for uid in uids:
        try:
            proposals.append(
                run.proposals.select_related("newcomer", "established", "run").get(
                    uid=uid, state=ProposalState.PROPOSED
                )
            )
        except (Proposal.DoesNotExist, ValidationError, ValueError):  # unknown or already decided
            continue
    result = services.approve_many(actor=request.user, proposals=proposals)
    if result.approved:
        messages.success(
            request,
            ngettext("%(count)d match approved.", "%(count)d matches approved.", len(result.approved))
            % {"count": len(result.approved)},
        )
    for proposal, message in result.conflicts:
        messages.error(
            request,
            _("%(a)s and %(b)s: %(message)s")
            % {"a": proposal.newcomer.full_name, "b": proposal.established.full_name, "message": message},
        )
    return _back(request, reverse("matching:run_detail", args=[run.uid]))


@require_POST
@people_required
def proposal_reject(request: StaffRequest, proposal_id: UUID) -> HttpResponse:
    proposal = get_proposal_for_user(request.user, proposal_id)
    form = RejectForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.reject_proposal(actor=request.user, proposal=proposal, reason=reason)
    except services.MatchConflict as exc:
        return _decided(request, proposal, str(exc), ok=False)
    message = _("Proposal rejected; %(a)s and %(b)s will not be proposed again.") % {
        "a": proposal.newcomer.full_name,
        "b": proposal.established.full_name,
    }
    return _decided(request, proposal, message, ok=True)


@people_required
def proposal_candidates(request: StaffRequest, proposal_id: UUID) -> HttpResponse:
    proposal = get_proposal_for_user(request.user, proposal_id)
    side = request.GET.get("for", "newcomer")
    if side not in ("newcomer", "established"):
        raise Http404
    found = services.candidates(proposal=proposal, side=side, limit=30)
    visible = {
        str(pk): p
        for pk, p in (
            (p.pk, p)
            for p in participants_for_user(request.user)
            .filter(pk__in=[int(c.partner_id) for c in found])
            .select_related("municipality", "friend_matching")
        )
    }
    names = selectors.municipality_names()
    rows = [
        {
            "c": c,
            "person": visible[c.partner_id],
            "reasons": render_reasons(reasons_to_json(c.reasons), names),
            "current": c.partner_id
            == str(getattr(proposal, "established_id" if side == "newcomer" else "newcomer_id")),
        }
        for c in found
        if c.partner_id in visible
    ]
    template = (
        "matching/_candidates.html" if request.headers.get("HX-Request") else "matching/candidates.html"
    )
    return render(
        request,
        template,
        {
            "nav": "matching",
            "proposal": proposal,
            "run": proposal.run,
            "side": side,
            "person": getattr(proposal, side),
            "rows": rows,
        },
    )


@require_POST
@people_required
def proposal_choose(request: StaffRequest, proposal_id: UUID) -> HttpResponse:
    proposal = get_proposal_for_user(request.user, proposal_id)
    try:
        # only someone in friend matching can be a partner (a person of other activities only: 404)
        partner = (
            participants_for_user(request.user)
            .filter(friend_matching__isnull=False)
            .select_related("friend_matching")
            .get(uid=request.POST.get("partner", ""))
        )
    except (Participant.DoesNotExist, ValidationError, ValueError) as exc:
        raise Http404("No such participant") from exc
    try:
        new = services.choose_partner(actor=request.user, proposal=proposal, partner=partner)
    except services.MatchConflict as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("New proposal: %(a)s and %(b)s.")
            % {"a": new.newcomer.full_name, "b": new.established.full_name},
        )
    return redirect("matching:run_detail", run_id=proposal.run.uid)


@people_required
def pool(request: StaffRequest) -> HttpResponse:
    return render(request, "matching/pool.html", {"nav": "matching", **selectors.pool_health(request.user)})


@people_required
def match_list(request: StaffRequest) -> HttpResponse:
    qs = matches_for_user(request.user).select_related(
        "newcomer__region", "established__region", "newcomer__municipality", "established__municipality"
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    people = visible_people(request.user, [p for m in page for p in (m.newcomer, m.established)])
    rows = [
        {"m": m, "newcomer": people[m.newcomer_id], "established": people[m.established_id]} for m in page
    ]
    return render(request, "matching/match_list.html", {"nav": "matching", "page": page, "rows": rows})


@org_admin_required
def settings_view(request: StaffRequest) -> HttpResponse:
    org = _organisation(request)
    current = MatchingSettings.objects.filter(organisation=org).first()
    initial: dict[str, Any] = WeightsForm.initial_from(current.weights if current else {})
    form = WeightsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.update_matching_settings(actor=request.user, organisation=org, weights=form.to_mapping())
        messages.success(request, _("Matching weights saved. They apply to the next matching run."))
        return redirect("matching:settings")
    return render(request, "matching/settings.html", {"nav": "matching", "form": form})
