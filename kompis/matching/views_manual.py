"""Staff pages for matching by hand and for exclusions between two people."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from kompis.accounts.access import people_required
from kompis.accounts.models import User
from kompis.accounts.requests import StaffRequest
from kompis.matching import manual, selectors, services
from kompis.matching.forms import ManualMatchForm
from kompis.matching.models import ExcludedPair
from kompis.matching.reasons import render_reasons
from kompis.participants.access import get_participant_for_user, participants_for_user
from kompis.participants.models import Participant
from kompis.participants.selectors import ParticipantFilter, filtered_participants
from kompis.participants.vocab import Status

SEARCH_LIMIT = 15


def _get(user: User, uid: str) -> Participant:
    try:
        return get_participant_for_user(user, uid)
    except ValidationError as exc:  # not a uuid
        raise Http404("No such participant") from exc


def _chosen(request: StaffRequest, key: str, role: str) -> Participant | None:
    """The person named in the query string, through the access helper (404 outside the user's scope)."""
    uid = request.GET.get(key) or ""
    if not uid:
        return None
    person = _get(request.user, uid)
    if selectors.role_of(person) != role:
        raise Http404("Wrong role, or not in friend matching")
    return person


def _search(request: StaffRequest, key: str, role: str) -> list[Participant]:
    """Waiting people of the role (their participation in friend matching), longest wait first."""
    q = (request.GET.get(key) or "").strip()[:100]
    qs = filtered_participants(user=request.user, filters=ParticipantFilter(q=q)).filter(
        friend_matching__role=role, friend_matching__status=Status.WAITING
    )
    qs = qs.select_related("friend_matching").order_by("friend_matching__waiting_since", "pk")
    return list(qs[:SEARCH_LIMIT])


def _pair(user: User, participant_id: str, partner_id: str) -> tuple[Participant, Participant]:
    """(newcomer, established) from the participant in the URL and the partner in the body; 404 when
    either is outside the user's scope, a tampered id, not in friend matching, or both have the same role."""
    person = _get(user, participant_id)
    partner = _get(user, partner_id)
    roles = {selectors.role_of(person), selectors.role_of(partner)}
    if roles != {"newcomer", "established"}:
        raise Http404("Not one newcomer and one established participant in friend matching")
    return (person, partner) if selectors.role_of(person) == "newcomer" else (partner, person)


def _page_url(newcomer: Participant | None, established: Participant | None) -> str:
    params = []
    if newcomer is not None:
        params.append(f"newcomer={newcomer.uid}")
    if established is not None:
        params.append(f"established={established.uid}")
    return reverse("matching:manual") + ("?" + "&".join(params) if params else "")


def _visible_exclusions(user: User, person: Participant | None) -> list[ExcludedPair]:
    """The person's exclusions whose other person the user may see (names outside the scope stay hidden)."""
    if person is None:
        return []
    items = manual.exclusions_of(person)
    ids = {pk for x in items for pk in (x.newcomer_id, x.established_id)}
    visible = set(participants_for_user(user).filter(pk__in=ids).values_list("pk", flat=True))
    return [x for x in items if x.newcomer_id in visible and x.established_id in visible]


def _render(
    request: StaffRequest,
    newcomer: Participant | None,
    established: Participant | None,
    form: ManualMatchForm | None = None,
    status: int = 200,
) -> HttpResponse:
    check = None
    if newcomer is not None and established is not None:
        check = manual.check_pair(newcomer, established)
        if form is None:
            form = ManualMatchForm(initial={"partner": established.uid})
    overrides = (form["override"].value() or []) if form is not None and form.is_bound else []
    context = {
        "nav": "matching",
        "newcomer": newcomer,
        "established": established,
        "qn": (request.GET.get("qn") or "").strip()[:100],
        "qe": (request.GET.get("qe") or "").strip()[:100],
        "newcomers": [] if newcomer else _search(request, "qn", "newcomer"),
        "established_list": [] if established else _search(request, "qe", "established"),
        "check": check,
        "form": form,
        "overrides": overrides,
        "reasons": render_reasons(check.reasons, selectors.municipality_names()) if check else [],
        "newcomer_wait": selectors.waiting_days(newcomer) if newcomer else 0,
        "established_wait": selectors.waiting_days(established) if established else 0,
        "exclusions": {
            "newcomer": _visible_exclusions(request.user, newcomer),
            "established": _visible_exclusions(request.user, established),
        },
        "removable": manual.REMOVABLE_EXCLUSIONS,
        "not_told": not_told_by_mail(newcomer, established) if newcomer and established else "",
        "here": request.get_full_path(),
    }
    return render(request, "matching/manual.html", context, status=status)


@people_required
def manual_page(request: StaffRequest) -> HttpResponse:
    """Pick a waiting newcomer and a waiting established participant; see the rules and the score."""
    return _render(
        request, _chosen(request, "newcomer", "newcomer"), _chosen(request, "established", "established")
    )


@require_POST
@people_required
def manual_match(request: StaffRequest, participant_id: str) -> HttpResponse:
    newcomer, established = _pair(request.user, participant_id, request.POST.get("partner", ""))
    form = ManualMatchForm(request.POST)
    if not form.is_valid():
        return _render(request, newcomer, established, form)
    try:
        match = manual.create_manual_match(
            actor=request.user,
            newcomer=newcomer,
            established=established,
            overrides=form.cleaned_data["override"],
            reason=form.cleaned_data["reason"],
        )
    except services.MatchConflict as exc:
        form.add_error(None, str(exc))
        return _render(request, newcomer, established, form)
    unreached = not_told_by_mail(newcomer, established)
    text = _("Match approved: %(a)s and %(b)s.") % {"a": newcomer.full_name, "b": established.full_name}
    messages.success(
        request, f"{text} {unreached}" if unreached else f"{text} {_('Both get an introduction by e-mail.')}"
    )
    return redirect("followup:match", match_id=match.uid)


def not_told_by_mail(*people: Participant) -> str:
    """A sentence for staff naming who gets no introduction mail (no address, or one that bounces: a paper
    sign-up, an imported record), so that staff tell them; "" when both are written to."""
    names = [p.full_name for p in people if not p.email or p.email_bouncing]
    if not names:
        return ""
    return ngettext(
        "%(names)s gets no introduction by e-mail (no working e-mail address): tell them about the match yourself.",
        "%(names)s get no introduction by e-mail (no working e-mail address): tell them about the match yourself.",
        len(names),
    ) % {"names": _(" and ").join(names)}


def _back(request: StaffRequest, default: str) -> HttpResponseRedirect:
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(target)
    return HttpResponseRedirect(default)


@require_POST
@people_required
def exclusion_add(request: StaffRequest, participant_id: str) -> HttpResponse:
    newcomer, established = _pair(request.user, participant_id, request.POST.get("partner", ""))
    manual.add_exclusion(actor=request.user, newcomer=newcomer, established=established)
    messages.success(
        request,
        _("%(a)s and %(b)s will never be proposed or matched with each other.")
        % {"a": newcomer.full_name, "b": established.full_name},
    )
    return _back(request, _page_url(newcomer, established))


@require_POST
@people_required
def exclusion_remove(request: StaffRequest, participant_id: str) -> HttpResponse:
    newcomer, established = _pair(request.user, participant_id, request.POST.get("partner", ""))
    try:
        removed = manual.remove_exclusion(actor=request.user, newcomer=newcomer, established=established)
    except services.MatchConflict as exc:
        messages.error(request, str(exc))
    else:
        if removed:
            messages.success(
                request,
                _("The exclusion between %(a)s and %(b)s is lifted.")
                % {"a": newcomer.full_name, "b": established.full_name},
            )
        else:
            messages.info(request, _("These two were not excluded."))
    return _back(request, _page_url(newcomer, established))
