"""The attendance register of an event: a tick-list for a phone (ticks kept in the page and sent one by
one, each with an idempotency key, when there is a connection) that is also a plain form without
JavaScript."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kompis.accounts.access import is_staff_member, people_required
from kompis.accounts.models import User
from kompis.accounts.requests import StaffRequest
from kompis.events import attendance
from kompis.events.access import get_event_for_user
from kompis.events.attendance_models import AttendanceState

REFUSALS = {
    "not_registered": lambda: _("This person is not registered for the event: nothing was saved."),
    "bad_state": lambda: _("Unknown attendance: nothing was saved."),
    "not_started": lambda: _("The event has not started yet: attendance can be taken from two hours before."),
}


@people_required
def register(request: StaffRequest, event_id: str) -> HttpResponse:
    """GET: the tick-list. POST (the plain form): the ticked people present, un-ticked ones who were
    present absent; every row checked before anything is written."""
    event = get_event_for_user(request.user, event_id)
    if request.method == "POST":
        rows = request.POST.getlist("row")
        ticked = set(request.POST.getlist("present"))
        marked = attendance.attendance_of(event)
        registered = {str(r.participant.uid): r.participant for r in attendance.registered_people(event)}
        unknown = [uid for uid in [*rows, *ticked] if uid not in registered]
        if unknown:
            messages.error(request, REFUSALS["not_registered"]())
            return redirect("event_attendance:register", event_id=event.uid)
        try:
            for uid in rows:
                current = marked.get(registered[uid].pk)
                if uid in ticked:
                    state = AttendanceState.PRESENT
                elif current is not None and current.state == AttendanceState.PRESENT:
                    state = AttendanceState.ABSENT
                else:
                    continue
                attendance.mark_attendance(actor=request.user, event=event, participant_uid=uid, state=state)
        except attendance.AttendanceRefused as refused:
            messages.error(request, REFUSALS[refused.code]())
        else:
            messages.success(request, _("Attendance is saved."))
        return redirect("event_attendance:register", event_id=event.uid)
    marked = attendance.attendance_of(event)
    tick_rows = [
        {
            "r": r,
            "present": marked.get(r.participant_id) is not None
            and marked[r.participant_id].state == AttendanceState.PRESENT,
        }
        for r in attendance.registered_people(event)
    ]
    return render(
        request,
        "events/attendance.html",
        {
            "nav": "events",
            "event": event,
            "rows": tick_rows,
            "summary": attendance.summary(event),
            "no_shows": attendance.no_shows(event),
        },
    )


def _json_people_required(view: Callable[..., JsonResponse]) -> Callable[..., HttpResponse]:
    """`people_required` for the tick-list's requests: a tick sent after the login has expired (or by
    someone who may not see people) gets a 401/403 JSON answer the page can show, not the login page."""
    guarded = people_required(view)

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if "application/json" not in request.headers.get("Accept", ""):
            return guarded(request, *args, **kwargs)
        user = request.user
        if not user.is_authenticated:
            page = reverse("event_attendance:register", kwargs={"event_id": kwargs["event_id"]})
            login = redirect_to_login(page)["Location"]
            message = _("Not saved: you are logged out. Log in again; your ticks are kept.")
            return JsonResponse({"error": "login", "message": message, "login": login}, status=401)
        if not (is_staff_member(user) and isinstance(user, User) and user.can_see_people):
            message = _("Not saved: you may not take attendance.")
            return JsonResponse({"error": "forbidden", "message": message}, status=403)
        return guarded(request, *args, **kwargs)

    return wrapper


@_json_people_required
@require_POST
def mark(request: StaffRequest, event_id: str) -> JsonResponse:
    """One tick from the page's queue: participant (uid), state, key. JSON back; 400 with a message when
    refused (404 for a person not registered), nothing written, so the page drops the tick and says why."""
    event = get_event_for_user(request.user, event_id)
    try:
        result = attendance.mark_attendance(
            actor=request.user,
            event=event,
            participant_uid=request.POST.get("participant", ""),
            state=request.POST.get("state", ""),
            key=request.POST.get("key", ""),
        )
    except attendance.AttendanceRefused as refused:
        # a person not registered for the event is not found here (404); any other refusal is a 400
        status = 404 if refused.code == "not_registered" else 400
        return JsonResponse({"error": refused.code, "message": REFUSALS[refused.code]()}, status=status)
    return JsonResponse({"state": result.attendance.state, "changed": result.changed})
