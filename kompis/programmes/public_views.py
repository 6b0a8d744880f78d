"""Public programme pages, no login, in the visitor's language: an organisation's programmes open for
enrolment and the enrolment form per programme (`public_enrolment.enrol_publicly`)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kompis.core.ratelimit import over_limit
from kompis.organisations.models import Organisation
from kompis.programmes.models import EnrolmentStatus, Programme
from kompis.programmes.public_enrolment import enrol_publicly, open_cohorts, open_programmes
from kompis.programmes.public_forms import PublicEnrolmentForm
from kompis.programmes.services import EnrolmentRefused

REFUSED = {
    "duplicate": lambda: _(
        "You are already enrolled in this group with this e-mail address. We have not enrolled you again."
    ),
    "closed": lambda: _("This group has ended. Choose another one."),
    "other_organisation": lambda: _("You cannot enrol in this programme."),
}


def _open_programme(organisation: Organisation, programme_id: str) -> Programme:
    """The organisation's programme open for the public form with a cohort still running; else 404."""
    return get_object_or_404(open_programmes(organisation), uid=programme_id)


def programme_list(request: HttpRequest, org: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=org)
    programmes = open_programmes(organisation)[:100]
    return render(
        request, "programmes/public_list.html", {"organisation": organisation, "programmes": programmes}
    )


def enrol(request: HttpRequest, org: str, programme_id: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=org)
    programme = _open_programme(organisation, programme_id)
    cohorts = open_cohorts(programme)
    form = PublicEnrolmentForm(
        request.POST or None, cohorts=cohorts, initial={"language": get_language() or "sv"}
    )
    if request.method == "POST":
        if over_limit(request, group="programme_enrol", rate=settings.SIGNUP_RATE):
            return render(
                request, "participants/rate_limited.html", {"organisation": organisation}, status=429
            )
        if form.is_valid():
            waiting = False
            if not form.cleaned_data.get("website"):  # honeypot left empty: a person
                try:
                    enrolment = enrol_publicly(
                        organisation=organisation,
                        programme=programme,
                        cohort=form.chosen_cohort(),
                        data=form.enrolment(),
                    )
                    waiting = enrolment.status == EnrolmentStatus.WAITING
                except EnrolmentRefused as refused:
                    form.add_error(None, REFUSED.get(refused.code, REFUSED["other_organisation"])())
            if not form.errors:
                response = redirect(
                    "programmes_public:thanks", org=organisation.slug, programme_id=programme.uid
                )
                if waiting:
                    response["Location"] += "?waiting=1"
                return response
    return render(
        request,
        "programmes/public_enrol.html",
        {"organisation": organisation, "programme": programme, "cohorts": cohorts, "form": form},
    )


def thanks(request: HttpRequest, org: str, programme_id: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=org)
    programme = get_object_or_404(
        Programme, organisation=organisation, uid=programme_id, public_enrolment=True
    )
    return render(
        request,
        "programmes/public_thanks.html",
        {"organisation": organisation, "programme": programme, "waiting": request.GET.get("waiting") == "1"},
    )
