"""Programmes' staff pages: the list, a new programme, a programme with its cohorts, a new cohort, a cohort with its enrolments (find a
person in scope and enrol them; complete or drop out an enrolment)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kompis.accounts.access import people_required
from kompis.accounts.requests import StaffRequest
from kompis.audit.selectors import history_of
from kompis.audit.sentences import history_lines
from kompis.participants.access import get_participant_for_user, visible_people
from kompis.programmes import pair_panel, selectors, services, session_panel
from kompis.programmes.access import get_cohort_for_user, get_enrolment_for_user, get_programme_for_user
from kompis.programmes.forms import CohortForm, DropOutForm, EnrolForm, ProgrammeForm
from kompis.programmes.models import DropoutReason, EnrolmentStatus

REFUSALS = {
    "duplicate": lambda: _("This person is already enrolled in this cohort."),
    "open_elsewhere": lambda: _(
        "This person is already waiting or active in another cohort of this programme. "
        "Complete or end that enrolment first."
    ),
    "other_organisation": lambda: _("This person cannot be enrolled in this programme."),
    "closed": lambda: _("The cohort has ended."),
    "not_open": lambda: _("The enrolment has already ended."),
}


@people_required
def programme_list(request: StaffRequest) -> HttpResponse:
    return render(
        request,
        "programmes/list.html",
        {"nav": "programmes", "programmes": selectors.programme_list(user=request.user)[:200]},
    )


@people_required
def programme_new(request: StaffRequest) -> HttpResponse:
    form = ProgrammeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        organisation = request.user.organisation
        if organisation is None:  # the access decorator lets only members of an organisation through
            raise PermissionDenied
        programme = services.create_programme(
            actor=request.user, organisation=organisation, data=form.programme_data()
        )
        messages.success(request, _("The programme is created."))
        return redirect("programmes:detail", programme_id=programme.uid)
    return render(request, "programmes/programme_new.html", {"nav": "programmes", "form": form})


@people_required
def cohort_new(request: StaffRequest, programme_id: str) -> HttpResponse:
    programme = get_programme_for_user(request.user, programme_id)
    form = CohortForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        cohort = services.create_cohort(actor=request.user, programme=programme, data=form.cohort_data())
        messages.success(request, _("The cohort is created."))
        return redirect("programmes:cohort", cohort_id=cohort.uid)
    return render(
        request, "programmes/cohort_new.html", {"nav": "programmes", "programme": programme, "form": form}
    )


@people_required
def programme_detail(request: StaffRequest, programme_id: str) -> HttpResponse:
    programme = get_programme_for_user(request.user, programme_id)
    return render(
        request,
        "programmes/detail.html",
        {
            "nav": "programmes",
            "programme": programme,
            "cohorts": selectors.cohorts_with_counts(programme),
            "history": history_lines(request.user, history_of(programme)[:50]),
        },
    )


@people_required
def cohort_detail(request: StaffRequest, cohort_id: str) -> HttpResponse:
    cohort = get_cohort_for_user(request.user, cohort_id)
    enrolments = selectors.enrolments_of_cohort(cohort)
    people = visible_people(request.user, [e.participant for e in enrolments])
    query = request.GET.get("q", "").strip()[:100]
    sessions_panel = session_panel.cohort_panel(user=request.user, cohort=cohort)
    return render(
        request,
        "programmes/cohort.html",
        {
            "nav": "programmes",
            "cohort": cohort,
            "programme": cohort.programme,
            "rows": [
                {"e": e, "person": people[e.participant_id], "sessions": sessions_panel["attended"].get(e.pk)}
                for e in enrolments
            ],
            "query": query,
            "candidates": selectors.people_to_enrol(user=request.user, cohort=cohort, query=query),
            "enrol_form": EnrolForm(),
            # one list of reasons for every row's drop-out form (a bound field per row would repeat its ids)
            "drop_reasons": [(value, str(label)) for value, label in DropoutReason.choices],
            "drop_reason_label": str(DropOutForm.base_fields["reason"].label),
            "drop_note_label": str(DropOutForm.base_fields["note"].label),
            "pairs_panel": pair_panel.cohort_panel(user=request.user, cohort=cohort),
            "sessions_panel": sessions_panel,
        },
    )


@people_required
@require_POST
def cohort_enrol(request: StaffRequest, cohort_id: str) -> HttpResponse:
    """Enrol a person in the user's scope (named in the body) in the cohort."""
    cohort = get_cohort_for_user(request.user, cohort_id)
    form = EnrolForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Check the enrolment: %(errors)s") % {"errors": form.errors.as_text()})
        return redirect("programmes:cohort", cohort_id=cohort.uid)
    person = get_participant_for_user(request.user, form.cleaned_data["participant"])
    try:
        enrolment = services.enrol(
            actor=request.user, cohort=cohort, participant=person, data=form.enrolment_data()
        )
    except services.EnrolmentRefused as refused:
        messages.error(request, REFUSALS[refused.code]())
    else:
        if enrolment.status == EnrolmentStatus.WAITING:
            messages.warning(
                request,
                _("The cohort is full: %(name)s is on the waiting list.") % {"name": person.full_name},
            )
        else:
            messages.success(request, _("%(name)s is enrolled.") % {"name": person.full_name})
    return redirect("programmes:cohort", cohort_id=cohort.uid)


@people_required
@require_POST
def enrolment_complete(request: StaffRequest, enrolment_id: str) -> HttpResponse:
    enrolment = get_enrolment_for_user(request.user, enrolment_id)
    try:
        services.complete(actor=request.user, enrolment=enrolment)
        messages.success(request, _("The enrolment is completed."))
    except services.EnrolmentRefused as refused:
        messages.error(request, REFUSALS[refused.code]())
    return redirect("programmes:cohort", cohort_id=enrolment.cohort.uid)


@people_required
@require_POST
def enrolment_drop_out(request: StaffRequest, enrolment_id: str) -> HttpResponse:
    enrolment = get_enrolment_for_user(request.user, enrolment_id)
    form = DropOutForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a reason."))
        return redirect("programmes:cohort", cohort_id=enrolment.cohort.uid)
    try:
        services.drop_out(
            actor=request.user,
            enrolment=enrolment,
            reason=form.cleaned_data["reason"],
            note=form.cleaned_data["note"],
        )
        messages.success(request, _("The dropout is recorded."))
    except services.EnrolmentRefused as refused:
        messages.error(request, REFUSALS[refused.code]())
    return redirect("programmes:cohort", cohort_id=enrolment.cohort.uid)
