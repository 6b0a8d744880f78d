"""Events' staff pages: the list (upcoming or past), a new event, an event with its registrations (find a
person in scope and register them; cancel a registration) and its history."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from kompis.accounts.access import people_required
from kompis.accounts.requests import StaffRequest
from kompis.audit.selectors import history_of
from kompis.audit.sentences import history_lines
from kompis.events import selectors, services
from kompis.events.access import get_event_for_user, get_registration_for_user
from kompis.events.forms import EventForm, MoveForm, SeriesForm
from kompis.organisations.models import Organisation
from kompis.participants.access import get_participant_for_user, visible_people


def _organisation(request: StaffRequest) -> Organisation:
    """The staff member's organisation (the access decorators let only members of one through)."""
    organisation = request.user.organisation
    if organisation is None:
        raise PermissionDenied
    return organisation


@people_required
def event_list(request: StaffRequest) -> HttpResponse:
    past = request.GET.get("show") == "past"
    return render(
        request,
        "events/list.html",
        {"nav": "events", "past": past, "events": selectors.event_list(user=request.user, past=past)[:200]},
    )


@people_required
def event_new(request: StaffRequest) -> HttpResponse:
    form = EventForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        event = services.create_event(
            actor=request.user, organisation=_organisation(request), data=form.event_data()
        )
        messages.success(request, _("The event is created."))
        return redirect("events:detail", event_id=event.uid)
    return render(request, "events/new.html", {"nav": "events", "form": form})


@people_required
def series_new(request: StaffRequest) -> HttpResponse:
    """A weekly series: its occurrences are made at once (up to its end, or 52 weeks)."""
    form = SeriesForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        series = services.create_series(
            actor=request.user, organisation=_organisation(request), data=form.series_data()
        )
        count = series.occurrences.count()
        messages.success(
            request,
            ngettext(
                "The series is created with %(count)d occurrence.",
                "The series is created with %(count)d occurrences.",
                count,
            )
            % {"count": count},
        )
        return redirect("events:list")
    return render(request, "events/series_new.html", {"nav": "events", "form": form})


@people_required
@require_POST
def event_cancel(request: StaffRequest, event_id: str) -> HttpResponse:
    """Cancel the event (one occurrence of a series): its registered people get a mail."""
    event = get_event_for_user(request.user, event_id)
    if services.cancel_event(actor=request.user, event=event):
        messages.success(request, _("The event is cancelled."))
    return redirect("events:detail", event_id=event.uid)


@people_required
@require_POST
def event_move(request: StaffRequest, event_id: str) -> HttpResponse:
    """Move the event (one occurrence of a series) to another time."""
    event = get_event_for_user(request.user, event_id)
    form = MoveForm(request.POST)
    if event.cancelled_at is None and form.is_valid():
        services.move_event(
            actor=request.user,
            event=event,
            starts_at=form.cleaned_data["starts_at"],
            ends_at=form.cleaned_data["ends_at"],
        )
        messages.success(request, _("The event is moved."))
    else:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else str(error))
    return redirect("events:detail", event_id=event.uid)


@people_required
def event_detail(request: StaffRequest, event_id: str) -> HttpResponse:
    event = get_event_for_user(request.user, event_id)
    registrations = list(selectors.registrations_of_event(event))
    people = visible_people(request.user, [r.participant for r in registrations])
    query = request.GET.get("q", "").strip()[:100]
    return render(
        request,
        "events/detail.html",
        {
            "nav": "events",
            "event": event,
            "rows": [{"r": r, "person": people[r.participant_id]} for r in registrations],
            "registered": sum(1 for r in registrations if r.is_active),
            "query": query,
            "candidates": selectors.people_to_register(user=request.user, event=event, query=query),
            "history": history_lines(request.user, history_of(event)[:50]),
            "move_form": MoveForm(
                initial={
                    "starts_at": timezone.localtime(event.starts_at),
                    "ends_at": timezone.localtime(event.ends_at),
                }
            ),
        },
    )


REFUSALS = {
    "full": lambda: _("The event is full."),
    "over": lambda: _("The event is over."),
    "cancelled": lambda: _("The event is cancelled."),
    "other_organisation": lambda: _("This person cannot be registered for this event."),
}


@people_required
@require_POST
def event_register(request: StaffRequest, event_id: str) -> HttpResponse:
    """Register a person in the user's scope (named in the body) for the event."""
    event = get_event_for_user(request.user, event_id)
    try:
        person_uid = uuid.UUID(request.POST.get("participant", ""))
    except ValueError as exc:
        raise Http404("No such participant") from exc
    person = get_participant_for_user(request.user, person_uid)
    try:
        registration = services.register_person(actor=request.user, event=event, participant=person)
        if registration.is_waiting:
            messages.success(
                request, _("The event is full: %(name)s is on the waiting list.") % {"name": person.full_name}
            )
        else:
            messages.success(request, _("%(name)s is registered.") % {"name": person.full_name})
    except services.RegistrationRefused as refused:
        messages.error(request, REFUSALS[refused.code]())
    return redirect("events:detail", event_id=event.uid)


@people_required
@require_POST
def registration_cancel(request: StaffRequest, registration_id: str) -> HttpResponse:
    registration = get_registration_for_user(request.user, registration_id)
    if services.cancel_registration(actor=request.user, registration=registration):
        messages.success(request, _("The registration is cancelled."))
    return redirect("events:detail", event_id=registration.event.uid)
