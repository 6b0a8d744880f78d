"""Public programme pages, no login, in the visitor's language: an organisation's programmes open for
enrolment, the enrolment form per programme ("check your e-mail") and the link in that mail that confirms
the enrolment (`public_enrolment`)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kompis.core.links import page_language, render_in
from kompis.core.ratelimit import over_limit
from kompis.core.tokens import InvalidLink
from kompis.organisations.models import Organisation
from kompis.participants.vocab import MeetingMode
from kompis.programmes.models import EnrolmentStatus, Field, Programme, Role
from kompis.programmes.public_enrolment import (
    CONFIRM_DAYS,
    Pending,
    already_enrolled,
    enrol_publicly,
    open_cohorts,
    open_programmes,
    read_pending,
    request_enrolment,
)
from kompis.programmes.public_forms import PublicEnrolmentForm
from kompis.programmes.services import EnrolmentRefused

REFUSED = {
    "closed": lambda: _("This group has ended, or its programme is closed for enrolment."),
    "open_elsewhere": lambda: _(
        "You are already enrolled in another group of this programme. We have not enrolled you again."
    ),
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
            if not form.cleaned_data.get("website"):  # honeypot left empty: a person
                request_enrolment(
                    organisation=organisation,
                    programme=programme,
                    cohort=form.chosen_cohort(),
                    data=form.enrolment(),
                )
            # The same answer for every address (known, enrolled or new): only its owner learns more.
            return redirect("programmes_public:thanks", org=organisation.slug, programme_id=programme.uid)
    return render(
        request,
        "programmes/public_enrol.html",
        {"organisation": organisation, "programme": programme, "cohorts": cohorts, "form": form},
    )


def thanks(request: HttpRequest, org: str, programme_id: str) -> HttpResponse:
    """ "Check your e-mail": the one answer the form gives."""
    organisation = get_object_or_404(Organisation, slug=org)
    programme = get_object_or_404(
        Programme, organisation=organisation, uid=programme_id, public_enrolment=True
    )
    return render(
        request,
        "programmes/public_thanks.html",
        {"organisation": organisation, "programme": programme, "days": CONFIRM_DAYS},
    )


def confirm(request: HttpRequest, org: str, token: str) -> HttpResponse:
    """The link in the confirmation mail: a GET shows what she asked for and one button (mail scanners follow
    links); the POST enrols her. Already enrolled in the cohort: the page says so and enrols nothing."""
    organisation = get_object_or_404(Organisation, slug=org)
    try:
        pending = read_pending(organisation=organisation, token=token)
    except InvalidLink as exc:
        chosen = str(exc.payload.get("language", "")) or get_language() or settings.LANGUAGE_CODE
        return render_in(
            request,
            "programmes/public_link_invalid.html",
            {"organisation": organisation, "reason": exc.reason, "days": CONFIRM_DAYS},
            language=page_language(request, chosen),
            status=400,
        )
    language = page_language(request, pending.data.language)
    context: dict[str, Any] = {"organisation": organisation, "pending": pending, "state": "ask"}
    with translation.override(language):
        context["answers"] = _answers(pending)
    if already_enrolled(organisation=organisation, cohort=pending.cohort, email=pending.data.email):
        context["state"] = "already"
    elif request.method == "POST":
        try:
            enrolment = enrol_publicly(
                organisation=organisation,
                programme=pending.programme,
                cohort=pending.cohort,
                data=pending.data,
            )
            context["state"] = "waiting" if enrolment.status == EnrolmentStatus.WAITING else "enrolled"
        except EnrolmentRefused as refused:
            if refused.code == "duplicate":  # confirmed a moment ago, in another tab
                context["state"] = "already"
            else:
                context["state"] = "refused"
                with translation.override(language):
                    context["refusal"] = REFUSED.get(refused.code, REFUSED["other_organisation"])()
    return render_in(request, "programmes/public_confirm.html", context, language=language)


def _answers(pending: Pending) -> list[tuple[str, str]]:
    """What she wrote on the form, labelled, in the page's language."""
    d = pending.data
    cohort = pending.cohort
    rows = [
        (_("Group"), f"{cohort.name} ({cohort.starts_on:%Y-%m-%d} – {cohort.ends_on:%Y-%m-%d})"),
        (_("Name"), f"{d.first_name} {d.last_name}"),
        (_("E-mail address"), d.email),
        (
            _("Do you want a mentor, or to be one?"),
            str(Role(d.role).label) if d.role in Role.values else d.role,
        ),
        (_("Field of work"), d.field_other or (str(Field(d.field).label) if d.field in Field.values else "")),
        (
            _("How do you want to meet?"),
            str(MeetingMode(d.meeting_mode).label) if d.meeting_mode in MeetingMode.values else "",
        ),
        (_("Municipality"), d.municipality.name if d.municipality else ""),
        (_("Your goals"), d.goals),
    ]
    if d.name_latin:
        rows.insert(2, (_("Your name in Latin letters"), d.name_latin))
    return [(label, value) for label, value in rows if value]
