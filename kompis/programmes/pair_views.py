"""Staff pages for mentor pairs: a programme's rules and weights; on the cohort page, propose pairs with the
engine, approve (one or all), reject, choose another mentor, end a pair. Every change is a POST."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from kompis.accounts.access import people_required
from kompis.accounts.requests import StaffRequest
from kompis.programmes import pairs
from kompis.programmes.access import (
    get_cohort_for_user,
    get_enrolment_for_user,
    get_pair_for_user,
    get_programme_for_user,
)
from kompis.programmes.models import Enrolment
from kompis.programmes.pair_forms import ChooseMentorForm, EndPairForm, PairingRulesForm
from kompis.programmes.pair_panel import mentor_choices

REFUSALS = {
    "stale": lambda: _("This pair has already been decided: the page was out of date."),
    "mentee_paired": lambda: _("The mentee already has an active pair."),
    "no_place": lambda: _("The mentor has no place left for another mentee."),
    "not_active": lambda: _("The mentee or the mentor is no longer active in the cohort."),
    "wrong_roles": lambda: _("Choose a mentor of the same cohort for a mentee."),
}


def _back(cohort_uid: object) -> HttpResponse:
    response = redirect("programmes:cohort", cohort_id=cohort_uid)
    response["Location"] += "#pairs"
    return response


@people_required
def pairing_rules(request: StaffRequest, programme_id: str) -> HttpResponse:
    programme = get_programme_for_user(request.user, programme_id)
    if request.method == "POST":
        form = PairingRulesForm(request.POST)
        if form.is_valid():
            pairs.save_rules(actor=request.user, programme=programme, rules=form.rules())
            messages.success(request, _("The rules for mentor pairs are saved."))
            return redirect("programmes:detail", programme_id=programme.uid)
    else:
        form = PairingRulesForm.for_rules(pairs.rules_of(programme))
    return render(
        request, "programmes/pairing_rules.html", {"nav": "programmes", "programme": programme, "form": form}
    )


@people_required
@require_POST
def pairs_propose(request: StaffRequest, cohort_id: str) -> HttpResponse:
    cohort = get_cohort_for_user(request.user, cohort_id)
    result = pairs.propose_pairs(actor=request.user, cohort=cohort)
    messages.success(
        request,
        ngettext("%(count)d pair proposed.", "%(count)d pairs proposed.", result.proposed)
        % {"count": result.proposed},
    )
    if result.unmatched:
        messages.warning(
            request,
            ngettext(
                "%(count)d mentee has no proposal: no mentor with a place fits the rules.",
                "%(count)d mentees have no proposal: no mentor with a place fits the rules.",
                result.unmatched,
            )
            % {"count": result.unmatched},
        )
    return _back(cohort.uid)


@people_required
@require_POST
def pairs_approve_all(request: StaffRequest, cohort_id: str) -> HttpResponse:
    cohort = get_cohort_for_user(request.user, cohort_id)
    approved, refused = pairs.approve_all(actor=request.user, cohort=cohort)
    messages.success(
        request,
        ngettext("%(count)d pair approved.", "%(count)d pairs approved.", approved) % {"count": approved},
    )
    if refused:
        messages.warning(
            request,
            ngettext(
                "%(count)d pair could not be approved: see the proposals.",
                "%(count)d pairs could not be approved: see the proposals.",
                refused,
            )
            % {"count": refused},
        )
    return _back(cohort.uid)


@people_required
@require_POST
def pair_approve(request: StaffRequest, pair_id: str) -> HttpResponse:
    pair = get_pair_for_user(request.user, pair_id)
    try:
        pairs.approve_pair(actor=request.user, pair=pair)
        messages.success(request, _("The pair is approved; both get an introduction mail."))
    except pairs.PairRefused as refused:
        messages.error(request, REFUSALS[refused.code]())
    return _back(pair.cohort.uid)


@people_required
@require_POST
def pair_reject(request: StaffRequest, pair_id: str) -> HttpResponse:
    pair = get_pair_for_user(request.user, pair_id)
    try:
        pairs.reject_pair(actor=request.user, pair=pair)
        messages.success(request, _("The proposal is rejected."))
    except pairs.PairRefused as refused:
        messages.error(request, REFUSALS[refused.code]())
    return _back(pair.cohort.uid)


@people_required
@require_POST
def pair_end(request: StaffRequest, pair_id: str) -> HttpResponse:
    pair = get_pair_for_user(request.user, pair_id)
    form = EndPairForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose why the pair ends."))
        return _back(pair.cohort.uid)
    try:
        pairs.end_pair(actor=request.user, pair=pair, reason=form.cleaned_data["reason"])
        messages.success(request, _("The pair has ended."))
    except pairs.PairRefused as refused:
        messages.error(request, REFUSALS[refused.code]())
    return _back(pair.cohort.uid)


@people_required
@require_POST
def choose_mentor(request: StaffRequest, enrolment_id: str) -> HttpResponse:
    """Pair the mentee (in the URL) with a mentor of the same cohort (in the body) chosen from the ranked
    candidates; a mentor of another cohort or one the rules do not allow is refused with a message."""
    mentee = get_enrolment_for_user(request.user, enrolment_id)
    form = ChooseMentorForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a mentor."))
        return _back(mentee.cohort.uid)
    mentor = Enrolment.objects.filter(uid=form.cleaned_data["mentor"], cohort=mentee.cohort).first()
    choices = mentor_choices(user=request.user, cohort=mentee.cohort, mentees=[mentee])[mentee.pk]
    choice = next((c for c in choices if mentor is not None and c.mentor.pk == mentor.pk), None)
    if mentor is None or choice is None:
        messages.error(request, _("This mentor does not fit the programme's rules for this mentee."))
        return _back(mentee.cohort.uid)
    try:
        pairs.choose_mentor(
            actor=request.user, mentee=mentee, mentor=mentor, score=choice.score, reasons=choice.reasons
        )
        messages.success(request, _("The pair is made; both get an introduction mail."))
    except pairs.PairRefused as refused:
        messages.error(request, REFUSALS[refused.code]())
    return _back(mentee.cohort.uid)
