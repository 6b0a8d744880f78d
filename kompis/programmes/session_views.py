"""Staff pages for a cohort's sessions: a new session (its own page, also posted from the cohort page's
form), inviting people enrolled later, and applying the completion rule. Cancelling or moving a session
is the event's page; its attendance is the event's tick-list."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from kompis.accounts.access import people_required
from kompis.accounts.requests import StaffRequest
from kompis.programmes import sessions
from kompis.programmes.access import get_cohort_for_user, get_session_for_user
from kompis.programmes.session_forms import InviteForm, SessionForm


@people_required
def session_new(request: StaffRequest, cohort_id: str) -> HttpResponse:
    cohort = get_cohort_for_user(request.user, cohort_id)
    form = SessionForm(request.POST or None, cohort=cohort)
    if request.method == "POST" and form.is_valid():
        try:
            session = sessions.create_session(actor=request.user, cohort=cohort, data=form.session_data())
        except sessions.SessionRefused as refused:  # the form checked the same; the clock moved on
            form.add_error(None, sessions.refusal_message(refused.code))
        else:
            invited = session.event.registrations.count()
            messages.success(
                request,
                ngettext(
                    "The session is created; %(n)s person is invited.",
                    "The session is created; %(n)s people are invited.",
                    invited,
                )
                % {"n": invited},
            )
            return redirect("programmes:cohort", cohort_id=cohort.uid)
    return render(
        request,
        "programmes/session_new.html",
        {"nav": "programmes", "cohort": cohort, "programme": cohort.programme, "form": form},
    )


@people_required
@require_POST
def session_invite(request: StaffRequest, session_id: str) -> HttpResponse:
    """Invite the active people of a group in the session's cohort who are not invited yet."""
    session = get_session_for_user(request.user, session_id)
    form = InviteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whom to invite."))
        return redirect("programmes:cohort", cohort_id=session.cohort.uid)
    try:
        invited = sessions.invite(
            actor=request.user,
            session=session,
            enrolments=sessions.group_of(session.cohort, form.cleaned_data["invite"]),
        )
    except sessions.SessionRefused as refused:
        messages.error(request, sessions.refusal_message(refused.code))
    else:
        messages.success(
            request,
            ngettext("%(n)s more person is invited.", "%(n)s more people are invited.", invited)
            % {"n": invited},
        )
    return redirect("programmes:cohort", cohort_id=session.cohort.uid)


@people_required
@require_POST
def completion_rule(request: StaffRequest, cohort_id: str) -> HttpResponse:
    """Mark completed the active enrolments that attended enough of the sessions held."""
    cohort = get_cohort_for_user(request.user, cohort_id)
    try:
        done = sessions.apply_completion_rule(actor=request.user, cohort=cohort)
    except sessions.SessionRefused as refused:
        messages.error(request, sessions.refusal_message(refused.code, cohort=cohort))
    else:
        messages.success(
            request,
            ngettext("%(n)s enrolment is marked completed.", "%(n)s enrolments are marked completed.", done)
            % {"n": done},
        )
    return redirect("programmes:cohort", cohort_id=cohort.uid)
